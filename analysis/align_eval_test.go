package analysis

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"slant/demo"
	"slant/internal/workspace"
)

// The alignment threshold is measured on hand-labelled passage pairs: for
// two events, every pair of passages from different outlets that report
// the same thing (the same fact, claim or quotation, however worded) is
// listed; every other cross-outlet pair counts as different content.

// labelPair says that a sentence of one outlet and a sentence of another
// report the same content. Sentences are named by a few words they start
// with (demo, which lives in the repository) or by byte offsets (seeds,
// which may not be copied into it).
type labelPair struct {
	outletA, outletB string
	a, b             []string
}

// demoLabels are the demo event's same-content pairs. W is Riverlands
// Wire, D The Commons Dispatch, B The Halvern Beacon.
var demoLabels = func() []labelPair {
	const (
		w = "Riverlands Wire"
		d = "The Commons Dispatch"
		b = "The Halvern Beacon"
	)
	l := func(oa, sa, ob string, sb ...string) labelPair {
		return labelPair{outletA: oa, outletB: ob, a: []string{sa}, b: sb}
	}
	return []labelPair{
		l(w, "HALVERN (Riverlands Wire)", d, "Halvern's council majority voted", "The so-called shelter meant"),
		l(w, "HALVERN (Riverlands Wire)", b, "In a bombshell late-night vote", "The measure passed 5-4."),
		l(w, "The vote was taken shortly after", b, "Some say the vote was conveniently", "In a bombshell late-night vote"),
		l(w, "A city count in January", d, "Halvern's council majority voted"),
		l(w, "Under the measure, camping", d, "Under the new ordinance"),
		l(w, "Under the measure, camping", b, "Anyone who sets up a tent"),
		l(w, "A first offence brings", d, "Under the new ordinance"),
		l(w, "A first offence brings", b, "Anyone who sets up a tent"),
		l(w, "Buying and refitting", d, "The state is paying $2.8 million"),
		l(w, "Buying and refitting", b, "In a bombshell late-night vote", "The Calloway regime will pour"),
		l(w, "A state housing grant", d, "The state is paying $2.8 million"),
		l(w, "A state housing grant", b, "The Calloway regime will pour"),
		l(w, "The city puts running costs", b, "The Calloway regime will pour", "Pressed by reporters", "The handouts begin in April"),
		l(w, "The city puts running costs", d, "The state is paying $2.8 million"),
		l(w, "Mayor Ruth Calloway, who proposed", d, "Mayor Ruth Calloway claimed"),
		l(w, "Mayor Ruth Calloway, who proposed", b, "Mayor Ruth Calloway bragged"),
		l(w, "“This gives people a bed", d, "Mayor Ruth Calloway claimed"),
		l(w, "“This gives people a bed", b, "Mayor Ruth Calloway bragged"),
		l(w, "Four council members voted against", b, "Councillor Marcus Fenwick, one of the four"),
		l(w, "Four council members voted against", d, "Councillor Marcus Fenwick, an ally"),
		l(w, "Several speakers from the public gallery", b, "Radical voices in the public gallery"),
		l(w, "Councillor Marcus Fenwick said the cost", b, "Councillor Marcus Fenwick, one of the four"),
		l(w, "Councillor Marcus Fenwick said the cost", d, "Councillor Marcus Fenwick, an ally"),
		l(w, "“We are spending reserve money", b, "Councillor Marcus Fenwick, one of the four", "\"This is a bottomless money pit."),
		l(w, "We have no firm plan for the running costs", b, "\"This is a bottomless money pit."),
		l(w, "Councillor Amara Lindqvist said", d, "Councillor Amara Lindqvist, who voted", "City leaders conveniently skipped"),
		l(w, "\"A hundred and twenty beds", d, "City leaders conveniently skipped", "Councillor Amara Lindqvist, who voted"),
		l(w, "Police Chief Daniel Osei told the council", b, "Police Chief Daniel Osei told councillors"),
		l(w, "He said officers would accompany", d, "Police Chief Daniel Osei boasted", "Many fear a swarm"),
		l(w, "Joanne Achterberg, director of the charity", d, "Joanne Achterberg, director of Halvern"),
		l(w, "Joanne Achterberg, director of the charity", b, "Bleeding-heart activists"),
		l(w, "Greta Hollis, who owns a bakery", b, "Greta Hollis, who runs a bakery", "“We've had needles"),
		l(w, "Samuel Breck, an economist", d, "The state is paying $2.8 million"),
		l(w, "Tomas Reyner, 52, who has lived", d, "Tomas Reyner, 52, has lived", "“They talk about us"),
		l(w, "The council is scheduled to review", d, "The council will review"),
		l(w, "The council is scheduled to review", b, "The council plans to review"),
		l(d, "Halvern's council majority voted", b, "In a bombshell late-night vote", "The measure passed 5-4."),
		l(d, "The so-called shelter meant", b, "The measure passed 5-4.", "In a bombshell late-night vote"),
		l(d, "Mayor Ruth Calloway claimed", b, "Mayor Ruth Calloway bragged"),
		l(d, "The state is paying $2.8 million", b, "The measure passed 5-4.", "In a bombshell late-night vote", "Pressed by reporters"),
		l(d, "Under the new ordinance", b, "Anyone who sets up a tent"),
		l(d, "Joanne Achterberg, director of Halvern", b, "Bleeding-heart activists"),
		l(d, "Councillor Marcus Fenwick, an ally", b, "Councillor Marcus Fenwick, one of the four"),
		l(d, "The council will review", b, "The council plans to review"),
	}
}()

