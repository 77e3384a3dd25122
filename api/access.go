package api

import (
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
)

// Who may change what is stored:
//
//   - Reads (GET, and the POST routes in readLikeRoutes, which store
//     nothing) are open to everyone.
//   - Writes (every other POST, PUT, PATCH and DELETE under /api/v1) are
//     open when no admin token is configured, and otherwise need
//     "Authorization: Bearer <token>": 401 without it, 403 with a wrong
//     one.
//   - In read-only mode every write is 403, whatever the token.
//
// Writes are recognised by method rather than listed route by route, so
// that a write route added later is guarded without anyone remembering to.
//
// The classroom routes add two exceptions, each listed by route below:
//
//   - tokenFreeWriteRoutes are writes made by students, for whom the class
//     code in the path is the capability: they need no token, but they
//     are still writes, so they are refused in read-only mode. They count
//     against the analysis rate rather than the write rate, because a whole
//     class submits at once from one school address; that rate (burst 40
//     by default) still makes guessing one of a billion codes hopeless.
//   - teacherReadRoutes are reads that show a teacher's view of a class
//     (the codes of an event's exercises, their results): with a token
//     configured they need it like a write does. They stay open in
//     read-only mode. A missing or wrong token counts against the write
//     rate, so that the token cannot be guessed through them faster than
//     through a write.

// readOnlyMessage is the answer to every write in read-only mode.
const readOnlyMessage = "this Slant is read-only"

// Messages of the other refusals.
const (
	tokenMissingMessage = "this Slant needs its admin token to change anything: send Authorization: Bearer <token>"
	tokenWrongMessage   = "the admin token is not right"
)

// authScheme is the WWW-Authenticate challenge of a 401.
const authScheme = `Bearer realm="slant"`

// isWrite reports whether a request would change what is stored. It must
// be called after routing (in route or group middleware), when
// c.FullPath() names the matched route.
func isWrite(c *gin.Context) bool {
	return isWriteRoute(c.Request.Method, c.FullPath())
}

// isWriteRoute reports whether a request with this method to the route
// with this pattern (gin's full path, such as /api/v1/events/:id) is a
// write.
func isWriteRoute(method, fullPath string) bool {
	switch method {
	case http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
		return !readLikeRoutes[method+" "+fullPath]
	}
	return false
}

// tokenFreeWriteRoutes are the writes anyone may make without the admin
// token (see the top of this file).
var tokenFreeWriteRoutes = map[string]bool{
	"POST /api/v1/exercises/:code/submissions": true,
}

// teacherReadRoutes are the reads that need the admin token when one is
// configured (see the top of this file).
var teacherReadRoutes = map[string]bool{
	"GET /api/v1/events/:id/exercises":    true,
	"GET /api/v1/exercises/:code/results": true,
}

// tokenDigest is the SHA-256 of a token. Tokens are compared by digest so
// that the comparison takes the same time whatever the lengths.
type tokenDigest [sha256.Size]byte

// guardWrites lets reads through and checks every write: refused in
// read-only mode, counted against the client's write rate (before the
// token check, so that guessing tokens is rate limited too), then checked
// for the admin token when one is configured. Teacher reads need the
// token too, and student writes do not (see the top of this file).
func (s *Server) guardWrites(c *gin.Context) {
	route := c.Request.Method + " " + c.FullPath()
	if !isWrite(c) {
		if teacherReadRoutes[route] && s.adminToken != nil && !s.tokenGiven(c) {
			if limited(c, s.writeLimits) {
				return
			}
			s.refuseToken(c)
		}
		return
	}
	if s.readOnly {
		c.AbortWithStatusJSON(http.StatusForbidden, ErrorBody{Error: readOnlyMessage})
		return
	}
	if tokenFreeWriteRoutes[route] {
		limited(c, s.analyzeLimits)
		return
	}
	if limited(c, s.writeLimits) {
		return
	}
	if s.adminToken == nil {
		return
	}
	if !s.tokenGiven(c) {
		s.refuseToken(c)
	}
}

// tokenGiven reports whether the request carries the admin token. Call it
// only when one is configured.
func (s *Server) tokenGiven(c *gin.Context) bool {
	token, ok := bearerToken(c.GetHeader("Authorization"))
	if !ok {
		return false
	}
	given := tokenDigest(sha256.Sum256([]byte(token)))
	return subtle.ConstantTimeCompare(given[:], s.adminToken[:]) == 1
}

// refuseToken ends a request that lacks the admin token: 401 with a
// challenge when it sent none, 403 when it sent another.
func (s *Server) refuseToken(c *gin.Context) {
	if _, ok := bearerToken(c.GetHeader("Authorization")); !ok {
		c.Header("WWW-Authenticate", authScheme)
		c.AbortWithStatusJSON(http.StatusUnauthorized, ErrorBody{Error: tokenMissingMessage})
		return
	}
	c.AbortWithStatusJSON(http.StatusForbidden, ErrorBody{Error: tokenWrongMessage})
}

// bearerToken reads the token of an "Authorization: Bearer <token>"
// header. The scheme is matched without regard to case (RFC 9110); a
// missing header, another scheme or an empty token is not a token.
func bearerToken(header string) (string, bool) {
	scheme, token, ok := strings.Cut(strings.TrimSpace(header), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}

// authMode is what /healthz says about writes: "token" when they need the
// admin token, "open" when they do not. It never says more about the
// token.
func (s *Server) authMode() string {
	if s.adminToken != nil {
		return "token"
	}
	return "open"
}
