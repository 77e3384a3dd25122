package api

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slant/models"
)

// startExercise starts an exercise through the API, as the teacher does,
// so that its answer lists are kept from the start.
func startExercise(t *testing.T, env *testEnv, eventID int64) string {
	t.Helper()
	rec := env.call(t, http.MethodPost, fmt.Sprintf("/api/v1/events/%d/exercises", eventID), map[string]bool{"blind": false})
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	return decode[ExerciseView](t, rec).Code
}

// results reads an exercise's class results as the teacher.
func results(t *testing.T, env *testEnv, code string) ResultsView {
	t.Helper()
	rec := env.call(t, http.MethodGet, "/api/v1/exercises/"+code+"/results", nil)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	return decode[ResultsView](t, rec)
}

// TestStudentsPerAddress: one address brings at most StudentsPerAddress
// new students into an exercise, with a refusal that tells the student to
// ask the teacher; the students it brought go on, another address is not
// held back, and the teacher is not counted.
func TestStudentsPerAddress(t *testing.T) {
	for _, tt := range []struct {
		name  string
		cfg   int
		limit int // 0: none
	}{
		{"default", 0, DefaultStudentsPerAddress},
		{"set", 2, 2},
		{"no cap", -1, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			env := newEnv(t, Config{StudentsPerAddress: tt.cfg}, nil)
			c := newClassroom(t, env, false, "Daily Bugle", exerciseLoaded, "The Planet", exerciseShort)
			loaded, short := c.articles["Daily Bugle"], c.articles["The Planet"]
			h := env.server.Handler()
			send := func(addr, student string, article int64) *http.Response {
				rec := sendFrom(t, h, http.MethodPost, "/api/v1/exercises/"+c.code+"/submissions", addr, map[string]any{
					"student": student, "article_id": article, "picks": []models.Pick{}}, nil)
				return rec.Result()
			}
			status := func(addr, student string, article int64) int { return send(addr, student, article).StatusCode }
			fill := tt.limit
			if fill == 0 {
				fill = 12 // more than the default
			}
			for i := range fill {
				require.Equal(t, http.StatusOK, status("198.51.100.7:4000", fmt.Sprintf("made-up-%04d", i), loaded), "student %d", i)
			}
			// IPv6: one network is one client, as for the rate limits.
			require.Equal(t, http.StatusOK, status("[2001:db8:1:2::1]:4000", "six-student-1", loaded))
			if tt.limit == 0 {
				assert.Equal(t, http.StatusOK, status("198.51.100.7:4001", "made-up-more", loaded), "no cap")
				return
			}
			rec := sendFrom(t, h, http.MethodPost, "/api/v1/exercises/"+c.code+"/submissions", "198.51.100.7:4001", map[string]any{
				"student": "made-up-more", "article_id": loaded, "picks": []models.Pick{}}, nil)
			assert.Equal(t, http.StatusConflict, rec.Code)
			msg := decode[ErrorBody](t, rec).Error
			assert.Contains(t, msg, "this device or network")
			assert.Contains(t, msg, "Ask your teacher")
			assert.True(t, strings.HasSuffix(msg, "."), msg)

			assert.Equal(t, http.StatusOK, status("198.51.100.7:4002", "made-up-0000", short), "a student already in goes on")
			assert.Equal(t, http.StatusOK, status("198.51.100.8:4000", "next-desk-01", loaded), "another address is not held back")
			for i := 1; i < tt.limit; i++ {
				require.Equal(t, http.StatusOK, status(fmt.Sprintf("[2001:db8:1:2::%d]:4000", i+1), fmt.Sprintf("six-student-%d", i+1), loaded))
			}
			assert.Equal(t, http.StatusConflict, status("[2001:db8:1:2:ffff::9]:4000", "six-student-x", loaded), "the same /64 is the same client")
			// The machine Slant runs on (without a token, the teacher's)
			// tries the exercise as many students as it likes; it may be
			// a computer the class shares, so its tries count.
			for i := range tt.limit + 2 {
				assert.Equal(t, http.StatusOK, status("127.0.0.1:5000", fmt.Sprintf("teacher-try-%d", i), loaded))
			}
			got := results(t, env, c.code)
			assert.Equal(t, fill+1+tt.limit+tt.limit+2, got.Students, "the refused students are not in the results")
			assert.Zero(t, got.TeacherTries)
		})
	}
}

