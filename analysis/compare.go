package analysis

import (
	"cmp"
	"context"
	"fmt"
	"math"
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
			ArticleID:      a.ArticleID,
			Outlet:         a.Outlet,
			Title:          a.Title,
			LoadedIndex:    a.Report.Scores.LoadedIndex,
			ModelSlant:     a.Report.Scores.ModelSlant,
			QuotedIndex:    a.Report.Scores.QuotedIndex,
			Words:          a.Report.Scores.Words,
			OwnFindings:    a.Report.Scores.OwnFindings,
			QuotedFindings: a.Report.Scores.QuotedFindings,
			Categories:     a.Report.Scores.Categories,
			TopTerms:       topTerms(a.Report.Findings),
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
		use   TermUse
		forms map[string]int // surface form → its index in use.Examples
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
			u = &termUses{use: TermUse{Term: f.Term, Category: f.Category, Severity: f.Severity, Examples: []string{}, ExampleCounts: []int{}},
				forms: map[string]int{}}
			byTerm[key] = u
			order = append(order, u)
		}
		u.use.Count++
		i, seen := u.forms[f.Text]
		if !seen {
			i = len(u.use.Examples)
			u.forms[f.Text] = i
			u.use.Examples = append(u.use.Examples, f.Text)
			u.use.ExampleCounts = append(u.use.ExampleCounts, 0)
		}
		u.use.ExampleCounts[i]++
	}
	uses := make([]TermUse, 0, len(order))
	for _, u := range order {
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

// summarize writes the comparison as three to six points a student can
// read, each built from one measure: how loaded each outlet is and with
// which words, whom each quotes, what only one outlet carries, and which
// angles (frames) differ. The words are held to a 14-year-old's reading
// (Flesch-Kincaid grade 8, TestSummaryReadsAtGrade8): short sentences,
// plain words, and every figure the one the page shows beside it.
func summarize(c Comparison) []string {
	outlets := c.Outlets
	switch len(outlets) {
	case 0:
		return []string{"No articles have been added to this event yet."}
	case 1:
		o := outlets[0]
		return []string{fmt.Sprintf("Only %s has been added so far. Add another outlet's article to compare. %s", o.Outlet, describeOutlet(o))}
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
		lines = append(lines, "Words in quotation marks are the words of the people quoted, so Slant counts them apart.")
	}
	return lines[:min(len(lines), maxSummarySentences)]
}

// loadedSentence compares the most and the least loaded outlets, with the
// loaded index put in words: loaded words for every 1,000 words the outlet
// wrote itself, strong ones counting more.
func loadedSentence(outlets []OutletScore) string {
	most, least := outlets[0], outlets[len(outlets)-1]
	switch {
	case most.LoadedIndex == 0:
		line := "None of the outlets uses a loaded word from Slant's word lists when it speaks for itself."
		quoted := 0
		for _, o := range outlets {
			quoted += o.QuotedFindings
		}
		if quoted > 0 {
			line += fmt.Sprintf(" The words they quote hold %d.", quoted)
		}
		return line
	case least.LoadedIndex == 0:
		return fmt.Sprintf("%s uses the most loaded words when it speaks for itself: %s for every 1,000 words it wrote, "+
			"with strong words counting more. %s.",
			most.Outlet, aboutIndex(most.LoadedIndex), noneInOwnVoice(outlets))
	}
	return fmt.Sprintf("%s uses loaded words %s %s when it speaks for itself. It has %s for every 1,000 words it wrote, "+
		"and %s has %s, with strong words counting more.",
		most.Outlet, ratioWords(most.LoadedIndex/least.LoadedIndex), least.Outlet,
		aboutIndex(most.LoadedIndex), least.Outlet, aboutIndex(least.LoadedIndex))
}

// aboutIndex says a loaded index as a person would: "about 119" for
// 118.7, "less than 1" for 0.4. The page shows the exact figure beside it.
func aboutIndex(x float64) string {
	if x < 1 {
		return aboutWhole(x)
	}
	return "about " + aboutWhole(x)
}

// aboutWhole is a loaded index as a whole number, or "less than 1".
func aboutWhole(x float64) string {
	switch {
	case x <= 0:
		return "0"
	case x < 1:
		return "less than 1"
	}
	return fmt.Sprintf("%.0f", math.Round(x))
}

// whoQuotesWhom names the speakers every outlet quotes and those only one
// outlet lets speak, a short sentence each.
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
		all := "All the outlets quote "
		if outletCount == 2 {
			all = "Both outlets quote "
		}
		parts = append(parts, all+joinList(firstN(everyone, 3))+".")
	}
	for _, o := range s.Outlets {
		var unique []string
		for _, id := range o.Unique {
			unique = append(unique, names[id])
		}
		if len(unique) > 0 {
			parts = append(parts, "Only "+o.Outlet+" quotes or cites "+joinList(firstN(unique, 3))+".")
		}
	}
	return strings.Join(parts, " ")
}

