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
