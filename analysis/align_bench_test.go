package analysis

import (
	"testing"
)

// BenchmarkAlignContent times the content alignment of an event of six
// 1,000-word articles; the whole comparison has 50 ms on one core.
func BenchmarkAlignContent(b *testing.B) {
	articles := sixOutletEvent(b)
	b.ReportAllocs()
	for b.Loop() {
		alignContent(articles)
	}
}

// BenchmarkCompareSources times the source comparison of the same event.
func BenchmarkCompareSources(b *testing.B) {
	articles := sixOutletEvent(b)
	b.ReportAllocs()
	for b.Loop() {
		compareSources(articles, nil)
	}
}
