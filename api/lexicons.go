package api

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"

	"slant/analysis"
	"slant/export"
	"slant/models"
)

// The lexicon in force is the base lexicon (built in, with any overlay)
// with the class word list laid over it (analysis.Lexicon.WithCustom).
// The word list lives in the database and changes at run time, so the
// analyzer is not fixed: the Server holds the current one, with the
// exporter that goes with it, in an atomic pointer, and a change to the
// word list swaps both at once.
//
//   - Every request loads the engine once and uses it throughout, so that
//     one answer is never made with two lexicons.
//   - A word-list write builds the new lexicon and analyzer from the list
//     as it would be, inside the write's transaction and before it
//     commits: a list the lexicon cannot be built from (a term that
//     matches the same words as another entry) is refused with 409 and
//     nothing is stored. Writes are serialised by a mutex, so the engine
//     swapped in after the commit is always that of the last list stored.
//   - After the swap, OnLexiconChange starts a background re-analysis of
//     the stored reports; until it gets to an event, reading the event
//     redoes its stale reports on the spot (currentReport), so answers are
//     right at once.
//
// Several instances over one database: each holds its own engine, built
// from the word list at start. An instance other than the one that took a
// change goes on using the list it started with until it is restarted; the
// reports it makes then carry their own lexicon version, so nothing is
// mixed up, but the class word list is best edited where it is used, or
// followed by a restart of the other instances.

// engine is what a request analyzes with: the analyzer of the lexicon in
// force and an exporter over it. It is immutable; a change makes a new one.
type engine struct {
	analyzer *analysis.Analyzer
	exporter *export.Exporter
}

// lexicons holds the engine in force and what is needed to build the next.
type lexicons struct {
	base     *analysis.Lexicon
	current  atomic.Pointer[engine]
	onChange func(*analysis.Analyzer)
	writes   sync.Mutex // serialises word-list writes
}

// engine returns the engine in force.
func (s *Server) engine() *engine { return s.lexicons.current.Load() }

// engineFor wraps an analyzer with its exporter.
func (s *Server) engineFor(analyzer *analysis.Analyzer) *engine {
	return &engine{
		analyzer: analyzer,
		exporter: export.New(s.store, analyzer, export.Options{SlantVersion: s.version, Logger: s.log}),
	}
}

// customEntries turns stored word-list entries into the lexicon's form.
func customEntries(list []models.WordListEntry) []analysis.CustomEntry {
	out := make([]analysis.CustomEntry, len(list))
	for i, e := range list {
		out[i] = analysis.CustomEntry{
			Category: e.Category, Term: e.Term, Also: e.Also,
			Alternatives: e.Alternatives, Reason: e.Reason, Severity: e.Severity,
		}
	}
	return out
}

// WordListLexicon lays a word list over base: the lexicon in force. It
// fails when the entries cannot be laid over base (an unknown category,
// two forms that match the same words).
func WordListLexicon(base *analysis.Lexicon, list []models.WordListEntry) (*analysis.Lexicon, error) {
	return base.WithCustom(customEntries(list))
}

// LoadWordListLexicon reads the stored word list and lays it over base, for
// a server about to start. An entry that no longer fits base (after an
// upgrade of the built-in lexicon added a term that matches the same
// words, say) is left out with a warning rather than stopping the start;
// the teacher can then edit or remove it.
func LoadWordListLexicon(ctx context.Context, store *models.Store, base *analysis.Lexicon, log *slog.Logger) (*analysis.Lexicon, error) {
	list, err := store.ListWordList(ctx)
	if err != nil {
		return nil, fmt.Errorf("load the class word list: %w", err)
	}
	lex, err := WordListLexicon(base, list)
	if err == nil {
		return lex, nil
	}
	kept := make([]models.WordListEntry, 0, len(list))
	for _, e := range list {
		if _, err := WordListLexicon(base, append(kept, e)); err != nil {
			log.Warn("class word list entry left out: it does not fit the lexicon", "term", e.Term, "id", e.ID, "error", err.Error())
			continue
		}
		kept = append(kept, e)
	}
	return WordListLexicon(base, kept)
}

// changeWordList runs one word-list write. write gets the check to hand
// to the store, which builds the engine of the list the write would leave
// and refuses the write when it cannot be built. Once the write has
// committed, the new engine is put in force and the re-analysis started.
// It returns the engine in force afterwards.
func (s *Server) changeWordList(write func(models.WordListCheck) error) (*engine, error) {
	s.lexicons.writes.Lock()
	defer s.lexicons.writes.Unlock()
	var next *engine
	check := func(list []models.WordListEntry) error {
		lex, err := WordListLexicon(s.lexicons.base, list)
		if err != nil {
			return withMessage(models.ErrConflict, collisionMessage(err))
		}
		if lex.Version() == s.engine().analyzer.Lexicon().Version() {
			next = s.engine()
			return nil
		}
		analyzer, err := analysis.NewAnalyzer(lex)
		if err != nil {
			return err
		}
		next = s.engineFor(analyzer)
		return nil
	}
	if err := write(check); err != nil {
		return nil, err
	}
	if next == nil || next == s.engine() {
		return s.engine(), nil
	}
	s.lexicons.current.Store(next)
	if s.lexicons.onChange != nil {
		s.lexicons.onChange(next.analyzer)
	}
	return next, nil
}

// collisionMessage says why the lexicon could not take a word list, in
// words for the teacher.
func collisionMessage(err error) string {
	detail := strings.TrimPrefix(err.Error(), "custom entries: ")
	return "the word list cannot be applied to the lexicon: " + detail
}
