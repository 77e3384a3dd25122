package api

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestReadRate checks that reads have a per-client rate of their own
// (SLANT_RATE_READ): GET and HEAD under /api/v1 count against it, and
// nothing else does. Before, reads had no limit at all.
func TestReadRate(t *testing.T) {
	env := newEnv(t, Config{ReadRate: Rate{Events: 1, Per: time.Hour, Burst: 4}}, nil)
	eventID, _, _ := env.seed(t)
	from := func(method, target, addr string) int {
		return sendFrom(t, env.handler, method, target, addr, nil, nil).Code
	}
	event := fmt.Sprintf("/api/v1/events/%d", eventID)
	require.Equal(t, http.StatusOK, from(http.MethodGet, "/api/v1/events", "127.0.0.1:1000"))
	require.Equal(t, http.StatusOK, from(http.MethodGet, event, "127.0.0.1:1000"))
	require.Equal(t, http.StatusOK, from(http.MethodGet, event+"/articles", "127.0.0.1:1000"))
	require.Equal(t, http.StatusOK, from(http.MethodGet, event+"/comparison", "127.0.0.1:2000"))
	rec := sendFrom(t, env.handler, http.MethodGet, event, "127.0.0.1:1000", nil, nil)
	require.Equal(t, http.StatusTooManyRequests, rec.Code)
	assert.NotEmpty(t, rec.Header().Get("Retry-After"))

	assert.Equal(t, http.StatusOK, from(http.MethodGet, event, "127.0.0.2:1000"), "another client")
	assert.Equal(t, http.StatusOK, from(http.MethodGet, "/healthz", "127.0.0.1:1000"), "the health check is not an API read")
	assert.Equal(t, http.StatusCreated,
		sendFrom(t, env.handler, http.MethodPost, "/api/v1/events", "127.0.0.1:1000", map[string]string{"title": "Later"}, nil).Code,
		"writes have their own rate")
	assert.Equal(t, http.StatusOK,
		sendFrom(t, env.handler, http.MethodPost, "/api/v1/analyze", "127.0.0.1:1000", map[string]string{"text": "A hellhole."}, nil).Code,
		"analysis has its own rate")
}

// TestIPv6PrefixIsConfigurable checks SLANT_RATE_IPV6_PREFIX: how many
// leading bits of an IPv6 address are one client.
func TestIPv6PrefixIsConfigurable(t *testing.T) {
	create := func(env *testEnv, addr string) int {
		return sendFrom(t, env.handler, http.MethodPost, "/api/v1/events", addr, map[string]string{"title": "Flood"}, teacherHeader).Code
	}
	rate := Rate{Events: 1, Per: time.Hour, Burst: 1}

	t.Run("/64 by default", func(t *testing.T) {
		env := newEnv(t, Config{AdminToken: testToken, WriteRate: rate}, nil)
		require.Equal(t, http.StatusCreated, create(env, "[2001:db8:1:2::1]:1000"))
		assert.Equal(t, http.StatusTooManyRequests, create(env, "[2001:db8:1:2::2]:1000"), "the same /64")
		assert.Equal(t, http.StatusCreated, create(env, "[2001:db8:1:3::1]:1000"), "another /64")
	})
	t.Run("/128: each address", func(t *testing.T) {
		env := newEnv(t, Config{AdminToken: testToken, WriteRate: rate, IPv6Prefix: 128}, nil)
		require.Equal(t, http.StatusCreated, create(env, "[2001:db8:1:2::1]:1000"))
		assert.Equal(t, http.StatusCreated, create(env, "[2001:db8:1:2::2]:1000"), "another address of the same /64")
		assert.Equal(t, http.StatusTooManyRequests, create(env, "[2001:db8:1:2::1]:2000"))
	})
	t.Run("/48: a whole site", func(t *testing.T) {
		env := newEnv(t, Config{AdminToken: testToken, WriteRate: rate, IPv6Prefix: 48}, nil)
		require.Equal(t, http.StatusCreated, create(env, "[2001:db8:1:2::1]:1000"))
		assert.Equal(t, http.StatusTooManyRequests, create(env, "[2001:db8:1:3::1]:1000"), "another /64 of the same /48")
		assert.Equal(t, http.StatusCreated, create(env, "[2001:db8:2::1]:1000"), "another /48")
		assert.Equal(t, http.StatusCreated, create(env, "192.0.2.1:1000"), "IPv4 addresses are counted one by one")
	})
	assert.Equal(t, "2001:db8::/48", clientKeyWithin("2001:db8:0:ffff::1", 48))
}

