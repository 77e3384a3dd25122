package desk

import (
	"context"
	"fmt"
	"slices"

	"slant/analysis"
	"slant/models"
)

// A class's results in an exercise are a recipe, not a page: the API
// shows them, and a report or a research export could show the same
// figures, so they are worked out here, away from HTTP.
//
// The answers are fixed when the exercise starts: each article's answer
// list (models.ExerciseAnswers) is what Slant flagged in it then, and
// every submission and the class's results are scored against it, so that
// a change of the class word list or the lexicon during the lesson does
// not rescore it. An article without a list (added to the event after the
// start, or an exercise started before Slant kept lists) gets one the
// first time the exercise is read, kept from then on.
//
// Picks are scored word by word: each word a pick covers is one picked
// word (PickedWords), so a pick over a whole text is as many picks as the
// text has words, most of them extra. Each word token of each article is
// a unit; each student who submitted that article codes it 1 when they
// picked it and 0 otherwise, and Slant codes it 1 when it lies in one of
// the answer list's own-voice flags. AlphaStudents is Krippendorff's
// nominal alpha over the students' codes, AlphaWithSlant the same with
// Slant as one more coder; SlantF1Mean is the mean over students of their
// F1 against Slant, over all the articles they submitted. Flags in the
// headline are kept apart: students pick from the text, not the headline,
// so they are neither found nor missed.

// StartExercise starts an exercise on an event with the answer lists of
// its scored articles, made with one analyzer (see Scored: an article in
// another language than English is not part of an exercise). It fails
// with models.ErrNotFound when the event does not exist.
func (d *Desk) StartExercise(ctx context.Context, ex *models.Exercise) error {
	articles, err := d.ExerciseArticles(ctx, ex.EventID)
	if err != nil {
		return err
	}
	answers, err := d.answerLists(ctx, d.Analyzer(), articles)
	if err != nil {
		return err
	}
	return d.store.StartExercise(ctx, ex, answers)
}

// ExerciseArticles returns the articles an exercise on an event is made
// of: the event's scored articles (see Scored), in the order they were
// added. It fails with models.ErrNotFound when the event does not exist.
func (d *Desk) ExerciseArticles(ctx context.Context, eventID int64) ([]models.Article, error) {
	return scoredOnly(d.store.ListArticles(ctx, eventID))
}

// ExerciseTexts returns the same articles as ExerciseArticles without
// their stored reports (Analysis.Report is nil): what a student's page
// shows, read without the reports, which are several times the texts'
// size and are not the student's to see.
func (d *Desk) ExerciseTexts(ctx context.Context, eventID int64) ([]models.Article, error) {
	return scoredOnly(d.store.ListArticleTexts(ctx, eventID))
}

// scoredOnly keeps the scored articles of a listing.
func scoredOnly(articles []models.Article, err error) ([]models.Article, error) {
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(articles, func(a models.Article) bool { return !Scored(a) }), nil
}

// ExerciseAnswers returns the answer list of each of an exercise's
// articles by id. An article without one gets it now, from its current
// report, and keeps it (when two requests make one at once, the first
// stored wins and both answer with it).
func (d *Desk) ExerciseAnswers(ctx context.Context, ex models.Exercise, articles []models.Article) (map[int64]models.ExerciseAnswers, error) {
	stored, err := d.store.ListExerciseAnswers(ctx, ex.ID)
	if err != nil {
		return nil, err
	}
	var missing []models.Article
	for _, a := range articles {
		if _, ok := stored[a.ID]; !ok {
			missing = append(missing, a)
		}
	}
	if len(missing) == 0 {
		return stored, nil
	}
	made, err := d.answerLists(ctx, d.Analyzer(), missing)
	if err != nil {
		return nil, err
	}
	if err := d.store.SaveExerciseAnswers(ctx, ex.ID, made); err != nil {
		return nil, err
	}
	return d.store.ListExerciseAnswers(ctx, ex.ID)
}