// seedLabels are the seed event's same-content pairs, as byte offsets of
// sentences in outlet A (outlet-a_t4k3-news.txt) and outlet B
// (outlet-b_newszed.txt). Offsets, not words, because the seeds may not be
// copied into the repository; several offsets stand for text the page
// prints twice.
var seedLabels = []struct{ a, b []int }{
	{a: []int{10, 277}, b: []int{187, 70, 296}},
	{a: []int{63}, b: []int{187, 70, 296}},
	{a: []int{169}, b: []int{187, 70, 296}},
	{a: []int{330}, b: []int{296, 1087}},
	{a: []int{492}, b: []int{296, 657, 728, 3038}},
	{a: []int{630}, b: []int{296, 657, 3038}},
	{a: []int{724}, b: []int{1281}},
	{a: []int{835}, b: []int{2816, 3813, 3347}},
	{a: []int{954}, b: []int{1087, 296}},
	{a: []int{1098}, b: []int{3970, 4085}},
	{a: []int{1749}, b: []int{2816, 3813}},
	{a: []int{2689}, b: []int{2816, 3813}},
	{a: []int{1828}, b: []int{2816, 3813}},
	{a: []int{1885}, b: []int{1829, 3970, 4085}},
	{a: []int{1976}, b: []int{2441, 3813}},
	{a: []int{2087}, b: []int{2441}},
	{a: []int{2158}, b: []int{4085}},
	{a: []int{2208}, b: []int{2816}},
	{a: []int{2803}, b: []int{2816, 2441, 3813}},
	{a: []int{3174}, b: []int{187, 70, 296}},
	{a: []int{3217}, b: []int{296}},
}

// labelledEvent is one event's passages with the gold pairs.
type labelledEvent struct {
	name     string
	articles []ComparedArticle
	gold     map[[2]int]bool // passage index pairs, smaller first
}

func demoEvent(t testing.TB) labelledEvent {
	t.Helper()
	a := testAnalyzer(t)
	ev, err := demo.Load()
	require.NoError(t, err)
	var arts []ComparedArticle
	for i, art := range ev.Articles {
		arts = append(arts, ComparedArticle{ArticleID: int64(i + 1), Outlet: art.Outlet, Text: art.Text, Report: a.Analyze(Document{Text: art.Text})})
	}
	arts = articlesByOutlet(arts)
	ev2 := labelledEvent{name: "demo", articles: arts}
	index := map[string]int{}
	for i, art := range arts {
		index[art.Outlet] = i
	}
	offsets := func(outlet string, starts []string) (int, []int) {
		ai := index[outlet]
		var out []int
		for _, s := range starts {
			o := strings.Index(arts[ai].Text, s)
			require.GreaterOrEqual(t, o, 0, "label %q not found in %s", s, outlet)
			out = append(out, o)
		}
		return ai, out
	}
	for _, l := range demoLabels {
		aa, ao := offsets(l.outletA, l.a)
		ba, bo := offsets(l.outletB, l.b)
		ev2.addLabels(aa, ao, ba, bo)
	}
	return ev2
}

