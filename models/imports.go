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
//
// An import is one transaction however large the file (Store.Import): the
// importer streams the file through an ImportSession, admitting each
// article (is it new? is there room?) before paying for its analysis, and
// storing the analyzed articles a chunk at a time. What the session keeps
// in memory is a few hashes and ids per article of the events it touches,
// never the articles themselves.

// defaultImportChunk is how many rows one INSERT statement carries: small
// enough for every driver's limit on bound parameters (an article has a
// dozen columns), large enough that a batch of thousands needs few
// statements.
const defaultImportChunk = 250

// hashQueryChunk bounds the ids in one IN (...) list.
const hashQueryChunk = 500

// importChunkBytes bounds the text and report bytes one INSERT carries:
// a driver encodes a statement's arguments whole (PostgreSQL's into a
// buffer it keeps), and reports are some ten times their text.
const importChunkBytes = 2 << 20

// ImportItem is one article of an import, ready to store: its event named
// by EventKey, its outlet by name, its analysis already made.
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
	// ExternalID is the researcher's own id of the article, "" for none;
	// unique within the event.
	ExternalID string
	// Metadata are the record's other fields (see metadata.go).
	Metadata Metadata
	// Analysis is the article's report; its ArticleID is filled in.
	Analysis Analysis
}

// ImportOptions tunes an import.
type ImportOptions struct {
	// MaxArticlesPerEvent refuses the articles that would take an event
	// past this many; zero means no limit.
	MaxArticlesPerEvent int
	// AllOrNothing rolls the whole batch back with an ImportRefusedError
	// when any item is refused (ImportBatch). Duplicates are never
	// refusals.
	AllOrNothing bool
	// ChunkSize is how many rows one INSERT carries; zero means 250.
	ChunkSize int
	// Progress, when set, is called inside the transaction after each
	// chunk ImportBatch writes, with the articles stored so far and the
	// number to store. It runs on the importing goroutine: keep it quick.
	Progress func(stored, total int)
}

// ImportRefusal is an item ImportBatch would not store, and why.
type ImportRefusal struct {
	Line    int    `json:"line"`
	Problem string `json:"error"`
}

// ImportedEvent reports what an import did to one event.
type ImportedEvent struct {
	ID    int64  `json:"id"`
	Key   string `json:"key"`
	Title string `json:"title"`
	// Created is true when the import created the event.
	Created bool `json:"created"`
	// Added counts the articles stored in it, Duplicates those skipped
	// because the event already held the same text or the same id.
	Added      int `json:"added"`
	Duplicates int `json:"duplicates"`
}

