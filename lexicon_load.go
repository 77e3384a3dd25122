package main

import (
	"fmt"
	"os"

	"slant/analysis"
)

// loadLexicon is the built-in lexicon with the overlay named by
// SLANT_LEXICON_OVERLAY (from `slant calibrate`) applied when it is set.
// Every command that analyzes text loads it the same way, so the API, the
// CLI and the evaluation always score with one lexicon version.
func loadLexicon(getenv func(string) string) (*analysis.Lexicon, error) {
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
