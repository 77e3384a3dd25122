package api

import (
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slant/models"
)

// A hand-made event for the exercises. In exerciseLoaded Slant flags
// "hellhole" and "thugs" in the outlet's own voice and "Thugs" inside the
// quotation; exerciseShort has "Thugs" and "hellhole" in its own voice;
// exerciseQuiet has nothing loaded.
const (
	exerciseLoaded = "The district is a hellhole full of thugs. \"Thugs!\" the mayor shouted. Police arrived."
	exerciseShort  = "Thugs ran a hellhole."
	exerciseQuiet  = "Quiet day."
)

// span is the byte span of the n-th (from 0) occurrence of word in text.
func span(t *testing.T, text, word string, n int) models.Pick {
	t.Helper()
	at := -1
	for i := 0; i <= n; i++ {
		next := strings.Index(text[at+1:], word)
		require.GreaterOrEqual(t, next, 0, "%q has no occurrence %d of %q", text, n, word)
		at += 1 + next
	}
	return models.Pick{Start: at, End: at + len(word)}
}

// classroom is an event with articles, stored through the store, and an
// exercise on it.
type classroom struct {
	eventID  int64
	articles map[string]int64 // outlet -> article id
	code     string
}

// newClassroom stores an event with one article per outlet (outlet, text
// pairs) and starts an exercise on it.
func newClassroom(t *testing.T, env *testEnv, blind bool, texts ...string) classroom {
	t.Helper()
	ctx := t.Context()
	e := models.Event{Title: "Trouble in the district", Description: "A hand-made event", Date: new(time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC))}
	require.NoError(t, env.store.CreateEvent(ctx, &e))
	c := classroom{eventID: e.ID, articles: map[string]int64{}}
	for i := 0; i < len(texts); i += 2 {
		a := models.Article{EventID: e.ID, Outlet: models.Outlet{Name: texts[i]}, Title: fmt.Sprintf("Report %d", i/2+1), URL: "https://example.org/" + fmt.Sprint(i), Body: texts[i+1]}
		require.NoError(t, env.store.AddArticle(ctx, &a, strings.ToLower(strings.ReplaceAll(texts[i], " ", ""))+".example", nil))
		c.articles[texts[i]] = a.ID
	}
	ex := models.Exercise{EventID: e.ID, Blind: blind}
	require.NoError(t, env.store.CreateExercise(ctx, &ex))
	c.code = ex.Code
	return c
}

// submit sends one student's picks.
func (c classroom) submit(t *testing.T, env *testEnv, student string, articleID int64, picks ...models.Pick) *SubmissionResultView {
	t.Helper()
	if picks == nil {
		picks = []models.Pick{}
	}
	// From a student's own machine: the teacher's tries (loopback, or the
	// token) are kept out of the class's results.
	rec := sendFrom(t, env.server.Handler(), http.MethodPost, "/api/v1/exercises/"+c.code+"/submissions", studentAddress(), map[string]any{
		"student": student, "article_id": articleID, "picks": picks,
	}, nil)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	return new(decode[SubmissionResultView](t, rec))
}

// studentDesks numbers the student machines of the tests.
var studentDesks atomic.Uint32

// studentAddress is the address of another student's machine each time: a
// network of its own (IPv6, /64), so that no test meets the cap on
// students per address unless it means to.
func studentAddress() string {
	return fmt.Sprintf("[2001:db8:%x:%x::1]:4000", studentDesks.Add(1)>>16, studentDesks.Load()&0xffff)
}

func TestExerciseTeacherRoutes(t *testing.T) {
	env := newEnv(t, Config{}, nil)
	c := newClassroom(t, env, false, "Daily Bugle", exerciseLoaded)

	rec := env.call(t, http.MethodPost, fmt.Sprintf("/api/v1/events/%d/exercises", c.eventID), map[string]bool{"blind": true})
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	ex := decode[ExerciseView](t, rec)
	assert.Len(t, ex.Code, 6)
	assert.Equal(t, "/api/v1/exercises/"+ex.Code, rec.Header().Get("Location"))
	require.NotNil(t, ex.ExpiresAt)
	assert.True(t, ex.ExpiresAt.Equal(ex.CreatedAt.Add(DefaultExerciseTTL)), "codes work for the default TTL")
	assert.Equal(t, ExerciseView{Code: ex.Code, EventID: c.eventID, Blind: true, CreatedAt: ex.CreatedAt, Open: true, ExpiresAt: ex.ExpiresAt, AnswersMatchCurrent: true}, ex)

	rec = env.call(t, http.MethodGet, fmt.Sprintf("/api/v1/events/%d/exercises", c.eventID), nil)
	require.Equal(t, http.StatusOK, rec.Code)
	list := decode[ExerciseListView](t, rec)
	require.Len(t, list.Exercises, 2)
	assert.Equal(t, []string{c.code, ex.Code}, []string{list.Exercises[0].Code, list.Exercises[1].Code})

	rec = env.call(t, http.MethodPost, "/api/v1/exercises/"+strings.ToLower(ex.Code)+"/reveal", nil)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	revealed := decode[ExerciseView](t, rec)
	assert.True(t, revealed.Revealed)
	assert.Equal(t, ex.Code, revealed.Code)

	require.Equal(t, http.StatusNoContent, env.call(t, http.MethodDelete, "/api/v1/exercises/"+ex.Code, nil).Code)
	rec = env.call(t, http.MethodGet, "/api/v1/exercises/"+ex.Code, nil)
	assert.Equal(t, http.StatusNotFound, rec.Code)

	tests := []struct {
		name, method, target string
		body                 any
		status               int
	}{
		{"create on unknown event", "POST", "/api/v1/events/4242/exercises", map[string]bool{"blind": false}, 404},
		{"create on bad id", "POST", "/api/v1/events/x/exercises", map[string]bool{"blind": false}, 404},
		{"create without body", "POST", fmt.Sprintf("/api/v1/events/%d/exercises", c.eventID), nil, 415},
		{"create with a wrong field", "POST", fmt.Sprintf("/api/v1/events/%d/exercises", c.eventID), map[string]any{"blind": "yes"}, 400},
		{"list of unknown event", "GET", "/api/v1/events/4242/exercises", nil, 404},
		{"results of unknown code", "GET", "/api/v1/exercises/ZZZZZZ/results", nil, 404},
		{"reveal unknown code", "POST", "/api/v1/exercises/ZZZZZZ/reveal", nil, 404},
		{"end unknown code", "POST", "/api/v1/exercises/ZZZZZZ/end", nil, 404},
		{"delete unknown code", "DELETE", "/api/v1/exercises/ZZZZZZ", nil, 404},
		{"delete malformed code", "DELETE", "/api/v1/exercises/not-a-code", nil, 404},
	}
	for _, tt := range tests {
		rec := env.call(t, tt.method, tt.target, tt.body)
		assert.Equal(t, tt.status, rec.Code, "%s: %s", tt.name, rec.Body.String())
	}
}