// ImportResult is what ImportBatch stored and what it left out.
type ImportResult struct {
	// Added counts the articles stored, each with its analysis.
	Added int
	// Duplicates lists the lines of items skipped because their event
	// already held the same text or id (stored before, or earlier in the
	// batch).
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

// Verdict is what an ImportSession decided about one article.
type Verdict int

// The verdicts.
const (
	// Admitted: the article is new and its event has room; analyze it and
	// give it to Store.
	Admitted Verdict = iota
	// Duplicate: the event already holds the same text or the same id
	// (stored before the import, or earlier in it); nothing is updated.
	Duplicate
	// Refused: the article cannot be stored (its event is full, or its id
	// repeats one given earlier in the same import with another text).
	Refused
)

// Admission is an ImportSession's verdict on one article, with the reason
// in words for the person importing.
type Admission struct {
	Verdict Verdict
	Reason  string
	// EventID and ArticleID are the stored event and article a
	// Duplicate repeats, ArticleID 0 when it repeats a line of the same
	// import (and EventID 0 when the event is still to be created).
	EventID   int64
	ArticleID int64
	// SameID is true when a Duplicate repeats an id already stored
	// (whatever its text): re-importing the same ids updates nothing.
	SameID bool
	// TextChanged is true when a Duplicate by an id already stored
	// brings another text than the stored one: the new text was not
	// stored, which the person importing needs to hear about.
	TextChanged bool
}

// Stored is one article an ImportSession stored.
type Stored struct {
	Line      int
	EventID   int64
	ArticleID int64
}

// ImportSession is one import's transaction: Admit each article before
// analyzing it, then Store the admitted ones, a batch at a time. It is
// not safe for concurrent use; it lives for the callback of Store.Import.
type ImportSession struct {
	tx          *gorm.DB
	maxPerEvent int
	chunk       int
	events      map[string]*sessionEvent
	order       []*sessionEvent   // in the order their keys first appear
	outlets     map[string]Outlet // by name
	created     int               // outlets created
	added       int
}

// sessionEvent is what a session knows of one event key.
type sessionEvent struct {
	key     string
	id      int64
	title   string
	found   bool // the event existed when first looked up (rules 1 and 2)
	byTitle bool // found by rule 2: the key is still to be recorded
	claimed bool // the key is recorded, or the event created
	created bool
	// stored maps the content hashes and external ids of the articles
	// stored in the event (before this import, or by it) to their ids.
	stored    map[string]int64
	storedIDs map[string]storedRef
	// admitted maps the hashes and ids admitted by this import and not
	// yet stored to their lines.
	admitted    map[string]int
	admittedIDs map[string]admittedRef
	count       int // articles stored and admitted
	added       int
	duplicates  int
}

// storedRef is a stored article known by its external id.
type storedRef struct {
	articleID int64
	hash      string
}

// admittedRef is an admitted article known by its external id.
type admittedRef struct {
	line int
	hash string
}

// Import runs fill inside one transaction with a session that admits and
// stores articles; fill's error rolls everything back and is returned as
// it is (a store failure inside the session comes back translated).
// ctx bounds the whole import: cancelled, nothing is stored.
func (s *Store) Import(ctx context.Context, opts ImportOptions, fill func(*ImportSession) error) ([]ImportedEvent, int, error) {
	chunk := opts.ChunkSize
	if chunk <= 0 {
		chunk = defaultImportChunk
	}
	var sess *ImportSession
	var fillErr error
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		sess = &ImportSession{
			tx: tx, maxPerEvent: opts.MaxArticlesPerEvent, chunk: chunk,
			events: map[string]*sessionEvent{}, outlets: map[string]Outlet{},
		}
		fillErr = fill(sess)
		return fillErr
	})
	if err != nil {
		if fillErr != nil && errors.Is(err, fillErr) {
			return nil, 0, fillErr
		}
		return nil, 0, wrap(err, "import")
	}
	return sess.Events(), sess.created, nil
}

// Events lists what the session did to each event it admitted an article
// into or found a duplicate in, in the order their keys first appeared.
func (sess *ImportSession) Events() []ImportedEvent {
	out := make([]ImportedEvent, 0, len(sess.order))
	for _, ev := range sess.order {
		if ev.id == 0 {
			continue // only refused articles named it
		}
		out = append(out, ImportedEvent{
			ID: ev.id, Key: ev.key, Title: ev.title, Created: ev.created, Added: ev.added, Duplicates: ev.duplicates,
		})
	}
	return out
}

// Added counts the articles the session stored.
func (sess *ImportSession) Added() int { return sess.added }

// event returns what the session knows of a key, looking the event up
// (without creating it) and reading its stored articles' hashes and ids
// the first time.
func (sess *ImportSession) event(key string) (*sessionEvent, error) {
	if ev, ok := sess.events[key]; ok {
		return ev, nil
	}
	ev := &sessionEvent{key: key, admitted: map[string]int{}, admittedIDs: map[string]admittedRef{}}
	found, byTitle, found2, err := findImportEvent(sess.tx, key)
	if err != nil {
		return nil, err
	}
	if found2 {
		ev.id, ev.title, ev.found, ev.byTitle, ev.claimed = found.ID, found.Title, true, byTitle, !byTitle
		if err := ev.loadStored(sess.tx); err != nil {
			return nil, err
		}
	} else {
		ev.stored, ev.storedIDs = map[string]int64{}, map[string]storedRef{}
	}
	sess.events[key] = ev
	sess.order = append(sess.order, ev)
	return ev, nil
}

