package api

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"
)

// routes lists every route the server answers, in one place, so that the
// whole surface can be read (and checked against openapi.yaml) at a glance.
//
// The UI is served by two explicit routes rather than r.Static("/"), which
// panics next to /api because gin cannot mix a catch-all at the root with
// other paths.
//
// Every routed request passes guardAccess (read-only mode, the rates, who
// may use the route); see access.go. A route is the teacher's alone unless
// routeAccess opens it to students or to public reading. A POST that stores
// nothing belongs in readLikeRoutes and gets a rate limit of its own.
func (s *Server) routes() http.Handler {
	r := newEngine()
	if len(s.trustedProxies) > 0 {
		if err := r.SetTrustedProxies(s.trustedProxies); err != nil {
			// The list is made of netip.Prefix values, which gin always
			// accepts; an error here is a bug.
			panic(fmt.Errorf("api: set trusted proxies: %w", err))
		}
	}
	r.Use(s.middleware()...)
	r.Use(s.guardAccess)

	// HEAD too where load balancers, uptime checkers and caches ask.
	r.GET("/healthz", s.health)
	r.HEAD("/healthz", s.health)
	r.GET("/api/openapi.yaml", s.openAPI)
	r.HEAD("/api/openapi.yaml", s.openAPI)

	v1 := r.Group("/api/v1", s.limitReads)
	// Every read under /api/v1 answers HEAD as well as GET (the headers
	// without the body), as the README promises and HTTP expects.
	get := func(path string, handlers ...gin.HandlerFunc) {
		v1.GET(path, handlers...)
		v1.HEAD(path, handlers...)
	}
	get("/events", s.listEvents)
	v1.POST("/events", s.createEvent)
	get("/events/:id", s.getEvent)
	v1.PUT("/events/:id", s.updateEvent)
	v1.DELETE("/events/:id", s.deleteEvent)
	get("/events/:id/articles", s.listArticles)
	v1.POST("/events/:id/articles", s.addArticle) // a url alone also counts against the fetch rate
	v1.DELETE("/events/:id/articles/:articleId", s.deleteArticle)
	get("/events/:id/comparison", s.comparison)
	get("/events/:id/export", s.exportEvent)
	get("/export", s.exportAll)
	v1.POST("/import", s.importArticles)
	v1.POST("/analyze", s.limitAnalysis, s.analyze)
	get("/lexicon", s.lexicon)
	get("/wordlist", s.listWordList)
	v1.POST("/wordlist", s.createWordListEntry)
	v1.PUT("/wordlist/:id", s.updateWordListEntry)
	v1.DELETE("/wordlist/:id", s.deleteWordListEntry)
	get("/events/:id/exercises", s.listExercises)
	v1.POST("/events/:id/exercises", s.createExercise)
	get("/exercises/:code", s.limitCodeLookups, s.studentExercise)
	v1.DELETE("/exercises/:code", s.deleteExercise)
	v1.POST("/exercises/:code/submissions", s.submit)
	get("/exercises/:code/results", s.exerciseResults)
	v1.POST("/exercises/:code/reveal", s.revealExercise)
	v1.POST("/exercises/:code/end", s.endExercise)
	// The optional LLM layer (llm.go): the POSTs queue jobs, so they are writes.
	v1.POST("/articles/:id/llm", s.requestArticleLLM)
	v1.POST("/events/:id/llm", s.requestEventLLM)
	get("/events/:id/llm", s.eventLLM)
	get("/jobs/:id", s.getJob)

	r.GET("/", s.index)
	r.HEAD("/", s.index)
	r.GET("/static/*filepath", s.static)
	r.HEAD("/static/*filepath", s.static)

	r.NoRoute(s.notFound)
	r.NoMethod(s.methodNotAllowed)
	return r
}

// readLikeRoutes are the POST routes that store nothing. They are reads as
// far as access goes (open to all, even in read-only mode) and are rate
// limited by their own middleware instead of the write rate.
var readLikeRoutes = map[string]bool{
	"POST /api/v1/analyze": true,
}

// middleware is the chain every request passes through, outermost first:
// the request log wraps panic recovery so that a recovered panic is logged
// with its 500, the security headers are set before any handler writes,
// CORS preflights are answered before any route (or the 404 and 405
// handlers) sees them, and the request's deadline covers everything after.
func (s *Server) middleware() []gin.HandlerFunc {
	return []gin.HandlerFunc{s.logRequests, s.recoverPanics, securityHeaders, s.cors, s.requestTimeout}
}

// notFound answers paths no route matches: JSON under /api, where clients
// parse every answer, and plain text elsewhere, where a person reads it.
func (s *Server) notFound(c *gin.Context) {
	if isAPIPath(c.Request.URL.Path) {
		c.JSON(http.StatusNotFound, ErrorBody{Error: "not found"})
		return
	}
	c.String(http.StatusNotFound, "404 page not found\n")
}

// methodNotAllowed answers a known path with the wrong method. gin has
// already set the Allow header.
func (s *Server) methodNotAllowed(c *gin.Context) {
	if isAPIPath(c.Request.URL.Path) || c.Request.URL.Path == "/healthz" {
		c.JSON(http.StatusMethodNotAllowed, ErrorBody{Error: "method not allowed"})
		return
	}
	c.String(http.StatusMethodNotAllowed, "405 method not allowed\n")
}
