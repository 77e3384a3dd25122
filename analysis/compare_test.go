package analysis

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRatioWords(t *testing.T) {
	tests := []struct {
		ratio float64
		want  string
	}{
		{1.0, "about as often as"},
		{1.5, "somewhat more often than"},
		{2.2, "about twice as often as"},
		{5.8, "about six times as often as"},
		{10.4, "about ten times as often as"},
		{12, "more than ten times as often as"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, ratioWords(tt.ratio), "ratio %v", tt.ratio)
	}
}

func TestCompare(t *testing.T) {
	a := testAnalyzer(t)
	neutral := a.Analyze(Document{Text: "The council met and voted on the plan. The mayor said it would pass."})
	mild := a.Analyze(Document{Text: "The council met. Critics slammed the plan, which the mayor claimed would work."})
	loaded := a.Analyze(Document{Text: "The regime turned the town into a crime-ridden hellhole. For some reason, open borders stayed. \"A hellhole,\" one said."})
	articles := []ComparedArticle{
		{ArticleID: 1, Outlet: "Plain Post", Report: neutral},
		{ArticleID: 2, Outlet: "Loud Ledger", Report: loaded},
		{ArticleID: 3, Outlet: "Middle Mail", Report: mild},
	}
	c := Compare(articles)
	require.Len(t, c.Outlets, 3)
	assert.Equal(t, []string{"Loud Ledger", "Middle Mail", "Plain Post"}, []string{c.Outlets[0].Outlet, c.Outlets[1].Outlet, c.Outlets[2].Outlet})
	assert.Equal(t, []int{1, 2, 3}, []int{c.Outlets[0].Rank, c.Outlets[1].Rank, c.Outlets[2].Rank})
	assert.Equal(t, []string{"labels", "verbs"}, c.Categories)
	top := c.Outlets[0].TopTerms
	require.NotEmpty(t, top)
	assert.Equal(t, "regime", top[0].Term, "strongest first, then most used, then text order")
	for _, u := range top {
		assert.NotEqual(t, 0, u.Count)
	}
	assert.Equal(t, "Loud Ledger uses the most loaded words when it speaks for itself: about 556 for every 1,000 words it wrote, with strong words counting more. Plain Post uses none in its own voice.", c.Summary[0])
	assert.Equal(t, "Loud Ledger's strongest loaded words are “regime”, “open borders” and “crime-ridden hellhole”.", c.Summary[1])
	assert.GreaterOrEqual(t, len(c.Summary), 3)
	assert.LessOrEqual(t, len(c.Summary), maxSummarySentences)
	assert.Equal(t, "Words in quotation marks are the words of the people quoted, so Slant counts them apart.", c.Summary[len(c.Summary)-1])

	// The input order must not change the output.
	reversed := Compare([]ComparedArticle{articles[2], articles[1], articles[0]})
	assert.Equal(t, c, reversed)
}

// TestCompareFormsAndQuotes: an entry written several ways is counted per
// form as written, and an outlet plain in its own voice whose quotations
// hold loaded words is not summed up as using none at all.
func TestCompareFormsAndQuotes(t *testing.T) {
	a := builtinTestAnalyzer(t)
	forms := a.Analyze(Document{Text: "The council rammed through the plan on Monday. " +
		"A week later the mayor bulldozed through a second vote. The budget was rammed through as well."})
	quotes := a.Analyze(Document{Text: "The council voted on the plan on Monday. " +
		"\"They rammed through a disgraceful plan,\" Ana Ruiz said. \"It is a disaster for the town,\" Bo Lind said."})
	require.Zero(t, quotes.Scores.OwnFindings, "the quoting article is plain in its own voice")
	require.NotZero(t, quotes.Scores.QuotedFindings)
	c := Compare([]ComparedArticle{
		{ArticleID: 1, Outlet: "Forms Daily", Report: forms},
		{ArticleID: 2, Outlet: "Quote Weekly", Report: quotes},
	})
	require.Len(t, c.Outlets, 2)
	var rammed *TermUse
	for i, u := range c.Outlets[0].TopTerms {
		if u.Term == "rammed through" {
			rammed = &c.Outlets[0].TopTerms[i]
		}
	}
	require.NotNil(t, rammed, "top terms: %+v", c.Outlets[0].TopTerms)
	assert.Equal(t, 3, rammed.Count)
	assert.Equal(t, []string{"rammed through", "bulldozed through"}, rammed.Examples, "the forms as written, in text order")
	assert.Equal(t, []int{2, 1}, rammed.ExampleCounts, "how often each form was written")
	for _, o := range c.Outlets {
		for _, u := range o.TopTerms {
			sum := 0
			for _, n := range u.ExampleCounts {
				sum += n
			}
			assert.Len(t, u.ExampleCounts, len(u.Examples))
			assert.Equal(t, u.Count, sum, "%s: the forms' counts add up to the term's", u.Term)
		}
	}

	assert.Equal(t, quotes.Scores.QuotedFindings, c.Outlets[1].QuotedFindings)
	assert.Contains(t, c.Summary[0], fmt.Sprintf("Quote Weekly uses none in its own voice (%d in the words it quotes).", quotes.Scores.QuotedFindings))
	assert.NotContains(t, strings.Join(c.Summary, " "), "none from Slant's word lists")

	// None loaded in their own voice, but quotes that are: said too.
	plain := a.Analyze(Document{Text: "The council voted on the plan on Monday. The mayor said it would pass."})
	both := Compare([]ComparedArticle{
		{ArticleID: 1, Outlet: "Plain Post", Report: plain},
		{ArticleID: 2, Outlet: "Quote Weekly", Report: quotes},
	})
	assert.Equal(t, fmt.Sprintf("None of the outlets uses a loaded word from Slant's word lists when it speaks for itself. The words they quote hold %d.",
		quotes.Scores.QuotedFindings), both.Summary[0])
	// Two outlets at none in their own voice, beside a loaded one: both
	// named, each with what it quotes.
	three := Compare([]ComparedArticle{
		{ArticleID: 1, Outlet: "Forms Daily", Report: forms},
		{ArticleID: 2, Outlet: "Plain Post", Report: plain},
		{ArticleID: 3, Outlet: "Quote Weekly", Report: quotes},
	})
	assert.Contains(t, three.Summary[0], fmt.Sprintf("Plain Post and Quote Weekly (%d in the words it quotes) use none in their own voice.", quotes.Scores.QuotedFindings))
	solo := Compare([]ComparedArticle{{Outlet: "Quote Weekly", Report: quotes}})
	assert.Contains(t, solo.Summary[0], fmt.Sprintf("Quote Weekly uses no loaded words from Slant's word lists when it speaks for itself (%d in the words it quotes).",
		quotes.Scores.QuotedFindings))
}

