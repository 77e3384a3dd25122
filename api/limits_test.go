package api

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slant/desk"
)

func TestTextSizeLimit(t *testing.T) {
	const limit = 1024
	env := newDeskEnv(t, Config{}, desk.Config{Limits: desk.Limits{MaxTextBytes: limit}}, nil)
	eventID, _ := seedStore(t, env.store)
	articles := fmt.Sprintf("/api/v1/events/%d/articles", eventID)

	// "é" is two bytes: the limit counts bytes of UTF-8, not characters.
	atLimit := strings.Repeat("é", limit/2)
	overLimit := atLimit + "x"
	require.Len(t, atLimit, limit)

	tests := []struct {
		name   string
		target string
		body   map[string]string
		status int
	}{
		{"article at the limit", articles, map[string]string{"outlet": "A", "text": atLimit}, http.StatusCreated},
		{"article over the limit", articles, map[string]string{"outlet": "B", "text": overLimit}, http.StatusRequestEntityTooLarge},
		{"analysis at the limit", "/api/v1/analyze", map[string]string{"text": atLimit}, http.StatusOK},
		{"analysis over the limit", "/api/v1/analyze", map[string]string{"text": overLimit}, http.StatusRequestEntityTooLarge},
		// The title is analysed too: without its own limit it would carry
		// any amount of text past the text's.
		{"analysis with a headline over the limit", "/api/v1/analyze", map[string]string{"text": "t", "title": strings.Repeat("t", desk.MaxArticleTitle+1)}, http.StatusUnprocessableEntity},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := env.call(t, http.MethodPost, tt.target, tt.body)
			require.Equal(t, tt.status, rec.Code, rec.Body.String())
			if tt.status == http.StatusRequestEntityTooLarge {
				assert.Equal(t, "text is too long: this Slant accepts at most about 170 words (1,024 bytes)", decode[ErrorBody](t, rec).Error)
			}
		})
	}
	n, err := env.store.CountArticles(context.Background(), eventID)
	require.NoError(t, err)
	assert.Equal(t, int64(2), n, "the seeded article and the one at the limit")
}

func TestDefaultLimits(t *testing.T) {
	env := newEnv(t, Config{}, nil)
	assert.Equal(t, desk.Limits{MaxTextBytes: 200 << 10, MaxArticlesPerEvent: 12}, env.server.desk.Limits())
	assert.Equal(t, 30*time.Second, env.server.timeout)
	assert.Equal(t, DefaultMaxBodyBytes, env.server.maxBody)
	assert.Nil(t, env.server.writeLimits, "the zero Config limits no rates")
}

func TestArticlesPerEventLimit(t *testing.T) {
	env := newDeskEnv(t, Config{}, desk.Config{Limits: desk.Limits{MaxArticlesPerEvent: 3}}, nil)
	eventID, _ := seedStore(t, env.store) // one article already
	articles := fmt.Sprintf("/api/v1/events/%d/articles", eventID)
	add := func(n int) *httptest.ResponseRecorder {
		return env.call(t, http.MethodPost, articles, map[string]string{"outlet": fmt.Sprintf("Outlet %d", n), "text": fmt.Sprintf("Text number %d.", n)})
	}

	var last ArticleView
	for n := 2; n <= 3; n++ {
		rec := add(n)
		require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
		last = decode[ArticleView](t, rec)
	}
	rec := add(4)
	require.Equal(t, http.StatusUnprocessableEntity, rec.Code)
	assert.Equal(t, "this event already has 3 articles, the most one event may hold", decode[ErrorBody](t, rec).Error)

	require.Equal(t, http.StatusNoContent, env.call(t, http.MethodDelete, fmt.Sprintf("%s/%d", articles, last.ID), nil).Code)
	assert.Equal(t, http.StatusCreated, add(5).Code, "a deleted article frees its place")
	assert.Equal(t, http.StatusUnprocessableEntity, add(6).Code)

	// Other events are not affected, and an unknown event still says so.
	other := env.call(t, http.MethodPost, "/api/v1/events", map[string]string{"title": "Other"})
	require.Equal(t, http.StatusCreated, other.Code)
	rec = env.call(t, http.MethodPost, fmt.Sprintf("/api/v1/events/%d/articles", decode[EventView](t, other).ID), map[string]string{"outlet": "A", "text": "Text."})
	assert.Equal(t, http.StatusCreated, rec.Code)
	rec = env.call(t, http.MethodPost, "/api/v1/events/9999/articles", map[string]string{"outlet": "A", "text": "Text."})
	require.Equal(t, http.StatusUnprocessableEntity, rec.Code)
	assert.Equal(t, "event does not exist", decode[ErrorBody](t, rec).Error)
}