// TestExerciseAnswersAreFixed: a class word-list term added after the
// start changes neither a student's card nor the class results; an
// exercise started after it has the new flag.
func TestExerciseAnswersAreFixed(t *testing.T) {
	env := newEnv(t, Config{}, nil)
	c := newClassroom(t, env, false, "Daily Bugle", exerciseLoaded)
	loaded := c.articles["Daily Bugle"]
	code := startExercise(t, env, c.eventID)
	ex := classroom{eventID: c.eventID, articles: c.articles, code: code}

	first := ex.submit(t, env, "student-first-1", loaded, span(t, exerciseLoaded, "hellhole", 0), span(t, exerciseLoaded, "district", 0))
	assert.Equal(t, 2, first.Score.Total)
	assert.Equal(t, 1, first.Score.Extra, "district is not flagged")
	before := results(t, env, code)

	rec := env.call(t, http.MethodPost, "/api/v1/wordlist", map[string]any{"category": "pejorative-label", "term": "district", "reason": "Says where, with a sneer."})
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())

	second := ex.submit(t, env, "student-second", loaded, span(t, exerciseLoaded, "hellhole", 0), span(t, exerciseLoaded, "district", 0))
	assert.Equal(t, first.Score, second.Score, "the same picks score the same after the word list changed")
	assert.Equal(t, first.Misses, second.Misses)
	after := results(t, env, code)
	require.Len(t, after.Articles, 1)
	for _, tok := range after.Articles[0].Tokens {
		if tok.Text == "district" {
			assert.False(t, tok.Slant, "the class results keep the answers the exercise started with")
		}
	}
	assert.Equal(t, 2, after.Students)
	assert.Equal(t, *before.SlantF1Mean, *after.SlantF1Mean, "both students picked the same: the mean is unchanged")

	// The exercise of the classroom helper was made without answer lists
	// (as before Slant kept them): its first read after the change makes
	// them with the new word list, and they stay.
	old := c.submit(t, env, "student-old-01", loaded, span(t, exerciseLoaded, "district", 0))
	assert.Equal(t, 3, old.Score.Total, "an exercise without answers gets them at its first read")
	assert.Equal(t, 1, old.Score.Found)

	fresh := startExercise(t, env, c.eventID)
	res := classroom{code: fresh}.submit(t, env, "student-fresh1", loaded, span(t, exerciseLoaded, "district", 0))
	assert.Equal(t, 3, res.Score.Total, "an exercise started after the change has the new term")
	assert.Equal(t, 0, res.Score.Extra)
}

// TestPicksScoreWordByWord: a pick over the whole text is every word of
// it, most of them extra, and counts on every word in the class results;
// a one-word pick scores as before.
func TestPicksScoreWordByWord(t *testing.T) {
	env := newEnv(t, Config{}, nil)
	c := newClassroom(t, env, false, "Daily Bugle", exerciseLoaded)
	loaded := c.articles["Daily Bugle"]

	whole := c.submit(t, env, "student-whole", loaded, models.Pick{Start: 0, End: len(exerciseLoaded)})
	assert.Equal(t, 2, whole.Score.Found, "it does cover both flags")
	assert.Equal(t, 2, whole.Score.Total)
	words := len(strings.Fields(strings.NewReplacer(".", " ", "\"", " ", "!", " ").Replace(exerciseLoaded)))
	assert.Equal(t, words-3, whole.Score.Extra, "every word outside a flag is extra (the quoted Thugs counts neither way)")
	require.Len(t, whole.Extras, whole.Score.Extra, "one entry a word")
	assert.Equal(t, "The", whole.Extras[0].Text)
	require.Len(t, whole.Quoted, 1)
	assert.Equal(t, "Thugs", whole.Quoted[0].Text)
	assert.Less(t, whole.Score.F1, 0.5)

	// A two-word pick with one flagged word: one found, one extra.
	phrase := models.Pick{Start: strings.Index(exerciseLoaded, "a hellhole"), End: strings.Index(exerciseLoaded, "a hellhole") + len("a hellhole")}
	part := c.submit(t, env, "student-phrase", loaded, phrase)
	assert.Equal(t, 1, part.Score.Found)
	assert.Equal(t, 1, part.Score.Extra)
	assert.InDelta(t, 0.5, part.Score.Precision, 1e-9)

	exact := c.submit(t, env, "student-exact", loaded, span(t, exerciseLoaded, "hellhole", 0), span(t, exerciseLoaded, "thugs", 0))
	assert.Equal(t, ScoreView{Found: 2, Total: 2, Extra: 0, Precision: 1, Recall: 1, F1: 1}, exact.Score)

	res := results(t, env, c.code)
	for _, tok := range res.Articles[0].Tokens {
		assert.GreaterOrEqual(t, tok.Picks, 1, "the whole-text pick counts on %q", tok.Text)
	}
	require.NotNil(t, res.SlantF1Mean)
	assert.Less(t, *res.SlantF1Mean, 1.0)
}

