package api

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// jsonRoutes are the routes whose body is one JSON object (decodeJSON).
var jsonRoutes = []string{
	"POST /api/v1/events",
	"PUT /api/v1/events/:id",
	"POST /api/v1/events/:id/articles",
	"POST /api/v1/analyze",
	"POST /api/v1/wordlist",
	"PUT /api/v1/wordlist/:id",
	"POST /api/v1/events/:id/exercises",
	"POST /api/v1/exercises/:code/submissions",
}

// TestJSONBodiesThatCannotBeRead sends every JSON route a body that is not
// UTF-8 and one nested too deeply: each is a 400 that says which, with
// the byte offset into the bytes sent (encoding/json alone turned a bad
// byte into U+FFFD and stored it, and called deep nesting "not valid
// JSON"); nothing is stored.
func TestJSONBodiesThatCannotBeRead(t *testing.T) {
	env := newEnv(t, Config{MaxBodyBytes: 1 << 20}, nil)
	w := seedWalk(t, env)
	before := w.snapshot(t, env)

	routed := map[string]bool{}
	for _, r := range env.server.Handler().(*gin.Engine).Routes() {
		routed[r.Method+" "+r.Path] = true
	}
	deep := `{"title":` + strings.Repeat("[", 10010) + strings.Repeat("]", 10010) + `}`
	tests := []struct {
		name, body, message string
	}{
		{"a Latin-1 byte", "{\"title\":\"Caf\xe9\",\"text\":\"x\"}", "request body is not valid UTF-8 (byte 0xE9 at byte 14): send JSON in UTF-8"},
		{"a cut sequence at the end", "{\"title\":\"x\"}\xe2\x82", "request body is not valid UTF-8 (byte 0xE2 at byte 14): send JSON in UTF-8"},
		{"a bad byte before bad JSON", "{\"title\" \xff", "request body is not valid UTF-8 (byte 0xFF at byte 10): send JSON in UTF-8"},
		{"nested too deeply", deep, "request body is nested too deeply: more than 10000 levels of objects and lists (at byte 10009)"},
	}
	for _, route := range jsonRoutes {
		require.True(t, routed[route], "%s is a route", route)
		method, pattern, _ := strings.Cut(route, " ")
		for _, tt := range tests {
			t.Run(route+"/"+tt.name, func(t *testing.T) {
				req := newRequest(t, method, w.path(pattern), tt.body)
				req.Header.Set("Content-Type", "application/json")
				rec := httptest.NewRecorder()
				env.handler.ServeHTTP(rec, req)
				require.Equal(t, http.StatusBadRequest, rec.Code, rec.Body.String())
				assert.Equal(t, tt.message, decode[ErrorBody](t, rec).Error)
			})
		}
	}
	assert.Equal(t, before, w.snapshot(t, env), "nothing stored")

	// Good UTF-8, U+FFFD itself included, is read as before.
	rec := env.call(t, http.MethodPost, "/api/v1/analyze", map[string]string{"text": "Caf\u00e9 owners \ufffd slammed the plan."})
	assert.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
}
