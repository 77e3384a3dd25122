// Package bulk imports many articles at once, for researchers who bring a
// corpus rather than a pasted article: it reads JSON Lines or CSV records
// (ingest.ParseJSONL, ingest.ParseCSV), turns HTML into text, analyzes every
// new article in a bounded worker pool, and stores the batch with its
// analyses in one transaction (models.Store.ImportBatch). The CLI's
// `slant import` and the API's POST /api/v1/import both use Import.
//
// Bad lines are reported by line number. In ModeSkip the batch is stored
// without them; in ModeStrict any bad line rejects the whole batch with a
// RejectedError and nothing is stored. Either way a batch is never stored
// in part. Articles whose event already holds the same text are skipped
// as duplicates, so importing a file twice adds nothing.
package bulk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"slant/analysis"
	"slant/ingest"
	"slant/models"
)

// Mode says what happens to a batch with bad lines.
type Mode string

// The import modes.
const (
	// ModeSkip stores the good lines and reports the bad ones.
	ModeSkip Mode = "skip"
	// ModeStrict stores nothing when any line is bad.
	ModeStrict Mode = "strict"
)

// ParseMode reads a mode: "skip" (or "skip-bad") and "strict" (or
// "all-or-nothing"); empty means ModeSkip.
func ParseMode(s string) (Mode, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "skip", "skip-bad":
		return ModeSkip, nil
	case "strict", "all-or-nothing":
		return ModeStrict, nil
	}
	return "", fmt.Errorf("mode %q is not skip (skip-bad) or strict (all-or-nothing)", s)
}

// Format is the layout of an import file.
type Format string

// The import formats.
const (
	// FormatJSONL is JSON Lines: one JSON object per line.
	FormatJSONL Format = "jsonl"
	// FormatCSV is RFC 4180 CSV with a header row.
	FormatCSV Format = "csv"
)

// ParseFormat reads a format name: jsonl (or ndjson) or csv.
func ParseFormat(s string) (Format, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "jsonl", "ndjson", "json":
		return FormatJSONL, nil
	case "csv":
		return FormatCSV, nil
	}
	return "", fmt.Errorf("format %q is not jsonl or csv", s)
}

// FormatOf picks the format from a file name's extension: .jsonl, .ndjson
// and .json are JSON Lines, .csv is CSV.
func FormatOf(name string) (Format, error) {
	ext := strings.TrimPrefix(strings.ToLower(filepath.Ext(name)), ".")
	f, err := ParseFormat(ext)
	if err != nil || ext == "" {
		return "", fmt.Errorf("cannot tell the format of %s from its extension: name it .jsonl or .csv, or give the format", name)
	}
	return f, nil
}

// Read parses an import file in the given format. Bad lines come back as
// LineErrors; the good ones as Records.
func Read(r io.Reader, f Format) ([]ingest.Record, []ingest.LineError) {
	if f == FormatCSV {
		return ingest.ParseCSV(r)
	}
	return ingest.ParseJSONL(r, 0)
}

// Stage names a step of an import, for progress reports.
type Stage string

// The stages of Import, in order.
const (
	StagePrepare Stage = "preparing"
	StageAnalyze Stage = "analyzing"
	StageStore   Stage = "storing"
)

// Progress says how far a stage has got.
type Progress struct {
	Stage Stage
	Done  int
	Total int
}

// Options tunes Import. The zero value is usable: skip mode, one analysis
// worker per CPU, no limits.
type Options struct {
	Mode Mode
	// Workers bounds the goroutines that extract and analyze; zero means
	// GOMAXPROCS.
	Workers int
	// MaxTextBytes refuses articles whose text is longer; zero means no
	// limit.
	MaxTextBytes int
	// MaxArticlesPerEvent refuses articles that would take an event past
	// this many; zero means no limit.
	MaxArticlesPerEvent int
	// Extractor turns html records into text; nil means
	// ingest.NewExtractor().
	Extractor ingest.Extractor
	// Progress, when set, is called as the stages advance, never from two
	// goroutines at once.
	Progress func(Progress)
	// Now stamps the analyses; nil means time.Now.
	Now func() time.Time
}

// Result says what an import stored and what it left out.
type Result struct {
	Mode Mode `json:"mode"`
	// Records counts the lines read as records, good or bad.
	Records int `json:"records"`
	// Added counts the articles stored, each with its analysis.
	Added int `json:"added"`
	// SkippedDuplicates counts the articles left out because their event
	// already held the same text.
	SkippedDuplicates int `json:"skipped_duplicates"`
	// LineErrors lists the bad lines, by line number, that were left out
	// (ModeSkip).
	LineErrors []ingest.LineError `json:"line_errors"`
	// Events lists the events the import touched, in the order they first
	// appear in the file.
	Events []models.ImportedEvent `json:"events"`
	// OutletsCreated counts the outlets the import created.
	OutletsCreated int `json:"outlets_created"`
	// LexiconVersion is the lexicon the analyses were made with.
	LexiconVersion string `json:"lexicon_version"`
}

