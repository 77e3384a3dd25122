package analysis

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slant/internal/workspace"
)

// readSeed reads one of the two real articles the project started from
// (../shared/seeds). They are pasted text with page furniture still in.
func readSeed(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(workspace.Require(t, "seeds"), name))
	require.NoError(t, err)
	return string(data)
}

func builtinTestAnalyzer(t testing.TB) *Analyzer {
	t.Helper()
	lex, err := BuiltinLexicon()
	require.NoError(t, err)
	a, err := NewAnalyzer(lex)
	require.NoError(t, err)
	return a
}

// TestSeeds is the acceptance test from ../shared/seeds/EXPECTATIONS.md:
// the slanted outlet is several times as loaded as the neutral one, its
// key loaded terms are found and explained, and quoted words are the
// speaker's.
func TestSeeds(t *testing.T) {
	a := builtinTestAnalyzer(t)
	neutralText := readSeed(t, "outlet-a_t4k3-news.txt")
	slantedText := readSeed(t, "outlet-b_newszed.txt")
	neutral := a.Analyze(Document{Text: neutralText})
	slanted := a.Analyze(Document{Text: slantedText})
	t.Logf("outlet A loaded index %.2f (%d own findings), outlet B %.2f (%d own findings)",
		neutral.Scores.LoadedIndex, neutral.Scores.OwnFindings, slanted.Scores.LoadedIndex, slanted.Scores.OwnFindings)

	assert.GreaterOrEqual(t, slanted.Scores.LoadedIndex, 3*neutral.Scores.LoadedIndex,
		"outlet B's loaded index must be at least three times outlet A's")

	for _, want := range []string{"hellholes", "regime", "globalist", "nation-killing"} {
		f, ok := findingCovering(slanted, want)
		if !assert.True(t, ok, "outlet B: %q should be flagged", want) {
			continue
		}
		assert.False(t, f.InQuote, "%q is in the outlet's own voice", want)
		assert.NotEmpty(t, f.Reason, "%q needs a reason", want)
		assert.NotEmpty(t, f.Alternatives, "%q needs a neutral alternative", want)
	}

	// Sheinbaum's words in quotation marks belong to her, not to the outlet.
	quoted := 0
	for _, f := range slanted.Findings {
		if strings.Contains(quoteContaining(slanted, f.Start, slantedText), "ruled out") {
			assert.True(t, f.InQuote)
			quoted++
		}
	}
	for _, f := range neutral.Findings {
		if strings.Contains(quoteContaining(neutral, f.Start, neutralText), "no invasion") {
			assert.True(t, f.InQuote)
			quoted++
		}
	}
	assert.Positive(t, quoted, "at least one finding lies inside Sheinbaum's quoted words")

	for _, f := range neutral.Findings {
		if !f.InQuote {
			t.Logf("outlet A own-voice flag: %q (%s, severity %d)", f.Text, f.Category, f.Severity)
		}
	}
}

// findingCovering returns the finding whose text contains want
// (case-insensitively): "regime" may be flagged as part of a longer
// phrase.
func findingCovering(r Report, want string) (Finding, bool) {
	for _, f := range r.Findings {
		if strings.Contains(strings.ToLower(f.Text), want) {
			return f, true
		}
	}
	return Finding{}, false
}

func quoteContaining(r Report, offset int, text string) string {
	for _, q := range r.Quotes {
		if q.Start <= offset && offset < q.End {
			return text[q.Start:q.End]
		}
	}
	return ""
}
