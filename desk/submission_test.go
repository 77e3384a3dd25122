package desk

import (
	"fmt"
	"path/filepath"
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
	}
	store := openStore(t, filepath.Join(t.TempDir(), "s.db"))
	res, err := importString(t, store, builtinAnalyzer(t), strings.Join(lines, "\n"), ImportOptions{})
	require.NoError(t, err)
	assert.Equal(t, 2, res.Added, "lines 1 and 7")
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
	}
	got := map[int]string{}
	for _, e := range res.LineErrors {
		got[e.Line] = e.Err
	}
	assert.Equal(t, want, got)
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
// event key, an outlet and text or html, within the limits.
func FuzzCheckRecords(f *testing.F) {
	f.Add(`{"event":"e","outlet":"o","text":"t"}` + "\n" + `{"event":"e"}`)
	f.Add("\ufeff{\"event\":\" \",\"outlet\":\"o\",\"html\":\"<p>\",\"published_at\":\"2024-01-02\"}\r\n\r\n[1]\n{")
	f.Add(`{"event":"e","outlet":"o","text":"t","url":"http://x"} trailing`)
	d := New(nil, builtinAnalyzer(f), Config{})
	f.Fuzz(func(t *testing.T, in string) {
		recs, errs := ReadRecords(strings.NewReader(in), FormatJSONL)
		res := ImportResult{LineErrors: errs}
		for _, l := range d.checkLines(recs, false, &res) {
			if l.bad {
				continue
			}
			s := l.sub
			if s.EventKey == "" || s.Outlet == "" || (strings.TrimSpace(s.Text) == "" && strings.TrimSpace(s.HTML) == "") {
				t.Fatalf("line %d let through: %+v", l.line, s)
			}
			if len(checkTakenFields(s)) > 0 {
				t.Fatalf("line %d let through over a limit: %+v", l.line, s)
			}
		}
		for _, e := range res.LineErrors {
			if e.Err == "" {
				t.Fatalf("a line error without words: %+v", e)
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
