// Package api is Slant's HTTP interface: the JSON API under /api/v1, the
// OpenAPI description of it, a health check, and the embedded web page. It
// is the only package that knows gin; handlers speak to the store and the
// analyzer and turn their errors into statuses through one table
// (errors.go).
package api

import (
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

	"slant/analysis"
	"slant/models"
)

// DefaultMaxBodyBytes is the request body limit used when Config leaves it
// at zero. Two MiB holds any news article many times over while keeping a
// single request from filling memory.
const DefaultMaxBodyBytes int64 = 2 << 20

// Config tunes a Server. The zero value is usable.
type Config struct {
	// MaxBodyBytes caps the size of a request body; larger bodies get 413.
	// Zero means DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// Logger receives one line per request and the detail of every
	// internal error. Nil means slog.Default().
	Logger *slog.Logger
	// Version is Slant's own version, reported by /healthz.
	Version string
}

// Server answers Slant's HTTP requests. Build it with New; it holds no
// state of its own beyond its collaborators, so it is safe for concurrent
// use.
type Server struct {
	store    *models.Store
	analyzer *analysis.Analyzer
	assets   fs.FS
	maxBody  int64
	log      *slog.Logger
	version  string
	handler  http.Handler
}

// New wires a Server from its collaborators. assets is the frontend's file
// system with index.html, app.js, style.css and so on at its root; when it
// is nil the UI routes answer 404, which is what API-only tests want.
func New(store *models.Store, analyzer *analysis.Analyzer, assets fs.FS, cfg Config) *Server {
	s := &Server{
		store:    store,
		analyzer: analyzer,
		assets:   assets,
		maxBody:  cfg.MaxBodyBytes,
		log:      cfg.Logger,
		version:  cfg.Version,
	}
	if s.maxBody <= 0 {
		s.maxBody = DefaultMaxBodyBytes
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	s.handler = s.routes()
	return s
}

// Handler returns the http.Handler that serves every route.
func (s *Server) Handler() http.Handler { return s.handler }

// newEngine returns a bare gin engine set up the way Slant wants it: release
// mode (gin's debug mode prints every route to stdout), no default logger or
// recovery (ours log through slog and answer in JSON), no trusted proxies
// (so nothing believes X-Forwarded-For), and no trailing-slash redirects (an
// API path either exists or is 404; gin's redirect also reflected a request
// header into Location in the past).
func newEngine() *gin.Engine {
	// SetMode is process-wide in gin but stored atomically, and every
	// Server wants the same value, so calling it per Server is harmless.
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.RedirectTrailingSlash = false
	r.RedirectFixedPath = false
	r.HandleMethodNotAllowed = true
	if err := r.SetTrustedProxies(nil); err != nil {
		// nil is always a valid list; an error here is a gin bug.
		panic(fmt.Errorf("api: disable trusted proxies: %w", err))
	}
	return r
}
