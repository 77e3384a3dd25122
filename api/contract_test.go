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
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
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
	// check, when set, looks further at the response.
	check func(t *testing.T, rec *httptest.ResponseRecorder)
	// expired sends the request with a context whose deadline has passed,
	// as if the server's request timeout had run out.
	expired bool
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
	if st.expired {
		ctx, cancel := context.WithDeadline(req.Context(), time.Now().Add(-time.Second))
		cancel()
		req = req.WithContext(ctx)
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

	runContract(t, router, env, steps)
}

// runContract runs the steps in order against env's server, checking each
// request and response against the document behind router.
func runContract(t *testing.T, router routers.Router, env *testEnv, steps []contractStep) {
	t.Helper()
	ctx := context.Background()
	opts := &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true, AuthenticationFunc: checkBearer}
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
			if st.check != nil {
				st.check(t, rec)
			}
		})
	}
}

// TestContractAccessAndLimits runs a session against servers with an admin
// token, small limits and a read-only switch, so that every refusal the
// document lists is seen to match it.
func TestContractAccessAndLimits(t *testing.T) {
	doc := loadSpec(t)
	forbidUndocumentedFields(doc)
	router, err := gorillamux.NewRouter(doc)
	require.NoError(t, err)

	const token = "contract-test-token-0123456789"
	bearer := map[string]string{"Authorization": "Bearer " + token}
	wrong := map[string]string{"Authorization": "Bearer not-the-token-at-all"}
	path := func(p string) func() string { return func() string { return p } }
	var eventID, articleID int64
	eventPath := func(suffix string) func() string {
		return func() string { return fmt.Sprintf("/api/v1/events/%d%s", eventID, suffix) }
	}
	saveID := func(dst *int64) func(*testing.T, []byte) {
		return func(t *testing.T, body []byte) {
			var v struct{ ID int64 }
			require.NoError(t, json.Unmarshal(body, &v))
			*dst = v.ID
		}
	}
	article := func(outlet, text string) string {
		data, err := json.Marshal(map[string]string{"outlet": outlet, "text": text})
		require.NoError(t, err)
		return string(data)
	}
	health := func(readOnly bool, auth string) func(*testing.T, *httptest.ResponseRecorder) {
		return func(t *testing.T, rec *httptest.ResponseRecorder) {
			got := decode[HealthView](t, rec)
			assert.Equal(t, readOnly, got.ReadOnly)
			assert.Equal(t, auth, got.Auth)
			assert.NotContains(t, rec.Body.String(), token)
		}
	}
	challenge := func(t *testing.T, rec *httptest.ResponseRecorder) {
		assert.Equal(t, authScheme, rec.Header().Get("WWW-Authenticate"))
	}
	retryAfter := func(t *testing.T, rec *httptest.ResponseRecorder) {
		assert.NotEmpty(t, rec.Header().Get("Retry-After"))
	}

	t.Run("token", func(t *testing.T) {
		env := newEnv(t, Config{
			AdminToken: token, MaxBodyBytes: 8192, MaxTextBytes: 1024, MaxArticlesPerEvent: 2,
			AnalyzeRate: Rate{Events: 1, Per: time.Hour, Burst: 2},
		}, nil)
		runContract(t, router, env, []contractStep{
			{name: "health", method: "GET", target: path("/healthz"), status: 200, check: health(false, "token")},
			{name: "create without token", method: "POST", target: path("/api/v1/events"), body: `{"title":"Flood"}`, status: 401, check: challenge},
			{name: "create with wrong token", method: "POST", target: path("/api/v1/events"), body: `{"title":"Flood"}`, header: wrong, status: 403},
			{name: "create with token", method: "POST", target: path("/api/v1/events"), body: `{"title":"Flood"}`, header: bearer, status: 201, save: saveID(&eventID)},
			{name: "read without token", method: "GET", target: eventPath(""), status: 200},
			{name: "add article", method: "POST", target: eventPath("/articles"), body: article("One", articlePlain), header: bearer, status: 201, save: saveID(&articleID)},
			{name: "add second article", method: "POST", target: eventPath("/articles"), body: article("Two", articleLoaded), header: bearer, status: 201},
			{name: "one article too many", method: "POST", target: eventPath("/articles"), body: article("Three", "A third text."), header: bearer, status: 422},
			{name: "text too long", method: "POST", target: eventPath("/articles"), body: article("Four", strings.Repeat("word ", 300)), header: bearer, status: 413},
			{name: "update without token", method: "PUT", target: eventPath(""), body: `{"title":"x"}`, status: 401, check: challenge},
			{name: "delete article with wrong token", method: "DELETE", target: func() string { return fmt.Sprintf("/api/v1/events/%d/articles/%d", eventID, articleID) }, header: wrong, status: 403},
			{name: "delete event without token", method: "DELETE", target: eventPath(""), status: 401, check: challenge},
			{name: "analyze needs no token", method: "POST", target: path("/api/v1/analyze"), body: `{"text":"A hellhole."}`, status: 200},
			{name: "analyze text too long", method: "POST", target: path("/api/v1/analyze"), body: `{"text":"` + strings.Repeat("x", 2000) + `"}`, status: 413},
			{name: "analyze over the rate", method: "POST", target: path("/api/v1/analyze"), body: `{"text":"A hellhole."}`, status: 429, check: retryAfter},
			{name: "read past the deadline", method: "GET", target: path("/api/v1/events"), expired: true, status: 503},
			{name: "write past the deadline", method: "POST", target: path("/api/v1/events"), body: `{"title":"Late"}`, header: bearer, expired: true, status: 503},
			{name: "delete event with token", method: "DELETE", target: eventPath(""), header: bearer, status: 204},
		})
	})
	t.Run("read-only", func(t *testing.T) {
		env := newEnv(t, Config{ReadOnly: true, AdminToken: token}, nil)
		runContract(t, router, env, []contractStep{
			{name: "health", method: "GET", target: path("/healthz"), status: 200, check: health(true, "token")},
			{name: "create with token", method: "POST", target: path("/api/v1/events"), body: `{"title":"Flood"}`, header: bearer, status: 403},
			{name: "delete", method: "DELETE", target: path("/api/v1/events/1"), status: 403},
			{name: "analyze", method: "POST", target: path("/api/v1/analyze"), body: `{"text":"A hellhole."}`, status: 200},
		})
	})
	t.Run("write rate", func(t *testing.T) {
		env := newEnv(t, Config{WriteRate: Rate{Events: 1, Per: time.Hour, Burst: 1}}, nil)
		runContract(t, router, env, []contractStep{
			{name: "health", method: "GET", target: path("/healthz"), status: 200, check: health(false, "open")},
			{name: "create", method: "POST", target: path("/api/v1/events"), body: `{"title":"Flood"}`, status: 201, save: saveID(&eventID)},
			{name: "create again", method: "POST", target: path("/api/v1/events"), body: `{"title":"Flood"}`, status: 429, check: retryAfter},
			{name: "update", method: "PUT", target: eventPath(""), body: `{"title":"Flood"}`, status: 429, check: retryAfter},
			{name: "delete", method: "DELETE", target: eventPath(""), status: 429, check: retryAfter},
			{name: "reads are not limited", method: "GET", target: eventPath(""), status: 200},
		})
	})
}

// checkBearer is the document's view of the adminToken scheme: the request
// carries a bearer token. Operations that accept it also accept none (the
// server may have no token), so a request without one passes through the
// empty security requirement instead.
func checkBearer(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	if in.SecuritySchemeName != "adminToken" {
		return fmt.Errorf("unknown security scheme %q", in.SecuritySchemeName)
	}
	if _, ok := bearerToken(in.RequestValidationInput.Request.Header.Get("Authorization")); !ok {
		return fmt.Errorf("no bearer token")
	}
	return nil
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
	good := `{"status":"ok","database":"sqlite","lexicon_version":"v","version":"1","read_only":false,"auth":"open"}`
	require.NoError(t, validate(200, good))
	assert.Error(t, validate(200, `{"status":"ok","database":"sqlite","version":"1"}`), "missing field")
	assert.Error(t, validate(200, strings.TrimSuffix(good, "}")+`,"extra":1}`), "undocumented field")
	assert.Error(t, validate(418, good), "undocumented status")
}
