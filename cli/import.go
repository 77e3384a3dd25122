package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"time"

	"slant/desk"
	"slant/ingest"
	"slant/models"
)

// importCommand is `slant import FILE`: it streams a JSON Lines or CSV
// file of articles through one transaction of the configured database
// (DB_DRIVER, DB_PATH, DATABASE_URL), analyzing them on a pool of workers
// as it goes. Bad lines are printed to stderr by line number (the first
// desk.MaxLineErrors, then their count); with --mode strict
// (all-or-nothing) they refuse the whole file. Articles already stored,
// by text or by id, are skipped and never updated, so a file can be
// imported again safely. A progress bar is drawn on stderr when it is a
// terminal. --report FILE writes every line's outcome as JSON; --quiet
// prints nothing but a failure.
//
// Its exit status is what a script needs (see exitText): 0 when every
// line was stored or skipped as a duplicate, 2 when some lines were left
// out and the rest stored (a *PartialError), 1 when nothing was stored
// because of errors, 64 when it was called wrongly.
//
// Unlike POST /api/v1/import, the command has no size limits and no
// per-event article limit: it is run by whoever runs the server.
func importCommand(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	req, err := parseImportFlags(args)
	if err != nil {
		return err
	}
	cfg, err := LoadConfig(getenv)
	if err != nil {
		return err
	}
	in, size := stdin, int64(0)
	if req.name != "-" {
		f, err := os.Open(req.name)
		if err != nil {
			return fmt.Errorf("import: %w", err)
		}
		defer f.Close()
		if info, err := f.Stat(); err == nil {
			size = info.Size()
		}
		in = f
	}
	counted := &countingReader{r: in}
	src, err := desk.OpenRecords(counted, req.format, req.encoding)
	if err != nil {
		return UsageError{fmt.Sprintf("import: %v", err)}
	}
	store, d, err := openDesk(ctx, cfg, getenv, newLogger(stderr, cfg.LogLevel), desk.Config{})
	if err != nil {
		return err
	}
	defer store.Close()

	report, err := newImportReport(req)
	if err != nil {
		return err
	}
	defer report.discard()
	var bar *importProgress
	if !req.quiet {
		bar = newImportProgress(stderr, counted, size)
	}
	if _, set := os.LookupEnv("GOGC"); !set {
		// An import holds a few batches (50 to 100 MB, more with
		// PostgreSQL's driver) while it allocates gigabytes of
		// short-lived analysis: collecting at three times the live heap
		// rather than twice costs a tenth less CPU (docs/scale.md).
		defer debug.SetGCPercent(debug.SetGCPercent(200))
	}
	if _, set := os.LookupEnv("GOMEMLIMIT"); !set {
		// And a soft limit keeps the heap near 200 MiB when the batches
		// are heavier, so the import stays under 300 MB whatever the
		// file and the database.
		defer debug.SetMemoryLimit(debug.SetMemoryLimit(importMemoryLimit))
	}
	start := time.Now()
	res, err := d.Import(ctx, src, desk.ImportOptions{
		Mode: req.mode, Workers: req.workers, Unlimited: true,
		Progress: bar.update,
		Outcome:  report.add,
	})
	bar.finish()
	elapsed := time.Since(start)

	status, err := importStatus(req, res, err)
	if werr := report.write(req, res, status, err); werr != nil {
		return werr
	}
	if !req.quiet {
		printLineErrors(stderr, req, res, err)
		if err == nil || status == exitPartial {
			printChangedTexts(stderr, req, res)
			printImportSummary(stdout, req.name, res, elapsed)
		}
	}
	return err
}

// importMemoryLimit is the soft memory limit of `slant import` (see
// importCommand).
const importMemoryLimit = 200 << 20

// importStatus turns an import's result into the command's error, whose
// kind gives the exit status: nil (0), a *PartialError (2) or another
// error (1).
func importStatus(req importRequest, res desk.ImportResult, err error) (int, error) {
	var rejected *desk.RejectedError
	switch {
	case errors.As(err, &rejected) && rejected.NothingGood:
		return exitFailed, fmt.Errorf("import %s stored nothing: every line is bad, %s in all%s", req.name, plural(rejected.Total(), "bad line"), listedAbove(req, rejected.Total()))
	case errors.As(err, &rejected):
		return exitFailed, fmt.Errorf("import %s refused, nothing stored: %s%s; fix them, or use --mode skip to store the rest",
			req.name, plural(rejected.Total(), "bad line"), listedAbove(req, rejected.Total()))
	case err != nil:
		return exitFailed, fmt.Errorf("import %s failed, nothing stored: %w", req.name, err)
	case res.Records == 0:
		return exitFailed, fmt.Errorf("import %s stored nothing: the file holds no records", req.name)
	case res.LineErrorCount > 0:
		return exitPartial, &PartialError{msg: fmt.Sprintf("import %s stored in part: %s left out%s", req.name, plural(res.LineErrorCount, "bad line"), listedAbove(req, res.LineErrorCount)), quiet: req.quiet}
	}
	return exitOK, nil
}

