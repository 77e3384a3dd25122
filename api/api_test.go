package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slant/analysis"
	"slant/desk"
	"slant/models"
)

// testLexiconYAML is a small lexicon of its own, so that these tests do not
// change whenever the built-in lexicon grows.
const testLexiconYAML = `category: pejorative-label
label: Pejorative label
description: Names that insult a group or place instead of describing it.
severity: 3
source: project
entries:
  - term: hellhole
    also: [hell hole]
    alternatives: [high-crime area, struggling neighbourhood]
    reason: Paints a whole place as hellish instead of describing conditions in it.
  - term: thug
    alternatives: [suspect, protester]
    reason: Labels people as violent criminals instead of saying what they did.
`

// Article texts used across the tests. articleLoaded has loaded words in
// its own voice and inside a quotation; a multi-byte character comes before
// the first finding so that offsets are seen to count bytes. articlePlain
// has none.
const (
	articleLoaded = "Café owners said the district had become a hellhole after the flood. " +
		"\"These thugs are looting,\" the mayor said.\nThe hellhole needs help."
	articlePlain = "Café owners said the district was struggling after the flood. " +
		"The mayor said shops had been looted."
)

// testEnv is a Server over a real SQLite store in a temporary directory.
type testEnv struct {
	server   *Server
	handler  http.Handler
	store    *models.Store
	analyzer *analysis.Analyzer
	logs     *bytes.Buffer
}

// testLexicon compiles testLexiconYAML, optionally with extra category
// files (used to make a lexicon with a different version).
func testLexicon(t *testing.T, extra ...analysis.LexiconFile) *analysis.Lexicon {
	t.Helper()
	files := append([]analysis.LexiconFile{{Name: "pejorative-label.yaml", Data: []byte(testLexiconYAML)}}, extra...)
	lex, err := analysis.ParseLexicon(files)
	require.NoError(t, err)
	return lex
}

// openStore opens a fresh SQLite store that is closed when the test ends.
func openStore(t *testing.T) *models.Store {
	t.Helper()
	store, err := models.Open(context.Background(), models.Config{
		Driver: models.DriverSQLite,
		DSN:    filepath.Join(t.TempDir(), "slant.db"),
	})
	require.NoError(t, err)
	t.Cleanup(func() { _ = store.Close() })
	return store
}

// newEnv builds a server with the test lexicon over a new store. cfg's
// Logger is replaced by one that writes into env.logs.
func newEnv(t *testing.T, cfg Config, assets fs.FS) *testEnv {
	t.Helper()
	return newEnvWith(t, openStore(t), testLexicon(t), cfg, assets)
}

// newEnvWith builds a server over the given store and lexicon.
func newEnvWith(t *testing.T, store *models.Store, lex *analysis.Lexicon, cfg Config, assets fs.FS) *testEnv {
	t.Helper()
	return newDeskEnvWith(t, store, lex, cfg, desk.Config{}, assets)
}

// newDeskEnv builds a server with the test lexicon over a new store, with
// a desk configured by dcfg (its limits, fetcher, extractor).
func newDeskEnv(t *testing.T, cfg Config, dcfg desk.Config, assets fs.FS) *testEnv {
	t.Helper()
	return newDeskEnvWith(t, openStore(t), testLexicon(t), cfg, dcfg, assets)
}

// newDeskEnvWith builds a server over the given store and lexicon, with a
// desk configured by dcfg. Both log into env.logs.
func newDeskEnvWith(t *testing.T, store *models.Store, lex *analysis.Lexicon, cfg Config, dcfg desk.Config, assets fs.FS) *testEnv {
	t.Helper()
	analyzer, err := analysis.NewAnalyzer(lex)
	require.NoError(t, err)
	logs := &bytes.Buffer{}
	cfg.Logger = slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	dcfg.Logger = cfg.Logger
	if cfg.Version == "" {
		cfg.Version = "test-version"
	}
	s := New(desk.New(store, analyzer, dcfg), assets, cfg)
	return &testEnv{server: s, handler: atTheKeyboard(s.Handler()), store: store, analyzer: analyzer, logs: logs}
}

// httptestRemoteAddr is the client address httptest.NewRequest gives every
// request: 192.0.2.1 (TEST-NET-1), another machine.
const httptestRemoteAddr = "192.0.2.1:1234"

