package api

import (
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
	"net/netip"
	"strings"

	"github.com/gin-gonic/gin"
)

// Who may do what. Slant has two kinds of visitor: the teacher, who sees
// and changes everything, and everyone else, who gets the student side of
// class exercises.
//
//   - Without an admin token (SLANT_ADMIN_TOKEN unset) the teacher is the
//     machine Slant runs on: a client whose address is loopback. The
//     address is the connection's, or with trusted proxies the client
//     address the proxy names (gin's ClientIP, as the rate limits use).
//   - With an admin token the teacher is whoever sends it, from anywhere;
//     a loopback client without it is a student like any other, so that a
//     reverse proxy on the same machine cannot make the whole school a
//     teacher.
//   - Everyone gets the student side (routeStudent): the page and its
//     static files, /healthz, an exercise by its class code and the
//     submission of picks. The class code is the capability.
//   - SLANT_PUBLIC_READ opens the reads of a research collection
//     (routePublicRead: events, comparisons, exports, the lexicon, the
//     analysis of a pasted text, the API's description) to everyone. It
//     gives away the answers of any exercise on those events, so it is for
//     collections, not classrooms.
//   - Everything else (routeTeacher: every write, a class's results, the
//     list of an event's exercise codes) is the teacher's alone.
//   - In read-only mode every write is 403, whatever the token; the
//     student's submission is a write too.
//
// A route's access is looked up by its method and pattern in routeAccess;
// a route missing from the table is the teacher's, so that a route added
// later is closed until someone decides to open it (and the tests walk
// the router's route list to make that decision explicit).
//
// Rate limits: writes count against the write rate before the token is
// checked, so that guessing tokens is slow; a refused read counts against
// it too, for the same reason. A submission counts against the analysis
// rate instead, because a whole class submits at once from one school
// address; that rate (burst 40 by default) still makes guessing one of a
// billion codes hopeless.

// routeClass says who may use a route.
type routeClass int

const (
	// routeTeacher is the teacher's alone. The zero value, so that a
	// route missing from routeAccess is closed.
	routeTeacher routeClass = iota
	// routePublicRead is the teacher's, and everyone's when public
	// reading is on.
	routePublicRead
	// routeStudent is everyone's.
	routeStudent
)

func (c routeClass) String() string {
	switch c {
	case routeStudent:
		return "student"
	case routePublicRead:
		return "public read"
	}
	return "teacher"
}

// routeAccess classes every route that is not the teacher's alone, by
// method and gin pattern; a HEAD route has its GET's class (classOf).
var routeAccess = map[string]routeClass{
	"GET /":                       routeStudent,
	"GET /static/*filepath":       routeStudent,
	"GET /healthz":                routeStudent,
	"GET /api/v1/exercises/:code": routeStudent,
	"POST /api/v1/exercises/:code/submissions": routeStudent,

	"GET /api/openapi.yaml":               routePublicRead,
	"GET /api/v1/events":                  routePublicRead,
	"GET /api/v1/events/:id":              routePublicRead,
	"GET /api/v1/events/:id/articles":     routePublicRead,
	"GET /api/v1/events/:id/comparison":   routePublicRead,
	"GET /api/v1/events/:id/export":       routePublicRead,
	"GET /api/v1/export":                  routePublicRead,
	"GET /api/v1/events/:id/llm":          routePublicRead,
	"GET /api/v1/jobs/:id":                routePublicRead,
	"GET /api/v1/lexicon":                 routePublicRead,
	"GET /api/v1/wordlist":                routePublicRead,
	"POST /api/v1/analyze":                routePublicRead,
	"GET /api/v1/events/:id/exercises":    routeTeacher, // the class codes
	"GET /api/v1/exercises/:code/results": routeTeacher, // the class's picks beside Slant's answers
}

// classOf is the access class of the route with this method and pattern.
// HEAD is the GET without its body: whoever may read a route may ask for
// its headers, so a HEAD route has its GET's class.
func classOf(method, fullPath string) routeClass {
	if method == http.MethodHead {
		method = http.MethodGet
	}
	return routeAccess[method+" "+fullPath] // missing: routeTeacher
}

// tokenState is what a request says about the admin token.
type tokenState int

const (
	tokenNone  tokenState = iota // no Bearer token
	tokenRight                   // the configured token
	tokenWrong                   // another token, or one where none is configured
)

// accessPolicy is how a server is set up for access.
type accessPolicy struct {
	tokenSet   bool // SLANT_ADMIN_TOKEN is set
	publicRead bool // SLANT_PUBLIC_READ is on
}

// visitor is what the access decision knows of a request's sender.
type visitor struct {
	loopback bool // the client address is loopback
	token    tokenState
}

// verdict is the outcome of the access decision.
type verdict int

const (
	allow        verdict = iota
	refuseToken          // 401: the teacher's, and no token was sent
	refuseWrong          // 403: the token sent is not the admin token
	refuseRemote         // 401: the teacher's, no token is configured and the client is another machine
)

// isTeacher reports whether a visitor is the teacher under a policy: the
// token holder when a token is set, the machine Slant runs on otherwise.
func (p accessPolicy) isTeacher(v visitor) bool {
	if p.tokenSet {
		return v.token == tokenRight
	}
	return v.loopback
}

