package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"slant/desk"
	"slant/export"
	"slant/models"
)

// exportCommand is `slant export`: the measures and findings of one event
// (--event ID) or of the whole database, as JSON (one document with the
// codebook) or CSV (one table per file), with Slant's version, the lexicon
// version and each analysis time in every file (see package export).
//
//   - json: --out FILE, or --out DIR for DIR/slant-export.json
//     (slant-event-ID.json); standard output without --out.
//   - csv: --out DIR writes both tables, DIR/slant-export-articles.csv and
//     DIR/slant-export-findings.csv; --out FILE.csv writes the --table
//     (articles by default); standard output without --out.
//
// Files are written under a temporary name and renamed when complete, so
// a failed export never leaves a truncated file behind.
func exportCommand(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	flags := flag.NewFlagSet("export", flag.ContinueOnError)
	flags.SetOutput(io.Discard)
	eventID := flags.Int64("event", 0, "the event to export; 0 or absent exports every event")
	formatName := flags.String("format", "json", "json or csv")
	tableName := flags.String("table", "", "csv only: articles or findings")
	out := flags.String("out", "", "a directory or a file; standard output when absent")
	rest, err := parseInterspersed(flags, args)
	if err != nil {
		return UsageError{fmt.Sprintf("export: %v", err)}
	}
	if len(rest) > 0 {
		return UsageError{fmt.Sprintf("export takes no arguments, got %q", rest)}
	}
	if *eventID < 0 {
		return UsageError{"export: --event must be a positive event id"}
	}
	format, err := export.ParseFormat(*formatName)
	if err != nil {
		return UsageError{fmt.Sprintf("export: %v", err)}
	}
	table, err := export.ParseTable(*tableName)
	if err != nil {
		return UsageError{fmt.Sprintf("export: %v", err)}
	}
	if *tableName != "" && format != export.FormatCSV {
		return UsageError{"export: --table applies to --format csv; the JSON export holds both tables"}
	}

	cfg, err := LoadConfig(getenv)
	if err != nil {
		return err
	}
	store, d, err := openDesk(ctx, cfg, getenv, newLogger(stderr, cfg.LogLevel), desk.Config{})
	if err != nil {
		return err
	}
	defer store.Close()
	ex := export.New(d, export.Options{SlantVersion: version})
	if err := ex.CheckEvent(ctx, *eventID); errors.Is(err, models.ErrNotFound) {
		return fmt.Errorf("export: there is no event %d", *eventID)
	} else if err != nil {
		return fmt.Errorf("export: %w", err)
	}

	base := "slant-export"
	if *eventID != 0 {
		base = fmt.Sprintf("slant-event-%d", *eventID)
	}
	writeTable := func(t export.Table) func(io.Writer) error {
		return func(w io.Writer) error { return ex.WriteCSV(ctx, w, *eventID, t) }
	}
	writeJSON := func(w io.Writer) error { return ex.WriteJSON(ctx, w, *eventID) }

	if *out == "" {
		if format == export.FormatCSV {
			return writeTable(table)(stdout)
		}
		return writeJSON(stdout)
	}
	dir, file := *out, ""
	if info, err := os.Stat(*out); err != nil || !info.IsDir() {
		if strings.HasSuffix(*out, string(os.PathSeparator)) || filepath.Ext(*out) == "" {
			if err := os.MkdirAll(*out, 0o755); err != nil {
				return fmt.Errorf("export: %w", err)
			}
		} else {
			dir, file = filepath.Dir(*out), *out
		}
	}
	var written []string
	switch {
	case format == export.FormatJSON:
		if file == "" {
			file = filepath.Join(dir, base+".json")
		}
		err = writeFile(file, writeJSON)
		written = append(written, file)
	case file != "":
		err = writeFile(file, writeTable(table))
		written = append(written, file)
	default:
		for _, t := range []export.Table{export.TableArticles, export.TableFindings} {
			name := filepath.Join(dir, fmt.Sprintf("%s-%s.csv", base, t))
			if err = writeFile(name, writeTable(t)); err != nil {
				break
			}
			written = append(written, name)
		}
	}
	if err != nil {
		return err
	}
	for _, name := range written {
		fmt.Fprintf(stdout, "wrote %s\n", name)
	}
	return nil
}

// writeFile writes a file through write under a temporary name in the same
// directory and renames it into place once write has succeeded.
func writeFile(name string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".*.tmp")
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return fmt.Errorf("export: %w", err)
	}
	if err := write(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("export: write %s: %w", name, err)
	}
	if err := os.Rename(tmp.Name(), name); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	return nil
}
