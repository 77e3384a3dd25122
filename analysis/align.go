package analysis

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Alignment settings.
const (
	// AlignThreshold is the TF-IDF cosine at or above which two passages
	// from different outlets count as the same content. It was measured
	// (align_eval_test.go) on hand-labelled passage pairs of two events:
	// the demo event (1,479 cross-outlet pairs, 60 labelled the same) and
	// the seed articles (928 pairs, 50 the same). Pooled, F1 peaks at
	// 0.15 (0.55; demo 0.72 with precision 0.67 and recall 0.78; seeds
	// 0.35, precision 0.32 and recall 0.38, where the outlets paraphrase
	// more than they share words); the "only in this outlet" verdict is
	// then right for 84% of the demo's passages and 70% of the seeds'. As
	// a check against unrelated stories, 7.7% of AllSides neutral-summary
	// passages find a match at 0.15 among the next story's outlets,
	// against 70% among their own story's.
	AlignThreshold = 0.15
	// duplicateThreshold joins passages of one outlet that repeat each
	// other (a headline printed twice, "Key Takeaways" that restate the
	// text), so repeated content is counted once.
	duplicateThreshold = 0.6
	// minPassageWords is the fewest content words a passage needs to
	// count as content; shorter sentences join their neighbours on the
	// same line, and lines that stay shorter (menus, "Related News",
	// comment forms) are left out.
	minPassageWords = 5
	// quoteBoost raises the weight of a passage holding a quotation;
	// headingPenalty lowers lines without a closing full stop (headings,
	// captions, link lists), which are more often page furniture.
	quoteBoost     = 1.25
	headingPenalty = 0.5
	// unitTerms is how many heavy words a content unit lists;
	// uniqueTerms how many words found in one outlet alone an outlet lists.
	unitTerms   = 6
	uniqueTerms = 40
)

// ContentComparison aligns an event's articles passage by passage and
// shows what each outlet carries that the others leave out.
type ContentComparison struct {
	// Threshold is the similarity at which passages were aligned.
	Threshold float64 `json:"threshold"`
	// Outlets holds one entry per article, sorted by outlet name.
	Outlets []OutletContent `json:"outlets"`
	// Units are the pieces of content, heaviest first: passages of one
	// or more outlets that report the same thing.
	Units []ContentUnit `json:"units"`
	// Summary says in plain words what only one outlet reports.
	Summary []string `json:"summary"`
}

// OutletContent is one outlet's share of an event's content.
type OutletContent struct {
	ArticleID int64  `json:"article_id"`
	Outlet    string `json:"outlet"`
	// Units counts the pieces of content in the article (text it prints
	// twice counts once); Shared those another outlet carries too, Unique
	// those found only here.
	Units  int `json:"units"`
	Shared int `json:"shared"`
	Unique int `json:"unique"`
	// UniqueShare is the weight of the content found only here over the
	// weight of all the article's content.
	UniqueShare float64 `json:"unique_share"`
	// OnlyHere are indexes into ContentComparison.Units of the content
	// found only in this outlet, heaviest first.
	OnlyHere []int `json:"only_here"`
	// LeftOut are indexes of units other outlets carry and this one does
	// not, heaviest and most widely carried first.
	LeftOut []int `json:"left_out"`
	// UniqueSpans are the byte ranges of the passages found only here,
	// in text order, for marking "only in this outlet" on the page.
	UniqueSpans []Span `json:"unique_spans"`
	// UniqueTerms are names, numbers and words this outlet uses and no
	// other does, as written: names and numbers first, then words it uses
	// in at least two pieces of content; within each, those used more
	// often first. They show details missing elsewhere even where a
	// passage as a whole is shared.
	UniqueTerms []string `json:"unique_terms"`
}

// ContentUnit is one piece of content and the outlets that carry it.
type ContentUnit struct {
	Index int `json:"index"`
	// Text is the heaviest passage of the unit, as written.
	Text string `json:"text"`
	// Weight is the information the passage carries: the inverse
	// document frequency of its words, with numbers, names and
	// quotations weighing more.
	Weight float64 `json:"weight"`
	// Outlets lists the outlets carrying the unit, sorted.
	Outlets []string `json:"outlets"`
	// Terms are the unit's heaviest words, as written.
	Terms []string `json:"terms"`
	// Members gives, per outlet, where the unit stands in its text.
	Members []UnitMember `json:"members"`
}

