package desk

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slant/ingest"
	"slant/models"
)

// TestImportChecksEveryLineOnce runs the lines of an import file that
// parse but are not good articles through the import: each is refused by
// line with the same words an article added any other way gets, and the
// limits are the store's, the same as through the API (an event key of
// 250 characters is a fine event title, so it is a fine key).
func TestImportChecksEveryLineOnce(t *testing.T) {
	long := strings.Repeat("é", 250)
	lines := []string{
		/* 1 */ `{"event":"Ferry strike","outlet":"Bay News","text":"Crews walked out."}`,
		/* 2 */ `{"outlet":"x","text":"t"}`,
		/* 3 */ `{"event":"e","outlet":"  ","text":"t"}`,
		/* 4 */ `{"event":"e","outlet":"o"}`,
		/* 5 */ `{"event":"e","outlet":"o","text":"  ","html":""}`,
		/* 6 */ `{"event":"e","outlet":"o","text":"t","url":"javascript:alert(1)"}`,
		/* 7 */ fmt.Sprintf(`{"event":%q,"outlet":"o","text":"A long key."}`, long),
		/* 8 */ fmt.Sprintf(`{"event":%q,"outlet":"o","text":"t"}`, strings.Repeat("k", MaxEventTitle+1)),
		/* 9 */ fmt.Sprintf(`{"event":"e","outlet":%q,"text":"t"}`, strings.Repeat("o", MaxOutletName+1)),
		/* 10 */ fmt.Sprintf(`{"event":"e","outlet":"o","title":%q,"text":"t"}`, strings.Repeat("t", MaxArticleTitle+1)),
		/* 11 */ `{"outlet":"  ","text":" "}`,
		/* 12 */ fmt.Sprintf(`{"id":%q,"event":"e","outlet":"o","text":"An id too long."}`, strings.Repeat("i", 201)),
		/* 13 */ `{"id":"m","event":"e","outlet":"o","text":"Many fields."` + manyFields(1000) + `}`,
		/* 14 */ `{"id":"a","event":"e","outlet":"o","text":"A list.","tags":["x","y"]}`,
		/* 15 */ `{"id":"b","event":"e","outlet":"o","text":"The first b."}`,
		/* 16 */ `{"id":"b","event":"e","outlet":"o","text":"The second b."}`,
		/* 17 */ `{"id":"c","event":"e","outlet":"o","text":"A tab.","bad\tkey":1}`,
	}
	store := openStore(t, filepath.Join(t.TempDir(), "s.db"))
	res, err := importString(t, store, builtinAnalyzer(t), strings.Join(lines, "\n"), ImportOptions{})
	require.NoError(t, err)
	assert.Equal(t, 3, res.Added, "lines 1, 7 and 15")
	want := map[int]string{
		2:  "event is required",
		3:  "outlet is required",
		4:  "text is required (or html)",
		5:  "text is required (or html)",
		6:  "url must be an http or https URL",
		8:  "event must be at most 300 characters",
		9:  "outlet must be at most 200 characters",
		10: "title must be at most 500 characters",
		11: "event is required; text is required (or html); outlet is required",
		12: "id must be at most 200 characters (it has 201)",
		13: "metadata has 1000 extra fields, the most one article keeps is 100: leave out the fields you do not need",
		14: `field "tags" is a list: an extra field is kept as one value (a string, number or true/false); join the list into one string, such as "a; b"`,
		16: `id "b" appears again (first on line 15) with another text: ids must be unique within an event`,
		17: `metadata extra field name "bad\tkey" holds control characters`,
	}
	got := map[int]string{}
	for _, e := range res.LineErrors {
		got[e.Line] = e.Err
	}
	assert.Equal(t, want, got)
}

// manyFields writes n extra JSON fields, each with a comma before it.
func manyFields(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, `,"field_%04d":%d`, i, i)
	}
	return b.String()
}

// TestCheckPasted is the check of an article pasted, uploaded or sent by
// URL: one problem at a time, in the API's words.
func TestCheckPasted(t *testing.T) {
	for _, tc := range []struct {
		name string
		sub  Submission
		want string
	}{
		{"text", Submission{Outlet: "Bay News", Text: "Crews walked out."}, ""},
		{"html without outlet", Submission{HTML: "<p>x</p>"}, ""},
		{"url alone", Submission{URL: "https://bay.example/1"}, ""},
		{"a url alone is the fetcher's to check", Submission{URL: "ftp://bay.example/1"}, ""},
		{"nothing", Submission{Outlet: "X"}, "text is required"},
		{"text and html", Submission{Outlet: "X", Text: "t", HTML: "<p>h</p>"}, "html cannot be sent with text: send one of them"},
		{"text without outlet", Submission{Text: "t"}, "outlet is required"},
		{"blank outlet", Submission{Outlet: " \t", Text: "t"}, "outlet is required"},
		{"bad url with text", Submission{Outlet: "X", Text: "t", URL: "javascript:alert(1)"}, "url must be an http or https URL"},
		{"long url", Submission{Outlet: "X", Text: "t", URL: "https://x.example/" + strings.Repeat("a", MaxArticleURL)}, "url must be at most 2048 characters"},
		{"long title", Submission{Outlet: "X", Text: "t", Title: strings.Repeat("é", MaxArticleTitle+1)}, "title must be at most 500 characters"},
		{"long domain", Submission{Outlet: "X", Text: "t", OutletDomain: strings.Repeat("d", MaxOutletDomain+1)}, "outlet_domain must be at most 253 characters"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.sub.check(pasted).err()
			if tc.want == "" {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Equal(t, tc.want, err.Error())
		})
	}
}