// listedAbove says where the bad lines are listed.
func listedAbove(req importRequest, n int) string {
	switch {
	case req.quiet && req.report != "":
		return " (listed in " + req.report + ")"
	case req.quiet:
		return ""
	case n > desk.MaxLineErrors && req.report != "":
		return fmt.Sprintf(" (the first %d listed above, all in %s)", desk.MaxLineErrors, req.report)
	case n > desk.MaxLineErrors:
		return fmt.Sprintf(" (the first %d listed above; --report FILE lists them all)", desk.MaxLineErrors)
	}
	return " (listed above)"
}

// importRequest is what `slant import` was asked to do, its flags read
// and checked.
type importRequest struct {
	name     string // the file, or "-" for standard input
	mode     desk.Mode
	format   desk.Format
	encoding string
	workers  int
	quiet    bool
	report   string // --report FILE, "" for none
	args     []string
}

// parseImportFlags reads and checks the flags and the file of `slant
// import`; the format comes from --format or the file's extension.
func parseImportFlags(args []string) (importRequest, error) {
	flags := flag.NewFlagSet("import", flag.ContinueOnError)
	flags.SetOutput(io.Discard)
	mode := flags.String("mode", "skip", "skip (skip-bad) or strict (all-or-nothing)")
	flags.StringVar(mode, "event-mode", "skip", "the same as --mode")
	formatName := flags.String("format", "", "jsonl or csv; by default from the file's extension")
	encoding := flags.String("encoding", "", "the file's encoding (utf-8 by default; windows-1252, iso-8859-1, utf-16le, ...)")
	workers := flags.Int("workers", 0, "analysis workers; 0 means one per CPU")
	quiet := flags.Bool("quiet", false, "print nothing but a failure; the exit status (and --report) say the rest")
	report := flags.String("report", "", "write every line's outcome, as JSON, to this file")
	files, err := parseInterspersed(flags, args)
	if errors.Is(err, flag.ErrHelp) {
		return importRequest{}, helpFor(flags, "import [flags] FILE (.jsonl or .csv, or - with --format)", "Stores the articles of a JSON Lines or CSV file, analyzed, in one transaction.")
	}
	if err != nil {
		return importRequest{}, UsageError{fmt.Sprintf("import: %v", err)}
	}
	if len(files) != 1 {
		return importRequest{}, UsageError{"import needs exactly one file (.jsonl or .csv, or - for standard input with --format)"}
	}
	req := importRequest{name: files[0], workers: *workers, quiet: *quiet, report: *report, encoding: *encoding, args: args}
	if req.mode, err = desk.ParseMode(*mode); err != nil {
		return importRequest{}, UsageError{fmt.Sprintf("import: %v", err)}
	}
	switch {
	case *formatName != "":
		req.format, err = desk.ParseFormat(*formatName)
	case req.name == "-":
		err = errors.New("reading standard input needs --format jsonl or --format csv")
	default:
		req.format, err = desk.FormatOf(req.name)
	}
	if err != nil {
		return importRequest{}, UsageError{fmt.Sprintf("import: %v", err)}
	}
	if _, err := ingest.DecodeText(strings.NewReader(""), req.encoding); err != nil {
		return importRequest{}, UsageError{fmt.Sprintf("import: --encoding: %v", err)}
	}
	return req, nil
}

// printLineErrors prints the first bad lines on stderr, FILE:LINE: why,
// and how many more there were.
func printLineErrors(stderr io.Writer, req importRequest, res desk.ImportResult, err error) {
	lineErrors, total := res.LineErrors, res.LineErrorCount
	var rejected *desk.RejectedError
	if errors.As(err, &rejected) {
		lineErrors, total = rejected.LineErrors, rejected.Total()
	}
	suffix := " (left out)"
	if rejected != nil {
		suffix = ""
	}
	for _, le := range lineErrors {
		fmt.Fprintf(stderr, "%s:%d: %s%s\n", req.name, le.Line, le.Err, suffix)
	}
	if more := total - len(lineErrors); more > 0 {
		where := "--report FILE lists them all"
		if req.report != "" {
			where = req.report + " lists them all"
		}
		noun := "bad lines"
		if more == 1 {
			noun = "bad line"
		}
		fmt.Fprintf(stderr, "%s: … and %d more %s (%s)\n", req.name, more, noun, where)
	}
}

