package analysis

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// Hostile inputs: texts built to make a careless analysis do more than
// linear work. Each is cut to exactly n bytes (on a rune boundary), so the
// same pattern can be measured at two sizes and the cost per byte
// compared.

// hostileSizes are the two sizes every hostile input is measured at.
var hostileSizes = []int{50_000, 200_000}

// scriptLetters cycles through letters of different scripts: Latin,
// Greek, Cyrillic, Armenian, Hebrew, Arabic, Devanagari, Bengali, Thai,
// Georgian, Hangul, Hiragana, Katakana, Han, Ethiopic, Cherokee, Tamil,
// Gujarati, Tibetan and Mongolian.
const scriptLetters = "aβжաשبकবกჭ한ぁァ中ሀᎠஅકཀᠠ"

// hostileInputs returns the hostile texts of about n bytes each, by name.
// The first seven are the ones issue 15 lists; the others aim at the
// source, sentence and tone analyses.
func hostileInputs(n int) []hostileInput {
	return []hostileInput{
		{"plain-words", repeatTo("The council met on Monday to discuss the budget for the new school year, and members voted to keep the library open. ", n)},
		{"quotation-marks", repeatTo(`"`, n)},
		{"one-word", repeatTo("regime ", n)},
		{"no-spaces", repeatTo("abcdefghij", n)},
		{"tiny-sentences", repeatTo("Go. ", n)},
		{"one-sentence", repeatTo("the council, officials and critics of the plan ", n)},
		{"nested-quotes", repeatTo("“He said ‘she said “they said ‘no’ ” ’ ” ", n)},
		{"scripts", repeatTo(scriptLetters, n)},
		{"curly-quotes", repeatTo("“”", n)},
		{"single-quotes", repeatTo(" 'a", n)},
		{"newlines", repeatTo("\n", n)},
		{"quote-lines", repeatTo("“Yes.”\nJack Riley on tools\n", n)},
		{"said-quotes", repeatTo("“Yes,” said Mr. Smith, “no” ", n)},
		{"same-surname", hostileSurnames(n)},
		{"hedges-then-saying", repeatTo("reportedly ", n/2) + repeatTo(", saying", n-n/2)},
		// One sentence of verbs of naming, each with its quotation, and
		// verbs sharing their subject: "… and said".
		{"naming-and-said", repeatTo("Hale called the rise “robbery” and said so and called the plan ", n)},
		{"number-token", "A. " + repeatTo("1", n-6) + "x."},
		{"abbreviations", repeatTo("U.S. Sen. Dr. a.m. e.g. ", n)},
		{"emoji-sentence", "It was great 😀 " + repeatTo("fine good ", n-20)},
		{"invalid-utf8", repeatTo("bad \xff\xfe word. ", n)},
	}
}

type hostileInput struct {
	name, text string
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

// validCut reports whether s does not end inside a multi-byte rune (of
// valid UTF-8 text; invalid bytes count as whole).
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

// hostileSurnames gives many people one surname and different first
// names, each saying something: every new name is looked up among all
// the Smiths before it.
func hostileSurnames(n int) string {
	var b strings.Builder
	for i := 0; b.Len() < n; i++ {
		fmt.Fprintf(&b, "%s Smith said it. ", nameFor(i))
	}
	return b.String()[:n]
}

// nameFor makes the i-th distinct capitalised first name.
func nameFor(i int) string {
	var b []byte
	for {
		b = append(b, byte('a'+i%26))
		i /= 26
		if i == 0 {
			break
		}
	}
	b[0] -= 'a' - 'A'
	return string(b)
}

// BenchmarkHostile analyses each hostile input at 50 KB and 200 KB. The
// cost per byte (ns/B, and cpu-ns/B in CPU time, which a busy machine
// does not inflate) should be about the same at both sizes: more would
// mean work growing faster than the text.
func BenchmarkHostile(b *testing.B) {
	a := builtinAnalyzer(b)
	for _, n := range hostileSizes {
		for _, in := range hostileInputs(n) {
			b.Run(fmt.Sprintf("%s/%dKB", in.name, n/1000), func(b *testing.B) {
				doc := Document{Title: in.text[:min(len(in.text), 200)], Text: in.text}
				b.SetBytes(int64(len(doc.Text)))
				t0 := processCPUTime()
				for b.Loop() {
					a.Analyze(doc)
				}
				cpu := processCPUTime() - t0
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(doc.Text)), "ns/B")
				b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N)/float64(len(doc.Text)), "cpu-ns/B")
			})
		}
	}
}