// TestResultsCountEachArticlesStudents: the share of the class that picked
// a word is out of the students who checked that article.
func TestResultsCountEachArticlesStudents(t *testing.T) {
	env := newEnv(t, Config{}, nil)
	c := newClassroom(t, env, false, "Daily Bugle", exerciseLoaded, "The Planet", exerciseShort)
	loaded, short := c.articles["Daily Bugle"], c.articles["The Planet"]
	for i := range 5 {
		c.submit(t, env, fmt.Sprintf("student-%04d", i), loaded, span(t, exerciseLoaded, "hellhole", 0))
	}
	c.submit(t, env, "student-0000", short, span(t, exerciseShort, "Thugs", 0))
	c.submit(t, env, "student-0001", short)
	res := results(t, env, c.code)
	assert.Equal(t, 5, res.Students)
	students := map[int64]int{}
	for _, a := range res.Articles {
		students[a.ArticleID] = a.Students
		assert.NotNil(t, a.HeadlineFlags)
	}
	assert.Equal(t, map[int64]int{loaded: 5, short: 2}, students)
}

// TestTeacherTriesAreLeftOut: with a token, the teacher's own checks (made
// with it, say on the projector to show the class how) are neither
// capped nor part of the class's results, which say how many were left
// out; a student's check from the same machine without the token counts.
func TestTeacherTriesAreLeftOut(t *testing.T) {
	const token = "lesson-teacher-token-0123456789"
	env := newEnv(t, Config{AdminToken: token, StudentsPerAddress: 1}, nil)
	c := newClassroom(t, env, false, "Daily Bugle", exerciseLoaded)
	loaded := c.articles["Daily Bugle"]
	h := env.server.Handler()
	check := func(addr, student string, header map[string]string) int {
		return sendFrom(t, h, http.MethodPost, "/api/v1/exercises/"+c.code+"/submissions", addr, map[string]any{
			"student": student, "article_id": loaded, "picks": []models.Pick{span(t, exerciseLoaded, "district", 0)}}, header).Code
	}
	teacher := map[string]string{"Authorization": "Bearer " + token}
	for i := range 3 {
		require.Equal(t, http.StatusOK, check("198.51.100.30:4000", fmt.Sprintf("teacher-demo-%02d", i), teacher), "the teacher is not capped")
	}
	require.Equal(t, http.StatusOK, check("198.51.100.31:4000", "student-desk-01", nil))
	rec := sendFrom(t, h, http.MethodGet, "/api/v1/exercises/"+c.code+"/results", "127.0.0.1:4000", nil, teacher)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	got := decode[ResultsView](t, rec)
	assert.Equal(t, 1, got.Students, "only the student")
	assert.Equal(t, 3, got.TeacherTries)
	require.Len(t, got.Articles, 1)
	assert.Equal(t, 1, got.Articles[0].Students)
	for _, tok := range got.Articles[0].Tokens {
		if tok.Text == "district" {
			assert.Equal(t, 1, tok.Picks, "the teacher's picks are not counted")
		}
	}
}
