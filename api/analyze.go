package api

import (
	"context"
	_ "embed"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"slant/analysis"
	"slant/desk"
)

// openAPISpec is the hand-written description of this API, served at
// /api/openapi.yaml and checked against real responses in the tests.
//
//go:embed openapi.yaml
var openAPISpec []byte

// OpenAPISpec returns a copy of the embedded OpenAPI document, for tools
// and end-to-end tests outside this package.
func OpenAPISpec() []byte { return append([]byte(nil), openAPISpec...) }

// healthTimeout bounds the database ping of a health check, so that a hung
// database gives a prompt 503 instead of a hung probe.
const healthTimeout = 2 * time.Second

// HealthView is the answer to GET /healthz.
type HealthView struct {
	// Status is "ok", or "unavailable" when the database does not answer.
	Status         string `json:"status"`
	Database       string `json:"database"`
	LexiconVersion string `json:"lexicon_version"`
	Version        string `json:"version"`
	// ReadOnly is true when every write is refused.
	ReadOnly bool `json:"read_only"`
	// Auth says who the teacher is: "token", the holder of the admin
	// token, or "local", the machine Slant runs on. The token itself is
	// never reported.
	Auth string `json:"auth"`
	// PublicRead is true when everyone may read events, comparisons,
	// exports and the lexicon and use the analysis (see access.go).
	PublicRead bool `json:"public_read"`
	// LLM says what the optional language model is: "model X at host",
	// or "word lists only" when none is configured. Never the API key.
	LLM string `json:"llm"`
}

// LexiconView is the answer to GET /api/v1/lexicon: the lexicon in force
// in full (the built-in entries and the class word list's, whose source is
// "custom"), so that the page can explain every flag.
type LexiconView struct {
	Version    string              `json:"version"`
	EntryCount int                 `json:"entry_count"`
	Categories []analysis.Category `json:"categories"`
}

// analyzeInput is the body of POST /api/v1/analyze. Clean, false when
// absent, removes page furniture first, as adding an article does.
type analyzeInput struct {
	Text  string `json:"text"`
	Title string `json:"title"`
	Clean bool   `json:"clean"`
}

// AnalyzeView is the answer to POST /api/v1/analyze: the report, with
// what was done to the text (ingest.cleaned says whether page furniture
// was removed) and, when it was cleaned, the title and text analyzed,
// into which the report's offsets count.
type AnalyzeView struct {
	analysis.Report
	Ingest        *IngestView `json:"ingest"`
	AnalyzedTitle string      `json:"analyzed_title,omitempty"`
	AnalyzedText  string      `json:"analyzed_text,omitempty"`
}

// health answers GET /healthz: 200 when the database answers a ping, 503
// when it does not (the cause is logged, not sent).
func (s *Server) health(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), healthTimeout)
	defer cancel()
	out := HealthView{
		Status:         "ok",
		Database:       s.store.Driver(),
		LexiconVersion: s.desk.Version(),
		Version:        s.version,
		ReadOnly:       s.readOnly,
		Auth:           s.authMode(),
		PublicRead:     s.publicRead,
		LLM:            s.llm.describe(),
	}
	if err := s.store.Ping(ctx); err != nil {
		s.log.ErrorContext(ctx, "health check failed", "error", err.Error())
		out.Status = "unavailable"
		c.JSON(http.StatusServiceUnavailable, out)
		return
	}
	c.JSON(http.StatusOK, out)
}

// openAPI answers GET /api/openapi.yaml.
func (s *Server) openAPI(c *gin.Context) {
	c.Data(http.StatusOK, "application/yaml", openAPISpec)
}

// NewAnalyzeView is the answer to an analysis of a draft, the same for
// POST /api/v1/analyze and `slant analyze --json`.
func NewAnalyzeView(out desk.Analyzed) AnalyzeView {
	view := AnalyzeView{Report: out.Report, Ingest: ingestView(out.Intake)}
	if out.Intake.Cleaned {
		view.AnalyzedTitle, view.AnalyzedText = out.Title, out.Text
	}
	return view
}

// analyze answers POST /api/v1/analyze with the report of a text that is
// not stored: the quick "paste and see" path.
func (s *Server) analyze(c *gin.Context) {
	var in analyzeInput
	if err := s.decodeJSON(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	out, err := s.desk.AnalyzeText(c.Request.Context(), desk.Draft{Title: in.Title, Text: in.Text, Clean: in.Clean})
	if err != nil {
		s.fail(c, err)
		return
	}
	s.stream(c, NewAnalyzeView(out))
}

// lexicon answers GET /api/v1/lexicon.
func (s *Server) lexicon(c *gin.Context) {
	// The lexicon's own version: the analysis version (Analyzer.Version)
	// also names the sentence model, which is not part of the lexicon.
	lex := s.desk.Analyzer().Lexicon()
	c.JSON(http.StatusOK, LexiconView{
		Version:    lex.Version(),
		EntryCount: lex.EntryCount(),
		Categories: lex.Categories(),
	})
}
