package analysis

import (
	"fmt"
	"strings"
	"testing"

	"slant/demo"
)

// alignBenchEvent is six 1,000-word articles cut from the demo event's
// texts, each starting at a different sentence, so that they share much
// of their content in a different order, as outlets do.
func alignBenchEvent(b *testing.B) []ComparedArticle {
	b.Helper()
	ev, err := demo.Load()
	if err != nil {
		b.Fatal(err)
	}
	a := testAnalyzer(b)
	var sentences []string
	for _, art := range ev.Articles {
		for _, p := range strings.Split(art.Text, "\n\n") {
			for _, s := range plainSentences(p) {
				sentences = append(sentences, p[s.Start:s.End])
			}
		}
	}
	var out []ComparedArticle
	for i := range 6 {
		var text strings.Builder
		words := 0
		for k := i * 7; words < 1000; k++ {
			s := sentences[k%len(sentences)]
			words += len(strings.Fields(s))
			text.WriteString(s)
			if k%4 == 3 {
				text.WriteString("\n\n")
			} else {
				text.WriteString(" ")
			}
		}
		t := text.String()
		out = append(out, ComparedArticle{ArticleID: int64(i + 1), Outlet: fmt.Sprintf("Outlet %d", i+1), Text: t, Report: a.Analyze(Document{Text: t})})
	}
	return out
}

// BenchmarkAlignContent times the content alignment of an event of six
// 1,000-word articles; the whole comparison has 50 ms on one core.
func BenchmarkAlignContent(b *testing.B) {
	articles := alignBenchEvent(b)
	b.ReportAllocs()
	for b.Loop() {
		alignContent(articles)
	}
}

// BenchmarkCompareSources times the source comparison of the same event.
func BenchmarkCompareSources(b *testing.B) {
	articles := alignBenchEvent(b)
	b.ReportAllocs()
	for b.Loop() {
		compareSources(articles)
	}
}
