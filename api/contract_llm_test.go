package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slant/llm/llmtest"
)

// TestContractLLM runs the LLM routes against openapi.yaml with the same
// checks as TestContract: with a model that answers well (queued, running
// nowhere, done), with one whose answers are unusable (failed), and with
// none configured (enabled: false, 409).
func TestContractLLM(t *testing.T) {
	doc := loadSpec(t)
	forbidUndocumentedFields(doc)
	router, err := gorillamux.NewRouter(doc)
	require.NoError(t, err)

	path := func(p string) func() string { return func() string { return p } }
	type ids struct{ event, article, job, lonely int64 }
	saveID := func(dst *int64) func(*testing.T, []byte) {
		return func(t *testing.T, body []byte) {
			var v struct{ ID int64 }
			require.NoError(t, json.Unmarshal(body, &v))
			require.Positive(t, v.ID)
			*dst = v.ID
		}
	}
	article := func(outlet, text string) string {
		return jsonBody(t, map[string]string{"outlet": outlet, "title": "Flood", "text": text})
	}
	// session is the steps every variant shares up to asking the model.
	session := func(id *ids) []contractStep {
		return []contractStep{
			{name: "health", method: "GET", target: path("/healthz"), status: 200},
			{name: "create event", method: "POST", target: path("/api/v1/events"), body: `{"title":"Flood"}`, status: 201, save: saveID(&id.event)},
			{name: "add article", method: "POST", target: func() string { return fmt.Sprintf("/api/v1/events/%d/articles", id.event) },
				body: article("Daily Bugle", articleLoaded), status: 201, save: saveID(&id.article)},
			{name: "add second article", method: "POST", target: func() string { return fmt.Sprintf("/api/v1/events/%d/articles", id.event) },
				body: article("The Planet", articlePlain), status: 201},
			{name: "create lonely event", method: "POST", target: path("/api/v1/events"), body: `{"title":"Alone"}`, status: 201, save: saveID(&id.lonely)},
			{name: "model not asked yet", method: "GET", target: func() string { return fmt.Sprintf("/api/v1/events/%d/llm", id.event) }, status: 200},
		}
	}
	eventLLM := func(id *ids) func() string {
		return func() string { return fmt.Sprintf("/api/v1/events/%d/llm", id.event) }
	}
	articleLLM := func(id *ids) func() string {
		return func() string { return fmt.Sprintf("/api/v1/articles/%d/llm", id.article) }
	}
	jobPath := func(id *ids) func() string {
		return func() string { return fmt.Sprintf("/api/v1/jobs/%d", id.job) }
	}

	t.Run("model answers", func(t *testing.T) {
		env := newLLMEnv(t, fakeModel(), nil, Config{})
		id := &ids{}
		drain := func(t *testing.T, _ *httptest.ResponseRecorder) { env.drain(t) }
		steps := append(session(id),
			contractStep{name: "ask about the event", method: "POST", target: eventLLM(id), status: 202, save: saveID(&id.job)},
			contractStep{name: "ask again", method: "POST", target: eventLLM(id), status: 200},
			contractStep{name: "ask about one article", method: "POST", target: articleLLM(id), status: 200},
			contractStep{name: "queued job", method: "GET", target: jobPath(id), status: 200, check: func(t *testing.T, rec *httptest.ResponseRecorder) {
				assert.Equal(t, "queued", decode[LLMJobView](t, rec).Status)
			}},
			contractStep{name: "pending page", method: "GET", target: eventLLM(id), status: 200, check: drain},
			contractStep{name: "done job", method: "GET", target: jobPath(id), status: 200, check: func(t *testing.T, rec *httptest.ResponseRecorder) {
				j := decode[LLMJobView](t, rec)
				assert.Equal(t, "done", j.Status)
				require.NotNil(t, j.Result)
				assert.NotNil(t, j.Result.AgreedFacts)
			}},
			contractStep{name: "done page", method: "GET", target: eventLLM(id), status: 200, check: func(t *testing.T, rec *httptest.ResponseRecorder) {
				v := decode[LLMEventView](t, rec)
				require.Len(t, v.Articles, 2)
				assert.NotEmpty(t, v.Articles[0].Judgements)
				assert.NotNil(t, v.Articles[0].Agreement)
				assert.NotNil(t, v.AgreedFacts)
			}},
			contractStep{name: "ask about one article again", method: "POST", target: articleLLM(id), status: 202, save: saveID(&id.job), check: drain},
			contractStep{name: "done article job", method: "GET", target: jobPath(id), status: 200, check: func(t *testing.T, rec *httptest.ResponseRecorder) {
				j := decode[LLMJobView](t, rec)
				assert.Equal(t, "article", j.Kind)
				require.NotNil(t, j.Result)
				assert.NotEmpty(t, j.Result.Judgements)
			}},
			contractStep{name: "event with one article", method: "POST", target: func() string { return fmt.Sprintf("/api/v1/events/%d/llm", id.lonely) }, status: 422},
			contractStep{name: "unknown event", method: "POST", target: path("/api/v1/events/424242/llm"), status: 404},
			contractStep{name: "unknown event page", method: "GET", target: path("/api/v1/events/424242/llm"), status: 404},
			contractStep{name: "unknown article", method: "POST", target: path("/api/v1/articles/424242/llm"), status: 404},
			contractStep{name: "unknown job", method: "GET", target: path("/api/v1/jobs/424242"), status: 404},
		)
		runContract(t, router, env.testEnv, steps)
	})

	t.Run("model answers nonsense", func(t *testing.T) {
		env := newLLMEnv(t, func(llmtest.Request) llmtest.Response { return llmtest.Reply("no JSON here") }, nil, Config{})
		id := &ids{}
		steps := append(session(id),
			contractStep{name: "ask about the event", method: "POST", target: eventLLM(id), status: 202, save: saveID(&id.job),
				check: func(t *testing.T, _ *httptest.ResponseRecorder) { env.drain(t) }},
			contractStep{name: "failed job", method: "GET", target: jobPath(id), status: 200, check: func(t *testing.T, rec *httptest.ResponseRecorder) {
				j := decode[LLMJobView](t, rec)
				assert.Equal(t, "failed", j.Status)
				assert.NotEmpty(t, j.Error)
			}},
			contractStep{name: "page with notice", method: "GET", target: eventLLM(id), status: 200, check: func(t *testing.T, rec *httptest.ResponseRecorder) {
				assert.NotEmpty(t, decode[LLMEventView](t, rec).Notice)
			}},
		)
		runContract(t, router, env.testEnv, steps)
	})

	t.Run("token", func(t *testing.T) {
		const token = "contract-llm-token-0123456789"
		env := newLLMEnv(t, fakeModel(), nil, Config{AdminToken: token})
		bearer := map[string]string{"Authorization": "Bearer " + token}
		runContract(t, router, env.testEnv, []contractStep{
			{name: "without token", method: "POST", target: path("/api/v1/events/1/llm"), status: 401},
			{name: "wrong token", method: "POST", target: path("/api/v1/articles/1/llm"), header: map[string]string{"Authorization": "Bearer wrong-token-wrong-token"}, status: 403},
			{name: "with token", method: "POST", target: path("/api/v1/articles/1/llm"), header: bearer, status: 404},
		})
	})

	t.Run("no model", func(t *testing.T) {
		env := newEnv(t, Config{}, nil)
		id := &ids{}
		steps := append(session(id),
			contractStep{name: "ask about the event", method: "POST", target: eventLLM(id), status: 409},
			contractStep{name: "ask about an article", method: "POST", target: articleLLM(id), status: 409},
			contractStep{name: "page", method: "GET", target: eventLLM(id), status: 200, check: func(t *testing.T, rec *httptest.ResponseRecorder) {
				assert.False(t, decode[LLMEventView](t, rec).Enabled)
			}},
		)
		runContract(t, router, env, steps)
		assert.Equal(t, http.StatusNotFound, env.call(t, http.MethodGet, "/api/v1/jobs/1", nil).Code)
	})
}
