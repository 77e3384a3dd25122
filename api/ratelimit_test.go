package api

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeClock is a clock the tests move by hand.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock { return &fakeClock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func TestParseRate(t *testing.T) {
	tests := []struct {
		in   string
		want Rate
		err  string // part of the error; "" means no error
	}{
		{"0", Rate{}, ""},
		{" 0 ", Rate{}, ""},
		{"5/s", Rate{Events: 5, Per: time.Second, Burst: 5}, ""},
		{"5/s,burst=20", Rate{Events: 5, Per: time.Second, Burst: 20}, ""},
		{"30/m", Rate{Events: 30, Per: time.Minute, Burst: 30}, ""},
		{"100/h, burst=10", Rate{Events: 100, Per: time.Hour, Burst: 10}, ""},
		{"", Rate{}, "is not a rate"},
		{"5", Rate{}, "is not a rate"},
		{"five/s", Rate{}, "the count must be a whole number"},
		{"-1/s", Rate{}, "the count must be a whole number"},
		{"0/s", Rate{}, "the count must be a whole number"},
		{"1.5/s", Rate{}, "the count must be a whole number"},
		{"99999999/s", Rate{}, "the count must be a whole number"},
		{"5/d", Rate{}, "the unit must be s, m or h"},
		{"5/sec", Rate{}, "the unit must be s, m or h"},
		{"5/s,20", Rate{}, "burst=B"},
		{"5/s,burst=0", Rate{}, "burst=B"},
		{"5/s,burst=x", Rate{}, "burst=B"},
		{"5/s,bust=3", Rate{}, "burst=B"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseRate(tt.in)
			if tt.err != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
			again, err := ParseRate(got.String())
			require.NoError(t, err, "String writes what ParseRate reads")
			assert.Equal(t, got, again)
		})
	}
	assert.Equal(t, "5/s,burst=20", DefaultWriteRate.String())
	assert.Equal(t, "20/s,burst=40", DefaultAnalyzeRate.String())
	assert.Equal(t, "1/s,burst=5", DefaultFetchRate.String())
}

func TestLimiterBurstThenWait(t *testing.T) {
	clock := newFakeClock()
	l := newClientLimiters(Rate{Events: 1, Per: time.Second, Burst: 3}, 100, clock.Now)
	for i := range 3 {
		ok, _ := l.allow("192.0.2.1")
		require.True(t, ok, "request %d is within the burst", i+1)
	}
	ok, wait := l.allow("192.0.2.1")
	require.False(t, ok, "the burst is spent")
	assert.Equal(t, time.Second, wait)
	ok, wait = l.allow("192.0.2.1")
	require.False(t, ok, "a refused request takes no token, so the wait does not grow")
	assert.Equal(t, time.Second, wait)

	ok, _ = l.allow("198.51.100.7")
	assert.True(t, ok, "another client has its own bucket")

	clock.Advance(400 * time.Millisecond)
	ok, wait = l.allow("192.0.2.1")
	require.False(t, ok)
	assert.Equal(t, 600*time.Millisecond, wait)
	clock.Advance(600 * time.Millisecond)
	ok, _ = l.allow("192.0.2.1")
	assert.True(t, ok, "a token came back after a second")
	ok, _ = l.allow("192.0.2.1")
	assert.False(t, ok)
}

func TestLimiterSweepsIdleClients(t *testing.T) {
	clock := newFakeClock()
	l := newClientLimiters(Rate{Events: 10, Per: time.Second, Burst: 10}, 1000, clock.Now)
	require.Equal(t, minIdle, l.idle)
	for i := range 50 {
		l.allow(fmt.Sprintf("192.0.2.%d", i))
	}
	require.Equal(t, 50, l.size())

	clock.Advance(5 * time.Minute)
	l.allow("192.0.2.0") // seen again: stays
	require.Equal(t, 50, l.size(), "nobody is idle for ten minutes yet")

	clock.Advance(5*time.Minute + time.Second)
	l.allow("198.51.100.1")
	assert.Equal(t, 2, l.size(), "the 49 clients quiet for ten minutes are gone")

	clock.Advance(time.Hour)
	l.allow("198.51.100.2")
	assert.Equal(t, 1, l.size())
}

func TestLimiterKeepsSlowBucketsUntilFull(t *testing.T) {
	clock := newFakeClock()
	// One an hour, bursts of three: an empty bucket takes three hours to
	// fill, so dropping the entry sooner would hand out free requests.
	l := newClientLimiters(Rate{Events: 1, Per: time.Hour, Burst: 3}, 100, clock.Now)
	require.Equal(t, 3*time.Hour, l.idle)
	for range 3 {
		l.allow("192.0.2.1")
	}
	clock.Advance(30 * time.Minute)
	ok, _ := l.allow("198.51.100.1") // another client passes by and sweeps
	require.True(t, ok)
	ok, wait := l.allow("192.0.2.1")
	assert.False(t, ok, "the entry was not dropped after ten minutes")
	assert.Equal(t, 30*time.Minute, wait)
}