// decide is the access decision the server makes for every routed
// request, kept free of HTTP so that it can be tested on its own.
func decide(p accessPolicy, class routeClass, v visitor) verdict {
	switch {
	case class == routeStudent, p.isTeacher(v), class == routePublicRead && p.publicRead:
		return allow
	case !p.tokenSet:
		return refuseRemote
	case v.token == tokenWrong:
		return refuseWrong
	}
	return refuseToken
}

// readOnlyMessage is the answer to every write in read-only mode.
const readOnlyMessage = "this Slant is read-only"

// Messages of the other refusals.
const (
	tokenMissingMessage = "this part of Slant is the teacher's: send the admin token as Authorization: Bearer <token>"
	tokenWrongMessage   = "the admin token is not right"
	remoteMessage       = "this part of Slant is the teacher's and answers only on the computer Slant runs on; " +
		"to teach from other computers, start Slant with SLANT_ADMIN_TOKEN set and sign in with that token"
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

// policy is the server's access policy.
func (s *Server) policy() accessPolicy {
	return accessPolicy{tokenSet: s.adminToken != nil, publicRead: s.publicRead}
}

// guardAccess decides every routed request (see the top of this file):
// read-only mode first, then the rates, then who the visitor is. Requests
// no route matches pass on to the 404 and 405 handlers, which hold
// nothing.
func (s *Server) guardAccess(c *gin.Context) {
	if c.FullPath() == "" {
		return
	}
	class := classOf(c.Request.Method, c.FullPath())
	write := isWrite(c)
	if write && s.readOnly {
		c.AbortWithStatusJSON(http.StatusForbidden, ErrorBody{Error: readOnlyMessage})
		return
	}
	switch {
	case write && class == routeStudent:
		if limited(c, s.analyzeLimits) {
			return
		}
	case write:
		if limited(c, s.writeLimits) {
			return
		}
	}
	v := s.visitorOf(c)
	verdict := decide(s.policy(), class, v)
	if verdict == allow {
		return
	}
	// A refused read counts against the write rate like a write does, so
	// that the token cannot be guessed through reads faster.
	if !write && limited(c, s.writeLimits) {
		return
	}
	switch verdict {
	case refuseWrong:
		c.AbortWithStatusJSON(http.StatusForbidden, ErrorBody{Error: tokenWrongMessage})
	case refuseRemote:
		c.Header("WWW-Authenticate", authScheme)
		c.AbortWithStatusJSON(http.StatusUnauthorized, ErrorBody{Error: remoteMessage})
	default:
		c.Header("WWW-Authenticate", authScheme)
		c.AbortWithStatusJSON(http.StatusUnauthorized, ErrorBody{Error: tokenMissingMessage})
	}
}

// isTeacher reports whether a request comes from the teacher, for the
// handlers whose answer differs for the teacher.
func (s *Server) isTeacher(c *gin.Context) bool {
	return s.policy().isTeacher(s.visitorOf(c))
}

// visitorOf is what the access decision knows of a request's sender: its
// client address (gin's ClientIP) and its token.
func (s *Server) visitorOf(c *gin.Context) visitor {
	return visitor{loopback: isLoopback(c.ClientIP()), token: s.tokenOf(c)}
}

// isLoopback reports whether a client address (as gin's ClientIP gives
// it) is this machine: 127.0.0.0/8, ::1, or an IPv4 loopback address
// mapped into IPv6.
func isLoopback(ip string) bool {
	addr, err := netip.ParseAddr(ip)
	return err == nil && addr.Unmap().IsLoopback()
}

// tokenOf reads what the request says about the admin token. A token sent
// to a Slant without one is wrong: it cannot make anyone the teacher.
func (s *Server) tokenOf(c *gin.Context) tokenState {
	token, ok := bearerToken(c.GetHeader("Authorization"))
	switch {
	case !ok:
		return tokenNone
	case s.adminToken == nil:
		return tokenWrong
	}
	given := tokenDigest(sha256.Sum256([]byte(token)))
	if subtle.ConstantTimeCompare(given[:], s.adminToken[:]) == 1 {
		return tokenRight
	}
	return tokenWrong
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

// authMode is what /healthz says about who the teacher is: "token" when
// it is the holder of the admin token, "local" when it is the machine
// Slant runs on. It never says more about the token.
func (s *Server) authMode() string {
	if s.adminToken != nil {
		return "token"
	}
	return "local"
}

// RouteAccess is one route the server answers and who may use it, for
// tools and end-to-end tests that walk every route.
type RouteAccess struct {
	Method string // GET, POST, ...
	Path   string // gin's pattern, such as /api/v1/events/:id
	// Access is "student" (everyone), "public read" (the teacher, and
	// everyone with SLANT_PUBLIC_READ) or "teacher".
	Access string
}

// Routes lists every route the server answers, with its access class.
func (s *Server) Routes() []RouteAccess {
	engine, ok := s.handler.(*gin.Engine)
	if !ok {
		return nil
	}
	var out []RouteAccess
	for _, r := range engine.Routes() {
		out = append(out, RouteAccess{Method: r.Method, Path: r.Path, Access: classOf(r.Method, r.Path).String()})
	}
	return out
}
