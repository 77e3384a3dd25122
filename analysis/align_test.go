package analysis

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// bridgeEvent is a small invented event: three outlets report a bridge
// closure; each adds something the others leave out.
func bridgeEvent(t testing.TB) []ComparedArticle {
	t.Helper()
	a := testAnalyzer(t)
	texts := []struct{ outlet, text string }{
		{"Alpha Times", "The Elm Street bridge will close on Monday for repairs costing $4.2 million, the county said. " +
			"Drivers will be detoured via Oak Avenue for six weeks while the deck is rebuilt.\n\n" +
			"Inspectors found cracks in two support beams last spring, which led to the repair plan."},
		{"Beta Post", "Repairs to the Elm Street bridge, costing $4.2 million, will close it from Monday, county officials said.\n\n" +
			"Drivers face a six-week detour along Oak Avenue while the deck is rebuilt. " +
			"Shop owners near the bridge fear losing customers during the closure, and the Riverside Chamber of Commerce asked for a shorter schedule.\n\n" +
			"Related News\nShare this"},
		{"Gamma Ledger", "The county will shut the Elm Street bridge on Monday for $4.2 million in repairs. " +
			"Inspectors found cracks in two support beams last spring. " +
			"Cyclists will be allowed to cross on a temporary walkway 3 metres wide during the works."},
	}
	var out []ComparedArticle
	for i, x := range texts {
		out = append(out, ComparedArticle{ArticleID: int64(i + 1), Outlet: x.outlet, Text: x.text, Report: a.Analyze(Document{Text: x.text})})
	}
	return out
}

// unitWith returns the first unit with a member passage that contains
// words.
func unitWith(t *testing.T, c ContentComparison, articles []ComparedArticle, words string) ContentUnit {
	t.Helper()
	text := map[string]string{}
	for _, a := range articles {
		text[a.Outlet] = a.Text
	}
	for _, u := range c.Units {
		for _, m := range u.Members {
			for _, s := range m.Spans {
				if strings.Contains(text[m.Outlet][s.Start:s.End], words) {
					return u
				}
			}
		}
	}
	t.Fatalf("no unit holds %q", words)
	return ContentUnit{}
}

func TestAlignContent(t *testing.T) {
	articles := bridgeEvent(t)
	c := alignContent(articles)
	assert.Equal(t, AlignThreshold, c.Threshold)
	require.Len(t, c.Outlets, 3)
	assert.Equal(t, []string{"Alpha Times", "Beta Post", "Gamma Ledger"}, []string{c.Outlets[0].Outlet, c.Outlets[1].Outlet, c.Outlets[2].Outlet})

	closing := unitWith(t, c, articles, "will close on Monday")
	assert.Equal(t, []string{"Alpha Times", "Beta Post", "Gamma Ledger"}, closing.Outlets, "all three report the closure")
	assert.Equal(t, []string{"Alpha Times", "Beta Post"}, unitWith(t, c, articles, "Drivers will be detoured").Outlets)
	assert.Equal(t, []string{"Alpha Times", "Gamma Ledger"}, unitWith(t, c, articles, "Inspectors found cracks in two support beams last spring, which").Outlets)
	shops := unitWith(t, c, articles, "Shop owners")
	assert.Equal(t, []string{"Beta Post"}, shops.Outlets)
	cyclists := unitWith(t, c, articles, "Cyclists")
	assert.Equal(t, []string{"Gamma Ledger"}, cyclists.Outlets)

	alpha, beta, gamma := c.Outlets[0], c.Outlets[1], c.Outlets[2]
	assert.Empty(t, alpha.OnlyHere, "Alpha reports nothing the others leave out")
	assert.Equal(t, []int{shops.Index}, beta.OnlyHere)
	assert.Equal(t, []int{cyclists.Index}, gamma.OnlyHere)
	assert.Subset(t, alpha.LeftOut, []int{shops.Index, cyclists.Index})
	assert.Equal(t, 1, beta.Unique)
	assert.Equal(t, beta.Units, beta.Shared+beta.Unique)
	assert.Greater(t, beta.UniqueShare, 0.0)
	assert.Less(t, beta.UniqueShare, 1.0)
	require.Len(t, beta.UniqueSpans, 1)
	assert.True(t, strings.HasPrefix(articles[1].Text[beta.UniqueSpans[0].Start:], "Shop owners"))
	assert.Contains(t, beta.UniqueTerms, "Riverside")
	assert.Contains(t, gamma.UniqueTerms, "3")
	assert.Contains(t, c.Summary[1], "Beta Post has 1 part that no other outlet has: 43% of what it says. The main one: “")

	// Page furniture ("Related News", "Share this") is no content.
	for _, u := range c.Units {
		assert.NotContains(t, u.Text, "Related News")
		assert.NotContains(t, u.Text, "Share this")
	}
	// Every member span is a passage of its outlet's text; shared
	// members carry the similarity that aligned them.
	byOutlet := map[string]string{}
	for _, a := range articles {
		byOutlet[a.Outlet] = a.Text
	}
	for _, u := range c.Units {
		assert.NotEmpty(t, u.Terms)
		for _, m := range u.Members {
			checkSpans(t, byOutlet[m.Outlet], m.Spans, "unit member")
			if len(u.Outlets) > 1 {
				assert.GreaterOrEqual(t, m.Similarity, AlignThreshold, "unit %d, %s", u.Index, m.Outlet)
			} else {
				assert.Zero(t, m.Similarity)
			}
		}
	}
	for i := 1; i < len(c.Units); i++ {
		assert.GreaterOrEqual(t, c.Units[i-1].Weight, c.Units[i].Weight, "units heaviestFeatures first")
	}

	// The input order does not matter.
	assert.Equal(t, c, alignContent([]ComparedArticle{articles[2], articles[0], articles[1]}))
}

