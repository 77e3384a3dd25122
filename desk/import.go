package desk

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"

	"slant/analysis"
	"slant/ingest"
	"slant/models"
)

// Importing many articles at once, for researchers who bring a corpus
// rather than a pasted article: the records of a JSON Lines or CSV file
// (OpenRecords) are checked like any other article, their HTML turned
// into text, every new article analyzed on the worker pool, and all of
// them stored with their analyses in one transaction
// (models.Store.Import). `slant import` and POST /api/v1/import both use
// Import.
//
// The file streams through: a reader checks the records and hands them on
// in batches (at most batchLines good lines or batchBytes of text); each
// batch is taken in, admitted by the transaction's session (is the text
// or the id already in the event? is there room?), analyzed on the pool
// while the batch before it is written, and forgotten. Memory stays that
// of a few batches, whatever the size of the file; the transaction stays
// one, so an import is stored whole or not at all, even if the process
// is killed. On SQLite the transaction holds the database's write lock
// from start to end: other writers wait (up to the busy timeout).
//
// Bad lines are reported by line number, the first MaxLineErrors in the
// result with their total count, every one through ImportOptions.Outcome.
// In ModeSkip the file is stored without them; in ModeStrict any bad line
// rejects the whole file with a RejectedError and nothing is stored.
// Articles whose event already holds the same text, or the same id, are
// skipped as duplicates and nothing stored is updated, so importing a
// file twice adds nothing.

// MaxLineErrors is how many line errors an ImportResult (and a
// RejectedError) lists; LineErrorCount says how many there were.
const MaxLineErrors = 100

// MaxChangedTexts is how many re-imported ids with a changed text an
// ImportResult lists; ChangedTextCount says how many there were.
const MaxChangedTexts = 5

// Batch bounds: a batch is analyzed while the one before it is written, so
// about three are in memory at once, each with its reports (some ten
// times the size of its text).
const (
	batchLines = 256
	batchBytes = 2 << 20
	// batchAllLines bounds the lines of a batch, bad ones included, so
	// that a file of tiny bad lines moves along in bounded steps too.
	batchAllLines = 1024
)

// ImportOptions tunes Import. The zero value is usable: skip mode, one
// worker per CPU, the desk's limits.
type ImportOptions struct {
	Mode Mode
	// Workers bounds the goroutines that extract and analyze; zero means
	// GOMAXPROCS.
	Workers int
	// Unlimited lifts the text size and per-event limits: the command
	// line, run by whoever runs the server, has none. The limits on the
	// short fields, the id and the metadata always hold.
	Unlimited bool
	// Progress, when set, is called as lines are done (StageImport, Done
	// counting lines; the total is not known while the file streams),
	// never from two goroutines at once.
	Progress func(Progress)
	// Outcome, when set, is called with the outcome of every line that
	// held a record or was bad, in line order, from one goroutine. In an
	// import that is rejected (RejectedError) or fails, nothing is
	// stored, whatever the outcomes said.
	Outcome func(LineOutcome)
}

// Outcome is what became of one line of an import file.
type Outcome string

// The outcomes.
const (
	// OutcomeAdded: the article was stored.
	OutcomeAdded Outcome = "added"
	// OutcomeDuplicate: its event already held the same text or the same
	// id; nothing was stored or updated.
	OutcomeDuplicate Outcome = "duplicate"
	// OutcomeBad: the line was left out (ModeSkip) or is why the file was
	// refused (ModeStrict); Reason says why.
	OutcomeBad Outcome = "bad"
	// OutcomeRefused: a good line of a file refused in ModeStrict, not
	// stored because of the bad ones.
	OutcomeRefused Outcome = "refused"
)

// LineOutcome is the outcome of one line of an import file.
type LineOutcome struct {
	Line    int     `json:"line"`
	Outcome Outcome `json:"outcome"`
	// ID is the record's own id, "" when it has none.
	ID string `json:"id,omitempty"`
	// EventID and ArticleID say where an added article went, or which
	// stored article a duplicate repeats (0 when it repeats a line).
	EventID   int64 `json:"event_id,omitempty"`
	ArticleID int64 `json:"article_id,omitempty"`
	// Reason says why a line is bad or a duplicate.
	Reason string `json:"reason,omitempty"`
}

