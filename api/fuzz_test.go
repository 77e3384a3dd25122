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
	"testing"

	"github.com/stretchr/testify/require"

	"slant/analysis"
	"slant/desk"
	"slant/ingest"
	"slant/models"
)

// refusingFetcher stands in for the page fetcher in fuzzing: a fuzzed body
// may name any URL, and nothing may be dialled from a test.
type refusingFetcher struct{}

func (refusingFetcher) Fetch(context.Context, string) (ingest.Page, error) {
	return ingest.Page{}, fmt.Errorf("fuzz: %w", ingest.ErrBlockedAddress)
}

// FuzzJSONInputs sends arbitrary bodies to the routes that decode JSON
// (analyze, create and update an event, add an article): every answer is
// JSON with a status the document lists for bad input or success, and no
// input produces a 500.
func FuzzJSONInputs(f *testing.F) {
	for _, seed := range []string{
		`{"text": "The regime slammed critics.", "title": "Hellhole"}`,
		`{"title": "Bridge reopens", "date": "2026-03-04"}`,
		`{"outlet": "Daily", "text": "A hellhole, \"they said\"."}`,
		`{"outlet": "Daily", "html": "<p>x</p><script>alert(1)</script>"}`,
		`{"outlet": "Daily", "url": "http://example.test/a"}`,
		`{"text": 5}`, `[]`, `null`, `{"text": "\u0000\ud800"}`, `{"title": "x", "extra": 1}`, "\xff\xfe",
	} {
		for route := range 4 {
			f.Add([]byte(seed), uint8(route))
		}
	}
	store, err := models.Open(context.Background(), models.Config{Driver: models.DriverSQLite, DSN: filepath.Join(f.TempDir(), "fuzz.db")})
	require.NoError(f, err)
	f.Cleanup(func() { _ = store.Close() })
	lex, err := analysis.ParseLexicon([]analysis.LexiconFile{{Name: "pejorative-label.yaml", Data: []byte(testLexiconYAML)}})
	require.NoError(f, err)
	analyzer, err := analysis.NewAnalyzer(lex)
	require.NoError(f, err)
	logger := slog.New(slog.DiscardHandler)
	handler := atTheKeyboard(New(desk.New(store, analyzer, desk.Config{Fetcher: refusingFetcher{}, Logger: logger}), nil, Config{
		MaxBodyBytes: 64 << 10,
		Logger:       logger,
	}).Handler())
	event := models.Event{Title: "Fuzzed event"}
	require.NoError(f, store.CreateEvent(context.Background(), &event))

	routes := []struct{ method, target string }{
		{http.MethodPost, "/api/v1/analyze"},
		{http.MethodPost, "/api/v1/events"},
		{http.MethodPut, fmt.Sprintf("/api/v1/events/%d", event.ID)},
		{http.MethodPost, fmt.Sprintf("/api/v1/events/%d/articles", event.ID)},
	}
	allowed := map[int]bool{200: true, 201: true, 400: true, 409: true, 413: true, 415: true, 422: true}
	f.Fuzz(func(t *testing.T, body []byte, route uint8) {
		r := routes[int(route)%len(routes)]
		req := httptest.NewRequest(r.method, r.target, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, req)
		require.True(t, allowed[rec.Code], "%s %s: status %d: %s", r.method, r.target, rec.Code, rec.Body.String())
		require.True(t, json.Valid(rec.Body.Bytes()), "the answer is JSON: %q", rec.Body.String())
	})
}
