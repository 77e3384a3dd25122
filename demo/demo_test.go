package demo

import (
	"bufio"
	"net/url"
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
)

var (
	straightQuote = regexp.MustCompile(`"[^"\n]+"`)
	curlyQuote    = regexp.MustCompile(`“[^”\n]+”`)
)

func mustLoad(t *testing.T) Event {
	t.Helper()
	ev, err := Load()
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return ev
}

func TestLoadEvent(t *testing.T) {
	ev := mustLoad(t)
	if ev.Title == "" || ev.Description == "" {
		t.Errorf("event title %q / description %q must not be empty", ev.Title, ev.Description)
	}
	if ev.Date.IsZero() {
		t.Error("event date is zero")
	}
	if got := len(ev.Articles); got != 3 {
		t.Fatalf("got %d articles, want 3", got)
	}
	if got := ev.Articles[0].Outlet; got != "Riverlands Wire" {
		t.Errorf("first article is from %q, want the neutral Riverlands Wire", got)
	}
}

func TestArticles(t *testing.T) {
	ev := mustLoad(t)
	outlets := map[string]bool{}
	domains := map[string]bool{}
	for _, a := range ev.Articles {
		t.Run(a.Outlet, func(t *testing.T) {
			if a.Outlet == "" || a.Title == "" || a.Text == "" {
				t.Fatalf("empty outlet, title or text: %+v", a)
			}
			if outlets[a.Outlet] || domains[a.Domain] {
				t.Errorf("outlet %q / domain %q used twice", a.Outlet, a.Domain)
			}
			outlets[a.Outlet], domains[a.Domain] = true, true

			if n := len(strings.Fields(a.Text)); n < 300 || n > 600 {
				t.Errorf("%d words, want 300 to 600", n)
			}
			u, err := url.Parse(a.URL)
			if err != nil {
				t.Fatalf("url %q: %v", a.URL, err)
			}
			if !strings.HasSuffix(u.Hostname(), ".example") || u.Hostname() != a.Domain {
				t.Errorf("url %q: host must be the outlet domain %q under .example", a.URL, a.Domain)
			}
			if a.PublishedAt.Before(ev.Date) {
				t.Errorf("published %v before the event date %v", a.PublishedAt, ev.Date)
			}

			if !straightQuote.MatchString(a.Text) {
				t.Error("no straight \"...\" quotation")
			}
			if !curlyQuote.MatchString(a.Text) {
				t.Error("no curly “...” quotation")
			}
			if n := strings.Count(a.Text, `"`); n%2 != 0 {
				t.Errorf("%d straight double quotes: unbalanced", n)
			}
			if o, c := strings.Count(a.Text, "“"), strings.Count(a.Text, "”"); o != c {
				t.Errorf("%d opening and %d closing curly quotes: unbalanced", o, c)
			}
			if !hasMultiSentenceQuote(a.Text) {
				t.Error("no quotation that spans two sentences")
			}
		})
	}
}

func hasMultiSentenceQuote(text string) bool {
	for _, re := range []*regexp.Regexp{straightQuote, curlyQuote} {
		for _, q := range re.FindAllString(text, -1) {
			if strings.Contains(q, ". ") {
				return true
			}
		}
	}
	return false
}

func TestLoadDeterministic(t *testing.T) {
	first := mustLoad(t)
	for range 5 {
		if again := mustLoad(t); !reflect.DeepEqual(first, again) {
			t.Fatal("Load returned a different event on a later call")
		}
	}
}

// ownVoice is the text an outlet writes itself: title and body with every
// quotation blanked out, lower-cased.
func ownVoice(a Article) string {
	s := a.Title + "\n\n" + a.Text
	s = straightQuote.ReplaceAllString(s, " ")
	s = curlyQuote.ReplaceAllString(s, " ")
	return strings.ToLower(s)
}

func containsWord(text, phrase string) bool {
	re := regexp.MustCompile(`(^|[^\pL\pN-])` + regexp.QuoteMeta(strings.ToLower(phrase)) + `($|[^\pL\pN-])`)
	return re.MatchString(text)
}

