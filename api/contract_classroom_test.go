package api

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestContractClassroom runs a scripted classroom session (the word list,
// an exercise from start to results) and checks every request and response
// against openapi.yaml, the refusals included.
// studentMachine is a student's address in the contract: the teacher's own
// tries (from the machine Slant runs on) stay out of the class results.
const studentMachine = "198.51.100.20:5000"

func TestContractClassroom(t *testing.T) {
	doc := loadSpec(t)
	forbidUndocumentedFields(doc)
	router, err := gorillamux.NewRouter(doc)
	require.NoError(t, err)

	env := newEnv(t, Config{}, nil)
	path := func(p string) func() string { return func() string { return p } }
	var eventID, otherEventID, loadedID, plainID, otherArticleID, entryID int64
	var code, blindCode string
	saveID := func(dst *int64) func(*testing.T, []byte) {
		return func(t *testing.T, body []byte) {
			var v struct{ ID int64 }
			require.NoError(t, json.Unmarshal(body, &v))
			require.Positive(t, v.ID)
			*dst = v.ID
		}
	}
	saveEntry := func(t *testing.T, body []byte) {
		var v WordListChangeView
		require.NoError(t, json.Unmarshal(body, &v))
		entryID = v.Entry.ID
	}
	saveCode := func(dst *string) func(*testing.T, []byte) {
		return func(t *testing.T, body []byte) {
			var v ExerciseView
			require.NoError(t, json.Unmarshal(body, &v))
			require.Len(t, v.Code, 6)
			*dst = v.Code
		}
	}
	eventPath := func(id *int64, suffix string) func() string {
		return func() string { return fmt.Sprintf("/api/v1/events/%d%s", *id, suffix) }
	}
	exercisePath := func(c *string, suffix string) func() string {
		return func() string { return "/api/v1/exercises/" + *c + suffix }
	}
	entryPath := func() string { return fmt.Sprintf("/api/v1/wordlist/%d", entryID) }
	article := func(outlet, text string) string {
		return jsonBody(t, map[string]string{"outlet": outlet, "title": "Flood", "text": text})
	}
	word := func(text, w string) map[string]int {
		i := strings.Index(text, w)
		require.GreaterOrEqual(t, i, 0)
		return map[string]int{"start": i, "end": i + len(w)}
	}
	submission := func(student string, id *int64, picks ...map[string]int) func() string {
		return func() string {
			if picks == nil {
				picks = []map[string]int{}
			}
			return jsonBody(t, map[string]any{"student": student, "article_id": *id, "picks": picks})
		}
	}
	// Steps take a fixed body; a few need ids known only later, so the
	// session is built in two parts.
	steps := []contractStep{
		{name: "create event", method: "POST", target: path("/api/v1/events"), body: `{"title":"Flood"}`, status: 201, save: saveID(&eventID)},
		{name: "create other event", method: "POST", target: path("/api/v1/events"), body: `{"title":"Other"}`, status: 201, save: saveID(&otherEventID)},
	}
	runContract(t, router, env, steps)
	steps = []contractStep{
		{name: "add loaded article", method: "POST", target: eventPath(&eventID, "/articles"), body: article("Daily Bugle", articleLoaded), status: 201, save: saveID(&loadedID)},
		{name: "add plain article", method: "POST", target: eventPath(&eventID, "/articles"), body: article("The Planet", articlePlain), status: 201, save: saveID(&plainID)},
		{name: "add article elsewhere", method: "POST", target: eventPath(&otherEventID, "/articles"), body: article("The Planet", "Elsewhere."), status: 201, save: saveID(&otherArticleID)},

		{name: "empty word list", method: "GET", target: path("/api/v1/wordlist"), status: 200},
		{name: "add word", method: "POST", target: path("/api/v1/wordlist"), status: 201, save: saveEntry,
			body: `{"category":"pejorative-label","term":"loot","also":["looters"],"alternatives":["take"],"reason":"Makes survivors sound like robbers.","severity":2}`},
		{name: "add another word", method: "POST", target: path("/api/v1/wordlist"), status: 201,
			body: `{"category":"pejorative-label","term":"mob","reason":"Makes a crowd sound violent."}`},
		{name: "word list", method: "GET", target: path("/api/v1/wordlist"), status: 200},
		{name: "lexicon with custom entries", method: "GET", target: path("/api/v1/lexicon"), status: 200, check: func(t *testing.T, rec *httptest.ResponseRecorder) {
			assert.Contains(t, rec.Body.String(), `"source":"custom"`)
		}},
		{name: "comparison with the word list", method: "GET", target: eventPath(&eventID, "/comparison"), status: 200, check: func(t *testing.T, rec *httptest.ResponseRecorder) {
			assert.Contains(t, rec.Body.String(), `"term":"loot"`)
		}},
		{name: "update word", method: "PUT", target: entryPath, status: 200,
			body: `{"category":"pejorative-label","term":"loot","reason":"A reworded reason here."}`},
		{name: "word already listed", method: "POST", target: path("/api/v1/wordlist"), status: 409,
			body: `{"category":"pejorative-label","term":"MOB","reason":"Added again in capitals."}`},
		{name: "word that collides", method: "POST", target: path("/api/v1/wordlist"), status: 409,
			body: `{"category":"pejorative-label","term":"mobs","reason":"Same words as mob."}`},
		{name: "word the built-in lexicon has", method: "POST", target: path("/api/v1/wordlist"), status: 409,
			body: `{"category":"pejorative-label","term":"hellholes","reason":"Our own class reason."}`, check: func(t *testing.T, rec *httptest.ResponseRecorder) {
				assert.Contains(t, rec.Body.String(), `"builtin":{"term":"hellhole"`)
			}},
		{name: "word that overrides the built-in one", method: "POST", target: path("/api/v1/wordlist"), status: 201,
			body: `{"category":"pejorative-label","term":"hellholes","reason":"Our own class reason.","severity":1,"override":true}`, check: func(t *testing.T, rec *httptest.ResponseRecorder) {
				assert.Contains(t, rec.Body.String(), `"replaces":[{"term":"hellhole"`)
			}},
		{name: "word in unknown category", method: "POST", target: path("/api/v1/wordlist"), status: 422,
			body: `{"category":"nonsense","term":"brute","reason":"A loaded word here."}`},
		{name: "word without reason", method: "POST", target: path("/api/v1/wordlist"), status: 422,
			body: `{"category":"pejorative-label","term":"brute","reason":""}`},
		{name: "word with severity 5", method: "POST", target: path("/api/v1/wordlist"), status: 422, invalidRequest: true,
			body: `{"category":"pejorative-label","term":"brute","reason":"A loaded word here.","severity":5}`},
		{name: "word with unknown field", method: "POST", target: path("/api/v1/wordlist"), status: 400, invalidRequest: true,
			body: `{"category":"pejorative-label","term":"brute","reason":"A loaded word here.","weight":1}`},
		{name: "update unknown word", method: "PUT", target: path("/api/v1/wordlist/4242"), status: 404,
			body: `{"category":"pejorative-label","term":"brute","reason":"A loaded word here."}`},
		{name: "delete unknown word", method: "DELETE", target: path("/api/v1/wordlist/4242"), status: 404},
		{name: "delete word", method: "DELETE", target: entryPath, status: 204},

		{name: "start exercise", method: "POST", target: eventPath(&eventID, "/exercises"), body: `{"blind":false}`, status: 201, save: saveCode(&code)},
		{name: "start blind exercise", method: "POST", target: eventPath(&eventID, "/exercises"), body: `{"blind":true}`, status: 201, save: saveCode(&blindCode)},
		{name: "start on unknown event", method: "POST", target: path("/api/v1/events/4242/exercises"), body: `{"blind":true}`, status: 404},
		{name: "list exercises", method: "GET", target: eventPath(&eventID, "/exercises"), status: 200},
		{name: "exercises of unknown event", method: "GET", target: path("/api/v1/events/4242/exercises"), status: 404},
		{name: "student view", method: "GET", target: exercisePath(&code, ""), status: 200},
		{name: "blind student view", method: "GET", target: exercisePath(&blindCode, ""), status: 200, check: func(t *testing.T, rec *httptest.ResponseRecorder) {
			assert.Contains(t, rec.Body.String(), `"outlet":null`)
			assert.Contains(t, rec.Body.String(), `"label":"Outlet 1"`)
		}},
		{name: "unknown code", method: "GET", target: path("/api/v1/exercises/ZZZZZZ"), status: 404},
		{name: "empty results", method: "GET", target: exercisePath(&code, "/results"), status: 200, check: func(t *testing.T, rec *httptest.ResponseRecorder) {
			assert.Contains(t, rec.Body.String(), `"alpha_students":null`)
		}},
		{name: "list exercises, answers current", method: "GET", target: eventPath(&eventID, "/exercises"), status: 200, check: func(t *testing.T, rec *httptest.ResponseRecorder) {
			for _, ex := range decode[ExerciseListView](t, rec).Exercises {
				assert.True(t, ex.AnswersMatchCurrent, ex.Code)
			}
		}},
		{name: "word in the plain article's own voice", method: "POST", target: path("/api/v1/wordlist"), status: 201,
			body: `{"category":"pejorative-label","term":"struggling","reason":"Says the district is failing, a judgement."}`},
		{name: "list exercises, answers changed", method: "GET", target: eventPath(&eventID, "/exercises"), status: 200, check: func(t *testing.T, rec *httptest.ResponseRecorder) {
			list := decode[ExerciseListView](t, rec).Exercises
			require.Len(t, list, 2)
			for _, ex := range list {
				assert.False(t, ex.AnswersMatchCurrent, "%s was started before the word list changed", ex.Code)
			}
		}},
	}
	runContract(t, router, env, steps)
	steps = []contractStep{
		{name: "submit", method: "POST", target: exercisePath(&code, "/submissions"), remote: studentMachine, status: 200,
			body: submission("student-key-0001", &loadedID, word(articleLoaded, "hellhole"), word(articleLoaded, "thugs"), word(articleLoaded, "mayor"))(),
			check: func(t *testing.T, rec *httptest.ResponseRecorder) {
				got := decode[SubmissionResultView](t, rec)
				assert.Len(t, got.Matches, 1)
				assert.Len(t, got.Misses, 1)
				assert.Len(t, got.Quoted, 1)
				assert.Len(t, got.Extras, 1)
			}},
		{name: "second student", method: "POST", target: exercisePath(&code, "/submissions"), remote: studentMachine, status: 200,
			body: submission("student-key-0002", &loadedID, word(articleLoaded, "hellhole"))()},
		{name: "third student, plain article", method: "POST", target: exercisePath(&code, "/submissions"), remote: studentMachine, status: 200,
			body: submission("student-key-0003", &plainID)()},
		{name: "submit to unknown code", method: "POST", target: path("/api/v1/exercises/ZZZZZZ/submissions"), remote: studentMachine, status: 404,
			body: submission("student-key-0001", &loadedID)()},
		{name: "submit article of another event", method: "POST", target: exercisePath(&code, "/submissions"), remote: studentMachine, status: 422,
			body: submission("student-key-0001", &otherArticleID)()},
		{name: "submit pick past the text", method: "POST", target: exercisePath(&code, "/submissions"), remote: studentMachine, status: 422,
			body: submission("student-key-0004", &loadedID, map[string]int{"start": 0, "end": 100000})()},
		{name: "second try", method: "POST", target: exercisePath(&code, "/submissions"), remote: studentMachine, status: 409,
			body: submission("student-key-0001", &loadedID, word(articleLoaded, "thugs"))(),
			check: func(t *testing.T, rec *httptest.ResponseRecorder) {
				assert.Equal(t, "you already checked this article", decode[ErrorBody](t, rec).Error)
			}},
		{name: "submit with a name", method: "POST", target: exercisePath(&code, "/submissions"), remote: studentMachine, status: 422, invalidRequest: true,
			body: submission("Ann Smith", &loadedID)()},
		{name: "results", method: "GET", target: exercisePath(&code, "/results"), status: 200, check: func(t *testing.T, rec *httptest.ResponseRecorder) {
			got := decode[ResultsView](t, rec)
			assert.Equal(t, 3, got.Students)
			assert.NotNil(t, got.AlphaStudents)
			assert.NotNil(t, got.SlantF1Mean)
		}},
		{name: "results of unknown code", method: "GET", target: path("/api/v1/exercises/ZZZZZZ/results"), status: 404},
		{name: "reveal", method: "POST", target: exercisePath(&blindCode, "/reveal"), status: 200},
		{name: "reveal unknown code", method: "POST", target: path("/api/v1/exercises/ZZZZZZ/reveal"), status: 404},
		{name: "revealed student view", method: "GET", target: exercisePath(&blindCode, ""), status: 200},
		{name: "blind results after reveal", method: "GET", target: exercisePath(&blindCode, "/results"), status: 200},
		{name: "end exercise", method: "POST", target: exercisePath(&code, "/end"), status: 200, check: func(t *testing.T, rec *httptest.ResponseRecorder) {
			got := decode[ExerciseView](t, rec)
			assert.False(t, got.Open)
			assert.NotNil(t, got.EndedAt)
			assert.False(t, got.AnswersMatchCurrent)
		}},
		{name: "end unknown code", method: "POST", target: path("/api/v1/exercises/ZZZZZZ/end"), status: 404},
		{name: "ended exercise, the teacher's view", method: "GET", target: exercisePath(&code, ""), status: 200},
		{name: "submit to an ended exercise", method: "POST", target: exercisePath(&code, "/submissions"), remote: studentMachine, status: 410,
			body: submission("student-key-0005", &loadedID)()},
		{name: "delete exercise", method: "DELETE", target: exercisePath(&code, ""), status: 204},
		{name: "deleted exercise is gone", method: "DELETE", target: exercisePath(&code, ""), status: 404},
	}
	runContract(t, router, env, steps)

	t.Run("access", func(t *testing.T) {
		const token = "contract-test-token-0123456789"
		bearer := map[string]string{"Authorization": "Bearer " + token}
		wrong := map[string]string{"Authorization": "Bearer not-the-token-at-all"}
		// Four refusals fit the write rate; the student view and one
		// submission fit the analysis rate, which a second submission exceeds.
		env := newEnv(t, Config{AdminToken: token, WriteRate: Rate{Events: 1, Per: time.Hour, Burst: 5}, AnalyzeRate: Rate{Events: 1, Per: time.Hour, Burst: 2}}, nil)
		c := newClassroom(t, env, true, "Daily Bugle", articleLoaded)
		var code = c.code
		id := c.articles["Daily Bugle"]
		runContract(t, router, env, []contractStep{
			{name: "list exercises without token", method: "GET", target: path(fmt.Sprintf("/api/v1/events/%d/exercises", c.eventID)), status: 401},
			{name: "results with wrong token", method: "GET", target: exercisePath(&code, "/results"), header: wrong, status: 403},
			{name: "results with token", method: "GET", target: exercisePath(&code, "/results"), header: bearer, status: 200},
			{name: "add word without token", method: "POST", target: path("/api/v1/wordlist"), body: `{"category":"pejorative-label","term":"mob","reason":"A loaded word here."}`, status: 401},
			{name: "reveal with wrong token", method: "POST", target: exercisePath(&code, "/reveal"), header: wrong, status: 403},
			{name: "student view needs no token", method: "GET", target: exercisePath(&code, ""), status: 200},
			{name: "submission needs no token", method: "POST", target: exercisePath(&code, "/submissions"), body: submission("student-key-0001", &id)(), status: 200},
			{name: "submission over the analysis rate", method: "POST", target: exercisePath(&code, "/submissions"), body: submission("student-key-0001", &id)(), status: 429},
		})
		ro := newEnv(t, Config{ReadOnly: true}, nil)
		rc := newClassroom(t, ro, false, "Daily Bugle", articleLoaded)
		roID := rc.articles["Daily Bugle"]
		runContract(t, router, ro, []contractStep{
			{name: "read-only refuses submissions", method: "POST", target: exercisePath(&rc.code, "/submissions"), body: submission("student-key-0001", &roID)(), status: 403},
			{name: "read-only refuses word-list changes", method: "DELETE", target: path("/api/v1/wordlist/1"), status: 403},
		})
	})
}
