package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slant/analysis"
	"slant/demo"
	"slant/desk"
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
	// remote, when set, is the client's address; otherwise the request
	// comes from the machine Slant runs on (atTheKeyboard).
	remote string
}

// request builds the step's HTTP request; bodies are JSON unless a header
// says otherwise.
func (st contractStep) request(target string) *http.Request {
	var body io.Reader
	if st.body != "" {
		body = strings.NewReader(st.body)
	}
	req := httptest.NewRequest(st.method, target, body)
	if st.remote != "" {
		req.RemoteAddr = st.remote
	}
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
	var richID int64
	richPath := func(suffix string) func() string {
		return func() string { return fmt.Sprintf("/api/v1/events/%d%s", richID, suffix) }
	}
	texts := map[int64]string{} // article id -> text, for checking offsets

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

		// A second event whose articles quote named people, cite anonymous
		// sources, groups and nobody in particular, give numbers and names,
		// and share some passages, so that every nested list of the
		// comparison (speakers, attributions, frames, content units, labels,
		// tone) has members to check against the document.
		{name: "create rich event", method: "POST", target: path("/api/v1/events"), body: `{"title":"Port strike"}`, status: 201, save: saveID(&richID)},
		{name: "add rich article one", method: "POST", target: richPath("/articles"), body: articleBody("Harbour Post", strikeHarbourPost), status: 201},
		{name: "add rich article two", method: "POST", target: richPath("/articles"), body: articleBody("Daily Bugle", strikeBugle), status: 201},
		{name: "add rich article three", method: "POST", target: richPath("/articles"), body: articleBody("The Planet", strikePlanet), status: 201},
		{name: "rich event, summaries", method: "GET", target: richPath(""), status: 200, check: func(t *testing.T, rec *httptest.ResponseRecorder) {
			for _, a := range decode[EventDetailView](t, rec).Articles {
				assert.Empty(t, a.Text)
				assert.Zero(t, a.Report)
			}
		}},
		{name: "rich articles, texts only", method: "GET", target: richPath("/articles?include=text"), status: 200},
		{name: "bad include", method: "GET", target: richPath("?include=all"), status: 400, invalidRequest: true},
		{name: "rich event", method: "GET", target: richPath("?include=text,report"), status: 200, check: func(t *testing.T, rec *httptest.ResponseRecorder) {
			ev := decode[EventDetailView](t, rec)
			for _, a := range ev.Articles {
				texts[a.ID] = a.Text
			}
			checkRichReports(t, ev)
		}},
		{name: "rich comparison", method: "GET", target: richPath("/comparison"), status: 200, check: func(t *testing.T, rec *httptest.ResponseRecorder) {
			checkRichComparison(t, decode[ComparisonView](t, rec), texts)
		}},
		{name: "analyze with quotes", method: "POST", target: path("/api/v1/analyze"), body: jsonBody(t, map[string]string{"text": strikeBugle, "title": "Thugs shut the port"}), status: 200},

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
		env := newDeskEnv(t, Config{
			AdminToken: token, MaxBodyBytes: 8192,
			AnalyzeRate: Rate{Events: 1, Per: time.Hour, Burst: 2},
		}, desk.Config{Limits: desk.Limits{MaxTextBytes: 1024, MaxArticlesPerEvent: 2}}, nil)
		runContract(t, router, env, []contractStep{
			{name: "health", method: "GET", target: path("/healthz"), status: 200, check: health(false, "token")},
			{name: "create without token", method: "POST", target: path("/api/v1/events"), body: `{"title":"Flood"}`, status: 401, check: challenge},
			{name: "create with wrong token", method: "POST", target: path("/api/v1/events"), body: `{"title":"Flood"}`, header: wrong, status: 403},
			{name: "create with token", method: "POST", target: path("/api/v1/events"), body: `{"title":"Flood"}`, header: bearer, status: 201, save: saveID(&eventID)},
			{name: "read without token", method: "GET", target: eventPath(""), status: 401, check: challenge},
			{name: "read with wrong token", method: "GET", target: eventPath(""), header: wrong, status: 403},
			{name: "read with token", method: "GET", target: eventPath(""), header: bearer, status: 200},
			{name: "spec without token", method: "GET", target: path("/api/openapi.yaml"), status: 401, check: challenge},
			{name: "add article", method: "POST", target: eventPath("/articles"), body: article("One", articlePlain), header: bearer, status: 201, save: saveID(&articleID)},
			{name: "add second article", method: "POST", target: eventPath("/articles"), body: article("Two", articleLoaded), header: bearer, status: 201},
			{name: "one article too many", method: "POST", target: eventPath("/articles"), body: article("Three", "A third text."), header: bearer, status: 422},
			{name: "text too long", method: "POST", target: eventPath("/articles"), body: article("Four", strings.Repeat("word ", 300)), header: bearer, status: 413},
			{name: "update without token", method: "PUT", target: eventPath(""), body: `{"title":"x"}`, status: 401, check: challenge},
			{name: "delete article with wrong token", method: "DELETE", target: func() string { return fmt.Sprintf("/api/v1/events/%d/articles/%d", eventID, articleID) }, header: wrong, status: 403},
			{name: "delete event without token", method: "DELETE", target: eventPath(""), status: 401, check: challenge},
			{name: "analyze without token", method: "POST", target: path("/api/v1/analyze"), body: `{"text":"A hellhole."}`, status: 401, check: challenge},
			{name: "analyze with token", method: "POST", target: path("/api/v1/analyze"), body: `{"text":"A hellhole."}`, header: bearer, status: 200},
			{name: "analyze text too long", method: "POST", target: path("/api/v1/analyze"), body: `{"text":"` + strings.Repeat("x", 2000) + `"}`, header: bearer, status: 413},
			{name: "analyze over the rate", method: "POST", target: path("/api/v1/analyze"), body: `{"text":"A hellhole."}`, header: bearer, status: 429, check: retryAfter},
			{name: "read past the deadline", method: "GET", target: path("/api/v1/events"), header: bearer, expired: true, status: 503},
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
			{name: "analyze", method: "POST", target: path("/api/v1/analyze"), body: `{"text":"A hellhole."}`, header: bearer, status: 200},
		})
	})
	t.Run("write rate", func(t *testing.T) {
		env := newEnv(t, Config{WriteRate: Rate{Events: 1, Per: time.Hour, Burst: 1}}, nil)
		runContract(t, router, env, []contractStep{
			{name: "health", method: "GET", target: path("/healthz"), status: 200, check: health(false, "local")},
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
	engine, ok := env.server.Handler().(*gin.Engine)
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
	good := `{"status":"ok","database":"sqlite","lexicon_version":"v","version":"1","read_only":false,"auth":"local","public_read":false,"llm":"word lists only"}`
	require.NoError(t, validate(200, good))
	assert.Error(t, validate(200, `{"status":"ok","database":"sqlite","version":"1"}`), "missing field")
	assert.Error(t, validate(200, strings.TrimSuffix(good, "}")+`,"extra":1}`), "undocumented field")
	assert.Error(t, validate(418, good), "undocumented status")
}

// Three outlets' reports of one port strike, for the scripted session.
// Between them they quote named people (with roles, by surname and by
// pronoun), paraphrase them, cite anonymous sources, a group and nobody in
// particular, use a loaded verb of saying, and give numbers and names that
// only one of them carries. Curly quotes and an accent make the byte
// offsets differ from character counts.
const (
	strikeHarbourPost = "Dock workers walked off the job at Port Elling on Monday, halting 40 ships and about $12 million in daily trade. " +
		"“We will not unload another crate until the contract is signed,” union leader Maria Okafor said. " +
		"Harbour master Tom Reyes said the port would lose jobs and money if the strike lasted into next week.\n\n" +
		"Protesters gathered outside the city council, where police arrested 12 people. " +
		"“The economy cannot wait for a deal,” Reyes added. " +
		"Critics say the government ignored the workers' safety complaints for years. " +
		"The Mérida shipping line said it would divert 6 vessels to Carrow."
	strikeBugle = "Thugs shut down Port Elling on Monday, turning the docks into a hellhole. " +
		"Union boss Maria Okafor claimed the strike was about safety. " +
		"“Our members are tired of injuries,” Okafor said. " +
		"Rioters blocked the gates while police arrested 12 people.\n\n" +
		"Some believe the government will cave. " +
		"Three people familiar with the talks said a deal was close. " +
		"Harbour master Tom Reyes said trade worth $12 million a day was at risk and jobs would be lost. " +
		"The union is reportedly demanding an extremely costly raise."
	strikePlanet = "Demonstrators marched through Elling on Monday as the port strike entered its first day. " +
		"Maria Okafor, who leads the dockers' union, told reporters that wages had not risen since 2019. " +
		"“We are asking for fairness, nothing more,” she said.\n\n" +
		"Health inspectors found unsafe cranes at 3 berths last month, according to the harbour authority. " +
		"Police arrested 12 people outside the council. " +
		"Residents worry that rent and food prices will climb if the port stays shut."
)

// jsonBody marshals v for a step's body.
func jsonBody(t *testing.T, v any) string {
	t.Helper()
	data, err := json.Marshal(v)
	require.NoError(t, err)
	return string(data)
}

// checkSpan checks that [start, end) are byte offsets that cut text on
// character boundaries and, when want is not empty, that they hold want.
func checkSpan(t *testing.T, what, text string, start, end int, want string) {
	t.Helper()
	if !assert.True(t, 0 <= start && start <= end && end <= len(text), "%s: [%d, %d) outside the %d-byte text", what, start, end, len(text)) {
		return
	}
	assert.True(t, start == len(text) || utf8.RuneStart(text[start]), "%s: byte %d is inside a character", what, start)
	assert.True(t, end == len(text) || utf8.RuneStart(text[end]), "%s: byte %d is inside a character", what, end)
	if want != "" {
		assert.Equal(t, want, text[start:end], "%s: the offsets do not hold the words", what)
	}
}

// checkRichReports looks inside the port-strike reports: the nested lists
// the document describes are filled, and their offsets are byte offsets
// into the article's text.
func checkRichReports(t *testing.T, ev EventDetailView) {
	t.Helper()
	require.Len(t, ev.Articles, 3)
	types := map[string]int{}
	var direct, loaded, subjectivity int
	for _, a := range ev.Articles {
		r, text := a.Report, a.Text
		assert.Len(t, r.Frames.Scores, 15, a.Outlet.Name)
		assert.Positive(t, r.Frames.Hits, "%s: frame cues", a.Outlet.Name)
		assert.NotEmpty(t, r.Frames.Top, a.Outlet.Name)
		for _, c := range r.Frames.Cues {
			checkSpan(t, "frame cue", text, c.Start, c.End, c.Text)
		}
		for _, sc := range r.Frames.Scores {
			for _, e := range sc.Evidence {
				checkSpan(t, "frame evidence", text, e.Start, e.End, "")
			}
			assert.Equal(t, sc.Hits > 0, len(sc.Terms) > 0, "%s %s: terms and hits", a.Outlet.Name, sc.Frame)
		}

		speakers := map[string]bool{}
		for _, sp := range r.Sources.Speakers {
			speakers[sp.ID] = true
			checkSpan(t, "speaker", text, sp.First, sp.First, "")
		}
		for _, at := range r.Sources.Attributions {
			types[at.SourceType]++
			checkSpan(t, "attribution", text, at.Start, at.End, "")
			if at.Source != "" {
				checkSpan(t, "attribution source", text, at.SourceSpan.Start, at.SourceSpan.End, at.Source)
			}
			if at.Verb != "" {
				checkSpan(t, "verb", text, at.VerbSpan.Start, at.VerbSpan.End, "")
				assert.Equal(t, at.Verb, strings.ToLower(text[at.VerbSpan.Start:at.VerbSpan.End]))
			}
			if at.SourceType == "named" || at.SourceType == "institution" {
				assert.True(t, speakers[at.Speaker], "attribution to unknown speaker %q", at.Speaker)
			}
			if at.Mode == "direct" && at.SourceType == "named" {
				direct++
				assert.Equal(t, "clause", at.Via)
			}
			if at.Grade == "loaded" {
				loaded++
				assert.NotEmpty(t, at.Reason, "a loaded verb gives its reason")
			}
		}
		for _, c := range r.Tone.Subjectivity.Cues {
			subjectivity++
			checkSpan(t, "subjectivity cue", text, c.Start, c.End, c.Text)
		}
		assert.NotEmpty(t, r.Tone.Sentences, a.Outlet.Name)
		for _, st := range r.Tone.Sentences {
			checkSpan(t, "tone sentence", text, st.Start, st.End, "")
		}
	}
	assert.Positive(t, direct, "quotations put to named speakers")
	assert.Positive(t, loaded, "loaded verbs of saying")
	assert.Positive(t, subjectivity, "subjectivity cues")
	for _, kind := range []string{"named", "anonymous", "group", "unattributed"} {
		assert.Positive(t, types[kind], "attributions of type %s", kind)
	}
}

// checkRichComparison looks inside the port-strike comparison: every
// section has members, the outlets' entries line up, and spans are byte
// offsets into the right article's text.
func checkRichComparison(t *testing.T, c ComparisonView, texts map[int64]string) {
	t.Helper()
	require.Len(t, texts, 3, "the event's texts are read first")

	f := c.Frames
	assert.Len(t, f.Frames, 15)
	require.Len(t, f.Outlets, 3)
	for _, o := range f.Outlets {
		assert.Len(t, o.Shares, 15, o.Outlet)
		assert.Positive(t, o.Hits, o.Outlet)
	}
	assert.Len(t, f.Pairs, 3)
	assert.NotEmpty(t, f.Stressed)
	assert.NotEmpty(t, f.Method)
	assert.InDelta(t, 0.5, f.Divergence, 0.5)

	src := c.Sources
	require.Len(t, src.Outlets, 3)
	assert.Contains(t, src.Shared, "maria-okafor")
	var okafor *analysis.ComparedSpeaker
	for i := range src.Speakers {
		if src.Speakers[i].ID == "maria-okafor" {
			okafor = &src.Speakers[i]
		}
	}
	if assert.NotNil(t, okafor, "Maria Okafor is among the speakers") {
		assert.Len(t, okafor.Uses, 3, "all three outlets let her speak")
		assert.Equal(t, "Maria Okafor", okafor.Name)
	}
	assert.NotEmpty(t, src.Summary)

	ct := c.Content
	require.Len(t, ct.Outlets, 3)
	require.NotEmpty(t, ct.Units)
	shared, unique, terms := 0, 0, 0
	for i, u := range ct.Units {
		assert.Equal(t, i, u.Index)
		assert.NotEmpty(t, u.Members)
		if len(u.Outlets) > 1 {
			shared++
		}
		for _, m := range u.Members {
			assert.NotEmpty(t, m.Spans)
			for _, sp := range m.Spans {
				checkSpan(t, "unit member", texts[m.ArticleID], sp.Start, sp.End, "")
			}
		}
	}
	for _, o := range ct.Outlets {
		for _, sp := range o.UniqueSpans {
			unique++
			checkSpan(t, "only here", texts[o.ArticleID], sp.Start, sp.End, "")
		}
		for _, k := range append(slices.Clone(o.OnlyHere), o.LeftOut...) {
			assert.Less(t, k, len(ct.Units), "unit index")
		}
		terms += len(o.UniqueTerms)
	}
	assert.Positive(t, shared, "passages carried by several outlets")
	assert.Positive(t, unique, "passages found in one outlet only")
	assert.Positive(t, terms, "names and numbers found in one outlet only")

	lb := c.Labels
	require.NotEmpty(t, lb.Concepts)
	differs := false
	for _, cl := range lb.Concepts {
		if cl.Differs {
			differs = true
			assert.NotEmpty(t, cl.Distinct, cl.Concept)
		}
		for _, o := range cl.Outlets {
			for _, l := range o.Labels {
				for _, sp := range l.Spans {
					if !sp.InTitle {
						checkSpan(t, "label", texts[o.ArticleID], sp.Start, sp.End, "")
					}
				}
			}
		}
	}
	assert.True(t, differs, "some concept is named differently")
	require.NotEmpty(t, lb.Entities)
	assert.NotEmpty(t, lb.Entities[0].Outlets[0].Descriptors)

	require.Len(t, c.Tone.Outlets, 3)
	assert.NotEmpty(t, c.Tone.Summary)
}

// TestContractDemoEvent loads the demo event through the API with the
// built-in lexicon and checks the event, its comparison and an analysis
// against the document: real articles, with every section of the
// comparison filled.
func TestContractDemoEvent(t *testing.T) {
	doc := loadSpec(t)
	forbidUndocumentedFields(doc)
	router, err := gorillamux.NewRouter(doc)
	require.NoError(t, err)
	lex, err := analysis.BuiltinLexicon()
	require.NoError(t, err)
	env := newEnvWith(t, openStore(t), lex, Config{}, nil)
	ev, err := demo.Load()
	require.NoError(t, err)

	var eventID int64
	path := func(p string) func() string { return func() string { return p } }
	eventPath := func(suffix string) func() string {
		return func() string { return fmt.Sprintf("/api/v1/events/%d%s", eventID, suffix) }
	}
	steps := []contractStep{
		{name: "create the demo event", method: "POST", target: path("/api/v1/events"), status: 201,
			body: jsonBody(t, map[string]string{"title": ev.Title, "description": ev.Description, "date": ev.Date.Format(time.RFC3339)}),
			save: func(t *testing.T, body []byte) {
				var v struct{ ID int64 }
				require.NoError(t, json.Unmarshal(body, &v))
				eventID = v.ID
			}},
	}
	for _, a := range ev.Articles {
		steps = append(steps, contractStep{name: "add " + a.Outlet, method: "POST", target: eventPath("/articles"), status: 201,
			body: jsonBody(t, map[string]string{"outlet": a.Outlet, "outlet_domain": a.Domain, "title": a.Title, "url": a.URL,
				"published_at": a.PublishedAt.Format(time.RFC3339), "text": a.Text})})
	}
	texts := map[int64]string{}
	steps = append(steps,
		contractStep{name: "event", method: "GET", target: eventPath("?include=text,report"), status: 200, check: func(t *testing.T, rec *httptest.ResponseRecorder) {
			for _, a := range decode[EventDetailView](t, rec).Articles {
				texts[a.ID] = a.Text
			}
		}},
		contractStep{name: "comparison", method: "GET", target: eventPath("/comparison"), status: 200, check: func(t *testing.T, rec *httptest.ResponseRecorder) {
			c := decode[ComparisonView](t, rec)
			require.Len(t, c.Outlets, len(ev.Articles))
			assert.NotEmpty(t, c.Frames.Stressed)
			assert.Contains(t, c.Sources.Shared, "ruth-calloway")
			unique := 0
			for _, o := range c.Content.Outlets {
				for _, sp := range o.UniqueSpans {
					unique++
					checkSpan(t, "only here", texts[o.ArticleID], sp.Start, sp.End, "")
				}
			}
			assert.Positive(t, unique, "passages only one outlet carries")
			flophouse := false
			for _, cl := range c.Labels.Concepts {
				for _, d := range cl.Distinct {
					flophouse = flophouse || (d.Label == "flophouse" && d.Loaded)
				}
			}
			assert.True(t, flophouse, `"flophouse" is a loaded label only one outlet uses`)
			assert.Len(t, c.Tone.Outlets, len(ev.Articles))
		}},
		contractStep{name: "analyze", method: "POST", target: path("/api/v1/analyze"), status: 200,
			body: jsonBody(t, map[string]string{"title": ev.Articles[1].Title, "text": ev.Articles[1].Text})},
	)
	runContract(t, router, env, steps)
}

// TestSpecDescribesEveryField walks the Go types behind the report and the
// comparison next to their schemas: every JSON field is a property of the
// right type, every property is a field, and a field is required exactly
// when it is always sent (no omitempty or omitzero). The scripted sessions
// only see the fields their texts produce; this sees them all.
func TestSpecDescribesEveryField(t *testing.T) {
	doc := loadSpec(t)
	schema := func(name string) *openapi3.SchemaRef {
		ref := doc.Components.Schemas[name]
		require.NotNil(t, ref, "no schema %s", name)
		return ref
	}
	timeType := reflect.TypeFor[time.Time]()
	seen := map[*openapi3.Schema]reflect.Type{}
	var walk func(where string, ref *openapi3.SchemaRef, typ reflect.Type)
	walk = func(where string, ref *openapi3.SchemaRef, typ reflect.Type) {
		if !assert.NotNil(t, ref, "%s: no schema", where) || !assert.NotNil(t, ref.Value, where) {
			return
		}
		s := ref.Value
		for typ.Kind() == reflect.Pointer {
			typ = typ.Elem()
		}
		if prev, ok := seen[s]; ok {
			assert.Equal(t, prev, typ, "%s: one schema for two Go types", where)
			return
		}
		seen[s] = typ
		is := func(want string) {
			assert.True(t, s.Type.Is(want), "%s: schema type %v, Go type %s wants %s", where, s.Type.Slice(), typ, want)
		}
		switch {
		case typ == timeType:
			is("string")
		case typ.Kind() == reflect.String:
			is("string")
		case typ.Kind() == reflect.Bool:
			is("boolean")
		case typ.Kind() >= reflect.Int && typ.Kind() <= reflect.Uint64:
			is("integer")
		case typ.Kind() == reflect.Float32 || typ.Kind() == reflect.Float64:
			is("number")
		case typ.Kind() == reflect.Slice:
			is("array")
			walk(where+"[]", s.Items, typ.Elem())
		case typ.Kind() == reflect.Interface:
			// A value of several kinds (a metadata value): the schema says
			// which with oneOf.
			assert.NotEmpty(t, s.OneOf, "%s: a value of several kinds needs oneOf", where)
		case typ.Kind() == reflect.Map:
			is("object")
			if assert.NotNil(t, s.AdditionalProperties.Schema, "%s: a map needs additionalProperties", where) {
				walk(where+"{}", s.AdditionalProperties.Schema, typ.Elem())
			}
		case typ.Kind() == reflect.Struct:
			is("object")
			fields := map[string]bool{}
			for name, f := range jsonFields(typ) {
				fields[name] = true
				prop := s.Properties[name]
				if !assert.NotNil(t, prop, "%s: field %q is not in the document", where, name) {
					continue
				}
				if f.always {
					assert.Contains(t, s.Required, name, "%s: %q is always sent, so it should be required", where, name)
				} else {
					assert.NotContains(t, s.Required, name, "%s: %q may be left out, so it cannot be required", where, name)
				}
				walk(where+"."+name, prop, f.typ)
			}
			for name := range s.Properties {
				assert.True(t, fields[name], "%s: the document lists %q, which the Go type does not have", where, name)
			}
		default:
			t.Errorf("%s: unexpected Go type %s", where, typ)
		}
	}
	walk("Report", schema("Report"), reflect.TypeFor[analysis.Report]())
	walk("Comparison", schema("Comparison"), reflect.TypeFor[ComparisonView]())
	walk("Article", schema("Article"), reflect.TypeFor[ArticleView]())
	walk("AnalyzeResult", schema("AnalyzeResult"), reflect.TypeFor[AnalyzeView]())
	walk("WordList", schema("WordList"), reflect.TypeFor[WordListView]())
	walk("WordListChange", schema("WordListChange"), reflect.TypeFor[WordListChangeView]())
	walk("ExerciseList", schema("ExerciseList"), reflect.TypeFor[ExerciseListView]())
	walk("StudentExercise", schema("StudentExercise"), reflect.TypeFor[StudentExerciseView]())
	walk("SubmissionResult", schema("SubmissionResult"), reflect.TypeFor[SubmissionResultView]())
	walk("ExerciseResults", schema("ExerciseResults"), reflect.TypeFor[ResultsView]())
	walk("LLMJob", schema("LLMJob"), reflect.TypeFor[LLMJobView]())
	walk("LLMEvent", schema("LLMEvent"), reflect.TypeFor[LLMEventView]())
}

// jsonField is one field as encoding/json writes it.
type jsonField struct {
	typ    reflect.Type
	always bool // no omitempty or omitzero
}

// jsonFields lists a struct's JSON fields by name, with embedded structs'
// fields promoted as encoding/json does.
func jsonFields(typ reflect.Type) map[string]jsonField {
	out := map[string]jsonField{}
	for f := range typ.Fields() {
		if !f.IsExported() && !f.Anonymous {
			continue
		}
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			for k, v := range jsonFields(f.Type) {
				out[k] = v
			}
			continue
		}
		if name == "" {
			name = f.Name
		}
		omit := false
		for o := range strings.SplitSeq(opts, ",") {
			omit = omit || o == "omitempty" || o == "omitzero"
		}
		out[name] = jsonField{typ: f.Type, always: !omit}
	}
	return out
}