// UnitMember is one outlet's passages in a content unit.
type UnitMember struct {
	ArticleID int64  `json:"article_id"`
	Outlet    string `json:"outlet"`
	// Spans are byte ranges into the outlet's text: the passages
	// (sentences, or short sentences joined on one line) of the unit.
	Spans []Span `json:"spans"`
	// Similarity is the best cosine between these passages and another
	// outlet's in the unit; 0 when the unit is this outlet's alone.
	Similarity float64 `json:"similarity"`
}

// alignWeights are the feature weights of the alignment; defaultWeights
// are the ones measured (align_eval_test.go).
type alignWeights struct {
	// number and name boost those features: numbers and names say most
	// about what is reported.
	number, name float64
	// idfFloor is added to every inverse document frequency; 1 keeps
	// common words in play, 0 lets a word found in every passage count
	// for nothing.
	idfFloor float64
	// nameRuns counts a run of capitalised words ("United States") as
	// one name instead of one feature per word.
	nameRuns bool
	// overlap, when set, compares passages by weighted overlap (the
	// shared weight over the lighter passage's weight) instead of cosine.
	overlap bool
	// oneWay is the similarity, as a multiple of the threshold, at which
	// a best match that is not mutual still makes its outlet a carrier.
	oneWay float64
}

var defaultWeights = alignWeights{number: 2, name: 1.5, idfFloor: 1, oneWay: 1}

// passage is a stretch of one article compared as a whole: a sentence,
// or short sentences of one line taken together.
type passage struct {
	article int
	span    Span
	vec     []passageFeature // sorted by id, unit length
	raw     []passageFeature // sorted by id, weights before normalising
	feats   []rawPassageFeature
	weight  float64
	// terms are the passage's heaviest features, surfaces how the
	// passage writes them.
	terms    []passageFeature
	surfaces map[int32]string
}

// passageFeature is one dimension of a passage vector.
type passageFeature struct {
	id int32
	w  float64
}

// passageVocab gives ids to features (stems and numbers) and counts in how many
// passages each occurs.
type passageVocab struct {
	ids map[string]int32
	df  []int
}

func (v *passageVocab) id(key string) int32 {
	if id, ok := v.ids[key]; ok {
		return id
	}
	id := int32(len(v.df))
	v.ids[key] = id
	v.df = append(v.df, 0)
	return id
}

func alignContent(articles []ComparedArticle) ContentComparison {
	return alignArticlesWith(articlesByOutlet(articles), AlignThreshold, defaultWeights)
}