// ImportResult says what an import stored and what it left out.
type ImportResult struct {
	Mode Mode
	// Records counts the lines read as records, good or bad.
	Records int
	// Added counts the articles stored, each with its analysis.
	Added int
	// SkippedDuplicates counts the articles left out because their event
	// already held the same text or id; SkippedKnownIDs those of them
	// whose id was already stored (nothing was updated).
	SkippedDuplicates int
	SkippedKnownIDs   int
	// ChangedTexts lists the first MaxChangedTexts of the known-id
	// duplicates whose text differs from the stored one (the new text was
	// not stored), by line; ChangedTextCount counts all of them.
	ChangedTexts     []LineOutcome
	ChangedTextCount int
	// LineErrors lists the first MaxLineErrors bad lines, by line number,
	// that were left out (ModeSkip); LineErrorCount counts all of them.
	LineErrors     []ingest.LineError
	LineErrorCount int
	// Events lists the events the import touched, in the order they first
	// appear in the file.
	Events []models.ImportedEvent
	// OutletsCreated counts the outlets the import created.
	OutletsCreated int
	// LexiconVersion is the analysis version the analyses were made with.
	LexiconVersion string
}

// addLineError counts a bad line and keeps it when fewer than
// MaxLineErrors are kept.
func (r *ImportResult) addLineError(le ingest.LineError) {
	r.LineErrorCount++
	if len(r.LineErrors) < MaxLineErrors {
		r.LineErrors = append(r.LineErrors, le)
	}
}

// importLine is one line on its way through an import. A line that was
// never a record (bad JSON, a bad CSV row) is a few words; a record
// carries its work.
type importLine struct {
	line int
	// id is the record's own id, "" when it has none (or is no record).
	id  string
	bad bool
	// problem says why a bad line is bad.
	problem string
	// admitted lines are analyzed and stored; a duplicate says what it
	// repeats.
	admitted  bool
	duplicate *models.Admission
	*lineWork
}

// lineWork is a record's way through an import.
type lineWork struct {
	sub Submission
	in  takenIn
	// size is the bytes of text and page the line holds.
	size   int
	item   models.ImportItem
	stored models.Stored
}

// fail marks a line bad.
func (l *importLine) fail(problem string) {
	l.bad, l.problem = true, problem
}

// importRun is one import in progress.
type importRun struct {
	d        *Desk
	opts     ImportOptions
	analyzer *analysis.Analyzer
	res      *ImportResult
	done     int
	// sawBad is set once any line is bad: a strict import then only
	// checks the rest.
	sawBad bool
	// readErr is set by the reader, before it closes its channel, when
	// the file could not be read to its end: then nothing is stored.
	readErr error
}

// Import reads records from src (OpenRecords) and stores them as one
// batch: see the comment at the top of this file. ctx bounds the whole
// import; cancelled, nothing is stored.
func (d *Desk) Import(ctx context.Context, src ingest.RecordReader, opts ImportOptions) (ImportResult, error) {
	if opts.Mode == "" {
		opts.Mode = ModeSkip
	}
	if opts.Progress == nil {
		opts.Progress = func(Progress) {}
	}
	analyzer := d.Analyzer()
	res := ImportResult{Mode: opts.Mode, LineErrors: []ingest.LineError{}, Events: []models.ImportedEvent{}, LexiconVersion: analyzer.Version()}
	run := &importRun{d: d, opts: opts, analyzer: analyzer, res: &res}

	// work ends the reader and the analyses still running when Import
	// returns.
	work, stop := context.WithCancel(ctx)
	batches := make(chan []importLine, 1)
	var reading sync.WaitGroup
	reading.Go(func() { run.read(work, src, batches) })
	defer func() {
		// The reader may be reading a request body: it must be done
		// with it before Import returns.
		stop()
		for range batches {
		}
		reading.Wait()
	}()

	maxPerEvent := d.limits.MaxArticlesPerEvent
	if opts.Unlimited {
		maxPerEvent = 0
	}
	events, created, err := d.store.Import(ctx, models.ImportOptions{MaxArticlesPerEvent: maxPerEvent}, func(sess *models.ImportSession) error {
		return run.fill(work, sess, batches)
	})
	var rejected *RejectedError
	if errors.As(err, &rejected) {
		return res, err
	}
	if err != nil {
		if ctx.Err() != nil {
			return ImportResult{}, fmt.Errorf("import: %w", ctx.Err())
		}
		return ImportResult{}, fmt.Errorf("import: %w", err)
	}
	res.Events, res.OutletsCreated = events, created
	return res, nil
}

