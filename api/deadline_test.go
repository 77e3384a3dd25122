package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slant/analysis"
	"slant/desk"
	"slant/models"
)

// Deadlines: SLANT_REQUEST_TIMEOUT must stop the analysis itself, not
// only the store's queries, so that a request past its deadline answers
// 503 and its goroutine is free again instead of analysing on for
// seconds. The tests do not race a clock: the deadline is a context the
// test expires once the desk has started the analyses (Counts), through
// the same path as the server's own timeout (its context is derived from
// the request's).

// prose returns about n bytes of invented news prose with loaded words and
// quotations, so that every stage of the analysis has work to do.
func prose(n int) string {
	subjects := []string{"The council", "Residents", "The mayor", "Critics", "Shop owners", "A spokeswoman"}
	verbs := []string{"said", "argued", "claimed", "warned", "insisted", "noted"}
	objects := []string{
		"the district had become a hellhole", "thugs had looted shops overnight",
		"the budget needed a careful review", "more buses would run from Monday",
		"the bridge repairs were on schedule", "the clinic had hired four more nurses",
	}
	var b strings.Builder
	for i := 0; b.Len() < n; i++ {
		if i%5 == 4 {
			fmt.Fprintf(&b, "\"We will not be silenced,\" %s %s on day %d.\n", strings.ToLower(subjects[i%6]), verbs[i%6], i)
			continue
		}
		fmt.Fprintf(&b, "%s %s that %s (report %d). ", subjects[i%6], verbs[(i/6)%6], objects[(i/36)%6], i)
	}
	return b.String()[:n]
}

// deadline is a request context whose deadline passes when the test says:
// its Err is context.DeadlineExceeded from then on, as a timed-out
// context's is.
type deadline struct {
	context.Context
	once sync.Once
	done chan struct{}
}

func newDeadline() *deadline {
	return &deadline{Context: context.Background(), done: make(chan struct{})}
}

func (d *deadline) Done() <-chan struct{} { return d.done }

func (d *deadline) Err() error {
	select {
	case <-d.done:
		return context.DeadlineExceeded
	default:
		return nil
	}
}

func (d *deadline) Deadline() (time.Time, bool) { return time.Time{}, false }

// expire makes the deadline pass.
func (d *deadline) expire() { d.once.Do(func() { close(d.done) }) }

// waitForAnalyses waits until the desk has started n more analyses than
// before.
func waitForAnalyses(t *testing.T, d *desk.Desk, before int64, n int) {
	t.Helper()
	require.Eventually(t, func() bool { return d.Counts().Analyses-before >= int64(n) }, 30*time.Second, time.Millisecond,
		"the desk never started %d analyses", n)
}

// bigTextEnv is a server that takes texts of up to 8 MB, long enough to
// analyse that a deadline passing once the analysis has started finds it
// running.
func bigTextEnv(t *testing.T, store *models.Store, lex *analysis.Lexicon) *testEnv {
	t.Helper()
	return newDeskEnvWith(t, store, lex, Config{MaxBodyBytes: 16 << 20, RequestTimeout: -1},
		desk.Config{Limits: desk.Limits{MaxTextBytes: 8 << 20, MaxArticlesPerEvent: 100}}, nil)
}