// TestHeadRequests checks that HEAD, which load balancers, uptime checkers
// and caches send, is answered where they ask (before, 405): the health
// check, the page, its files and the OpenAPI document, with the GET's
// status and headers and no body.
func TestHeadRequests(t *testing.T) {
	assets := fstest.MapFS{
		"index.html": {Data: []byte(`<!doctype html><title>Slant</title>`)},
		"app.js":     {Data: []byte(`console.log("slant");`)},
	}
	env := newEnv(t, Config{}, assets)
	srv := httptest.NewServer(env.handler)
	defer srv.Close()
	for _, tc := range []struct {
		target, contentType string
		status              int
	}{
		{"/healthz", "application/json; charset=utf-8", http.StatusOK},
		{"/", "text/html; charset=utf-8", http.StatusOK},
		{"/static/app.js", "text/javascript; charset=utf-8", http.StatusOK},
		{"/static/missing.js", "text/plain; charset=utf-8", http.StatusNotFound},
		{"/api/openapi.yaml", "application/yaml", http.StatusOK},
	} {
		req, err := http.NewRequest(http.MethodHead, srv.URL+tc.target, nil)
		require.NoError(t, err)
		resp, err := srv.Client().Do(req)
		require.NoError(t, err)
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		require.NoError(t, err)
		assert.Equal(t, tc.status, resp.StatusCode, tc.target)
		assert.Equal(t, tc.contentType, resp.Header.Get("Content-Type"), tc.target)
		assert.Empty(t, body, tc.target)
	}
}

// TestHeadOnEveryAPIRead sends HEAD to every GET route under /api/v1 the
// router lists, on the real server: each is routed (never 405, as
// GET /api/v1/events/{id} once was), answers with the GET's status and
// Content-Type, and sends no body. A new read is walked as soon as it
// exists.
func TestHeadOnEveryAPIRead(t *testing.T) {
	env := newEnv(t, Config{}, nil)
	w := seedWalk(t, env)
	srv := httptest.NewServer(env.handler)
	defer srv.Close()
	heads := map[string]bool{}
	var gets []string
	for _, r := range env.server.Handler().(*gin.Engine).Routes() {
		switch {
		case !strings.HasPrefix(r.Path, "/api/v1/"):
		case r.Method == http.MethodHead:
			heads[r.Path] = true
		case r.Method == http.MethodGet:
			gets = append(gets, r.Path)
		}
	}
	require.NotEmpty(t, gets)
	do := func(method, target string) (*http.Response, []byte) {
		req, err := http.NewRequest(method, srv.URL+target, nil)
		require.NoError(t, err)
		resp, err := srv.Client().Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		return resp, body
	}
	for _, pattern := range gets {
		t.Run(pattern, func(t *testing.T) {
			assert.True(t, heads[pattern], "GET %s has no HEAD route", pattern)
			target := w.path(pattern)
			get, _ := do(http.MethodGet, target)
			head, body := do(http.MethodHead, target)
			assert.NotEqual(t, http.StatusMethodNotAllowed, head.StatusCode)
			assert.Equal(t, get.StatusCode, head.StatusCode, "HEAD answers as GET does")
			assert.Equal(t, get.Header.Get("Content-Type"), head.Header.Get("Content-Type"))
			assert.Empty(t, body, "HEAD sends no body")
		})
	}
}
