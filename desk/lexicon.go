package desk

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"

	"slant/analysis"
	"slant/models"
)

// The lexicon in force is the base lexicon (built in, with the overlay
// SLANT_LEXICON_OVERLAY names) with the class word list laid over it
// (analysis.Lexicon.WithCustom). The word list lives in the database and
// changes at run time, so the analyzer is not fixed: the desk holds the
// current one in an atomic pointer, and a change to the word list swaps
// it.
//
//   - A caller takes the analyzer once (Desk.Analyzer) and uses it
//     throughout, so that one answer is never made with two lexicons.
//   - A word-list write builds the lexicon and analyzer of the list as it
//     would be, inside the write's transaction and before it commits: a
//     list the lexicon cannot be built from (a term that matches the same
//     words as another entry) is refused with models.ErrConflict and
//     nothing is stored. Writes are serialised by a mutex, so the analyzer
//     swapped in after the commit is always that of the last list stored.
//   - After the swap the background sweep (KeepCurrent) starts over with
//     the new analyzer; until it gets to an event, reading the event
//     redoes its stale reports on the spot (the current-report rule), so
//     answers are right at once.
//
// Several instances over one database: each holds its own analyzer, built
// from the word list at start. An instance other than the one that took a
// change goes on using the list it started with until it is restarted; the
// reports it makes carry their own version, so nothing is mixed up, but
// the class word list is best edited where it is used, or followed by a
// restart of the other instances.

// lexiconInForce holds the analyzer in force and what is needed to build
// the next.
type lexiconInForce struct {
	base    *analysis.Lexicon
	current atomic.Pointer[analysis.Analyzer]
	writes  sync.Mutex // serialises word-list writes
}

func newLexiconInForce(base *analysis.Lexicon, analyzer *analysis.Analyzer) *lexiconInForce {
	l := &lexiconInForce{base: base}
	l.current.Store(analyzer)
	return l
}

// BaseLexicon is the built-in lexicon with the overlay file at
// overlayPath (written by `slant calibrate`, named by
// SLANT_LEXICON_OVERLAY) applied; an empty path means none. Every command
// that analyzes text starts from it, so that the API, the command line
// and the evaluation score with one lexicon version.
func BaseLexicon(overlayPath string) (*analysis.Lexicon, error) {
	lex, err := analysis.BuiltinLexicon()
	if err != nil {
		return nil, err
	}
	if overlayPath == "" {
		return lex, nil
	}
	data, err := os.ReadFile(overlayPath)
	if err != nil {
		return nil, fmt.Errorf("SLANT_LEXICON_OVERLAY: %w", err)
	}
	return lex.WithOverlay(overlayPath, data)
}

// Open returns a desk over store whose lexicon in force is base with the
// class word list stored in store laid over it: what `slant serve`,
// `slant import` and `slant export` all use, so that a report made by any
// of them carries the same version. An entry that no longer fits base
// (after an upgrade of the built-in lexicon added a term that matches the
// same words, say) is left out with a warning rather than stopping the
// start; the teacher can then edit or remove it.
func Open(ctx context.Context, store *models.Store, base *analysis.Lexicon, cfg Config) (*Desk, error) {
	list, err := store.ListWordList(ctx)
	if err != nil {
		return nil, fmt.Errorf("load the class word list: %w", err)
	}
	d := newDesk(store, cfg)
	lex, err := wordListLexicon(base, list)
	if err != nil {
		lex, err = wordListLexicon(base, d.fittingEntries(base, list))
	}
	if err != nil {
		return nil, err
	}
	analyzer, err := analysis.NewAnalyzer(lex)
	if err != nil {
		return nil, err
	}
	d.lexicon = newLexiconInForce(base, analyzer)
	return d, nil
}

// fittingEntries keeps the entries of list that can be laid over base
// together, in order, and logs the others.
func (d *Desk) fittingEntries(base *analysis.Lexicon, list []models.WordListEntry) []models.WordListEntry {
	kept := make([]models.WordListEntry, 0, len(list))
	for _, e := range list {
		if _, err := wordListLexicon(base, append(kept, e)); err != nil {
			d.log.Warn("class word list entry left out: it does not fit the lexicon", "term", e.Term, "id", e.ID, "error", err.Error())
			continue
		}
		kept = append(kept, e)
	}
	return kept
}

