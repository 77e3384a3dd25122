package desk

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"slant/analysis"
	"slant/ingest"
	"slant/models"
)

// Importing many articles at once, for researchers who bring a corpus
// rather than a pasted article: the records of a JSON Lines or CSV file
// (ReadRecords) are checked like any other article, their HTML turned
// into text, every new article analyzed on the worker pool, and the batch
// stored with its analyses in one transaction (models.Store.ImportBatch).
// `slant import` and POST /api/v1/import both use Import.
//
// Bad lines are reported by line number. In ModeSkip the batch is stored
// without them; in ModeStrict any bad line rejects the whole batch with a
// RejectedError and nothing is stored. Either way a batch is never stored
// in part. Articles whose event already holds the same text are skipped
// as duplicates, so importing a file twice adds nothing.

// ImportOptions tunes Import. The zero value is usable: skip mode, one
// worker per CPU, the desk's limits.
type ImportOptions struct {
	Mode Mode
	// Workers bounds the goroutines that extract and analyze; zero means
	// GOMAXPROCS.
	Workers int
	// Unlimited lifts the text size and per-event limits: the command
	// line, run by whoever runs the server, has none. The limits on the
	// short fields always hold.
	Unlimited bool
	// Progress, when set, is called as the stages advance, never from two
	// goroutines at once.
	Progress func(Progress)
}

// ImportResult says what an import stored and what it left out.
type ImportResult struct {
	Mode Mode
	// Records counts the lines read as records, good or bad.
	Records int
	// Added counts the articles stored, each with its analysis.
	Added int
	// SkippedDuplicates counts the articles left out because their event
	// already held the same text.
	SkippedDuplicates int
	// LineErrors lists the bad lines, by line number, that were left out
	// (ModeSkip).
	LineErrors []ingest.LineError
	// Events lists the events the import touched, in the order they first
	// appear in the file.
	Events []models.ImportedEvent
	// OutletsCreated counts the outlets the import created.
	OutletsCreated int
	// LexiconVersion is the analysis version the analyses were made with.
	LexiconVersion string
}

// importLine is one record on its way through an import.
type importLine struct {
	line int
	sub  Submission
	in   takenIn
	bad  bool
}

// Import stores records, already parsed with their line errors
// (ReadRecords), as one batch: see the comment at the top of this file.
// ctx bounds the whole import; cancelled, nothing is stored.
func (d *Desk) Import(ctx context.Context, records []ingest.Record, lineErrors []ingest.LineError, opts ImportOptions) (ImportResult, error) {
	if opts.Mode == "" {
		opts.Mode = ModeSkip
	}
	strict := opts.Mode == ModeStrict
	progress := opts.Progress
	if progress == nil {
		progress = func(Progress) {}
	}
	analyzer := d.Analyzer()
	res := ImportResult{
		Mode:           opts.Mode,
		Records:        len(records) + len(lineErrors),
		LineErrors:     append([]ingest.LineError{}, lineErrors...),
		Events:         []models.ImportedEvent{},
		LexiconVersion: analyzer.Version(),
	}
	lines := d.checkLines(records, opts.Unlimited, &res)
	if strict && len(res.LineErrors) > 0 {
		return res, reject(res.LineErrors)
	}
	if err := d.takeInLines(ctx, lines, opts, &res, progress); err != nil {
		return ImportResult{}, err
	}
	if strict && len(res.LineErrors) > 0 {
		return res, reject(res.LineErrors)
	}
	todo, known, early, err := d.newLines(ctx, lines, &res)
	if err != nil {
		return ImportResult{}, fmt.Errorf("import: %w", err)
	}
	items, err := d.analyzeLines(ctx, analyzer, todo, opts.Workers, progress)
	if err != nil {
		return ImportResult{}, err
	}
	return d.storeLines(ctx, items, lines, known, early, opts, res, progress)
}

// checkLines checks every record, the cheap way, before any page is read,
// so that a strict import lists all its bad lines at once.
func (d *Desk) checkLines(records []ingest.Record, unlimited bool, res *ImportResult) []importLine {
	lines := make([]importLine, len(records))
	for i, rec := range records {
		l := importLine{line: rec.Line, sub: submission(rec)}
		p := l.sub.check(imported)
		if len(p) > 0 {
			l.bad = true
			res.LineErrors = append(res.LineErrors, ingest.LineError{Line: l.line, Err: p.line()})
		} else if msg := d.textTooLarge(l.sub.Text, unlimited); msg != "" {
			l.bad = true
			res.LineErrors = append(res.LineErrors, ingest.LineError{Line: l.line, Err: msg})
		}
		lines[i] = l
	}
	return lines
}

// textTooLarge says why a text is over the limit, or "" when it is not.
func (d *Desk) textTooLarge(text string, unlimited bool) string {
	if unlimited || len(text) <= d.limits.MaxTextBytes {
		return ""
	}
	return (&TooLargeError{Field: "text", Limit: d.limits.MaxTextBytes}).Error()
}

