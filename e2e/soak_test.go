package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// soakSecondsEnv sets how long the soak test runs. Unset, it runs 5 s, or
// 30 s when CI=true: long enough on two cores to have thousands of
// contended writes, short enough for every `go test ./...`.
const soakSecondsEnv = "SLANT_SOAK_SECONDS"

// soakDuration reads the soak test's length.
func soakDuration(t *testing.T) time.Duration {
	t.Helper()
	if v := os.Getenv(soakSecondsEnv); v != "" {
		n, err := strconv.Atoi(v)
		require.NoError(t, err, "%s must be a whole number of seconds", soakSecondsEnv)
		require.Positive(t, n, "%s must be at least 1", soakSecondsEnv)
		return time.Duration(n) * time.Second
	}
	if os.Getenv("CI") == "true" {
		return 30 * time.Second
	}
	return 5 * time.Second
}

// soakStats counts what the soak test's clients did and what went wrong.
type soakStats struct {
	writes, reads atomic.Int64
	mu            sync.Mutex
	failures      []string
	failed        int
	writeLatency  []time.Duration
	readLatency   []time.Duration
}

// record counts one answer; a 5xx, a 429, any mention of a locked
// database, a transport error or an unexpected status is a failure.
func (s *soakStats) record(what string, write bool, status int, body []byte, err error, want []int, took time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if write {
		s.writes.Add(1)
		s.writeLatency = append(s.writeLatency, took)
	} else {
		s.reads.Add(1)
		s.readLatency = append(s.readLatency, took)
	}
	var problem string
	switch {
	case err != nil:
		problem = err.Error()
	case strings.Contains(strings.ToLower(string(body)), "locked"):
		problem = fmt.Sprintf("%d %s", status, body)
	case status >= 500 || status == http.StatusTooManyRequests || !slices.Contains(want, status):
		problem = fmt.Sprintf("%d %.200s", status, body)
	}
	if problem != "" {
		s.failed++
		if len(s.failures) < 10 {
			s.failures = append(s.failures, what+": "+problem)
		}
	}
}

// p99 of a list of latencies (sorted in place).
func p99(d []time.Duration) time.Duration {
	if len(d) == 0 {
		return 0
	}
	slices.Sort(d)
	return d[(len(d)*99+99)/100-1]
}