// wordListLexicon lays a word list over base. It fails when the entries
// cannot be laid over base (an unknown category, two forms that match the
// same words).
func wordListLexicon(base *analysis.Lexicon, list []models.WordListEntry) (*analysis.Lexicon, error) {
	entries := make([]analysis.CustomEntry, len(list))
	for i, e := range list {
		entries[i] = customEntry(e)
	}
	return base.WithCustom(entries)
}

// customEntry is a stored entry as the lexicon takes it.
func customEntry(e models.WordListEntry) analysis.CustomEntry {
	return analysis.CustomEntry{
		Category: e.Category, Term: e.Term, Also: e.Also,
		Alternatives: e.Alternatives, Reason: e.Reason, Severity: e.Severity, Override: e.Override,
	}
}

// Replaces lists the built-in entries (of the base lexicon, overlay
// included) whose words the class entry e matches: the entries it takes
// the place of, when it says Override.
func (d *Desk) Replaces(e models.WordListEntry) []analysis.Collision {
	return d.lexicon.base.Collisions(customEntry(e))
}

// WordList returns the class word list and the version in force.
func (d *Desk) WordList(ctx context.Context) ([]models.WordListEntry, string, error) {
	version := d.Version()
	list, err := d.store.ListWordList(ctx)
	return list, version, err
}

// AddWordListEntry stores a new entry of the class word list and puts the
// lexicon with it in force. It returns the version in force afterwards. A
// term already on the list, or one that matches the same words as another
// entry of the lexicon, is models.ErrConflict (explained) and nothing is
// stored: a term the built-in lexicon has is a *BuiltinTermError, naming
// the built-in entry, unless the entry says Override, when it takes the
// built-in entry's place. A bad field is a *models.ValidationError.
func (d *Desk) AddWordListEntry(ctx context.Context, e *models.WordListEntry) (string, error) {
	if err := d.checkWordListEntry(e); err != nil {
		return "", err
	}
	return d.changeWordList(func(check models.WordListCheck) error {
		return termTaken(d.store.CreateWordListEntry(ctx, e, check))
	})
}

// UpdateWordListEntry replaces an entry of the class word list; see
// AddWordListEntry.
func (d *Desk) UpdateWordListEntry(ctx context.Context, e *models.WordListEntry) (string, error) {
	if err := d.checkWordListEntry(e); err != nil {
		return "", err
	}
	return d.changeWordList(func(check models.WordListCheck) error {
		return termTaken(d.store.UpdateWordListEntry(ctx, e, check))
	})
}

// DeleteWordListEntry removes an entry of the class word list; see
// AddWordListEntry.
func (d *Desk) DeleteWordListEntry(ctx context.Context, id int64) (string, error) {
	return d.changeWordList(func(check models.WordListCheck) error {
		return d.store.DeleteWordListEntry(ctx, id, check)
	})
}

// checkWordListEntry checks what only the lexicon knows about an entry
// (its category, and that every form has words) and what a class list
// needs to teach anything: a term that is not only function words, and a
// reason a student can read. The store checks the rest (an empty field
// is the store's "is required").
func (d *Desk) checkWordListEntry(e *models.WordListEntry) error {
	if e.Category != "" {
		if _, ok := d.lexicon.base.Category(e.Category); !ok {
			return &models.ValidationError{Field: "category", Problem: "is not a category of the lexicon (see GET /api/v1/lexicon)"}
		}
	}
	if e.Term != "" {
		if err := analysis.CheckForm(e.Term); err != nil {
			return &models.ValidationError{Field: "term", Problem: err.Error()}
		}
		if onlyFunctionWords(e.Term) {
			return &models.ValidationError{Field: "term", Problem: fmt.Sprintf("%q is made only of words every text uses (such as \"the\", \"of\", \"is\"), which say nothing loaded: enter the loaded word itself", strings.TrimSpace(e.Term))}
		}
	}
	for _, form := range e.Also {
		if form == "" {
			continue
		}
		if err := analysis.CheckForm(form); err != nil {
			return &models.ValidationError{Field: "also", Problem: fmt.Sprintf("item %q %s", form, err)}
		}
		if onlyFunctionWords(form) {
			return &models.ValidationError{Field: "also", Problem: fmt.Sprintf("item %q is made only of words every text uses, which say nothing loaded", strings.TrimSpace(form))}
		}
	}
	if reason := strings.TrimSpace(e.Reason); reason != "" && wordsWithLetters(reason) < MinReasonWords {
		return &models.ValidationError{Field: "reason", Problem: fmt.Sprintf("must say in at least %d words why the term is loaded, for a student to read beside it (such as \"Calls a crowd a mob, which makes it sound violent.\")", MinReasonWords)}
	}
	return nil
}