// ExercisesWithChangedAnswers returns the exercises of an event (by id)
// whose stored answer lists no longer match what the event's articles are
// flagged with now: a student's check and the class results count one
// list of words, while the event page and the worksheet's answer key show
// another. An exercise with no stored lists yet is not among them (its
// lists will be made from the current reports), nor is one whose only
// differing list is of an article deleted since.
//
// A list made with the analysis version in force matches by
// construction (the analysis is deterministic and a stored article's text
// does not change), so in the common case this is one small query and
// nothing is decoded. The version alone would give false alarms, though:
// any edit of the class word list changes it, also adding a word that
// none of the event's articles uses, and the teacher would be told the
// key changed when it did not. So a list of another version is compared
// with the current report's flags, on what the class is scored on and the
// key shows (see sameKey). That reads the event once (the reading the
// event page and the worksheet share, cached by the event's state), and
// each older list once per article and version however many exercises
// share it: the cost grows with the event, not with its exercises.
func (d *Desk) ExercisesWithChangedAnswers(ctx context.Context, eventID int64) (map[int64]bool, error) {
	analyzer := d.Analyzer()
	version := analyzer.Version()
	older, err := d.store.ListAnswerVersionsOtherThan(ctx, eventID, version)
	if err != nil || len(older) == 0 {
		return map[int64]bool{}, err
	}
	samples, err := d.store.ListAnswerSamplesOtherThan(ctx, eventID, version)
	if err != nil {
		return nil, err
	}
	reading, err := d.readEventWith(ctx, analyzer, eventID, SaveRedone)
	if err != nil {
		return nil, err
	}
	current := make(map[int64]analysis.Report, len(reading.Articles))
	for _, f := range reading.Articles {
		current[f.Article.ID] = f.Report
	}
	type listKey struct {
		articleID int64
		version   string
	}
	lex := analyzer.Lexicon()
	changed := map[listKey]bool{}
	for _, s := range samples {
		report, ok := current[s.ArticleID]
		if !ok {
			continue // deleted since: neither the key nor the results show it
		}
		if !sameKey(s.Flags, answerFlags(lex, report.Findings)) || !sameKey(s.TitleFlags, answerFlags(lex, report.TitleFindings)) {
			changed[listKey{s.ArticleID, s.AnalysisVersion}] = true
		}
	}
	out := map[int64]bool{}
	for _, v := range older {
		if changed[listKey{v.ArticleID, v.AnalysisVersion}] {
			out[v.ExerciseID] = true
		}
	}
	return out, nil
}

// sameKey says whether two answer lists agree on the flags in the
// outlet's own voice (the words, where they are, the category, the reason
// and the alternatives): what a student's check counts and shows, and
// what the worksheet's key lists. Flags inside quotations are neither
// scored nor in the key, and whether a flag came from the class word list
// is shown nowhere, so a change only there is no change of the key.
func sameKey(stored, now []models.AnswerFlag) bool {
	return slices.EqualFunc(ownVoice(stored), ownVoice(now), func(a, b models.AnswerFlag) bool {
		return a.Start == b.Start && a.End == b.End && a.Text == b.Text && a.Category == b.Category &&
			a.Reason == b.Reason && slices.Equal(a.Alternatives, b.Alternatives)
	})
}

// ownVoice keeps the flags outside quotations.
func ownVoice(flags []models.AnswerFlag) []models.AnswerFlag {
	out := make([]models.AnswerFlag, 0, len(flags))
	for _, f := range flags {
		if !f.InQuote {
			out = append(out, f)
		}
	}
	return out
}

// answerLists makes the answer lists of articles from their current
// reports made with analyzer (saving a redone report, as a page read
// does).
func (d *Desk) answerLists(ctx context.Context, analyzer *analysis.Analyzer, articles []models.Article) ([]models.ExerciseAnswers, error) {
	out := make([]models.ExerciseAnswers, 0, len(articles))
	for _, a := range articles {
		filed, err := d.Report(ctx, analyzer, a, SaveRedone)
		if err != nil {
			return nil, fmt.Errorf("answer list of article %d: %w", a.ID, err)
		}
		out = append(out, models.ExerciseAnswers{ArticleID: a.ID, AnalysisVersion: analyzer.Version(),
			Flags:      answerFlags(analyzer.Lexicon(), filed.Report.Findings),
			TitleFlags: answerFlags(analyzer.Lexicon(), filed.Report.TitleFindings)})
	}
	return out, nil
}

// answerFlags turns findings into the flags of an answer list, each with
// its category named in words (the student's page loads no lexicon).
func answerFlags(lex *analysis.Lexicon, findings []analysis.Finding) []models.AnswerFlag {
	out := make([]models.AnswerFlag, 0, len(findings))
	for _, f := range findings {
		out = append(out, models.AnswerFlag{Start: f.Start, End: f.End, Text: f.Text, Category: f.Category,
			CategoryLabel: CategoryLabel(lex, f.Category), Reason: f.Reason, Alternatives: slices.Clone(f.Alternatives), InQuote: f.InQuote, Custom: f.Custom})
	}
	return out
}

