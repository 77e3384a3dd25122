package api

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
)

// contentSecurityPolicy allows the page to load only its own scripts,
// styles and images (plus data: images for inline SVG icons), never to be
// framed, and never to post forms elsewhere. Article text is shown on the
// page, so the policy is the second line of defence should any of it ever
// reach the DOM as markup.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; " +
	"img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

// permissionsPolicy switches off the powerful browser features the page
// never uses, so that nothing injected could use them either. Only
// features every current browser knows are listed: an unknown one makes
// Chromium log an error on every page.
const permissionsPolicy = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

// securityHeaders sets the headers every response carries, errors included.
// API answers are also marked no-store: they change with every write and
// some hold pasted article text, which has no business in a shared cache.
// Cross-Origin-Opener-Policy keeps a page that opens Slant in a window (or
// that Slant opens, such as an article's original) from scripting it.
func securityHeaders(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", contentSecurityPolicy)
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Permissions-Policy", permissionsPolicy)
	if isAPIPath(c.Request.URL.Path) || c.Request.URL.Path == "/healthz" {
		h.Set("Cache-Control", "no-store")
	}
	c.Next()
}

// requestTimeout gives every request's context a deadline, so that the
// store's queries are cancelled when a request runs too long instead of
// holding a connection and a goroutine indefinitely. A handler whose store
// call fails with context.DeadlineExceeded answers 503 (see classify).
func (s *Server) requestTimeout(c *gin.Context) {
	if s.timeout <= 0 {
		return
	}
	ctx, cancel := context.WithTimeout(c.Request.Context(), s.timeout)
	defer cancel()
	c.Request = c.Request.WithContext(ctx)
	c.Next()
}

// logRequests writes one line per request: method, path, status and
// duration. It never logs bodies, query strings or headers, which may hold
// pasted articles or credentials.
func (s *Server) logRequests(c *gin.Context) {
	start := time.Now()
	c.Next()
	level := levelFor(c.Writer.Status())
	if c.GetBool(clientCausedKey) {
		level = min(level, slog.LevelWarn)
	}
	s.log.LogAttrs(c.Request.Context(), level, "request",
		slog.String("method", c.Request.Method),
		slog.String("path", c.Request.URL.Path),
		slog.Int("status", c.Writer.Status()),
		slog.Duration("duration", time.Since(start)),
	)
}

// recoverPanics turns a panic in a handler into a JSON 500, with the panic
// and its stack logged, so that one bad request neither kills the process
// nor shows its internals to the client. http.ErrAbortHandler is passed on:
// it is net/http's way to abort a response on purpose.
func (s *Server) recoverPanics(c *gin.Context) {
	defer func() {
		v := recover()
		if v == nil {
			return
		}
		if err, ok := v.(error); ok && errors.Is(err, http.ErrAbortHandler) {
			panic(v)
		}
		s.log.ErrorContext(c.Request.Context(), "panic serving request",
			"method", c.Request.Method,
			"path", c.Request.URL.Path,
			"panic", v,
			"stack", string(debug.Stack()),
		)
		if c.Writer.Written() {
			c.Abort()
			return
		}
		c.AbortWithStatusJSON(http.StatusInternalServerError, ErrorBody{Error: internalErrorMessage})
	}()
	c.Next()
}

// levelFor logs server failures as errors and everything else as info, so
// that a 5xx stands out in the log without a second line.
func levelFor(status int) slog.Level {
	if status >= http.StatusInternalServerError {
		return slog.LevelError
	}
	return slog.LevelInfo
}

// isAPIPath reports whether a path belongs to the JSON API, whose errors
// are JSON too.
func isAPIPath(path string) bool {
	return path == "/api" || strings.HasPrefix(path, "/api/")
}
