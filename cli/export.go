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
// codebook), CSV (one table per file) or JSON Lines (one row per line),
// with Slant's version, the analysis version and each analysis time in
// every file, and each imported article's own id and fields (see package
// export).
//
//   - json: --out FILE, or --out DIR for DIR/slant-export.json
//     (slant-event-ID.json); standard output without --out.
//   - csv and jsonl: --out DIR writes both tables,
//     DIR/slant-export-articles.csv and DIR/slant-export-findings.csv (or
//     .jsonl), the codebook DIR/slant-export-codebook.csv and README.txt
//     with the provenance; --out FILE writes the --table (articles by
//     default; the codebook is a CSV table); standard output without
//     --out.
//
// CSV text cells that a spreadsheet would run as a formula get a leading
// apostrophe unless --csv-raw. Files are written under a temporary name
// and renamed when complete, so a failed export never leaves a truncated
// file behind.
func exportCommand(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	req, err := parseExportFlags(args)
	if err != nil {
		return err
	}
	cfg, err := LoadConfig(getenv)
	if err != nil {
		return err
	}
	// An export only reads: a mistyped DB_PATH must not leave a new, empty
	// database behind (and an export of nothing).
	if cfg.DBDriver != "postgres" && cfg.DBPath != ":memory:" {
		if _, err := os.Stat(cfg.DBPath); err != nil {
			return fmt.Errorf("export: there is no database at %s (DB_PATH): %w", cfg.DBPath, err)
		}
	}
	store, d, err := openDesk(ctx, cfg, getenv, newLogger(stderr, cfg.LogLevel), desk.Config{})
	if err != nil {
		return err
	}
	defer store.Close()
	ex := export.New(d, export.Options{SlantVersion: version, CSVRaw: req.raw})
	if err := ex.CheckEvent(ctx, req.eventID); errors.Is(err, models.ErrNotFound) {
		return fmt.Errorf("export: there is no event %d", req.eventID)
	} else if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if req.out == "" {
		return req.writeTable(ctx, ex, stdout, req.table)
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
	raw     bool
	args    []string
}

// parseExportFlags reads and checks the flags of `slant export`.
func parseExportFlags(args []string) (exportRequest, error) {
	flags := flag.NewFlagSet("export", flag.ContinueOnError)
	flags.SetOutput(io.Discard)
	eventID := flags.Int64("event", 0, "the event to export; 0 or absent exports every event")
	formatName := flags.String("format", "json", "json, csv or jsonl")
	tableName := flags.String("table", "", "csv and jsonl: articles, findings or (csv) codebook")
	out := flags.String("out", "", "a directory or a file; standard output when absent")
	raw := flags.Bool("csv-raw", false, "write CSV cells exactly as stored, without the apostrophe before a cell a spreadsheet would run as a formula")
	rest, err := parseInterspersed(flags, args)
	if errors.Is(err, flag.ErrHelp) {
		return exportRequest{}, helpFor(flags, "export [flags]", "Writes the stored events' articles, findings and codebook for research.")
	}
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
	switch {
	case *tableName != "" && format == export.FormatJSON:
		return exportRequest{}, UsageError{"export: --table applies to --format csv and jsonl; the JSON export holds both tables and the codebook"}
	case table == export.TableCodebook && format != export.FormatCSV:
		return exportRequest{}, UsageError{"export: the codebook is a CSV table (--format csv --table codebook); the JSON export holds it too"}
	case *raw && format != export.FormatCSV:
		return exportRequest{}, UsageError{"export: --csv-raw applies to --format csv"}
	}
	return exportRequest{eventID: *eventID, format: format, table: table, out: *out, raw: *raw, args: args}, nil
}

// writeTable writes one table, or the JSON document, to w.
func (req exportRequest) writeTable(ctx context.Context, ex *export.Exporter, w io.Writer, t export.Table) error {
	switch req.format {
	case export.FormatCSV:
		return ex.WriteCSV(ctx, w, req.eventID, t)
	case export.FormatJSONL:
		if t == export.TableCodebook {
			return ex.WriteCSV(ctx, w, req.eventID, t)
		}
		return ex.WriteJSONL(ctx, w, req.eventID, t)
	}
	return ex.WriteJSON(ctx, w, req.eventID)
}

// writeFiles writes the export under --out: a JSON file, one table into a
// named file, or both tables, the codebook and README.txt into a
// directory. It returns the files written.
func (req exportRequest) writeFiles(ctx context.Context, ex *export.Exporter) ([]string, error) {
	base := "slant-export"
	if req.eventID != 0 {
		base = fmt.Sprintf("slant-event-%d", req.eventID)
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
		return []string{file}, writeFile(file, func(w io.Writer) error { return req.writeTable(ctx, ex, w, req.table) })
	}
	var written []string
	var files []export.ReadmeFile
	for _, t := range []export.Table{export.TableArticles, export.TableFindings, export.TableCodebook} {
		name := filepath.Join(dir, export.FileName(base, t, req.format))
		if err := writeFile(name, func(w io.Writer) error { return req.writeTable(ctx, ex, w, t) }); err != nil {
			return written, err
		}
		written = append(written, name)
		files = append(files, export.ReadmeFile{Name: name, Holds: export.TableHolds(t)})
	}
	readme := filepath.Join(dir, "README.txt")
	files = append(files, export.ReadmeFile{Name: readme, Holds: "this file: what made the export, and how to read it"})
	err = writeFile(readme, func(w io.Writer) error {
		return ex.WriteReadme(ctx, w, export.Readme{Command: "slant export " + strings.Join(req.args, " "), EventID: req.eventID, Files: files})
	})
	if err != nil {
		return written, err
	}
	return append(written, readme), nil
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
		return fmt.Errorf("write %s: %w", name, err)
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", name, err)
	}
	if err := write(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	if err := os.Rename(tmp.Name(), name); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	return nil
}