// BenchmarkHostileCompare compares three articles that are each the same
// hostile input (with a different last word), at both sizes.
func BenchmarkHostileCompare(b *testing.B) {
	a := builtinAnalyzer(b)
	for _, n := range hostileSizes {
		for _, in := range hostileInputs(n) {
			b.Run(fmt.Sprintf("%s/%dKB", in.name, n/1000), func(b *testing.B) {
				articles := hostileEvent(a, in.text)
				b.SetBytes(int64(3 * len(in.text)))
				t0 := processCPUTime()
				for b.Loop() {
					Compare(articles)
				}
				cpu := processCPUTime() - t0
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(3*len(in.text)), "ns/B")
				b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N)/float64(3*len(in.text)), "cpu-ns/B")
			})
		}
	}
}

// hostileEvent is an event of three outlets printing the same hostile
// text, each with its own last words.
func hostileEvent(a *Analyzer, text string) []ComparedArticle {
	out := make([]ComparedArticle, 3)
	for i := range out {
		body := text + fmt.Sprintf(" Outlet %d ends here.", i+1)
		title := fmt.Sprintf("Headline %d", i+1)
		out[i] = ComparedArticle{ArticleID: int64(i + 1), Outlet: fmt.Sprintf("Outlet %d", i+1), Title: title, Text: body,
			Report: a.Analyze(Document{Title: title, Text: body})}
	}
	return out
}

// workOf analyses doc and returns the work units the analysis counted,
// and the allocations it made.
func workOf(t testing.TB, a *Analyzer, doc Document) (units int64, allocs float64) {
	t.Helper()
	allocs = testing.AllocsPerRun(1, func() {
		w := unstoppableWork()
		if _, err := a.analyze(w, doc); err != nil {
			t.Fatal(err)
		}
		units = w.done
	})
	return units, allocs
}

// compareWorkOf compares articles, aligning them with wt, and returns
// the work units and allocations.
func compareWorkOf(t testing.TB, articles []ComparedArticle, wt alignWeights) (units int64, allocs float64) {
	t.Helper()
	allocs = testing.AllocsPerRun(1, func() {
		w := unstoppableWork()
		if _, err := compare(w, articles, wt); err != nil {
			t.Fatal(err)
		}
		units = w.done
	})
	return units, allocs
}

// linearSlack is how much more than 4 times the work of 50 KB the work of
// 200 KB may be, for the fixed costs that the small size pays in a larger
// share; below the floors a count is a fixed cost, not growth (a slice
// that doubles allocates a few more times for four times the items).
const (
	linearSlack = 4.4
	workFloor   = 1000
	allocFloor  = 1000
)