// printChangedTexts warns on stderr about ids already stored that came
// again with another text: they were skipped like any duplicate, but the
// person importing most likely meant to update them, and nothing was.
func printChangedTexts(stderr io.Writer, req importRequest, res desk.ImportResult) {
	if res.ChangedTextCount == 0 {
		return
	}
	fmt.Fprintf(stderr, "%s: %s already stored came again with another text; the new text was not stored and nothing was updated (delete the stored article to import the new text):\n",
		req.name, plural(res.ChangedTextCount, "id"))
	for _, o := range res.ChangedTexts {
		fmt.Fprintf(stderr, "%s:%d: %s\n", req.name, o.Line, o.Reason)
	}
	if more := res.ChangedTextCount - len(res.ChangedTexts); more > 0 {
		where := "--report FILE lists them all"
		if req.report != "" {
			where = req.report + " lists them all"
		}
		fmt.Fprintf(stderr, "%s: … and %d more (%s)\n", req.name, more, where)
	}
}

// printImportSummary prints what was stored on stdout.
func printImportSummary(stdout io.Writer, name string, res desk.ImportResult, elapsed time.Duration) {
	created := 0
	for _, ev := range res.Events {
		if ev.Created {
			created++
		}
	}
	known := ""
	if res.SkippedKnownIDs > 0 {
		known = fmt.Sprintf(" (%d of them by an id already stored: nothing was updated)", res.SkippedKnownIDs)
	}
	fmt.Fprintf(stdout, "imported %s: %s added, %s skipped as duplicates%s, %s left out\n",
		name, plural(res.Added, "article"), plural(res.SkippedDuplicates, "article"), known, plural(res.LineErrorCount, "bad line"))
	fmt.Fprintf(stdout, "  %s (%d new), %s; lexicon %s\n", plural(len(res.Events), "event"), created, plural(res.OutletsCreated, "new outlet"), res.LexiconVersion)
	fmt.Fprintf(stdout, "  %s in %s (%.0f articles/s, analysis included)\n",
		plural(res.Records, "record"), elapsed.Round(time.Millisecond), float64(res.Added+res.SkippedDuplicates)/max(elapsed.Seconds(), 1e-9))
}

