package api

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"slant/analysis"
	"slant/desk"
	"slant/models"
)

// Exercises: spot the loaded words. A teacher starts one on an event and
// gives the class its six-character code; students open the articles with
// the code, mark the words they find loaded and see how their picks
// compare with Slant's findings; the teacher sees how the class agreed.
// There are no accounts and no names: a student is an opaque random key
// their browser makes up.
//
// Teacher (see access.go):
//
//	POST   /api/v1/events/{id}/exercises     start one           201
//	GET    /api/v1/events/{id}/exercises     list an event's
//	GET    /api/v1/exercises/{code}/results  the class's picks and agreement
//	POST   /api/v1/exercises/{code}/reveal   show the outlets
//	POST   /api/v1/exercises/{code}/end      end it: the code stops working, the picks stay
//	DELETE /api/v1/exercises/{code}          delete it, with its submissions  204
//
// Student (anyone: the code is the capability):
//
//	GET  /api/v1/exercises/{code}              the articles, without findings
//	POST /api/v1/exercises/{code}/submissions  send picks, get the score
//
// One honest try: a student's first submission for an article is final (a
// second is 409), because the answer to it shows Slant's flags. A code
// works for ExerciseTTL after the start and until the teacher ends the
// exercise (410 after that, in words a student follows; an unknown code is
// 404), for at most MaxStudents students (one more is 409), and one client
// address brings at most StudentsPerAddress of them (one more is 409: the
// refusal is of this device, not a rate, so waiting does not help; the
// student asks the teacher). The teacher is not counted.
//
// The answers are fixed when the exercise starts (desk.StartExercise keeps
// each article's answer list), and picks are scored word by word. The
// teacher's view of an exercise says whether those lists still match what
// the event's articles are flagged with now (answers_match_current), so
// that the worksheet's key and the event page can say when they differ.
//
// The student's GET and a submission count against the analysis rate (a
// whole class opens the page at once from one school address, as with the
// analysis page); a submission is a write, refused in read-only mode.

// ExerciseView is an exercise as the teacher sees it. Open is true while
// students may use its code: until EndedAt, when the teacher ended it, and
// until ExpiresAt (null when codes do not expire).
type ExerciseView struct {
	Code      string     `json:"code"`
	EventID   int64      `json:"event_id"`
	Blind     bool       `json:"blind"`
	Revealed  bool       `json:"revealed"`
	CreatedAt time.Time  `json:"created_at"`
	Open      bool       `json:"open"`
	EndedAt   *time.Time `json:"ended_at"`
	ExpiresAt *time.Time `json:"expires_at"`
	// AnswersMatchCurrent is false when the answer lists the exercise
	// scores against (kept when it started) no longer match what the
	// event's articles are flagged with now, after a change of the class
	// word list or the lexicon: the students' checks and the class results
	// count other words than the event page and the worksheet's answer
	// key show (desk.ExercisesWithChangedAnswers says exactly when). True
	// for an exercise without stored lists yet.
	AnswersMatchCurrent bool `json:"answers_match_current"`
}

// ExerciseListView is the answer to GET /api/v1/events/{id}/exercises.
type ExerciseListView struct {
	Exercises []ExerciseView `json:"exercises"`
}

// StudentExerciseView is the answer to GET /api/v1/exercises/{code}: what
// a student needs to do the exercise, and nothing that gives it away (no
// findings, no URLs; no outlets while it is blind). Students get it only
// while the exercise is open; the teacher gets it after, with Open false.
type StudentExerciseView struct {
	Code      string               `json:"code"`
	Blind     bool                 `json:"blind"`
	Revealed  bool                 `json:"revealed"`
	Open      bool                 `json:"open"`
	ExpiresAt *time.Time           `json:"expires_at"`
	Event     StudentEventView     `json:"event"`
	Articles  []StudentArticleView `json:"articles"`
}

// StudentEventView is the event of an exercise.
type StudentEventView struct {
	ID          int64      `json:"id"`
	Title       string     `json:"title"`
	Description string     `json:"description"`
	Date        *time.Time `json:"date"`
}

// StudentArticleView is one article of an exercise. Outlet is null and
// Label "Outlet N" while the exercise is blind and not revealed; otherwise
// Label is the outlet's name.
type StudentArticleView struct {
	ID     int64              `json:"id"`
	Label  string             `json:"label"`
	Outlet *StudentOutletView `json:"outlet"`
	Title  string             `json:"title"`
	Text   string             `json:"text"`
}