// read checks the records of src and sends them on in batches, ending
// when the file does or ctx is cancelled.
func (run *importRun) read(ctx context.Context, src ingest.RecordReader, batches chan<- []importLine) {
	defer close(batches)
	// (A batch read before a read error is not sent: nothing will be
	// stored.)
	var batch []importLine
	good, size := 0, 0
	send := func() bool {
		if len(batch) == 0 {
			return true
		}
		select {
		case batches <- batch:
			batch, good, size = nil, 0, 0
			return true
		case <-ctx.Done():
			return false
		}
	}
	for ctx.Err() == nil {
		rec, err := src.Next()
		if err == io.EOF {
			break
		}
		var l importLine
		var le ingest.LineError
		var re *ingest.ReadError
		switch {
		case errors.As(err, &re):
			run.readErr = re
			return
		case errors.As(err, &le):
			l = importLine{line: le.Line}
			l.fail(le.Err)
		case err != nil:
			l = importLine{line: rec.Line}
			l.fail("read error: " + err.Error())
		default:
			l = run.d.checkLine(rec, run.opts.Unlimited)
			if !l.bad {
				good++
				size += l.size
			}
		}
		batch = append(batch, l)
		if (good >= batchLines || size >= batchBytes || len(batch) >= batchAllLines) && !send() {
			return
		}
	}
	send()
}

// checkLine checks one record, the cheap way, before any page is read.
func (d *Desk) checkLine(rec ingest.Record, unlimited bool) importLine {
	l := importLine{line: rec.Line, id: rec.ID, lineWork: &lineWork{sub: submission(rec), size: len(rec.Text) + len(rec.HTML)}}
	if p := l.sub.check(imported); len(p) > 0 {
		l.fail(p.line())
	} else if msg := d.textTooLarge(l.sub.Text, unlimited); msg != "" {
		l.fail(msg)
	}
	if l.bad {
		l.lineWork = nil // its text is no longer needed
	}
	return l
}

// textTooLarge says why a text is over the limit (checkTextSize), or ""
// when it is not or the import is unlimited.
func (d *Desk) textTooLarge(text string, unlimited bool) string {
	if unlimited {
		return ""
	}
	if err := d.checkTextSize(text); err != nil {
		return err.Error()
	}
	return ""
}

// strict reports whether the import refuses the whole file on a bad line.
func (run *importRun) strict() bool { return run.opts.Mode == ModeStrict }