// RejectedError is Import's answer in ModeStrict when any line is bad:
// nothing was stored. errors.Is(err, models.ErrInvalid) holds.
type RejectedError struct {
	LineErrors []ingest.LineError
}

// Error says how many lines are bad and quotes the first.
func (e *RejectedError) Error() string {
	if len(e.LineErrors) == 0 {
		return "import rejected"
	}
	return fmt.Sprintf("import rejected, nothing stored: %d bad lines, the first %s", len(e.LineErrors), e.LineErrors[0])
}

// Is makes errors.Is(err, models.ErrInvalid) true.
func (e *RejectedError) Is(target error) bool { return target == models.ErrInvalid }

// prepared is a record turned into an article's fields, before analysis.
type prepared struct {
	rec    ingest.Record
	text   string
	title  string
	url    string
	domain string
	hash   string
	pub    *time.Time
	err    error
}

// Import stores records, already parsed with their line errors, as one
// batch: see the package comment. ctx bounds the whole import; cancelled,
// nothing is stored.
func Import(ctx context.Context, store *models.Store, analyzer *analysis.Analyzer, records []ingest.Record, lineErrors []ingest.LineError, opts Options) (Result, error) {
	if opts.Mode == "" {
		opts.Mode = ModeSkip
	}
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	extractor := opts.Extractor
	if extractor == nil {
		extractor = ingest.NewExtractor()
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	strict := opts.Mode == ModeStrict
	progress := lockedProgress(opts.Progress)

	res := Result{
		Mode:           opts.Mode,
		Records:        len(records) + len(lineErrors),
		LineErrors:     append([]ingest.LineError{}, lineErrors...),
		Events:         []models.ImportedEvent{},
		LexiconVersion: analyzer.Version(),
	}
	if strict && len(res.LineErrors) > 0 {
		return res, reject(res.LineErrors)
	}

	// Extract text from HTML and check sizes.
	prep := make([]prepared, len(records))
	err := parallel(ctx, workers, len(records), func(i int) {
		prep[i] = prepare(records[i], extractor, opts.MaxTextBytes)
	}, func(done int) { progress(Progress{Stage: StagePrepare, Done: done, Total: len(records)}) })
	if err != nil {
		return Result{}, fmt.Errorf("import: %w", err)
	}
	for _, p := range prep {
		if p.err != nil {
			res.LineErrors = append(res.LineErrors, ingest.LineError{Line: p.rec.Line, Err: p.err.Error()})
		}
	}
	if strict && len(res.LineErrors) > 0 {
		return res, reject(res.LineErrors)
	}

	// Leave out what is stored already, before paying for its analysis.
	keys := make([]string, 0, len(prep))
	for _, p := range prep {
		keys = append(keys, p.rec.Event)
	}
	known, err := store.KnownImports(ctx, keys)
	if err != nil {
		return Result{}, fmt.Errorf("import: %w", err)
	}
	seen := map[string]map[string]bool{}
	earlyDuplicates := map[string]int{}
	var todo []*prepared
	for i := range prep {
		p := &prep[i]
		if p.err != nil {
			continue
		}
		key := p.rec.Event
		if seen[key] == nil {
			seen[key] = map[string]bool{}
		}
		if known[key].Hashes[p.hash] || seen[key][p.hash] {
			earlyDuplicates[key]++
			res.SkippedDuplicates++
			continue
		}
		seen[key][p.hash] = true
		todo = append(todo, p)
	}

	// Analyze the rest.
	items := make([]models.ImportItem, len(todo))
	err = parallel(ctx, workers, len(todo), func(i int) {
		items[i] = analyzeItem(analyzer, todo[i], now)
	}, func(done int) { progress(Progress{Stage: StageAnalyze, Done: done, Total: len(todo)}) })
	if err != nil {
		return Result{}, fmt.Errorf("import: %w", err)
	}
	for i := range items {
		if items[i].Analysis.Report == nil {
			return Result{}, fmt.Errorf("import: encode report of line %d: %w", items[i].Line, errEncode)
		}
	}

	// Store the batch in one transaction.
	batch, err := store.ImportBatch(ctx, items, models.ImportOptions{
		MaxArticlesPerEvent: opts.MaxArticlesPerEvent,
		AllOrNothing:        strict,
		Progress: func(stored, total int) {
			progress(Progress{Stage: StageStore, Done: stored, Total: total})
		},
	})
	var refused *models.ImportRefusedError
	if errors.As(err, &refused) {
		for _, r := range refused.Refused {
			res.LineErrors = append(res.LineErrors, ingest.LineError{Line: r.Line, Err: r.Problem})
		}
		return res, reject(res.LineErrors)
	}
	if err != nil {
		return Result{}, fmt.Errorf("import: %w", err)
	}
	for _, r := range batch.Refused {
		res.LineErrors = append(res.LineErrors, ingest.LineError{Line: r.Line, Err: r.Problem})
	}
	sortLineErrors(res.LineErrors)
	res.Added = batch.Added
	res.SkippedDuplicates += len(batch.Duplicates)
	res.OutletsCreated = batch.OutletsCreated
	res.Events = mergeEvents(keys, prep, batch.Events, known, earlyDuplicates)
	return res, nil
}

// errEncode stands for a report that could not be encoded; it cannot
// happen with the analysis package's plain types.
var errEncode = errors.New("report could not be encoded")

// reject sorts the line errors and wraps them in a RejectedError.
func reject(lineErrors []ingest.LineError) error {
	sortLineErrors(lineErrors)
	return &RejectedError{LineErrors: lineErrors}
}

// sortLineErrors orders line errors by line, keeping the order of several
// errors on one line.
func sortLineErrors(errs []ingest.LineError) {
	sort.SliceStable(errs, func(i, j int) bool { return errs[i].Line < errs[j].Line })
}

// prepare turns one record into article fields: HTML through the
// extractor (title, date and canonical URL fill the record's empty ones),
// text kept exactly as given, and the outlet's domain from the URL.
func prepare(rec ingest.Record, extractor ingest.Extractor, maxText int) prepared {
	p := prepared{rec: rec, text: rec.Text, title: rec.Title, url: rec.URL, pub: rec.PublishedAt}
	var pageURL *url.URL
	if rec.URL != "" {
		pageURL, _ = url.Parse(rec.URL)
	}
	if strings.TrimSpace(rec.Text) == "" && rec.HTML != "" {
		art, err := extractor.Extract([]byte(rec.HTML), pageURL)
		if err != nil {
			if errors.Is(err, ingest.ErrNoArticle) {
				p.err = errors.New("html: no article text found in the page")
			} else {
				p.err = errors.New("html: the page could not be read")
			}
			return p
		}
		p.text = art.Text
		if p.title == "" {
			p.title = art.Title
		}
		if p.pub == nil {
			p.pub = art.PublishedAt
		}
		if p.url == "" && art.CanonicalURL != "" {
			p.url = art.CanonicalURL
			pageURL, _ = url.Parse(art.CanonicalURL)
		}
	}
	if maxText > 0 && len(p.text) > maxText {
		p.err = fmt.Errorf("text is larger than %d bytes, the most this Slant accepts", maxText)
		return p
	}
	_, p.domain = ingest.OutletFromURL(pageURL)
	p.hash = models.ContentHash(p.text)
	return p
}

// analyzeItem analyzes a prepared article and packs it for the store. A
// report that cannot be encoded leaves Analysis.Report nil.
func analyzeItem(analyzer *analysis.Analyzer, p *prepared, now func() time.Time) models.ImportItem {
	title := strings.TrimSpace(p.title)
	report := analyzer.Analyze(analysis.Document{Title: title, Text: p.text})
	data, err := json.Marshal(report)
	if err != nil {
		data = nil
	}
	return models.ImportItem{
		Line:         p.rec.Line,
		EventKey:     p.rec.Event,
		Outlet:       p.rec.Outlet,
		OutletDomain: p.domain,
		Title:        title,
		URL:          p.url,
		PublishedAt:  p.pub,
		Body:         p.text,
		ContentHash:  p.hash,
		Analysis: models.Analysis{
			Report:         data,
			LexiconVersion: report.LexiconVersion,
			AnalyzedAt:     now().UTC(),
		},
	}
}

// mergeEvents lists every event the import touched in the order their
// keys first appear: those the batch stored into, and those whose
// articles were all skipped before analysis as duplicates.
func mergeEvents(keys []string, prep []prepared, stored []models.ImportedEvent, known map[string]models.KnownImport, early map[string]int) []models.ImportedEvent {
	byKey := map[string]models.ImportedEvent{}
	for _, ev := range stored {
		byKey[ev.Key] = ev
	}
	out := []models.ImportedEvent{}
	done := map[string]bool{}
	for i, key := range keys {
		if done[key] || prep[i].err != nil {
			continue
		}
		done[key] = true
		ev, ok := byKey[key]
		if !ok {
			k, found := known[key]
			if !found {
				continue
			}
			ev = models.ImportedEvent{ID: k.EventID, Key: key, Title: k.Title}
		}
		ev.Duplicates += early[key]
		out = append(out, ev)
	}
	return out
}

// lockedProgress wraps a progress callback so that concurrent workers
// never call it at once; nil stays a no-op.
func lockedProgress(f func(Progress)) func(Progress) {
	if f == nil {
		return func(Progress) {}
	}
	var mu sync.Mutex
	return func(p Progress) {
		mu.Lock()
		defer mu.Unlock()
		f(p)
	}
}

// parallel runs do(0..n-1) on at most workers goroutines and reports the
// number done after each. It stops handing out work when ctx ends and
// returns ctx's error then.
func parallel(ctx context.Context, workers, n int, do func(i int), done func(int)) error {
	if n == 0 {
		done(0)
		return ctx.Err()
	}
	var next, finished atomic.Int64
	var wg sync.WaitGroup
	for range min(workers, n) {
		wg.Go(func() {
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				do(i)
				done(int(finished.Add(1)))
			}
		})
	}
	wg.Wait()
	return ctx.Err()
}
