package analysis

import (
	"fmt"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"slant/demo"
)

// thousandWords builds a 1,000-word article from the demo event's three
// texts (neutral and slanted), so the benchmark sees realistic density.
func thousandWords(b *testing.B) string {
	b.Helper()
	ev, err := demo.Load()
	if err != nil {
		b.Fatal(err)
	}
	var words []string
	for len(words) < 1000 {
		for _, a := range ev.Articles {
			words = append(words, strings.Fields(a.Text)...)
		}
	}
	return strings.Join(words[:1000], " ")
}

func builtinAnalyzer(b *testing.B) *Analyzer {
	b.Helper()
	lex, err := BuiltinLexicon()
	if err != nil {
		b.Fatal(err)
	}
	a, err := NewAnalyzer(lex)
	if err != nil {
		b.Fatal(err)
	}
	return a
}

// BenchmarkAnalyze measures the full per-article analysis of a 1,000-word
// article: tokens, quotations, matching, sentences and scores.
func BenchmarkAnalyze(b *testing.B) {
	a := builtinAnalyzer(b)
	doc := Document{Title: "Council votes to close the camp", Text: thousandWords(b)}
	b.SetBytes(int64(len(doc.Text)))
	b.ReportAllocs()
	for b.Loop() {
		a.Analyze(doc)
	}
}

// BenchmarkAnalyzeModel measures the analysis of the same article with and
// without the sentence model: the model's share of the time is
// 1 - without/with (issue 16 holds it to a quarter).
func BenchmarkAnalyzeModel(b *testing.B) {
	a := builtinAnalyzer(b)
	doc := Document{Title: "Council votes to close the camp", Text: thousandWords(b)}
	for _, c := range []struct {
		name string
		a    *Analyzer
	}{{"with", a}, {"without", a.WithSentenceModel(nil)}} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(doc.Text)))
			b.ReportAllocs()
			for b.Loop() {
				c.a.Analyze(doc)
			}
		})
	}
}

// BenchmarkModelShare alternates the analysis with and without the model
// on the same article, so that load from other processes falls on both
// alike, and reports the model's share of the time (model-share, issue 16
// holds it under 0.25) and the bytes each analysis allocates with it.
func BenchmarkModelShare(b *testing.B) {
	a := builtinAnalyzer(b)
	bare := a.WithSentenceModel(nil)
	doc := Document{Title: "Council votes to close the camp", Text: thousandWords(b)}
	// CPU time of this thread, not wall time: other processes on a shared
	// machine take wall time from both sides unevenly, never CPU time.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	cpu := func() time.Duration {
		var ru syscall.Rusage
		if err := syscall.Getrusage(rusageThread, &ru); err != nil {
			b.Fatal(err)
		}
		return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	var with, without time.Duration
	timed := func(an *Analyzer) time.Duration {
		t0 := cpu()
		an.Analyze(doc)
		return cpu() - t0
	}
	b.ReportAllocs()
	// Each goes first every other round, so neither gains from the
	// other's warm caches.
	for i := 0; b.Loop(); i++ {
		if i%2 == 0 {
			with += timed(a)
			without += timed(bare)
		} else {
			without += timed(bare)
			with += timed(a)
		}
	}
	b.ReportMetric(1-float64(without)/float64(with), "model-share")
	b.ReportMetric(float64(with.Microseconds())/float64(b.N), "µs-cpu-with")
	b.ReportMetric(float64(without.Microseconds())/float64(b.N), "µs-cpu-without")
}

// rusageThread is Linux's RUSAGE_THREAD: the calling thread's usage.
const rusageThread = 1

// BenchmarkAnalyzeStages splits the time between the stages, to show where
// optimisation would pay.
func BenchmarkAnalyzeStages(b *testing.B) {
	a := builtinAnalyzer(b)
	text := thousandWords(b)
	b.Run("tokenize", func(b *testing.B) {
		b.SetBytes(int64(len(text)))
		for b.Loop() {
			tokenize(text, a.stems)
		}
	})
	b.Run("sentences", func(b *testing.B) {
		b.SetBytes(int64(len(text)))
		for b.Loop() {
			a.sentenceSpans(text)
		}
	})
	tokens := tokenize(text, a.stems)
	b.Run("match", func(b *testing.B) {
		b.SetBytes(int64(len(text)))
		for b.Loop() {
			a.lexicon.matcher.findAll(text, tokens, startsLexicon, inLexicon, true, nil)
		}
	})
}

// sixOutletEvent is an event of six 1,000-word articles cut from the demo
// event's sentences, each outlet starting at a different sentence so the
// six overlap in part, as real coverage does, with paragraphs kept for the
// alignment to work on. The comparison benchmarks all use it.
func sixOutletEvent(b *testing.B) []ComparedArticle {
	b.Helper()
	ev, err := demo.Load()
	if err != nil {
		b.Fatal(err)
	}
	a := builtinAnalyzer(b)
	var sentences []string
	for _, art := range ev.Articles {
		for _, p := range strings.Split(art.Text, "\n\n") {
			for _, s := range plainSentences(p) {
				sentences = append(sentences, p[s.Start:s.End])
			}
		}
	}
	const title = "Council votes to close the camp"
	out := make([]ComparedArticle, 6)
	for i := range out {
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
		body := text.String()
		out[i] = ComparedArticle{ArticleID: int64(i + 1), Outlet: fmt.Sprintf("Outlet %d", i+1), Title: title, Text: body,
			Report: a.Analyze(Document{Title: title, Text: body})}
	}
	return out
}

// BenchmarkCompare measures the comparison of an event of six outlets of
// 1,000 words each, with the reports made beforehand: ranking, frames,
// sources, content alignment, labels, tone and the summary.
func BenchmarkCompare(b *testing.B) {
	articles := sixOutletEvent(b)
	b.ReportAllocs()
	for b.Loop() {
		Compare(articles)
	}
}