// timeoutEngine is the server's middleware in front of test routes.
func timeoutEngine(env *testEnv, routes func(r *gin.Engine)) *gin.Engine {
	r := newEngine()
	r.Use(env.server.middleware()...)
	routes(r)
	return r
}

func TestRequestTimeout(t *testing.T) {
	t.Run("every request has a deadline", func(t *testing.T) {
		env := newEnv(t, Config{}, nil)
		var deadline time.Time
		var ok bool
		r := timeoutEngine(env, func(r *gin.Engine) {
			r.GET("/api/probe", func(c *gin.Context) {
				deadline, ok = c.Request.Context().Deadline()
				c.Status(http.StatusNoContent)
			})
		})
		start := time.Now()
		r.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/api/probe", nil))
		require.True(t, ok, "the handler's context has a deadline")
		assert.WithinDuration(t, start.Add(DefaultRequestTimeout), deadline, 5*time.Second)
	})

	t.Run("a slow handler is cut off with 503", func(t *testing.T) {
		env := newEnv(t, Config{RequestTimeout: 20 * time.Millisecond}, nil)
		r := timeoutEngine(env, func(r *gin.Engine) {
			r.GET("/api/slow", func(c *gin.Context) {
				select {
				case <-c.Request.Context().Done():
					env.server.fail(c, fmt.Errorf("slow query: %w", c.Request.Context().Err()))
				case <-time.After(10 * time.Second):
					c.Status(http.StatusOK)
				}
			})
		})
		rec := httptest.NewRecorder()
		start := time.Now()
		r.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/slow", nil))
		assert.Less(t, time.Since(start), 5*time.Second)
		require.Equal(t, http.StatusServiceUnavailable, rec.Code)
		assert.Equal(t, timeoutMessage, decode[ErrorBody](t, rec).Error)
		assert.Contains(t, env.logs.String(), "request not completed")
	})

	t.Run("store calls are cancelled", func(t *testing.T) {
		env := newEnv(t, Config{}, nil)
		seedStore(t, env.store)
		for _, target := range []string{"/api/v1/events", "/api/v1/events/1", "/api/v1/events/1/comparison"} {
			ctx, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
			req := httptest.NewRequest(http.MethodGet, target, nil).WithContext(ctx)
			rec := httptest.NewRecorder()
			env.handler.ServeHTTP(rec, req)
			cancel()
			require.Equal(t, http.StatusServiceUnavailable, rec.Code, target)
			assert.JSONEq(t, `{"error":"`+timeoutMessage+`"}`, rec.Body.String())
		}
	})

	t.Run("a negative timeout means none", func(t *testing.T) {
		env := newEnv(t, Config{RequestTimeout: -1}, nil)
		var ok bool
		r := timeoutEngine(env, func(r *gin.Engine) {
			r.GET("/api/probe", func(c *gin.Context) { _, ok = c.Request.Context().Deadline() })
		})
		r.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/api/probe", nil))
		assert.False(t, ok)
	})
}

func TestSecurityHeaders(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  Config
	}{{"default", Config{}}, {"with CORS", Config{CORSOrigins: []string{"https://school.example"}}}} {
		t.Run(tc.name, func(t *testing.T) {
			env := newEnv(t, tc.cfg, nil)
			for _, target := range []string{"/healthz", "/api/v1/events", "/api/v1/nothing", "/", "/static/app.js", "/api/openapi.yaml"} {
				rec := env.call(t, http.MethodGet, target, nil)
				h := rec.Header()
				assert.Equal(t, "nosniff", h.Get("X-Content-Type-Options"), target)
				assert.Equal(t, "no-referrer", h.Get("Referrer-Policy"), target)
				assert.Equal(t, "same-origin", h.Get("Cross-Origin-Opener-Policy"), target)
				assert.Equal(t, "camera=(), microphone=(), geolocation=(), payment=(), usb=()", h.Get("Permissions-Policy"), target)
				csp := h.Get("Content-Security-Policy")
				for _, directive := range []string{"default-src 'self'", "script-src 'self';", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'self'"} {
					assert.Contains(t, csp, directive, target)
				}
				assert.NotContains(t, csp, "unsafe-inline", target)
				assert.NotContains(t, csp, "unsafe-eval", target)
			}
			// Refusals carry them too.
			rec := env.call(t, http.MethodPost, "/api/v1/analyze", "{")
			assert.Equal(t, "same-origin", rec.Header().Get("Cross-Origin-Opener-Policy"))
		})
	}
}
