package analysis

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// topTermsPerOutlet is how many of an outlet's strongest terms a comparison
// names.
const topTermsPerOutlet = 5

// Compare sets several outlets' reports on one event side by side: ranked
// by loaded index, counted per category, and summed up in plain words. The
// input order does not matter; the output is deterministic.
func Compare(articles []ComparedArticle) Comparison {
	c := Comparison{Outlets: make([]OutletScore, 0, len(articles)), Categories: []string{}, Summary: []string{}}
	categories := map[string]bool{}
	for _, a := range articles {
		if c.LexiconVersion == "" {
			c.LexiconVersion = a.Report.LexiconVersion
		}
		for name := range a.Report.Scores.Categories {
			categories[name] = true
		}
		c.Outlets = append(c.Outlets, OutletScore{
			ArticleID:   a.ArticleID,
			Outlet:      a.Outlet,
			Title:       a.Title,
			LoadedIndex: a.Report.Scores.LoadedIndex,
			QuotedIndex: a.Report.Scores.QuotedIndex,
			Words:       a.Report.Scores.Words,
			OwnFindings: a.Report.Scores.OwnFindings,
			Categories:  a.Report.Scores.Categories,
			TopTerms:    topTerms(a.Report.Findings),
		})
	}
	slices.SortStableFunc(c.Outlets, func(a, b OutletScore) int {
		return cmp.Or(
			cmp.Compare(b.LoadedIndex, a.LoadedIndex),
			strings.Compare(a.Outlet, b.Outlet),
			cmp.Compare(a.ArticleID, b.ArticleID),
		)
	})
	for i := range c.Outlets {
		c.Outlets[i].Rank = i + 1
	}
	for name := range categories {
		c.Categories = append(c.Categories, name)
	}
	slices.Sort(c.Categories)
	c.Frames = compareFrames(articles)
	c.Sources = compareSources(articles)
	c.Content = alignContent(articles)
	c.Labels = compareLabels(articles)
	c.Summary = summarize(c.Outlets)
	return c
}

// topTerms counts own-voice findings per term, strongest first.
func topTerms(findings []Finding) []TermUse {
	byTerm := map[string]*TermUse{}
	var order []string
	for _, f := range findings {
		if f.InQuote {
			continue
		}
		key := f.Category + "\x00" + f.Term
		u, ok := byTerm[key]
		if !ok {
			u = &TermUse{Term: f.Term, Category: f.Category, Severity: f.Severity, Examples: []string{}}
			byTerm[key] = u
			order = append(order, key)
		}
		u.Count++
		if !slices.Contains(u.Examples, f.Text) {
			u.Examples = append(u.Examples, f.Text)
		}
	}
	uses := make([]TermUse, 0, len(order))
	for _, key := range order {
		uses = append(uses, *byTerm[key])
	}
	slices.SortStableFunc(uses, func(a, b TermUse) int {
		return cmp.Or(cmp.Compare(b.Severity, a.Severity), cmp.Compare(b.Count, a.Count))
	})
	return uses[:min(len(uses), topTermsPerOutlet)]
}

// summarize writes the comparison as a few sentences a student can read.
func summarize(outlets []OutletScore) []string {
	switch len(outlets) {
	case 0:
		return []string{"No articles have been added to this event yet."}
	case 1:
		o := outlets[0]
		return []string{fmt.Sprintf("Only %s has been added so far; add another outlet's article to compare. %s", o.Outlet, describeOutlet(o))}
	}
	most, least := outlets[0], outlets[len(outlets)-1]
	var lines []string
	switch {
	case most.LoadedIndex == 0:
		lines = append(lines, "None of the outlets uses loaded language from the lexicon in its own voice.")
	case least.LoadedIndex == 0:
		lines = append(lines, fmt.Sprintf("%s uses loaded language in its own voice (%s per 1,000 words); %s uses none that the lexicon knows.",
			most.Outlet, formatIndex(most.LoadedIndex), least.Outlet))
	default:
		lines = append(lines, fmt.Sprintf("%s uses loaded language %s %s (%s against %s weighted flags per 1,000 words).",
			most.Outlet, ratioWords(most.LoadedIndex/least.LoadedIndex), least.Outlet,
			formatIndex(most.LoadedIndex), formatIndex(least.LoadedIndex)))
	}
	for _, o := range outlets {
		if len(o.TopTerms) > 0 {
			lines = append(lines, describeOutlet(o))
		}
	}
	if len(outlets) > 2 && most.LoadedIndex > 0 {
		var order []string
		for _, o := range outlets {
			order = append(order, fmt.Sprintf("%s (%s)", o.Outlet, formatIndex(o.LoadedIndex)))
		}
		lines = append(lines, "From most to least loaded: "+strings.Join(order, ", ")+".")
	}
	lines = append(lines, "Words inside quotation marks belong to the people quoted and are counted separately.")
	return lines
}

func describeOutlet(o OutletScore) string {
	if len(o.TopTerms) == 0 {
		return fmt.Sprintf("%s uses no loaded terms from the lexicon in its own voice.", o.Outlet)
	}
	var quoted []string
	for _, t := range o.TopTerms[:min(3, len(o.TopTerms))] {
		quoted = append(quoted, "“"+t.Examples[0]+"”")
	}
	noun := "terms are"
	if len(quoted) == 1 {
		noun = "term is"
	}
	return fmt.Sprintf("%s's strongest %s %s.", o.Outlet, noun, joinList(quoted))
}

// ratioWords puts a ratio the way a person would say it.
func ratioWords(r float64) string {
	words := []string{"", "", "twice", "three times", "four times", "five times", "six times", "seven times", "eight times", "nine times", "ten times"}
	switch n := int(r + 0.5); {
	case r < 1.15:
		return "about as often as"
	case r < 1.75:
		return "somewhat more often than"
	case n <= 10:
		return "about " + words[n] + " as often as"
	default:
		return "more than ten times as often as"
	}
}

func formatIndex(x float64) string { return strings.TrimSuffix(fmt.Sprintf("%.1f", x), ".0") }

func joinList(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}
