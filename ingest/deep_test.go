package ingest

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// deepPage nests a story inside depth elements opened by open (each with
// a word of its own text), closing none of them.
func deepPage(open string, depth int) string {
	return "<html><head><title>Ferry strike halts crossings</title></head><body>" +
		strings.Repeat(open+"wrapper ", depth) +
		"<p>" + para1 + "</p><p>" + para2 + "</p><p>" + para3 + "</p>"
}

// TestExtractDeepPages reads pages nested far deeper than the HTML parser
// takes (512 elements): flattened, their story comes out whole, one
// paragraph a line. Before, they failed with a 500.
func TestExtractDeepPages(t *testing.T) {
	for _, tc := range []struct {
		name string
		page string
	}{
		{"600 divs", deepPage("<div>", 600)},
		{"20,000 divs", deepPage("<div>", 20_000)},
		{"5,000 bold", deepPage("<b>", 5_000)},
		{"2,000 tables", deepPage("<table><tr><td>", 2_000)},
		{"2,000 self-closing divs", deepPage("<div/>", 2_000)},
		{"2,000 sections and spans", deepPage("<section><span>", 2_000)},
		{"500 divs, under the parser's limit", deepPage("<div>", 500)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, err := ReadabilityExtractor{}.Extract([]byte(tc.page), nil)
			require.NoError(t, err)
			for _, p := range []string{para1, para2, para3} {
				assert.Contains(t, strings.Split(a.Text, "\n"), p, "each paragraph whole, on a line of its own")
			}
		})
	}
}

// TestFlattenKeepsShallowPagesAsSent checks that a page that nests no
// deeper than maxNesting is parsed byte for byte as sent.
func TestFlattenKeepsShallowPagesAsSent(t *testing.T) {
	page := readFixture(t, "news.html")
	assert.Equal(t, string(page), string(flatten(page, maxNesting, nil)))
	shallow := deepPage("<div>", maxNesting-10)
	assert.Equal(t, shallow, string(flatten([]byte(shallow), maxNesting, nil)))
}

// TestFlattenDropsCodeWithItsTag checks that a script or style opened
// beyond the limit goes with its content instead of becoming text.
func TestFlattenDropsCodeWithItsTag(t *testing.T) {
	page := strings.Repeat("<div>", 700) + "<script>alert('deep')</script><style>p{color:red}</style><p>" + para1 + "</p>"
	a, err := ReadabilityExtractor{}.Extract([]byte(page), nil)
	require.NoError(t, err)
	assert.Contains(t, a.Text, para1)
	assert.NotContains(t, a.Text, "alert")
	assert.NotContains(t, a.Text, "color")
}

// TestExtractRefusesUnreadablePages checks that a page the parser refuses
// even flattened is ErrUnreadablePage, which the API answers 422. Here
// every paragraph leaves four formatting elements open, which the parser
// opens again in the next paragraph, without any tag nesting deeply.
func TestExtractRefusesUnreadablePages(t *testing.T) {
	var b strings.Builder
	for i := range 400 {
		fmt.Fprintf(&b, "<p><b id=%d><i id=%d><u id=%d><s id=%d>word</p>", i, i, i, i)
	}
	_, err := ReadabilityExtractor{}.Extract([]byte("<html><body>"+b.String()), nil)
	require.Error(t, err)
	assert.True(t, errors.Is(err, ErrUnreadablePage), "got %v", err)
}

// TestDeepPageFuzzSeed checks that the fuzz corpus holds a page deeper
// than the parser takes, so that FuzzExtract starts from one.
func TestDeepPageFuzzSeed(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "fuzz", "FuzzExtract", "deep-divs"))
	require.NoError(t, err)
	assert.Greater(t, strings.Count(string(b), "<div>"), 512)
}
