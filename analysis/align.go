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
	// bounded compares each passage with candidatesPerPassage others at
	// most even in an event of fewer than maxExactPassages passages, for
	// the tests that hold the bounded comparison to linear work.
	bounded bool
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

// Bounds that keep the alignment linear in the event's text. Up to
// maxExactPassages passages, every pair of passages that share a word is
// compared, which is the exact alignment (passages sharing no word have
// similarity 0); no real event comes near (the demo event has 90
// passages, a BASIL event about 120). Past it, each passage is compared
// with at most candidatesPerPassage others, found through its rarest
// words first, so that a hostile event of thousands of near-identical
// passages costs no more per passage than a real one.
const (
	maxExactPassages     = 1000
	candidatesPerPassage = 100
)

func alignContent(articles []ComparedArticle) ContentComparison {
	sorted := articlesByOutlet(articles)
	return alignArticles(sorted, tokenizeArticles(sorted, nil), AlignThreshold, defaultWeights, nil)
}

// alignArticlesWith aligns articles (already in output order) at
// threshold t with the feature weights wt.
func alignArticlesWith(articles []ComparedArticle, t float64, wt alignWeights) ContentComparison {
	return alignArticles(articles, tokenizeArticles(articles, nil), t, wt, nil)
}

// alignArticles aligns articles (already in output order, with their
// tokens in texts) at threshold t with the feature weights wt: it cuts
// the articles into passages, compares the passages across outlets, joins
// those that report the same thing into units, and says per outlet what
// it alone carries.
func alignArticles(articles []ComparedArticle, texts []articleTokens, t float64, wt alignWeights, w *work) ContentComparison {
	out := ContentComparison{Threshold: t, Outlets: []OutletContent{}, Units: []ContentUnit{}, Summary: []string{}}
	passages, vocab := buildPassagesFrom(articles, texts, wt, w)
	g := comparePassages(passages, len(articles), vocab, wt, w)
	g.joinMutualBest(passages, t)
	units, unitOf := g.units(passages)
	g.extendUnits(units, passages, t*wt.oneWay, w)
	order := unitsByWeight(passages, units)
	out.Units = contentUnits(articles, passages, units, order)
	out.Outlets = outletsContent(articles, passages, units, unitOf, order, out.Units, w)
	out.Summary = summarizeContent(out)
	return out
}

// passageGraph is what the comparison of an event's passages found.
type passageGraph struct {
	na int // articles
	// bestS[i*na+b] is passage i's highest similarity with a passage of
	// article b, and bestJ that passage (-1 for none).
	bestS []float64
	bestJ []int32
	// parent is a union-find forest over the passages; a set's root is
	// its first passage.
	parent []int32
	// The passages of other articles each passage was compared with, and
	// the similarity, when above 0: near[nearStart[i]:nearStart[i+1]].
	nearStart []int32
	near      []passageNeighbour
}

type passageNeighbour struct {
	j int32
	s float64
}

func (g *passageGraph) find(i int) int {
	for int(g.parent[i]) != i {
		g.parent[i] = g.parent[g.parent[i]]
		i = int(g.parent[i])
	}
	return i
}

func (g *passageGraph) union(a, b int) {
	ra, rb := g.find(a), g.find(b)
	if ra != rb {
		g.parent[max(ra, rb)] = int32(min(ra, rb))
	}
}

// comparePassages compares the passages pairwise: for every passage, its
// best match in every other outlet, and text an outlet prints twice
// joined as one piece of content. Each pair is compared once, the pairs
// of each passage in order, which settles ties as the first best.
func comparePassages(passages []passage, na, vocab int, wt alignWeights, w *work) *passageGraph {
	n := len(passages)
	g := &passageGraph{na: na, bestS: make([]float64, n*na), bestJ: make([]int32, n*na), parent: make([]int32, n)}
	for i := range g.bestJ {
		g.bestJ[i] = -1
	}
	for i := range g.parent {
		g.parent[i] = int32(i)
	}
	c := passageCandidates{postings: featurePostings(passages, vocab, w), mark: make([]int32, n),
		exact: n <= maxExactPassages && !wt.bounded}
	var pairs []passagePair
	for i := range passages {
		for _, j := range c.after(i, passages[i].vec, w) {
			if p, ok := g.compare(passages, i, int(j), wt, w); ok {
				pairs = append(pairs, p)
			}
		}
	}
	g.neighbours(n, pairs)
	return g
}