// TestLoadedTerms checks testdata/loaded-terms.tsv, the list handed to the
// lexicon: every phrase is in its outlet's own voice, none is in the neutral
// report's, and the two slanted outlets are roughly equally loaded.
func TestLoadedTerms(t *testing.T) {
	ev := mustLoad(t)
	voice := map[string]string{}
	for _, a := range ev.Articles {
		voice[a.Outlet] = ownVoice(a)
	}
	neutral := voice[ev.Articles[0].Outlet]

	f, err := os.Open("testdata/loaded-terms.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	counts := map[string]int{}
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) != 4 || cols[1] == "" || cols[2] == "" || cols[3] == "" {
			t.Errorf("line %d: want outlet<TAB>phrase<TAB>category<TAB>alternative", line)
			continue
		}
		outlet, phrase := cols[0], cols[1]
		text, ok := voice[outlet]
		if !ok {
			t.Errorf("line %d: unknown outlet %q", line, outlet)
			continue
		}
		counts[outlet]++
		if !containsWord(text, phrase) {
			t.Errorf("line %d: %q not found in %s's own voice", line, phrase, outlet)
		}
		if containsWord(neutral, phrase) {
			t.Errorf("line %d: %q appears in the neutral report's own voice", line, phrase)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	for _, a := range ev.Articles[1:] {
		if n := counts[a.Outlet]; n < 15 || n > 30 {
			t.Errorf("%s: %d listed loaded phrases, want 15 to 30", a.Outlet, n)
		}
	}
}

func TestParseArticleErrors(t *testing.T) {
	const good = "outlet: O\ndomain: o.example\ntitle: T\nurl: https://o.example/a\npublished: 2026-03-04T07:30:00Z\n\nBody."
	if _, err := parseArticle(good); err != nil {
		t.Fatalf("good article: %v", err)
	}
	cases := map[string]string{
		"no blank line": strings.ReplaceAll(good, "\n\n", "\n"),
		"unknown key":   strings.Replace(good, "outlet: O\n", "outlet: O\nlean: left\n", 1),
		"duplicate key": strings.Replace(good, "outlet: O\n", "outlet: O\noutlet: P\n", 1),
		"missing key":   strings.Replace(good, "title: T\n", "", 1),
		"empty value":   strings.Replace(good, "title: T\n", "title:\n", 1),
		"not key:value": strings.Replace(good, "title: T\n", "title T\n", 1),
		"bad time":      strings.Replace(good, "2026-03-04T07:30:00Z", "4 March 2026", 1),
		"url off domain": strings.Replace(good, "https://o.example/a",
			"https://other.example/a", 1),
		"not .example": strings.NewReplacer("o.example", "o.com").Replace(good),
		"empty body":   strings.Replace(good, "Body.", " \n\n", 1),
	}
	for name, raw := range cases {
		if _, err := parseArticle(raw); err == nil {
			t.Errorf("%s: want an error", name)
		}
	}
}

func TestLoadNormalisesLayout(t *testing.T) {
	fsys := fstest.MapFS{
		"event.txt": {Data: []byte("title: E\r\ndate: 2026-03-03\r\n\r\nAbout\r\nit.\r\n")},
		"articles/2-b.txt": {Data: []byte("outlet: B\ndomain: b.example\ntitle: T\nurl: https://b.example/x\npublished: 2026-03-04T08:00:00+01:00\n\n" +
			"One  line\nwrapped.\n   \nSecond paragraph.\n\n\n")},
		"articles/1-a.txt": {Data: []byte("outlet: A\ndomain: a.example\ntitle: T\nurl: https://a.example/x\npublished: 2026-03-04T07:00:00Z\n\nText.\n")},
	}
	ev, err := load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if ev.Description != "About it." {
		t.Errorf("description %q", ev.Description)
	}
	if len(ev.Articles) != 2 || ev.Articles[0].Outlet != "A" || ev.Articles[1].Outlet != "B" {
		t.Fatalf("articles not in file-name order: %+v", ev.Articles)
	}
	b := ev.Articles[1]
	if b.Text != "One line wrapped.\n\nSecond paragraph." {
		t.Errorf("text %q", b.Text)
	}
	if b.PublishedAt.Location().String() != "UTC" || b.PublishedAt.Hour() != 7 {
		t.Errorf("published %v, want 07:00 UTC", b.PublishedAt)
	}
}
