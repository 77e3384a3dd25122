package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"slant/analysis"
	"slant/api"
	"slant/demo"
	"slant/frontend"
	"slant/ingest"
	"slant/models"
	"slant/reanalysis"
)

// ShutdownGrace is how long requests in flight may take to finish once
// the server is told to stop.
const ShutdownGrace = 10 * time.Second

func serve(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		return UsageError{fmt.Sprintf("serve takes no arguments, got %q", args)}
	}
	cfg, err := LoadConfig(getenv)
	if err != nil {
		return err
	}
	logger := newLogger(stderr, cfg.LogLevel)

	// The lexicon in force is the base with the class word list stored in
	// the database laid over it; the API rebuilds it when the list changes.
	store, base, analyzer, err := openStoreAndAnalyzer(ctx, cfg, getenv, logger)
	if err != nil {
		return err
	}
	defer store.Close()
	// Stale reports are redone in the background: once at start, and again
	// each time a change to the word list changes the lexicon.
	sweeps := newSweeps(ctx, store, cfg.ReanalyzeWorkers, logger)
	defer sweeps.stop()

	if cfg.Demo {
		if err := loadDemo(ctx, store, analyzer, logger); err != nil {
			return err
		}
	}

	if cfg.FetchAllowLoopback {
		logger.Warn("SLANT_FETCH_ALLOW_LOOPBACK is on: URL fetches may reach services on this machine; use it for tests and development only")
	}
	fetcher := ingest.NewFetcher(ingest.FetcherOptions{AllowLoopback: cfg.FetchAllowLoopback})
	llmLayer, stopLLM, err := startLLM(ctx, store, cfg, logger)
	if err != nil {
		return err
	}
	defer stopLLM()
	server := api.New(store, analyzer, frontend.Files(), api.Config{
		MaxBodyBytes:        cfg.MaxBodyBytes,
		MaxTextBytes:        cfg.MaxTextBytes,
		MaxArticlesPerEvent: cfg.MaxArticlesPerEvent,
		AdminToken:          cfg.AdminToken,
		ReadOnly:            cfg.ReadOnly,
		PublicRead:          cfg.PublicRead,
		MaxStudents:         cfg.MaxStudents,
		ExerciseTTL:         cfg.ExerciseTTL,
		WriteRate:           cfg.RateWrite,
		AnalyzeRate:         cfg.RateAnalyze,
		FetchRate:           cfg.RateFetch,
		TrustedProxies:      cfg.TrustedProxies,
		CORSOrigins:         cfg.CORSOrigins,
		RequestTimeout:      cfg.RequestTimeout,
		Logger:              logger,
		Version:             version,
		Fetcher:             fetcher,
		MaxImportBytes:      cfg.MaxImportBytes,
		BaseLexicon:         base,
		OnLexiconChange:     sweeps.start,
		LLM:                 llmLayer,
	})
	logAccess(logger, cfg)
	listener, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on SLANT_ADDR %s: %w", cfg.Addr, err)
	}
	httpServer := &http.Server{
		Handler:           server.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      writeTimeout(cfg.RequestTimeout),
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	fmt.Fprintf(stdout, "slant listening on http://%s (database %s, lexicon %s, %d entries)\n",
		listener.Addr(), store.Driver(), analyzer.Lexicon().Version(), analyzer.Lexicon().EntryCount())

	served := make(chan error, 1)
	go func() { served <- httpServer.Serve(listener) }()
	sweeps.start(analyzer)
	select {
	case err := <-served:
		return fmt.Errorf("serve http: %w", err)
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), ShutdownGrace)
	defer cancel()
	if err := httpServer.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shut down http server: %w", err)
	}
	if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve http: %w", err)
	}
	return nil
}

// sweeps redoes, in the background, the stored analyses made with another
// lexicon version than the one in force (see package reanalysis), with a
// pool of workers; none switches it off. start begins a sweep with an
// analyzer (cancelling the one running, whose lexicon is no longer in
// force); stop cancels it and waits, so that the store can be closed after
// it.
type sweeps struct {
	runner *reanalysis.Runner // nil: off
}