func TestStudentExerciseView(t *testing.T) {
	env := newEnv(t, Config{}, nil)
	c := newClassroom(t, env, true, "Daily Bugle", exerciseLoaded, "The Planet", exerciseShort, "Morning Star", exerciseQuiet)
	byID := map[int64]string{}
	for outlet, id := range c.articles {
		byID[id] = outlet
	}

	get := func(code string) StudentExerciseView {
		rec := env.call(t, http.MethodGet, "/api/v1/exercises/"+code, nil)
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		assert.NotContains(t, rec.Body.String(), "findings")
		assert.NotContains(t, rec.Body.String(), "https://example.org", "no URLs")
		return decode[StudentExerciseView](t, rec)
	}
	blind := get(c.code)
	assert.Equal(t, c.code, blind.Code)
	assert.True(t, blind.Blind)
	assert.False(t, blind.Revealed)
	assert.Equal(t, StudentEventView{ID: c.eventID, Title: "Trouble in the district", Description: "A hand-made event", Date: blind.Event.Date}, blind.Event)
	require.NotNil(t, blind.Event.Date)
	require.Len(t, blind.Articles, 3)
	var order []int64
	for i, a := range blind.Articles {
		assert.Equal(t, fmt.Sprintf("Outlet %d", i+1), a.Label, "labels follow the exercise's order")
		assert.Nil(t, a.Outlet, "no outlet while blind")
		assert.NotContains(t, a.Label, byID[a.ID])
		order = append(order, a.ID)
	}
	rec := env.call(t, http.MethodGet, "/api/v1/exercises/"+c.code, nil)
	assert.Contains(t, rec.Body.String(), `"outlet":null`)
	assert.Equal(t, blind, get(strings.ToLower(c.code[:3])+"-"+c.code[3:]), "the same answer for the code as typed, every time")

	// Another exercise on the same event has an order of its own; over a
	// few of them, not every order can equal the order of insertion.
	insertion := []int64{c.articles["Daily Bugle"], c.articles["The Planet"], c.articles["Morning Star"]}
	differs := false
	for range 8 {
		ex := models.Exercise{EventID: c.eventID, Blind: true}
		require.NoError(t, env.store.CreateExercise(t.Context(), &ex))
		var other []int64
		for _, a := range get(ex.Code).Articles {
			other = append(other, a.ID)
		}
		assert.ElementsMatch(t, insertion, other)
		differs = differs || fmt.Sprint(other) != fmt.Sprint(insertion)
	}
	assert.True(t, differs, "the position does not give away which article came first")

	require.Equal(t, http.StatusOK, env.call(t, http.MethodPost, "/api/v1/exercises/"+c.code+"/reveal", nil).Code)
	shown := get(c.code)
	assert.True(t, shown.Revealed)
	for i, a := range shown.Articles {
		assert.Equal(t, order[i], a.ID, "revealing keeps the order")
		assert.Equal(t, byID[a.ID], a.Label)
		require.NotNil(t, a.Outlet)
		assert.Equal(t, byID[a.ID], a.Outlet.Name)
		assert.Equal(t, strings.ToLower(strings.ReplaceAll(byID[a.ID], " ", ""))+".example", a.Outlet.Domain)
	}

	open := newClassroom(t, env, false, "Daily Bugle", exerciseShort)
	view := get(open.code)
	require.Len(t, view.Articles, 1)
	assert.Equal(t, "Daily Bugle", view.Articles[0].Label, "an exercise that is not blind names the outlets")
	require.NotNil(t, view.Articles[0].Outlet)
	assert.Equal(t, exerciseShort, view.Articles[0].Text)

	assert.Equal(t, http.StatusNotFound, env.call(t, http.MethodGet, "/api/v1/exercises/ZZZZZZ", nil).Code)
	assert.Equal(t, http.StatusNotFound, env.call(t, http.MethodGet, "/api/v1/exercises/IIIIII", nil).Code)
}