func TestLimiterTableIsBounded(t *testing.T) {
	clock := newFakeClock()
	l := newClientLimiters(Rate{Events: 1, Per: time.Minute, Burst: 1}, 100, clock.Now)
	l.allow("192.0.2.1")
	ok, _ := l.allow("192.0.2.1")
	require.False(t, ok)

	// A flood from 10,000 addresses within one second.
	for i := range 10_000 {
		l.allow(netip.AddrFrom4([4]byte{203, 0, byte(i >> 8), byte(i)}).String())
		require.LessOrEqual(t, l.size(), 100)
	}
	assert.Equal(t, 100, l.size())
	assert.Len(t, l.clients, 100, "map and list agree")

	// The most recently seen clients are the ones kept.
	_, kept := l.clients["203.0.39.15"] // the last of the flood
	assert.True(t, kept)
	_, kept = l.clients["192.0.2.1"]
	assert.False(t, kept, "the least recently seen client made room")
}

func TestNilLimiterAllowsEverything(t *testing.T) {
	assert.Nil(t, newClientLimiters(Rate{}, 100, nil))
	var l *clientLimiters
	for range 1000 {
		ok, _ := l.allow("192.0.2.1")
		require.True(t, ok)
	}
}

func TestClientKey(t *testing.T) {
	tests := map[string]string{
		"192.0.2.1":              "192.0.2.1",
		"::ffff:192.0.2.1":       "192.0.2.1",
		"2001:db8:1:2:3:4:5:6":   "2001:db8:1:2::/64",
		"2001:db8:1:2:ffff::1":   "2001:db8:1:2::/64",
		"2001:db8:1:3::1":        "2001:db8:1:3::/64",
		"not an address":         "not an address",
		"fe80::1%eth0":           "fe80::/64",
		"2001:0db8:0001:0002::9": "2001:db8:1:2::/64",
	}
	for in, want := range tests {
		assert.Equal(t, want, clientKey(in), in)
	}
}

