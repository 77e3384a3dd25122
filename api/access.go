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

// tokenDigest is the SHA-256 of a token. Tokens are compared by digest so
// that the comparison takes the same time whatever the lengths.
type tokenDigest [sha256.Size]byte

// guardWrites lets reads through and checks every write: refused in
// read-only mode, counted against the client's write rate (before the
// token check, so that guessing tokens is rate limited too), then checked
// for the admin token when one is configured.
func (s *Server) guardWrites(c *gin.Context) {
	if !isWrite(c) {
		return
	}
	if s.readOnly {
		c.AbortWithStatusJSON(http.StatusForbidden, ErrorBody{Error: readOnlyMessage})
		return
	}
	if limited(c, s.writeLimits) {
		return
	}
	if s.adminToken == nil {
		return
	}
	token, ok := bearerToken(c.GetHeader("Authorization"))
	if !ok {
		c.Header("WWW-Authenticate", authScheme)
		c.AbortWithStatusJSON(http.StatusUnauthorized, ErrorBody{Error: tokenMissingMessage})
		return
	}
	given := tokenDigest(sha256.Sum256([]byte(token)))
	if subtle.ConstantTimeCompare(given[:], s.adminToken[:]) != 1 {
		c.AbortWithStatusJSON(http.StatusForbidden, ErrorBody{Error: tokenWrongMessage})
		return
	}
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
