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
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slant/analysis"
	"slant/demo"
	"slant/desk"
	"slant/models"
)

// getComparison fetches an event's comparison and checks it is a 200.
func (e *testEnv) getComparison(t *testing.T, eventID int64) ComparisonView {
	t.Helper()
	rec := e.call(t, http.MethodGet, fmt.Sprintf("/api/v1/events/%d/comparison", eventID), nil)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	assert.Equal(t, jsonContentType, rec.Header().Get("Content-Type"))
	return decode[ComparisonView](t, rec)
}

// outletNames lists a comparison's outlets in rank order.
func outletNames(c ComparisonView) []string {
	var names []string
	for _, o := range c.Outlets {
		names = append(names, o.Outlet)
	}
	return names
}

// TestComparisonCacheFollowsChanges checks that a repeated comparison is
// served from the cache, byte for byte the same, and that every change the
// comparison depends on is seen at once: an article added or deleted, a
// report redone, the event edited.
func TestComparisonCacheFollowsChanges(t *testing.T) {
	env := newEnv(t, Config{}, nil)
	eventID, loadedID, _ := env.seed(t)
	target := fmt.Sprintf("/api/v1/events/%d/comparison", eventID)
	hits := func() int64 { return env.server.desk.Counts().ComparisonHits }

	first := env.call(t, http.MethodGet, target, nil)
	require.Equal(t, http.StatusOK, first.Code)
	second := env.call(t, http.MethodGet, target, nil)
	require.Equal(t, http.StatusOK, second.Code)
	assert.Equal(t, first.Body.String(), second.Body.String())
	assert.EqualValues(t, 1, hits(), "the second request is a hit")

	// The cached answer is what a server without the cache builds.
	uncachedEnv := newDeskEnvWith(t, env.store, testLexicon(t), Config{}, desk.Config{NoCache: true}, nil)
	uncached := uncachedEnv.call(t, http.MethodGet, target, nil)
	assert.Equal(t, first.Body.String(), uncached.Body.String())

	rec := env.call(t, http.MethodPost, fmt.Sprintf("/api/v1/events/%d/articles", eventID), map[string]any{
		"outlet": "Morning Herald", "text": "The district flooded after the storm, officials said.",
	})
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	added := decode[ArticleView](t, rec).ID
	assert.ElementsMatch(t, []string{"Daily Bugle", "The Planet", "Morning Herald"}, outletNames(env.getComparison(t, eventID)), "an added article")

	require.Equal(t, http.StatusNoContent, env.call(t, http.MethodDelete, fmt.Sprintf("/api/v1/events/%d/articles/%d", eventID, added), nil).Code)
	assert.ElementsMatch(t, []string{"Daily Bugle", "The Planet"}, outletNames(env.getComparison(t, eventID)), "a deleted article")

	// A report redone: here an unreadable one, which the comparison redoes
	// (and saves) before comparing, so the answer must not come from the
	// cache.
	before := hits()
	time.Sleep(2 * time.Millisecond)
	require.NoError(t, env.store.SaveAnalysis(context.Background(), &models.Analysis{
		ArticleID: loadedID, Report: []byte(`not json`), LexiconVersion: "corrupt",
	}))
	got := env.getComparison(t, eventID)
	assert.Equal(t, before, hits(), "a re-analysis is a miss")
	assert.Equal(t, "Daily Bugle", got.Outlets[0].Outlet, "the report was redone, not read from the cache")

	before = hits()
	time.Sleep(2 * time.Millisecond)
	require.Equal(t, http.StatusOK, env.call(t, http.MethodPut, fmt.Sprintf("/api/v1/events/%d", eventID), map[string]any{"title": "Flood, updated"}).Code)
	env.getComparison(t, eventID)
	assert.Equal(t, before, hits(), "an edited event is a miss")
	env.getComparison(t, eventID)
	assert.Equal(t, before+1, hits(), "and then a hit again")

	require.Equal(t, http.StatusNoContent, env.call(t, http.MethodDelete, fmt.Sprintf("/api/v1/events/%d", eventID), nil).Code)
	assert.Equal(t, http.StatusNotFound, env.call(t, http.MethodGet, target, nil).Code, "a deleted event")
	assert.Equal(t, http.StatusNotFound, env.call(t, http.MethodGet, "/api/v1/events/999/comparison", nil).Code)
}

// TestComparisonCacheAcrossInstances runs two servers over one database,
// as two instances behind a load balancer: a write through one is seen at
// once by the other, which had the comparison cached.
func TestComparisonCacheAcrossInstances(t *testing.T) {
	store := openStore(t)
	a := newEnvWith(t, store, testLexicon(t), Config{}, nil)
	b := newEnvWith(t, store, testLexicon(t), Config{}, nil)
	eventID, _, plainID := a.seed(t)

	b.getComparison(t, eventID)
	b.getComparison(t, eventID)
	require.EqualValues(t, 1, b.server.desk.Counts().ComparisonHits)

	require.Equal(t, http.StatusNoContent, a.call(t, http.MethodDelete, fmt.Sprintf("/api/v1/events/%d/articles/%d", eventID, plainID), nil).Code)
	assert.Equal(t, []string{"Daily Bugle"}, outletNames(b.getComparison(t, eventID)))
}

