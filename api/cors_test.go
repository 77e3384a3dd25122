package api

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	allowedOrigin = "https://school.example"
	foreignOrigin = "https://evil.example"
)

// corsRequest sends a request with an Origin, and for a preflight the
// Access-Control-Request-* headers a browser adds.
func corsRequest(t *testing.T, h http.Handler, method, target, origin string, preflight bool) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, target, nil)
	if origin != "" {
		req.Header.Set("Origin", origin)
	}
	if preflight {
		req.Header.Set("Access-Control-Request-Method", http.MethodPost)
		req.Header.Set("Access-Control-Request-Headers", "authorization, content-type")
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestCORSOffByDefault(t *testing.T) {
	env := newEnv(t, Config{}, nil)
	rec := corsRequest(t, env.handler, http.MethodOptions, "/api/v1/events", allowedOrigin, true)
	assert.Equal(t, http.StatusMethodNotAllowed, rec.Code, "no preflight is granted")
	assert.Empty(t, rec.Header().Get("Access-Control-Allow-Origin"))
	assert.Empty(t, rec.Header().Get("Access-Control-Allow-Methods"))

	rec = corsRequest(t, env.handler, http.MethodGet, "/api/v1/events", allowedOrigin, false)
	assert.Equal(t, http.StatusOK, rec.Code)
	assert.Empty(t, rec.Header().Get("Access-Control-Allow-Origin"))
	assert.Empty(t, rec.Header().Values("Vary"))
}

func TestCORSWithOrigins(t *testing.T) {
	env := newEnv(t, Config{CORSOrigins: []string{allowedOrigin, "http://localhost:3000"}}, nil)

	t.Run("preflight from an allowed origin", func(t *testing.T) {
		for _, target := range []string{"/api/v1/events", "/api/v1/events/1", "/api/v1/analyze", "/healthz"} {
			rec := corsRequest(t, env.handler, http.MethodOptions, target, allowedOrigin, true)
			require.Equal(t, http.StatusNoContent, rec.Code, target)
			h := rec.Header()
			assert.Equal(t, allowedOrigin, h.Get("Access-Control-Allow-Origin"), target)
			assert.Equal(t, "GET, POST, PUT, PATCH, DELETE", h.Get("Access-Control-Allow-Methods"))
			assert.Equal(t, "Authorization, Content-Type", h.Get("Access-Control-Allow-Headers"))
			assert.Equal(t, "600", h.Get("Access-Control-Max-Age"))
			assert.Empty(t, h.Get("Access-Control-Allow-Credentials"), "no cookies, so no credentials")
			assert.Contains(t, h.Values("Vary"), "Origin")
			assert.Empty(t, rec.Body.String())
		}
		rec := corsRequest(t, env.handler, http.MethodOptions, "/api/v1/events", "http://localhost:3000", true)
		assert.Equal(t, "http://localhost:3000", rec.Header().Get("Access-Control-Allow-Origin"), "every listed origin")
	})

	t.Run("preflight from another origin", func(t *testing.T) {
		for _, origin := range []string{foreignOrigin, "https://school.example.evil.example", "http://school.example", "https://school.example:8443", "null", ""} {
			rec := corsRequest(t, env.handler, http.MethodOptions, "/api/v1/events", origin, true)
			require.Equal(t, http.StatusForbidden, rec.Code, origin)
			assert.Empty(t, rec.Header().Get("Access-Control-Allow-Origin"), origin)
			assert.Equal(t, corsForbiddenMessage, decode[ErrorBody](t, rec).Error)
		}
	})

	t.Run("requests echo only an allowed origin", func(t *testing.T) {
		rec := corsRequest(t, env.handler, http.MethodGet, "/api/v1/events", allowedOrigin, false)
		require.Equal(t, http.StatusOK, rec.Code)
		assert.Equal(t, allowedOrigin, rec.Header().Get("Access-Control-Allow-Origin"))
		assert.Equal(t, "Location, Retry-After, WWW-Authenticate", rec.Header().Get("Access-Control-Expose-Headers"))
		assert.Contains(t, rec.Header().Values("Vary"), "Origin")

		rec = corsRequest(t, env.handler, http.MethodGet, "/api/v1/events", foreignOrigin, false)
		require.Equal(t, http.StatusOK, rec.Code, "the answer is sent; the browser withholds it from the page")
		assert.Empty(t, rec.Header().Get("Access-Control-Allow-Origin"))
		assert.Contains(t, rec.Header().Values("Vary"), "Origin", "caches must not serve one origin's answer to another")

		rec = corsRequest(t, env.handler, http.MethodGet, "/api/v1/events", "", false)
		assert.Empty(t, rec.Header().Get("Access-Control-Allow-Origin"), "same-origin requests need nothing")
	})

	t.Run("never a wildcard", func(t *testing.T) {
		env := newEnv(t, Config{CORSOrigins: []string{"*"}}, nil)
		rec := corsRequest(t, env.handler, http.MethodGet, "/api/v1/events", foreignOrigin, false)
		assert.Empty(t, rec.Header().Get("Access-Control-Allow-Origin"))
		rec = corsRequest(t, env.handler, http.MethodOptions, "/api/v1/events", "*", true)
		assert.NotEqual(t, "*", rec.Header().Get("Access-Control-Allow-Origin"))
	})

	t.Run("the page itself is not shared", func(t *testing.T) {
		rec := corsRequest(t, env.handler, http.MethodGet, "/", allowedOrigin, false)
		assert.Empty(t, rec.Header().Get("Access-Control-Allow-Origin"))
	})

	t.Run("writes from an allowed origin still need the token", func(t *testing.T) {
		env := newEnv(t, Config{CORSOrigins: []string{allowedOrigin}, AdminToken: testToken}, nil)
		req := newRequest(t, http.MethodPost, "/api/v1/events", map[string]string{"title": "x"})
		req.Header.Set("Origin", allowedOrigin)
		rec := httptest.NewRecorder()
		env.handler.ServeHTTP(rec, req)
		require.Equal(t, http.StatusUnauthorized, rec.Code)
		assert.Equal(t, allowedOrigin, rec.Header().Get("Access-Control-Allow-Origin"), "so that the page can read the 401")
	})
}