func TestSubmissionScoring(t *testing.T) {
	env := newEnv(t, Config{}, nil)
	c := newClassroom(t, env, false, "Daily Bugle", exerciseLoaded, "The Planet", exerciseQuiet)
	article := c.articles["Daily Bugle"]
	text := exerciseLoaded
	hellhole, thugs := span(t, text, "hellhole", 0), span(t, text, "thugs", 0)
	quoted, police := span(t, text, "Thugs", 0), span(t, text, "Police", 0)

	// Part of "hellhole", the quoted "Thugs" and "Police": one match, one
	// miss, one quoted pick, one extra.
	got := c.submit(t, env, "student-key-0001", article, police, quoted, models.Pick{Start: hellhole.Start + 1, End: hellhole.Start + 4})
	want := SubmissionResultView{
		Matches: []SpottedView{{Start: hellhole.Start, End: hellhole.End, Text: "hellhole", Category: "pejorative-label", CategoryLabel: "Pejorative label",
			Reason: "Paints a whole place as hellish instead of describing conditions in it.", Alternatives: []string{"high-crime area", "struggling neighbourhood"}}},
		Misses: []SpottedView{{Start: thugs.Start, End: thugs.End, Text: "thugs", Category: "pejorative-label", CategoryLabel: "Pejorative label",
			Reason: "Labels people as violent criminals instead of saying what they did.", Alternatives: []string{"suspect", "protester"}}},
		Extras: []PickView{{Start: police.Start, End: police.End, Text: "Police"}},
		Quoted: []PickView{{Start: quoted.Start, End: quoted.End, Text: "Thugs"}},
		Score:  ScoreView{Found: 1, Total: 2, Extra: 1, Precision: 0.5, Recall: 0.5, F1: 0.5},
	}
	assert.Equal(t, want, *got)

	// The first check is final: a second, with the answers in hand, is
	// refused and changes nothing.
	rec := env.call(t, http.MethodPost, "/api/v1/exercises/"+c.code+"/submissions", map[string]any{
		"student": "student-key-0001", "article_id": article, "picks": []models.Pick{thugs, hellhole}})
	require.Equal(t, http.StatusConflict, rec.Code, rec.Body.String())
	assert.Equal(t, "you already checked this article", decode[ErrorBody](t, rec).Error)
	subs, err := env.store.ListSubmissions(t.Context(), mustExercise(t, env, c.code).ID)
	require.NoError(t, err)
	require.Len(t, subs, 1, "one submission per student and article")
	assert.Equal(t, []models.Pick{{Start: hellhole.Start + 1, End: hellhole.Start + 4}, quoted, police}, subs[0].Picks, "the first picks stay")

	// Another student: overlapping picks are merged, and both findings
	// are found.
	got = c.submit(t, env, "student-key-0002", article, thugs, hellhole, models.Pick{Start: hellhole.Start, End: hellhole.Start + 2})
	assert.Equal(t, ScoreView{Found: 2, Total: 2, Extra: 0, Precision: 1, Recall: 1, F1: 1}, got.Score)
	assert.Equal(t, []PickView{}, got.Extras)

	// Nothing to find and nothing picked is a perfect score.
	got = c.submit(t, env, "student-key-0001", c.articles["The Planet"])
	assert.Equal(t, ScoreView{Precision: 1, Recall: 1, F1: 1}, got.Score)
	rec = env.call(t, http.MethodPost, "/api/v1/exercises/"+c.code+"/submissions", map[string]any{
		"student": "student-key-0002", "article_id": c.articles["The Planet"], "picks": []models.Pick{}})
	assert.JSONEq(t, `{"matches":[],"misses":[],"extras":[],"quoted":[],"score":{"found":0,"total":0,"extra":0,"precision":1,"recall":1,"f1":1}}`, rec.Body.String())
}

func mustExercise(t *testing.T, env *testEnv, code string) models.Exercise {
	t.Helper()
	ex, err := env.store.GetExercise(t.Context(), code)
	require.NoError(t, err)
	return ex
}

func TestSubmissionErrors(t *testing.T) {
	env := newEnv(t, Config{}, nil)
	c := newClassroom(t, env, false, "Daily Bugle", exerciseLoaded)
	other := newClassroom(t, env, false, "The Planet", exerciseShort)
	article := c.articles["Daily Bugle"]
	target := "/api/v1/exercises/" + c.code + "/submissions"
	body := func(student string, articleID int64, picks any) map[string]any {
		return map[string]any{"student": student, "article_id": articleID, "picks": picks}
	}
	tests := []struct {
		name    string
		target  string
		body    any
		status  int
		message string
	}{
		{"unknown code", "/api/v1/exercises/ZZZZZZ/submissions", body("student-key-0001", article, []models.Pick{}), 404, unknownCodeMessage},
		{"article of another event", target, body("student-key-0001", other.articles["The Planet"], []models.Pick{}), 422, "article_id is not an article of this exercise"},
		{"unknown article", target, body("student-key-0001", 4242, []models.Pick{}), 422, "article_id is not an article of this exercise"},
		{"short student key", target, body("short", article, []models.Pick{}), 422, "student must be 8 to 64 characters of A-Z, a-z, 0-9, _ and -"},
		{"student name with a space", target, body("Ann Smith", article, []models.Pick{}), 422, ""},
		{"long student key", target, body(strings.Repeat("k", 65), article, []models.Pick{}), 422, ""},
		{"missing picks", target, map[string]any{"student": "student-key-0001", "article_id": article}, 422, "picks is required (an empty list when nothing is loaded)"},
		{"pick past the end", target, body("student-key-0001", article, []models.Pick{{Start: 0, End: len(exerciseLoaded) + 1}}), 422, fmt.Sprintf("picks pick 1 is outside the text (0 to %d bytes)", len(exerciseLoaded))},
		{"backwards pick", target, body("student-key-0001", article, []models.Pick{{Start: 5, End: 2}}), 422, "picks pick 1 must start before it ends"},
		{"too many picks", target, body("student-key-0001", article, make([]models.Pick, 501)), 422, "picks may hold at most 500 picks"},
		{"unknown field", target, map[string]any{"student": "student-key-0001", "article_id": article, "picks": []models.Pick{}, "name": "Ann"}, 400, `unknown field "name"`},
		{"pick with an unknown field", target, body("student-key-0001", article, []map[string]int{{"start": 0, "end": 3, "len": 3}}), 400, `unknown field "len"`},
		{"malformed", target, `{"student":`, 400, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := env.call(t, http.MethodPost, tt.target, tt.body)
			require.Equal(t, tt.status, rec.Code, rec.Body.String())
			if tt.message != "" {
				assert.Equal(t, tt.message, decode[ErrorBody](t, rec).Error)
			}
		})
	}
	subs, err := env.store.ListSubmissions(t.Context(), mustExercise(t, env, c.code).ID)
	require.NoError(t, err)
	assert.Empty(t, subs, "refused submissions stored nothing")

	// A multi-byte character: offsets count bytes, and a pick may not cut
	// one in two.
	cafe := newClassroom(t, env, false, "Le Monde", "Café thugs.")
	rec := env.call(t, http.MethodPost, "/api/v1/exercises/"+cafe.code+"/submissions", body("student-key-0001", cafe.articles["Le Monde"], []models.Pick{{Start: 0, End: 4}}))
	require.Equal(t, http.StatusUnprocessableEntity, rec.Code)
	assert.Equal(t, "picks pick 1 cuts a character in two (offsets count bytes of UTF-8)", decode[ErrorBody](t, rec).Error)
	got := cafe.submit(t, env, "student-key-0001", cafe.articles["Le Monde"], models.Pick{Start: 6, End: 11})
	require.Len(t, got.Matches, 1)
	assert.Equal(t, "thugs", got.Matches[0].Text)
}

