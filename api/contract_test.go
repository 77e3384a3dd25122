package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// loadSpec loads the embedded openapi.yaml and checks that it is a valid
// OpenAPI document.
func loadSpec(t *testing.T) *openapi3.T {
	t.Helper()
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(openAPISpec)
	require.NoError(t, err)
	require.NoError(t, doc.Validate(context.Background()))
	return doc
}

// forbidUndocumentedFields makes every object schema with listed
// properties refuse other properties, for the test only. The published
// document stays open to additions, but a response field the document does
// not describe fails the contract test, so the two cannot drift apart.
func forbidUndocumentedFields(doc *openapi3.T) {
	seen := map[*openapi3.Schema]bool{}
	var walk func(*openapi3.SchemaRef)
	walk = func(ref *openapi3.SchemaRef) {
		if ref == nil || ref.Value == nil || seen[ref.Value] {
			return
		}
		s := ref.Value
		seen[s] = true
		if len(s.Properties) > 0 && s.AdditionalProperties.Has == nil && s.AdditionalProperties.Schema == nil {
			no := false
			s.AdditionalProperties.Has = &no
		}
		for _, p := range s.Properties {
			walk(p)
		}
		walk(s.Items)
		walk(s.AdditionalProperties.Schema)
	}
	for _, ref := range doc.Components.Schemas {
		walk(ref)
	}
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			for _, resp := range op.Responses.Map() {
				for _, media := range resp.Value.Content {
					walk(media.Schema)
				}
			}
		}
	}
}

// contractStep is one request of the scripted session.
type contractStep struct {
	name   string
	method string
	target func() string
	body   string
	header map[string]string
	status int
	// invalidRequest marks a request the document itself rejects, such as
	// malformed JSON; the test checks that the document does reject it.
	invalidRequest bool
	// save, when set, receives the response body, to pick up ids for later
	// steps.
	save func(t *testing.T, body []byte)
}

// request builds the step's HTTP request; bodies are JSON unless a header
// says otherwise.
func (st contractStep) request(target string) *http.Request {
	var body io.Reader
	if st.body != "" {
		body = strings.NewReader(st.body)
	}
	req := httptest.NewRequest(st.method, target, body)
	if st.body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range st.header {
		req.Header.Set(k, v)
	}
	return req
}

// TestContract runs a scripted session and checks every request and every
// response against openapi.yaml. Undocumented statuses fail too.
func TestContract(t *testing.T) {
	doc := loadSpec(t)
	forbidUndocumentedFields(doc)
	router, err := gorillamux.NewRouter(doc)
	require.NoError(t, err)

	env := newEnv(t, Config{MaxBodyBytes: 4096}, nil)
	var eventID, articleID int64
	saveID := func(dst *int64) func(*testing.T, []byte) {
		return func(t *testing.T, body []byte) {
			var v struct{ ID int64 }
			require.NoError(t, json.Unmarshal(body, &v))
			require.Positive(t, v.ID)
			*dst = v.ID
		}
	}
	path := func(p string) func() string { return func() string { return p } }
	eventPath := func(suffix string) func() string {
		return func() string { return fmt.Sprintf("/api/v1/events/%d%s", eventID, suffix) }
	}
	articlePath := func() string { return fmt.Sprintf("/api/v1/events/%d/articles/%d", eventID, articleID) }
	articleBody := func(outlet, text string) string {
		data, err := json.Marshal(map[string]string{
			"outlet": outlet, "outlet_domain": strings.ToLower(strings.ReplaceAll(outlet, " ", "")) + ".example",
			"title": "Thugs in the hellhole", "url": "https://example.org/a", "published_at": "2024-03-02", "text": text,
		})
		require.NoError(t, err)
		return string(data)
	}
	analyzeBody, err := json.Marshal(map[string]string{"text": articleLoaded, "title": "A hellhole"})
	require.NoError(t, err)

	steps := []contractStep{
		{name: "health", method: "GET", target: path("/healthz"), status: 200},
		{name: "openapi", method: "GET", target: path("/api/openapi.yaml"), status: 200},
		{name: "empty list", method: "GET", target: path("/api/v1/events"), status: 200},
		{name: "create event", method: "POST", target: path("/api/v1/events"), body: `{"title":"Flood","description":"Spring flood","date":"2024-03-01"}`, status: 201, save: saveID(&eventID)},
		{name: "create event without date", method: "POST", target: path("/api/v1/events"), body: `{"title":"Other","date":null}`, status: 201},
		{name: "empty comparison", method: "GET", target: eventPath("/comparison"), status: 200},
		{name: "add article", method: "POST", target: eventPath("/articles"), body: articleBody("Daily Bugle", articleLoaded), status: 201, save: saveID(&articleID)},
		{name: "add second article", method: "POST", target: eventPath("/articles"), body: articleBody("The Planet", articlePlain), status: 201},
		{name: "get event", method: "GET", target: eventPath(""), status: 200},
		{name: "list articles", method: "GET", target: eventPath("/articles"), status: 200},
		{name: "comparison", method: "GET", target: eventPath("/comparison"), status: 200},
		{name: "list events", method: "GET", target: path("/api/v1/events?q=flood&limit=5&offset=0"), status: 200},
		{name: "update event", method: "PUT", target: eventPath(""), body: `{"title":"Spring flood","description":"","date":"2024-03-01T09:00:00Z"}`, status: 200},
		{name: "analyze", method: "POST", target: path("/api/v1/analyze"), body: string(analyzeBody), status: 200},
		{name: "lexicon", method: "GET", target: path("/api/v1/lexicon"), status: 200},

		{name: "malformed JSON", method: "POST", target: path("/api/v1/events"), body: `{"title":`, status: 400, invalidRequest: true},
		{name: "unknown field", method: "POST", target: path("/api/v1/analyze"), body: `{"text":"x","lang":"en"}`, status: 400, invalidRequest: true},
		{name: "bad limit", method: "GET", target: path("/api/v1/events?limit=-3"), status: 400, invalidRequest: true},
		{name: "unknown event", method: "GET", target: path("/api/v1/events/424242"), status: 404},
		{name: "non-numeric id", method: "GET", target: path("/api/v1/events/abc"), status: 404, invalidRequest: true},
		{name: "unknown article", method: "DELETE", target: eventPath("/articles/424242"), status: 404},
		{name: "same article twice", method: "POST", target: eventPath("/articles"), body: articleBody("Third Outlet", articleLoaded), status: 409},
		{name: "body too large", method: "POST", target: path("/api/v1/analyze"), body: `{"text":"` + strings.Repeat("x", 5000) + `"}`, status: 413},
		{name: "wrong content type", method: "POST", target: path("/api/v1/analyze"), body: `{"text":"x"}`, header: map[string]string{"Content-Type": "text/plain"}, status: 415, invalidRequest: true},
		{name: "empty text", method: "POST", target: path("/api/v1/analyze"), body: `{"text":""}`, status: 422},
		{name: "article for unknown event", method: "POST", target: path("/api/v1/events/424242/articles"), body: articleBody("Daily Bugle", "Other text."), status: 422},
		{name: "blank title", method: "PUT", target: eventPath(""), body: `{"title":" "}`, status: 422},

		{name: "delete article", method: "DELETE", target: articlePath, status: 204},
		{name: "delete event", method: "DELETE", target: eventPath(""), status: 204},
		{name: "deleted event is gone", method: "GET", target: eventPath(""), status: 404},
	}

	ctx := context.Background()
	opts := &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			target := st.target()
			req := st.request(target)
			route, params, err := router.FindRoute(req)
			require.NoError(t, err, "the document has no operation for %s %s", st.method, target)
			input := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: opts}
			err = openapi3filter.ValidateRequest(ctx, input)
			if st.invalidRequest {
				require.Error(t, err, "the document should reject this request")
			} else {
				require.NoError(t, err, "request does not match the document")
			}

			rec := httptest.NewRecorder()
			env.handler.ServeHTTP(rec, st.request(target))
			require.Equal(t, st.status, rec.Code, rec.Body.String())

			err = openapi3filter.ValidateResponse(ctx, &openapi3filter.ResponseValidationInput{
				RequestValidationInput: input,
				Status:                 rec.Code,
				Header:                 rec.Header(),
				Body:                   io.NopCloser(bytes.NewReader(rec.Body.Bytes())),
				Options:                opts,
			})
			require.NoError(t, err, "response does not match the document: %s", rec.Body.String())
			if st.save != nil {
				st.save(t, rec.Body.Bytes())
			}
		})
	}
}