// onlyOneCarries says which outlets carry passages no other outlet has,
// with the weightiest of the outlet that leaves the others furthest behind.
// The page marks these passages "only here".
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
	line := fmt.Sprintf("%s has %d %s that no other outlet has", first.Outlet, first.Unique, plural(first.Unique, "part", "parts"))
	if example := weightiestUnit(content.Units, first.OnlyHere); example != "" {
		line += ", such as “" + example + "”"
		if !strings.ContainsAny(example[len(example)-1:], ".!?") {
			line += "."
		}
	} else {
		line += "."
	}
	for _, o := range ranked[1:min(len(ranked), 3)] {
		line += fmt.Sprintf(" %s has %d.", o.Outlet, o.Unique)
	}
	return line
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

// framesDiffer names, in plain words, the angle (frame) each outlet
// stresses, and how far apart their mixes of angles are: the frame
// divergence, 0 for the same mix and 1 for nothing in common.
func framesDiffer(f FrameComparison) string {
	var order []string
	byOutlet := map[string][]string{}
	for _, s := range f.Stressed {
		if _, ok := byOutlet[s.Outlet]; !ok {
			order = append(order, s.Outlet)
		}
		byOutlet[s.Outlet] = append(byOutlet[s.Outlet], frameGist(s.Frame, s.Label))
	}
	apart := fmt.Sprintf("%.2f apart, on a scale from 0 (the same) to 1 (nothing shared).", f.Divergence)
	if len(order) == 0 {
		return "The outlets tell the story from much the same angles: their mix of angles is " + apart
	}
	others := "the others"
	if len(f.Outlets) == 2 {
		others = "the other"
	}
	var parts []string
	for i, outlet := range order[:min(len(order), 3)] {
		frames := byOutlet[outlet]
		about := frames[0]
		if len(frames) > 1 {
			about = joinList([]string{frames[0], "about " + frames[1]})
			if strings.Contains(frames[0]+frames[1], " and ") {
				about = frames[0] + ", and about " + frames[1]
			}
		}
		if i == 0 {
			parts = append(parts, fmt.Sprintf("%s talks more than %s about %s.", outlet, others, about))
		} else {
			parts = append(parts, fmt.Sprintf("%s talks more about %s.", outlet, about))
		}
	}
	return strings.Join(parts, " ") + " Their mix of angles is " + apart
}

// frameGists put each policy frame in a few plain words, for the summaries
// a student reads; the frames panel gives the codebook's names.
var frameGists = map[string]string{
	"economic":               "money",
	"capacity-and-resources": "whether there is enough of what is needed",
	"morality":               "right and wrong",
	"fairness-and-equality":  "fair and equal treatment",
	"legality":               "what the law allows",
	"policy":                 "whether the plan works",
	"crime-and-punishment":   "crime and punishment",
	"security-and-defense":   "threats and defense",
	"health-and-safety":      "health and safety",
	"quality-of-life":        "everyday life",
	"cultural-identity":      "culture and who people are",
	"public-opinion":         "what the public thinks",
	"political":              "party politics",
	"external-regulation":    "ties with other countries",
	"other":                  "other things",
}

// frameGist returns a frame's plain words, or its label in lower case.
func frameGist(frame, label string) string {
	if g, ok := frameGists[frame]; ok {
		return g
	}
	return strings.ToLower(label)
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
		return fmt.Sprintf("%s uses no loaded words from Slant's word lists when it speaks for itself%s.", o.Outlet, quotedAside(o))
	}
	var quoted []string
	for _, t := range o.TopTerms[:min(3, len(o.TopTerms))] {
		quoted = append(quoted, "“"+t.Examples[0]+"”")
	}
	noun := "words are"
	if len(quoted) == 1 {
		noun = "word is"
	}
	return fmt.Sprintf("%s's strongest loaded %s %s.", o.Outlet, noun, joinList(quoted))
}

// noneInOwnVoice names every outlet with no loaded word in its own voice
// (the last ones, outlets being sorted most loaded first), each with the
// loaded words it quotes: "A uses none in its own voice (6 in the words it
// quotes)", "A (6 in the words it quotes) and B use none in their own
// voice".
func noneInOwnVoice(outlets []OutletScore) string {
	var none []OutletScore
	for _, o := range outlets {
		if o.LoadedIndex == 0 {
			none = append(none, o)
		}
	}
	if len(none) == 1 {
		return none[0].Outlet + " uses none in its own voice" + quotedAside(none[0])
	}
	names := make([]string, len(none))
	for i, o := range none {
		names[i] = o.Outlet + quotedAside(o)
	}
	return joinList(names) + " use none in their own voice"
}

// quotedAside is " (8 in the words it quotes)" for an outlet with loaded
// words in its quotations, "" for one without: the loaded index leaves
// quotations out, and a summary that said "none" without it would hide them.
func quotedAside(o OutletScore) string {
	if o.QuotedFindings == 0 {
		return ""
	}
	return fmt.Sprintf(" (%d in the words it quotes)", o.QuotedFindings)
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