// StudentOutletView names an article's outlet.
type StudentOutletView struct {
	Name   string `json:"name"`
	Domain string `json:"domain"`
}

// submissionInput is the body of POST /api/v1/exercises/{code}/submissions.
type submissionInput struct {
	Student   string        `json:"student"`
	ArticleID int64         `json:"article_id"`
	Picks     []models.Pick `json:"picks"`
}

// SpottedView is one of Slant's own-voice findings, found or missed.
// CategoryLabel names the category in words, since the student's page does
// not load the lexicon.
type SpottedView struct {
	Start         int      `json:"start"`
	End           int      `json:"end"`
	Text          string   `json:"text"`
	Category      string   `json:"category"`
	CategoryLabel string   `json:"category_label"`
	Reason        string   `json:"reason"`
	Alternatives  []string `json:"alternatives"`
}

// PickView is one of the student's picks.
type PickView struct {
	Start int    `json:"start"`
	End   int    `json:"end"`
	Text  string `json:"text"`
}

// ScoreView sums up a submission: Found of Slant's Total own-voice findings,
// and Extra picked words Slant does not flag (picks count word by word). The teacher's figures (precision,
// recall, F1) are there for tools; the student's page shows the counts.
type ScoreView struct {
	Found     int     `json:"found"`
	Total     int     `json:"total"`
	Extra     int     `json:"extra"`
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
}

// SubmissionResultView is the answer to a submission: the findings the
// student found and missed, their picked words Slant does not flag
// (extras) and those inside quotations (quoted), one entry a word, and the
// score.
type SubmissionResultView struct {
	Matches []SpottedView `json:"matches"`
	Misses  []SpottedView `json:"misses"`
	Extras  []PickView    `json:"extras"`
	Quoted  []PickView    `json:"quoted"`
	Score   ScoreView     `json:"score"`
}

// ResultsView is the answer to GET /api/v1/exercises/{code}/results: how
// the class's picks fell, word by word, and how far the students agree
// with each other and with Slant. The numbers are null when they are not
// defined (fewer than two coders on any word, or no variation at all).
type ResultsView struct {
	Code     string `json:"code"`
	EventID  int64  `json:"event_id"`
	Students int    `json:"students"`
	// TeacherTries is how many of the teacher's own tries (checks made
	// with the admin token) the results leave out.
	TeacherTries   int                 `json:"teacher_tries"`
	Articles       []ResultArticleView `json:"articles"`
	AlphaStudents  *float64            `json:"alpha_students"`
	AlphaWithSlant *float64            `json:"alpha_with_slant"`
	SlantF1Mean    *float64            `json:"slant_f1_mean"`
}

// ResultArticleView is one article of the results: how many students
// checked it (each word's picks are out of them), the words any student
// picked or Slant flags in the outlet's own voice, and Slant's own-voice
// flags in the headline, which students do not pick from and which count
// for nobody.
type ResultArticleView struct {
	ArticleID     int64              `json:"article_id"`
	Label         string             `json:"label"`
	Students      int                `json:"students"`
	Tokens        []ResultTokenView  `json:"tokens"`
	HeadlineFlags []HeadlineFlagView `json:"headline_flags"`
}

// HeadlineFlagView is one of Slant's flags in an article's headline:
// offsets into the title.
type HeadlineFlagView struct {
	Start         int    `json:"start"`
	End           int    `json:"end"`
	Text          string `json:"text"`
	CategoryLabel string `json:"category_label"`
}

// ResultTokenView is one word: how many students picked it and whether
// Slant flags it.
type ResultTokenView struct {
	Start int    `json:"start"`
	End   int    `json:"end"`
	Text  string `json:"text"`
	Picks int    `json:"picks"`
	Slant bool   `json:"slant"`
}

// exerciseView converts a stored exercise; match is whether its answer
// lists match the event's current flags.
func (s *Server) exerciseView(ex models.Exercise, match bool) ExerciseView {
	return ExerciseView{Code: ex.Code, EventID: ex.EventID, Blind: ex.Blind, Revealed: ex.Revealed, CreatedAt: ex.CreatedAt,
		Open: s.checkOpen(ex) == nil, EndedAt: ex.EndedAt, ExpiresAt: ex.ExpiresAt(s.exerciseRules.TTL), AnswersMatchCurrent: match}
}

