// Package cli is Slant's command line: one file per command (serve,
// analyze, import, export, eval, calibrate, health), the configuration read
// from the environment, and the wiring of store, desk and API that the
// commands share. main only calls Main.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

// version is Slant's release, recorded in exports and /healthz. Release
// builds set it with -ldflags "-X slant/cli.version=...".
var version = "0.1.0-dev"

// Version is Slant's release as this binary reports it.
func Version() string { return version }

// Main runs the command line in args (without the program name) and returns
// the process's exit status, the same for every command (exitText): 0
// done, 1 failed (nothing done, or nothing stored), 2 done in part (an
// import that left bad lines out and stored the rest), 64 called wrongly.
// It prints failures to stderr; main only passes os's values in.
func Main(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	err := Run(ctx, args, getenv, stdout, stderr)
	if err == nil {
		return exitOK
	}
	var help helpRequested
	if errors.As(err, &help) {
		fmt.Fprint(stdout, help.text)
		return exitOK
	}
	var usage UsageError
	if errors.As(err, &usage) {
		fmt.Fprintln(stderr, usage.Error())
		return exitUsage
	}
	var partial *PartialError
	if errors.As(err, &partial) {
		if !partial.quiet {
			fmt.Fprintln(stderr, "slant:", partial.msg)
		}
		return exitPartial
	}
	fmt.Fprintln(stderr, "slant:", err)
	return exitFailed
}

// The exit statuses, the same for every command.
const (
	exitOK      = 0
	exitFailed  = 1
	exitPartial = 2
	// exitUsage is sysexits.h's EX_USAGE: 2, the usual status of a
	// mistake in the call, means "done in part" here.
	exitUsage = 64
)

// exitText explains the exit statuses in `slant help` (and README.md).
const exitText = `exit status (every command):
  0   done: everything asked was done (import: every line stored, or skipped as a duplicate)
  1   failed: nothing was done or stored (import: a refused or unreadable file, every line bad,
      no records; any command: the database, a file, the server)
  2   done in part: import stored the good lines and left the bad ones out (--mode skip)
  64  called wrongly: an unknown command or flag, a missing argument; the usage is printed`

// UsageError is a mistake in how slant was called; main prints it with the
// usage text and exits 64.
type UsageError struct{ msg string }

// Error is the mistake followed by the usage text.
func (e UsageError) Error() string { return e.msg + "\n\n" + usageText }

// helpRequested is -h or --help after a command: its flags, printed to
// standard output, and status 0 (what was asked was done).
type helpRequested struct{ text string }

// Error is the help text.
func (h helpRequested) Error() string { return h.text }

// helpFor is the help of a command: its usage line, what it does and its
// flags.
func helpFor(flags *flag.FlagSet, usage, summary string) helpRequested {
	var b strings.Builder
	fmt.Fprintf(&b, "usage: slant %s\n\n%s\n\nflags:\n", usage, summary)
	flags.SetOutput(&b)
	flags.PrintDefaults()
	flags.SetOutput(io.Discard)
	fmt.Fprintf(&b, "\n%s\n", exitText)
	return helpRequested{b.String()}
}

// PartialError is a command that did part of what it was asked: an
// import that stored its good lines and left bad ones out. Main exits 2.
type PartialError struct {
	msg   string
	quiet bool
}

// Error says what was done and what was not.
func (e *PartialError) Error() string { return e.msg }

const usageText = `usage:
  slant [serve]                 serve the web page and API (default; SLANT_ADDR, default :8080)
  slant analyze [--json] [--clean] FILE…
                                print the loaded language found in text files ("-" reads stdin);
                                --clean removes page furniture first, as the page does
  slant import FILE.jsonl|FILE.csv [--mode skip|strict] [--format jsonl|csv] [--encoding E]
               [--workers N] [--quiet] [--report FILE]
                                store a file of articles in one transaction, analyzed, with each
                                record's id and extra fields; bad lines are skipped (skip, alias
                                skip-bad) or refuse the file (strict, alias all-or-nothing;
                                --event-mode is the same flag); articles already stored (same text
                                or same id) are skipped, never updated; --report writes every
                                line's outcome as JSON
  slant export [--event ID] [--format json|csv|jsonl] [--table articles|findings|codebook]
               [--csv-raw] [--out DIR|FILE]
                                write measures and findings with provenance and a codebook; csv with
                                --out DIR writes both tables, the codebook and README.txt, without
                                --out one table to stdout; text cells that a spreadsheet would run
                                as a formula get a leading ' unless --csv-raw
  slant eval [--json] [flags…]  measure quality on the labelled data in ../shared/eval (eval --help)
  slant calibrate --data F --out O  learn severities and the sentence threshold from labelled sentences
  slant health [--url URL]      exit 0 when the server at SLANT_ADDR (or URL) answers /healthz "ok"

` + exitText + `

configuration (environment): SLANT_ADDR, DB_DRIVER (sqlite|postgres), DB_PATH, DATABASE_URL,
SLANT_DEMO (1|0), SLANT_MAX_BODY_BYTES, SLANT_LOG_LEVEL, SLANT_LEXICON_OVERLAY, and the access,
limit, import and re-analysis settings in README.md`

// Run is the whole program with its inputs made explicit, so tests can run
// it in-process: it returns when ctx is cancelled or the command is done.
func Run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return serve(ctx, args, getenv, stdout, stderr)
	case "analyze":
		return analyzeFiles(ctx, args, getenv, os.Stdin, stdout)
	case "import":
		return importCommand(ctx, args, getenv, os.Stdin, stdout, stderr)
	case "export":
		return exportCommand(ctx, args, getenv, stdout, stderr)
	case "eval":
		return evalCommand(ctx, args, getenv, stdout, stderr)
	case "calibrate":
		return calibrateCommand(args, stdout)
	case "health":
		return healthCommand(ctx, args, getenv, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprintln(stdout, usageText)
		return nil
	default:
		return UsageError{fmt.Sprintf("unknown command %q", cmd)}
	}
}
