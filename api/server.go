// Package api is Slant's HTTP interface: the JSON API under /api/v1, the
// OpenAPI description of it, a health check, and the embedded web page. It
// is the only package that knows gin. A handler decodes the request, calls
// the desk (package desk: the lexicon in force, articles in, reports,
// comparisons, imports, exports) or, for the plain reads and writes that
// need no recipe, the store, and encodes the answer; errors become
// statuses through one table (errors.go).
package api

import (
	"crypto/sha256"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"net/netip"
	"time"

	"github.com/gin-gonic/gin"

	"slant/desk"
	"slant/models"
)

// Defaults used when Config leaves an HTTP limit at zero. (The limits on
// an article, the same whichever way it comes in, are the desk's:
// desk.Limits.)
const (
	// DefaultMaxBodyBytes: two MiB holds any news article many times over
	// while keeping a single request from filling memory.
	DefaultMaxBodyBytes int64 = 2 << 20
	// DefaultRequestTimeout bounds each request's context.
	DefaultRequestTimeout = 30 * time.Second
	// DefaultMaxImportBytes: 16 MiB of JSON Lines is some five thousand
	// news articles, which an import analyzes well within the request
	// deadline; larger collections go through `slant import`.
	DefaultMaxImportBytes int64 = 16 << 20
	// DefaultMaxStudents: a year group in one exercise, with room to
	// spare, while a flood of made-up students cannot drown the class's
	// results.
	DefaultMaxStudents = 200
	// DefaultExerciseTTL: a lesson and its follow-up a week later; a code
	// written on a board does not work for ever.
	DefaultExerciseTTL = 14 * 24 * time.Hour
	// DefaultStudentsPerAddress: a shared device or two at one desk, while
	// one pupil cannot fill the class with made-up students. Behind NAT,
	// where a whole school shares one address, the teacher raises it.
	DefaultStudentsPerAddress = 5
)

// Config tunes a Server. The zero value is usable: limits take their
// defaults, the teacher is the machine Slant runs on, and nothing is rate
// limited.
type Config struct {
	// MaxBodyBytes caps the size of a request body; larger bodies get 413.
	// Zero means DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// AdminToken, when set, is the bearer token that makes its holder the
	// teacher, from any machine (see access.go); without it the teacher is
	// the machine Slant runs on. The Server keeps only its SHA-256 digest
	// and never logs or reports it.
	AdminToken string
	// ReadOnly refuses every write with 403, whatever the token.
	ReadOnly bool
	// PublicRead opens the reads of events, comparisons, exports, the
	// lexicon and POST /api/v1/analyze to everyone, not only the teacher
	// (see access.go). Writes stay the teacher's.
	PublicRead bool
	// MaxStudents caps the students of one exercise; one more is refused.
	// Zero means DefaultMaxStudents; a negative value means no limit.
	MaxStudents int
	// ExerciseTTL is how long an exercise's class code works after its
	// start. Zero means DefaultExerciseTTL; a negative value means until
	// the teacher ends it.
	ExerciseTTL time.Duration
	// StudentsPerAddress caps the new students one client address (as
	// the rate limits count it: gin's ClientIP, IPv6 by its IPv6Prefix
	// network) may bring into one exercise; one more is refused. The
	// teacher is not counted. Zero means DefaultStudentsPerAddress; a
	// negative value means no limit.
	StudentsPerAddress int
	// WriteRate, AnalyzeRate, FetchRate and ReadRate limit each client's
	// writes, analyze requests, URL fetches and reads (GET and HEAD under
	// /api/v1), counted apart. The zero Rate means no limit; serve passes
	// DefaultWriteRate and the others unless configured otherwise.
	WriteRate, AnalyzeRate, FetchRate, ReadRate Rate
	// IPv6Prefix is how many leading bits of an IPv6 address count as one
	// client for the rates (32 to 128). Zero means DefaultIPv6Prefix.
	IPv6Prefix int
	// TrustedProxies lists the proxies (load balancers) whose
	// X-Forwarded-For and X-Real-IP headers are believed when working out
	// a client's address for the rate limits. Empty means none: the client
	// is the address the connection comes from, and those headers are
	// ignored.
	TrustedProxies []netip.Prefix
	// CORSOrigins lists the origins (scheme://host[:port], exactly as
	// browsers send them) whose pages may call the API. Empty means CORS
	// stays off.
	CORSOrigins []string
	// RequestTimeout is the deadline of each request's context. Zero means
	// DefaultRequestTimeout; a negative value means none.
	RequestTimeout time.Duration
	// Logger receives one line per request and the detail of every
	// internal error. Nil means slog.Default().
	Logger *slog.Logger
	// Version is Slant's own version, reported by /healthz and written
	// into every export.
	Version string
	// MaxImportBytes caps the body of POST /api/v1/import; larger gets
	// 413. Zero means DefaultMaxImportBytes.
	MaxImportBytes int64
	// LLM wires the optional language model (see llm.go). The zero value
	// means none is configured: word lists only.
	LLM LLMConfig
}

