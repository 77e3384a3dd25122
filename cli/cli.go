// Package cli is Slant's command line: one file per command (serve,
// analyze, import, export, eval, calibrate, health), the configuration read
// from the environment, and the wiring of store, desk and API that the
// commands share. main only calls Main.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
)

// version is Slant's release, recorded in exports and /healthz. Release
// builds set it with -ldflags "-X slant/cli.version=...".
var version = "0.1.0-dev"

// Version is Slant's release as this binary reports it.
func Version() string { return version }

// Main runs the command line in args (without the program name) and returns
// the process's exit code: 0 done, 1 failed, 2 called wrongly. It prints
// failures to stderr; main only passes os's values in.
func Main(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	err := Run(ctx, args, getenv, stdout, stderr)
	if err == nil {
		return 0
	}
	var usage UsageError
	if errors.As(err, &usage) {
		fmt.Fprintln(stderr, usage.Error())
		return 2
	}
	fmt.Fprintln(stderr, "slant:", err)
	return 1
}

// UsageError is a mistake in how slant was called; main prints it with the
// usage text and exits 2.
type UsageError struct{ msg string }

// Error is the mistake followed by the usage text.
func (e UsageError) Error() string { return e.msg + "\n\n" + usageText }

const usageText = `usage:
  slant [serve]                 serve the web page and API (default; SLANT_ADDR, default :8080)
  slant analyze [--json] FILE…  print the loaded language found in text files ("-" reads stdin)
  slant import FILE.jsonl|FILE.csv [--mode skip|strict] [--format jsonl|csv] [--workers N]
                                store a file of articles in one transaction, analyzed; bad lines are
                                skipped (skip, alias skip-bad) or refuse the file (strict, alias
                                all-or-nothing; --event-mode is the same flag); duplicates are skipped
  slant export [--event ID] [--format json|csv] [--table articles|findings] [--out DIR|FILE]
                                write measures and findings with provenance and a codebook; csv with
                                --out DIR writes both tables, without --out one table to stdout
  slant eval [--json] [flags…]  measure quality on the labelled data in ../shared/eval (eval --help)
  slant calibrate --data F --out O  learn severities and the sentence threshold from labelled sentences
  slant health [--url URL]      exit 0 when the server at SLANT_ADDR (or URL) answers /healthz "ok"

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
		return analyzeFiles(args, getenv, os.Stdin, stdout)
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
