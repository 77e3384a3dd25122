package ingest

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"html"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
)

// Hostile inputs: texts, pages and import files built to make a careless
// cleaner, extractor or parser do more than linear work. Each is made at
// two sizes so that the cost per byte can be compared; the analysis has
// its own (analysis/hostile_test.go).

// hostileSizes are the two sizes every hostile input is measured at.
var hostileSizes = []int{50_000, 200_000}

// scriptLetters cycles through letters of twenty scripts: Latin, Greek,
// Cyrillic, Armenian, Hebrew, Arabic, Devanagari, Bengali, Thai, Georgian,
// Hangul, Hiragana, Katakana, Han, Ethiopic, Cherokee, Tamil, Gujarati,
// Tibetan and Mongolian.
const scriptLetters = "aβжաשبकবกჭ한ぁァ中ሀᎠஅકཀᠠ"

type hostileInput struct {
	name, text string
}

// hostileTexts returns pasted texts of about n bytes each. The first
// seven are the shapes issue 15 lists; the others aim at the repeat
// search, which compares lines with lines.
func hostileTexts(n int) []hostileInput {
	return []hostileInput{
		{"plain-prose", repeatTo("The council met on Monday to discuss the budget for the new school year, and members voted to keep the library open.\n\n", n)},
		{"quotation-marks", repeatTo(`"`, n)},
		{"one-word", repeatTo("regime ", n)},
		{"no-spaces", repeatTo("abcdefghij", n)},
		{"tiny-lines", repeatTo("Go on now, friend.\n", n)}, // 10,000 lines at 200 KB
		{"one-line", repeatTo("the council, officials and critics of the plan ", n)},
		{"scripts", repeatTo(scriptLetters, n)},
		{"curly-quotes", repeatTo("“”‘’«»\n", n)},
		{"distinct-lines", numberedLines(n)},
		{"one-word-lines", growingLines(n)},
		{"few-words", fewWordLines(n)},
		{"markup-as-text", repeatTo("<div><p>Share</p><a href='x'>Related News</a></div>\n", n)},
		{"numbers", repeatTo("2024 03 04 12:45\n", n)},
		{"invalid-utf8", repeatTo("bad \xff\xfe word.\n", n)},
	}
}

// hostilePages returns HTML pages of about n bytes each: every hostile
// text as paragraphs, and markup built against the parser, the
// flattening and the article finder.
func hostilePages(n int) []hostileInput {
	var out []hostileInput
	for _, t := range hostileTexts(n) {
		out = append(out, hostileInput{"text-" + t.name, asPage(t.text)})
	}
	return append(out,
		hostileInput{"nested-divs", "<html><body>" + repeatTo("<div>word ", n)},
		hostileInput{"nested-bold", "<html><body><p>" + repeatTo("<b>word ", n)},
		hostileInput{"nested-tables", "<html><body>" + repeatTo("<table><tr><td>word ", n)},
		hostileInput{"nested-self-closing", "<html><body>" + repeatTo("<div/>word ", n)},
		hostileInput{"unclosed-items", "<html><body><ul>" + repeatTo("<li>word ", n)},
		hostileInput{"deep-then-prose", "<html><body>" + strings.Repeat("<div>", n/50) + repeatTo("<p>The council met on Monday and voted to keep the library open.</p>", n-n/10)},
		hostileInput{"many-paragraphs", "<html><body><article>" + repeatTo("<p>Go on now.</p>", n)},
		hostileInput{"many-meta", "<html><head>" + repeatTo(`<meta property="og:title" content="A title">`, n-200) + "</head><body><p>" + para1 + "</p></body></html>"},
		hostileInput{"many-json-ld", "<html><head>" + repeatTo(`<script type="application/ld+json">{"@graph":[{"@type":"Thing","headline":"x"}]}</script>`, n-200) + "</head><body><p>" + para1 + "</p></body></html>"},
		hostileInput{"many-attributes", "<html><body><p " + repeatTo(`data-a="b" `, n-200) + ">" + para1 + "</p></body></html>"},
		hostileInput{"many-links", "<html><body><article><p>" + repeatTo(`<a href="/x">link</a> `, n) + "</p></article></body></html>"},
	)
}

// hostileJSONL returns import files of about n bytes: every hostile text
// as one record's text, 10,000 tiny records, and records whose text is
// all escapes.
func hostileJSONL(n int) []hostileInput {
	var out []hostileInput
	for _, t := range hostileTexts(n) {
		b, _ := json.Marshal(map[string]string{"event": "e", "outlet": "o", "text": t.text})
		out = append(out, hostileInput{"text-" + t.name, string(b) + "\n"})
	}
	return append(out,
		hostileInput{"tiny-records", repeatTo(`{"event":"e","outlet":"o","text":"t"}`+"\n", n)},
		hostileInput{"bad-lines", repeatTo("{\n", n)},
		hostileInput{"escapes", `{"event":"e","outlet":"o","text":"` + repeatTo(`\"\u00e9\\`, n-50) + `"}` + "\n"},
		hostileInput{"blank-lines", repeatTo("\n", n)},
	)
}