// alignArticlesWith aligns articles (already in output order) at
// threshold t with the feature weights wt.
func alignArticlesWith(articles []ComparedArticle, t float64, wt alignWeights) ContentComparison {
	out := ContentComparison{Threshold: t, Outlets: []OutletContent{}, Units: []ContentUnit{}, Summary: []string{}}
	passages := buildPassages(articles, wt)
	n, na := len(passages), len(articles)
	// For every passage, its best match in every other outlet. Each pair
	// is compared once.
	bestS := make([]float64, n*na)
	bestJ := make([]int32, n*na)
	for i := range bestJ {
		bestJ[i] = -1
	}
	parent := make([]int32, n)
	for i := range parent {
		parent[i] = int32(i)
	}
	find := func(i int) int {
		for int(parent[i]) != i {
			parent[i] = parent[parent[i]]
			i = int(parent[i])
		}
		return i
	}
	union := func(a, b int) {
		ra, rb := find(a), find(b)
		if ra != rb {
			parent[max(ra, rb)] = int32(min(ra, rb))
		}
	}
	for i := 0; i < n; i++ {
		ai := passages[i].article
		for j := i + 1; j < n; j++ {
			aj := passages[j].article
			s := passageSimilarity(&passages[i], &passages[j], wt)
			if ai == aj {
				// Text an outlet prints twice is one piece of content.
				if s >= duplicateThreshold {
					union(i, j)
				}
				continue
			}
			if s > bestS[i*na+aj] {
				bestS[i*na+aj], bestJ[i*na+aj] = s, int32(j)
			}
			if s > bestS[j*na+ai] {
				bestS[j*na+ai], bestJ[j*na+ai] = s, int32(i)
			}
		}
	}
	// Units join passages that are each other's best match across two
	// outlets (so that one long sentence cannot chain many into one unit);
	// a passage whose best match in another outlet is not mutual still
	// counts that outlet as a carrier.
	for i := 0; i < n; i++ {
		for b := 0; b < na; b++ {
			j := bestJ[i*na+b]
			if j >= 0 && bestS[i*na+b] >= t && bestJ[int(j)*na+passages[i].article] == int32(i) {
				union(i, int(j))
			}
		}
	}
	type unitBuild struct {
		members [][]int     // per article: passages
		sim     [][]float64 // per article: each member's similarity
		best    int         // heaviest passage
		first   int
	}
	unitOf := make([]int, n)
	var units []*unitBuild
	rootUnit := map[int]int{}
	for i := range passages {
		r := find(i)
		u, ok := rootUnit[r]
		if !ok {
			u = len(units)
			rootUnit[r] = u
			units = append(units, &unitBuild{members: make([][]int, na), sim: make([][]float64, na), best: i, first: i})
		}
		unitOf[i] = u
		ub := units[u]
		a := passages[i].article
		ub.members[a] = append(ub.members[a], i)
		if passages[i].weight > passages[ub.best].weight {
			ub.best = i
		}
	}
	for _, ub := range units {
		// Outlets whose best match reaches the threshold carry the unit
		// too, even when the match is not mutual. Only the unit's own
		// passages bring carriers, so carriers do not chain.
		own := make([][]int, na)
		for a := range na {
			own[a] = slices.Clone(ub.members[a])
		}
		for a := range na {
			for _, p := range own[a] {
				for b := range na {
					j := int(bestJ[p*na+b])
					if b == a || j < 0 || bestS[p*na+b] < t*wt.oneWay || slices.Contains(ub.members[b], j) {
						continue
					}
					ub.members[b] = append(ub.members[b], j)
				}
			}
		}
		// Each member's similarity is its best with another outlet's
		// member.
		for a := range na {
			for _, p := range ub.members[a] {
				s := 0.0
				for b := range na {
					if b == a {
						continue
					}
					for _, q := range ub.members[b] {
						s = max(s, passageSimilarity(&passages[p], &passages[q], wt))
					}
				}
				ub.sim[a] = append(ub.sim[a], s)
			}
		}
	}
	carriers := func(ub *unitBuild) int {
		c := 0
		for _, m := range ub.members {
			if len(m) > 0 {
				c++
			}
		}
		return c
	}
	order := make([]int, len(units))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		return cmp.Or(cmp.Compare(passages[units[b].best].weight, passages[units[a].best].weight), cmp.Compare(units[a].first, units[b].first))
	})
	for k, u := range order {
		ub := units[u]
		best := &passages[ub.best]
		cu := ContentUnit{Index: k, Weight: round(best.weight, 2), Outlets: []string{}, Terms: []string{}, Members: []UnitMember{}}
		cu.Text = articles[best.article].Text[best.span.Start:best.span.End]
		for _, f := range best.terms {
			cu.Terms = append(cu.Terms, best.surfaces[f.id])
		}
		shared := carriers(ub) > 1
		for a := range na {
			if len(ub.members[a]) == 0 {
				continue
			}
			m := UnitMember{ArticleID: articles[a].ArticleID, Outlet: articles[a].Outlet, Spans: []Span{}}
			idx := make([]int, len(ub.members[a]))
			for x := range idx {
				idx[x] = x
			}
			slices.SortFunc(idx, func(x, y int) int { return cmp.Compare(ub.members[a][x], ub.members[a][y]) })
			for _, x := range idx {
				m.Spans = append(m.Spans, passages[ub.members[a][x]].span)
				if shared {
					m.Similarity = max(m.Similarity, round(ub.sim[a][x], 3))
				}
			}
			cu.Members = append(cu.Members, m)
			if !slices.Contains(cu.Outlets, articles[a].Outlet) {
				cu.Outlets = append(cu.Outlets, articles[a].Outlet)
			}
		}
		slices.Sort(cu.Outlets)
		out.Units = append(out.Units, cu)
	}
	unitIndex := make([]int, len(units))
	for k, u := range order {
		unitIndex[u] = k
	}
	for a, art := range articles {
		oc := OutletContent{ArticleID: art.ArticleID, Outlet: art.Outlet, OnlyHere: []int{}, LeftOut: []int{}, UniqueSpans: []Span{}}
		// Count each unit the article has passages of once, at the
		// weight of its heaviest such passage.
		total, unique := 0.0, 0.0
		weight := map[int]float64{}
		var own []int
		for i := range passages {
			p := &passages[i]
			if p.article != a {
				continue
			}
			u := unitOf[i]
			if _, ok := weight[u]; !ok {
				own = append(own, u)
			}
			weight[u] = max(weight[u], p.weight)
			if carriers(units[u]) == 1 {
				oc.UniqueSpans = append(oc.UniqueSpans, p.span)
			}
		}
		for _, u := range own {
			oc.Units++
			total += weight[u]
			if carriers(units[u]) > 1 {
				oc.Shared++
			} else {
				oc.Unique++
				unique += weight[u]
			}
		}
		if total > 0 {
			oc.UniqueShare = round(unique/total, 3)
		}
		for k, u := range order {
			ub := units[u]
			here := len(ub.members[a]) > 0
			switch {
			case here && carriers(ub) == 1:
				oc.OnlyHere = append(oc.OnlyHere, k)
			case !here:
				oc.LeftOut = append(oc.LeftOut, k)
			}
		}
		oc.UniqueTerms = outletUniqueTerms(passages, unitOf, a)
		slices.SortStableFunc(oc.LeftOut, func(x, y int) int {
			ux, uy := &out.Units[x], &out.Units[y]
			return cmp.Or(cmp.Compare(uy.Weight*float64(len(uy.Outlets)), ux.Weight*float64(len(ux.Outlets))), cmp.Compare(x, y))
		})
		out.Outlets = append(out.Outlets, oc)
	}
	out.Summary = summarizeContent(out)
	return out
}

