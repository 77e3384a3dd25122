package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPercentile(t *testing.T) {
	var d []time.Duration
	for i := 1; i <= 100; i++ {
		d = append(d, time.Duration(i)*time.Millisecond)
	}
	assert.Equal(t, 50*time.Millisecond, percentile(d, 50))
	assert.Equal(t, 99*time.Millisecond, percentile(d, 99))
	assert.Equal(t, 100*time.Millisecond, percentile(d, 100))
	assert.Equal(t, time.Millisecond, percentile(d[:1], 99))
	assert.Zero(t, percentile(nil, 50))
}

// TestRunLoad drives a local test server in both modes: the closed loop
// counts every request and its status, the open loop keeps to its rate,
// and the bodies are sent in turn.
func TestRunLoad(t *testing.T) {
	var served, failed atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if strings.Contains(string(body), "bad") {
			failed.Add(1)
			http.Error(w, "no", http.StatusTeapot)
			return
		}
		served.Add(1)
		w.Write([]byte("{}"))
	}))
	defer srv.Close()
	client := newClient(4)

	res := runLoad(context.Background(), client, "closed", request{method: "POST", url: srv.URL, bodies: [][]byte{[]byte("good"), []byte("bad")}},
		loadOptions{Concurrency: 4, Duration: 300 * time.Millisecond})
	require.Positive(t, res.Requests)
	assert.Equal(t, res.Requests, res.Statuses[200]+res.Statuses[418])
	assert.InDelta(t, res.Requests/2, res.Errors, 4, "every other body fails")
	assert.Contains(t, res.FirstError, "418")
	assert.LessOrEqual(t, res.P50, res.P99)
	assert.LessOrEqual(t, res.P99, res.Max)

	res = runLoad(context.Background(), client, "open", request{method: "GET", url: srv.URL},
		loadOptions{Concurrency: 4, Duration: time.Second, Rate: 200})
	assert.Equal(t, 200, res.Requests, "an open loop sends exactly rate × duration")
	assert.Zero(t, res.Errors)
	assert.Contains(t, res.String(), "open loop at 200/s")
}

func TestTextGenerator(t *testing.T) {
	gen, err := newTextGenerator(1)
	require.NoError(t, err)
	a := gen.article("First.", 1000)
	assert.GreaterOrEqual(t, len(strings.Fields(a)), 1000)
	assert.True(t, strings.HasPrefix(a, "First. "))
	again, err := newTextGenerator(1)
	require.NoError(t, err)
	assert.Equal(t, a, again.article("First.", 1000), "the same seed gives the same texts")
}