// featurePostings lists, for each feature, the passages holding it, in
// order.
func featurePostings(passages []passage, vocab int, w *work) [][]int32 {
	postings := make([][]int32, vocab)
	for i := range passages {
		for _, f := range passages[i].vec {
			postings[f.id] = append(postings[f.id], int32(i))
		}
		w.tick(len(passages[i].vec))
	}
	return postings
}

// passageCandidates finds the passages a passage is compared with: those
// after it that share a feature with it, all of them when exact, else at
// most candidatesPerPassage, through its rarest features first.
type passageCandidates struct {
	postings [][]int32
	exact    bool
	mark     []int32 // mark[j] == i+1: j is already a candidate of i
	cands    []int32
	feats    []passageFeature
}

// after returns passage i's candidates (features vec), in order.
func (c *passageCandidates) after(i int, vec []passageFeature, w *work) []int32 {
	c.cands = c.cands[:0]
	c.feats = append(c.feats[:0], vec...)
	if !c.exact {
		slices.SortStableFunc(c.feats, func(a, b passageFeature) int {
			return cmp.Compare(len(c.postings[a.id]), len(c.postings[b.id]))
		})
	}
	for _, f := range c.feats {
		list := c.postings[f.id]
		k, _ := slices.BinarySearch(list, int32(i))
		k++ // the passages after i
		end := len(list)
		if !c.exact {
			end = min(end, k+candidatesPerPassage-len(c.cands))
		}
		w.tick(1 + end - k)
		for ; k < end; k++ {
			if j := list[k]; c.mark[j] != int32(i+1) {
				c.mark[j] = int32(i + 1)
				c.cands = append(c.cands, j)
			}
		}
		if !c.exact && len(c.cands) >= candidatesPerPassage {
			break
		}
	}
	slices.Sort(c.cands)
	return c.cands
}

// passagePair is two passages of different outlets and their similarity.
type passagePair struct {
	i, j int32
	s    float64
}

// compare compares passages i and j: text an outlet prints twice is one
// piece of content; across outlets, each may be the other's best match.
// It returns the pair when it is of two outlets with similarity above 0.
func (g *passageGraph) compare(passages []passage, i, j int, wt alignWeights, w *work) (passagePair, bool) {
	na := g.na
	ai, aj := passages[i].article, passages[j].article
	s := passageSimilarity(&passages[i], &passages[j], wt)
	w.tick(1 + min(len(passages[i].vec), len(passages[j].vec))/8)
	if ai == aj {
		if s >= duplicateThreshold {
			g.union(i, j)
		}
		return passagePair{}, false
	}
	if s > g.bestS[i*na+aj] {
		g.bestS[i*na+aj], g.bestJ[i*na+aj] = s, int32(j)
	}
	if s > g.bestS[j*na+ai] {
		g.bestS[j*na+ai], g.bestJ[j*na+ai] = s, int32(i)
	}
	return passagePair{int32(i), int32(j), s}, s > 0
}

// neighbours files the pairs under both their passages.
func (g *passageGraph) neighbours(n int, pairs []passagePair) {
	g.nearStart = make([]int32, n+1)
	for _, p := range pairs {
		g.nearStart[p.i+1]++
		g.nearStart[p.j+1]++
	}
	for i := 1; i <= n; i++ {
		g.nearStart[i] += g.nearStart[i-1]
	}
	g.near = make([]passageNeighbour, 2*len(pairs))
	fill := slices.Clone(g.nearStart[:n])
	for _, p := range pairs {
		g.near[fill[p.i]] = passageNeighbour{p.j, p.s}
		fill[p.i]++
		g.near[fill[p.j]] = passageNeighbour{p.i, p.s}
		fill[p.j]++
	}
}