// atTheKeyboard serves requests that come from httptest's default address
// as if from the machine Slant runs on: most tests play the teacher at the
// server's own keyboard, where Slant without a token serves everything.
// Tests of other clients give their requests another address (sendFrom),
// and the access tests use the server's own handler.
func atTheKeyboard(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.RemoteAddr == httptestRemoteAddr {
			r.RemoteAddr = "127.0.0.1:1234"
		}
		h.ServeHTTP(w, r)
	})
}

// newRequest builds a request; a non-nil body is sent as JSON (a string is
// sent as it is, so that tests can send malformed JSON).
func newRequest(t *testing.T, method, target string, body any) *http.Request {
	t.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = strings.NewReader(b)
	default:
		data, err := json.Marshal(b)
		require.NoError(t, err)
		r = bytes.NewReader(data)
	}
	req := httptest.NewRequest(method, target, r)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return req
}

// call sends one request through the handler.
func (e *testEnv) call(t *testing.T, method, target string, body any) *httptest.ResponseRecorder {
	t.Helper()
	rec := httptest.NewRecorder()
	e.handler.ServeHTTP(rec, newRequest(t, method, target, body))
	return rec
}

// decode reads a JSON response into a value of type T.
func decode[T any](t *testing.T, rec *httptest.ResponseRecorder) T {
	t.Helper()
	var v T
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &v), "body: %s", rec.Body.String())
	return v
}

// seed creates an event with two articles through the API and returns the
// event's and articles' ids.
func (e *testEnv) seed(t *testing.T) (eventID, loadedID, plainID int64) {
	t.Helper()
	rec := e.call(t, http.MethodPost, "/api/v1/events", map[string]any{
		"title": "Flood in the river district", "description": "Coverage of the spring flood", "date": "2024-03-01",
	})
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	eventID = decode[EventView](t, rec).ID

	add := func(outlet, domain, title, text string) int64 {
		rec := e.call(t, http.MethodPost, fmt.Sprintf("/api/v1/events/%d/articles", eventID), map[string]any{
			"outlet": outlet, "outlet_domain": domain, "title": title,
			"url": "https://" + domain + "/flood", "published_at": "2024-03-02T08:00:00Z", "text": text,
		})
		require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
		return decode[ArticleView](t, rec).ID
	}
	loadedID = add("Daily Bugle", "bugle.example", "Thugs loot flooded hellhole", articleLoaded)
	plainID = add("The Planet", "planet.example", "Flood hits river district", articlePlain)
	return eventID, loadedID, plainID
}