func seedEvent(t testing.TB) labelledEvent {
	t.Helper()
	dir := sharedSeeds(t)
	a := testAnalyzer(t)
	var arts []ComparedArticle
	for i, f := range []string{"outlet-a_t4k3-news.txt", "outlet-b_newszed.txt"} {
		data, err := os.ReadFile(filepath.Join(dir, f))
		require.NoError(t, err)
		text := string(data)
		arts = append(arts, ComparedArticle{ArticleID: int64(i + 1), Outlet: []string{"A", "B"}[i], Text: text, Report: a.Analyze(Document{Text: text})})
	}
	ev := labelledEvent{name: "seeds", articles: arts}
	for _, l := range seedLabels {
		ev.addLabels(0, l.a, 1, l.b)
	}
	return ev
}

// labels are kept as offsets until passages are built with given weights.
func (e *labelledEvent) addLabels(aa int, ao []int, ba int, bo []int) {
	if e.gold == nil {
		e.gold = map[[2]int]bool{}
	}
	for _, x := range ao {
		for _, y := range bo {
			e.gold[[2]int{aa<<20 | x, ba<<20 | y}] = true
		}
	}
}

// pairScores gives, for the event's passages built with wt, every
// cross-outlet pair's similarity and gold label, and per passage whether
// it is gold-shared.
func (e *labelledEvent) pairScores(wt alignWeights) (sims []float64, gold []bool, passages []passage, goldShared []bool) {
	passages = buildPassages(e.articles, wt)
	at := func(article, offset int) int {
		for i, p := range passages {
			if p.article == article && p.span.Start <= offset && offset < p.span.End {
				return i
			}
		}
		return -1
	}
	pos := map[[2]int]bool{}
	for k := range e.gold {
		i, j := at(k[0]>>20, k[0]&(1<<20-1)), at(k[1]>>20, k[1]&(1<<20-1))
		if i < 0 || j < 0 {
			continue // a labelled sentence too short to be a passage
		}
		pos[[2]int{min(i, j), max(i, j)}] = true
	}
	goldShared = make([]bool, len(passages))
	for k := range pos {
		goldShared[k[0]], goldShared[k[1]] = true, true
	}
	for i := range passages {
		for j := i + 1; j < len(passages); j++ {
			if passages[i].article == passages[j].article {
				continue
			}
			sims = append(sims, passageSimilarity(&passages[i], &passages[j], wt))
			gold = append(gold, pos[[2]int{i, j}])
		}
	}
	return sims, gold, passages, goldShared
}

// prf is precision, recall and F1 of "similarity ≥ t" against gold.
func prf(sims []float64, gold []bool, t float64) (p, r, f float64) {
	tp, fp, fn := 0, 0, 0
	for i, s := range sims {
		switch {
		case s >= t && gold[i]:
			tp++
		case s >= t:
			fp++
		case gold[i]:
			fn++
		}
	}
	if tp > 0 {
		p, r = float64(tp)/float64(tp+fp), float64(tp)/float64(tp+fn)
		f = 2 * p * r / (p + r)
	}
	return p, r, f
}

// sharedAccuracy is the end task: the share of passages whose "found in
// another outlet" verdict from alignArticles matches the gold.
func (e *labelledEvent) sharedAccuracy(wt alignWeights, t float64, passages []passage, goldShared []bool) float64 {
	c := alignArticlesWith(e.articles, t, wt)
	shared := map[[2]int]bool{} // article, span start
	for _, u := range c.Units {
		if len(u.Outlets) < 2 {
			continue
		}
		for _, m := range u.Members {
			for ai, a := range e.articles {
				if a.Outlet == m.Outlet && a.ArticleID == m.ArticleID {
					for _, s := range m.Spans {
						shared[[2]int{ai, s.Start}] = true
					}
				}
			}
		}
	}
	right := 0
	for i, p := range passages {
		if shared[[2]int{p.article, p.span.Start}] == goldShared[i] {
			right++
		}
	}
	return float64(right) / float64(len(passages))
}