// TestExerciseResults aggregates three students over two articles; the
// expected numbers are worked by hand in the comments.
func TestExerciseResults(t *testing.T) {
	env := newEnv(t, Config{}, nil)
	c := newClassroom(t, env, true, "Daily Bugle", exerciseShort, "The Planet", exerciseQuiet)
	short, quiet := c.articles["Daily Bugle"], c.articles["The Planet"]
	target := "/api/v1/exercises/" + c.code + "/results"

	rec := env.call(t, http.MethodGet, target, nil)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	empty := decode[ResultsView](t, rec)
	assert.Zero(t, empty.Students)
	assert.Nil(t, empty.AlphaStudents, "no students: alpha is undefined")
	assert.Nil(t, empty.AlphaWithSlant, "Slant alone cannot agree with anyone")
	assert.Nil(t, empty.SlantF1Mean)
	assert.Contains(t, rec.Body.String(), `"alpha_students":null`)
	require.Len(t, empty.Articles, 2)
	for _, a := range empty.Articles {
		if a.ArticleID == short {
			assert.Len(t, a.Tokens, 2, "Slant's words are listed before anyone picks")
		} else {
			assert.Equal(t, []ResultTokenView{}, a.Tokens)
		}
	}

	// "Thugs ran a hellhole.": Slant flags Thugs and hellhole.
	// s1 picks Thugs and hellhole; s2 Thugs and ran; s3 hellhole, and
	// "day" in "Quiet day.", which nobody else submitted.
	w := func(text, word string) models.Pick { return span(t, text, word, 0) }
	c.submit(t, env, "student-one-01", short, w(exerciseShort, "Thugs"), w(exerciseShort, "hellhole"))
	c.submit(t, env, "student-two-02", short, w(exerciseShort, "Thugs"), w(exerciseShort, "ran"))
	c.submit(t, env, "student-three-03", short, w(exerciseShort, "hellhole"))
	c.submit(t, env, "student-three-03", quiet, w(exerciseQuiet, "day"))

	rec = env.call(t, http.MethodGet, target, nil)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	got := decode[ResultsView](t, rec)
	assert.Equal(t, c.code, got.Code)
	assert.Equal(t, c.eventID, got.EventID)
	assert.Equal(t, 3, got.Students)
	require.Len(t, got.Articles, 2)
	articles := map[int64]ResultArticleView{}
	for i, a := range got.Articles {
		assert.Equal(t, fmt.Sprintf("Outlet %d", i+1), a.Label, "blind: the students' labels")
		articles[a.ArticleID] = a
	}
	tok := func(text, word string, picks int, slant bool) ResultTokenView {
		p := w(text, word)
		return ResultTokenView{Start: p.Start, End: p.End, Text: word, Picks: picks, Slant: slant}
	}
	assert.Equal(t, []ResultTokenView{
		tok(exerciseShort, "Thugs", 2, true),
		tok(exerciseShort, "ran", 1, false),
		tok(exerciseShort, "hellhole", 2, true),
	}, articles[short].Tokens, `"a" is neither picked nor flagged`)
	assert.Equal(t, []ResultTokenView{tok(exerciseQuiet, "day", 1, false)}, articles[quiet].Tokens)

	// Students only: units Thugs [1,1,0], ran [0,1,0], a [0,0,0],
	// hellhole [1,0,1]; "Quiet day." has one coder and pairs with no one.
	// n = 12 (five 1s, seven 0s), off-diagonal coincidences D = 2+2+0+2 = 6:
	// alpha = 1 - 11*6/(144-25-49) = 4/70.
	require.NotNil(t, got.AlphaStudents)
	assert.InDelta(t, 4.0/70, *got.AlphaStudents, 1e-9)
	// With Slant: Thugs [1,1,0,1], ran [0,1,0,0], a [0,0,0,0],
	// hellhole [1,0,1,1], Quiet [0,0], day [1,0]. n = 20 (eight 1s),
	// D = 2+2+0+2+0+2 = 8: alpha = 1 - 19*8/(400-64-144) = 40/192.
	require.NotNil(t, got.AlphaWithSlant)
	assert.InDelta(t, 40.0/192, *got.AlphaWithSlant, 1e-9)
	// F1 against Slant: s1 1; s2 P 1/2 R 1/2 → 1/2; s3 over both articles
	// found 1 of 2, one pick matched, one extra → 1/2. Mean 2/3.
	require.NotNil(t, got.SlantF1Mean)
	assert.InDelta(t, 2.0/3, *got.SlantF1Mean, 1e-9)

	require.Equal(t, http.StatusOK, env.call(t, http.MethodPost, "/api/v1/exercises/"+c.code+"/reveal", nil).Code)
	revealed := decode[ResultsView](t, env.call(t, http.MethodGet, target, nil))
	for i, a := range revealed.Articles {
		assert.Equal(t, got.Articles[i].ArticleID, a.ArticleID, "the same order")
		assert.NotContains(t, a.Label, "Outlet ", "revealed: the outlets' names")
	}
	assert.Equal(t, "Daily Bugle", map[int64]string{revealed.Articles[0].ArticleID: revealed.Articles[0].Label, revealed.Articles[1].ArticleID: revealed.Articles[1].Label}[short])

	// All agree: alpha 1.
	agree := newClassroom(t, env, false, "Daily Bugle", exerciseShort)
	for _, st := range []string{"student-one-01", "student-two-02"} {
		agree.submit(t, env, st, agree.articles["Daily Bugle"], w(exerciseShort, "Thugs"), w(exerciseShort, "hellhole"))
	}
	all := decode[ResultsView](t, env.call(t, http.MethodGet, "/api/v1/exercises/"+agree.code+"/results", nil))
	require.NotNil(t, all.AlphaStudents)
	assert.InDelta(t, 1, *all.AlphaStudents, 1e-12)
	assert.InDelta(t, 1, *all.AlphaWithSlant, 1e-12)
	assert.InDelta(t, 1, *all.SlantF1Mean, 1e-12)
}