func TestRoutesHappyPath(t *testing.T) {
	env := newEnv(t, Config{}, nil)
	eventID, loadedID, plainID := env.seed(t)
	event := fmt.Sprintf("/api/v1/events/%d", eventID)
	version := env.analyzer.Version()

	tests := []struct {
		name   string
		method string
		target string
		body   any
		status int
		check  func(t *testing.T, rec *httptest.ResponseRecorder)
	}{
		{"health", http.MethodGet, "/healthz", nil, http.StatusOK, func(t *testing.T, rec *httptest.ResponseRecorder) {
			assert.Equal(t, HealthView{Status: "ok", Database: "sqlite", LexiconVersion: version, Version: "test-version", Auth: "local", LLM: "word lists only"},
				decode[HealthView](t, rec))
		}},
		{"openapi document", http.MethodGet, "/api/openapi.yaml", nil, http.StatusOK, func(t *testing.T, rec *httptest.ResponseRecorder) {
			assert.Equal(t, "application/yaml", rec.Header().Get("Content-Type"))
			assert.True(t, strings.HasPrefix(rec.Body.String(), "openapi: 3.0.3"))
		}},
		{"list events", http.MethodGet, "/api/v1/events", nil, http.StatusOK, func(t *testing.T, rec *httptest.ResponseRecorder) {
			list := decode[EventListView](t, rec)
			require.Len(t, list.Events, 1)
			assert.Equal(t, eventID, list.Events[0].ID)
			assert.Equal(t, int64(2), list.Events[0].ArticleCount)
			assert.Equal(t, []string{"Daily Bugle", "The Planet"}, list.Events[0].Outlets)
		}},
		{"search events", http.MethodGet, "/api/v1/events?q=FLOOD&limit=10&offset=0", nil, http.StatusOK, func(t *testing.T, rec *httptest.ResponseRecorder) {
			assert.Len(t, decode[EventListView](t, rec).Events, 1)
		}},
		{"search events without match", http.MethodGet, "/api/v1/events?q=earthquake", nil, http.StatusOK, func(t *testing.T, rec *httptest.ResponseRecorder) {
			assert.JSONEq(t, `{"events":[]}`, rec.Body.String())
		}},
		{"get event", http.MethodGet, event, nil, http.StatusOK, func(t *testing.T, rec *httptest.ResponseRecorder) {
			got := decode[EventDetailView](t, rec)
			require.Len(t, got.Articles, 2)
			for _, a := range got.Articles {
				assert.Empty(t, a.Text, "no text unless asked for")
				assert.Zero(t, a.Report, "no report unless asked for")
				assert.Equal(t, version, a.LexiconVersion, "the stored report's version")
			}
			assert.NotContains(t, rec.Body.String(), `"text"`)
			assert.NotContains(t, rec.Body.String(), `"report"`)
		}},
		{"get event with texts and reports", http.MethodGet, event + "?include=text,report", nil, http.StatusOK, func(t *testing.T, rec *httptest.ResponseRecorder) {
			got := decode[EventDetailView](t, rec)
			assert.Equal(t, "Flood in the river district", got.Title)
			require.NotNil(t, got.Date)
			assert.Equal(t, "2024-03-01T00:00:00Z", got.Date.Format("2006-01-02T15:04:05Z07:00"))
			require.Len(t, got.Articles, 2)
			loaded := got.Articles[0]
			assert.Equal(t, loadedID, loaded.ID)
			assert.Equal(t, OutletView{ID: loaded.Outlet.ID, Name: "Daily Bugle", Domain: "bugle.example"}, loaded.Outlet)
			assert.Equal(t, articleLoaded, loaded.Text)
			assert.Equal(t, models.ContentHash(articleLoaded), loaded.ContentHash)
			assert.Equal(t, version, loaded.LexiconVersion)
			assert.Equal(t, version, loaded.Report.LexiconVersion)
			assert.NotEmpty(t, loaded.Report.Findings)
			assert.NotEmpty(t, loaded.Report.TitleFindings, "title is analyzed too")
			assert.Empty(t, got.Articles[1].Report.Findings)
		}},
		{"list articles", http.MethodGet, event + "/articles", nil, http.StatusOK, func(t *testing.T, rec *httptest.ResponseRecorder) {
			got := decode[ArticleListView](t, rec)
			require.Len(t, got.Articles, 2)
			assert.Equal(t, []int64{loadedID, plainID}, []int64{got.Articles[0].ID, got.Articles[1].ID})
			assert.Empty(t, got.Articles[0].Text)
		}},
		{"list articles with texts", http.MethodGet, event + "/articles?include=text", nil, http.StatusOK, func(t *testing.T, rec *httptest.ResponseRecorder) {
			got := decode[ArticleListView](t, rec)
			require.Len(t, got.Articles, 2)
			assert.Equal(t, articleLoaded, got.Articles[0].Text)
			assert.Zero(t, got.Articles[0].Report, "the report only with include=report")
		}},
		{"unknown include", http.MethodGet, event + "?include=everything", nil, http.StatusBadRequest, func(t *testing.T, rec *httptest.ResponseRecorder) {
			assert.Contains(t, decode[ErrorBody](t, rec).Error, "include takes text and report")
		}},
		{"comparison", http.MethodGet, event + "/comparison", nil, http.StatusOK, func(t *testing.T, rec *httptest.ResponseRecorder) {
			var raw map[string]any
			require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &raw))
			assert.EqualValues(t, eventID, raw["event_id"], "event_id sits next to the comparison's own fields")
			got := decode[ComparisonView](t, rec)
			require.Len(t, got.Outlets, 2)
			assert.Equal(t, "Daily Bugle", got.Outlets[0].Outlet, "most loaded first")
			assert.Equal(t, 1, got.Outlets[0].Rank)
			assert.Equal(t, loadedID, got.Outlets[0].ArticleID)
			assert.Equal(t, []string{"pejorative-label"}, got.Categories)
			assert.NotEmpty(t, got.Summary)
			assert.Equal(t, version, got.LexiconVersion)
		}},
		{"analyze", http.MethodPost, "/api/v1/analyze", map[string]string{"text": articleLoaded, "title": "A hellhole"}, http.StatusOK, func(t *testing.T, rec *httptest.ResponseRecorder) {
			report := decode[analysis.Report](t, rec)
			assert.Equal(t, version, report.LexiconVersion)
			require.NotEmpty(t, report.Findings)
			for _, f := range report.Findings {
				assert.Equal(t, f.Text, articleLoaded[f.Start:f.End], "offsets are byte offsets into the text")
			}
			assert.Equal(t, "hellhole", report.Findings[0].Text)
			require.Len(t, report.TitleFindings, 1)
			assert.Equal(t, "hellhole", "A hellhole"[report.TitleFindings[0].Start:report.TitleFindings[0].End])
			assert.Greater(t, report.Scores.LoadedIndex, 0.0)
		}},
		{"lexicon", http.MethodGet, "/api/v1/lexicon", nil, http.StatusOK, func(t *testing.T, rec *httptest.ResponseRecorder) {
			got := decode[LexiconView](t, rec)
			assert.Equal(t, env.analyzer.Lexicon().Version(), got.Version, "the lexicon's own version, without the model")
			assert.Equal(t, 2, got.EntryCount)
			require.Len(t, got.Categories, 1)
			assert.Equal(t, "pejorative-label", got.Categories[0].Name)
		}},
		{"update event", http.MethodPut, event, map[string]any{"title": "  Spring flood  ", "description": "updated", "date": "2024-03-05T10:30:00+02:00"}, http.StatusOK, func(t *testing.T, rec *httptest.ResponseRecorder) {
			got := decode[EventView](t, rec)
			assert.Equal(t, "Spring flood", got.Title)
			assert.Equal(t, "updated", got.Description)
			require.NotNil(t, got.Date)
			assert.Equal(t, "2024-03-05T08:30:00Z", got.Date.Format("2006-01-02T15:04:05Z07:00"))
		}},
		{"update event clears date", http.MethodPut, event, map[string]any{"title": "Spring flood", "date": nil}, http.StatusOK, func(t *testing.T, rec *httptest.ResponseRecorder) {
			assert.Nil(t, decode[EventView](t, rec).Date)
			assert.Contains(t, rec.Body.String(), `"date":null`)
		}},
		{"delete article", http.MethodDelete, fmt.Sprintf("%s/articles/%d", event, plainID), nil, http.StatusNoContent, func(t *testing.T, rec *httptest.ResponseRecorder) {
			assert.Empty(t, rec.Body.String())
			_, err := env.store.GetArticle(context.Background(), eventID, plainID)
			assert.ErrorIs(t, err, models.ErrNotFound)
		}},
		{"delete event", http.MethodDelete, event, nil, http.StatusNoContent, func(t *testing.T, rec *httptest.ResponseRecorder) {
			_, err := env.store.GetEvent(context.Background(), eventID)
			assert.ErrorIs(t, err, models.ErrNotFound)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := env.call(t, tt.method, tt.target, tt.body)
			require.Equal(t, tt.status, rec.Code, rec.Body.String())
			if tt.status != http.StatusNoContent && !strings.HasSuffix(tt.target, ".yaml") {
				assert.Equal(t, "application/json; charset=utf-8", rec.Header().Get("Content-Type"))
			}
			tt.check(t, rec)
		})
	}
}