func sharedSeeds(t testing.TB) string {
	t.Helper()
	return workspace.Require(t, "seeds")
}

// TestAlignThresholdMeasure prints precision, recall and F1 of the pair
// decision, and the accuracy of the "only in this outlet" verdict, over a
// range of thresholds, for each weighting tried. Run with -v and
// SLANT_ALIGN_MEASURE=1.
func TestAlignThresholdMeasure(t *testing.T) {
	if os.Getenv("SLANT_ALIGN_MEASURE") == "" {
		t.Skip("set SLANT_ALIGN_MEASURE=1 to print the threshold measurements")
	}
	events := []labelledEvent{demoEvent(t), seedEvent(t)}
	variants := map[string]alignWeights{
		"default":         defaultWeights,
		"plain":           {number: 1, name: 1, idfFloor: 1, oneWay: 1},
		"sharp-idf":       {number: 2, name: 1.5, idfFloor: 0, oneWay: 1},
		"runs":            {number: 2, name: 1.5, idfFloor: 1, nameRuns: true},
		"runs-sharp":      {number: 2, name: 1.5, idfFloor: 0, nameRuns: true},
		"runs-half-floor": {number: 2, name: 1.5, idfFloor: 0.5, nameRuns: true},
		"strong":          {number: 3, name: 2, idfFloor: 0.5, nameRuns: true},
		"num1":            {number: 1, name: 1.5, idfFloor: 1, oneWay: 1},
		"num1.5":          {number: 1.5, name: 1.5, idfFloor: 1, oneWay: 1},
		"num3":            {number: 3, name: 1.5, idfFloor: 1, oneWay: 1},
		"name1":           {number: 2, name: 1, idfFloor: 1, oneWay: 1},
		"name2":           {number: 2, name: 2, idfFloor: 1, oneWay: 1},
		"oneway1.5":       {number: 2, name: 1.5, idfFloor: 1, oneWay: 1.5},
		"oneway2":         {number: 2, name: 1.5, idfFloor: 1, oneWay: 2},
		"mutual":          {number: 2, name: 1.5, idfFloor: 1, oneWay: 100},
		"sharp-oneway1.5": {number: 2, name: 1.5, idfFloor: 0, oneWay: 1.5},
		"overlap":         {number: 2, name: 1.5, idfFloor: 1, overlap: true},
		"overlap-sharp":   {number: 2, name: 1.5, idfFloor: 0, overlap: true},
		"overlap-plain":   {number: 1, name: 1, idfFloor: 0, overlap: true},
	}
	names := strings.Fields(os.Getenv("SLANT_ALIGN_VARIANTS"))
	if len(names) == 0 {
		names = []string{"default", "plain", "sharp-idf", "runs", "runs-sharp", "runs-half-floor", "strong", "overlap", "overlap-sharp", "overlap-plain"}
	}
	for _, name := range names {
		wt := variants[name]
		for _, ev := range events {
			sims, gold, passages, goldShared := ev.pairScores(wt)
			pos := 0
			for _, g := range gold {
				if g {
					pos++
				}
			}
			bestF, bestT := 0.0, 0.0
			var line strings.Builder
			for t10 := 10; t10 <= 70; t10 += 5 {
				th := float64(t10) / 100
				p, r, f := prf(sims, gold, th)
				acc := ev.sharedAccuracy(wt, th, passages, goldShared)
				fmt.Fprintf(&line, " %.2f:P%.2f/R%.2f/F%.2f/acc%.2f", th, p, r, f, acc)
			}
			for t100 := 5; t100 <= 70; t100++ {
				th := float64(t100) / 100
				if _, _, f := prf(sims, gold, th); f > bestF {
					bestF, bestT = f, th
				}
			}
			t.Logf("%-15s %-5s pairs=%d positive=%d bestF1=%.3f at %.2f |%s", name, ev.name, len(sims), pos, bestF, bestT, line.String())
		}
		// Pooled over both events, and each event scored at the other's
		// best threshold (a leave-one-event-out check).
		var all []float64
		var allGold []bool
		best := make([]float64, len(events))
		per := make([][2]any, len(events))
		for k, ev := range events {
			sims, gold, _, _ := ev.pairScores(wt)
			all, allGold = append(all, sims...), append(allGold, gold...)
			bf := 0.0
			for t100 := 5; t100 <= 70; t100++ {
				if _, _, f := prf(sims, gold, float64(t100)/100); f > bf {
					bf, best[k] = f, float64(t100)/100
				}
			}
			per[k] = [2]any{sims, gold}
		}
		bf, bt := 0.0, 0.0
		for t100 := 5; t100 <= 70; t100++ {
			if _, _, f := prf(all, allGold, float64(t100)/100); f > bf {
				bf, bt = f, float64(t100)/100
			}
		}
		_, _, fDemoAtSeeds := prf(per[0][0].([]float64), per[0][1].([]bool), best[1])
		_, _, fSeedsAtDemo := prf(per[1][0].([]float64), per[1][1].([]bool), best[0])
		t.Logf("%-15s pooled bestF1=%.3f at %.2f; demo at seeds' best (%.2f) F1=%.3f; seeds at demo's best (%.2f) F1=%.3f",
			name, bf, bt, best[1], fDemoAtSeeds, best[0], fSeedsAtDemo)
	}
}