// TestHostileInputsStayLinear analyses and compares every hostile input
// at 50 KB and 200 KB and checks that four times the text costs at most
// about four times the work and the allocations: counted, not timed, so
// the check holds on a busy machine.
func TestHostileInputsStayLinear(t *testing.T) {
	if testing.Short() {
		t.Skip("analyses 4 MB of hostile text")
	}
	a := builtinTestAnalyzer(t)
	small, large := hostileInputs(hostileSizes[0]), hostileInputs(hostileSizes[1])
	for i := range small {
		in := small[i]
		t.Run(in.name, func(t *testing.T) {
			u1, a1 := workOf(t, a, Document{Title: in.text[:min(len(in.text), 200)], Text: in.text})
			u2, a2 := workOf(t, a, Document{Title: large[i].text[:min(len(large[i].text), 200)], Text: large[i].text})
			t.Logf("analyze: work %d -> %d, allocations %.0f -> %.0f", u1, u2, a1, a2)
			checkLinear(t, "analysis work", float64(u1), float64(u2), workFloor)
			checkLinear(t, "analysis allocations", a1, a2, allocFloor)
			c1, ca1 := compareWorkOf(t, hostileEvent(a, in.text), defaultWeights)
			c2, ca2 := compareWorkOf(t, hostileEvent(a, large[i].text), defaultWeights)
			t.Logf("compare: work %d -> %d, allocations %.0f -> %.0f", c1, c2, ca1, ca2)
			checkLinear(t, "comparison work", float64(c1), float64(c2), workFloor)
			checkLinear(t, "comparison allocations", ca1, ca2, allocFloor)
		})
	}
}

func checkLinear(t testing.TB, what string, small, large, floor float64) {
	t.Helper()
	if large > linearSlack*max(small, floor) {
		t.Errorf("%s grows %.1f times for 4 times the text (%.0f -> %.0f)", what, large/max(small, 1), small, large)
	}
}

// FuzzWorkStaysLinear repeats any text to 2 KB and to 8 KB and checks
// that the analysis and the comparison of the longer do at most about
// four times the work of the shorter: a pattern that makes the work grow
// faster than the text fails here. Events this small align every pair of
// passages that share a word (up to maxExactPassages passages, a fixed
// bound); the comparison is checked with the bounded alignment that
// larger events get.
func FuzzWorkStaysLinear(f *testing.F) {
	for _, in := range hostileInputs(64) {
		f.Add(in.text)
	}
	a := testAnalyzer(f)
	f.Fuzz(func(t *testing.T, pattern string) {
		if pattern == "" {
			return
		}
		short, long := repeatTo(pattern, 2048), repeatTo(pattern, 8192)
		u1, a1 := workOf(t, a, Document{Text: short})
		u2, a2 := workOf(t, a, Document{Text: long})
		checkLinear(t, "analysis work", float64(u1), float64(u2), 200)
		checkLinear(t, "analysis allocations", a1, a2, 200)
		bounded := defaultWeights
		bounded.bounded = true
		c1, _ := compareWorkOf(t, hostileEvent(a, short), bounded)
		c2, _ := compareWorkOf(t, hostileEvent(a, long), bounded)
		checkLinear(t, "comparison work", float64(c1), float64(c2), 200)
	})
}

// BenchmarkHostileAgainstPlain analyses each hostile input at 200 KB in
// turn with 200 KB of plain words and reports the ratio of their CPU time
// ("x-plain"): what a hostile text costs next to an ordinary one of the
// same size, measured so that a busy machine weighs on both alike. Each
// turn analyses one text four times, so that little of the collector's
// work for one text falls in the other's turn.
func BenchmarkHostileAgainstPlain(b *testing.B) {
	a := builtinAnalyzer(b)
	inputs := hostileInputs(hostileSizes[1])
	plain := Document{Text: inputs[0].text}
	const turn = 4
	for _, in := range inputs[1:] {
		b.Run(in.name, func(b *testing.B) {
			doc := Document{Text: in.text}
			var plainCPU, hostileCPU time.Duration
			for b.Loop() {
				t0 := processCPUTime()
				for range turn {
					a.Analyze(plain)
				}
				t1 := processCPUTime()
				for range turn {
					a.Analyze(doc)
				}
				t2 := processCPUTime()
				plainCPU += t1 - t0
				hostileCPU += t2 - t1
			}
			b.ReportMetric(float64(hostileCPU)/float64(plainCPU), "x-plain")
		})
	}
}