func TestCreateResponses(t *testing.T) {
	env := newEnv(t, Config{}, nil)
	eventID, loadedID, _ := env.seed(t)

	rec := env.call(t, http.MethodPost, "/api/v1/events", map[string]any{"title": "No date"})
	require.Equal(t, http.StatusCreated, rec.Code)
	created := decode[EventView](t, rec)
	assert.Nil(t, created.Date)
	assert.Equal(t, fmt.Sprintf("/api/v1/events/%d", created.ID), rec.Header().Get("Location"))

	rec = env.call(t, http.MethodPost, fmt.Sprintf("/api/v1/events/%d/articles", eventID), map[string]any{
		"outlet": "Daily Bugle", "title": "  Padded title  ", "text": "A third, different text.",
	})
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	article := decode[ArticleView](t, rec)
	assert.Equal(t, fmt.Sprintf("/api/v1/events/%d/articles/%d", eventID, article.ID), rec.Header().Get("Location"))
	assert.Equal(t, "Padded title", article.Title)
	assert.Nil(t, article.PublishedAt)
	assert.Equal(t, "bugle.example", article.Outlet.Domain, "existing outlet is reused")
	assert.False(t, article.AnalyzedAt.IsZero())
	assert.NotEqual(t, loadedID, article.ID)

	stored, err := env.store.GetArticle(context.Background(), eventID, article.ID)
	require.NoError(t, err)
	require.NotNil(t, stored.Analysis, "article and analysis are stored together")
	var report analysis.Report
	require.NoError(t, json.Unmarshal(stored.Analysis.Report, &report))
	assert.Equal(t, article.Report, report)
}