// TestComparisonCacheUnderConcurrentWrites reads comparisons while
// articles are added and deleted, and checks that once the writes stop the
// answer is exactly the uncached one. Run with -race.
func TestComparisonCacheUnderConcurrentWrites(t *testing.T) {
	env := newEnv(t, Config{}, nil)
	eventID, _, _ := env.seed(t)
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for range 4 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				env.getComparison(t, eventID)
			}
		})
	}
	for i := range 10 {
		rec := env.call(t, http.MethodPost, fmt.Sprintf("/api/v1/events/%d/articles", eventID), map[string]any{
			"outlet": fmt.Sprintf("Outlet %d", i), "text": fmt.Sprintf("Story %d: the thugs left the hellhole.", i),
		})
		require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
		if i%2 == 1 {
			id := decode[ArticleView](t, rec).ID
			require.Equal(t, http.StatusNoContent, env.call(t, http.MethodDelete, fmt.Sprintf("/api/v1/events/%d/articles/%d", eventID, id), nil).Code)
		}
	}
	close(stop)
	wg.Wait()

	target := fmt.Sprintf("/api/v1/events/%d/comparison", eventID)
	cached := env.call(t, http.MethodGet, target, nil)
	uncachedEnv := newDeskEnvWith(t, env.store, testLexicon(t), Config{}, desk.Config{NoCache: true}, nil)
	uncached := uncachedEnv.call(t, http.MethodGet, target, nil)
	assert.Equal(t, uncached.Body.String(), cached.Body.String())
	assert.Len(t, decode[ComparisonView](t, cached).Outlets, 7)
}

// BenchmarkComparisonHandler measures GET comparison of a six-outlet event
// through the whole handler chain (router, middleware, store, encoding),
// without and with the cache.
func BenchmarkComparisonHandler(b *testing.B) {
	for _, cached := range []bool{false, true} {
		name := "uncached"
		if cached {
			name = "cached"
		}
		b.Run(name, func(b *testing.B) {
			env := benchEnv(b, !cached)
			target := fmt.Sprintf("/api/v1/events/%d/comparison", env.eventID)
			b.ReportAllocs()
			for b.Loop() {
				rec := env.call(target)
				if rec.Code != http.StatusOK {
					b.Fatalf("status %d: %s", rec.Code, rec.Body.String())
				}
			}
		})
	}
}

// benchServer is a Server with the built-in lexicon over a SQLite file,
// holding one event of six 1,000-word articles.
type benchServer struct {
	handler http.Handler
	server  *Server
	eventID int64
}

func benchEnv(b *testing.B, noCache bool) *benchServer {
	b.Helper()
	store, err := models.Open(context.Background(), models.Config{Driver: models.DriverSQLite, DSN: filepath.Join(b.TempDir(), "slant.db")})
	require.NoError(b, err)
	b.Cleanup(func() { _ = store.Close() })
	lex, err := analysis.BuiltinLexicon()
	require.NoError(b, err)
	analyzer, err := analysis.NewAnalyzer(lex)
	require.NoError(b, err)
	logger := slog.New(slog.DiscardHandler)
	s := New(desk.New(store, analyzer, desk.Config{NoCache: noCache, Logger: logger}), nil, Config{Logger: logger})
	env := &benchServer{handler: s.Handler(), server: s}

	post := func(target string, body any) []byte {
		data, err := json.Marshal(body)
		require.NoError(b, err)
		req := httptest.NewRequest(http.MethodPost, target, bytes.NewReader(data))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		env.handler.ServeHTTP(rec, req)
		require.Equal(b, http.StatusCreated, rec.Code, rec.Body.String())
		return rec.Body.Bytes()
	}
	var ev EventView
	require.NoError(b, json.Unmarshal(post("/api/v1/events", map[string]string{"title": "Benchmark event"}), &ev))
	env.eventID = ev.ID

	demoEvent, err := demo.Load()
	require.NoError(b, err)
	var words []string
	for _, a := range demoEvent.Articles {
		words = append(words, strings.Fields(a.Text)...)
	}
	for i := range 6 {
		// Each outlet's 1,000 words start at a different place in the demo
		// texts, so that the six articles differ.
		text := make([]string, 0, 1000)
		for j := range 1000 {
			text = append(text, words[(i*157+j)%len(words)])
		}
		post(fmt.Sprintf("/api/v1/events/%d/articles", ev.ID), map[string]any{
			"outlet": fmt.Sprintf("Outlet %d", i), "text": strings.Join(text, " "), "clean": false,
		})
	}
	return env
}

// call sends one GET through the handler.
func (e *benchServer) call(target string) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	e.handler.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
	return rec
}
