package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// startTestServer runs the real program (run "serve") on 127.0.0.1, port
// 0, with a fresh SQLite file and the demo event (unless env turns it
// off), and returns its base URL. The server stops, and run's error is
// checked, when the test ends.
func startTestServer(t *testing.T, env map[string]string) string {
	t.Helper()
	return startServer(t, withDefaults(env, map[string]string{"SLANT_DEMO": "1", "SLANT_LOG_LEVEL": "warn"})).base
}

// withDefaults is env with defaults filled in where env says nothing.
func withDefaults(env, defaults map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range defaults {
		out[k] = v
	}
	for k, v := range env {
		out[k] = v
	}
	return out
}

// testServer is the real program (run "serve") in this process, with its
// context, its end and its log in the test's hands.
type testServer struct {
	base   string
	cancel context.CancelFunc
	done   chan struct{} // closed when run has returned, with its result in err
	err    error
	logs   *lockedBuffer
}

// startServer starts run "serve" on 127.0.0.1:0 with env over the test
// defaults (a fresh SQLite file, no demo, log at info) and waits until it
// listens. When the test ends the server is stopped if the test has not
// stopped it, and run must have returned without error.
func startServer(t *testing.T, env map[string]string) *testServer {
	t.Helper()
	vars := map[string]string{
		"SLANT_ADDR":      "127.0.0.1:0",
		"DB_PATH":         filepath.Join(t.TempDir(), "slant.db"),
		"SLANT_LOG_LEVEL": "info",
		"SLANT_DEMO":      "0",
	}
	for k, v := range env {
		vars[k] = v
	}
	ctx, cancel := context.WithCancel(context.Background())
	srv := &testServer{cancel: cancel, done: make(chan struct{}), logs: &lockedBuffer{}}
	stdoutReader, stdoutWriter := io.Pipe()
	go func() {
		srv.err = run(ctx, []string{"serve"}, func(k string) string { return vars[k] }, stdoutWriter, srv.logs)
		close(srv.done)
		stdoutWriter.Close()
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-srv.done:
			assert.NoError(t, srv.err, "run should stop cleanly")
		case <-time.After(15 * time.Second):
			t.Error("server did not stop within 15 s")
		}
	})
	addr := make(chan string, 1)
	go func() {
		lines := bufio.NewScanner(stdoutReader)
		for lines.Scan() {
			if _, rest, ok := strings.Cut(lines.Text(), "listening on "); ok {
				addr <- strings.Fields(rest)[0]
			}
		}
	}()
	select {
	case srv.base = <-addr:
		return srv
	case <-srv.done:
		t.Fatalf("server exited before listening: %v", srv.err)
	case <-time.After(60 * time.Second):
		t.Fatal("server did not start listening within 60 s")
	}
	return nil
}

func getJSON(t *testing.T, url string, into any) int {
	t.Helper()
	resp, err := http.Get(url)
	require.NoError(t, err)
	defer resp.Body.Close()
	if into != nil {
		require.NoError(t, json.NewDecoder(resp.Body).Decode(into), "decode %s", url)
	}
	return resp.StatusCode
}

func postJSON(t *testing.T, url string, body any, into any) int {
	t.Helper()
	encoded, err := json.Marshal(body)
	require.NoError(t, err)
	resp, err := http.Post(url, "application/json", strings.NewReader(string(encoded)))
	require.NoError(t, err)
	defer resp.Body.Close()
	if into != nil {
		require.NoError(t, json.NewDecoder(resp.Body).Decode(into), "decode %s", url)
	}
	return resp.StatusCode
}