// buildPassages splits every article into passages and gives each a
// TF-IDF vector over the whole event.
func buildPassages(articles []ComparedArticle, wt alignWeights) []passage {
	v := &passageVocab{ids: map[string]int32{}}
	stems := newStemCache()
	var passages []passage
	var raw [][]rawPassageFeature
	for a, art := range articles {
		text := art.Text
		if text == "" {
			continue
		}
		tokens := tokenize(text, stems)
		spans := articleSentences(art)
		capsMid := namesInText(text, tokens, spans)
		for _, ps := range groupSentences(text, tokens, spans) {
			feats, words := passageFeatures(text, tokens[ps.from:ps.to], capsMid, v, wt)
			if words < minPassageWords {
				continue
			}
			passages = append(passages, passage{article: a, span: ps.span, feats: feats})
			raw = append(raw, feats)
		}
	}
	// Document frequency over passages, then weights.
	for _, feats := range raw {
		for _, f := range feats {
			v.df[f.id]++
		}
	}
	n := float64(len(passages))
	for i := range passages {
		p := &passages[i]
		art := articles[p.article]
		var norm float64
		vec := make([]passageFeature, 0, len(raw[i]))
		for _, f := range raw[i] {
			idf := math.Log((n+1)/float64(v.df[f.id]+1)) + wt.idfFloor
			w := idf * f.boost
			vec = append(vec, passageFeature{id: f.id, w: w})
			norm += w * w
			p.weight += w
		}
		p.terms = heaviestFeatures(vec, unitTerms)
		p.surfaces = make(map[int32]string, len(p.terms))
		for _, f := range raw[i] {
			for _, t := range p.terms {
				if t.id == f.id {
					p.surfaces[f.id] = f.surface
				}
			}
		}
		norm = math.Sqrt(norm)
		for k := range vec {
			vec[k].w /= norm
		}
		slices.SortFunc(vec, func(a, b passageFeature) int { return cmp.Compare(a.id, b.id) })
		p.vec = vec
		if wt.overlap {
			p.raw = slices.Clone(vec)
			for k := range p.raw {
				p.raw[k].w *= norm
			}
		}
		if overlapsAny(art.Report.Quotes, p.span) {
			p.weight *= quoteBoost
		}
		if !endsSentence(art.Text[p.span.Start:p.span.End]) {
			p.weight *= headingPenalty
		}
	}
	return passages
}