// changeExercise runs a write on the exercise of the code in the path
// (reveal, end) and answers with the exercise as stored afterwards. Its
// answers' match is worked out first, so that a failure there writes
// nothing.
func (s *Server) changeExercise(c *gin.Context, write func(ctx context.Context, code string) (models.Exercise, error)) {
	ctx := c.Request.Context()
	ex, err := s.store.GetExercise(ctx, c.Param("code"))
	if err != nil {
		s.fail(c, err)
		return
	}
	changed, err := s.desk.ExercisesWithChangedAnswers(ctx, ex.EventID)
	if err != nil {
		s.fail(c, err)
		return
	}
	if ex, err = write(ctx, c.Param("code")); err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, s.exerciseView(ex, !changed[ex.ID]))
}

// checkOpen says whether students may use an exercise now: nil, or an
// error with a message a student understands (410).
func (s *Server) checkOpen(ex models.Exercise) error {
	return exerciseClosedMessage(ex.CheckOpen(time.Now(), s.exerciseRules.TTL), s.exerciseRules.TTL)
}

// exerciseClosedMessage puts words a student understands on the refusal
// of an exercise that is over; other errors pass as they are.
func exerciseClosedMessage(err error, ttl time.Duration) error {
	var closed *models.ExerciseClosedError
	if !errors.As(err, &closed) {
		return err
	}
	if closed.Expired {
		return desk.Explain(err, fmt.Sprintf("this class code is too old: codes work for %s. Ask your teacher for a new one.", durationWords(ttl)))
	}
	return desk.Explain(err, "this exercise has ended: your teacher closed it. Ask your teacher for a new class code.")
}

// durationWords says a code's lifetime in days or hours.
func durationWords(d time.Duration) string {
	if days := int(d / (24 * time.Hour)); days >= 1 && d%(24*time.Hour) == 0 {
		return plural(days, "day", "days")
	}
	if hours := int(d / time.Hour); hours >= 1 && d%time.Hour == 0 {
		return plural(hours, "hour", "hours")
	}
	return d.String()
}

// plural writes a count with its noun.
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// unknownCodeMessage answers a class code that names no exercise.
const unknownCodeMessage = "there is no exercise with this class code. Check the code with your teacher."

// getExercise loads the exercise of a class code in the path, with a 404
// a student understands.
func (s *Server) getExercise(c *gin.Context) (models.Exercise, error) {
	ex, err := s.store.GetExercise(c.Request.Context(), c.Param("code"))
	if errors.Is(err, models.ErrNotFound) {
		err = desk.Explain(err, unknownCodeMessage)
	}
	return ex, err
}

// hidesOutlets reports whether an exercise's outlets are hidden.
func hidesOutlets(ex models.Exercise) bool { return ex.Blind && !ex.Revealed }

// exerciseOrder sorts an event's articles in an exercise's own order: by a
// hash of the code and the article id, so that the order is the same on
// every visit but says nothing about when an outlet's article was added.
func exerciseOrder(code string, articles []models.Article) {
	key := func(id int64) string {
		sum := sha256.Sum256([]byte(code + ":" + strconv.FormatInt(id, 10)))
		return hex.EncodeToString(sum[:])
	}
	slices.SortFunc(articles, func(a, b models.Article) int {
		return cmp.Or(cmp.Compare(key(a.ID), key(b.ID)), cmp.Compare(a.ID, b.ID))
	})
}

// articleLabel is an article's label in an exercise: "Outlet N" (N from 1,
// its place in the exercise's order) while the outlets are hidden, the
// outlet's name otherwise.
func articleLabel(ex models.Exercise, place int, a models.Article) string {
	if hidesOutlets(ex) {
		return fmt.Sprintf("Outlet %d", place+1)
	}
	return a.Outlet.Name
}

// exerciseArticles loads an exercise's articles (desk.ExerciseArticles:
// one in another language than English is not offered, see
// desk/language.go) in the exercise's order.
func (s *Server) exerciseArticles(ctx context.Context, ex models.Exercise) ([]models.Article, error) {
	articles, err := s.desk.ExerciseArticles(ctx, ex.EventID)
	return inExerciseOrder(ex, articles, err)
}

// exerciseTexts is exerciseArticles without the stored reports, for the
// student's page (desk.ExerciseTexts).
func (s *Server) exerciseTexts(ctx context.Context, ex models.Exercise) ([]models.Article, error) {
	articles, err := s.desk.ExerciseTexts(ctx, ex.EventID)
	return inExerciseOrder(ex, articles, err)
}

