package analysis

import (
	"fmt"
	"strings"
	"testing"

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
			a.lexicon.matcher.find(text, tokens)
		}
	})
}

// BenchmarkCompare measures the comparison of an event of six outlets of
// 1,000 words each, with the reports made beforehand: ranking, frames,
// sources, content alignment, labels, tone and the summary.
func BenchmarkCompare(b *testing.B) {
	a := builtinAnalyzer(b)
	ev, err := demo.Load()
	if err != nil {
		b.Fatal(err)
	}
	var words []string
	for _, art := range ev.Articles {
		words = append(words, strings.Fields(art.Text)...)
	}
	articles := make([]ComparedArticle, 6)
	for i := range articles {
		// Each outlet starts at a different place in the demo texts, so the
		// six articles overlap in part, as real coverage does.
		var text []string
		for j := 0; len(text) < 1000; j++ {
			text = append(text, words[(i*211+j)%len(words)])
		}
		body := strings.Join(text, " ")
		articles[i] = ComparedArticle{ArticleID: int64(i + 1), Outlet: fmt.Sprintf("Outlet %d", i+1), Text: body, Report: a.Analyze(Document{Text: body})}
	}
	b.ReportAllocs()
	for b.Loop() {
		Compare(articles)
	}
}