// outletUniqueTerms lists the features of article a's passages that no
// other article's passages have: numbers and names first, then other
// words used in at least two pieces of content; within each, those used in
// more distinct units (text printed twice counts once) first.
func outletUniqueTerms(passages []passage, unitOf []int, a int) []string {
	elsewhere := map[int32]bool{}
	for i := range passages {
		if passages[i].article != a {
			for _, f := range passages[i].feats {
				elsewhere[f.id] = true
			}
		}
	}
	type term struct {
		surface string
		boost   float64
		units   []int
		first   int
	}
	byID := map[int32]*term{}
	var terms []*term
	for i := range passages {
		if passages[i].article != a {
			continue
		}
		for _, f := range passages[i].feats {
			if elsewhere[f.id] {
				continue
			}
			t, ok := byID[f.id]
			if !ok {
				t = &term{surface: f.surface, first: len(terms)}
				byID[f.id] = t
				terms = append(terms, t)
			}
			t.boost = max(t.boost, f.boost)
			if !slices.Contains(t.units, unitOf[i]) {
				t.units = append(t.units, unitOf[i])
			}
		}
	}
	terms = slices.DeleteFunc(terms, func(t *term) bool { return t.boost <= 1 && len(t.units) < 2 })
	slices.SortStableFunc(terms, func(x, y *term) int {
		return cmp.Or(cmp.Compare(min(y.boost, 1.5), min(x.boost, 1.5)), cmp.Compare(len(y.units), len(x.units)), cmp.Compare(x.first, y.first))
	})
	out := make([]string, 0, min(len(terms), uniqueTerms))
	for _, t := range terms[:min(len(terms), uniqueTerms)] {
		out = append(out, t.surface)
	}
	return out
}

// namesInText finds the words written with a capital inside a sentence,
// which are names; sentences where four in five longer words are
// capitalised (headlines in title case) say nothing about names and are
// skipped.
func namesInText(text string, tokens []token, spans []Span) map[string]bool {
	names := map[string]bool{}
	ti := 0
	for _, s := range spans {
		for ti < len(tokens) && tokens[ti].start < s.Start {
			ti++
		}
		from := ti
		caps, words := 0, 0
		for ti < len(tokens) && tokens[ti].end <= s.End {
			if f := tokens[ti].fold; !contentStopWords[f] && utf8.RuneCountInString(f) > 3 {
				words++
				if isUpperStart(text[tokens[ti].start:]) {
					caps++
				}
			}
			ti++
		}
		if ti == from || words >= 3 && 5*caps >= 4*words {
			continue // title case
		}
		for i := from + 1; i < ti; i++ {
			if isUpperStart(text[tokens[i].start:]) {
				names[tokens[i].fold] = true
			}
		}
	}
	return names
}

// rawPassageFeature is a feature before weighting.
type rawPassageFeature struct {
	id      int32
	boost   float64
	surface string
}

func heaviestFeatures(vec []passageFeature, k int) []passageFeature {
	s := slices.Clone(vec)
	slices.SortStableFunc(s, func(a, b passageFeature) int { return cmp.Or(cmp.Compare(b.w, a.w), cmp.Compare(a.id, b.id)) })
	return s[:min(k, len(s))]
}

func overlapsAny(spans []Span, s Span) bool {
	for _, q := range spans {
		if q.Start < s.End && s.Start < q.End {
			return true
		}
	}
	return false
}

// endsSentence reports whether a passage closes like a sentence, with a
// full stop, question or exclamation mark, possibly inside quotation marks.
func endsSentence(s string) bool {
	s = strings.TrimRightFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || r == '"' || r == '\u201d' || r == '\u2019' || r == '\'' || r == ')' || r == '\u00bb'
	})
	r, _ := utf8.DecodeLastRuneInString(s)
	return r == '.' || r == '?' || r == '!' || r == '\u2026'
}

func isUpperStart(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r)
}

// articleSentences returns the report's sentence spans, checked against
// the text, or a plain split by lines and full stops when the report has
// none.
func articleSentences(art ComparedArticle) []Span {
	text := art.Text
	var spans []Span
	for _, s := range art.Report.Sentences {
		if s.Start < 0 || s.End > len(text) || s.Start >= s.End || !utf8.RuneStart(text[s.Start]) || s.End < len(text) && !utf8.RuneStart(text[s.End]) {
			continue
		}
		if len(spans) > 0 && s.Start < spans[len(spans)-1].End {
			continue
		}
		spans = append(spans, Span{Start: s.Start, End: s.End})
	}
	if len(spans) > 0 {
		return spans
	}
	return plainSentences(text)
}

