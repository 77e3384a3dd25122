package analysis

import (
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// seedArticles reads and analyses the two seed articles (skipping when
// ../shared is absent), outlet A first.
func seedArticles(t *testing.T) []ComparedArticle {
	t.Helper()
	a := testAnalyzer(t)
	var out []ComparedArticle
	for i, f := range []string{"outlet-a_t4k3-news.txt", "outlet-b_newszed.txt"} {
		text := readSeed(t, f)
		out = append(out, ComparedArticle{ArticleID: int64(i + 1), Outlet: []string{"A", "B"}[i], Text: text, Report: a.Analyze(Document{Text: text})})
	}
	return out
}

// speakerNamed finds the speaker whose name ends with surname.
func speakerNamed(p SourceProfile, surname string) (Speaker, bool) {
	for _, s := range p.Speakers {
		if strings.HasSuffix(s.Name, surname) {
			return s, true
		}
	}
	return Speaker{}, false
}

func sourcesOfType(p SourceProfile, sourceType string) []string {
	var out []string
	for _, at := range p.Attributions {
		if at.SourceType == sourceType {
			out = append(out, at.Source)
		}
	}
	return out
}

// TestSeedsSources checks ../shared/seeds/EXPECTATIONS.md, "Sources and
// attribution".
func TestSeedsSources(t *testing.T) {
	articles := seedArticles(t)
	a, b := articles[0].Report.Sources, articles[1].Report.Sources
	checkSourceProfile(t, articles[0].Text, a)
	checkSourceProfile(t, articles[1].Text, b)

	// A quotes four named people, three of them in pull quotes whose
	// speaker stands on the line below.
	assert.Equal(t, 4, a.NamedSources)
	for _, name := range []string{"Claudia Sheinbaum", "Rubio", "Jack Riley", "Farfan-Mendez"} {
		s, ok := speakerNamed(a, name)
		if assert.True(t, ok, "A quotes %s", name) {
			assert.Equal(t, KindPerson, s.Kind)
			assert.Positive(t, s.Quotes, "%s is quoted directly", name)
		}
	}
	if s, ok := speakerNamed(a, "Sheinbaum"); ok {
		assert.Equal(t, "Claudia Sheinbaum", s.Name, "the caption's surname is the president named in full earlier")
		assert.Equal(t, "Mexico's president", s.Role)
	}
	assert.Equal(t, []string{"Supporters", "Critics", "Analysts"}, sourcesOfType(a, SourceGroup))
	assert.Zero(t, a.UnattributedQuotes)

	// B quotes Sheinbaum and Rocha, relays the New York Times, cites
	// anonymous sources and an unattributed belief.
	assert.Equal(t, 3, b.NamedSources)
	sh, ok := speakerNamed(b, "Sheinbaum")
	require.True(t, ok)
	assert.Equal(t, "Claudia Sheinbaum", sh.Name)
	assert.Equal(t, "Mexican President", sh.Role)
	assert.Subset(t, sh.Aliases, []string{"Sheinbaum", "She"}, "“Ms. Sheinbaum said” and “She emphasized” are the president")
	assert.GreaterOrEqual(t, sh.Quotes, 2)
	rocha, ok := speakerNamed(b, "Rocha")
	require.True(t, ok)
	assert.Equal(t, "Arturo Rocha", rocha.Name)
	assert.Equal(t, "who resigned late last year from the Mexican foreign ministry", rocha.Role)
	assert.Contains(t, rocha.Aliases, "Rocha")
	assert.Contains(t, rocha.Verbs, "added")
	assert.GreaterOrEqual(t, rocha.Quotes, 2)
	nyt, ok := speakerNamed(b, "New York Times")
	require.True(t, ok)
	assert.Equal(t, KindOrganization, nyt.Kind)
	assert.Contains(t, nyt.Aliases, "NYT")
	assert.Contains(t, sourcesOfType(b, SourceAnonymous), "three people familiar with the matter")
	assert.GreaterOrEqual(t, b.AnonymousSources, 2)
	assert.Contains(t, sourcesOfType(b, SourceUnattributed), "some", "“what some believe”")
	assert.Positive(t, b.LoadedVerbs, "“Mexican officials claim”")
	assert.Zero(t, b.UnattributedQuotes)

	c := compareSources(articles, nil)
	assert.Equal(t, []string{"claudia-sheinbaum"}, c.Shared)
	assert.ElementsMatch(t, []string{"rubio", "jack-riley", "farfan-mendez"}, c.Outlets[0].Unique)
	assert.ElementsMatch(t, []string{"new-york-times", "arturo-rocha"}, c.Outlets[1].Unique)
	for _, line := range c.Summary {
		t.Log(line)
	}
}

// TestSeedsContent checks ../shared/seeds/EXPECTATIONS.md, "What each
// outlet includes that the other leaves out".
func TestSeedsContent(t *testing.T) {
	articles := seedArticles(t)
	c := alignContent(articles)
	require.Len(t, c.Outlets, 2)
	a, b := c.Outlets[0], c.Outlets[1]

	holding := func(outlet int, words string) []ContentUnit {
		var out []ContentUnit
		for _, u := range c.Units {
			for _, m := range u.Members {
				if m.Outlet != articles[outlet].Outlet {
					continue
				}
				for _, s := range m.Spans {
					if strings.Contains(articles[outlet].Text[s.Start:s.End], words) && !slices.ContainsFunc(out, func(x ContentUnit) bool { return x.Index == u.Index }) {
						out = append(out, u)
					}
				}
			}
		}
		return out
	}
	onlyIn := func(outlet int, words string) {
		t.Helper()
		units := holding(outlet, words)
		require.NotEmpty(t, units, "%q is content of %s", words, articles[outlet].Outlet)
		for _, u := range units {
			assert.Equal(t, []string{articles[outlet].Outlet}, u.Outlets, "%q is only in %s", words, articles[outlet].Outlet)
		}
	}
	// Only B: the overdose deaths and the named cartels.
	onlyIn(1, "100,000 American lives")
	onlyIn(1, "Tren de Aragua")
	assert.Subset(t, b.UniqueTerms, []string{"fentanyl", "100,000", "Soles", "Tren", "Aragua", "Sinaloa", "China"})
	// Only A: the Mérida Initiative.
	onlyIn(0, "Mérida Initiative")
	assert.Subset(t, a.UniqueTerms, []string{"Mérida", "Initiative", "Riley"})

	// Both: the directive, and Sheinbaum rejecting an invasion.
	shared := func(wordsA, wordsB string) bool {
		for _, u := range holding(0, wordsA) {
			if len(u.Outlets) == 2 && slices.ContainsFunc(holding(1, wordsB), func(x ContentUnit) bool { return x.Index == u.Index }) {
				return true
			}
		}
		return false
	}
	assert.True(t, shared("executive order would authorize direct U.S. military actions", "issued a directive authorizing"), "both report the directive")
	assert.True(t, shared("Sheinbaum rejected invasion", "rejected any U.S. military presence") || shared("Sheinbaum rejected invasion", "not going to be an invasion"),
		"both report Sheinbaum rejecting an invasion")

	// Page furniture is no content of consequence.
	for _, u := range c.Units {
		for _, furniture := range []string{"Related News", "Key Takeaways", "Please enter", "LEAVE A REPLY", "2025 08 08", "Enjoyed this", "Loading recommendations"} {
			assert.NotContains(t, u.Text, furniture)
		}
	}
	for _, line := range c.Summary {
		t.Log(line)
	}
}