// TestExerciseAccess checks who may use which classroom route: with a
// token, teachers' routes need it (reads included) and students' do not;
// read-only refuses students' submissions; submissions count against the
// write rate.
func TestExerciseAccess(t *testing.T) {
	t.Run("token", func(t *testing.T) {
		env := newEnv(t, Config{AdminToken: testToken}, nil)
		c := newClassroom(t, env, true, "Daily Bugle", exerciseLoaded)
		article := c.articles["Daily Bugle"]
		submission := map[string]any{"student": "student-key-0001", "article_id": article, "picks": []models.Pick{}}
		teacher := []struct {
			name, method, target string
			body                 any
			ok                   int
		}{
			{"list", "GET", fmt.Sprintf("/api/v1/events/%d/exercises", c.eventID), nil, 200},
			{"results", "GET", "/api/v1/exercises/" + c.code + "/results", nil, 200},
			{"create", "POST", fmt.Sprintf("/api/v1/events/%d/exercises", c.eventID), map[string]bool{"blind": false}, 201},
			{"reveal", "POST", "/api/v1/exercises/" + c.code + "/reveal", nil, 200},
			{"word list add", "POST", "/api/v1/wordlist", map[string]any{"category": "pejorative-label", "term": "mob", "reason": "A loaded word here."}, 201},
			{"word list", "GET", "/api/v1/wordlist", nil, 200},
			{"the event, with Slant's answers", "GET", fmt.Sprintf("/api/v1/events/%d", c.eventID), nil, 200},
			{"analysis of the pasted text", "POST", "/api/v1/analyze", map[string]string{"text": exerciseLoaded}, 200},
		}
		for _, r := range teacher {
			rec := env.callAs(t, "", r.method, r.target, r.body)
			assert.Equal(t, http.StatusUnauthorized, rec.Code, "%s without token: %s", r.name, rec.Body.String())
			assert.Equal(t, authScheme, rec.Header().Get("WWW-Authenticate"), r.name)
			rec = env.callAs(t, wrongToken, r.method, r.target, r.body)
			assert.Equal(t, http.StatusForbidden, rec.Code, "%s with a wrong token", r.name)
			rec = env.callAs(t, testToken, r.method, r.target, r.body)
			assert.Equal(t, r.ok, rec.Code, "%s with the token: %s", r.name, rec.Body.String())
		}
		student := []struct {
			name, method, target string
			body                 any
		}{
			{"open the exercise", "GET", "/api/v1/exercises/" + c.code, nil},
			{"submit", "POST", "/api/v1/exercises/" + c.code + "/submissions", submission},
		}
		for _, r := range student {
			for i, token := range []string{"", wrongToken, testToken} {
				if r.body != nil {
					r.body = map[string]any{"student": fmt.Sprintf("student-key-%04d", i), "article_id": article, "picks": []models.Pick{}}
				}
				rec := env.callAs(t, token, r.method, r.target, r.body)
				assert.Equal(t, http.StatusOK, rec.Code, "%s with token %q: %s", r.name, token, rec.Body.String())
			}
		}
		rec := env.callAs(t, "", "DELETE", "/api/v1/exercises/"+c.code, nil)
		assert.Equal(t, http.StatusUnauthorized, rec.Code)
		assert.Equal(t, http.StatusNoContent, env.callAs(t, testToken, "DELETE", "/api/v1/exercises/"+c.code, nil).Code)
	})

	t.Run("read-only", func(t *testing.T) {
		env := newEnv(t, Config{ReadOnly: true, AdminToken: testToken}, nil)
		c := newClassroom(t, env, false, "Daily Bugle", exerciseLoaded)
		rec := env.call(t, http.MethodPost, "/api/v1/exercises/"+c.code+"/submissions", map[string]any{
			"student": "student-key-0001", "article_id": c.articles["Daily Bugle"], "picks": []models.Pick{}})
		require.Equal(t, http.StatusForbidden, rec.Code)
		assert.Equal(t, readOnlyMessage, decode[ErrorBody](t, rec).Error)
		assert.Equal(t, http.StatusOK, env.call(t, http.MethodGet, "/api/v1/exercises/"+c.code, nil).Code, "students can still read")
		assert.Equal(t, http.StatusOK, env.callAs(t, testToken, http.MethodGet, "/api/v1/exercises/"+c.code+"/results", nil).Code, "teachers too")
		assert.Equal(t, http.StatusForbidden, env.callAs(t, testToken, http.MethodPost, "/api/v1/exercises/"+c.code+"/reveal", nil).Code)
		assert.Equal(t, http.StatusForbidden, env.callAs(t, testToken, http.MethodPost, "/api/v1/wordlist", map[string]any{"category": "pejorative-label", "term": "mob", "reason": "A loaded word here."}).Code)
	})

	t.Run("students draw on the analysis rate, not the write rate", func(t *testing.T) {
		env := newEnv(t, Config{AdminToken: testToken, WriteRate: Rate{Events: 1, Per: time.Hour, Burst: 1}, AnalyzeRate: Rate{Events: 1, Per: time.Hour, Burst: 2}}, nil)
		c := newClassroom(t, env, false, "Daily Bugle", exerciseLoaded)
		submit := func(student string) int {
			return env.call(t, http.MethodPost, "/api/v1/exercises/"+c.code+"/submissions", map[string]any{
				"student": student, "article_id": c.articles["Daily Bugle"], "picks": []models.Pick{}}).Code
		}
		assert.Equal(t, http.StatusOK, submit("student-key-0001"))
		assert.Equal(t, http.StatusOK, submit("student-key-0002"))
		rec := env.call(t, http.MethodPost, "/api/v1/exercises/"+c.code+"/submissions", map[string]any{
			"student": "student-key-0001", "article_id": c.articles["Daily Bugle"], "picks": []models.Pick{}})
		assert.Equal(t, http.StatusTooManyRequests, rec.Code, "submissions count against the analysis rate")
		assert.NotEmpty(t, rec.Header().Get("Retry-After"))
		assert.Equal(t, http.StatusOK, env.callAs(t, testToken, http.MethodGet, "/api/v1/exercises/"+c.code+"/results", nil).Code,
			"a teacher's read with the token is not counted")
	})

	t.Run("guessing the token through teacher reads", func(t *testing.T) {
		env := newEnv(t, Config{AdminToken: testToken, WriteRate: Rate{Events: 1, Per: time.Hour, Burst: 2}}, nil)
		c := newClassroom(t, env, false, "Daily Bugle", exerciseLoaded)
		target := "/api/v1/exercises/" + c.code + "/results"
		assert.Equal(t, http.StatusForbidden, env.callAs(t, wrongToken, http.MethodGet, target, nil).Code)
		assert.Equal(t, http.StatusUnauthorized, env.callAs(t, "", http.MethodGet, target, nil).Code)
		assert.Equal(t, http.StatusTooManyRequests, env.callAs(t, wrongToken, http.MethodGet, target, nil).Code, "wrong tokens count against the write rate")
	})

	t.Run("code lookups", func(t *testing.T) {
		env := newEnv(t, Config{AnalyzeRate: Rate{Events: 1, Per: time.Hour, Burst: 2}}, nil)
		assert.Equal(t, http.StatusNotFound, env.call(t, http.MethodGet, "/api/v1/exercises/ZZZZZZ", nil).Code)
		assert.Equal(t, http.StatusNotFound, env.call(t, http.MethodGet, "/api/v1/exercises/YYYYYY", nil).Code)
		assert.Equal(t, http.StatusTooManyRequests, env.call(t, http.MethodGet, "/api/v1/exercises/XXXXXX", nil).Code, "guessing codes is rate limited")
	})
}

