package analysis

import (
	"bufio"
	"encoding/json"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"
	"unicode"

	"slant/demo"
	"slant/internal/workspace"
)

// The speed of the analysis is measured against the least a word-list
// tool can do: lower-case the text, split it on anything that is not a
// letter and look every word up in a map. BenchmarkSpeedAgainstBarePass
// runs both over the same articles in one run, a pass of the bare word
// count over the corpus and a pass of the analysis in turn, and reports
// the ratio of the CPU time the process spent on each ("x-bare"): how
// many bare passes one analysis costs. CPU time, not the clock, so that
// other programs on a shared machine do not weigh on one side. Run it on
// one core, where the collector's work counts too:
//
//	go test ./analysis -run '^$' -bench SpeedAgainstBarePass -cpu 1

// barePass is the baseline: the same words a naive loaded-word counter
// would read, one map lookup each. It returns the hits so that the
// compiler cannot drop the work.
func barePass(text string, words map[string]int) int {
	hits := 0
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) }) {
		hits += words[w]
	}
	return hits
}

// bareWords is the map the bare pass looks words up in: every word of
// every lexicon form, so that it is as large as the analyzer's own list.
func bareWords(a *Analyzer) map[string]int {
	words := map[string]int{}
	for _, c := range a.lexicon.categories {
		for _, e := range c.Entries {
			for _, form := range append([]string{e.Term}, e.Also...) {
				for _, w := range wordKeys(form, true) {
					words[w] = c.Severity
				}
			}
		}
	}
	return words
}

// demoDocs are the demo event's articles.
func demoDocs(b *testing.B) []Document {
	b.Helper()
	ev, err := demo.Load()
	if err != nil {
		b.Fatal(err)
	}
	var docs []Document
	for _, a := range ev.Articles {
		docs = append(docs, Document{Title: a.Title, Text: a.Text})
	}
	return docs
}

// basilDocs are the BASIL articles (216 news articles, three outlets on
// each of 72 events) from the shared folder; the benchmark is skipped,
// naming the folder, when they are not there.
func basilDocs(b *testing.B) []Document {
	b.Helper()
	f, err := os.Open(workspace.Require(b, "eval", "basil.jsonl"))
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	var docs []Document
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var rec struct{ Title, Text string }
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			b.Fatalf("basil.jsonl: %v", err)
		}
		docs = append(docs, Document{Title: rec.Title, Text: rec.Text})
	}
	if err := sc.Err(); err != nil {
		b.Fatalf("basil.jsonl: %v", err)
	}
	return docs
}

// BenchmarkSpeedAgainstBarePass reports, per corpus, the analysis time
// over the bare pass's ("x-bare"), the time of each per article, and the
// memory the analysis allocates per article.
func BenchmarkSpeedAgainstBarePass(b *testing.B) {
	a := builtinAnalyzer(b)
	words := bareWords(a)
	b.Run("demo", func(b *testing.B) { benchmarkAgainstBare(b, a, words, demoDocs(b)) })
	b.Run("basil", func(b *testing.B) { benchmarkAgainstBare(b, a, words, basilDocs(b)) })
}

func benchmarkAgainstBare(b *testing.B, a *Analyzer, words map[string]int, docs []Document) {
	bytes := 0
	for _, d := range docs {
		bytes += len(d.Title) + len(d.Text)
	}
	b.SetBytes(int64(bytes))
	var bare, full time.Duration
	var before, after runtime.MemStats
	sink := 0
	articles := 0
	for b.Loop() {
		t0 := processCPUTime()
		for _, d := range docs {
			sink += barePass(d.Title, words) + barePass(d.Text, words)
		}
		t1 := processCPUTime()
		for _, d := range docs {
			sink += len(a.Analyze(d).Findings)
		}
		t2 := processCPUTime()
		bare += t1 - t0
		full += t2 - t1
		articles += len(docs)
	}
	// Memory is counted over one extra round, outside the timed loop,
	// because reading the allocator's statistics stops the world.
	runtime.ReadMemStats(&before)
	for _, d := range docs {
		sink += len(a.Analyze(d).Findings)
	}
	runtime.ReadMemStats(&after)
	if sink < 0 {
		b.Fatal("unreachable")
	}
	b.ReportMetric(float64(full)/float64(bare), "x-bare")
	b.ReportMetric(float64(full.Nanoseconds())/float64(articles), "cpu-ns/article")
	b.ReportMetric(float64(bare.Nanoseconds())/float64(articles), "bare-cpu-ns/article")
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(len(docs)), "B/article")
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/float64(len(docs)), "allocs/article")
}
