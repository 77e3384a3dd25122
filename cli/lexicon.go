package cli

import (
	"context"
	"fmt"
	"log/slog"

	"slant/analysis"
	"slant/desk"
	"slant/models"
)

// baseLexicon is the built-in lexicon with the overlay named by
// SLANT_LEXICON_OVERLAY (from `slant calibrate`) applied when it is set
// (desk.BaseLexicon). Every command that analyzes text loads it the same
// way, so the API, the CLI and the evaluation score with one version.
func baseLexicon(getenv func(string) string) (*analysis.Lexicon, error) {
	return desk.BaseLexicon(getenv("SLANT_LEXICON_OVERLAY"))
}

// baseAnalyzer is an analyzer over the base lexicon, for the commands
// that analyze text without a database (analyze, eval).
func baseAnalyzer(getenv func(string) string) (*analysis.Analyzer, error) {
	lex, err := baseLexicon(getenv)
	if err != nil {
		return nil, err
	}
	return analysis.NewAnalyzer(lex)
}

// openDesk opens the configured database and the desk over it, whose
// lexicon in force is the base lexicon with the class word list stored in
// that database laid over it. serve, import and export share it, so that
// a report made by any of them carries the same version. The caller
// closes the store.
func openDesk(ctx context.Context, cfg Config, getenv func(string) string, logger *slog.Logger, dcfg desk.Config) (*models.Store, *desk.Desk, error) {
	base, err := baseLexicon(getenv)
	if err != nil {
		return nil, nil, err
	}
	store, err := models.Open(ctx, models.Config{Driver: cfg.DBDriver, DSN: cfg.dsn()})
	if err != nil {
		return nil, nil, fmt.Errorf("open database: %w", err)
	}
	dcfg.Logger = logger
	d, err := desk.Open(ctx, store, base, dcfg)
	if err != nil {
		store.Close()
		return nil, nil, err
	}
	return store, d, nil
}
