package api

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
)

// What a cross-origin caller may do once its origin is allowed. The API
// uses no cookies, so credentials are never allowed: the admin token
// travels in the Authorization header, which a page on an allowed origin
// sets itself.
const (
	corsAllowMethods  = "GET, POST, PUT, PATCH, DELETE"
	corsAllowHeaders  = "Authorization, Content-Type"
	corsExposeHeaders = "Location, Retry-After, WWW-Authenticate"
	corsMaxAge        = "600"
)

// corsForbiddenMessage answers a preflight from an origin not on the list.
const corsForbiddenMessage = "cross-origin requests from this origin are not allowed"

// cors answers browsers' cross-origin checks for the API and /healthz. It
// does nothing when no origins are configured: browsers then keep other
// sites' pages from reading the API, as they do by default. With origins
// configured, an allowed Origin is echoed exactly (never "*") and a
// preflight from it is answered 204 with the allowed methods and headers;
// a preflight from any other origin is 403, and other requests from it
// carry no CORS headers, so the browser withholds the answer.
func (s *Server) cors(c *gin.Context) {
	if len(s.corsOrigins) == 0 {
		return
	}
	path := c.Request.URL.Path
	if !isAPIPath(path) && path != "/healthz" {
		return
	}
	h := c.Writer.Header()
	h.Add("Vary", "Origin")
	origin := c.GetHeader("Origin")
	allowed := origin != "" && s.corsOrigins[origin]
	preflight := c.Request.Method == http.MethodOptions && c.GetHeader("Access-Control-Request-Method") != ""
	if preflight {
		h.Add("Vary", "Access-Control-Request-Method")
		h.Add("Vary", "Access-Control-Request-Headers")
		if !allowed {
			c.AbortWithStatusJSON(http.StatusForbidden, ErrorBody{Error: corsForbiddenMessage})
			return
		}
		h.Set("Access-Control-Allow-Origin", origin)
		h.Set("Access-Control-Allow-Methods", corsAllowMethods)
		h.Set("Access-Control-Allow-Headers", corsAllowHeaders)
		h.Set("Access-Control-Max-Age", corsMaxAge)
		c.AbortWithStatus(http.StatusNoContent)
		return
	}
	if allowed {
		h.Set("Access-Control-Allow-Origin", origin)
		h.Set("Access-Control-Expose-Headers", corsExposeHeaders)
	}
}

// originSet turns the configured origins into a set for exact matching.
// Origins are compared as browsers send them: scheme://host[:port] in
// lower case, without a trailing slash; config.go checks that form.
func originSet(origins []string) map[string]bool {
	if len(origins) == 0 {
		return nil
	}
	set := make(map[string]bool, len(origins))
	for _, o := range origins {
		o = strings.ToLower(strings.TrimRight(strings.TrimSpace(o), "/"))
		if o != "" && o != "*" {
			set[o] = true
		}
	}
	return set
}