// FuzzCheckRecords parses fuzzed import files and checks them the way an
// import does: every line it lets through to be read and analyzed has an
// event key, an outlet and text or html, within the limits, and an id and
// metadata the store keeps as they are: the metadata path from a line of
// JSON to the stored column and back.
func FuzzCheckRecords(f *testing.F) {
	f.Add(`{"event":"e","outlet":"o","text":"t"}` + "\n" + `{"event":"e"}`)
	f.Add("\ufeff{\"event\":\" \",\"outlet\":\"o\",\"html\":\"<p>\",\"published_at\":\"2024-01-02\"}\r\n\r\n[1]\n{")
	f.Add(`{"event":"e","outlet":"o","text":"t","url":"http://x"} trailing`)
	f.Add(`{"id":"a-1","event":"e","outlet":"o","text":"t","section":"World","n":-1.5e3,"ok":true,"none":null}`)
	f.Add(`{"id":17,"doc_id":"d","event":"e","outlet":"o","text":"t","a":{"b":1},"c":[1]}`)
	f.Add(`{"id":"x","event":"e","outlet":"o","text":"t","k":"v","k":"w","\u0000":"nul"," pad":1}`)
	d := New(nil, builtinAnalyzer(f), Config{})
	f.Fuzz(func(t *testing.T, in string) {
		src, err := OpenRecords(strings.NewReader(in), FormatJSONL, "")
		if err != nil {
			t.Fatal(err)
		}
		for {
			rec, err := src.Next()
			if err == io.EOF {
				break
			}
			var le ingest.LineError
			if errors.As(err, &le) {
				if le.Err == "" {
					t.Fatalf("a line error without words: %+v", le)
				}
				continue
			}
			l := d.checkLine(rec, false)
			if l.bad {
				if l.problem == "" {
					t.Fatalf("line %d bad without words", l.line)
				}
				continue
			}
			s := l.sub
			if s.EventKey == "" || s.Outlet == "" || (strings.TrimSpace(s.Text) == "" && strings.TrimSpace(s.HTML) == "") {
				t.Fatalf("line %d let through: %+v", l.line, s)
			}
			if len(checkTakenFields(s)) > 0 {
				t.Fatalf("line %d let through over a limit: %+v", l.line, s)
			}
			if models.CheckExternalID(s.ExternalID) != "" || len(models.CheckMetadata(s.Metadata)) > 0 {
				t.Fatalf("line %d let through with a bad id or metadata: %+v", l.line, s)
			}
			stored, err := s.Metadata.Value()
			if err != nil {
				t.Fatalf("line %d: metadata does not encode: %v", l.line, err)
			}
			var back models.Metadata
			if err := back.Scan(stored); err != nil {
				t.Fatalf("line %d: stored metadata does not read back: %v", l.line, err)
			}
			if len(s.Metadata) == 0 {
				s.Metadata = nil
			}
			if !reflect.DeepEqual(back, s.Metadata) {
				t.Fatalf("line %d: metadata %#v comes back as %#v", l.line, s.Metadata, back)
			}
		}
	})
}

// checkTakenFields checks a submission's short fields as the check of a
// taken-in article does.
func checkTakenFields(s Submission) problems {
	var p problems
	checkFields(&p, s.Outlet, s.OutletDomain, s.Title, s.URL)
	return p
}

// TestControlRulesAgree holds the two halves of the rule on control
// characters together: what the intake drops from a page's text
// (ingest.DropControls) is exactly what the store refuses in a typed text
// of several lines (models.ControlCharacter).
func TestControlRulesAgree(t *testing.T) {
	for b := 0; b < 0x80; b++ {
		s := "a" + string(rune(b)) + "b"
		_, _, refused := models.ControlCharacter(s, true)
		dropped := ingest.DropControls(s) != s
		if refused != dropped {
			t.Errorf("byte %#x: the store refuses it %v, the intake drops it %v", b, refused, dropped)
		}
	}
}
