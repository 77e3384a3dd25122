package models

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// How a bulk import finds the event of each article: by its event key.
//
//  1. An event whose ImportKey equals the key (an earlier import created or
//     claimed it) is used, even if it has been renamed since.
//  2. Otherwise the oldest event whose title equals the key exactly (after
//     trimming surrounding space; case and inner spacing count) and which
//     has no import key yet is used, and claims the key.
//  3. Otherwise a new event is created with the key as its title and as
//     its ImportKey.
//
// Keys are therefore stable names: importing the same file twice finds the
// same events, and a teacher's hand-made event "Flood in Riverside" receives
// the articles of an import whose event key is "Flood in Riverside".

// defaultImportChunk is how many rows one INSERT statement carries: small
// enough for every driver's limit on bound parameters (an article has ten
// columns), large enough that a batch of thousands needs few statements.
const defaultImportChunk = 250

// hashQueryChunk bounds the ids in one IN (...) list.
const hashQueryChunk = 500

// ImportItem is one article of an import batch, ready to store: its event
// named by EventKey, its outlet by name, its analysis already made.
type ImportItem struct {
	// Line is where the article came from in the import file (1-based),
	// used in refusals.
	Line int
	// EventKey names the event; see the rules at the top of this file.
	EventKey string
	// Outlet is the outlet's name, found or created; OutletDomain is
	// recorded when the outlet is new or has no domain yet.
	Outlet       string
	OutletDomain string
	Title        string
	URL          string
	PublishedAt  *time.Time
	// Body is the article text, stored exactly as given.
	Body string
	// ContentHash is ContentHash(Body); computed when empty.
	ContentHash string
	// Language is the language the text was found to be in (see Article).
	Language string
	// Analysis is the article's report; its ArticleID is filled in.
	Analysis Analysis
}

// ImportOptions tunes ImportBatch.
type ImportOptions struct {
	// MaxArticlesPerEvent refuses the articles that would take an event
	// past this many; zero means no limit.
	MaxArticlesPerEvent int
	// AllOrNothing rolls the whole batch back with an ImportRefusedError
	// when any item is refused. Duplicates are never refusals.
	AllOrNothing bool
	// ChunkSize is how many rows one INSERT carries; zero means 250.
	ChunkSize int
	// Progress, when set, is called inside the transaction after each
	// chunk is written, with the articles stored so far and the number to
	// store. It runs on the importing goroutine: keep it quick.
	Progress func(stored, total int)
}

// ImportRefusal is an item ImportBatch would not store, and why.
type ImportRefusal struct {
	Line    int    `json:"line"`
	Problem string `json:"error"`
}

// ImportedEvent reports what a batch did to one event.
type ImportedEvent struct {
	ID    int64  `json:"id"`
	Key   string `json:"key"`
	Title string `json:"title"`
	// Created is true when the batch created the event.
	Created bool `json:"created"`
	// Added counts the articles stored in it, Duplicates those skipped
	// because the event already held the same text.
	Added      int `json:"added"`
	Duplicates int `json:"duplicates"`
}

// ImportResult is what ImportBatch stored and what it left out.
type ImportResult struct {
	// Added counts the articles stored, each with its analysis.
	Added int
	// Duplicates lists the lines of items skipped because their event
	// already held the same text (stored before, or earlier in the batch).
	Duplicates []int
	// Refused lists the items not stored because they were invalid or
	// their event was full.
	Refused []ImportRefusal
	// Events lists the events the batch touched, in the order their keys
	// first appear.
	Events []ImportedEvent
	// OutletsCreated counts the outlets the batch created.
	OutletsCreated int
}

// ImportRefusedError is returned by ImportBatch with AllOrNothing when
// some items were refused: nothing was stored. errors.Is(err, ErrInvalid)
// holds.
type ImportRefusedError struct {
	Refused []ImportRefusal
}

// Error summarises the refusals.
func (e *ImportRefusedError) Error() string {
	if len(e.Refused) == 0 {
		return "import refused"
	}
	first := e.Refused[0]
	return fmt.Sprintf("import refused: %d items refused, the first at line %d: %s", len(e.Refused), first.Line, first.Problem)
}