// TestComparisonRefreshesStaleReports checks that reports made with an
// older lexicon are redone (and saved) before an event is compared.
func TestComparisonRefreshesStaleReports(t *testing.T) {
	store := openStore(t)
	old := newEnvWith(t, store, testLexicon(t), Config{}, nil)
	eventID, loadedID, plainID := old.seed(t)

	extra := analysis.LexiconFile{Name: "disaster-word.yaml", Data: []byte(`category: disaster-word
label: Disaster word
description: A made-up category for this test.
severity: 1
source: project
entries:
  - term: flood
    alternatives: [high water]
    reason: Only here to change the lexicon version.
`)}
	fresh := newEnvWith(t, store, testLexicon(t, extra), Config{}, nil)
	newVersion := fresh.analyzer.Version()
	require.NotEqual(t, old.analyzer.Version(), newVersion)

	// One stored analysis goes missing altogether, as after an import.
	require.NoError(t, store.SaveAnalysis(context.Background(), &models.Analysis{
		ArticleID: plainID, Report: []byte(`not json`), LexiconVersion: "corrupt",
	}))

	rec := fresh.call(t, http.MethodGet, fmt.Sprintf("/api/v1/events/%d/comparison", eventID), nil)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	got := decode[ComparisonView](t, rec)
	assert.Equal(t, newVersion, got.LexiconVersion)
	assert.Equal(t, []string{"disaster-word", "pejorative-label"}, got.Categories)

	for _, id := range []int64{loadedID, plainID} {
		a, err := store.GetArticle(context.Background(), eventID, id)
		require.NoError(t, err)
		require.NotNil(t, a.Analysis)
		assert.Equal(t, newVersion, a.Analysis.LexiconVersion, "refreshed analysis is saved")
	}
}

