package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slant/analysis"
	"slant/desk"
	"slant/models"
)

// postImport sends an import body with the given Content-Type.
func (e *testEnv) postImport(t testing.TB, target, contentType, body string, header map[string]string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, target, strings.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	e.handler.ServeHTTP(rec, req)
	return rec
}

// importFile is a JSON Lines import with two good events and, on lines 3
// and 5, two bad records.
const importFile = `{"event":"Flood in the river district","outlet":"Daily Bugle","title":"Thugs loot flooded hellhole","url":"https://bugle.example/flood","published_at":"2024-03-02","text":"Café owners said the district had become a hellhole after the flood."}
{"event":"Flood in the river district","outlet":"The Planet","text":"Café owners said the district was struggling after the flood."}
{"event":"Flood in the river district","outlet":"","text":"No outlet."}

{"event":"Budget vote","outlet":"Daily Bugle","text":"The budget passed.","extra":{"nested":1}}
{"event":"Budget vote","outlet":"Daily Bugle","text":"The council passed the budget on Tuesday."}
`

func TestImportRoute(t *testing.T) {
	env := newEnv(t, Config{}, nil)
	const ndjson = "application/x-ndjson"

	t.Run("strict refuses the whole batch", func(t *testing.T) {
		rec := env.postImport(t, "/api/v1/import?mode=strict", ndjson, importFile, nil)
		require.Equal(t, http.StatusUnprocessableEntity, rec.Code, rec.Body.String())
		got := decode[ImportRejectionView](t, rec)
		assert.Contains(t, got.Error, "nothing was stored")
		require.Len(t, got.LineErrors, 2)
		assert.Equal(t, 3, got.LineErrors[0].Line)
		// The same words as a pasted article without an outlet: one check
		// for every way in.
		assert.Contains(t, got.LineErrors[0].Error, "outlet is required")
		assert.Equal(t, 5, got.LineErrors[1].Line)
		assert.Contains(t, got.LineErrors[1].Error, "extra")
		list := decode[EventListView](t, env.call(t, http.MethodGet, "/api/v1/events", nil))
		assert.Empty(t, list.Events)
	})

	var first ImportView
	t.Run("skip stores the rest", func(t *testing.T) {
		rec := env.postImport(t, "/api/v1/import", ndjson, importFile, nil)
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		first = decode[ImportView](t, rec)
		assert.Equal(t, "skip", first.Mode)
		assert.Equal(t, 3, first.Added)
		assert.Equal(t, 5, first.Records)
		assert.Zero(t, first.SkippedDuplicates)
		require.Len(t, first.LineErrors, 2)
		require.Len(t, first.Events, 2)
		assert.True(t, first.Events[0].Created)
		assert.Equal(t, "Flood in the river district", first.Events[0].Title)
		assert.Equal(t, env.analyzer.Version(), first.LexiconVersion)

		detail := decode[EventDetailView](t, env.call(t, http.MethodGet, fmt.Sprintf("/api/v1/events/%d?include=report", first.Events[0].ID), nil))
		require.Len(t, detail.Articles, 2)
		assert.Equal(t, "Thugs loot flooded hellhole", detail.Articles[0].Title)
		assert.NotEmpty(t, detail.Articles[0].Report.Findings)
		assert.Equal(t, env.analyzer.Version(), detail.Articles[0].LexiconVersion)
	})

	t.Run("twice adds nothing", func(t *testing.T) {
		rec := env.postImport(t, "/api/v1/import", ndjson, importFile, nil)
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		again := decode[ImportView](t, rec)
		assert.Zero(t, again.Added)
		assert.Equal(t, 3, again.SkippedDuplicates)
		require.Len(t, again.Events, 2)
		assert.Equal(t, first.Events[0].ID, again.Events[0].ID)
		assert.False(t, again.Events[0].Created)
		list := decode[EventListView](t, env.call(t, http.MethodGet, "/api/v1/events", nil))
		assert.Len(t, list.Events, 2)
	})

	t.Run("csv", func(t *testing.T) {
		csvBody := "event,outlet,title,text\r\n" +
			"Budget vote,The Planet,Budget passes,\"Councillors passed the budget, 5 to 4.\"\r\n" +
			"Budget vote,,No outlet,Text.\r\n"
		rec := env.postImport(t, "/api/v1/import", "text/csv; charset=utf-8", csvBody, nil)
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		got := decode[ImportView](t, rec)
		assert.Equal(t, 1, got.Added)
		require.Len(t, got.LineErrors, 1)
		assert.Equal(t, 3, got.LineErrors[0].Line)
		require.Len(t, got.Events, 1)
		assert.Equal(t, first.Events[1].ID, got.Events[0].ID, "the event key finds the event the first import created")
	})
}

