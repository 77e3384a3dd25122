package api

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slant/desk"
)

// heapPeak samples the live heap every few milliseconds while the work
// runs, and reports the most it held above where it started: what the work
// keeps, not what it allocates, and no clock in any assertion. The live
// heap is the runtime's own figure for what the last collection found
// reachable (/gc/heap/live:bytes), read after forcing one: HeapAlloc read
// after a collection would also count whatever the work allocated between
// the collection's end and the read, which on a busy machine, with this
// goroutine waiting for a core, reached tens of megabytes.
type heapPeak struct {
	stop chan struct{}
	done sync.WaitGroup
	base uint64
	peak uint64
}

// liveHeap forces a collection and returns the bytes it found reachable.
func liveHeap() uint64 {
	runtime.GC()
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(sample)
	return sample[0].Value.Uint64()
}

func startHeapPeak() *heapPeak {
	base := liveHeap()
	h := &heapPeak{stop: make(chan struct{}), base: base, peak: base}
	h.done.Go(func() {
		tick := time.NewTicker(50 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-h.stop:
				return
			case <-tick.C:
				h.peak = max(h.peak, liveHeap())
			}
		}
	})
	return h
}

// growth stops the sampling and returns the peak's growth in bytes.
func (h *heapPeak) growth() uint64 {
	close(h.stop)
	h.done.Wait()
	return h.peak - h.base
}

// TestImportOfManyBadLinesStaysSmall sends bodies of nothing but bad lines
// up to the import limit (16 MiB, the default): the answer lists the first
// 100 with the count of all, stays a few kilobytes, and the server's heap
// grows by a small part of the body, not by the errors of every line
// (before: 6 MB of bad lines answered 194 MB of errors and used 1.1 GB; a
// 16 MiB body got a 400, "the body could not be read", after the 30 s
// deadline). Nothing is stored: 422.
func TestImportOfManyBadLinesStaysSmall(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping the 16 MiB import in -short mode")
	}
	// No request deadline: what is measured is memory, and on a busy
	// machine 16 MiB of lines can take longer than the default 30 s.
	env := newEnv(t, Config{RequestTimeout: -1}, nil)
	for _, tc := range []struct {
		name string
		line string
		size int
	}{
		{"6 MB of lines that are not JSON", "x\n", 6 << 20},
		{"16 MiB of lines that are not JSON", "x\n", int(DefaultMaxImportBytes)},
		{"16 MiB of records without an outlet", `{"event":"e","text":"t"}` + "\n", int(DefaultMaxImportBytes)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lines := tc.size / len(tc.line)
			body := strings.Repeat(tc.line, lines) // made before the heap is watched
			peak := startHeapPeak()
			rec := env.postImport(t, "/api/v1/import", "application/x-ndjson", body, nil)
			grew := peak.growth()
			t.Logf("%d bad lines (%.1f MB): status %d, answer %d bytes, live heap at most +%.1f MB",
				lines, float64(len(body))/(1<<20), rec.Code, rec.Body.Len(), float64(grew)/(1<<20))

			require.Equal(t, http.StatusUnprocessableEntity, rec.Code, "%.300s", rec.Body.String())
			got := decode[ImportRejectionView](t, rec)
			assert.Len(t, got.LineErrors, desk.MaxLineErrors, "the first 100 listed")
			assert.Equal(t, lines, got.LineErrorCount, "all of them counted")
			assert.Equal(t, 1, got.LineErrors[0].Line)
			assert.Contains(t, got.Error, fmt.Sprintf("%d in all", lines))
			assert.Less(t, rec.Body.Len(), 32<<10, "an answer of kilobytes, whatever the body")
			// A few batches of lines in flight, whatever the body: a few
			// megabytes. The bound leaves room for what the import
			// allocates while a forced collection is marking (counted
			// live), which on a busy two-core machine reached 36 MB; keeping
			// every line's error, as before, costs hundreds (6 MB of bad
			// lines: +1,146 MB).
			assert.Less(t, grew, uint64(64<<20), "live heap while importing %d MB of bad lines", tc.size>>20)
		})
	}
	list := decode[EventListView](t, env.call(t, http.MethodGet, "/api/v1/events", nil))
	assert.Empty(t, list.Events, "nothing stored")
}

// TestImportBodyOverTheLimitStoresNothing streams a body whose good lines
// come first and whose end is past the limit: the import has begun when
// the limit is reached, and still stores nothing (413).
func TestImportBodyOverTheLimitStoresNothing(t *testing.T) {
	env := newEnv(t, Config{MaxImportBytes: 4096}, nil)
	var body bytes.Buffer
	for i := 0; body.Len() < 8192; i++ {
		fmt.Fprintf(&body, `{"event":"Flood","outlet":"Outlet %d","text":"Text number %d."}`+"\n", i, i)
	}
	req := httptest.NewRequest(http.MethodPost, "/api/v1/import", &body)
	req.Header.Set("Content-Type", "application/x-ndjson")
	req.ContentLength = -1 // unknown: the limit is met while reading
	rec := httptest.NewRecorder()
	env.handler.ServeHTTP(rec, req)
	assert.Equal(t, http.StatusRequestEntityTooLarge, rec.Code, rec.Body.String())
	list := decode[EventListView](t, env.call(t, http.MethodGet, "/api/v1/events", nil))
	assert.Empty(t, list.Events, "nothing stored")
}