// TestSpecCoversEveryRoute checks that the router and the document list the
// same operations (the UI routes aside), so neither can grow alone.
func TestSpecCoversEveryRoute(t *testing.T) {
	doc := loadSpec(t)
	env := newEnv(t, Config{}, nil)
	engine, ok := env.handler.(*gin.Engine)
	require.True(t, ok)

	var routed []string
	for _, r := range engine.Routes() {
		if r.Path == "/" || strings.HasPrefix(r.Path, "/static/") {
			continue
		}
		segments := strings.Split(r.Path, "/")
		for i, s := range segments {
			if strings.HasPrefix(s, ":") {
				segments[i] = "{" + s[1:] + "}"
			}
		}
		routed = append(routed, r.Method+" "+strings.Join(segments, "/"))
	}
	var documented []string
	for p, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			documented = append(documented, method+" "+p)
		}
	}
	slices.Sort(routed)
	slices.Sort(documented)
	assert.Equal(t, documented, routed)
}

// TestContractCatchesDrift shows that the contract test has teeth: a
// response with a missing required field or an undocumented one fails.
func TestContractCatchesDrift(t *testing.T) {
	doc := loadSpec(t)
	forbidUndocumentedFields(doc)
	router, err := gorillamux.NewRouter(doc)
	require.NoError(t, err)
	req := httptest.NewRequest(http.MethodGet, "/healthz", nil)
	route, params, err := router.FindRoute(req)
	require.NoError(t, err)
	input := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route}
	opts := &openapi3filter.Options{IncludeResponseStatus: true}

	validate := func(status int, body string) error {
		header := http.Header{"Content-Type": {"application/json; charset=utf-8"}}
		return openapi3filter.ValidateResponse(context.Background(), &openapi3filter.ResponseValidationInput{
			RequestValidationInput: input, Status: status, Header: header,
			Body: io.NopCloser(strings.NewReader(body)), Options: opts,
		})
	}
	good := `{"status":"ok","database":"sqlite","lexicon_version":"v","version":"1"}`
	require.NoError(t, validate(200, good))
	assert.Error(t, validate(200, `{"status":"ok","database":"sqlite","version":"1"}`), "missing field")
	assert.Error(t, validate(200, strings.TrimSuffix(good, "}")+`,"extra":1}`), "undocumented field")
	assert.Error(t, validate(418, good), "undocumented status")
}