// TestEndToEnd runs the real server on a free port and walks the main
// path: the demo event is there and compared, the page is served, a new
// event with two articles is compared, and bad input gets a JSON error.
func TestEndToEnd(t *testing.T) {
	base := startTestServer(t, nil)

	var health struct {
		Status         string `json:"status"`
		Database       string `json:"database"`
		LexiconVersion string `json:"lexicon_version"`
	}
	require.Equal(t, http.StatusOK, getJSON(t, base+"/healthz", &health))
	assert.Equal(t, "ok", health.Status)
	assert.Equal(t, "sqlite", health.Database)
	assert.True(t, strings.HasPrefix(health.LexiconVersion, "sha256:"))

	var events struct {
		Events []struct {
			ID           int64    `json:"id"`
			Title        string   `json:"title"`
			ArticleCount int      `json:"article_count"`
			Outlets      []string `json:"outlets"`
		} `json:"events"`
	}
	require.Equal(t, http.StatusOK, getJSON(t, base+"/api/v1/events", &events))
	require.Len(t, events.Events, 1, "the demo event is loaded into an empty database")
	assert.Equal(t, 3, events.Events[0].ArticleCount)

	var comparison struct {
		Outlets []struct {
			Outlet      string  `json:"outlet"`
			LoadedIndex float64 `json:"loaded_index"`
		} `json:"outlets"`
		Summary []string `json:"summary"`
	}
	require.Equal(t, http.StatusOK, getJSON(t, fmt.Sprintf("%s/api/v1/events/%d/comparison", base, events.Events[0].ID), &comparison))
	require.Len(t, comparison.Outlets, 3)
	assert.Equal(t, "Riverlands Wire", comparison.Outlets[2].Outlet, "the neutral wire report is least loaded")
	assert.Greater(t, comparison.Outlets[1].LoadedIndex, 3*comparison.Outlets[2].LoadedIndex)
	require.NotEmpty(t, comparison.Summary)

	page, err := http.Get(base + "/")
	require.NoError(t, err)
	body, _ := io.ReadAll(page.Body)
	page.Body.Close()
	assert.Equal(t, http.StatusOK, page.StatusCode)
	assert.Contains(t, string(body), "/static/app.js")

	var event struct {
		ID int64 `json:"id"`
	}
	require.Equal(t, http.StatusCreated, postJSON(t, base+"/api/v1/events", map[string]string{"title": "Bridge reopens"}, &event))
	articles := []map[string]string{
		{"outlet": "Calm Courier", "text": "The bridge reopened on Monday after repairs, the city said."},
		{"outlet": "Shouting Sentinel", "text": "The so-called repairs on the bridge were an utterly shameful disaster, critics slammed."},
	}
	for _, a := range articles {
		require.Equal(t, http.StatusCreated, postJSON(t, fmt.Sprintf("%s/api/v1/events/%d/articles", base, event.ID), a, nil))
	}
	var errBody struct {
		Error string `json:"error"`
	}
	assert.Equal(t, http.StatusConflict, postJSON(t, fmt.Sprintf("%s/api/v1/events/%d/articles", base, event.ID), articles[0], &errBody))
	assert.NotEmpty(t, errBody.Error)
	assert.Equal(t, http.StatusUnprocessableEntity, postJSON(t, base+"/api/v1/analyze", map[string]string{"text": "  "}, &errBody))

	require.Equal(t, http.StatusOK, getJSON(t, fmt.Sprintf("%s/api/v1/events/%d/comparison", base, event.ID), &comparison))
	require.Len(t, comparison.Outlets, 2)
	assert.Equal(t, "Shouting Sentinel", comparison.Outlets[0].Outlet)
	assert.Zero(t, comparison.Outlets[1].LoadedIndex)
}

func TestDemoCanBeTurnedOff(t *testing.T) {
	base := startTestServer(t, map[string]string{"SLANT_DEMO": "0"})
	var events struct {
		Events []json.RawMessage `json:"events"`
	}
	require.Equal(t, http.StatusOK, getJSON(t, base+"/api/v1/events", &events))
	assert.Empty(t, events.Events)
}

func TestRunRejectsBadConfiguration(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"unknown driver", map[string]string{"DB_DRIVER": "oracle"}, "DB_DRIVER"},
		{"postgres without url", map[string]string{"DB_DRIVER": "postgres"}, "DATABASE_URL"},
		{"bad demo flag", map[string]string{"SLANT_DEMO": "maybe"}, "SLANT_DEMO"},
		{"tiny body limit", map[string]string{"SLANT_MAX_BODY_BYTES": "10"}, "SLANT_MAX_BODY_BYTES"},
		{"bad log level", map[string]string{"SLANT_LOG_LEVEL": "loud"}, "SLANT_LOG_LEVEL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := run(context.Background(), []string{"serve"}, func(k string) string { return tt.env[k] }, io.Discard, io.Discard)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

func TestUnknownCommandIsAUsageError(t *testing.T) {
	err := run(context.Background(), []string{"frobnicate"}, func(string) string { return "" }, io.Discard, io.Discard)
	var usage usageError
	require.ErrorAs(t, err, &usage)
	assert.Contains(t, err.Error(), "usage:")
}