// sendFrom sends a request as if from addr (host:port), with extra headers.
func sendFrom(t *testing.T, h http.Handler, method, target, addr string, body any, header map[string]string) *httptest.ResponseRecorder {
	t.Helper()
	req := newRequest(t, method, target, body)
	req.RemoteAddr = addr
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// teacherHeader makes a request the teacher's from any machine, on a
// server with testToken.
var teacherHeader = map[string]string{"Authorization": "Bearer " + testToken}

func TestRateLimitedRoutes(t *testing.T) {
	env := newEnv(t, Config{
		AdminToken:  testToken,
		WriteRate:   Rate{Events: 1, Per: time.Hour, Burst: 3},
		AnalyzeRate: Rate{Events: 1, Per: time.Hour, Burst: 2},
	}, nil)
	create := func(addr string) *httptest.ResponseRecorder {
		return sendFrom(t, env.handler, http.MethodPost, "/api/v1/events", addr, map[string]string{"title": "Flood"}, teacherHeader)
	}
	analyze := func(addr string) *httptest.ResponseRecorder {
		return sendFrom(t, env.handler, http.MethodPost, "/api/v1/analyze", addr, map[string]string{"text": "A hellhole."}, teacherHeader)
	}

	for i := range 3 {
		require.Equal(t, http.StatusCreated, create("192.0.2.1:1000").Code, "write %d", i+1)
	}
	rec := create("192.0.2.1:2000")
	require.Equal(t, http.StatusTooManyRequests, rec.Code, "the same address from another port")
	retry, err := strconv.Atoi(rec.Header().Get("Retry-After"))
	require.NoError(t, err, "Retry-After is whole seconds")
	assert.InDelta(t, 3600, retry, 2)
	assert.Contains(t, decode[ErrorBody](t, rec).Error, "too many requests")

	assert.Equal(t, http.StatusCreated, create("198.51.100.7:1000").Code, "another address is not limited")
	assert.Equal(t, http.StatusTooManyRequests,
		sendFrom(t, env.handler, http.MethodDelete, "/api/v1/events/1", "192.0.2.1:1000", nil, teacherHeader).Code,
		"every write counts against the same bucket")

	require.Equal(t, http.StatusOK, analyze("192.0.2.1:1000").Code, "analysis has its own bucket")
	require.Equal(t, http.StatusOK, analyze("192.0.2.1:1000").Code)
	rec = analyze("192.0.2.1:1000")
	require.Equal(t, http.StatusTooManyRequests, rec.Code)
	assert.NotEmpty(t, rec.Header().Get("Retry-After"))

	for range 20 {
		require.Equal(t, http.StatusOK, sendFrom(t, env.handler, http.MethodGet, "/api/v1/events", "192.0.2.1:1000", nil, teacherHeader).Code,
			"reads are not rate limited")
	}

	// IPv6 addresses count per /64.
	require.Equal(t, http.StatusCreated, create("[2001:db8:5:6::1]:1000").Code)
	require.Equal(t, http.StatusCreated, create("[2001:db8:5:6::2]:1000").Code)
	require.Equal(t, http.StatusCreated, create("[2001:db8:5:6:ffff::3]:1000").Code)
	assert.Equal(t, http.StatusTooManyRequests, create("[2001:db8:5:6::4]:1000").Code)
	assert.Equal(t, http.StatusCreated, create("[2001:db8:5:7::1]:1000").Code)
}

func TestRateLimitWithTokenCountsGuesses(t *testing.T) {
	env := newEnv(t, Config{AdminToken: testToken, WriteRate: Rate{Events: 1, Per: time.Hour, Burst: 2}}, nil)
	guess := map[string]string{"Authorization": "Bearer " + wrongToken}
	for range 2 {
		rec := sendFrom(t, env.handler, http.MethodPost, "/api/v1/events", "192.0.2.1:1000", map[string]string{"title": "x"}, guess)
		require.Equal(t, http.StatusForbidden, rec.Code)
	}
	rec := sendFrom(t, env.handler, http.MethodPost, "/api/v1/events", "192.0.2.1:1000", map[string]string{"title": "x"}, guess)
	assert.Equal(t, http.StatusTooManyRequests, rec.Code, "wrong tokens use up the write rate: guessing is slow")
}

func TestClientIPAndTrustedProxies(t *testing.T) {
	write := func(h http.Handler, addr, forwarded string) int {
		header := map[string]string{"Authorization": "Bearer " + testToken}
		if forwarded != "" {
			header["X-Forwarded-For"] = forwarded
		}
		return sendFrom(t, h, http.MethodPost, "/api/v1/events", addr, map[string]string{"title": "x"}, header).Code
	}
	rate := Rate{Events: 1, Per: time.Hour, Burst: 1}

	t.Run("no trusted proxies: the header is ignored", func(t *testing.T) {
		env := newEnv(t, Config{AdminToken: testToken, WriteRate: rate}, nil)
		require.Equal(t, http.StatusCreated, write(env.handler, "192.0.2.10:1000", "198.51.100.1"))
		assert.Equal(t, http.StatusTooManyRequests, write(env.handler, "192.0.2.10:1000", "198.51.100.2"),
			"a client cannot pick a new address by sending X-Forwarded-For")
	})
	t.Run("behind a trusted proxy: the forwarded client counts", func(t *testing.T) {
		env := newEnv(t, Config{AdminToken: testToken, WriteRate: rate, TrustedProxies: []netip.Prefix{netip.MustParsePrefix("192.0.2.0/28")}}, nil)
		require.Equal(t, http.StatusCreated, write(env.handler, "192.0.2.10:1000", "198.51.100.1"))
		assert.Equal(t, http.StatusCreated, write(env.handler, "192.0.2.11:1000", "198.51.100.2"), "another client behind the same balancer")
		assert.Equal(t, http.StatusTooManyRequests, write(env.handler, "192.0.2.12:1000", "198.51.100.1"), "the first client again, through another balancer")
		assert.Equal(t, http.StatusTooManyRequests, write(env.handler, "192.0.2.10:1000", "203.0.113.9, 198.51.100.1"),
			"the address the trusted proxy saw counts, not what the client wrote before it")
		require.Equal(t, http.StatusCreated, write(env.handler, "203.0.113.50:1000", "198.51.100.3"), "an untrusted peer counts as itself")
		assert.Equal(t, http.StatusTooManyRequests, write(env.handler, "203.0.113.50:1000", "198.51.100.4"))
	})
}

// TestFetchLimitMiddleware attaches limitFetches to a stand-in route, as the
// URL-fetch route will use it, and checks that it counts apart from the
// other kinds of request.
func TestFetchLimitMiddleware(t *testing.T) {
	env := newEnv(t, Config{
		FetchRate:   Rate{Events: 1, Per: time.Hour, Burst: 2},
		AnalyzeRate: Rate{Events: 1, Per: time.Hour, Burst: 1},
	}, nil)
	r := newEngine()
	r.Use(env.server.middleware()...)
	r.POST("/api/v1/fetch", env.server.limitFetches, func(c *gin.Context) { c.JSON(http.StatusOK, gin.H{"fetched": true}) })
	r.POST("/api/v1/analyze", env.server.limitAnalysis, env.server.analyze)

	for i := range 2 {
		rec := sendFrom(t, r, http.MethodPost, "/api/v1/fetch", "192.0.2.1:1000", nil, nil)
		require.Equal(t, http.StatusOK, rec.Code, "fetch %d: %s", i+1, rec.Body.String())
	}
	rec := sendFrom(t, r, http.MethodPost, "/api/v1/fetch", "192.0.2.1:1000", nil, nil)
	assert.Equal(t, http.StatusTooManyRequests, rec.Code)
	assert.NotEmpty(t, rec.Header().Get("Retry-After"))
	assert.Equal(t, http.StatusOK, sendFrom(t, r, http.MethodPost, "/api/v1/fetch", "198.51.100.1:1000", nil, nil).Code, "another client")
	assert.Equal(t, http.StatusOK,
		sendFrom(t, r, http.MethodPost, "/api/v1/analyze", "192.0.2.1:1000", map[string]string{"text": "x"}, nil).Code,
		"fetches do not use up the analysis rate")
}