// inExerciseOrder puts a listing of an exercise's articles in its order.
func inExerciseOrder(ex models.Exercise, articles []models.Article, err error) ([]models.Article, error) {
	if err != nil {
		return nil, err
	}
	exerciseOrder(ex.Code, articles)
	return articles, nil
}

// limitCodeLookups is the middleware of the student's GET: it counts
// against the analysis rate, which bounds how fast codes can be guessed
// while letting a whole class open the page at once.
func (s *Server) limitCodeLookups(c *gin.Context) { limited(c, s.analyzeLimits) }

// createExercise answers POST /api/v1/events/{id}/exercises.
func (s *Server) createExercise(c *gin.Context) {
	eventID, err := pathID(c, "id")
	if err != nil {
		s.fail(c, err)
		return
	}
	var in struct {
		Blind bool `json:"blind"`
	}
	if err := s.decodeJSON(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	ex := models.Exercise{EventID: eventID, Blind: in.Blind}
	if err := s.desk.StartExercise(c.Request.Context(), &ex); err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Location", "/api/v1/exercises/"+ex.Code)
	// Its lists were just made from the current reports.
	c.JSON(http.StatusCreated, s.exerciseView(ex, true))
}

// listExercises answers GET /api/v1/events/{id}/exercises.
func (s *Server) listExercises(c *gin.Context) {
	eventID, err := pathID(c, "id")
	if err != nil {
		s.fail(c, err)
		return
	}
	ctx := c.Request.Context()
	list, err := s.store.ListExercises(ctx, eventID)
	if err != nil {
		s.fail(c, err)
		return
	}
	changed, err := s.desk.ExercisesWithChangedAnswers(ctx, eventID)
	if err != nil {
		s.fail(c, err)
		return
	}
	out := ExerciseListView{Exercises: make([]ExerciseView, 0, len(list))}
	for _, ex := range list {
		out.Exercises = append(out.Exercises, s.exerciseView(ex, !changed[ex.ID]))
	}
	c.JSON(http.StatusOK, out)
}

// revealExercise answers POST /api/v1/exercises/{code}/reveal.
func (s *Server) revealExercise(c *gin.Context) {
	s.changeExercise(c, s.store.RevealExercise)
}

// endExercise answers POST /api/v1/exercises/{code}/end.
func (s *Server) endExercise(c *gin.Context) {
	s.changeExercise(c, s.store.EndExercise)
}

// deleteExercise answers DELETE /api/v1/exercises/{code}.
func (s *Server) deleteExercise(c *gin.Context) {
	if err := s.store.DeleteExercise(c.Request.Context(), c.Param("code")); err != nil {
		s.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// studentExercise answers GET /api/v1/exercises/{code}: 410 once the
// exercise is over, except to the teacher, whose results page shows its
// texts.
func (s *Server) studentExercise(c *gin.Context) {
	ctx := c.Request.Context()
	ex, err := s.getExercise(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	closed := s.checkOpen(ex)
	if closed != nil && !s.isTeacher(c) {
		s.fail(c, closed)
		return
	}
	event, err := s.store.GetEvent(ctx, ex.EventID)
	if err != nil {
		s.fail(c, err)
		return
	}
	articles, err := s.exerciseTexts(ctx, ex)
	if err != nil {
		s.fail(c, err)
		return
	}
	out := StudentExerciseView{
		Code: ex.Code, Blind: ex.Blind, Revealed: ex.Revealed, Open: closed == nil, ExpiresAt: ex.ExpiresAt(s.exerciseRules.TTL),
		Event:    StudentEventView{ID: event.ID, Title: event.Title, Description: event.Description, Date: event.Date},
		Articles: make([]StudentArticleView, 0, len(articles)),
	}
	hide := outletNamePattern(articles)
	for i, a := range articles {
		view := StudentArticleView{ID: a.ID, Label: articleLabel(ex, i, a), Title: a.Title, Text: a.Body}
		if hidesOutlets(ex) {
			view.Title, view.Text = maskMatches(hide, view.Title), maskMatches(hide, view.Text)
		} else {
			view.Outlet = &StudentOutletView{Name: a.Outlet.Name, Domain: a.Outlet.Domain}
		}
		out.Articles = append(out.Articles, view)
	}
	c.JSON(http.StatusOK, out)
}

// submit answers POST /api/v1/exercises/{code}/submissions: it stores the
// student's first and only picks in one article and scores them, word by
// word, against the own-voice flags of the exercise's answer list for the
// article (fixed when the exercise started: see desk/exercise.go).
// Overlapping picks are merged (see models.CheckPicks).
func (s *Server) submit(c *gin.Context) {
	var in submissionInput
	if err := s.decodeJSON(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	ctx := c.Request.Context()
	ex, err := s.getExercise(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	if err := s.checkOpen(ex); err != nil {
		s.fail(c, err)
		return
	}
	if in.Picks == nil {
		s.fail(c, &models.ValidationError{Field: "picks", Problem: "is required (an empty list when nothing is loaded)"})
		return
	}
	article, err := s.store.GetArticle(ctx, ex.EventID, in.ArticleID)
	if err == nil && !desk.Scored(article) {
		err = models.ErrNotFound // not offered: see exerciseArticles
	}
	if errors.Is(err, models.ErrNotFound) {
		err = &models.ValidationError{Field: "article_id", Problem: "is not an article of this exercise"}
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	// The answer list first: made now for an article that has none yet,
	// it is the one this check and every later one are scored against.
	answers, err := s.desk.ExerciseAnswers(ctx, ex, []models.Article{article})
	if err != nil {
		s.fail(c, err)
		return
	}
	sub := models.Submission{ExerciseID: ex.ID, ArticleID: article.ID, Student: in.Student, Picks: in.Picks, Client: s.studentClient(c, ex)}
	if err := s.store.SaveSubmission(ctx, &sub, s.exerciseRules); err != nil {
		switch {
		case errors.Is(err, models.ErrAlreadySubmitted):
			err = desk.Explain(err, alreadySubmittedMessage)
		case errors.Is(err, models.ErrClassFull):
			err = desk.Explain(err, fmt.Sprintf("this class is full: %s have already sent picks, the most one exercise takes. "+
				"Ask your teacher to start another exercise for the rest of the class.", plural(s.exerciseRules.MaxStudents, "student", "students")))
		case errors.Is(err, models.ErrClientFull):
			err = desk.Explain(err, clientFullMessage(s.exerciseRules.StudentsPerClient))
		default:
			err = exerciseClosedMessage(err, s.exerciseRules.TTL)
		}
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, submissionResult(answers[article.ID], article.Body, desk.ScorePicks(answers[article.ID], article.Body, sub.Picks)))
}

// clientFullMessage refuses one more new student from a device that has
// already brought the most one address may (SLANT_STUDENTS_PER_ADDRESS).
func clientFullMessage(limit int) string {
	return fmt.Sprintf("too many students have joined this exercise from this device or network: %d is the most one may bring. "+
		"Ask your teacher for help.", limit)
}

// studentClient names the device a submission comes from for
// ExerciseRules.StudentsPerClient: a digest of the exercise's code and the
// client address as the rate limits count it (gin's ClientIP, which
// trusts a forwarded address only from SLANT_TRUSTED_PROXIES; an IPv6
// address by its network), so that no address is stored and a device
// cannot be followed from one exercise to another. The teacher is not
// counted: the machine Slant runs on, or the token holder, may try the
// exercise as many students as it likes. The token holder's tries
// (models.TeacherClient) also stay out of the class's results, since the
// token says who it is; the machine Slant runs on without a token (""),
// which may be a computer the class shares, is counted there as any
// student.
func (s *Server) studentClient(c *gin.Context, ex models.Exercise) string {
	v := s.visitorOf(c)
	if v.token == tokenRight {
		return models.TeacherClient
	}
	if s.policy().isTeacher(v) {
		return ""
	}
	sum := sha256.Sum256([]byte(ex.Code + "\n" + clientKeyWithin(c.ClientIP(), s.clientPrefix)))
	return hex.EncodeToString(sum[:16])
}

// alreadySubmittedMessage refuses a second check of one article.
const alreadySubmittedMessage = "you already checked this article"

// submissionResult converts a score against an answer list, which names
// the categories.
func submissionResult(answers models.ExerciseAnswers, text string, sp analysis.Spotting) SubmissionResultView {
	labels := map[string]string{}
	for _, f := range answers.Flags {
		labels[f.Category] = f.CategoryLabel
	}
	spotted := func(fs []analysis.Finding) []SpottedView {
		out := make([]SpottedView, 0, len(fs))
		for _, f := range fs {
			label := labels[f.Category]
			if label == "" {
				label = f.Category
			}
			out = append(out, SpottedView{Start: f.Start, End: f.End, Text: f.Text, Category: f.Category,
				CategoryLabel: label, Reason: f.Reason, Alternatives: nonNil(f.Alternatives)})
		}
		return out
	}
	picked := func(spans []analysis.Span) []PickView {
		out := make([]PickView, 0, len(spans))
		for _, p := range spans {
			out = append(out, PickView{Start: p.Start, End: p.End, Text: text[p.Start:p.End]})
		}
		return out
	}
	return SubmissionResultView{
		Matches: spotted(sp.Matches),
		Misses:  spotted(sp.Misses),
		Extras:  picked(sp.Extras),
		Quoted:  picked(sp.Quoted),
		Score: ScoreView{Found: sp.Found, Total: sp.Total, Extra: sp.Extra,
			Precision: sp.Precision(), Recall: sp.Recall(), F1: sp.F1()},
	}
}

// exerciseResults answers GET /api/v1/exercises/{code}/results: the
// class's results (desk.ClassResults says how they are worked out) under
// the exercise's article labels.
func (s *Server) exerciseResults(c *gin.Context) {
	ctx := c.Request.Context()
	ex, err := s.getExercise(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	articles, err := s.exerciseArticles(ctx, ex)
	if err != nil {
		s.fail(c, err)
		return
	}
	subs, err := s.store.ListSubmissions(ctx, ex.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	results, err := s.desk.ClassResults(ctx, ex, articles, subs)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, resultsView(ex, articles, results))
}

// resultsView converts a class's results; articles are the exercise's,
// in its order, which gives each its label.
func resultsView(ex models.Exercise, articles []models.Article, results desk.ClassResults) ResultsView {
	out := ResultsView{Code: ex.Code, EventID: ex.EventID, Students: results.Students, TeacherTries: results.TeacherTries,
		Articles:      make([]ResultArticleView, 0, len(results.Articles)),
		AlphaStudents: results.AlphaStudents, AlphaWithSlant: results.AlphaWithSlant, SlantF1Mean: results.SlantF1Mean}
	for i, a := range results.Articles {
		view := ResultArticleView{ArticleID: a.ArticleID, Label: articleLabel(ex, i, articles[i]), Students: a.Students,
			Tokens: make([]ResultTokenView, 0, len(a.Tokens)), HeadlineFlags: make([]HeadlineFlagView, 0, len(a.HeadlineFlags))}
		for _, f := range a.HeadlineFlags {
			if !f.InQuote {
				view.HeadlineFlags = append(view.HeadlineFlags, HeadlineFlagView{Start: f.Start, End: f.End, Text: f.Text, CategoryLabel: f.CategoryLabel})
			}
		}
		for _, t := range a.Tokens {
			view.Tokens = append(view.Tokens, ResultTokenView{Start: t.Start, End: t.End, Text: t.Text, Picks: t.Picks, Slant: t.Slant})
		}
		out.Articles = append(out.Articles, view)
	}
	return out
}

// outletNamePattern matches, case-insensitively and as whole words, the
// names and domains of the outlets of an event, so that a blind exercise
// can hide an outlet that names itself (a dateline such as "HALVERN
// (Riverlands Wire)") or a rival. Nil when there is nothing to hide.
func outletNamePattern(articles []models.Article) *regexp.Regexp {
	var names []string
	for _, a := range articles {
		for _, name := range []string{a.Outlet.Name, a.Outlet.Domain} {
			if name = strings.TrimSpace(name); name != "" && !slices.Contains(names, name) {
				names = append(names, name)
			}
		}
	}
	if len(names) == 0 {
		return nil
	}
	// Longest first, so "Daily Bugle Weekend" is hidden whole rather than
	// as "Daily Bugle" and a visible " Weekend".
	slices.SortFunc(names, func(a, b string) int { return cmp.Compare(len(b), len(a)) })
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = regexp.QuoteMeta(n)
	}
	return regexp.MustCompile(`(?i)(?:^|\b)(?:` + strings.Join(quoted, "|") + `)(?:\b|$)`)
}

// maskMatches replaces every byte of each match with '*'. The text keeps
// its length in bytes, so the byte offsets of the student's picks still
// point at the same words of the stored article.
func maskMatches(pattern *regexp.Regexp, text string) string {
	if pattern == nil {
		return text
	}
	b := []byte(text)
	for _, m := range pattern.FindAllStringIndex(text, -1) {
		for i := m[0]; i < m[1]; i++ {
			b[i] = '*'
		}
	}
	return string(b)
}