func newSweeps(ctx context.Context, store *models.Store, workers int, logger *slog.Logger) sweeps {
	if workers <= 0 {
		return sweeps{}
	}
	return sweeps{runner: reanalysis.NewRunner(ctx, store, reanalysis.Options{Workers: workers, Logger: logger})}
}

func (s sweeps) start(analyzer *analysis.Analyzer) {
	if s.runner != nil {
		s.runner.Start(analyzer)
	}
}

func (s sweeps) stop() {
	if s.runner != nil {
		s.runner.Stop()
	}
}

// writeTimeout is the http.Server's WriteTimeout: a minute, or longer when
// the request deadline is, so that a handler that gives up at its deadline
// still has time to send its 503 before the connection is cut.
func writeTimeout(requestTimeout time.Duration) time.Duration {
	return max(60*time.Second, requestTimeout+10*time.Second)
}

// logAccess says at start who the teacher is, who may read and write and
// which limits hold, without ever saying the token.
func logAccess(logger *slog.Logger, cfg Config) {
	teacher := "this machine only (loopback clients); set SLANT_ADMIN_TOKEN to teach from other machines"
	writes := "the teacher's"
	reads := "the teacher's; others get the student side only"
	if cfg.AdminToken != "" {
		teacher = "the holder of the admin token"
		writes = "need the admin token"
	}
	if cfg.ReadOnly {
		writes = "refused (read-only)"
	}
	if cfg.PublicRead {
		reads = "open to everyone (SLANT_PUBLIC_READ)"
	}
	proxies := make([]string, 0, len(cfg.TrustedProxies))
	for _, p := range cfg.TrustedProxies {
		proxies = append(proxies, p.String())
	}
	logger.Info("access",
		"teacher", teacher,
		"reads", reads,
		"writes", writes,
		"rate_write", cfg.RateWrite.String(),
		"rate_analyze", cfg.RateAnalyze.String(),
		"rate_fetch", cfg.RateFetch.String(),
		"trusted_proxies", strings.Join(proxies, ","),
		"cors_origins", strings.Join(cfg.CORSOrigins, ","),
		"max_text_bytes", cfg.MaxTextBytes,
		"max_articles_per_event", cfg.MaxArticlesPerEvent,
		"max_students", cfg.MaxStudents,
		"exercise_ttl", cfg.ExerciseTTL.String(),
		"request_timeout", cfg.RequestTimeout.String(),
	)
}

// loadDemo fills an empty database with the invented demo event, so that a
// first `go run .` has something worth looking at.
func loadDemo(ctx context.Context, store *models.Store, analyzer *analysis.Analyzer, logger *slog.Logger) error {
	n, err := store.CountEvents(ctx)
	if err != nil {
		return fmt.Errorf("count events: %w", err)
	}
	if n > 0 {
		return nil
	}
	ev, err := demo.Load()
	if err != nil {
		return fmt.Errorf("load demo event: %w", err)
	}
	date := ev.Date
	event := models.Event{Title: ev.Title, Description: ev.Description, Date: &date}
	if err := store.CreateEvent(ctx, &event); err != nil {
		return fmt.Errorf("store demo event: %w", err)
	}
	for _, a := range ev.Articles {
		report := analyzer.Analyze(analysis.Document{Title: a.Title, Text: a.Text})
		encoded, err := json.Marshal(report)
		if err != nil {
			return fmt.Errorf("encode demo report: %w", err)
		}
		published := a.PublishedAt
		article := models.Article{
			EventID:     event.ID,
			Outlet:      models.Outlet{Name: a.Outlet},
			Title:       a.Title,
			URL:         a.URL,
			PublishedAt: &published,
			Body:        a.Text,
		}
		analysisRow := models.Analysis{Report: encoded, LexiconVersion: report.LexiconVersion, AnalyzedAt: time.Now().UTC()}
		if err := store.AddArticle(ctx, &article, a.Domain, &analysisRow); err != nil {
			return fmt.Errorf("store demo article from %s: %w", a.Outlet, err)
		}
	}
	logger.Info("loaded demo event", "title", ev.Title, "articles", len(ev.Articles))
	return nil
}

func newLogger(w io.Writer, level string) *slog.Logger {
	var l slog.Level
	_ = l.UnmarshalText([]byte(level)) // validated in loadConfig
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: l}))
}