// loadStored reads the hashes and external ids of the event's stored
// articles.
func (ev *sessionEvent) loadStored(tx *gorm.DB) error {
	ev.stored, ev.storedIDs = map[string]int64{}, map[string]storedRef{}
	rows, err := tx.Model(&Article{}).Select("id", "content_hash", "external_id").Where("event_id = ?", ev.id).Rows()
	if err != nil {
		return fmt.Errorf("event %q: read stored articles: %w", ev.key, err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var hash string
		var external *string
		if err := rows.Scan(&id, &hash, &external); err != nil {
			return fmt.Errorf("event %q: read stored articles: %w", ev.key, err)
		}
		ev.stored[hash] = id
		if external != nil {
			ev.storedIDs[*external] = storedRef{articleID: id, hash: hash}
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("event %q: read stored articles: %w", ev.key, err)
	}
	ev.count = len(ev.stored)
	return nil
}

// Admit decides whether the article of line, with this content hash and
// external id ("" for none), goes into the event key names: Admitted
// (reserved: a later article with the same text or id is its duplicate),
// Duplicate or Refused. An admitted article must be given to Store; an
// import that stops before does not commit.
func (sess *ImportSession) Admit(line int, key, hash, externalID string) (Admission, error) {
	key = strings.TrimSpace(key)
	ev, err := sess.event(key)
	if err != nil {
		return Admission{}, wrap(err, "import")
	}
	if externalID != "" {
		if ref, ok := ev.storedIDs[externalID]; ok {
			ev.duplicates++
			reason := fmt.Sprintf("id %q is already stored in event %d (article %d); nothing was updated", externalID, ev.id, ref.articleID)
			changed := ref.hash != hash
			if changed {
				reason = fmt.Sprintf("id %q is already stored in event %d (article %d) with another text; nothing was updated (delete that article to import this text)", externalID, ev.id, ref.articleID)
			}
			return Admission{Verdict: Duplicate, Reason: reason, EventID: ev.id, ArticleID: ref.articleID, SameID: true, TextChanged: changed}, nil
		}
		if ref, ok := ev.admittedIDs[externalID]; ok {
			if ref.hash == hash {
				ev.duplicates++
				return Admission{Verdict: Duplicate, Reason: fmt.Sprintf("the same id %q and text as line %d", externalID, ref.line), EventID: ev.id, SameID: true}, nil
			}
			return Admission{Verdict: Refused, Reason: fmt.Sprintf("id %q appears again (first on line %d) with another text: ids must be unique within an event", externalID, ref.line)}, nil
		}
	}
	if id, ok := ev.stored[hash]; ok {
		ev.duplicates++
		return Admission{Verdict: Duplicate, Reason: fmt.Sprintf("event %d already holds the same text (article %d)", ev.id, id), EventID: ev.id, ArticleID: id}, nil
	}
	if first, ok := ev.admitted[hash]; ok {
		ev.duplicates++
		return Admission{Verdict: Duplicate, Reason: fmt.Sprintf("the same text as line %d, for the same event", first), EventID: ev.id}, nil
	}
	if sess.maxPerEvent > 0 && ev.count >= sess.maxPerEvent {
		title := ev.title
		if title == "" {
			title = key
		}
		return Admission{Verdict: Refused, Reason: fmt.Sprintf("event %q already holds %d articles, the most one event may hold", title, ev.count)}, nil
	}
	ev.admitted[hash] = line
	if externalID != "" {
		ev.admittedIDs[externalID] = admittedRef{line: line, hash: hash}
	}
	ev.count++
	return Admission{Verdict: Admitted}, nil
}

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
	if id := strings.TrimSpace(it.ExternalID); id != "" {
		if p := CheckExternalID(id); p != "" {
			return importRow{}, &ValidationError{Field: "id", Problem: p}
		}
		a.ExternalID = &id
	}
	if p := CheckMetadata(it.Metadata); len(p) > 0 {
		return importRow{}, errMetadata(p)
	}
	if len(it.Metadata) > 0 {
		a.Metadata = it.Metadata
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

// Store writes admitted articles with their analyses, a chunk at a time:
// events are claimed or created by key (see the rules at the top of this
// file) and outlets found or created by name. An item that fails the
// store's checks is a *ValidationError, which ends the import: the
// importer checks every item before. It returns where each item went.
func (sess *ImportSession) Store(items []ImportItem, progress func(stored int)) ([]Stored, error) {
	rows := make([]importRow, 0, len(items))
	for _, it := range items {
		r, err := it.row()
		if err != nil {
			return nil, fmt.Errorf("import line %d: %w", it.Line, err)
		}
		ev, ok := sess.events[r.key]
		if !ok || ev.admitted[r.article.ContentHash] != it.Line {
			return nil, fmt.Errorf("import line %d: stored without being admitted", it.Line)
		}
		rows = append(rows, r)
	}
	if err := sess.claim(rows); err != nil {
		return nil, wrap(err, "import")
	}
	out := make([]Stored, 0, len(rows))
	for start := 0; start < len(rows); {
		end, size := start, 0
		for end < len(rows) && end-start < sess.chunk && (end == start || size < importChunkBytes) {
			size += len(rows[end].article.Body) + len(rows[end].analysis.Report)
			end++
		}
		part := rows[start:end]
		start = end
		stored, err := sess.insert(part)
		if err != nil {
			return nil, wrap(err, "import")
		}
		out = append(out, stored...)
		if progress != nil {
			progress(len(out))
		}
	}
	return out, nil
}

// claim finds or creates the events and outlets of the rows.
func (sess *ImportSession) claim(rows []importRow) error {
	for _, r := range rows {
		ev := sess.events[r.key]
		if !ev.claimed && ev.byTitle {
			// Found by its title when first looked up (rule 2): it
			// claims the key now that an article goes into it.
			if err := sess.tx.Model(&Event{}).Where("id = ?", ev.id).Update("import_key", r.key).Error; err != nil {
				return fmt.Errorf("event %q: record import key: %w", r.key, err)
			}
			ev.claimed = true
		}
		if !ev.claimed {
			found, created, err := createImportEvent(sess.tx, r.key)
			if err != nil {
				return err
			}
			ev.id, ev.title, ev.claimed, ev.created = found.ID, found.Title, true, created
			if !created {
				// Another import created it since it was looked up
				// (PostgreSQL lets that happen): what it stored counts,
				// and the unique indexes refuse a repeat.
				count := ev.count
				if err := ev.loadStored(sess.tx); err != nil {
					return err
				}
				ev.count += count
			}
		}
		// An outlet is found or created once, and again only to record
		// the first domain given for it when it has none.
		name := r.article.Outlet.Name
		if o, ok := sess.outlets[name]; !ok || (o.Domain == "" && r.domain != "") {
			o, created, err := findOrCreateOutlet(sess.tx, name, r.domain)
			if err != nil {
				return err
			}
			sess.outlets[name] = o
			if created {
				sess.created++
			}
		}
	}
	return nil
}

// insert writes one chunk of rows, articles then their analyses.
func (sess *ImportSession) insert(part []importRow) ([]Stored, error) {
	articles := make([]Article, len(part))
	for i, r := range part {
		ev := sess.events[r.key]
		articles[i] = r.article
		articles[i].Outlet = Outlet{}
		articles[i].EventID = ev.id
		articles[i].OutletID = sess.outlets[r.article.Outlet.Name].ID
	}
	if err := sess.tx.Omit(clause.Associations).Create(&articles).Error; err != nil {
		return nil, err
	}
	analyses := make([]Analysis, len(part))
	out := make([]Stored, len(part))
	for i, r := range part {
		a := articles[i]
		if a.ID == 0 {
			return nil, errors.New("insert articles: the database returned no id")
		}
		analyses[i] = r.analysis
		analyses[i].ArticleID = a.ID
		ev := sess.events[r.key]
		delete(ev.admitted, a.ContentHash)
		ev.stored[a.ContentHash] = a.ID
		if a.ExternalID != nil {
			delete(ev.admittedIDs, *a.ExternalID)
			ev.storedIDs[*a.ExternalID] = storedRef{articleID: a.ID, hash: a.ContentHash}
		}
		ev.added++
		sess.added++
		out[i] = Stored{Line: r.line, EventID: ev.id, ArticleID: a.ID}
	}
	if err := sess.tx.Omit(clause.Associations).Create(&analyses).Error; err != nil {
		return nil, err
	}
	return out, nil
}

// ImportBatch stores a batch of imported articles with their analyses in
// one transaction (see Import): an item whose event already holds the
// same text or id is skipped as a duplicate, so that importing the same
// batch twice adds nothing. Invalid items, items that would take an
// event past opts.MaxArticlesPerEvent and items repeating an id of the
// batch with another text are refused: left out and listed, or, with
// opts.AllOrNothing, the reason the whole batch is rolled back with an
// ImportRefusedError. Any other failure rolls the batch back too: a batch
// is stored whole or not at all. It holds the whole batch in memory: a
// file of any size goes through Import instead.
func (s *Store) ImportBatch(ctx context.Context, items []ImportItem, opts ImportOptions) (ImportResult, error) {
	var invalid []ImportRefusal
	valid := make([]ImportItem, 0, len(items))
	for _, it := range items {
		r, err := it.row()
		if err != nil {
			invalid = append(invalid, ImportRefusal{Line: it.Line, Problem: err.Error()})
			continue
		}
		it.ContentHash = r.article.ContentHash
		valid = append(valid, it)
	}
	if opts.AllOrNothing && len(invalid) > 0 {
		return ImportResult{Refused: invalid}, fmt.Errorf("import batch: %w", &ImportRefusedError{Refused: invalid})
	}
	result := ImportResult{Refused: invalid}
	events, created, err := s.Import(ctx, opts, func(sess *ImportSession) error {
		var admitted []ImportItem
		for _, it := range valid {
			adm, err := sess.Admit(it.Line, it.EventKey, it.ContentHash, strings.TrimSpace(it.ExternalID))
			if err != nil {
				return err
			}
			switch adm.Verdict {
			case Admitted:
				admitted = append(admitted, it)
			case Duplicate:
				result.Duplicates = append(result.Duplicates, it.Line)
			case Refused:
				result.Refused = append(result.Refused, ImportRefusal{Line: it.Line, Problem: adm.Reason})
			}
		}
		if opts.AllOrNothing && len(result.Refused) > 0 {
			return &ImportRefusedError{Refused: result.Refused}
		}
		_, err := sess.Store(admitted, func(stored int) {
			if opts.Progress != nil {
				opts.Progress(stored, len(admitted))
			}
		})
		result.Added = sess.Added()
		return err
	})
	var refused *ImportRefusedError
	if errors.As(err, &refused) {
		return ImportResult{Refused: refused.Refused}, fmt.Errorf("import batch: %w", err)
	}
	if err != nil {
		return ImportResult{}, fmt.Errorf("import batch of %d articles: %w", len(items), err)
	}
	result.Events, result.OutletsCreated = events, created
	return result, nil
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

// createImportEvent creates the event of a key no event has (rule 3) with
// INSERT .. ON CONFLICT DO NOTHING on the unique import key, so that two
// imports creating the same event at once both end up with the one event.
// created says it is new; when it is not, another import made it since
// the key was looked up.
func createImportEvent(tx *gorm.DB, key string) (Event, bool, error) {
	ev := Event{Title: key, ImportKey: &key}
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