// TestAlignAllSidesCrossStory checks the threshold against unrelated
// stories: each AllSides story's neutral summary is aligned with the
// outlets' texts of its own story and, as a control, with those of the
// next story in the file. A passage of the summary that finds a match in
// another story's texts is a false alignment. Run with -v and
// SLANT_ALIGN_MEASURE=1 to print the rates over a range of thresholds.
func TestAlignAllSidesCrossStory(t *testing.T) {
	if os.Getenv("SLANT_ALIGN_MEASURE") == "" {
		t.Skip("set SLANT_ALIGN_MEASURE=1 to print the AllSides measurements")
	}
	path := filepath.Join(workspace.Require(t, "eval"), "allsides.jsonl")
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	type article struct{ Title, Text string }
	type story struct {
		Articles []article
		Neutral  article
	}
	var stories []story
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		var s story
		require.NoError(t, json.Unmarshal([]byte(line), &s))
		stories = append(stories, s)
	}
	a := testAnalyzer(t)
	doc := func(outlet string, x article) ComparedArticle {
		text := x.Title + "\n\n" + x.Text
		return ComparedArticle{Outlet: outlet, Text: text, Report: a.Analyze(Document{Text: text})}
	}
	thresholds := []float64{0.10, 0.15, 0.20, 0.25, 0.30}
	var same, cross [5]int
	total := 0
	best := func(ev []ComparedArticle) []float64 {
		ps := buildPassages(ev, defaultWeights)
		var out []float64
		for i := range ps {
			if ps[i].article != 0 {
				continue
			}
			b := 0.0
			for j := range ps {
				if ps[j].article != 0 {
					b = max(b, passageCosine(ps[i].vec, ps[j].vec))
				}
			}
			out = append(out, b)
		}
		return out
	}
	for i, s := range stories {
		next := stories[(i+1)%len(stories)]
		own := []ComparedArticle{doc("0 neutral", s.Neutral)}
		other := []ComparedArticle{doc("0 neutral", s.Neutral)}
		for k, x := range s.Articles {
			own = append(own, doc(fmt.Sprint(k+1), x))
		}
		for k, x := range next.Articles {
			other = append(other, doc(fmt.Sprint(k+1), x))
		}
		bs, bc := best(own), best(other)
		total += len(bs)
		for k, th := range thresholds {
			for _, v := range bs {
				if v >= th {
					same[k]++
				}
			}
			for _, v := range bc {
				if v >= th {
					cross[k]++
				}
			}
		}
	}
	for k, th := range thresholds {
		t.Logf("threshold %.2f: %d neutral-summary passages; matched in own story %.3f, in the next story %.3f",
			th, total, float64(same[k])/float64(total), float64(cross[k])/float64(total))
	}
}
