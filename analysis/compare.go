package analysis

import (
	"cmp"
	"context"
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
	c, _ := compare(unstoppableWork(), articles, defaultWeights) // without a context nothing stops it
	return c
}

// CompareContext is Compare that gives up when ctx is done, looking at it
// between the parts of the comparison and every few thousand tokens or
// passage pairs within them; it then returns an error wrapping ctx.Err().
func CompareContext(ctx context.Context, articles []ComparedArticle) (Comparison, error) {
	if err := ctx.Err(); err != nil {
		return Comparison{}, fmt.Errorf("compare: %w", err)
	}
	return compare(newWork(ctx), articles, defaultWeights)
}

// compare is Compare, aligning the content with the weights wt. Each
// article's text and title are tokenized once, here, for the content
// alignment and the labels; the sentences are the reports'.
func compare(w *work, articles []ComparedArticle, wt alignWeights) (c Comparison, err error) {
	defer recoverStop("compare", &err)
	c = Comparison{Outlets: make([]OutletScore, 0, len(articles)), Categories: []string{}, Summary: []string{}}
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
			ModelSlant:  a.Report.Scores.ModelSlant,
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
	w.check()
	c.Frames = compareFrames(articles)
	c.Sources = compareSources(articles, w)
	sorted := articlesByOutlet(articles)
	texts := tokenizeArticles(sorted, w)
	c.Content = alignArticles(sorted, texts, AlignThreshold, wt, w)
	c.Labels = compareLabelsFrom(sorted, texts, w)
	w.check()
	c.Tone = compareTone(articles)
	c.Summary = summarize(c)
	return c, nil
}

// topTerms counts own-voice findings per term, strongest first.
func topTerms(findings []Finding) []TermUse {
	type termUses struct {
		use      TermUse
		examples distinctStrings
	}
	byTerm := map[string]*termUses{}
	var order []*termUses
	for _, f := range findings {
		if f.InQuote {
			continue
		}
		key := f.Category + "\x00" + f.Term
		u, ok := byTerm[key]
		if !ok {
			u = &termUses{use: TermUse{Term: f.Term, Category: f.Category, Severity: f.Severity, Examples: []string{}}}
			byTerm[key] = u
			order = append(order, u)
		}
		u.use.Count++
		u.examples.add(f.Text)
	}
	uses := make([]TermUse, 0, len(order))
	for _, u := range order {
		if u.examples.list != nil {
			u.use.Examples = u.examples.list
		}
		uses = append(uses, u.use)
	}
	slices.SortStableFunc(uses, func(a, b TermUse) int {
		return cmp.Or(cmp.Compare(b.Severity, a.Severity), cmp.Compare(b.Count, a.Count))
	})
	return uses[:min(len(uses), topTermsPerOutlet)]
}

// maxSummarySentences bounds the plain-language summary: a student reads
// it at a glance, and the details are on the page below it.
const maxSummarySentences = 6

// summarize writes the comparison as three to six sentences a student can
// read, each built from one measure: how loaded each outlet is and with
// which words, whom each quotes, what only one outlet carries, and which
// frames differ.
func summarize(c Comparison) []string {
	outlets := c.Outlets
	switch len(outlets) {
	case 0:
		return []string{"No articles have been added to this event yet."}
	case 1:
		o := outlets[0]
		return []string{fmt.Sprintf("Only %s has been added so far; add another outlet's article to compare. %s", o.Outlet, describeOutlet(o))}
	}
	lines := []string{loadedSentence(outlets)}
	if most := outlets[0]; len(most.TopTerms) > 0 {
		lines = append(lines, describeOutlet(most))
	}
	for _, line := range []string{whoQuotesWhom(c.Sources, len(outlets)), onlyOneCarries(c.Content), framesDiffer(c.Frames)} {
		if line != "" {
			lines = append(lines, line)
		}
	}
	if len(lines) < maxSummarySentences {
		lines = append(lines, "Words inside quotation marks belong to the people quoted and are counted separately.")
	}
	return lines[:min(len(lines), maxSummarySentences)]
}

// loadedSentence compares the most and the least loaded outlets.
func loadedSentence(outlets []OutletScore) string {
	most, least := outlets[0], outlets[len(outlets)-1]
	switch {
	case most.LoadedIndex == 0:
		return "None of the outlets uses loaded language from the lexicon in its own voice."
	case least.LoadedIndex == 0:
		return fmt.Sprintf("%s uses loaded language in its own voice (%s weighted flags per 1,000 words); %s uses none that the lexicon knows.",
			most.Outlet, formatIndex(most.LoadedIndex), least.Outlet)
	}
	return fmt.Sprintf("%s uses loaded language %s %s (%s against %s weighted flags per 1,000 words).",
		most.Outlet, ratioWords(most.LoadedIndex/least.LoadedIndex), least.Outlet,
		formatIndex(most.LoadedIndex), formatIndex(least.LoadedIndex))
}

