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
	req, err := parseExportFlags(args)
	if err != nil {
		return err
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
	if err := ex.CheckEvent(ctx, req.eventID); errors.Is(err, models.ErrNotFound) {
		return fmt.Errorf("export: there is no event %d", req.eventID)
	} else if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if req.out == "" {
		if req.format == export.FormatCSV {
			return ex.WriteCSV(ctx, stdout, req.eventID, req.table)
		}
		return ex.WriteJSON(ctx, stdout, req.eventID)
	}
	written, err := req.writeFiles(ctx, ex)
	if err != nil {
		return err
	}
	for _, name := range written {
		fmt.Fprintf(stdout, "wrote %s\n", name)
	}
	return nil
}

// exportRequest is what `slant export` was asked to do, its flags read and
// checked.
type exportRequest struct {
	eventID int64
	format  export.Format
	table   export.Table
	out     string
}

// parseExportFlags reads and checks the flags of `slant export`.
func parseExportFlags(args []string) (exportRequest, error) {
	flags := flag.NewFlagSet("export", flag.ContinueOnError)
	flags.SetOutput(io.Discard)
	eventID := flags.Int64("event", 0, "the event to export; 0 or absent exports every event")
	formatName := flags.String("format", "json", "json or csv")
	tableName := flags.String("table", "", "csv only: articles or findings")
	out := flags.String("out", "", "a directory or a file; standard output when absent")
	rest, err := parseInterspersed(flags, args)
	if err != nil {
		return exportRequest{}, UsageError{fmt.Sprintf("export: %v", err)}
	}
	if len(rest) > 0 {
		return exportRequest{}, UsageError{fmt.Sprintf("export takes no arguments, got %q", rest)}
	}
	if *eventID < 0 {
		return exportRequest{}, UsageError{"export: --event must be a positive event id"}
	}
	format, err := export.ParseFormat(*formatName)
	if err != nil {
		return exportRequest{}, UsageError{fmt.Sprintf("export: %v", err)}
	}
	table, err := export.ParseTable(*tableName)
	if err != nil {
		return exportRequest{}, UsageError{fmt.Sprintf("export: %v", err)}
	}
	if *tableName != "" && format != export.FormatCSV {
		return exportRequest{}, UsageError{"export: --table applies to --format csv; the JSON export holds both tables"}
	}
	return exportRequest{eventID: *eventID, format: format, table: table, out: *out}, nil
}

// writeFiles writes the export under --out: a JSON file, one CSV table
// into a named file, or both CSV tables into a directory. It returns the
// files written.
func (req exportRequest) writeFiles(ctx context.Context, ex *export.Exporter) ([]string, error) {
	base := "slant-export"
	if req.eventID != 0 {
		base = fmt.Sprintf("slant-event-%d", req.eventID)
	}
	writeTable := func(t export.Table) func(io.Writer) error {
		return func(w io.Writer) error { return ex.WriteCSV(ctx, w, req.eventID, t) }
	}
	dir, file, err := outPlace(req.out)
	if err != nil {
		return nil, err
	}
	switch {
	case req.format == export.FormatJSON:
		if file == "" {
			file = filepath.Join(dir, base+".json")
		}
		return []string{file}, writeFile(file, func(w io.Writer) error { return ex.WriteJSON(ctx, w, req.eventID) })
	case file != "":
		return []string{file}, writeFile(file, writeTable(req.table))
	}
	var written []string
	for _, t := range []export.Table{export.TableArticles, export.TableFindings} {
		name := filepath.Join(dir, fmt.Sprintf("%s-%s.csv", base, t))
		if err := writeFile(name, writeTable(t)); err != nil {
			return written, err
		}
		written = append(written, name)
	}
	return written, nil
}

// outPlace reads --out: an existing directory, a path to create as one
// (ending in a separator or without an extension), or a file.
func outPlace(out string) (dir, file string, err error) {
	if info, err := os.Stat(out); err == nil && info.IsDir() {
		return out, "", nil
	}
	if strings.HasSuffix(out, string(os.PathSeparator)) || filepath.Ext(out) == "" {
		if err := os.MkdirAll(out, 0o755); err != nil {
			return "", "", fmt.Errorf("export: %w", err)
		}
		return out, "", nil
	}
	return filepath.Dir(out), out, nil
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
