package cli

import (
	"context"
	"fmt"
	"log/slog"
	"os"

	"slant/analysis"
	"slant/api"
	"slant/models"
)

// LoadLexicon is the built-in lexicon with the overlay named by
// SLANT_LEXICON_OVERLAY (from `slant calibrate`) applied when it is set.
// Every command that analyzes text loads it the same way, so the API, the
// CLI and the evaluation always score with one lexicon version.
func LoadLexicon(getenv func(string) string) (*analysis.Lexicon, error) {
	lex, err := analysis.BuiltinLexicon()
	if err != nil {
		return nil, err
	}
	path := getenv("SLANT_LEXICON_OVERLAY")
	if path == "" {
		return lex, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("SLANT_LEXICON_OVERLAY: %w", err)
	}
	return lex.WithOverlay(path, data)
}

// openStoreAndAnalyzer opens the configured database and builds the
// analyzer every command scores with: the base lexicon (built-in plus the
// overlay), with the class word list stored in that database laid over it.
// serve, import and export share it so that a report made by any of them
// carries the same lexicon version. The base is returned too, for the API
// to rebuild from when the word list changes.
func openStoreAndAnalyzer(ctx context.Context, cfg Config, getenv func(string) string, logger *slog.Logger) (*models.Store, *analysis.Lexicon, *analysis.Analyzer, error) {
	base, err := LoadLexicon(getenv)
	if err != nil {
		return nil, nil, nil, err
	}
	store, err := models.Open(ctx, models.Config{Driver: cfg.DBDriver, DSN: cfg.dsn()})
	if err != nil {
		return nil, nil, nil, fmt.Errorf("open database: %w", err)
	}
	lex, err := api.LoadWordListLexicon(ctx, store, base, logger)
	if err == nil {
		var analyzer *analysis.Analyzer
		if analyzer, err = analysis.NewAnalyzer(lex); err == nil {
			return store, base, analyzer, nil
		}
	}
	store.Close()
	return nil, nil, nil, err
}