// Is makes errors.Is(err, ErrInvalid) true.
func (e *ImportRefusedError) Is(target error) bool { return target == ErrInvalid }

// importRow is an item checked and converted for the store.
type importRow struct {
	line     int
	key      string
	domain   string
	article  Article
	analysis Analysis
}

// row checks an item the way AddArticle checks an article and converts
// it.
func (it ImportItem) row() (importRow, error) {
	key := strings.TrimSpace(it.EventKey)
	switch {
	case key == "":
		return importRow{}, &ValidationError{Field: "event", Problem: "is required"}
	case utf8.RuneCountInString(key) > MaxEventTitle:
		return importRow{}, &ValidationError{Field: "event", Problem: fmt.Sprintf("must be at most %d characters", MaxEventTitle)}
	}
	if err := checkControls("event", key, false); err != nil {
		return importRow{}, err
	}
	a := Article{
		Outlet:      Outlet{Name: it.Outlet},
		Title:       it.Title,
		URL:         it.URL,
		PublishedAt: utcPtr(it.PublishedAt),
		Body:        it.Body,
		ContentHash: it.ContentHash,
		Language:    it.Language,
	}
	if err := validateArticle(&a); err != nil {
		return importRow{}, err
	}
	domain := strings.ToLower(strings.TrimSpace(it.OutletDomain))
	if len(domain) > MaxOutletDomain {
		return importRow{}, &ValidationError{Field: "outlet_domain", Problem: fmt.Sprintf("must be at most %d characters", MaxOutletDomain)}
	}
	if err := checkControls("outlet_domain", domain, false); err != nil {
		return importRow{}, err
	}
	an := it.Analysis
	if err := validateAnalysis(&an); err != nil {
		return importRow{}, err
	}
	an.AnalyzedAt = analyzedAt(&an)
	if a.ContentHash == "" {
		a.ContentHash = ContentHash(a.Body)
	}
	return importRow{line: it.Line, key: key, domain: domain, article: a, analysis: an}, nil
}

// ImportBatch stores a batch of imported articles with their analyses in
// one transaction: events are found or created by key (see the rules at
// the top of this file), outlets by name, and an item whose event already
// holds the same text (by content hash) is skipped as a duplicate, so that
// importing the same file twice adds nothing. Invalid items, and items
// that would take an event past opts.MaxArticlesPerEvent, are refused:
// left out and listed, or, with opts.AllOrNothing, the reason the whole
// batch is rolled back with an ImportRefusedError. Any other failure rolls
// the batch back too: a batch is stored whole or not at all.
func (s *Store) ImportBatch(ctx context.Context, items []ImportItem, opts ImportOptions) (ImportResult, error) {
	chunk := opts.ChunkSize
	if chunk <= 0 {
		chunk = defaultImportChunk
	}
	rows := make([]importRow, 0, len(items))
	var invalid []ImportRefusal
	for _, it := range items {
		r, err := it.row()
		if err != nil {
			invalid = append(invalid, ImportRefusal{Line: it.Line, Problem: err.Error()})
			continue
		}
		rows = append(rows, r)
	}
	if opts.AllOrNothing && len(invalid) > 0 {
		return ImportResult{Refused: invalid}, fmt.Errorf("import batch: %w", &ImportRefusedError{Refused: invalid})
	}

	var result ImportResult
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		result = ImportResult{Refused: append([]ImportRefusal(nil), invalid...)}
		plan, err := planImport(tx, rows, opts.MaxArticlesPerEvent, &result)
		if err != nil {
			return err
		}
		if opts.AllOrNothing && len(result.Refused) > 0 {
			return &ImportRefusedError{Refused: result.Refused}
		}
		return insertImport(tx, plan, chunk, opts.Progress)
	})
	if err != nil {
		var refused *ImportRefusedError
		if errors.As(err, &refused) {
			return ImportResult{Refused: refused.Refused}, fmt.Errorf("import batch: %w", err)
		}
		return ImportResult{}, wrap(err, "import batch of %d articles", len(items))
	}
	return result, nil
}