func TestAlignContentDuplicatesCountOnce(t *testing.T) {
	a := testAnalyzer(t)
	repeated := "The Elm Street bridge will close on Monday for repairs costing $4.2 million.\n" +
		"Key Takeaways\n" +
		"The Elm Street bridge will close on Monday for repairs costing $4.2 million.\n" +
		"Cyclists will be allowed to cross on a temporary walkway during the works."
	other := "Repairs to the Elm Street bridge, costing $4.2 million, will close it from Monday, officials said."
	c := alignContent([]ComparedArticle{
		{ArticleID: 1, Outlet: "Echo", Text: repeated, Report: a.Analyze(Document{Text: repeated})},
		{ArticleID: 2, Outlet: "Foxtrot", Text: other, Report: a.Analyze(Document{Text: other})},
	})
	echo := c.Outlets[0]
	assert.Equal(t, 2, echo.Units, "the repeated sentence is one piece of content")
	assert.Equal(t, 1, echo.Shared)
	assert.Equal(t, 1, echo.Unique)
	closing := c.Units[0]
	require.Equal(t, []string{"Echo", "Foxtrot"}, closing.Outlets)
	assert.Len(t, closing.Members[0].Spans, 2, "both copies are marked")
}

func TestAlignContentEdgeCases(t *testing.T) {
	empty := alignContent(nil)
	assert.NotNil(t, empty.Outlets)
	assert.NotNil(t, empty.Units)
	assert.NotNil(t, empty.Summary)

	// Articles without text, or whose report holds no sentences, still
	// align: the first contributes nothing, the second is split plainly.
	text := "The Elm Street bridge will close on Monday for repairs costing $4.2 million. Cyclists will be allowed to cross on a temporary walkway."
	c := alignContent([]ComparedArticle{
		{ArticleID: 1, Outlet: "Blank"},
		{ArticleID: 2, Outlet: "No report", Text: text},
		// A report made from another text must not send offsets astray.
		{ArticleID: 3, Outlet: "Stale", Text: "Short text here.", Report: Report{Sentences: []SentenceVerdict{{Start: 0, End: 500}}}},
	})
	require.Len(t, c.Outlets, 3)
	assert.Zero(t, c.Outlets[0].Units)
	assert.Equal(t, 2, c.Outlets[1].Units)
	for _, u := range c.Units {
		for _, m := range u.Members {
			assert.Equal(t, "No report", m.Outlet)
			checkSpans(t, text, m.Spans, "member")
		}
	}
}

func TestGroupSentences(t *testing.T) {
	text := "There will be no invasion. It is off the table, absolutely off the table, for the government.\nRelated News\nA long sentence about the bridge repairs and the detour on Oak Avenue."
	spans := plainSentences(text)
	groups := groupSentences(text, tokenize(text, nil), spans)
	var got []string
	for _, g := range groups {
		got = append(got, text[g.span.Start:g.span.End])
	}
	assert.Equal(t, []string{
		"There will be no invasion. It is off the table, absolutely off the table, for the government.",
		"Related News",
		"A long sentence about the bridge repairs and the detour on Oak Avenue.",
	}, got, "a short sentence joins the next on its line; a short line stays alone (and is dropped later)")
}

// TestAlignThresholdOnLabels guards the measured threshold: on the demo
// event's hand-labelled pairs the pair decision and the "only in this
// outlet" verdict must stay near what was measured (F1 0.72 and accuracy
// 0.84 at 0.15 when the threshold was chosen).
func TestAlignThresholdOnLabels(t *testing.T) {
	ev := demoEvent(t)
	sims, gold, passages, goldShared := ev.pairScores(defaultWeights)
	p, r, f := prf(sims, gold, AlignThreshold)
	acc := ev.sharedAccuracy(defaultWeights, AlignThreshold, passages, goldShared)
	t.Logf("demo at %.2f: precision %.2f, recall %.2f, F1 %.2f, shared accuracy %.2f", AlignThreshold, p, r, f, acc)
	assert.GreaterOrEqual(t, f, 0.65)
	assert.GreaterOrEqual(t, acc, 0.8)
}
