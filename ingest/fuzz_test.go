package ingest

import (
	"errors"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"
)

func FuzzClean(f *testing.F) {
	for _, s := range []string{
		"", "\n", "a\r\nb\rc", "Ferry strike halts crossings\n" + para1 + "\n" + para1,
		"bugle.example\nMonday, 4 March 2024\nHomeWorldFerry...\n\nFerry strike halts crossings\n\n" + para1 + "\nKey points\n- " + para1[:60] + "\nRelated News\nA\nB",
		"Share\nLoading…\n2024 03 04\n“Quote,” she said.\n\"Quote\" she said",
		"  \u00a0\t\n\ufeffx", "Home › a\n" + strings.Repeat("word ", 40),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		c := Clean(in)
		checkCleanInvariants(t, in, c)
	})
}

func FuzzExtract(f *testing.F) {
	f.Add([]byte(`<html><head><meta property="og:title" content="<script>x</script>"></head><body><p onclick="x()">Hi <script>alert(1)</script></p></body></html>`))
	f.Add([]byte(`<p>&lt;script&gt;alert(1)&lt;/script&gt; and javascript:void(0)</p><a href="javascript:x">y</a>`))
	f.Add([]byte(`<script type="application/ld+json">{"@graph":[{"@type":"NewsArticle","headline":"<b>h</b>","author":[{"name":"a"}],"datePublished":"2024-01-01"}]}</script><article><p>text</p></article>`))
	f.Add([]byte("<meta charset=\"iso-8859-7\"><p>\xe1\xe2\xe3</p>"))
	f.Add([]byte("\xff\xfe<\x00p\x00>\x00"))
	f.Add([]byte(`<link rel="canonical" href="javascript:alert(1)"><svg><script>x</script></svg><math><style>y</style></math><noscript><script>z</script></noscript>`))
	f.Add([]byte(`<textarea><script>alert(1)</script></textarea><title><script>t</script></title><p>` + para1 + `</p>`))
	base, _ := url.Parse("https://example.org/a/b")
	f.Fuzz(func(t *testing.T, page []byte) {
		if len(page) > 1<<16 {
			return
		}
		a, err := ReadabilityExtractor{}.Extract(page, base)
		if err != nil && a.Text != "" {
			t.Fatalf("error %v with text", err)
		}
		// Whatever a page holds, it is the page's problem (422), never
		// the server's (500).
		if err != nil && !errors.Is(err, ErrNoArticle) && !errors.Is(err, ErrUnreadablePage) {
			t.Fatalf("error of no known kind: %v", err)
		}
		for name, v := range map[string]string{
			"Title": a.Title, "Byline": a.Byline, "SiteName": a.SiteName,
			"CanonicalURL": a.CanonicalURL, "Text": a.Text,
		} {
			low := strings.ToLower(v)
			if strings.Contains(low, "<script") || strings.Contains(low, "javascript:") || strings.Contains(low, "vbscript:") {
				t.Fatalf("%s not inert: %q", name, v)
			}
			if !utf8.ValidString(v) {
				t.Fatalf("%s not UTF-8: %q", name, v)
			}
		}
		if a.CanonicalURL != "" && !strings.HasPrefix(a.CanonicalURL, "http://") && !strings.HasPrefix(a.CanonicalURL, "https://") {
			t.Fatalf("canonical URL %q", a.CanonicalURL)
		}
	})
}

func FuzzParseJSONL(f *testing.F) {
	f.Add(`{"event":"e","outlet":"o","text":"t"}` + "\n" + `{"event":"e"}`)
	f.Add("\ufeff{\"event\":\"e\",\"outlet\":\"o\",\"html\":\"<p>\",\"published_at\":\"2024-01-02\"}\r\n\r\n[1]\n{")
	f.Add(`{"event":"e","outlet":"o","text":"t","url":"http://x"} trailing`)
	f.Add(`{"Event":"e","OUTLET":"o","Text":"t","ID":7,"Section":"s"}` + "\n" + `{"title":"a","Title":"b"}`)
	f.Fuzz(func(t *testing.T, in string) {
		recs, errs := ParseJSONL(strings.NewReader(in), 256)
		checkRecords(t, in, recs, errs)
	})
}

func FuzzParseCSV(f *testing.F) {
	f.Add("event,outlet,text\ne,o,t\n")
	f.Add("\ufeffhtml,event,outlet,published_at\n\"<p>a,\"\"b\"\"</p>\",e,o,2024-01-02T03:04:05Z\n")
	f.Add("event,outlet,text\n\"unterminated,o,t\ne,o,t\n")
	f.Add("text,event\n")
	f.Fuzz(func(t *testing.T, in string) {
		recs, errs := ParseCSV(strings.NewReader(in))
		checkRecords(t, in, recs, errs)
	})
}

// checkRecords asserts the parsers' contract: the short fields are
// trimmed and every line number points into the input. (That every record
// accepted is a good article is desk.ReadRecords's contract, fuzzed there.)
func checkRecords(t *testing.T, in string, recs []Record, errs []LineError) {
	t.Helper()
	lines := strings.Count(in, "\n") + 1
	for _, r := range recs {
		if r.Event != strings.TrimSpace(r.Event) || r.Outlet != strings.TrimSpace(r.Outlet) {
			t.Fatalf("untrimmed record: %+v", r)
		}
		if r.Line < 1 || r.Line > lines {
			t.Fatalf("record line %d outside 1..%d", r.Line, lines)
		}
	}
	for _, e := range errs {
		if e.Line < 1 || e.Line > lines || e.Err == "" {
			t.Fatalf("bad line error %+v (input has %d lines)", e, lines)
		}
	}
}

// FuzzDetectLanguage: any text gets an answer, the same one twice, that
// reads back the same from its code; the HTML check never panics.
func FuzzDetectLanguage(f *testing.F) {
	f.Add("The council voted on Tuesday to close the camp under the bridge and to open a shelter.")
	f.Add("El concejo municipal votó el martes cerrar el campamento bajo el puente y abrir un albergue nuevo.")
	f.Add("Городской совет во вторник решил закрыть лагерь под мостом и открыть новый приют для людей.")
	f.Add("<p>one</p><p>two</p><br>")
	f.Add("\xff\xfe<html")
	f.Fuzz(func(t *testing.T, text string) {
		got := DetectLanguage(text)
		if again := DetectLanguage(text); again != got {
			t.Fatalf("two answers for one text: %+v and %+v", got, again)
		}
		if got.Code != "" && LanguageOf(got.Code) != got {
			t.Fatalf("%+v reads back as %+v", got, LanguageOf(got.Code))
		}
		LooksLikeHTML(text)
	})
}