func TestErrors(t *testing.T) {
	env := newEnv(t, Config{MaxBodyBytes: 512}, nil)
	eventID, _, _ := env.seed(t)
	articles := fmt.Sprintf("/api/v1/events/%d/articles", eventID)

	tests := []struct {
		name    string
		method  string
		target  string
		body    any
		header  map[string]string
		status  int
		message string // expected error message; "" means only check it is JSON
	}{
		{"malformed JSON", http.MethodPost, "/api/v1/events", `{"title":`, nil, 400, "request body is not valid JSON: it ends too early"},
		{"syntax error", http.MethodPost, "/api/v1/events", `{"title" "x"}`, nil, 400, "request body is not valid JSON (at byte 10)"},
		{"empty body", http.MethodPost, "/api/v1/analyze", ``, nil, 400, "request body is empty"},
		{"unknown field", http.MethodPost, "/api/v1/events", `{"title":"x","colour":"red"}`, nil, 400, `unknown field "colour"`},
		{"wrong type", http.MethodPost, "/api/v1/events", `{"title":5}`, nil, 400, `field "title" must be a string`},
		{"not an object", http.MethodPost, "/api/v1/analyze", `["text"]`, nil, 400, "request body must be a JSON object"},
		{"two JSON values", http.MethodPost, "/api/v1/analyze", `{"text":"a"}{"text":"b"}`, nil, 400, "request body must hold a single JSON object"},
		{"bad limit", http.MethodGet, "/api/v1/events?limit=ten", nil, nil, 400, "limit must be a non-negative integer"},
		{"negative offset", http.MethodGet, "/api/v1/events?offset=-1", nil, nil, 400, "offset must be a non-negative integer"},
		{"unknown event", http.MethodGet, "/api/v1/events/9999", nil, nil, 404, "not found"},
		{"non-numeric event id", http.MethodGet, "/api/v1/events/abc", nil, nil, 404, "not found"},
		{"zero event id", http.MethodGet, "/api/v1/events/0/comparison", nil, nil, 404, "not found"},
		{"update unknown event", http.MethodPut, "/api/v1/events/9999", map[string]string{"title": "x"}, nil, 404, "not found"},
		{"delete unknown event", http.MethodDelete, "/api/v1/events/9999", nil, nil, 404, "not found"},
		{"articles of unknown event", http.MethodGet, "/api/v1/events/9999/articles", nil, nil, 404, "not found"},
		{"comparison of unknown event", http.MethodGet, "/api/v1/events/9999/comparison", nil, nil, 404, "not found"},
		{"delete unknown article", http.MethodDelete, articles + "/9999", nil, nil, 404, "not found"},
		{"delete article of another event", http.MethodDelete, "/api/v1/events/9999/articles/1", nil, nil, 404, "not found"},
		{"unknown API route", http.MethodGet, "/api/v1/nothing-here", nil, nil, 404, "not found"},
		{"trailing slash", http.MethodGet, "/api/v1/events/", nil, nil, 404, "not found"},
		{"wrong method", http.MethodPatch, "/api/v1/events", nil, nil, 405, "method not allowed"},
		{"same article twice", http.MethodPost, articles, map[string]string{"outlet": "Another Outlet", "text": articleLoaded}, nil, 409, "this article is already in this event"},
		{"body over limit", http.MethodPost, "/api/v1/analyze", map[string]string{"text": strings.Repeat("word ", 200)}, nil, 413, "the request is too large: this Slant accepts at most 512 bytes in one request"},
		{"body over limit without length", http.MethodPost, "/api/v1/analyze", map[string]string{"text": strings.Repeat("word ", 200)}, map[string]string{"X-Chunked": "1"}, 413, "the request is too large: this Slant accepts at most 512 bytes in one request"},
		{"text/plain body", http.MethodPost, "/api/v1/events", `{"title":"x"}`, map[string]string{"Content-Type": "text/plain"}, 415, "Content-Type must be application/json"},
		{"missing content type", http.MethodPost, "/api/v1/events", `{"title":"x"}`, map[string]string{"Content-Type": ""}, 415, "Content-Type must be application/json"},
		{"empty text to analyze", http.MethodPost, "/api/v1/analyze", map[string]string{"text": ""}, nil, 422, "text is required"},
		{"blank text to analyze", http.MethodPost, "/api/v1/analyze", map[string]string{"text": " \n\t "}, nil, 422, "text is required"},
		{"empty article text", http.MethodPost, articles, map[string]string{"outlet": "Daily Bugle", "text": "   "}, nil, 422, "text is required"},
		{"missing outlet", http.MethodPost, articles, map[string]string{"text": "Some text."}, nil, 422, "outlet is required"},
		{"article for unknown event", http.MethodPost, "/api/v1/events/9999/articles", map[string]string{"outlet": "Daily Bugle", "text": "Some text."}, nil, 422, "event does not exist"},
		{"bad article URL", http.MethodPost, articles, map[string]string{"outlet": "Daily Bugle", "text": "Other text.", "url": "javascript:alert(1)"}, nil, 422, "url must be an http or https URL"},
		{"bad published_at", http.MethodPost, articles, map[string]string{"outlet": "Daily Bugle", "text": "Other text.", "published_at": "yesterday"}, nil, 422, "published_at must be an RFC 3339 time or a YYYY-MM-DD date"},
		{"blank event title", http.MethodPost, "/api/v1/events", map[string]string{"title": "  "}, nil, 422, "title is required"},
		{"bad event date", http.MethodPut, fmt.Sprintf("/api/v1/events/%d", eventID), map[string]string{"title": "x", "date": "03/01/2024"}, nil, 422, "date must be an RFC 3339 time or a YYYY-MM-DD date"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := newRequest(t, tt.method, tt.target, tt.body)
			for k, v := range tt.header {
				switch {
				case k == "X-Chunked":
					// Hide the length, as a chunked upload does, so that
					// the limit is enforced while reading.
					req.ContentLength = -1
				case v == "":
					req.Header.Del(k)
				default:
					req.Header.Set(k, v)
				}
			}
			rec := httptest.NewRecorder()
			env.handler.ServeHTTP(rec, req)
			require.Equal(t, tt.status, rec.Code, rec.Body.String())
			assert.Equal(t, "application/json; charset=utf-8", rec.Header().Get("Content-Type"))
			body := decode[ErrorBody](t, rec)
			if tt.message != "" {
				assert.Equal(t, tt.message, body.Error)
			}
		})
	}

	t.Run("405 names the allowed methods", func(t *testing.T) {
		rec := env.call(t, http.MethodPatch, fmt.Sprintf("/api/v1/events/%d", eventID), nil)
		require.Equal(t, http.StatusMethodNotAllowed, rec.Code)
		assert.Equal(t, "GET, HEAD, PUT, DELETE", rec.Header().Get("Allow"))
	})
	t.Run("unknown page outside the API is plain text", func(t *testing.T) {
		rec := env.call(t, http.MethodGet, "/no-such-page", nil)
		require.Equal(t, http.StatusNotFound, rec.Code)
		assert.Equal(t, "text/plain; charset=utf-8", rec.Header().Get("Content-Type"))
	})
	t.Run("refused requests leave no trace", func(t *testing.T) {
		list, err := env.store.ListArticles(context.Background(), eventID)
		require.NoError(t, err)
		assert.Len(t, list, 2)
		n, err := env.store.CountEvents(context.Background())
		require.NoError(t, err)
		assert.Equal(t, int64(1), n)
	})
}

