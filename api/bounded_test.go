package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slant/analysis"
	"slant/desk"
	"slant/internal/jsonstream"
)

// Bounded answers. An event of twelve 200 KB articles read as 36 MB of
// JSON per request, built whole in memory, and ten reads at once took
// 2.2 GB. The default read is now a summary of each article; the texts
// and reports come when asked (include=text,report), written as they are
// encoded, and readers of the same event at once share one reading.

// bigEventArticles and bigArticleBytes make the event of issue 15.
const (
	bigEventArticles = 12
	bigArticleBytes  = 200_000
)

// bigEvent stores an event of twelve 200 KB articles analysed with the
// built-in lexicon, and returns its path.
func bigEvent(t *testing.T) (*testEnv, string) {
	t.Helper()
	lex, err := analysis.BuiltinLexicon()
	require.NoError(t, err)
	env := newDeskEnvWith(t, openStore(t), lex, Config{RequestTimeout: -1}, desk.Config{}, nil)
	rec := env.call(t, http.MethodPost, "/api/v1/events", map[string]string{"title": "A long week"})
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	event := fmt.Sprintf("/api/v1/events/%d", decode[EventView](t, rec).ID)
	base := prose(bigArticleBytes)
	for i := range bigEventArticles {
		text := fmt.Sprintf("Edition %02d. ", i) + base[:bigArticleBytes-12]
		rec := env.call(t, http.MethodPost, event+"/articles", map[string]any{"outlet": fmt.Sprintf("Outlet %d", i), "text": text, "clean": false})
		require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	}
	return env, event
}

// countingWriter is a response writer that keeps nothing: it counts the
// bytes and remembers the largest single write.
type countingWriter struct {
	header      http.Header
	status      int
	total, most int
}

func newCountingWriter() *countingWriter { return &countingWriter{header: http.Header{}} }

func (w *countingWriter) Header() http.Header { return w.header }
func (w *countingWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
}
func (w *countingWriter) Write(p []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	w.total += len(p)
	w.most = max(w.most, len(p))
	return len(p), nil
}

// peakHeap runs fn and returns how far the live heap rose above where it
// stood before, sampled every millisecond.
func peakHeap(fn func()) uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	base := m.HeapAlloc
	var peak atomic.Uint64
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			if m.HeapAlloc > base && m.HeapAlloc-base > peak.Load() {
				peak.Store(m.HeapAlloc - base)
			}
			select {
			case <-stop:
				return
			case <-time.After(time.Millisecond):
			}
		}
	}()
	fn()
	close(stop)
	<-sampled
	return peak.Load()
}