// fill is the import's transaction: each batch is taken in and admitted,
// then analyzed while the batch before it is stored. In ModeStrict, once a
// line is bad nothing more is analyzed or stored: the rest of the file is
// only checked, so that every bad line is listed, and the transaction is
// rolled back.
func (run *importRun) fill(ctx context.Context, sess *models.ImportSession, batches <-chan []importLine) error {
	var pending *analyzedBatch
	for batch := range batches {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := run.takeIn(ctx, batch); err != nil {
			return err
		}
		if err := run.admit(sess, batch); err != nil {
			return err
		}
		if hasBad(batch) {
			run.sawBad = true
		}
		next := run.analyze(ctx, batch)
		if pending != nil {
			if err := run.store(sess, pending); err != nil {
				return err
			}
		}
		pending = next
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if run.readErr != nil {
		return fmt.Errorf("the file could not be read to its end, nothing was stored: %w", run.readErr)
	}
	if pending != nil {
		if err := run.store(sess, pending); err != nil {
			return err
		}
	}
	if run.strict() && run.res.LineErrorCount > 0 {
		return &RejectedError{LineErrors: run.res.LineErrors, Count: run.res.LineErrorCount}
	}
	if run.res.Added+run.res.SkippedDuplicates == 0 && run.res.LineErrorCount > 0 {
		// Every line was bad: nothing to store, and the caller is told
		// (exit status 1, 422).
		return &RejectedError{LineErrors: run.res.LineErrors, Count: run.res.LineErrorCount, NothingGood: true}
	}
	return nil
}

// takeIn works out the text of every good line of a batch on the worker
// pool (HTML through the extractor) and checks what came out.
func (run *importRun) takeIn(ctx context.Context, batch []importLine) error {
	d := run.d
	err := forEach(ctx, run.opts.Workers, len(batch), func(i int) {
		l := &batch[i]
		if l.bad {
			return
		}
		in, err := d.takeIn(ctx, l.sub, imported, nil)
		if err != nil {
			l.fail(err.Error())
			return
		}
		if p := checkTaken(&in); len(p) > 0 {
			l.fail(p.line())
			return
		}
		if msg := d.textTooLarge(in.sub.Text, run.opts.Unlimited); msg != "" {
			l.fail(msg)
			return
		}
		l.in = in
	}, nil)
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	return nil
}

// admit asks the session about every good line of a batch: new, a
// duplicate, or refused (its event full, its id repeated with another
// text).
func (run *importRun) admit(sess *models.ImportSession, batch []importLine) error {
	for i := range batch {
		l := &batch[i]
		if l.bad {
			continue
		}
		adm, err := sess.Admit(l.line, l.in.sub.EventKey, l.in.hash, l.in.sub.ExternalID)
		if err != nil {
			return err
		}
		switch adm.Verdict {
		case models.Admitted:
			l.admitted = true
		case models.Duplicate:
			l.duplicate = &adm
		case models.Refused:
			l.fail(adm.Reason)
		}
	}
	return nil
}

// analyzedBatch is a batch whose admitted lines are being analyzed.
type analyzedBatch struct {
	lines []importLine
	done  chan error
}

// analyze starts the analysis of a batch's admitted lines on the worker
// pool and returns at once. In ModeStrict with a bad line seen, nothing is
// analyzed: the file will be refused.
func (run *importRun) analyze(ctx context.Context, batch []importLine) *analyzedBatch {
	b := &analyzedBatch{lines: batch, done: make(chan error, 1)}
	var todo []*importLine
	for i := range batch {
		if batch[i].admitted {
			todo = append(todo, &batch[i])
		}
	}
	if run.strict() && run.sawBad {
		todo = nil
		for i := range batch {
			batch[i].admitted = false
		}
	}
	analyzer, d, workers := run.analyzer, run.d, run.opts.Workers
	go func() {
		errs := make([]error, len(todo))
		err := forEach(ctx, workers, len(todo), func(i int) {
			l := todo[i]
			an, _, err := d.analyze(ctx, analyzer, l.in.sub.Title, l.in.sub.Text)
			if err != nil {
				errs[i] = fmt.Errorf("line %d: %w", l.line, err)
				return
			}
			s := l.in.sub
			l.item = models.ImportItem{
				Line: l.line, EventKey: s.EventKey, Outlet: s.Outlet, OutletDomain: s.OutletDomain,
				Title: s.Title, URL: s.URL, PublishedAt: s.PublishedAt, Body: s.Text,
				ContentHash: l.in.hash, Language: l.in.intake.Language.Code, ExternalID: s.ExternalID, Metadata: s.Metadata, Analysis: an,
			}
		}, nil)
		if err == nil {
			err = errors.Join(errs...)
		}
		b.done <- err
	}()
	return b
}

// hasBad reports whether a batch has a bad line.
func hasBad(batch []importLine) bool {
	for _, l := range batch {
		if l.bad {
			return true
		}
	}
	return false
}

// store waits for a batch's analyses, stores its admitted lines and
// reports the outcome of each of its lines.
func (run *importRun) store(sess *models.ImportSession, b *analyzedBatch) error {
	if err := <-b.done; err != nil {
		return fmt.Errorf("import: %w", err)
	}
	var items []models.ImportItem
	var admitted []*importLine
	for i := range b.lines {
		l := &b.lines[i]
		if l.admitted && run.strict() && run.sawBad {
			l.admitted = false // the file will be refused: why write it
		}
		if l.admitted {
			items = append(items, l.item)
			admitted = append(admitted, l)
		}
	}
	if len(items) > 0 {
		stored, err := sess.Store(items, nil)
		if err != nil {
			return err
		}
		for i, s := range stored {
			admitted[i].stored = s
		}
	}
	run.report(b.lines)
	return nil
}

// report counts and reports the outcome of every line of a stored batch,
// in line order (the order the reader read them in).
func (run *importRun) report(lines []importLine) {
	for i := range lines {
		l := &lines[i]
		out := LineOutcome{Line: l.line, ID: l.id}
		switch {
		case l.bad:
			out.Outcome, out.Reason = OutcomeBad, l.problem
			run.res.addLineError(ingest.LineError{Line: l.line, Err: l.problem})
		case l.duplicate != nil:
			out.Outcome, out.Reason = OutcomeDuplicate, l.duplicate.Reason
			out.EventID, out.ArticleID = l.duplicate.EventID, l.duplicate.ArticleID
			run.res.SkippedDuplicates++
			if l.duplicate.SameID {
				run.res.SkippedKnownIDs++
			}
			if l.duplicate.TextChanged {
				run.res.ChangedTextCount++
				if len(run.res.ChangedTexts) < MaxChangedTexts {
					run.res.ChangedTexts = append(run.res.ChangedTexts, out)
				}
			}
		case l.admitted:
			out.Outcome, out.EventID, out.ArticleID = OutcomeAdded, l.stored.EventID, l.stored.ArticleID
			run.res.Added++
		default:
			// A good line of a strict import with bad lines.
			out.Outcome, out.Reason = OutcomeRefused, "not stored: the file has bad lines and was refused whole (strict mode)"
		}
		run.res.Records++
		if run.opts.Outcome != nil {
			run.opts.Outcome(out)
		}
	}
	run.done += len(lines)
	run.opts.Progress(Progress{Stage: StageImport, Done: run.done})
}
