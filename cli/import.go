package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"slant/desk"
)

// importCommand is `slant import FILE`: it reads a JSON Lines or CSV file
// of articles, analyzes them on a pool of workers and stores them, with
// their analyses, in one transaction of the configured database (DB_DRIVER,
// DB_PATH, DATABASE_URL). Bad lines are printed to stderr by line number;
// with --mode strict (all-or-nothing) they refuse the whole file. Articles
// already stored are skipped, so a file can be imported again safely. A
// progress bar is drawn on stderr when it is a terminal.
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
	in := stdin
	if req.name != "-" {
		f, err := os.Open(req.name)
		if err != nil {
			return fmt.Errorf("import: %w", err)
		}
		defer f.Close()
		in = f
	}
	store, d, err := openDesk(ctx, cfg, getenv, newLogger(stderr, cfg.LogLevel), desk.Config{})
	if err != nil {
		return err
	}
	defer store.Close()

	start := time.Now()
	records, lineErrors := desk.ReadRecords(in, req.format)
	bar := newImportProgress(stderr)
	res, err := d.Import(ctx, records, lineErrors, desk.ImportOptions{Mode: req.mode, Workers: req.workers, Unlimited: true, Progress: bar.update})
	bar.finish()
	elapsed := time.Since(start)

	var rejected *desk.RejectedError
	if errors.As(err, &rejected) {
		for _, le := range rejected.LineErrors {
			fmt.Fprintf(stderr, "%s:%d: %s\n", req.name, le.Line, le.Err)
		}
		return fmt.Errorf("import %s refused, nothing stored: %s listed above; fix them, or use --mode skip to store the rest",
			req.name, plural(len(rejected.LineErrors), "bad line"))
	}
	if err != nil {
		return err
	}
	reportImport(stdout, stderr, req.name, res, elapsed)
	return nil
}

// importRequest is what `slant import` was asked to do, its flags read
// and checked.
type importRequest struct {
	name    string // the file, or "-" for standard input
	mode    desk.Mode
	format  desk.Format
	workers int
}

// parseImportFlags reads and checks the flags and the file of `slant
// import`; the format comes from --format or the file's extension.
func parseImportFlags(args []string) (importRequest, error) {
	flags := flag.NewFlagSet("import", flag.ContinueOnError)
	flags.SetOutput(io.Discard)
	mode := flags.String("mode", "skip", "skip (skip-bad) or strict (all-or-nothing)")
	flags.StringVar(mode, "event-mode", "skip", "the same as --mode")
	formatName := flags.String("format", "", "jsonl or csv; by default from the file's extension")
	workers := flags.Int("workers", 0, "analysis workers; 0 means one per CPU")
	files, err := parseInterspersed(flags, args)
	if err != nil {
		return importRequest{}, UsageError{fmt.Sprintf("import: %v", err)}
	}
	if len(files) != 1 {
		return importRequest{}, UsageError{"import needs exactly one file (.jsonl or .csv, or - for standard input with --format)"}
	}
	req := importRequest{name: files[0], workers: *workers}
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
	return req, nil
}

// reportImport prints the lines left out on stderr and what was stored on
// stdout.
func reportImport(stdout, stderr io.Writer, name string, res desk.ImportResult, elapsed time.Duration) {
	for _, le := range res.LineErrors {
		fmt.Fprintf(stderr, "%s:%d: %s (left out)\n", name, le.Line, le.Err)
	}
	created := 0
	for _, ev := range res.Events {
		if ev.Created {
			created++
		}
	}
	fmt.Fprintf(stdout, "imported %s: %s added, %s skipped as duplicates, %s left out\n",
		name, plural(res.Added, "article"), plural(res.SkippedDuplicates, "article"), plural(len(res.LineErrors), "bad line"))
	fmt.Fprintf(stdout, "  %s (%d new), %d new outlets; lexicon %s\n", plural(len(res.Events), "event"), created, res.OutletsCreated, res.LexiconVersion)
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

// importProgress draws the progress of an import (desk.Progress) on a terminal, one line per
// stage, redrawn in place at most ten times a second. A nil importProgress
// draws nothing.
type importProgress struct {
	w     io.Writer
	stage desk.Stage
	done  int
	drawn time.Time
}

// newImportProgress returns a bar drawing on w, or nil when w is not a
// terminal (a file or a pipe gets no carriage-return animation).
func newImportProgress(w io.Writer) *importProgress {
	if !isTerminal(w) {
		return nil
	}
	return &importProgress{w: w}
}

// update redraws the bar for p; it is desk.ImportOptions.Progress.
func (b *importProgress) update(p desk.Progress) {
	if b == nil {
		return
	}
	if p.Stage != b.stage {
		if b.stage != "" {
			fmt.Fprintln(b.w)
		}
		b.stage, b.done, b.drawn = p.Stage, 0, time.Time{}
	}
	if p.Done < b.done {
		return // workers finish out of order
	}
	b.done = p.Done
	now := time.Now()
	if p.Done < p.Total && now.Sub(b.drawn) < 100*time.Millisecond {
		return
	}
	b.drawn = now
	const width = 30
	filled := width
	if p.Total > 0 {
		filled = width * p.Done / p.Total
	}
	fmt.Fprintf(b.w, "\r%-10s [%s%s] %d/%d", p.Stage, strings.Repeat("=", filled), strings.Repeat(" ", width-filled), p.Done, p.Total)
}

// finish ends the bar's last line.
func (b *importProgress) finish() {
	if b != nil && b.stage != "" {
		fmt.Fprintln(b.w)
	}
}