func TestCompareEdgeCases(t *testing.T) {
	assert.Equal(t, []string{"No articles have been added to this event yet."}, Compare(nil).Summary)
	a := testAnalyzer(t)
	one := Compare([]ComparedArticle{{Outlet: "Solo", Report: a.Analyze(Document{Text: "A regime."})}})
	assert.Contains(t, one.Summary[0], "Only Solo has been added so far")
}

func TestSummaryParts(t *testing.T) {
	sources := SourceComparison{
		Speakers: []ComparedSpeaker{
			{ID: "ana", Name: "Ana Ruiz", Outlets: []string{"A", "B"}},
			{ID: "bo", Name: "Bo Lind", Outlets: []string{"A"}},
		},
		Shared:  []string{"ana"},
		Outlets: []OutletSources{{Outlet: "A", Unique: []string{"bo"}}, {Outlet: "B"}},
	}
	assert.Equal(t, "Both outlets quote Ana Ruiz. Only A quotes or cites Bo Lind.", whoQuotesWhom(sources, 2))
	assert.Equal(t, "", whoQuotesWhom(SourceComparison{}, 2))

	content := ContentComparison{
		Units: []ContentUnit{{Text: "light", Weight: 1}, {Text: "The bridge cost 4 million dollars, the audit found.", Weight: 5}},
		Outlets: []OutletContent{
			{Outlet: "A", Unique: 2, UniqueShare: 0.5, OnlyHere: []int{0, 1}},
			{Outlet: "B", Unique: 1, UniqueShare: 0.2, OnlyHere: []int{0}},
			{Outlet: "C"},
		},
	}
	assert.Equal(t, "A has 2 parts that no other outlet has, such as “The bridge cost 4 million dollars, the audit found.” B has 1.", onlyOneCarries(content))

	frames := FrameComparison{Divergence: 0.25, Stressed: []StressedFrame{
		{Outlet: "A", Frame: "economic", Label: "Economic"}, {Outlet: "A", Frame: "political", Label: "Political"},
		{Outlet: "B", Frame: "morality", Label: "Morality"}}}
	assert.Equal(t, "A talks more than the others about money and about party politics. B talks more about right and wrong. "+
		"Their mix of angles is 0.25 apart, on a scale from 0 (the same) to 1 (nothing shared).", framesDiffer(frames))
	frames = FrameComparison{Divergence: 0.07, Outlets: []OutletFrames{{Outlet: "A"}, {Outlet: "B"}},
		Stressed: []StressedFrame{{Outlet: "B", Frame: "health-and-safety", Label: "Health and safety"}, {Outlet: "B", Frame: "political", Label: "Political"}}}
	assert.Equal(t, "B talks more than the other about health and safety, and about party politics. "+
		"Their mix of angles is 0.07 apart, on a scale from 0 (the same) to 1 (nothing shared).", framesDiffer(frames))
	assert.Equal(t, "The outlets tell the story from much the same angles: their mix of angles is 0.02 apart, on a scale from 0 (the same) to 1 (nothing shared).",
		framesDiffer(FrameComparison{Divergence: 0.02}))

	for x, want := range map[float64]string{0.4: "less than 1", 3.1: "about 3", 118.7: "about 119"} {
		assert.Equal(t, want, aboutIndex(x), "%v", x)
	}

	assert.Equal(t, "one two…", shorten("one two three four", 9))
	assert.Equal(t, "short", shorten("  short ", 9))
}
