package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"slant/api"
	"slant/demo"
	"slant/desk"
	"slant/frontend"
	"slant/ingest"
	"slant/models"
)

// ShutdownGrace is how long requests in flight may take to finish once
// the server is told to stop.
const ShutdownGrace = 10 * time.Second

func serve(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 1 && (args[0] == "-h" || args[0] == "-help" || args[0] == "--help") {
		return helpRequested{"usage: slant serve\n\nServes the page and the API (SLANT_ADDR, :8080 by default). It takes no flags: it is set up\nwith environment variables, listed in README.md under Configuration.\n\n" + exitText + "\n"}
	}
	if len(args) > 0 {
		return UsageError{fmt.Sprintf("serve takes no arguments, got %q", args)}
	}
	cfg, err := LoadConfig(getenv)
	if err != nil {
		return err
	}
	logger := newLogger(stderr, cfg.LogLevel)

	if cfg.FetchAllowLoopback {
		logger.Warn("SLANT_FETCH_ALLOW_LOOPBACK is on: URL fetches may reach services on this machine; use it for tests and development only")
	}
	// The lexicon in force is the base with the class word list stored in
	// the database laid over it; the desk rebuilds it when the list
	// changes.
	store, d, err := openDesk(ctx, cfg, getenv, logger, desk.Config{
		Limits:  desk.Limits{MaxTextBytes: cfg.MaxTextBytes, MaxArticlesPerEvent: cfg.MaxArticlesPerEvent},
		Fetcher: ingest.NewFetcher(ingest.FetcherOptions{AllowLoopback: cfg.FetchAllowLoopback}),
	})
	if err != nil {
		return err
	}
	defer store.Close()

	if cfg.Demo {
		if err := loadDemo(ctx, d, logger); err != nil {
			return err
		}
	}

	llmLayer, stopLLM, err := startLLM(ctx, store, cfg, logger)
	if err != nil {
		return err
	}
	defer stopLLM()
	server := api.New(d, frontend.Files(), apiConfig(cfg, logger, llmLayer))
	logAccess(logger, cfg)
	listener, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on SLANT_ADDR %s: %w", cfg.Addr, err)
	}
	httpServer := newHTTPServer(server.Handler(), cfg.RequestTimeout, logger)
	analyzer := d.Analyzer()
	fmt.Fprintf(stdout, "slant listening on http://%s (database %s, lexicon %s, %d entries)\n",
		listener.Addr(), store.Driver(), analyzer.Version(), analyzer.Lexicon().EntryCount())

	served := make(chan error, 1)
	go func() { served <- httpServer.Serve(listener) }()
	// Stale reports are redone in the background: once now, and again each
	// time a change to the word list changes the lexicon. Stopped (by the
	// defer, which runs before the store is closed) on shutdown.
	if cfg.ReanalyzeWorkers > 0 {
		sweeper := d.KeepCurrent(ctx, desk.SweepOptions{Workers: cfg.ReanalyzeWorkers})
		defer sweeper.Stop()
	}
	return serveUntilDone(ctx, httpServer, served)
}

// apiConfig is the API's share of the configuration.
func apiConfig(cfg Config, logger *slog.Logger, llmLayer api.LLMConfig) api.Config {
	return api.Config{
		MaxBodyBytes:       cfg.MaxBodyBytes,
		AdminToken:         cfg.AdminToken,
		ReadOnly:           cfg.ReadOnly,
		PublicRead:         cfg.PublicRead,
		MaxStudents:        cfg.MaxStudents,
		StudentsPerAddress: cfg.StudentsPerAddress,
		ExerciseTTL:        cfg.ExerciseTTL,
		WriteRate:          cfg.RateWrite,
		AnalyzeRate:        cfg.RateAnalyze,
		FetchRate:          cfg.RateFetch,
		ReadRate:           cfg.RateRead,
		IPv6Prefix:         cfg.RateIPv6Prefix,
		TrustedProxies:     cfg.TrustedProxies,
		CORSOrigins:        cfg.CORSOrigins,
		RequestTimeout:     cfg.RequestTimeout,
		Logger:             logger,
		Version:            version,
		MaxImportBytes:     cfg.MaxImportBytes,
		LLM:                llmLayer,
	}
}

// newHTTPServer wraps the handler in an http.Server with the timeouts of
// a server facing the open internet.
func newHTTPServer(handler http.Handler, requestTimeout time.Duration, logger *slog.Logger) *http.Server {
	return &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      writeTimeout(requestTimeout),
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
}

// serveUntilDone waits until the server fails or ctx ends, then shuts it
// down, giving the requests in flight ShutdownGrace to finish.
func serveUntilDone(ctx context.Context, httpServer *http.Server, served <-chan error) error {
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
		"rate_read", cfg.RateRead.String(),
		"rate_ipv6_prefix", cfg.RateIPv6Prefix,
		"trusted_proxies", strings.Join(proxies, ","),
		"cors_origins", strings.Join(cfg.CORSOrigins, ","),
		"max_text_bytes", cfg.MaxTextBytes,
		"max_articles_per_event", cfg.MaxArticlesPerEvent,
		"max_students", cfg.MaxStudents,
		"students_per_address", cfg.StudentsPerAddress,
		"exercise_ttl", cfg.ExerciseTTL.String(),
		"request_timeout", cfg.RequestTimeout.String(),
	)
}

// loadDemo fills an empty database with the invented demo event, so that
// a first `go run .` has something worth looking at. Its articles come in
// through the desk's one door, their text kept as written.
func loadDemo(ctx context.Context, d *desk.Desk, logger *slog.Logger) error {
	store := d.Store()
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
		published := a.PublishedAt
		sub := desk.Submission{
			Outlet: a.Outlet, OutletDomain: a.Domain, Title: a.Title, URL: a.URL,
			PublishedAt: &published, Text: a.Text,
		}
		if _, err := d.AddArticle(ctx, event.ID, sub, nil); err != nil {
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
