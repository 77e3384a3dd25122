package ingest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slant/internal/workspace"
)

// readSeed returns a seed article from the shared folder, skipping the test
// when the folder is absent.
func readSeed(t *testing.T, name string) string {
	t.Helper()
	dir := workspace.Require(t, "seeds")
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Skipf("skipping: seed %s unreadable: %v", name, err)
	}
	return string(b)
}

// bodyParagraphs returns the seed's lines of twenty words or more: the
// story's paragraphs, which must all survive cleaning exactly once.
func bodyParagraphs(text string) []string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if len(strings.Fields(l)) >= 20 {
			out = append(out, strings.TrimSpace(l))
		}
	}
	return out
}

// linesAfter returns the non-blank lines following the line equal to
// heading.
func linesAfter(text, heading string) []string {
	var out []string
	found := false
	for _, l := range strings.Split(text, "\n") {
		l = strings.TrimSpace(l)
		if found && l != "" {
			out = append(out, l)
		}
		if l == heading {
			found = true
		}
	}
	return out
}

func assertFurnitureGone(t *testing.T, c Cleaned, items []string) {
	t.Helper()
	for _, f := range items {
		assert.NotContains(t, c.Text, f, "furniture %q must be dropped", f)
	}
}

func TestSeedOutletA(t *testing.T) {
	raw := readSeed(t, "outlet-a_t4k3-news.txt")
	c := Clean(raw)
	checkCleanInvariants(t, raw, c)
	all := c.Title + "\n" + c.Text

	// Page furniture listed in EXPECTATIONS.md.
	assertFurnitureGone(t, c, []string{"T4K3.news", "Key Takeaways", "Highlights", "Enjoyed this?", "Let your friends know", "Related News"})
	related := linesAfter(raw, "Related News")
	require.NotEmpty(t, related)
	assertFurnitureGone(t, c, related)

	// The headline and the standfirst, printed twice, count once.
	require.NotEmpty(t, c.Title)
	assert.Equal(t, 1, strings.Count(all, c.Title), "headline once")
	assert.Equal(t, 1, strings.Count(all, "Mexico rejects invasion"), "standfirst once")

	// The Key Takeaways quotes appear once each, with their punctuation;
	// the unpunctuated Highlights copies are gone.
	for _, q := range []string{"there will be no invasion", "absolutely off the table", "next logical step", "very serious consequences", "to now target what"} {
		assert.Equal(t, 1, strings.Count(strings.ToLower(c.Text), q), "quote content %q once", q)
	}
	for _, l := range linesAfter(raw, "Highlights")[:4] {
		assert.NotContains(t, c.Text, l)
	}

	// Every body paragraph stays, exactly once; distinctive phrases too.
	paras := bodyParagraphs(raw)
	require.GreaterOrEqual(t, len(paras), 4)
	for _, p := range paras {
		assert.Equal(t, 1, strings.Count(c.Text, p), "body paragraph kept once: %.60q", p)
	}
	for _, p := range []string{"Mérida Initiative", "Farfan-Mendez", "Jack Riley", "Analysts note", "Diplomatic risk and legal questions"} {
		assert.Equal(t, 1, strings.Count(c.Text, p), "phrase %q once", p)
	}
	logRemoved(t, c)
}

func TestSeedOutletB(t *testing.T) {
	raw := readSeed(t, "outlet-b_newszed.txt")
	c := Clean(raw)
	checkCleanInvariants(t, raw, c)

	assertFurnitureGone(t, c, []string{
		"Neszed-Mobile-header-logo", "Sunday, August 10, 2025", "Newszed-Header-Logo",
		"HomeGlobal Economy", "2025 08 08 12 33 57", "Loading recommendations", "Source link",
		"RELATED ARTICLES", "LEAVE A REPLY", "Please enter your comment!",
		"Please enter your name here", "Most Popular", "Recent Comments",
	})

	// The headline is found and not repeated in the text (the breadcrumb
	// that also carried it is gone).
	assert.Contains(t, c.Title, "Kinetic Operations")
	assert.NotContains(t, c.Text, "Kinetic Operations")

	paras := bodyParagraphs(raw)
	require.GreaterOrEqual(t, len(paras), 10)
	for _, p := range paras {
		assert.Equal(t, 1, strings.Count(c.Text, p), "body paragraph kept once: %.60q", p)
	}
	for _, p := range []string{"Cartel de los Soles", "100,000 American lives", "hybrid warfare", "Arturo Rocha", "more from NYT", "for some reason"} {
		assert.Equal(t, 1, strings.Count(c.Text, p), "phrase %q once", p)
	}
	logRemoved(t, c)
}

func logRemoved(t *testing.T, c Cleaned) {
	t.Helper()
	t.Logf("title: %q; %d lines removed", c.Title, len(c.Removed))
	for _, r := range c.Removed {
		t.Logf("  line %2d %-45.45q %s", r.Line, r.Text, r.Why)
	}
}