// TestDeadlineStopsTheAnalysis sends requests that analyse 4 MB and lets
// their deadline pass once the analysis has begun: each answers 503 with
// the plain message, in a small part of the time the whole analysis takes
// (measured in the same run), and nothing is stored. Before, the analysis
// ran to its end and the requests answered 200 (or, adding an article,
// 503 only once the analysis was done and the store refused the expired
// request).
func TestDeadlineStopsTheAnalysis(t *testing.T) {
	store := openStore(t)
	old := bigTextEnv(t, store, testLexicon(t))
	eventID, _, _ := old.seed(t)
	big := prose(4 << 20)
	// Two long articles analysed with the old lexicon: a server with
	// another lexicon must redo their reports when they are read.
	for i := range 2 {
		rec := old.call(t, http.MethodPost, fmt.Sprintf("/api/v1/events/%d/articles", eventID),
			map[string]any{"outlet": fmt.Sprintf("Long Outlet %d", i), "text": fmt.Sprintf("Edition %d. %s", i, big), "clean": false})
		require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	}
	newer := testLexicon(t, analysis.LexiconFile{Name: "ridicule.yaml", Data: []byte(ridiculeYAML)})
	env := bigTextEnv(t, store, newer)
	event := fmt.Sprintf("/api/v1/events/%d", eventID)
	// What the whole analysis of the text takes, in this run: a request
	// that stops its analysis answers in a small part of it.
	start := time.Now()
	_, err := env.server.desk.AnalyzeText(t.Context(), desk.Draft{Text: big})
	require.NoError(t, err)
	whole := time.Since(start)

	for _, tc := range []struct {
		name, method, target string
		body                 any
	}{
		{"analyze", http.MethodPost, "/api/v1/analyze", map[string]any{"text": big}},
		{"add an article", http.MethodPost, event + "/articles", map[string]any{"outlet": "Latest", "text": "New. " + big, "clean": false}},
		{"read an event whose reports are stale", http.MethodGet, event + "?include=report", nil},
		{"compare an event whose reports are stale", http.MethodGet, event + "/comparison", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := env.server.desk.Counts()
			articles, err := store.CountArticles(t.Context(), eventID)
			require.NoError(t, err)
			dl := newDeadline()
			req := newRequest(t, tc.method, tc.target, tc.body).WithContext(dl)
			rec := httptest.NewRecorder()
			answered := make(chan struct{})
			go func() {
				defer close(answered)
				env.handler.ServeHTTP(rec, req)
			}()
			waitForAnalyses(t, env.server.desk, before.Analyses, 1)
			dl.expire()
			expired := time.Now()
			<-answered
			stopped := time.Since(expired)
			t.Logf("answered %v after the deadline; the whole analysis takes %v", stopped, whole)
			assert.Less(t, stopped, whole/2, "the analysis stops at the deadline instead of running to its end")
			require.Equal(t, http.StatusServiceUnavailable, rec.Code, rec.Body.String())
			assert.Equal(t, timeoutMessage, decode[ErrorBody](t, rec).Error)
			after, err := store.CountArticles(t.Context(), eventID)
			require.NoError(t, err)
			assert.Equal(t, articles, after, "nothing stored")
		})
	}
}

// ridiculeYAML is a second category, to make a lexicon of another
// version.
const ridiculeYAML = `category: ridicule
label: Ridicule
description: Words that mock instead of describing.
severity: 2
source: project
entries:
  - term: clown
    alternatives: [official]
    reason: Mocks a person instead of saying what they did.
`

// TestDeadlineFreesTheServer sends eight analyses of 4 MB at once to a
// real server on loopback, as one client's burst, and lets their deadline
// pass once all have begun: all eight answer 503 and the server's
// goroutines come back to what they were before the burst. Before, the
// eight ran to their end (a minute each for the quotation marks of issue
// 15) and answered 200.
func TestDeadlineFreesTheServer(t *testing.T) {
	env := bigTextEnv(t, openStore(t), testLexicon(t))
	dl := newDeadline()
	srv := httptest.NewUnstartedServer(env.handler)
	srv.Config.ConnContext = func(ctx context.Context, _ net.Conn) context.Context { return dl }
	srv.Start()
	defer srv.Close()
	client := srv.Client()
	body, err := json.Marshal(map[string]any{"text": prose(4 << 20)})
	require.NoError(t, err)

	runtime.GC()
	baseline := runtime.NumGoroutine()
	before := env.server.desk.Counts().Analyses
	const burst = 8
	codes := make(chan int, burst)
	messages := make(chan string, burst)
	for range burst {
		go func() {
			resp, err := client.Post(srv.URL+"/api/v1/analyze", "application/json", bytes.NewReader(body))
			if err != nil {
				codes <- 0
				messages <- err.Error()
				return
			}
			defer resp.Body.Close()
			var e ErrorBody
			_ = json.NewDecoder(resp.Body).Decode(&e)
			codes <- resp.StatusCode
			messages <- e.Error
		}()
	}
	waitForAnalyses(t, env.server.desk, before, burst)
	dl.expire()
	for range burst {
		assert.Equal(t, http.StatusServiceUnavailable, <-codes)
		assert.Equal(t, timeoutMessage, <-messages)
	}
	// Polled here rather than with assert.Eventually, whose own
	// goroutines would be counted.
	now := runtime.NumGoroutine()
	for wait := time.Now().Add(10 * time.Second); now > baseline && time.Now().Before(wait); now = runtime.NumGoroutine() {
		client.CloseIdleConnections() // the client's side of each connection; the server's ends with it
		time.Sleep(10 * time.Millisecond)
	}
	assert.LessOrEqual(t, now, baseline, "the server's goroutines come back to what they were")
}