// hostileCSV returns CSV files of about n bytes: every hostile text as
// one record's text, 10,000 tiny records and a field of quotation marks.
func hostileCSV(n int) []hostileInput {
	var out []hostileInput
	for _, t := range hostileTexts(n) {
		var b strings.Builder
		w := csv.NewWriter(&b)
		_ = w.Write([]string{"event", "outlet", "text"})
		_ = w.Write([]string{"e", "o", t.text})
		w.Flush()
		out = append(out, hostileInput{"text-" + t.name, b.String()})
	}
	return append(out,
		hostileInput{"tiny-records", "event,outlet,text\n" + repeatTo("e,o,t\n", n)},
		hostileInput{"quoted-quotes", "event,outlet,text\ne,o,\"" + repeatTo(`""`, n) + "\"\n"},
		hostileInput{"unterminated", "event,outlet,text\ne,o,\"" + repeatTo("a,b\n", n)},
	)
}

// asPage puts a text's lines into paragraphs of a page.
func asPage(text string) string {
	return "<html><head><title>T</title></head><body><article><p>" +
		strings.ReplaceAll(html.EscapeString(text), "\n", "</p>\n<p>") + "</p></article></body></html>"
}

// repeatTo repeats s until it fills n bytes, cut on a rune boundary.
func repeatTo(s string, n int) string {
	if n <= 0 {
		return ""
	}
	r := strings.Repeat(s, n/len(s)+1)[:n]
	for len(r) > 0 && !validCut(r) {
		r = r[:len(r)-1]
	}
	return r
}

// validCut reports whether s does not end inside a multi-byte rune
// (invalid bytes count as whole).
func validCut(s string) bool {
	for i := len(s) - 1; i >= 0 && i >= len(s)-4; i-- {
		b := s[i]
		if b < 0x80 {
			return true
		}
		if b >= 0xC0 {
			size := 2
			switch {
			case b >= 0xF0:
				size = 4
			case b >= 0xE0:
				size = 3
			}
			return len(s)-i >= size
		}
	}
	return true
}

// numberedLines are distinct lines of six words: each is looked for in
// every line kept before it by a pairwise search.
func numberedLines(n int) string {
	var b strings.Builder
	for i := 0; b.Len() < n; i++ {
		fmt.Fprintf(&b, "word%d alpha beta gamma delta %d.\n", i, i*7)
	}
	return b.String()[:n]
}

// growingLines are lines of one word repeated, each a word longer than
// the one before, up to 60 words, then again: every line contains the
// earlier ones.
func growingLines(n int) string {
	var b strings.Builder
	for i := 0; b.Len() < n; i++ {
		b.WriteString(strings.Repeat("regime ", 5+i%60))
		b.WriteString("\n")
	}
	return b.String()[:n]
}

// fewWordLines are lines drawn from a dozen words: near copies and shared
// runs everywhere.
func fewWordLines(n int) string {
	rng := rand.New(rand.NewPCG(1, 2))
	vocab := strings.Fields("the council voted to close camp and open a shelter on monday")
	var b strings.Builder
	for b.Len() < n {
		for j, k := 0, 6+rng.IntN(30); j < k; j++ {
			b.WriteString(vocab[rng.IntN(len(vocab))])
			b.WriteString(" ")
		}
		b.WriteString("\n")
	}
	return b.String()[:n]
}

// cost is what one run of a function took: the work units it counted
// and the allocations it made, in number and bytes.
type cost struct {
	work, allocs, bytes float64
}

// measure runs fn once and returns its cost; fn returns its work count.
// (Mallocs and TotalAlloc only grow: no collection is needed between the
// two readings.)
func measure(fn func() int64) cost {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	work := fn()
	runtime.ReadMemStats(&after)
	return cost{work: float64(work), allocs: float64(after.Mallocs - before.Mallocs), bytes: float64(after.TotalAlloc - before.TotalAlloc)}
}

// cleanCost cleans text and returns the cost.
func cleanCost(text string) cost {
	return measure(func() int64 {
		w := &work{}
		clean(text, "", w)
		return w.done
	})
}

// extractCost extracts page and returns the cost.
func extractCost(t testing.TB, page string) cost {
	return measure(func() int64 {
		w := &work{}
		if _, err := extract([]byte(page), nil, w); err != nil && err != ErrNoArticle {
			t.Errorf("extract: %v", err)
		}
		return w.done
	})
}

// parseCost parses an import file and returns the cost (the parsers count
// no work: allocations only).
func parseCost(parse func(string) ([]Record, []LineError), file string) cost {
	return measure(func() int64 {
		parse(file)
		return 0
	})
}

func parseJSONL(s string) ([]Record, []LineError) { return ParseJSONL(strings.NewReader(s), 0) }
func parseCSV(s string) ([]Record, []LineError)   { return ParseCSV(strings.NewReader(s)) }