// TestDeletingClassroomData checks the API side of the cascade: deleting
// an article or an event takes the exercises' data with it.
func TestDeletingClassroomData(t *testing.T) {
	env := newEnv(t, Config{}, nil)
	c := newClassroom(t, env, false, "Daily Bugle", exerciseLoaded, "The Planet", exerciseShort)
	c.submit(t, env, "student-key-0001", c.articles["Daily Bugle"])
	c.submit(t, env, "student-key-0001", c.articles["The Planet"])
	require.Equal(t, http.StatusNoContent, env.call(t, http.MethodDelete, fmt.Sprintf("/api/v1/events/%d/articles/%d", c.eventID, c.articles["The Planet"]), nil).Code)
	got := decode[ResultsView](t, env.call(t, http.MethodGet, "/api/v1/exercises/"+c.code+"/results", nil))
	require.Len(t, got.Articles, 1)
	assert.Equal(t, 1, got.Students)
	require.Equal(t, http.StatusNoContent, env.call(t, http.MethodDelete, fmt.Sprintf("/api/v1/events/%d", c.eventID), nil).Code)
	assert.Equal(t, http.StatusNotFound, env.call(t, http.MethodGet, "/api/v1/exercises/"+c.code, nil).Code)
}

// TestBlindExerciseHidesOutletsNamedInTheText checks that an outlet naming
// itself or a rival in its own words stays hidden while the exercise is
// blind, without moving any byte offset a student's picks rely on.
func TestBlindExerciseHidesOutletsNamedInTheText(t *testing.T) {
	env := newEnv(t, Config{}, nil)
	bugle := "HALVERN (Daily Bugle) - The council voted, dailybugle.example reports; the daily bugle's rival, The Planet, disagreed."
	c := newClassroom(t, env, true, "Daily Bugle", bugle, "The Planet", "The council voted again.")

	view := decode[StudentExerciseView](t, env.call(t, http.MethodGet, "/api/v1/exercises/"+c.code, nil))
	var text string
	for _, a := range view.Articles {
		if a.ID == c.articles["Daily Bugle"] {
			text = a.Text
		}
	}
	require.Len(t, text, len(bugle), "masking keeps every byte offset")
	assert.Equal(t, "HALVERN (***********) - The council voted, ****************** reports; the ***********'s rival, **********, disagreed.", text)

	require.Equal(t, http.StatusOK, env.call(t, http.MethodPost, "/api/v1/exercises/"+c.code+"/reveal", nil).Code)
	view = decode[StudentExerciseView](t, env.call(t, http.MethodGet, "/api/v1/exercises/"+c.code, nil))
	for _, a := range view.Articles {
		if a.ID == c.articles["Daily Bugle"] {
			assert.Equal(t, bugle, a.Text, "revealed: the text as stored")
		}
	}
}