// Server answers Slant's HTTP requests. Build it with New. Its state of
// its own is the per-client rate-limit tables, which lock; the lexicon in
// force and the caches are the desk's. It is safe for concurrent use.
type Server struct {
	desk          *desk.Desk
	store         *models.Store // the desk's, for reads and writes that need no recipe
	assets        fs.FS
	maxBody       int64
	adminToken    *tokenDigest // nil: the teacher is the machine Slant runs on
	readOnly      bool
	publicRead    bool
	exerciseRules models.ExerciseRules
	// clientPrefix is how many bits of an IPv6 address name one client.
	clientPrefix   int
	writeLimits    *clientLimiters // nil: no limit
	analyzeLimits  *clientLimiters
	fetchLimits    *clientLimiters
	readLimits     *clientLimiters
	trustedProxies []string
	corsOrigins    map[string]bool
	timeout        time.Duration
	log            *slog.Logger
	version        string
	maxImport      int64
	llm            LLMConfig
	handler        http.Handler
}

// New wires a Server over a desk. assets is the frontend's file system
// with index.html, app.js, style.css and so on at its root; when it is nil
// the UI routes answer 404, which is what API-only tests want.
func New(d *desk.Desk, assets fs.FS, cfg Config) *Server {
	s := &Server{
		desk:          d,
		store:         d.Store(),
		assets:        assets,
		maxBody:       cfg.MaxBodyBytes,
		readOnly:      cfg.ReadOnly,
		publicRead:    cfg.PublicRead,
		writeLimits:   newClientLimiters(cfg.WriteRate, maxClients, nil),
		analyzeLimits: newClientLimiters(cfg.AnalyzeRate, maxClients, nil),
		fetchLimits:   newClientLimiters(cfg.FetchRate, maxClients, nil),
		readLimits:    newClientLimiters(cfg.ReadRate, maxClients, nil),
		corsOrigins:   originSet(cfg.CORSOrigins),
		timeout:       cfg.RequestTimeout,
		log:           cfg.Logger,
		version:       cfg.Version,
		maxImport:     cfg.MaxImportBytes,
		llm:           cfg.LLM,
	}
	for _, l := range []*clientLimiters{s.writeLimits, s.analyzeLimits, s.fetchLimits, s.readLimits} {
		if l != nil {
			l.ipv6Prefix = cfg.IPv6Prefix
		}
	}
	if s.maxImport <= 0 {
		s.maxImport = DefaultMaxImportBytes
	}
	if s.maxBody <= 0 {
		s.maxBody = DefaultMaxBodyBytes
	}
	if s.timeout == 0 {
		s.timeout = DefaultRequestTimeout
	}
	s.exerciseRules = models.ExerciseRules{MaxStudents: cfg.MaxStudents, TTL: cfg.ExerciseTTL, StudentsPerClient: cfg.StudentsPerAddress}
	if cfg.StudentsPerAddress == 0 {
		s.exerciseRules.StudentsPerClient = DefaultStudentsPerAddress
	}
	s.exerciseRules.StudentsPerClient = max(s.exerciseRules.StudentsPerClient, 0)
	s.clientPrefix = cfg.IPv6Prefix
	if s.clientPrefix == 0 {
		s.clientPrefix = DefaultIPv6Prefix
	}
	if cfg.MaxStudents == 0 {
		s.exerciseRules.MaxStudents = DefaultMaxStudents
	}
	if cfg.ExerciseTTL == 0 {
		s.exerciseRules.TTL = DefaultExerciseTTL
	}
	// Negative values mean no limit, which ExerciseRules spells 0.
	s.exerciseRules.MaxStudents = max(s.exerciseRules.MaxStudents, 0)
	s.exerciseRules.TTL = max(s.exerciseRules.TTL, 0)
	if cfg.AdminToken != "" {
		digest := tokenDigest(sha256.Sum256([]byte(cfg.AdminToken)))
		s.adminToken = &digest
	}
	for _, p := range cfg.TrustedProxies {
		s.trustedProxies = append(s.trustedProxies, p.Masked().String())
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
// (so nothing believes X-Forwarded-For; routes adds the configured ones),
// and no trailing-slash redirects (an API path either exists or is 404;
// gin's redirect also reflected a request header into Location in the
// past).
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