// plainSentences splits text at line breaks and at ". ", "? ", "! "
// before a capital letter: enough when the report holds no sentences.
func plainSentences(text string) []Span {
	var spans []Span
	start := 0
	emit := func(end int) {
		s, e := trimSpan(text, start, end)
		if s < e {
			spans = append(spans, Span{Start: s, End: e})
		}
	}
	for i := 0; i < len(text); i++ {
		switch c := text[i]; {
		case c == '\n':
			emit(i)
			start = i + 1
		case (c == '.' || c == '?' || c == '!') && i+2 < len(text) && text[i+1] == ' ' && isUpperStart(text[i+2:]):
			emit(i + 1)
			start = i + 1
		}
	}
	emit(len(text))
	return spans
}

// sentenceGroup is a passage before weighting: a span and its tokens.
type sentenceGroup struct {
	span     Span
	from, to int // tokens
}

// groupSentences joins a sentence with fewer than minPassageWords content
// words to the next sentence on the same line (or, at the end of a line,
// to the one before), so that "There will be no invasion." is compared
// together with what follows it.
func groupSentences(text string, tokens []token, spans []Span) []sentenceGroup {
	var groups []sentenceGroup
	ti := 0
	var pending *sentenceGroup
	pendingWords := 0
	for si, s := range spans {
		for ti < len(tokens) && tokens[ti].start < s.Start {
			ti++
		}
		from := ti
		words := 0
		for ti < len(tokens) && tokens[ti].end <= s.End {
			if !contentStopWords[tokens[ti].fold] && hasLetter(tokens[ti].fold) {
				words++
			}
			ti++
		}
		g := sentenceGroup{span: s, from: from, to: ti}
		if pending != nil {
			g.span.Start, g.from = pending.span.Start, pending.from
			words += pendingWords
			pending = nil
		}
		sameLineNext := si+1 < len(spans) && !strings.ContainsRune(text[s.End:spans[si+1].Start], '\n')
		if words < minPassageWords && sameLineNext {
			pending, pendingWords = &g, words
			continue
		}
		if words < minPassageWords && len(groups) > 0 {
			prev := &groups[len(groups)-1]
			if !strings.ContainsRune(text[prev.span.End:g.span.Start], '\n') {
				prev.span.End, prev.to = g.span.End, g.to
				continue
			}
		}
		groups = append(groups, g)
	}
	return groups
}

// passageFeatures turns a passage's tokens into features: stems of
// content words, numbers (with "6.8" and "100,000" read whole) and names,
// the last two boosted. It returns the features and the count of content
// words with letters.
func passageFeatures(text string, toks []token, capsMid map[string]bool, v *passageVocab, wt alignWeights) ([]rawPassageFeature, int) {
	seen := map[int32]int{}
	var feats []rawPassageFeature
	words := 0
	add := func(key, surface string, boost float64) {
		id := v.id(key)
		if k, ok := seen[id]; ok {
			feats[k].boost = max(feats[k].boost, boost)
			return
		}
		seen[id] = len(feats)
		feats = append(feats, rawPassageFeature{id: id, boost: boost, surface: surface})
	}
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if allDigits(t.fold) {
			// Read "6.8" and "100,000" as one number.
			j, num := i, t.fold
			for j+1 < len(toks) && allDigits(toks[j+1].fold) {
				gap := text[toks[j].end:toks[j+1].start]
				if gap != "." && gap != "," {
					break
				}
				if gap == "." {
					num += "."
				}
				num += toks[j+1].fold
				j++
			}
			add("#"+num, text[t.start:toks[j].end], wt.number)
			i = j
			continue
		}
		if contentStopWords[t.fold] || !hasLetter(t.fold) || utf8.RuneCountInString(t.fold) < 2 {
			continue
		}
		words++
		if capsMid[t.fold] && isUpperStart(text[t.start:]) {
			if wt.nameRuns {
				// Take the whole run of capitalised words as one name.
				j := i
				for j+1 < len(toks) && joinable(text, toks[j], toks[j+1]) && isUpperStart(text[toks[j+1].start:]) && !contentStopWords[toks[j+1].fold] {
					j++
				}
				if j > i {
					key := t.stem
					for k := i + 1; k <= j; k++ {
						key += " " + toks[k].stem
						words++
					}
					add(key, text[t.start:toks[j].end], wt.name)
					i = j
					continue
				}
			}
			add(t.stem, text[t.start:t.end], wt.name)
			continue
		}
		add(t.stem, text[t.start:t.end], 1)
	}
	return feats, words
}