// planImport resolves the events and outlets of the rows, drops duplicates
// and refuses rows over the per-event limit, filling result as it goes. It
// returns the rows to insert with their event and outlet ids set.
func planImport(tx *gorm.DB, rows []importRow, maxPerEvent int, result *ImportResult) ([]importRow, error) {
	events := map[string]int{} // key -> index in result.Events
	outlets := map[string]int64{}
	domains := map[string]string{} // outlet name -> first domain given for it
	for _, r := range rows {
		if domains[r.article.Outlet.Name] == "" {
			domains[r.article.Outlet.Name] = r.domain
		}
	}
	for _, r := range rows {
		if _, ok := events[r.key]; !ok {
			ev, created, err := claimImportEvent(tx, r.key)
			if err != nil {
				return nil, err
			}
			events[r.key] = len(result.Events)
			result.Events = append(result.Events, ImportedEvent{ID: ev.ID, Key: r.key, Title: ev.Title, Created: created})
		}
		if _, ok := outlets[r.article.Outlet.Name]; !ok {
			o, created, err := findOrCreateOutlet(tx, r.article.Outlet.Name, domains[r.article.Outlet.Name])
			if err != nil {
				return nil, err
			}
			outlets[o.Name] = o.ID
			if created {
				result.OutletsCreated++
			}
		}
	}

	ids := make([]int64, 0, len(result.Events))
	for _, ev := range result.Events {
		ids = append(ids, ev.ID)
	}
	stored, err := storedHashes(tx, ids)
	if err != nil {
		return nil, err
	}

	plan := make([]importRow, 0, len(rows))
	for _, r := range rows {
		ev := &result.Events[events[r.key]]
		hashes := stored[ev.ID]
		if hashes == nil {
			hashes = map[string]bool{}
			stored[ev.ID] = hashes
		}
		switch {
		case hashes[r.article.ContentHash]:
			ev.Duplicates++
			result.Duplicates = append(result.Duplicates, r.line)
			continue
		case maxPerEvent > 0 && len(hashes) >= maxPerEvent:
			result.Refused = append(result.Refused, ImportRefusal{
				Line:    r.line,
				Problem: fmt.Sprintf("event %q already holds %d articles, the most one event may hold", ev.Title, len(hashes)),
			})
			continue
		}
		hashes[r.article.ContentHash] = true
		ev.Added++
		result.Added++
		r.article.EventID = ev.ID
		r.article.OutletID = outlets[r.article.Outlet.Name]
		plan = append(plan, r)
	}
	return plan, nil
}

// insertImport writes the planned rows, articles then their analyses, a
// chunk at a time.
func insertImport(tx *gorm.DB, plan []importRow, chunk int, progress func(stored, total int)) error {
	for start := 0; start < len(plan); start += chunk {
		part := plan[start:min(start+chunk, len(plan))]
		articles := make([]Article, len(part))
		for i, r := range part {
			articles[i] = r.article
			articles[i].Outlet = Outlet{}
		}
		if err := tx.Omit(clause.Associations).Create(&articles).Error; err != nil {
			return err
		}
		analyses := make([]Analysis, len(part))
		for i, r := range part {
			if articles[i].ID == 0 {
				return errors.New("insert articles: the database returned no id")
			}
			analyses[i] = r.analysis
			analyses[i].ArticleID = articles[i].ID
		}
		if err := tx.Omit(clause.Associations).Create(&analyses).Error; err != nil {
			return err
		}
		if progress != nil {
			progress(start+len(part), len(plan))
		}
	}
	return nil
}

