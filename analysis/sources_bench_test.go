package analysis

import "testing"

// BenchmarkSources measures the source analysis alone on a 1,000-word
// article, from the tokens, quotations and sentences the analyzer makes.
func BenchmarkSources(b *testing.B) {
	a := testAnalyzer(b)
	text := thousandWords(b)
	tokens := tokenize(text, a.stems)
	quotes := findQuotes(text)
	sentences := a.sentenceSpans(text)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	var scratch sourceScratch
	for b.Loop() {
		a.sources(text, tokens, quotes, sentences, &scratch, nil)
	}
}
