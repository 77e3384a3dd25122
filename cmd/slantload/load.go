package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math"
	"net/http"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// request is one kind of request the load generator sends. Bodies, when
// there are several, are sent in turn.
type request struct {
	method string
	url    string
	bodies [][]byte
	header http.Header
}

// loadOptions says how hard and how long to push.
type loadOptions struct {
	// Concurrency is the number of connections, each with one request
	// in flight at a time.
	Concurrency int
	// Duration is how long the measured part lasts; Warmup runs before it
	// and is not counted.
	Duration, Warmup time.Duration
	// Rate, when above zero, sends requests on a fixed schedule (open
	// loop) of Rate a second, and measures each latency from the moment
	// the request was due rather than from when a connection was free, so
	// that a stall shows in the percentiles instead of slowing the
	// schedule down. Zero sends as fast as the connections allow (closed
	// loop).
	Rate float64
}

// loadResult is what a run measured.
type loadResult struct {
	Name        string          `json:"name"`
	Concurrency int             `json:"concurrency"`
	Rate        float64         `json:"rate,omitempty"`
	Requests    int             `json:"requests"`
	Errors      int             `json:"errors"`
	Statuses    map[int]int     `json:"statuses"`
	Elapsed     time.Duration   `json:"elapsed_ns"`
	RPS         float64         `json:"requests_per_second"`
	Mean        time.Duration   `json:"mean_ns"`
	P50         time.Duration   `json:"p50_ns"`
	P90         time.Duration   `json:"p90_ns"`
	P99         time.Duration   `json:"p99_ns"`
	Max         time.Duration   `json:"max_ns"`
	FirstError  string          `json:"first_error,omitempty"`
	latencies   []time.Duration // sorted
}

// String is the one-line report.
func (r loadResult) String() string {
	mode := "closed loop"
	if r.Rate > 0 {
		mode = fmt.Sprintf("open loop at %.0f/s", r.Rate)
	}
	s := fmt.Sprintf("%-11s %s, %d connections: %d requests in %s: %.0f req/s, p50 %s, p90 %s, p99 %s, max %s, mean %s, errors %d",
		r.Name, mode, r.Concurrency, r.Requests, r.Elapsed.Round(time.Millisecond), r.RPS,
		ms(r.P50), ms(r.P90), ms(r.P99), ms(r.Max), ms(r.Mean), r.Errors)
	if r.FirstError != "" {
		s += "\n            first error: " + r.FirstError
	}
	return s
}

// ms writes a duration in milliseconds with two decimals.
func ms(d time.Duration) string { return fmt.Sprintf("%.2fms", float64(d)/float64(time.Millisecond)) }

// newClient is an HTTP client that keeps one idle connection per worker,
// so that the measurement is of requests, not of TCP handshakes.
func newClient(conns int) *http.Client {
	return &http.Client{
		Timeout: time.Minute,
		Transport: &http.Transport{
			MaxIdleConns:        conns * 2,
			MaxIdleConnsPerHost: conns * 2,
			MaxConnsPerHost:     0,
			IdleConnTimeout:     time.Minute,
			DisableCompression:  true,
		},
	}
}

// sample is one request's outcome.
type sample struct {
	latency time.Duration
	status  int // 0: transport error
}

// runLoad sends req with opts and measures it. Every loop is bounded by
// the deadline, and ctx stops it early.
func runLoad(ctx context.Context, client *http.Client, name string, req request, opts loadOptions) loadResult {
	if opts.Concurrency < 1 {
		opts.Concurrency = 1
	}
	run := &loadRun{client: client, req: req}
	if opts.Warmup > 0 {
		run.warmUp(ctx, opts)
	}
	perWorker, elapsed := run.measure(ctx, opts)
	res := summarize(name, opts, perWorker, elapsed)
	if p := run.firstErr.Load(); p != nil {
		res.FirstError = *p
	}
	return res
}

// loadRun is the state the connections of one run share.
type loadRun struct {
	client   *http.Client
	req      request
	firstErr atomic.Pointer[string]
	next     atomic.Uint64 // request counter: picks the body
}