// takeInLines works out the text of every good line on the worker pool
// (HTML through the extractor) and checks what came out.
func (d *Desk) takeInLines(ctx context.Context, lines []importLine, opts ImportOptions, res *ImportResult, progress func(Progress)) error {
	problems := make([]string, len(lines))
	err := forEach(ctx, opts.Workers, len(lines), func(i int) {
		l := &lines[i]
		if l.bad {
			return
		}
		in, err := d.takeIn(ctx, l.sub, imported, nil)
		if err != nil {
			problems[i] = err.Error()
			return
		}
		if p := checkTaken(&in); len(p) > 0 {
			problems[i] = p.line()
			return
		}
		problems[i] = d.textTooLarge(in.sub.Text, opts.Unlimited)
		l.in = in
	}, func(done int) { progress(Progress{Stage: StagePrepare, Done: done, Total: len(lines)}) })
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	for i, msg := range problems {
		if msg != "" {
			lines[i].bad = true
			res.LineErrors = append(res.LineErrors, ingest.LineError{Line: lines[i].line, Err: msg})
		}
	}
	return nil
}

// newLines leaves out the lines whose text their event holds already, in
// the store or earlier in the file, before their analysis is paid for. It
// returns the lines to analyze, what the store knows of each event key,
// and how many duplicates each key had.
func (d *Desk) newLines(ctx context.Context, lines []importLine, res *ImportResult) ([]*importLine, map[string]models.KnownImport, map[string]int, error) {
	keys := make([]string, 0, len(lines))
	for _, l := range lines {
		keys = append(keys, l.sub.EventKey)
	}
	known, err := d.store.KnownImports(ctx, keys)
	if err != nil {
		return nil, nil, nil, err
	}
	seen := map[string]map[string]bool{}
	early := map[string]int{}
	var todo []*importLine
	for i := range lines {
		l := &lines[i]
		if l.bad {
			continue
		}
		key := l.sub.EventKey
		if seen[key] == nil {
			seen[key] = map[string]bool{}
		}
		if known[key].Hashes[l.in.hash] || seen[key][l.in.hash] {
			early[key]++
			res.SkippedDuplicates++
			continue
		}
		seen[key][l.in.hash] = true
		todo = append(todo, l)
	}
	return todo, known, early, nil
}

// analyzeLines analyzes the new lines on the worker pool and packs them
// for the store.
func (d *Desk) analyzeLines(ctx context.Context, analyzer *analysis.Analyzer, todo []*importLine, workers int, progress func(Progress)) ([]models.ImportItem, error) {
	items := make([]models.ImportItem, len(todo))
	errs := make([]error, len(todo))
	err := forEach(ctx, workers, len(todo), func(i int) {
		l := todo[i]
		an, _, err := d.analyze(ctx, analyzer, l.in.sub.Title, l.in.sub.Text)
		if err != nil {
			errs[i] = fmt.Errorf("line %d: %w", l.line, err)
			return
		}
		s := l.in.sub
		items[i] = models.ImportItem{
			Line: l.line, EventKey: s.EventKey, Outlet: s.Outlet, OutletDomain: s.OutletDomain,
			Title: s.Title, URL: s.URL, PublishedAt: s.PublishedAt, Body: s.Text,
			ContentHash: l.in.hash, Language: l.in.intake.Language.Code, Analysis: an,
		}
	}, func(done int) { progress(Progress{Stage: StageAnalyze, Done: done, Total: len(todo)}) })
	if err == nil {
		err = errors.Join(errs...)
	}
	if err != nil {
		return nil, fmt.Errorf("import: %w", err)
	}
	return items, nil
}

// storeLines stores the analyzed batch in one transaction and completes
// the result.
func (d *Desk) storeLines(ctx context.Context, items []models.ImportItem, lines []importLine, known map[string]models.KnownImport, early map[string]int, opts ImportOptions, res ImportResult, progress func(Progress)) (ImportResult, error) {
	maxPerEvent := d.limits.MaxArticlesPerEvent
	if opts.Unlimited {
		maxPerEvent = 0
	}
	batch, err := d.store.ImportBatch(ctx, items, models.ImportOptions{
		MaxArticlesPerEvent: maxPerEvent,
		AllOrNothing:        opts.Mode == ModeStrict,
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
		return ImportResult{}, fmt.Errorf("import: %w", err)
	}
	for _, r := range batch.Refused {
		res.LineErrors = append(res.LineErrors, ingest.LineError{Line: r.Line, Err: r.Problem})
	}
	sortLineErrors(res.LineErrors)
	res.Added = batch.Added
	res.SkippedDuplicates += len(batch.Duplicates)
	res.OutletsCreated = batch.OutletsCreated
	res.Events = mergeEvents(lines, batch.Events, known, early)
	return res, nil
}

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

// mergeEvents lists every event the import touched in the order their
// keys first appear: those the batch stored into, and those whose
// articles were all skipped before analysis as duplicates.
func mergeEvents(lines []importLine, stored []models.ImportedEvent, known map[string]models.KnownImport, early map[string]int) []models.ImportedEvent {
	byKey := map[string]models.ImportedEvent{}
	for _, ev := range stored {
		byKey[ev.Key] = ev
	}
	out := []models.ImportedEvent{}
	done := map[string]bool{}
	for _, l := range lines {
		key := l.sub.EventKey
		if done[key] || l.bad {
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
