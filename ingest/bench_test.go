package ingest

import (
	"fmt"
	"strings"
	"testing"
)

// benchText builds a long paste: many distinct paragraphs, each followed
// by a near copy, with furniture sprinkled in.
func benchText(paragraphs int) string {
	var b strings.Builder
	b.WriteString("Ferry strike halts crossings\n\n")
	for i := 0; i < paragraphs; i++ {
		p := fmt.Sprintf("The %d crews on route %d walked out over rest breaks and the operator said talks would resume on day %d.", i, i*7, i%30)
		b.WriteString(p + "\n")
		if i%5 == 0 {
			b.WriteString(strings.Replace(p, "walked out", "went on strike", 1) + "\n")
			b.WriteString("Share this article\n")
		}
		b.WriteString("\n")
	}
	return b.String()
}

func BenchmarkClean(b *testing.B) {
	for _, n := range []int{50, 2000} {
		text := benchText(n)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				Clean(text)
			}
		})
	}
}

func BenchmarkExtract(b *testing.B) {
	page := readFixture(b, "news.html")
	b.SetBytes(int64(len(page)))
	for b.Loop() {
		if _, err := (ReadabilityExtractor{}).Extract(page, nil); err != nil {
			b.Fatal(err)
		}
	}
}