// joinMutualBest joins passages that are each other's best match across
// two outlets at similarity t or more (so that one long sentence cannot
// chain many into one unit).
func (g *passageGraph) joinMutualBest(passages []passage, t float64) {
	na := g.na
	for i := range passages {
		for b := 0; b < na; b++ {
			j := g.bestJ[i*na+b]
			if j >= 0 && g.bestS[i*na+b] >= t && g.bestJ[int(j)*na+passages[i].article] == int32(i) {
				g.union(i, int(j))
			}
		}
	}
}

// unitBuild is a content unit while it is built.
type unitBuild struct {
	members  [][]int     // per article: passages
	sim      [][]float64 // per article: each member's similarity
	best     int         // heaviest passage
	first    int
	carriers int // articles with members
}

// units gathers the joined passages into units, numbered in order of
// their first passage, and returns each passage's unit.
func (g *passageGraph) units(passages []passage) ([]*unitBuild, []int) {
	unitOf := make([]int, len(passages))
	var units []*unitBuild
	rootUnit := make([]int32, len(passages))
	for i := range rootUnit {
		rootUnit[i] = -1
	}
	for i := range passages {
		r := g.find(i)
		u := int(rootUnit[r])
		if u < 0 {
			u = len(units)
			rootUnit[r] = int32(u)
			units = append(units, &unitBuild{members: make([][]int, g.na), sim: make([][]float64, g.na), best: i, first: i})
		}
		unitOf[i] = u
		ub := units[u]
		a := passages[i].article
		ub.members[a] = append(ub.members[a], i)
		if passages[i].weight > passages[ub.best].weight {
			ub.best = i
		}
	}
	return units, unitOf
}

// extendUnits adds the carriers to each unit and gives each member its
// similarity. in[p] == u+1 marks the members of unit u while it is done.
func (g *passageGraph) extendUnits(units []*unitBuild, passages []passage, oneWay float64, w *work) {
	in := make([]int32, len(passages))
	own := make([]int, g.na)
	for u, ub := range units {
		g.addCarriers(ub, int32(u+1), in, own, oneWay, w)
		g.memberSimilarities(ub, int32(u+1), in, passages, w)
	}
}

// addCarriers adds to unit ub the outlets whose best match reaches oneWay,
// even when the match is not mutual. Only the unit's own passages bring
// carriers, so carriers do not chain.
func (g *passageGraph) addCarriers(ub *unitBuild, mark int32, in []int32, own []int, oneWay float64, w *work) {
	na := g.na
	for a := range na {
		own[a] = len(ub.members[a])
		for _, p := range ub.members[a] {
			in[p] = mark
		}
		w.tick(own[a] * na)
	}
	for a := range na {
		for _, p := range ub.members[a][:own[a]] {
			for b := range na {
				j := int(g.bestJ[p*na+b])
				if b == a || j < 0 || g.bestS[p*na+b] < oneWay || in[j] == mark {
					continue
				}
				in[j] = mark
				ub.members[b] = append(ub.members[b], j)
			}
		}
	}
}

// memberSimilarities gives each member of unit ub its best similarity
// with another outlet's member, from the pairs compared (pairs that share
// no word have similarity 0), and counts the unit's carriers.
func (g *passageGraph) memberSimilarities(ub *unitBuild, mark int32, in []int32, passages []passage, w *work) {
	for a := range ub.members {
		for _, p := range ub.members[a] {
			s := 0.0
			near := g.near[g.nearStart[p]:g.nearStart[p+1]]
			w.tick(1 + len(near))
			for _, q := range near {
				if in[q.j] == mark && passages[q.j].article != a {
					s = max(s, q.s)
				}
			}
			ub.sim[a] = append(ub.sim[a], s)
		}
		if len(ub.members[a]) > 0 {
			ub.carriers++
		}
	}
}