// plural writes "1 article", "2 articles".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// parseInterspersed parses flags that come before, between or after the
// positional arguments (`slant import FILE --mode strict`), which the flag
// package alone stops at. It returns the positional arguments in order;
// everything after "--" is positional.
func parseInterspersed(flags *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		before := len(args)
		if err := flags.Parse(args); err != nil {
			return nil, err
		}
		rest := flags.Args()
		if len(rest) == 0 {
			return positional, nil
		}
		if consumed := before - len(rest); consumed > 0 && args[consumed-1] == "--" {
			return append(positional, rest...), nil
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}

// importReport writes --report FILE: the import's summary and every
// line's outcome. The outcomes are spooled to a temporary file as the
// import streams (so that a file of any size is reported in constant
// memory) and copied into the report once the result is known: in a
// refused import, no line was stored, whatever it looked like on the
// way. A nil importReport writes nothing.
type importReport struct {
	spool *os.File
	w     *bufio.Writer
	enc   *json.Encoder
	err   error
}

// reportLine is one line's outcome in the report.
type reportLine = desk.LineOutcome

// newImportReport starts the report --report asked for, nil without it.
func newImportReport(req importRequest) (*importReport, error) {
	if req.report == "" {
		return nil, nil
	}
	spool, err := os.CreateTemp(filepath.Dir(req.report), "."+filepath.Base(req.report)+".*.lines")
	if err != nil {
		return nil, fmt.Errorf("import: --report: %w", err)
	}
	r := &importReport{spool: spool, w: bufio.NewWriterSize(spool, 64<<10)}
	r.enc = json.NewEncoder(r.w)
	return r, nil
}

// add spools one line's outcome; it is desk.ImportOptions.Outcome.
func (r *importReport) add(o desk.LineOutcome) {
	if r == nil || r.err != nil {
		return
	}
	r.err = r.enc.Encode(reportLine(o))
}

// discard removes the spool.
func (r *importReport) discard() {
	if r == nil {
		return
	}
	r.spool.Close()
	os.Remove(r.spool.Name())
}

// reportSummary is the head of the report.
type reportSummary struct {
	File              string                 `json:"file"`
	Command           string                 `json:"command"`
	Mode              desk.Mode              `json:"mode"`
	ExitStatus        int                    `json:"exit_status"`
	Stored            bool                   `json:"stored"`
	Error             string                 `json:"error,omitempty"`
	Records           int                    `json:"records"`
	Added             int                    `json:"added"`
	SkippedDuplicates int                    `json:"skipped_duplicates"`
	SkippedKnownIDs   int                    `json:"skipped_known_ids"`
	BadLines          int                    `json:"bad_lines"`
	LexiconVersion    string                 `json:"lexicon_version"`
	SlantVersion      string                 `json:"slant_version"`
	Events            []models.ImportedEvent `json:"events"`
}

// write writes the report file: the summary, then "lines", every line's
// outcome in order. It is written under a temporary name and renamed
// when complete.
func (r *importReport) write(req importRequest, res desk.ImportResult, status int, importErr error) error {
	if r == nil {
		return nil
	}
	if r.err == nil {
		r.err = r.w.Flush()
	}
	if r.err != nil {
		return fmt.Errorf("import: --report: %w", r.err)
	}
	stored := importErr == nil || status == exitPartial
	sum := reportSummary{
		File: req.name, Command: "slant import " + strings.Join(req.args, " "), Mode: req.mode,
		ExitStatus: status, Stored: stored,
		Records: res.Records, Added: res.Added, SkippedDuplicates: res.SkippedDuplicates, SkippedKnownIDs: res.SkippedKnownIDs,
		BadLines: res.LineErrorCount, LexiconVersion: res.LexiconVersion, SlantVersion: version, Events: res.Events,
	}
	if !stored {
		sum.Added = 0
		if importErr != nil {
			sum.Error = importErr.Error()
		}
	}
	if sum.Events == nil || !stored {
		sum.Events = []models.ImportedEvent{}
	}
	return writeFile(req.report, func(w io.Writer) error {
		head, err := json.MarshalIndent(sum, "", "  ")
		if err != nil {
			return err
		}
		bw := bufio.NewWriter(w)
		bw.Write(head[:len(head)-2]) // without the closing "\n}"
		bw.WriteString(",\n  \"lines\": [")
		if _, err := r.spool.Seek(0, io.SeekStart); err != nil {
			return err
		}
		lines := bufio.NewScanner(r.spool)
		lines.Buffer(make([]byte, 64<<10), 16<<20)
		for n := 0; lines.Scan(); n++ {
			line := lines.Bytes()
			if !stored {
				line = unstored(line)
			}
			if n > 0 {
				bw.WriteByte(',')
			}
			bw.WriteString("\n    ")
			bw.Write(line)
		}
		if err := lines.Err(); err != nil {
			return err
		}
		bw.WriteString("\n  ]\n}\n")
		return bw.Flush()
	})
}

// unstored rewrites the outcome of a line that looked stored in an import
// that stored nothing.
func unstored(line []byte) []byte {
	var o desk.LineOutcome
	if err := json.Unmarshal(line, &o); err != nil || o.Outcome != desk.OutcomeAdded {
		return line
	}
	o.Outcome, o.EventID, o.ArticleID = desk.OutcomeRefused, 0, 0
	o.Reason = "not stored: the import stored nothing"
	out, err := json.Marshal(o)
	if err != nil {
		return line
	}
	return out
}

// countingReader counts the bytes read through it, for the progress bar.
type countingReader struct {
	r io.Reader
	n atomic.Int64
}

// Read reads and counts.
func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// importProgress draws the progress of an import on a terminal: the bytes
// of the file read (of its size, when known) and the lines done, redrawn
// in place at most ten times a second. A nil importProgress draws nothing.
type importProgress struct {
	w     io.Writer
	read  *countingReader
	size  int64
	drawn time.Time
	any   bool
}

// newImportProgress returns a bar drawing on w, or nil when w is not a
// terminal (a file or a pipe gets no carriage-return animation).
func newImportProgress(w io.Writer, read *countingReader, size int64) *importProgress {
	if !isTerminal(w) {
		return nil
	}
	return &importProgress{w: w, read: read, size: size}
}

// update redraws the bar for p; it is desk.ImportOptions.Progress.
func (b *importProgress) update(p desk.Progress) {
	if b == nil {
		return
	}
	now := time.Now()
	if now.Sub(b.drawn) < 100*time.Millisecond {
		return
	}
	b.drawn, b.any = now, true
	const width = 30
	read := b.read.n.Load()
	if b.size <= 0 {
		fmt.Fprintf(b.w, "\r%-10s %.1f MB read, %d lines done", p.Stage, float64(read)/1e6, p.Done)
		return
	}
	filled := min(width, int(int64(width)*read/b.size))
	fmt.Fprintf(b.w, "\r%-10s [%s%s] %.1f/%.1f MB, %d lines done", p.Stage, strings.Repeat("=", filled), strings.Repeat(" ", width-filled),
		float64(read)/1e6, float64(b.size)/1e6, p.Done)
}

// finish ends the bar's line.
func (b *importProgress) finish() {
	if b != nil && b.any {
		fmt.Fprintln(b.w)
	}
}