// do sends one request and returns its status, 0 for a transport error.
// The first failure is kept (a transport error only when ctx is not
// done: the requests cut off at the deadline are not failures).
func (run *loadRun) do(ctx context.Context) int {
	n := run.next.Add(1) - 1
	var body io.Reader
	if len(run.req.bodies) > 0 {
		body = bytes.NewReader(run.req.bodies[n%uint64(len(run.req.bodies))])
	}
	hr, err := http.NewRequestWithContext(ctx, run.req.method, run.req.url, body)
	if err != nil {
		return 0
	}
	for k, v := range run.req.header {
		hr.Header[k] = v
	}
	resp, err := run.client.Do(hr)
	if err != nil {
		if ctx.Err() == nil {
			msg := err.Error()
			run.firstErr.CompareAndSwap(nil, &msg)
		}
		return 0
	}
	if resp.StatusCode >= 300 {
		data, _ := io.ReadAll(io.LimitReader(resp.Body, 300))
		msg := fmt.Sprintf("%d %s", resp.StatusCode, strings.TrimSpace(string(data)))
		run.firstErr.CompareAndSwap(nil, &msg)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// warmUp sends requests on every connection for opts.Warmup, uncounted,
// so that the measurement starts with open connections and warm caches;
// a failure during it is forgotten.
func (run *loadRun) warmUp(ctx context.Context, opts loadOptions) {
	wctx, cancel := context.WithTimeout(ctx, opts.Warmup)
	var wg sync.WaitGroup
	for range opts.Concurrency {
		wg.Go(func() {
			for wctx.Err() == nil {
				run.do(wctx)
			}
		})
	}
	wg.Wait()
	cancel()
	run.firstErr.Store(nil)
}

// measure runs the connections for opts.Duration and returns each one's
// samples and the time the run took.
func (run *loadRun) measure(ctx context.Context, opts loadOptions) ([][]sample, time.Duration) {
	start := time.Now()
	deadline := start.Add(opts.Duration)
	mctx, cancel := context.WithDeadline(ctx, deadline.Add(opts.Duration)) // stragglers get as long again
	defer cancel()
	perWorker := make([][]sample, opts.Concurrency)
	var slot atomic.Int64 // open loop: the next request's place in the schedule
	var wg sync.WaitGroup
	for w := range opts.Concurrency {
		wg.Go(func() { perWorker[w] = run.connection(mctx, opts, start, deadline, &slot) })
	}
	wg.Wait()
	return perWorker, time.Since(start)
}

// connection sends one request after another until the deadline and
// returns their samples.
func (run *loadRun) connection(ctx context.Context, opts loadOptions, start, deadline time.Time, slot *atomic.Int64) []sample {
	var out []sample
	for ctx.Err() == nil {
		began := time.Now()
		if opts.Rate > 0 {
			// Open loop: this request was due at its slot, whether
			// or not a connection was free then.
			began = start.Add(time.Duration(float64(slot.Add(1)-1) * float64(time.Second) / opts.Rate))
			if !began.Before(deadline) {
				break
			}
			if wait := time.Until(began); wait > 0 {
				time.Sleep(wait)
			}
		} else if !began.Before(deadline) {
			break
		}
		status := run.do(ctx)
		out = append(out, sample{latency: time.Since(began), status: status})
	}
	return out
}

// summarize counts the samples of a run: statuses, errors (anything but
// 2xx), throughput and latency percentiles.
func summarize(name string, opts loadOptions, perWorker [][]sample, elapsed time.Duration) loadResult {
	res := loadResult{Name: name, Concurrency: opts.Concurrency, Rate: opts.Rate, Statuses: map[int]int{}, Elapsed: elapsed}
	var total time.Duration
	for _, samples := range perWorker {
		for _, s := range samples {
			res.Requests++
			res.Statuses[s.status]++
			if s.status < 200 || s.status >= 300 {
				res.Errors++
			}
			res.latencies = append(res.latencies, s.latency)
			total += s.latency
		}
	}
	if res.Requests == 0 {
		return res
	}
	slices.Sort(res.latencies)
	res.RPS = float64(res.Requests) / elapsed.Seconds()
	res.Mean = total / time.Duration(res.Requests)
	res.P50 = percentile(res.latencies, 50)
	res.P90 = percentile(res.latencies, 90)
	res.P99 = percentile(res.latencies, 99)
	res.Max = res.latencies[len(res.latencies)-1]
	return res
}

// percentile is the nearest-rank p-th percentile of sorted latencies.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(p / 100 * float64(len(sorted))))
	rank = min(max(rank, 1), len(sorted))
	return sorted[rank-1]
}

// statusSummary writes the status counts in order, such as "200×9000 429×3".
func statusSummary(statuses map[int]int) string {
	codes := make([]int, 0, len(statuses))
	for c := range statuses {
		codes = append(codes, c)
	}
	sort.Ints(codes)
	parts := make([]string, 0, len(codes))
	for _, c := range codes {
		label := fmt.Sprint(c)
		if c == 0 {
			label = "transport-error"
		}
		parts = append(parts, fmt.Sprintf("%s×%d", label, statuses[c]))
	}
	return strings.Join(parts, " ")
}