// TestExerciseEndExpiryAndClassSize: a code stops working for students when
// the teacher ends the exercise and when it is older than the TTL, with a
// 410 in words a student follows; the teacher keeps the results. One more
// student than the limit is refused.
func TestExerciseEndExpiryAndClassSize(t *testing.T) {
	student := "203.0.113.7:5000" // another machine: a student
	submission := func(c classroom, key string) map[string]any {
		return map[string]any{"student": key, "article_id": c.articles["Daily Bugle"], "picks": []models.Pick{}}
	}

	t.Run("ended", func(t *testing.T) {
		env := newEnv(t, Config{}, nil)
		c := newClassroom(t, env, true, "Daily Bugle", exerciseLoaded)
		require.Equal(t, http.StatusOK, sendFrom(t, env.handler, http.MethodPost, "/api/v1/exercises/"+c.code+"/submissions", student, submission(c, "student-key-0001"), nil).Code)

		rec := env.call(t, http.MethodPost, "/api/v1/exercises/"+strings.ToLower(c.code)+"/end", nil)
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		ended := decode[ExerciseView](t, rec)
		assert.False(t, ended.Open)
		require.NotNil(t, ended.EndedAt)

		const message = "this exercise has ended: your teacher closed it. Ask your teacher for a new class code."
		rec = sendFrom(t, env.handler, http.MethodGet, "/api/v1/exercises/"+c.code, student, nil, nil)
		require.Equal(t, http.StatusGone, rec.Code, rec.Body.String())
		assert.Equal(t, message, decode[ErrorBody](t, rec).Error)
		rec = sendFrom(t, env.handler, http.MethodPost, "/api/v1/exercises/"+c.code+"/submissions", student, submission(c, "student-key-0002"), nil)
		require.Equal(t, http.StatusGone, rec.Code, rec.Body.String())
		assert.Equal(t, message, decode[ErrorBody](t, rec).Error)
		rec = env.call(t, http.MethodPost, "/api/v1/exercises/"+c.code+"/submissions", submission(c, "student-key-0003"))
		assert.Equal(t, http.StatusGone, rec.Code, "not even the teacher adds picks to an ended exercise")

		rec = env.call(t, http.MethodGet, "/api/v1/exercises/"+c.code, nil)
		require.Equal(t, http.StatusOK, rec.Code, "the teacher still sees the texts")
		assert.False(t, decode[StudentExerciseView](t, rec).Open)
		results := decode[ResultsView](t, env.call(t, http.MethodGet, "/api/v1/exercises/"+c.code+"/results", nil))
		assert.Equal(t, 1, results.Students, "the class's picks stay")
		list := decode[ExerciseListView](t, env.call(t, http.MethodGet, fmt.Sprintf("/api/v1/events/%d/exercises", c.eventID), nil))
		require.Len(t, list.Exercises, 1)
		assert.False(t, list.Exercises[0].Open)

		rec = sendFrom(t, env.handler, http.MethodGet, "/api/v1/exercises/ZZZZZZ", student, nil, nil)
		require.Equal(t, http.StatusNotFound, rec.Code)
		assert.Equal(t, unknownCodeMessage, decode[ErrorBody](t, rec).Error)
	})

	t.Run("expired", func(t *testing.T) {
		env := newEnv(t, Config{ExerciseTTL: 72 * time.Hour}, nil)
		c := newClassroom(t, env, false, "Daily Bugle", exerciseLoaded)
		view := decode[StudentExerciseView](t, sendFrom(t, env.handler, http.MethodGet, "/api/v1/exercises/"+c.code, student, nil, nil))
		assert.True(t, view.Open)
		require.NotNil(t, view.ExpiresAt)

		// A TTL of a nanosecond: every code is already too old.
		old := newEnv(t, Config{ExerciseTTL: time.Nanosecond}, nil)
		oc := newClassroom(t, old, false, "Daily Bugle", exerciseLoaded)
		rec := sendFrom(t, old.handler, http.MethodGet, "/api/v1/exercises/"+oc.code, student, nil, nil)
		require.Equal(t, http.StatusGone, rec.Code, rec.Body.String())
		assert.Contains(t, decode[ErrorBody](t, rec).Error, "this class code is too old: codes work for")
		rec = sendFrom(t, old.handler, http.MethodPost, "/api/v1/exercises/"+oc.code+"/submissions", student, submission(oc, "student-key-0001"), nil)
		assert.Equal(t, http.StatusGone, rec.Code, rec.Body.String())

		assert.Equal(t, "3 days", durationWords(72*time.Hour))
		assert.Equal(t, "14 days", durationWords(DefaultExerciseTTL))
		assert.Equal(t, "1 hour", durationWords(time.Hour))
		assert.Equal(t, "1h30m30s", durationWords(90*time.Minute+30*time.Second))
	})

	t.Run("class size", func(t *testing.T) {
		env := newEnv(t, Config{MaxStudents: 2}, nil)
		c := newClassroom(t, env, false, "Daily Bugle", exerciseLoaded, "The Planet", exerciseShort)
		for _, key := range []string{"student-key-0001", "student-key-0002"} {
			require.Equal(t, http.StatusOK, sendFrom(t, env.handler, http.MethodPost, "/api/v1/exercises/"+c.code+"/submissions", student, submission(c, key), nil).Code)
		}
		rec := sendFrom(t, env.handler, http.MethodPost, "/api/v1/exercises/"+c.code+"/submissions", student, submission(c, "student-key-0003"), nil)
		require.Equal(t, http.StatusConflict, rec.Code, rec.Body.String())
		assert.Equal(t, "this class is full: 2 students have already sent picks, the most one exercise takes. "+
			"Ask your teacher to start another exercise for the rest of the class.", decode[ErrorBody](t, rec).Error)
		rec = sendFrom(t, env.handler, http.MethodPost, "/api/v1/exercises/"+c.code+"/submissions", student, map[string]any{
			"student": "student-key-0001", "article_id": c.articles["The Planet"], "picks": []models.Pick{}}, nil)
		assert.Equal(t, http.StatusOK, rec.Code, "a student already in goes on: %s", rec.Body.String())

		unlimited := newEnv(t, Config{MaxStudents: -1}, nil)
		u := newClassroom(t, unlimited, false, "Daily Bugle", exerciseLoaded)
		for i := range DefaultMaxStudents + 1 {
			require.Equal(t, http.StatusOK, unlimited.call(t, http.MethodPost, "/api/v1/exercises/"+u.code+"/submissions", submission(u, fmt.Sprintf("student-key-%04d", i))).Code)
		}
	})
}