// TestBigEventRead reads the event of issue 15 (twelve articles of 200 KB)
// as a page does and as ten readers at once do.
func TestBigEventRead(t *testing.T) {
	if testing.Short() {
		t.Skip("stores and reads an event of 2.4 MB of text")
	}
	env, event := bigEvent(t)

	t.Run("the default read is a summary", func(t *testing.T) {
		rec := env.call(t, http.MethodGet, event, nil)
		require.Equal(t, http.StatusOK, rec.Code)
		assert.Less(t, rec.Body.Len(), 16<<10, "twelve summaries, however long the articles")
		got := decode[EventDetailView](t, rec)
		require.Len(t, got.Articles, bigEventArticles)
		t.Logf("default read: %d bytes", rec.Body.Len())
	})

	t.Run("ten default reads at once stay small", func(t *testing.T) {
		peak := peakHeap(func() {
			var wg sync.WaitGroup
			for range 10 {
				wg.Go(func() {
					w := newCountingWriter()
					env.handler.ServeHTTP(w, newRequest(t, http.MethodGet, event, nil))
					assert.Equal(t, http.StatusOK, w.status)
				})
			}
			wg.Wait()
		})
		t.Logf("ten default reads at once: heap rose %.1f MB", float64(peak)/1e6)
		assert.Less(t, peak, uint64(32<<20), "the texts and reports are not read")
	})

	t.Run("texts and reports are written as they are encoded", func(t *testing.T) {
		w := newCountingWriter()
		env.handler.ServeHTTP(w, newRequest(t, http.MethodGet, event+"?include=text,report", nil))
		require.Equal(t, http.StatusOK, w.status)
		t.Logf("full read: %.1f MB, the largest write %d bytes", float64(w.total)/1e6, w.most)
		assert.Greater(t, w.total, bigEventArticles*bigArticleBytes, "every text and report")
		assert.LessOrEqual(t, w.most, 2*bigArticleBytes, "never more than one article's text at once")
	})

	t.Run("ten full reads at once share one reading", func(t *testing.T) {
		before := env.server.desk.Counts()
		peak := peakHeap(func() {
			var wg sync.WaitGroup
			for range 10 {
				wg.Go(func() {
					w := newCountingWriter()
					env.handler.ServeHTTP(w, newRequest(t, http.MethodGet, event+"?include=text,report", nil))
					assert.Equal(t, http.StatusOK, w.status)
				})
			}
			wg.Wait()
		})
		after := env.server.desk.Counts()
		t.Logf("ten full reads at once: heap rose %.1f MB, %d reads of the event's articles", float64(peak)/1e6, after.EventReads-before.EventReads)
		assert.Less(t, peak, uint64(400<<20), "one reading, each answer written as it is encoded")
		assert.Less(t, after.EventReads-before.EventReads, int64(10), "readers at once share a reading")
	})

	t.Run("exports are written as they are read", func(t *testing.T) {
		for _, target := range []string{event + "/export", event + "/export?format=csv&table=findings", "/api/v1/export"} {
			w := newCountingWriter()
			env.handler.ServeHTTP(w, newRequest(t, http.MethodGet, target, nil))
			require.Equal(t, http.StatusOK, w.status, target)
			t.Logf("%s: %.1f MB, the largest write %d bytes", target, float64(w.total)/1e6, w.most)
			assert.LessOrEqual(t, w.most, 2*bigArticleBytes, "%s: never more than one article at once", target)
		}
	})

	t.Run("a big comparison is written as it is encoded", func(t *testing.T) {
		w := newCountingWriter()
		env.handler.ServeHTTP(w, newRequest(t, http.MethodGet, event+"/comparison", nil))
		require.Equal(t, http.StatusOK, w.status)
		t.Logf("comparison: %.1f MB, the largest write %d bytes", float64(w.total)/1e6, w.most)
		assert.LessOrEqual(t, w.most, 64<<10)
		rec := env.call(t, http.MethodGet, event+"/comparison", nil)
		require.Equal(t, http.StatusOK, rec.Code)
		assert.Equal(t, w.total, rec.Body.Len(), "the same answer again, from the cache")
	})
}

// TestStreamedAnswersAreMarshal checks that the answers written a piece at
// a time are byte for byte what json.Marshal (gin's c.JSON) gives, on
// real reports and a real comparison.
func TestStreamedAnswersAreMarshal(t *testing.T) {
	env := newEnv(t, Config{}, nil)
	eventID, _, _ := env.seed(t)
	reading, err := env.server.desk.ReadEvent(t.Context(), eventID, desk.ReadOnly)
	require.NoError(t, err)
	views := make([]ArticleView, 0, len(reading.Articles))
	for _, f := range reading.Articles {
		views = append(views, articleView(f))
	}
	cmp, err := env.server.desk.CompareEvent(t.Context(), eventID, desk.ReadOnly)
	require.NoError(t, err)
	for _, v := range []any{
		EventDetailView{EventView: eventView(reading.Event), Articles: views},
		ArticleListView{Articles: views},
		cmp,
		views[0].Report,
	} {
		want, err := json.Marshal(v)
		require.NoError(t, err)
		var got bytes.Buffer
		require.NoError(t, jsonstream.Write(&got, v))
		assert.Equal(t, string(want), got.String(), "%T", v)
	}
	rec := httptest.NewRecorder()
	env.handler.ServeHTTP(rec, newRequest(t, http.MethodGet, fmt.Sprintf("/api/v1/events/%d/comparison", eventID), nil))
	want, err := json.Marshal(cmp)
	require.NoError(t, err)
	assert.Equal(t, string(want), rec.Body.String())
}