// linearSlack is how much more than 4 times the cost of 50 KB the cost
// of 200 KB may be, for the fixed costs that the small size pays in a
// larger share; below the floors a count is a fixed cost, not growth.
// Bytes allocated get a quarter more: a growing slice's last step (Go
// grows a large slice by a quarter) lands differently at the two sizes.
const (
	linearSlack = 4.4
	bytesSlack  = 1.25 * linearSlack
	workFloor   = 1000
	allocFloor  = 1000
	bytesFloor  = 1 << 20
)

// checkLinear fails when 4 times the input cost more than linearSlack
// times as much.
func checkLinear(t testing.TB, what string, small, large cost) {
	t.Helper()
	for _, m := range []struct {
		name                string
		small, large, floor float64
		slack               float64
	}{
		{"work", small.work, large.work, workFloor, linearSlack},
		{"allocations", small.allocs, large.allocs, allocFloor, linearSlack},
		{"bytes allocated", small.bytes, large.bytes, bytesFloor, bytesSlack},
	} {
		if m.large > m.slack*max(m.small, m.floor) {
			t.Errorf("%s: %s grows %.1f times for 4 times the input (%.0f -> %.0f)", what, m.name, m.large/max(m.small, 1), m.small, m.large)
		}
	}
}

// TestHostileInputsStayLinear cleans, extracts and parses every hostile
// input at 50 KB and 200 KB and checks that four times the input costs at
// most about four times the work, the allocations and the bytes
// allocated: counted, not timed, so the check holds on a busy machine.
func TestHostileInputsStayLinear(t *testing.T) {
	if testing.Short() {
		t.Skip("cleans, extracts and parses some 20 MB of hostile input")
	}
	small, large := hostileSizes[0], hostileSizes[1]
	run := func(kind string, inputs func(int) []hostileInput, costOf func(string) cost) {
		s, l := inputs(small), inputs(large)
		for i := range s {
			t.Run(kind+"/"+s[i].name, func(t *testing.T) {
				c1, c2 := costOf(s[i].text), costOf(l[i].text)
				t.Logf("work %.0f -> %.0f, allocations %.0f -> %.0f, bytes %.0f -> %.0f", c1.work, c2.work, c1.allocs, c2.allocs, c1.bytes, c2.bytes)
				checkLinear(t, kind, c1, c2)
			})
		}
	}
	run("clean", hostileTexts, cleanCost)
	run("extract", hostilePages, func(p string) cost { return extractCost(t, p) })
	run("jsonl", hostileJSONL, func(f string) cost { return parseCost(parseJSONL, f) })
	run("csv", hostileCSV, func(f string) cost { return parseCost(parseCSV, f) })
}

// FuzzIngestStaysLinear repeats any pattern of up to 64 bytes to 4 KB
// and to 16 KB, cleans it, extracts it as a page and as paragraphs of
// one, and checks that the longer costs at most about four times the
// shorter: a pattern that makes the work grow faster than the text fails
// here. (The article finder's work is the text times the depth of its
// elements, capped at maxNesting: at these sizes a pattern that nests
// deeper with every repetition has reached the cap at both.)
func FuzzIngestStaysLinear(f *testing.F) {
	for _, in := range hostileTexts(64) {
		f.Add(in.text)
	}
	for _, in := range hostilePages(64) {
		f.Add(in.text)
	}
	f.Fuzz(func(t *testing.T, pattern string) {
		if pattern == "" || len(pattern) > 64 {
			return
		}
		short, long := repeatTo(pattern, 4096), repeatTo(pattern, 16384)
		for _, c := range []struct {
			what   string
			costOf func(string) cost
		}{
			{"clean", cleanCost},
			{"extract", func(s string) cost { return extractCost(t, s) }},
			{"extract paragraphs", func(s string) cost { return extractCost(t, asPage(s)) }},
		} {
			c1, c2 := c.costOf(short), c.costOf(long)
			c1.work, c1.allocs, c1.bytes = max(c1.work, 200), max(c1.allocs, 200), max(c1.bytes, 64<<10)
			checkLinear(t, c.what, c1, c2)
		}
	})
}

// BenchmarkHostile cleans, extracts and parses each hostile input at 50
// KB and 200 KB. The cost per byte (ns/B) should be about the same at
// both sizes.
func BenchmarkHostile(b *testing.B) {
	for _, kind := range []struct {
		name   string
		inputs func(int) []hostileInput
		run    func(string)
	}{
		{"clean", hostileTexts, func(s string) { Clean(s) }},
		{"extract", hostilePages, func(s string) { _, _ = ReadabilityExtractor{}.Extract([]byte(s), nil) }},
		{"jsonl", hostileJSONL, func(s string) { parseJSONL(s) }},
		{"csv", hostileCSV, func(s string) { parseCSV(s) }},
	} {
		for _, n := range hostileSizes {
			for _, in := range kind.inputs(n) {
				b.Run(fmt.Sprintf("%s/%s/%dKB", kind.name, in.name, n/1000), func(b *testing.B) {
					b.SetBytes(int64(len(in.text)))
					b.ReportAllocs()
					for b.Loop() {
						kind.run(in.text)
					}
					b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(in.text)), "ns/B")
				})
			}
		}
	}
}
