// Command slant compares how several outlets cover the same event: it finds
// loaded language in each article, explains it, and serves the comparison
// as a JSON API and a web page.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// version is Slant's release, recorded in exports and /healthz. Release
// builds set it with -ldflags "-X main.version=...".
var version = "0.1.0-dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		var usage usageError
		if errors.As(err, &usage) {
			fmt.Fprintln(os.Stderr, usage.Error())
			os.Exit(2)
		}
		fmt.Fprintln(os.Stderr, "slant:", err)
		os.Exit(1)
	}
}

// usageError is a mistake in how slant was called; main prints it with the
// usage text and exits 2.
type usageError struct{ msg string }

// Error is the mistake followed by the usage text.
func (e usageError) Error() string { return e.msg + "\n\n" + usageText }

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

// run is the whole program with its inputs made explicit, so tests can run
// it in-process: it returns when ctx is cancelled or the command is done.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
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
		return usageError{fmt.Sprintf("unknown command %q", cmd)}
	}
}
