package desk

import (
	"context"
	"slices"

	"slant/analysis"
	"slant/models"
)

// A class's results in an exercise are a recipe, not a page: the API
// shows them, and a report or a research export could show the same
// figures, so they are worked out here, away from HTTP.
//
// Each word token of each article is a unit; each student who submitted
// that article codes it 1 when one of their picks overlaps it and 0
// otherwise, and Slant codes it 1 when it lies in one of its own-voice
// findings. AlphaStudents is Krippendorff's nominal alpha over the
// students' codes, AlphaWithSlant the same with Slant as one more coder;
// SlantF1Mean is the mean over students of their F1 against Slant, over
// all the articles they submitted.

// ClassResults is how a class's picks fell, word by word, and how far the
// students agree with each other and with Slant. The figures are nil when
// they are not defined (fewer than two coders on any word, or no
// variation at all; no student for the mean).
type ClassResults struct {
	// Students is how many students submitted at least one article.
	Students int
	// Articles are in the order ClassResults was given them.
	Articles       []ClassArticle
	AlphaStudents  *float64
	AlphaWithSlant *float64
	SlantF1Mean    *float64
}

// ClassArticle is one article of the results: the words any student
// picked or Slant flags in the outlet's own voice, in text order. Tokens
// is never nil.
type ClassArticle struct {
	ArticleID int64
	Tokens    []ClassToken
}

// ClassToken is one word: how many students picked it and whether Slant
// flags it.
type ClassToken struct {
	Start, End int
	Text       string
	Picks      int
	Slant      bool
}

// ClassResults works out the results of an exercise's submissions over
// its articles, with each article's current report (redone and saved when
// stale, as the page reads it).
func (d *Desk) ClassResults(ctx context.Context, articles []models.Article, subs []models.Submission) (ClassResults, error) {
	byArticle := map[int64][]models.Submission{}
	for _, sub := range subs {
		byArticle[sub.ArticleID] = append(byArticle[sub.ArticleID], sub)
	}
	// One analyzer for the whole exercise, so that every article is
	// scored by the same lexicon even if the word list changes meanwhile.
	analyzer := d.Analyzer()
	out := ClassResults{Articles: make([]ClassArticle, 0, len(articles))}
	coding := classCoding{counts: map[string]analysis.SpotCounts{}}
	for _, a := range articles {
		filed, err := d.Report(ctx, analyzer, a, SaveRedone)
		if err != nil {
			return ClassResults{}, err
		}
		out.Articles = append(out.Articles, coding.article(a, filed.Report, byArticle[a.ID]))
	}
	coding.agreement(&out)
	return out, nil
}

// classCoding gathers the coders' values over all the articles (one unit
// a word) and each student's counts against Slant.
type classCoding struct {
	studentUnits, slantUnits [][]int
	counts                   map[string]analysis.SpotCounts
}

// article codes the words of one article: Slant's own-voice findings and
// each submission's picks.
func (cc *classCoding) article(a models.Article, report analysis.Report, subs []models.Submission) ClassArticle {
	words := analysis.WordSpans(a.Body)
	var own []analysis.Span
	for _, f := range report.Findings {
		if !f.InQuote {
			own = append(own, analysis.Span{Start: f.Start, End: f.End})
		}
	}
	flagged := analysis.Covered(words, own)
	picked := make([][]bool, 0, len(subs))
	for _, sub := range subs {
		spans := PickSpans(sub.Picks)
		picked = append(picked, analysis.Covered(words, spans))
		cc.counts[sub.Student] = cc.counts[sub.Student].Add(analysis.ScoreSpotting(report.Findings, spans).SpotCounts)
	}
	out := ClassArticle{ArticleID: a.ID, Tokens: []ClassToken{}}
	for w, span := range words {
		values := make([]int, 0, len(picked)+1)
		n := 0
		for _, p := range picked {
			values = append(values, b2i(p[w]))
			n += b2i(p[w])
		}
		cc.studentUnits = append(cc.studentUnits, values)
		// Slant's value goes on a copy: values stays the students' unit.
		cc.slantUnits = append(cc.slantUnits, append(values[:len(values):len(values)], b2i(flagged[w])))
		if n > 0 || flagged[w] {
			out.Tokens = append(out.Tokens, ClassToken{Start: span.Start, End: span.End,
				Text: a.Body[span.Start:span.End], Picks: n, Slant: flagged[w]})
		}
	}
	return out
}

// agreement fills in the class's figures once every article is coded.
func (cc *classCoding) agreement(out *ClassResults) {
	out.Students = len(cc.counts)
	if alpha, ok := analysis.NominalAlpha(cc.studentUnits); ok {
		out.AlphaStudents = &alpha
	}
	if alpha, ok := analysis.NominalAlpha(cc.slantUnits); ok {
		out.AlphaWithSlant = &alpha
	}
	if len(cc.counts) > 0 {
		// Sum in a fixed order so that the mean does not depend on map
		// order in its last bits.
		students := make([]string, 0, len(cc.counts))
		for st := range cc.counts {
			students = append(students, st)
		}
		slices.Sort(students)
		var sum float64
		for _, st := range students {
			sum += cc.counts[st].F1()
		}
		mean := sum / float64(len(students))
		out.SlantF1Mean = &mean
	}
}

// PickSpans turns stored picks into spans.
func PickSpans(picks []models.Pick) []analysis.Span {
	out := make([]analysis.Span, len(picks))
	for i, p := range picks {
		out[i] = analysis.Span{Start: p.Start, End: p.End}
	}
	return out
}

// b2i is 1 for true and 0 for false: a coder's value.
func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