// TestSoakConcurrentWritersAndReaders runs 20 writers and 4 readers
// against the real server on SQLite over HTTP for SLANT_SOAK_SECONDS (5 s
// by default, 30 s under CI=true). Writers add articles, delete some, edit
// their event, start new events and import small batches; readers list
// events, open them, compare them and analyze text. No client may ever see
// a 5xx, a 429 or "database is locked": SQLite's single writer must queue
// (WAL, busy timeout, BEGIN IMMEDIATE, a small pool), not fail. Every loop
// ends by itself at the deadline.
func TestSoakConcurrentWritersAndReaders(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping the soak test in -short mode")
	}
	const writers, readers = 20, 4
	duration := soakDuration(t)
	dbPath := filepath.Join(t.TempDir(), "slant.db")
	base := startTestServer(t, map[string]string{
		"DB_PATH":                      dbPath,
		"SLANT_DEMO":                   "0",
		"SLANT_RATE_WRITE":             "0",
		"SLANT_RATE_ANALYZE":           "0",
		"SLANT_RATE_READ":              "0",
		"SLANT_MAX_ARTICLES_PER_EVENT": "1000",
	})
	client := &http.Client{Timeout: time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: writers + readers}}
	send := func(method, url string, body any) (int, []byte, time.Duration, error) {
		var r io.Reader
		if body != nil {
			data, err := json.Marshal(body)
			if err != nil {
				return 0, nil, 0, err
			}
			r = bytes.NewReader(data)
		}
		req, err := http.NewRequest(method, url, r)
		if err != nil {
			return 0, nil, 0, err
		}
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		start := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			return 0, nil, time.Since(start), err
		}
		defer resp.Body.Close()
		data, err := io.ReadAll(resp.Body)
		return resp.StatusCode, data, time.Since(start), err
	}

	var stats soakStats
	var latest sync.Map // writer -> its current event id, for the readers
	var events atomic.Int64
	deadline := time.Now().Add(duration)
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			var eventID int64
			var mine []int64
			newEvent := func() bool {
				status, body, took, err := send("POST", base+"/api/v1/events", map[string]string{"title": fmt.Sprintf("Soak writer %d event %d", w, events.Add(1))})
				stats.record("create event", true, status, body, err, []int{201}, took)
				var ev struct {
					ID int64 `json:"id"`
				}
				if status != 201 || json.Unmarshal(body, &ev) != nil {
					return false
				}
				eventID, mine = ev.ID, nil
				latest.Store(w, ev.ID)
				return true
			}
			if !newEvent() {
				return
			}
			for i := 0; time.Now().Before(deadline); i++ {
				switch {
				case i%25 == 24:
					// A new event every so often keeps events the size
					// the page is made for.
					if !newEvent() {
						return
					}
				case i%10 == 9 && len(mine) > 0:
					id := mine[0]
					mine = mine[1:]
					status, body, took, err := send("DELETE", fmt.Sprintf("%s/api/v1/events/%d/articles/%d", base, eventID, id), nil)
					stats.record("delete article", true, status, body, err, []int{204}, took)
				case i%10 == 4:
					status, body, took, err := send("PUT", fmt.Sprintf("%s/api/v1/events/%d", base, eventID), map[string]string{"title": fmt.Sprintf("Soak writer %d event, edit %d", w, i)})
					stats.record("edit event", true, status, body, err, []int{200}, took)
				case i%10 == 7:
					var buf bytes.Buffer
					for k := range 5 {
						line, _ := json.Marshal(map[string]string{
							"event": fmt.Sprintf("Soak import %d-%d", w, i), "outlet": fmt.Sprintf("Outlet %d", k),
							"text": genText(t, uint64(w*1_000_000+i*10+k), fmt.Sprintf("Import %d-%d-%d.", w, i, k), 150),
						})
						buf.Write(append(line, '\n'))
					}
					req, _ := http.NewRequest("POST", base+"/api/v1/import", &buf)
					req.Header.Set("Content-Type", "application/x-ndjson")
					start := time.Now()
					resp, err := client.Do(req)
					var body []byte
					status := 0
					if err == nil {
						status = resp.StatusCode
						body, err = io.ReadAll(resp.Body)
						resp.Body.Close()
					}
					stats.record("import", true, status, body, err, []int{200}, time.Since(start))
				default:
					status, body, took, err := send("POST", fmt.Sprintf("%s/api/v1/events/%d/articles", base, eventID), map[string]any{
						"outlet": fmt.Sprintf("Outlet %d", i%6),
						"text":   genText(t, uint64(w*1_000_000+i), fmt.Sprintf("Writer %d, story %d.", w, i), 250),
						"clean":  false,
					})
					stats.record("add article", true, status, body, err, []int{201}, took)
					var a struct {
						ID int64 `json:"id"`
					}
					if status == 201 && json.Unmarshal(body, &a) == nil {
						mine = append(mine, a.ID)
					}
				}
			}
		})
	}
	for r := range readers {
		wg.Go(func() {
			for i := 0; time.Now().Before(deadline); i++ {
				var id int64
				if v, ok := latest.Load((r + i) % writers); ok {
					id = v.(int64)
				}
				var url, method string
				var body any
				switch {
				case i%4 == 0 || id == 0:
					method, url = "GET", base+"/api/v1/events?limit=20"
				case i%4 == 1:
					method, url = "GET", fmt.Sprintf("%s/api/v1/events/%d?include=text,report", base, id)
				case i%4 == 2:
					method, url = "GET", fmt.Sprintf("%s/api/v1/events/%d/comparison", base, id)
				default:
					method, url = "POST", base+"/api/v1/analyze"
					body = map[string]string{"text": genText(t, uint64(r*1_000_000+i), "Readers paste text too.", 300)}
				}
				status, data, took, err := send(method, url, body)
				stats.record(method+" "+strings.TrimPrefix(url, base), false, status, data, err, []int{200}, took)
			}
		})
	}
	wg.Wait()

	t.Logf("%s with %d writers and %d readers: %d writes (%.0f/s, p99 %s), %d reads (%.0f/s, p99 %s), %d failures",
		duration, writers, readers,
		stats.writes.Load(), float64(stats.writes.Load())/duration.Seconds(), p99(stats.writeLatency).Round(time.Millisecond),
		stats.reads.Load(), float64(stats.reads.Load())/duration.Seconds(), p99(stats.readLatency).Round(time.Millisecond),
		stats.failed)
	assert.Zero(t, stats.failed, "answers a client should never see: %v", stats.failures)
	assert.Greater(t, stats.writes.Load(), int64(writers), "every writer got work done")
	counts := checkDatabase(t, dbPath)
	t.Logf("stored: %d events, %d articles", counts.Events, counts.Articles)
}