// TestInternalErrorsAreNotLeaked breaks the database under the server and
// checks that clients get a bare "internal error" while the log gets the
// cause.
func TestInternalErrorsAreNotLeaked(t *testing.T) {
	env := newEnv(t, Config{}, nil)
	eventID, _, _ := env.seed(t)
	require.NoError(t, env.store.Close())

	for _, target := range []string{"/api/v1/events", fmt.Sprintf("/api/v1/events/%d", eventID), fmt.Sprintf("/api/v1/events/%d/comparison", eventID)} {
		rec := env.call(t, http.MethodGet, target, nil)
		require.Equal(t, http.StatusInternalServerError, rec.Code, target)
		assert.JSONEq(t, `{"error":"internal error"}`, rec.Body.String())
		assert.NotContains(t, strings.ToLower(rec.Body.String()), "sql")
		assert.NotContains(t, strings.ToLower(rec.Body.String()), "closed")
	}
	assert.Contains(t, env.logs.String(), "database is closed", "the cause is logged")
	assert.Contains(t, env.logs.String(), `level=ERROR msg="request failed"`, "an internal failure stays an error")

	rec := env.call(t, http.MethodGet, "/healthz", nil)
	require.Equal(t, http.StatusServiceUnavailable, rec.Code)
	got := decode[HealthView](t, rec)
	assert.Equal(t, "unavailable", got.Status)
	assert.NotContains(t, rec.Body.String(), "closed")
}

// TestPanicsBecomeJSON500 runs a panicking handler behind the server's own
// middleware.
func TestPanicsBecomeJSON500(t *testing.T) {
	env := newEnv(t, Config{}, nil)
	r := newEngine()
	r.Use(env.server.middleware()...)
	r.GET("/api/boom", func(c *gin.Context) { panic("secret detail: password=hunter2") })

	rec := httptest.NewRecorder()
	r.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/boom", nil))
	require.Equal(t, http.StatusInternalServerError, rec.Code)
	assert.JSONEq(t, `{"error":"internal error"}`, rec.Body.String())
	assert.Equal(t, "nosniff", rec.Header().Get("X-Content-Type-Options"))
	logs := env.logs.String()
	assert.Contains(t, logs, "hunter2", "the panic is logged")
	assert.Contains(t, logs, "status=500", "the request line records the 500")
}

func TestSecurityHeadersAndLogging(t *testing.T) {
	env := newEnv(t, Config{}, nil)
	for _, target := range []string{"/healthz", "/api/v1/events", "/api/v1/nothing", "/", "/static/app.js"} {
		req := newRequest(t, http.MethodGet, target, nil)
		req.Header.Set("Authorization", "Bearer very-secret-token")
		rec := httptest.NewRecorder()
		env.handler.ServeHTTP(rec, req)
		h := rec.Header()
		assert.Equal(t, "nosniff", h.Get("X-Content-Type-Options"), target)
		assert.Equal(t, contentSecurityPolicy, h.Get("Content-Security-Policy"), target)
		assert.Equal(t, "no-referrer", h.Get("Referrer-Policy"), target)
	}
	assert.Contains(t, contentSecurityPolicy, "frame-ancestors 'none'")

	rec := env.call(t, http.MethodPost, "/api/v1/analyze", map[string]string{"text": "A private pasted article about a hellhole."})
	require.Equal(t, http.StatusOK, rec.Code)
	logs := env.logs.String()
	assert.Contains(t, logs, "method=POST path=/api/v1/analyze status=200 duration=")
	assert.NotContains(t, logs, "private pasted article", "bodies are never logged")
	assert.NotContains(t, logs, "very-secret-token", "headers are never logged")
}