// storedHashes returns the content hashes already stored in each of the
// events.
func storedHashes(tx *gorm.DB, eventIDs []int64) (map[int64]map[string]bool, error) {
	out := make(map[int64]map[string]bool, len(eventIDs))
	for start := 0; start < len(eventIDs); start += hashQueryChunk {
		ids := eventIDs[start:min(start+hashQueryChunk, len(eventIDs))]
		var rows []struct {
			EventID     int64
			ContentHash string
		}
		if err := tx.Model(&Article{}).Select("event_id", "content_hash").Where("event_id IN ?", ids).Scan(&rows).Error; err != nil {
			return nil, fmt.Errorf("read stored hashes: %w", err)
		}
		for _, r := range rows {
			if out[r.EventID] == nil {
				out[r.EventID] = map[string]bool{}
			}
			out[r.EventID][r.ContentHash] = true
		}
	}
	return out, nil
}

// findImportEvent finds the event a key names, by rules 1 and 2 at the top
// of this file, without changing anything. byTitle says rule 2 found it.
func findImportEvent(tx *gorm.DB, key string) (ev Event, byTitle, found bool, err error) {
	err = tx.Where("import_key = ?", key).Take(&ev).Error
	if err == nil {
		return ev, false, true, nil
	}
	if !errors.Is(err, gorm.ErrRecordNotFound) {
		return Event{}, false, false, fmt.Errorf("event %q: %w", key, err)
	}
	err = tx.Where("title = ? AND import_key IS NULL", key).Order("id").Take(&ev).Error
	if err == nil {
		return ev, true, true, nil
	}
	if !errors.Is(err, gorm.ErrRecordNotFound) {
		return Event{}, false, false, fmt.Errorf("event %q: %w", key, err)
	}
	return Event{}, false, false, nil
}

// claimImportEvent finds the event a key names, recording the key on an
// event found by title, or creates it (rule 3). created says it is new.
// Creating uses INSERT .. ON CONFLICT DO NOTHING on the unique import key,
// so that two imports creating the same event at once both end up with
// the one event.
func claimImportEvent(tx *gorm.DB, key string) (Event, bool, error) {
	ev, byTitle, found, err := findImportEvent(tx, key)
	if err != nil {
		return Event{}, false, err
	}
	if found {
		if byTitle {
			if err := tx.Model(&Event{}).Where("id = ?", ev.ID).Update("import_key", key).Error; err != nil {
				return Event{}, false, fmt.Errorf("event %q: record import key: %w", key, err)
			}
		}
		return ev, false, nil
	}
	ev = Event{Title: key, ImportKey: &key}
	res := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "import_key"}}, DoNothing: true}).
		Omit("Articles").Create(&ev)
	if res.Error != nil {
		return Event{}, false, fmt.Errorf("event %q: create: %w", key, res.Error)
	}
	if res.RowsAffected == 1 {
		return ev, true, nil
	}
	if err := tx.Where("import_key = ?", key).Take(&ev).Error; err != nil {
		return Event{}, false, fmt.Errorf("event %q: %w", key, err)
	}
	return ev, false, nil
}

// KnownImport is a stored event an import key names, with the content
// hashes of the articles it holds.
type KnownImport struct {
	EventID int64
	Title   string
	Hashes  map[string]bool
}

// KnownImports resolves event keys the way ImportBatch does, without
// changing anything, and returns the keys that name a stored event. An
// importer uses it to skip the analysis of articles that are already
// stored; ImportBatch checks again in its transaction.
func (s *Store) KnownImports(ctx context.Context, keys []string) (map[string]KnownImport, error) {
	out := map[string]KnownImport{}
	seen := map[string]bool{}
	db := s.db.WithContext(ctx)
	var ids []int64
	for _, key := range keys {
		key = strings.TrimSpace(key)
		if seen[key] || key == "" {
			continue
		}
		seen[key] = true
		ev, _, found, err := findImportEvent(db, key)
		if err != nil {
			return nil, wrap(err, "resolve import keys")
		}
		if found {
			out[key] = KnownImport{EventID: ev.ID, Title: ev.Title}
			ids = append(ids, ev.ID)
		}
	}
	hashes, err := storedHashes(db, ids)
	if err != nil {
		return nil, wrap(err, "resolve import keys")
	}
	for key, k := range out {
		k.Hashes = hashes[k.EventID]
		if k.Hashes == nil {
			k.Hashes = map[string]bool{}
		}
		out[key] = k
	}
	return out, nil
}