// TestExerciseAnswersMatchCurrent: answers_match_current turns false for
// an exercise whose kept answer lists differ from the event's flags after
// a word-list edit, and only then: not for an edit that flags nothing in
// the event, not for an exercise without lists yet, not for one started
// after the edit. The reveal and end answers say the same as the list.
func TestExerciseAnswersMatchCurrent(t *testing.T) {
	env := newEnv(t, Config{}, nil)
	c := newClassroom(t, env, false, "Daily Bugle", exerciseLoaded)
	id := c.articles["Daily Bugle"]
	matches := func(t *testing.T) map[string]bool {
		t.Helper()
		rec := env.call(t, http.MethodGet, fmt.Sprintf("/api/v1/events/%d/exercises", c.eventID), nil)
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		require.Contains(t, rec.Body.String(), `"answers_match_current":`)
		out := map[string]bool{}
		for _, ex := range decode[ExerciseListView](t, rec).Exercises {
			out[ex.Code] = ex.AnswersMatchCurrent
		}
		return out
	}
	addWord := func(t *testing.T, term string) {
		t.Helper()
		rec := env.call(t, http.MethodPost, "/api/v1/wordlist", map[string]any{
			"category": "pejorative-label", "term": term, "reason": "Makes the word sound worse than it is.",
		})
		require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	}
	start := func(t *testing.T) string {
		t.Helper()
		rec := env.call(t, http.MethodPost, fmt.Sprintf("/api/v1/events/%d/exercises", c.eventID), map[string]bool{"blind": false})
		require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
		ex := decode[ExerciseView](t, rec)
		assert.True(t, ex.AnswersMatchCurrent, "an exercise starts with the current lists")
		return ex.Code
	}

	assert.Equal(t, map[string]bool{c.code: true}, matches(t), "no lists yet: they will be the current ones")
	c.submit(t, env, "student-key-0001", id) // the lists are made now
	assert.Equal(t, map[string]bool{c.code: true}, matches(t), "unchanged")

	addWord(t, "brute")
	assert.Equal(t, map[string]bool{c.code: true}, matches(t), "a word none of the texts uses changes no answer")

	bare := models.Exercise{EventID: c.eventID}
	require.NoError(t, env.store.CreateExercise(t.Context(), &bare))
	addWord(t, "police")
	later := start(t)
	assert.Equal(t, map[string]bool{c.code: false, bare.Code: true, later: true}, matches(t),
		"the exercise whose lists were kept before the edit no longer matches; one without lists and one started after do")

	got := c.submit(t, env, "student-key-0002", id)
	for _, miss := range got.Misses {
		assert.NotEqual(t, "police", strings.ToLower(miss.Text), "the class is still scored against the kept lists")
	}
	for _, action := range []string{"reveal", "end"} {
		rec := env.call(t, http.MethodPost, "/api/v1/exercises/"+c.code+"/"+action, nil)
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		assert.False(t, decode[ExerciseView](t, rec).AnswersMatchCurrent, action)
	}
	rec := env.call(t, http.MethodPost, "/api/v1/exercises/ZZZZZZ/end", nil)
	assert.Equal(t, http.StatusNotFound, rec.Code)
}