// CategoryLabel names a category of lex in words, or by its name when
// lex gives it no label: what a teacher or a student reads beside a term
// (the student's page loads no lexicon).
func CategoryLabel(lex *analysis.Lexicon, category string) string {
	if c, ok := lex.Category(category); ok && c.Label != "" {
		return c.Label
	}
	return category
}

// MinReasonWords is the fewest words a class word list entry's reason
// may have: a student reads it to learn why the term was flagged, and
// "x" or "loaded" teaches nothing.
const MinReasonWords = 3

// functionWords are the commonest English words, which carry grammar and
// no slant: a class term made only of them ("the", "of the") would flag
// every text.
var functionWords = strings.Fields(`a an the and or but nor of to in on at by for with from as into than
	if so up out about over after is are was were be been being am has have had do does did will would
	can could shall should may might must it its this that these those there here then when where how
	what which who whom whose i me my mine he him his she her hers we us our ours you your yours they
	them their theirs not no all some any`)

// functionStems are functionWords as the matcher compares words
// (analysis.FormStems), so that a term is judged by what it would match:
// "the's" or a full-width "ｔｈｅ" is "the".
var functionStems = func() map[string]bool {
	stems := map[string]bool{}
	for _, w := range functionWords {
		for _, s := range analysis.FormStems(w) {
			stems[s] = true
		}
	}
	return stems
}()

// onlyFunctionWords reports whether every word a term would match is one
// of functionWords (and it has words at all).
func onlyFunctionWords(term string) bool {
	stems := analysis.FormStems(strings.NewReplacer("(", " ", ")", " ").Replace(term))
	for _, s := range stems {
		if !functionStems[s] {
			return false
		}
	}
	return len(stems) > 0
}

// wordsWithLetters counts the words of text that hold a letter: "- - -"
// or "1 2 3" is no reason a student can read.
func wordsWithLetters(text string) int {
	n := 0
	for _, w := range strings.Fields(text) {
		if strings.IndexFunc(w, unicode.IsLetter) >= 0 {
			n++
		}
	}
	return n
}

// termTaken explains the conflict of a term already on the list; a
// conflict the lexicon explained already keeps its words.
func termTaken(err error) error {
	var explained *ExplainedError
	if errors.Is(err, models.ErrConflict) && !errors.As(err, &explained) {
		return Explain(err, "this term is already on the word list")
	}
	return err
}

// changeWordList runs one word-list write. write gets the check to hand
// to the store, which builds the analyzer of the list the write would
// leave and refuses the write when it cannot be built. Once the write has
// committed, the new analyzer is put in force and the sweep started over.
// It returns the version in force afterwards.
func (d *Desk) changeWordList(write func(models.WordListCheck) error) (string, error) {
	l := d.lexicon
	l.writes.Lock()
	defer l.writes.Unlock()
	current := l.current.Load()
	next := current
	check := func(list []models.WordListEntry) error {
		lex, err := wordListLexicon(l.base, list)
		var collision *analysis.CollisionError
		if errors.As(err, &collision) {
			return builtinTerm(l.base, collision)
		}
		if err != nil {
			detail := strings.TrimPrefix(err.Error(), "custom entries: ")
			return Explain(models.ErrConflict, "the word list cannot be applied to the lexicon: "+detail)
		}
		if lex.Version() == current.Lexicon().Version() {
			next = current
			return nil
		}
		analyzer, err := analysis.NewAnalyzer(lex)
		if err != nil {
			return err
		}
		next = analyzer
		return nil
	}
	if err := write(check); err != nil {
		return "", err
	}
	if next != current {
		l.current.Store(next)
		d.sweepWith(next)
	}
	return next.Version(), nil
}
