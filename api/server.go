// Package api is Slant's HTTP interface: the JSON API under /api/v1, the
// OpenAPI description of it, a health check, and the embedded web page. It
// is the only package that knows gin; handlers speak to the store and the
// analyzer and turn their errors into statuses through one table
// (errors.go).
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

	"slant/analysis"
	"slant/ingest"
	"slant/models"
)

// Defaults used when Config leaves a limit at zero.
const (
	// DefaultMaxBodyBytes: two MiB holds any news article many times over
	// while keeping a single request from filling memory.
	DefaultMaxBodyBytes int64 = 2 << 20
	// DefaultMaxTextBytes: 200 KiB of text is a very long feature (some
	// 30,000 words); the analysis of one takes a few tens of milliseconds.
	DefaultMaxTextBytes = 200 << 10
	// DefaultMaxArticlesPerEvent: the page shows two to six columns side
	// by side and more as a scrolling row; twelve leaves room for a
	// thorough comparison without letting one event grow without end.
	DefaultMaxArticlesPerEvent = 12
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
)

// Config tunes a Server. The zero value is usable: limits take their
// defaults, the teacher is the machine Slant runs on, and nothing is rate
// limited.
type Config struct {
	// MaxBodyBytes caps the size of a request body; larger bodies get 413.
	// Zero means DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// MaxTextBytes caps the text of one article, and of one analyze
	// request, in bytes of UTF-8; longer text gets 413. Zero means
	// DefaultMaxTextBytes.
	MaxTextBytes int
	// MaxArticlesPerEvent caps how many articles one event holds; adding
	// one more gets 422. Zero means DefaultMaxArticlesPerEvent.
	MaxArticlesPerEvent int
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
	// WriteRate, AnalyzeRate and FetchRate limit each client's writes,
	// analyze requests and URL fetches, counted apart. The zero Rate means
	// no limit; serve passes DefaultWriteRate and the others unless
	// configured otherwise.
	WriteRate, AnalyzeRate, FetchRate Rate
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
	// Fetcher downloads the pages of articles added by URL. Nil means
	// ingest.NewFetcher with its defaults, which refuse loopback, private
	// and other internal addresses.
	Fetcher PageFetcher
	// Extractor reads uploaded and fetched HTML pages. Nil means
	// ingest.NewExtractor().
	Extractor ingest.Extractor
	// MaxImportBytes caps the body of POST /api/v1/import; larger gets
	// 413. Zero means DefaultMaxImportBytes.
	MaxImportBytes int64
	// BaseLexicon is the lexicon the class word list is laid over: the
	// built-in one with any overlay, without the word list. Nil means the
	// analyzer's own lexicon, which is right only when the analyzer was
	// built without the stored word list (serve passes the base it built
	// the analyzer from; see WordListLexicon).
	BaseLexicon *analysis.Lexicon
	// OnLexiconChange, when set, is called with the new analyzer each
	// time a change to the word list has put it in force, on the
	// request's goroutine: it must return quickly. serve starts a
	// background re-analysis of the stale reports with it.
	OnLexiconChange func(*analysis.Analyzer)
	// LLM wires the optional language model (see llm.go). The zero value
	// means none is configured: word lists only.
	LLM LLMConfig
}

// Server answers Slant's HTTP requests. Build it with New. Its state of
// its own is the per-client rate-limit tables, which lock, and the
// analyzer in force, which a change to the word list swaps atomically
// (see lexicons.go); it is safe for concurrent use.
type Server struct {
	store          *models.Store
	lexicons       *lexicons
	assets         fs.FS
	maxBody        int64
	maxText        int
	maxArticles    int
	adminToken     *tokenDigest // nil: the teacher is the machine Slant runs on
	readOnly       bool
	publicRead     bool
	exerciseRules  models.ExerciseRules
	writeLimits    *clientLimiters // nil: no limit
	analyzeLimits  *clientLimiters
	fetchLimits    *clientLimiters
	trustedProxies []string
	corsOrigins    map[string]bool
	timeout        time.Duration
	log            *slog.Logger
	version        string
	fetcher        PageFetcher
	extractor      ingest.Extractor
	maxImport      int64
	llm            LLMConfig
	handler        http.Handler
	comparisons    *comparisonCache // encoded comparisons; see comparison_cache.go
}

// New wires a Server from its collaborators. assets is the frontend's file
// system with index.html, app.js, style.css and so on at its root; when it
// is nil the UI routes answer 404, which is what API-only tests want.
func New(store *models.Store, analyzer *analysis.Analyzer, assets fs.FS, cfg Config) *Server {
	s := &Server{
		store:         store,
		assets:        assets,
		maxBody:       cfg.MaxBodyBytes,
		maxText:       cfg.MaxTextBytes,
		maxArticles:   cfg.MaxArticlesPerEvent,
		readOnly:      cfg.ReadOnly,
		publicRead:    cfg.PublicRead,
		writeLimits:   newClientLimiters(cfg.WriteRate, maxClients, nil),
		analyzeLimits: newClientLimiters(cfg.AnalyzeRate, maxClients, nil),
		fetchLimits:   newClientLimiters(cfg.FetchRate, maxClients, nil),
		corsOrigins:   originSet(cfg.CORSOrigins),
		timeout:       cfg.RequestTimeout,
		log:           cfg.Logger,
		version:       cfg.Version,
		fetcher:       cfg.Fetcher,
		extractor:     cfg.Extractor,
		maxImport:     cfg.MaxImportBytes,
	}
	if s.fetcher == nil {
		s.fetcher = ingest.NewFetcher(ingest.FetcherOptions{})
	}
	if s.extractor == nil {
		s.extractor = ingest.NewExtractor()
	}
	if s.maxImport <= 0 {
		s.maxImport = DefaultMaxImportBytes
	}
	if s.maxBody <= 0 {
		s.maxBody = DefaultMaxBodyBytes
	}
	if s.maxText <= 0 {
		s.maxText = DefaultMaxTextBytes
	}
	if s.maxArticles <= 0 {
		s.maxArticles = DefaultMaxArticlesPerEvent
	}
	if s.timeout == 0 {
		s.timeout = DefaultRequestTimeout
	}
	s.exerciseRules = models.ExerciseRules{MaxStudents: cfg.MaxStudents, TTL: cfg.ExerciseTTL}
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
	s.lexicons = &lexicons{base: cfg.BaseLexicon}
	if s.lexicons.base == nil {
		s.lexicons.base = analyzer.Lexicon()
	}
	s.lexicons.onChange = cfg.OnLexiconChange
	s.llm = cfg.LLM
	s.lexicons.current.Store(s.engineFor(analyzer))
	s.comparisons = &comparisonCache{}
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