// passageSimilarity compares two passages the way wt says.
func passageSimilarity(a, b *passage, wt alignWeights) float64 {
	if !wt.overlap {
		return passageCosine(a.vec, b.vec)
	}
	var shared, wa, wb float64
	for _, f := range a.raw {
		wa += f.w
	}
	for _, f := range b.raw {
		wb += f.w
	}
	i, j := 0, 0
	for i < len(a.raw) && j < len(b.raw) {
		switch {
		case a.raw[i].id == b.raw[j].id:
			shared += min(a.raw[i].w, b.raw[j].w)
			i++
			j++
		case a.raw[i].id < b.raw[j].id:
			i++
		default:
			j++
		}
	}
	if wa == 0 || wb == 0 {
		return 0
	}
	return shared / min(wa, wb)
}

// passageCosine is the dot product of two unit vectors sorted by id.
func passageCosine(a, b []passageFeature) float64 {
	var s float64
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i].id == b[j].id:
			s += a[i].w * b[j].w
			i++
			j++
		case a[i].id < b[j].id:
			i++
		default:
			j++
		}
	}
	return s
}

func summarizeContent(c ContentComparison) []string {
	lines := []string{}
	if len(c.Outlets) < 2 {
		return lines
	}
	for _, o := range c.Outlets {
		if o.Units == 0 {
			continue
		}
		var line string
		if len(o.OnlyHere) == 0 {
			line = fmt.Sprintf("Each passage of %s has a close match in another outlet.", o.Outlet)
		} else {
			top := c.Units[o.OnlyHere[0]]
			line = fmt.Sprintf("%s carries %s no other outlet has (%.0f%% of its content); the weightiest: “%s”",
				o.Outlet, countNoun(len(o.OnlyHere), "passage", "passages"), 100*o.UniqueShare, shortenText(top.Text, 160))
		}
		var details []string
		for _, t := range o.UniqueTerms {
			if r, _ := utf8.DecodeRuneInString(t); unicode.IsUpper(r) || unicode.IsDigit(r) {
				details = append(details, t)
			}
		}
		if len(details) > 0 {
			line += fmt.Sprintf(" Names and numbers only %s gives: %s.", o.Outlet, strings.Join(details[:min(len(details), 8)], ", "))
		}
		lines = append(lines, line)
	}
	return lines
}

// shortenText cuts s to at most n bytes at a word boundary, adding "…".
func shortenText(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) <= n {
		return s
	}
	cut := strings.LastIndexByte(s[:n], ' ')
	if cut <= 0 {
		cut = n
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
	}
	return s[:cut] + " …"
}

// contentStopWords are left out of content comparison: function words, and the
// verbs of attribution that say who spoke rather than what happened.
var contentStopWords = lexSet(`a about above after again against all also am an and any are aren't as at be because been before being below
between both but by can can't cannot could couldn't did didn't do does doesn't doing don't down during each few for from further
had hadn't has hasn't have haven't having he he'd he'll he's her here here's hers herself him himself his how how's i i'd i'll i'm
i've if in into is isn't it it's its itself let's me more most mustn't my myself no nor not of off on once only or other ought our
ours ourselves out over own same shan't she she'd she'll she's should shouldn't so some such than that that's the their theirs them
themselves then there there's these they they'd they'll they're they've this those through to too under until up very was wasn't we
we'd we'll we're we've were weren't what what's when when's where where's which while who who's whom why why's with won't would
wouldn't you you'd you'll you're you've your yours yourself yourselves said says say saying told tell tells according also just
will may might must shall would could one two three s t even still now new like many much well back since yet however though
although whether upon within without via per among around across toward towards onto mr mrs ms dr
added adds adding stated states stating noted notes noting commented comments commenting emphasized emphasised
emphasizes stressed explained explains`)