// AnswerFindings turns the flags of an answer list back into findings,
// for the scoring arithmetic of the analysis package.
func AnswerFindings(flags []models.AnswerFlag) []analysis.Finding {
	out := make([]analysis.Finding, len(flags))
	for i, f := range flags {
		out[i] = analysis.Finding{Start: f.Start, End: f.End, Text: f.Text, Category: f.Category, Reason: f.Reason,
			Alternatives: f.Alternatives, InQuote: f.InQuote, Custom: f.Custom}
	}
	return out
}

// ScorePicks scores a student's picks in an article's text against its
// answer list, word by word: a match, an extra and a quoted pick are each
// one word (see PickedWords), and a flag is found when a picked word lies
// in it.
func ScorePicks(answers models.ExerciseAnswers, text string, picks []models.Pick) analysis.Spotting {
	return analysis.ScoreSpotting(AnswerFindings(answers.Flags), PickedWords(text, picks))
}

// PickedWords returns the words of text that picks cover, each as a span
// of its own, in text order: the unit a pick is scored in. A pick that
// covers part of a word picks the word; one that covers no word (only
// spaces or punctuation) picks nothing.
func PickedWords(text string, picks []models.Pick) []analysis.Span {
	words := analysis.WordSpans(text)
	covered := analysis.Covered(words, PickSpans(picks))
	out := make([]analysis.Span, 0, len(picks))
	for i, w := range words {
		if covered[i] {
			out = append(out, w)
		}
	}
	return out
}

// ClassResults is how a class's picks fell, word by word, and how far the
// students agree with each other and with Slant. The figures are nil when
// they are not defined (fewer than two coders on any word, or no
// variation at all; no student for the mean).
type ClassResults struct {
	// Students is how many students submitted at least one article.
	Students int
	// TeacherTries is how many checks the teacher made (models.
	// TeacherClient): they are left out of everything else here.
	TeacherTries int
	// Articles are in the order ClassResults was given them.
	Articles       []ClassArticle
	AlphaStudents  *float64
	AlphaWithSlant *float64
	SlantF1Mean    *float64
}

// ClassArticle is one article of the results: how many students checked
// it, the words any student picked or Slant flags in the outlet's own
// voice, in text order (Tokens is never nil), and Slant's flags in the
// headline, which are not part of the picking.
type ClassArticle struct {
	ArticleID int64
	// Students is how many students submitted this article: the share of
	// the class that picked a word is out of them.
	Students      int
	Tokens        []ClassToken
	HeadlineFlags []models.AnswerFlag
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
// its articles, against the exercise's answer lists (ExerciseAnswers).
func (d *Desk) ClassResults(ctx context.Context, ex models.Exercise, articles []models.Article, subs []models.Submission) (ClassResults, error) {
	answers, err := d.ExerciseAnswers(ctx, ex, articles)
	if err != nil {
		return ClassResults{}, err
	}
	out := ClassResults{Articles: make([]ClassArticle, 0, len(articles))}
	byArticle := map[int64][]models.Submission{}
	for _, sub := range subs {
		if sub.Client == models.TeacherClient {
			out.TeacherTries++
			continue
		}
		byArticle[sub.ArticleID] = append(byArticle[sub.ArticleID], sub)
	}
	coding := classCoding{counts: map[string]analysis.SpotCounts{}}
	for _, a := range articles {
		out.Articles = append(out.Articles, coding.article(a, answers[a.ID], byArticle[a.ID]))
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

// article codes the words of one article: the answer list's own-voice
// flags and each submission's picked words.
func (cc *classCoding) article(a models.Article, answers models.ExerciseAnswers, subs []models.Submission) ClassArticle {
	words := analysis.WordSpans(a.Body)
	findings := AnswerFindings(answers.Flags)
	var own []analysis.Span
	for _, f := range findings {
		if !f.InQuote {
			own = append(own, analysis.Span{Start: f.Start, End: f.End})
		}
	}
	flagged := analysis.Covered(words, own)
	picked := make([][]bool, 0, len(subs))
	for _, sub := range subs {
		spans := PickSpans(sub.Picks)
		picked = append(picked, analysis.Covered(words, spans))
		cc.counts[sub.Student] = cc.counts[sub.Student].Add(analysis.ScoreSpotting(findings, PickedWords(a.Body, sub.Picks)).SpotCounts)
	}
	headline := answers.TitleFlags
	if headline == nil {
		headline = []models.AnswerFlag{}
	}
	out := ClassArticle{ArticleID: a.ID, Students: len(subs), Tokens: []ClassToken{}, HeadlineFlags: headline}
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