// unitsByWeight orders the units heaviest first (by their heaviest
// passage), the earlier first on ties.
func unitsByWeight(passages []passage, units []*unitBuild) []int {
	order := make([]int, len(units))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		return cmp.Or(cmp.Compare(passages[units[b].best].weight, passages[units[a].best].weight), cmp.Compare(units[a].first, units[b].first))
	})
	return order
}

// contentUnits writes the units out in order.
func contentUnits(articles []ComparedArticle, passages []passage, units []*unitBuild, order []int) []ContentUnit {
	out := make([]ContentUnit, 0, len(order))
	for k, u := range order {
		ub := units[u]
		best := &passages[ub.best]
		cu := ContentUnit{Index: k, Weight: round(best.weight, 2), Outlets: []string{}, Terms: []string{}, Members: []UnitMember{}}
		cu.Text = articles[best.article].Text[best.span.Start:best.span.End]
		for _, f := range best.terms {
			cu.Terms = append(cu.Terms, best.surfaces[f.id])
		}
		shared := ub.carriers > 1
		for a := range ub.members {
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
		out = append(out, cu)
	}
	return out
}

// outletsContent says, for each article, how much of its content is
// shared, what only it carries and what it leaves out. The passages of
// one article are consecutive.
func outletsContent(articles []ComparedArticle, passages []passage, units []*unitBuild, unitOf []int, order []int, contentUnits []ContentUnit, w *work) []OutletContent {
	out := make([]OutletContent, 0, len(articles))
	terms := uniqueTermsByArticle(passages, unitOf, len(articles), w)
	from := 0
	for a, art := range articles {
		to := from
		for to < len(passages) && passages[to].article == a {
			to++
		}
		oc := OutletContent{ArticleID: art.ArticleID, Outlet: art.Outlet, OnlyHere: []int{}, LeftOut: []int{}, UniqueSpans: []Span{}}
		// Count each unit the article has passages of once, at the
		// weight of its heaviest such passage.
		total, unique := 0.0, 0.0
		weight := map[int]float64{}
		var own []int
		for i := from; i < to; i++ {
			p := &passages[i]
			u := unitOf[i]
			if _, ok := weight[u]; !ok {
				own = append(own, u)
			}
			weight[u] = max(weight[u], p.weight)
			if units[u].carriers == 1 {
				oc.UniqueSpans = append(oc.UniqueSpans, p.span)
			}
		}
		for _, u := range own {
			oc.Units++
			total += weight[u]
			if units[u].carriers > 1 {
				oc.Shared++
			} else {
				oc.Unique++
				unique += weight[u]
			}
		}
		if total > 0 {
			oc.UniqueShare = round(unique/total, 3)
		}
		w.tick(len(order))
		for k, u := range order {
			ub := units[u]
			here := len(ub.members[a]) > 0
			switch {
			case here && ub.carriers == 1:
				oc.OnlyHere = append(oc.OnlyHere, k)
			case !here:
				oc.LeftOut = append(oc.LeftOut, k)
			}
		}
		oc.UniqueTerms = terms[a]
		slices.SortStableFunc(oc.LeftOut, func(x, y int) int {
			ux, uy := &contentUnits[x], &contentUnits[y]
			return cmp.Or(cmp.Compare(uy.Weight*float64(len(uy.Outlets)), ux.Weight*float64(len(ux.Outlets))), cmp.Compare(x, y))
		})
		out = append(out, oc)
		from = to
	}
	return out
}

// uniqueTermsByArticle lists, per article, the features of its passages
// that no other article's passages have: numbers and names first, then
// other words used in at least two pieces of content; within each, those
// used in more distinct units (text printed twice counts once) first.
func uniqueTermsByArticle(passages []passage, unitOf []int, na int, w *work) [][]string {
	// home is the one article a feature is found in, or -1 for several.
	home := map[int32]int{}
	for i := range passages {
		a := passages[i].article
		for _, f := range passages[i].feats {
			if h, ok := home[f.id]; !ok {
				home[f.id] = a
			} else if h != a {
				home[f.id] = -1
			}
		}
		w.tick(len(passages[i].feats))
	}
	type term struct {
		surface string
		boost   float64
		units   int
		first   int
	}
	type termUnit struct {
		id   int32
		unit int
	}
	byID := map[int32]*term{}
	counted := map[termUnit]bool{}
	perArticle := make([][]*term, na)
	for i := range passages {
		a := passages[i].article
		for _, f := range passages[i].feats {
			if home[f.id] != a {
				continue
			}
			t, ok := byID[f.id]
			if !ok {
				t = &term{surface: f.surface, first: len(perArticle[a])}
				byID[f.id] = t
				perArticle[a] = append(perArticle[a], t)
			}
			t.boost = max(t.boost, f.boost)
			if tu := (termUnit{f.id, unitOf[i]}); !counted[tu] {
				counted[tu] = true
				t.units++
			}
		}
	}
	out := make([][]string, na)
	for a, terms := range perArticle {
		terms = slices.DeleteFunc(terms, func(t *term) bool { return t.boost <= 1 && t.units < 2 })
		slices.SortStableFunc(terms, func(x, y *term) int {
			return cmp.Or(cmp.Compare(min(y.boost, 1.5), min(x.boost, 1.5)), cmp.Compare(y.units, x.units), cmp.Compare(x.first, y.first))
		})
		out[a] = make([]string, 0, min(len(terms), uniqueTerms))
		for _, t := range terms[:min(len(terms), uniqueTerms)] {
			out[a] = append(out[a], t.surface)
		}
	}
	return out
}

// articleTokens are an article's text and title tokens, made once per
// comparison and shared by the alignment and the labels.
type articleTokens struct {
	text, title []token
}

// tokenizeArticles tokenizes each article's text and title.
func tokenizeArticles(articles []ComparedArticle, w *work) []articleTokens {
	stems := compareStems()
	out := make([]articleTokens, len(articles))
	for i, a := range articles {
		out[i] = articleTokens{text: tokenizeInto(a.Text, stems, nil, w), title: tokenizeInto(a.Title, stems, nil, w)}
	}
	return out
}

// buildPassages splits every article into passages and gives each a
// TF-IDF vector over the whole event.
func buildPassages(articles []ComparedArticle, wt alignWeights) []passage {
	passages, _ := buildPassagesFrom(articles, tokenizeArticles(articles, nil), wt, nil)
	return passages
}

// buildPassagesFrom is buildPassages from the articles' tokens; it also
// returns the number of distinct features.
func buildPassagesFrom(articles []ComparedArticle, texts []articleTokens, wt alignWeights, w *work) ([]passage, int) {
	v := &passageVocab{ids: map[string]int32{}}
	var passages []passage
	var raw [][]rawPassageFeature
	for a, art := range articles {
		text := art.Text
		if text == "" {
			continue
		}
		tokens := texts[a].text
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
		w.tick(len(tokens))
	}
	// Document frequency over passages, then weights.
	for _, feats := range raw {
		for _, f := range feats {
			v.df[f.id]++
		}
	}
	n := float64(len(passages))
	quotes := make([]quoteIndex, len(articles))
	for i := range passages {
		p := &passages[i]
		art := articles[p.article]
		var norm float64
		vec := make([]passageFeature, 0, len(raw[i]))
		for _, f := range raw[i] {
			idf := math.Log((n+1)/float64(v.df[f.id]+1)) + wt.idfFloor
			fw := idf * f.boost
			vec = append(vec, passageFeature{id: f.id, w: fw})
			norm += fw * fw
			p.weight += fw
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
		if quotes[p.article].overlaps(art.Report.Quotes, p.span) {
			p.weight *= quoteBoost
		}
		if !endsSentence(art.Text[p.span.Start:p.span.End]) {
			p.weight *= headingPenalty
		}
		w.tick(len(vec))
	}
	return passages, len(v.df)
}

// quoteIndex answers whether a span overlaps any of an article's
// quotations in logarithmic time, whatever their order: the quotations
// sorted by start, with the furthest end among each prefix.
type quoteIndex struct {
	built  bool
	starts []int
	reach  []int // reach[k]: the largest End among the first k+1 by start
}

func (q *quoteIndex) overlaps(quotes []Span, s Span) bool {
	if !q.built {
		q.built = true
		sorted := slices.Clone(quotes)
		slices.SortStableFunc(sorted, func(a, b Span) int { return cmp.Compare(a.Start, b.Start) })
		for k, x := range sorted {
			q.starts = append(q.starts, x.Start)
			q.reach = append(q.reach, x.End)
			if k > 0 {
				q.reach[k] = max(q.reach[k], q.reach[k-1])
			}
		}
	}
	// The quotations starting before s ends; one of them overlaps s if
	// the furthest of their ends is past s's start.
	k, _ := slices.BinarySearch(q.starts, s.End)
	return k > 0 && q.reach[k-1] > s.Start
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

// endsSentence reports whether a passage closes like a sentence, with a
// full stop, question or exclamation mark, possibly inside quotation marks.
func endsSentence(s string) bool {
	s = strings.TrimRightFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || r == '"' || r == '\u201d' || r == '\u2019' || r == '\'' || r == ')' || r == '\u00bb'
	})
	r, _ := utf8.DecodeLastRuneInString(s)
	return r == '.' || r == '?' || r == '!' || r == '\u2026'
}

// isUpperStart reports whether s starts with an upper-case letter.
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
			key, j := readNumber(text, toks, i)
			add(key, text[t.start:toks[j].end], wt.number)
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

// readNumber reads the number starting at token i, "6.8" and "100,000"
// whole, as a feature key; it returns the key and the number's last token.
func readNumber(text string, toks []token, i int) (string, int) {
	var num strings.Builder
	num.WriteString("#")
	num.WriteString(toks[i].fold)
	j := i
	for j+1 < len(toks) && allDigits(toks[j+1].fold) {
		gap := text[toks[j].end:toks[j+1].start]
		if gap != "." && gap != "," {
			break
		}
		if gap == "." {
			num.WriteByte('.')
		}
		num.WriteString(toks[j+1].fold)
		j++
	}
	return num.String(), j
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
// When one is much longer, the shorter one's ids are looked up in it, so
// that a passage of thousands of words compared with many short ones
// costs each comparison the short one's length; the products are added in
// the same order either way.
func passageCosine(a, b []passageFeature) float64 {
	if len(a) > 8*len(b) {
		a, b = b, a
	}
	if len(b) > 8*len(a) {
		var s float64
		for _, x := range a {
			if k, ok := slices.BinarySearchFunc(b, x.id, func(f passageFeature, id int32) int { return cmp.Compare(f.id, id) }); ok {
				s += x.w * b[k].w
			}
		}
		return s
	}
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
			line = fmt.Sprintf("Every part of %s is told by another outlet too.", o.Outlet)
		} else {
			top := c.Units[o.OnlyHere[0]]
			line = fmt.Sprintf("%s has %s that no other outlet has: %.0f%% of what it says. The main one: “%s”",
				o.Outlet, countNoun(len(o.OnlyHere), "part", "parts"), 100*o.UniqueShare, shortenText(top.Text, 160))
		}
		var details []string
		for _, t := range o.UniqueTerms {
			if r, _ := utf8.DecodeRuneInString(t); unicode.IsUpper(r) || unicode.IsDigit(r) {
				details = append(details, t)
			}
		}
		if len(details) > 0 {
			line += fmt.Sprintf(" Names and numbers only it gives: %s.", strings.Join(details[:min(len(details), 8)], ", "))
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
