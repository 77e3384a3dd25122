package analysis

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// maxReadingGrade is the Flesch-Kincaid grade every text a student reads
// about a flag must reach or stay below: grade 8, about 14 years old.
const maxReadingGrade = 8.0

// TestLexiconReadsAtGrade8 holds every built-in reason, every category
// description and every entry's alternatives to Flesch-Kincaid grade 8,
// and lists every text that fails. Alternatives are short phrases, on which
// the formula means little (one five-syllable word is "grade 44"), so they
// are measured as the popover shows them: after the reason, as "Try
// instead: a, b, c." The grades are logged, for docs/quality.md.
func TestLexiconReadsAtGrade8(t *testing.T) {
	lex, err := BuiltinLexicon()
	require.NoError(t, err)
	var fails []string
	var reasons []float64
	for _, c := range lex.Categories() {
		if g := fleschKincaid(c.Description); g > maxReadingGrade {
			fails = append(fails, fmt.Sprintf("%s (description): grade %.1f: %s", c.Name, g, c.Description))
		}
		for _, e := range c.Entries {
			g := fleschKincaid(e.Reason)
			reasons = append(reasons, g)
			if g > maxReadingGrade {
				fails = append(fails, fmt.Sprintf("%s/%s reason: grade %.1f: %s", c.Name, e.Term, g, e.Reason))
			}
			card := popoverCard(e)
			if g := fleschKincaid(card); g > maxReadingGrade {
				fails = append(fails, fmt.Sprintf("%s/%s reason and alternatives: grade %.1f: %s", c.Name, e.Term, g, card))
			}
		}
	}
	slices.Sort(reasons)
	n := len(reasons)
	sum := 0.0
	for _, g := range reasons {
		sum += g
	}
	t.Logf("reasons: %d, grade mean %.1f, median %.1f, 90th percentile %.1f, highest %.1f",
		n, sum/float64(n), reasons[n/2], reasons[n*9/10], reasons[n-1])
	for _, f := range fails {
		t.Error(f)
	}
}

// popoverCard is what a student reads about a flag: the reason, then the
// alternatives the way the popover lists them.
func popoverCard(e Entry) string {
	if len(e.Alternatives) == 0 {
		return e.Reason
	}
	return e.Reason + " Try instead: " + strings.Join(e.Alternatives, ", ") + "."
}