// whoQuotesWhom names the speakers every outlet quotes and those only one
// outlet lets speak.
func whoQuotesWhom(s SourceComparison, outletCount int) string {
	names := map[string]string{}
	var everyone []string
	for _, sp := range s.Speakers {
		names[sp.ID] = sp.Name
		if len(sp.Outlets) == outletCount && slices.Contains(s.Shared, sp.ID) {
			everyone = append(everyone, sp.Name)
		}
	}
	var parts []string
	if len(everyone) > 0 {
		all := "All outlets quote"
		if outletCount == 2 {
			all = "Both outlets quote"
		}
		parts = append(parts, all+" "+joinList(firstN(everyone, 3)))
	}
	for _, o := range s.Outlets {
		var unique []string
		for _, id := range o.Unique {
			unique = append(unique, names[id])
		}
		if len(unique) > 0 {
			parts = append(parts, "only "+o.Outlet+" quotes or cites "+joinList(firstN(unique, 3)))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	line := strings.Join(parts, "; ") + "."
	return strings.ToUpper(line[:1]) + line[1:]
}

// onlyOneCarries says which outlets carry passages no other outlet has,
// with the weightiest of the outlet that leaves the others furthest behind.
func onlyOneCarries(content ContentComparison) string {
	ranked := slices.Clone(content.Outlets)
	ranked = slices.DeleteFunc(ranked, func(o OutletContent) bool { return o.Unique == 0 })
	if len(ranked) == 0 {
		return ""
	}
	slices.SortStableFunc(ranked, func(a, b OutletContent) int {
		return cmp.Or(cmp.Compare(b.UniqueShare, a.UniqueShare), strings.Compare(a.Outlet, b.Outlet))
	})
	first := ranked[0]
	line := fmt.Sprintf("%s carries %d %s no other outlet has", first.Outlet, first.Unique, plural(first.Unique, "passage", "passages"))
	if example := weightiestUnit(content.Units, first.OnlyHere); example != "" {
		line += ", such as “" + example + "”"
	}
	for _, o := range ranked[1:min(len(ranked), 3)] {
		line += fmt.Sprintf("; %s carries %d", o.Outlet, o.Unique)
	}
	return line + "."
}

func weightiestUnit(units []ContentUnit, indexes []int) string {
	best := -1
	for _, i := range indexes {
		if i >= 0 && i < len(units) && (best < 0 || units[i].Weight > units[best].Weight) {
			best = i
		}
	}
	if best < 0 {
		return ""
	}
	return shorten(units[best].Text, 90)
}

// framesDiffer names the frames each outlet stresses and the overall
// divergence of their frame profiles.
func framesDiffer(f FrameComparison) string {
	var order []string
	byOutlet := map[string][]string{}
	for _, s := range f.Stressed {
		if _, ok := byOutlet[s.Outlet]; !ok {
			order = append(order, s.Outlet)
		}
		byOutlet[s.Outlet] = append(byOutlet[s.Outlet], strings.ToLower(s.Label))
	}
	if len(order) == 0 {
		return fmt.Sprintf("The outlets frame the event in much the same way (frame divergence %.2f, where 0 is identical and 1 shares nothing).", f.Divergence)
	}
	var parts []string
	for _, outlet := range order {
		frames := byOutlet[outlet]
		parts = append(parts, fmt.Sprintf("%s stresses the %s %s", outlet, joinList(firstN(frames, 2)), plural(len(frames), "frame", "frames")))
	}
	return fmt.Sprintf("%s (frame divergence %.2f, where 0 is identical and 1 shares nothing).", strings.Join(parts, ", "), f.Divergence)
}

func firstN(items []string, n int) []string { return items[:min(len(items), n)] }

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// shorten cuts text at a word boundary to at most max runes, marking the
// cut with an ellipsis.
func shorten(text string, max int) string {
	text = strings.Join(strings.Fields(text), " ")
	runes := []rune(text)
	if len(runes) <= max {
		return text
	}
	cut := string(runes[:max])
	if i := strings.LastIndexByte(cut, ' '); i > max/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,;:") + "…"
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