func TestImportRouteRefusals(t *testing.T) {
	env := newDeskEnv(t, Config{MaxImportBytes: 2048}, desk.Config{Limits: desk.Limits{MaxArticlesPerEvent: 2}}, nil)
	const good = `{"event":"Flood","outlet":"A","text":"One text."}` + "\n"
	for _, tc := range []struct {
		name, target, contentType, body string
		status                          int
		message                         string
	}{
		{"wrong content type", "/api/v1/import", "text/plain", good, 415, "Content-Type must be application/x-ndjson (JSON Lines) or text/csv"},
		{"bad mode", "/api/v1/import?mode=maybe", "application/x-ndjson", good, 400, "mode must be skip or strict"},
		{"empty", "/api/v1/import", "application/x-ndjson", "\n\n", 422, "import holds no records"},
		{"too large", "/api/v1/import", "application/x-ndjson", strings.Repeat(good, 100), 413, "the request is too large: this Slant accepts at most 2 KB (2,048 bytes) in one request"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := env.postImport(t, tc.target, tc.contentType, tc.body, nil)
			assert.Equal(t, tc.status, rec.Code, rec.Body.String())
			assert.Equal(t, tc.message, decode[ErrorBody](t, rec).Error)
		})
	}

	t.Run("per-event limit", func(t *testing.T) {
		body := ""
		for i := range 3 {
			body += fmt.Sprintf(`{"event":"Flood","outlet":"Outlet %d","text":"Text %d."}`+"\n", i, i)
		}
		rec := env.postImport(t, "/api/v1/import", "application/x-ndjson", body, nil)
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		got := decode[ImportView](t, rec)
		assert.Equal(t, 2, got.Added)
		require.Len(t, got.LineErrors, 1)
		assert.Equal(t, 3, got.LineErrors[0].Line)
		assert.Contains(t, got.LineErrors[0].Error, "already holds 2 articles")
	})

	t.Run("a write: the admin token is needed", func(t *testing.T) {
		guarded := newEnv(t, Config{AdminToken: "import-test-token-0123456789"}, nil)
		rec := guarded.postImport(t, "/api/v1/import", "application/x-ndjson", good, nil)
		assert.Equal(t, http.StatusUnauthorized, rec.Code)
		rec = guarded.postImport(t, "/api/v1/import", "application/x-ndjson", good, map[string]string{"Authorization": "Bearer import-test-token-0123456789"})
		assert.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	})
}

// FuzzImportBody sends arbitrary bodies to POST /api/v1/import, as JSON
// Lines or CSV, skip or strict: the answer is always JSON with one of the
// statuses the document lists for the route, never a 500, and a 200 never
// stores more articles than the body has lines.
func FuzzImportBody(f *testing.F) {
	f.Add([]byte(importFile), false, false)
	f.Add([]byte(`{"event":"E","outlet":"O","html":"<p>Some <b>text</b> here.</p><script>alert(1)</script>"}`), true, false)
	f.Add([]byte("event,outlet,text\nE,O,\"quoted\nnewline\"\n"), false, true)
	f.Add([]byte("\xef\xbb\xbf{\"event\":\"E\",\"outlet\":\"O\",\"text\":\"x\"}\r\n\x00"), true, false)
	f.Add([]byte(`{"event":"E","outlet":"O","text":"x","published_at":"yesterday"}`), false, false)
	f.Add([]byte("event,outlet,html\nE,O,<html>\n"), true, true)

	store, err := models.Open(context.Background(), models.Config{Driver: models.DriverSQLite, DSN: filepath.Join(f.TempDir(), "fuzz.db")})
	require.NoError(f, err)
	f.Cleanup(func() { _ = store.Close() })
	lex, err := analysis.ParseLexicon([]analysis.LexiconFile{{Name: "pejorative-label.yaml", Data: []byte(testLexiconYAML)}})
	require.NoError(f, err)
	analyzer, err := analysis.NewAnalyzer(lex)
	require.NoError(f, err)
	logger := slog.New(slog.DiscardHandler)
	handler := atTheKeyboard(New(desk.New(store, analyzer, desk.Config{Logger: logger}), nil, Config{MaxImportBytes: 64 << 10, Logger: logger}).Handler())
	allowed := map[int]bool{200: true, 400: true, 413: true, 422: true}

	f.Fuzz(func(t *testing.T, body []byte, strict, asCSV bool) {
		target, contentType := "/api/v1/import", "application/x-ndjson"
		if strict {
			target += "?mode=strict"
		}
		if asCSV {
			contentType = "text/csv"
		}
		req := httptest.NewRequest(http.MethodPost, target, bytes.NewReader(body))
		req.Header.Set("Content-Type", contentType)
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, req)
		require.True(t, allowed[rec.Code], "status %d: %s", rec.Code, rec.Body.String())
		require.True(t, json.Valid(rec.Body.Bytes()), "the answer is JSON: %q", rec.Body.String())
		if rec.Code == http.StatusOK {
			var got ImportView
			require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &got))
			assert.LessOrEqual(t, got.Added, bytes.Count(body, []byte("\n"))+1)
			assert.GreaterOrEqual(t, got.Added, 0)
		}
	})
}
