package export

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"
)

// ReadmeFile is one file an export wrote, for README.txt.
type ReadmeFile struct {
	// Name is the file's name (its directory is the README's).
	Name string
	// Holds says what is in it.
	Holds string
}

// Readme is what README.txt says about an export beyond the exporter's
// own provenance: the command that made it and the files it wrote.
type Readme struct {
	Command string
	EventID int64
	Files   []ReadmeFile
}

// WriteReadme writes README.txt for an export directory: what made the
// files (Slant's version, the analysis version, the date, the command),
// what each file holds, how the tables join, and how the CSV cells were
// written. It is plain text for a person; the codebook is the table for a
// program.
func (e *Exporter) WriteReadme(ctx context.Context, w io.Writer, r Readme) error {
	scope := "every event in the database"
	if r.EventID != 0 {
		ev, err := e.store.GetEvent(ctx, r.EventID)
		if err != nil {
			return fmt.Errorf("export readme: %w", err)
		}
		scope = fmt.Sprintf("event %d, %q", ev.ID, ev.Title)
	}
	cells := "Text cells that begin with =, +, -, @, a tab or a carriage return start with an\n" +
		"apostrophe ('), so that a spreadsheet shows them instead of running them as formulas\n" +
		"(the OWASP rule against CSV injection). Numbers never do, nor does a text cell that is a\n" +
		"plain number and nothing else (-3, +0.5, -1e5). Strip a leading ' from such\n" +
		"cells, or export again with --csv-raw (?csv=raw in the API), to get the text as stored."
	if e.raw {
		cells = "Every cell is written exactly as stored (--csv-raw): a cell that begins with =, +, -, @,\n" +
			"a tab or a carriage return may run as a formula if the file is opened in a spreadsheet."
	}
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "Slant export\n============\n\n")
	fmt.Fprintf(bw, "Made by:           Slant %s\n", e.version)
	fmt.Fprintf(bw, "Analysis version:  %s\n", e.analyzer.Version())
	fmt.Fprintf(bw, "Exported at:       %s\n", timeValue(e.now()))
	fmt.Fprintf(bw, "Command:           %s\n", r.Command)
	fmt.Fprintf(bw, "Scope:             %s\n\n", scope)
	fmt.Fprintf(bw, "Files\n-----\n\n")
	width := 0
	for _, f := range r.Files {
		width = max(width, len(filepath.Base(f.Name)))
	}
	for _, f := range r.Files {
		fmt.Fprintf(bw, "  %-*s  %s\n", width, filepath.Base(f.Name), f.Holds)
	}
	fmt.Fprintf(bw, "\nEvery row of the tables begins with lexicon_version, slant_version and analyzed_at, so a\n"+
		"row pasted elsewhere still says what made it. The articles table has one row per article;\n"+
		"findings.article_id joins it on article_id. external_id is the article's own id in the\n"+
		"imported file (its id, external_id or doc_id) and joins the tables to your own data; each\n"+
		"other field of an imported record is a column meta_<field>.\n\n")
	fmt.Fprintf(bw, "CSV: RFC 4180, UTF-8, a header row; lists are joined with \"; \"; times are RFC 3339 in UTC.\n%s\n", cells)
	fmt.Fprintf(bw, "\nEvery report was made with the analysis version above; an older stored report was made\n"+
		"again for this export (and not saved), so the files never mix versions.\n")
	return bw.Flush()
}

// TableHolds says what a table's file holds, for README.txt.
func TableHolds(t Table) string {
	switch t {
	case TableFindings:
		return "one row per flagged word or phrase, with its byte offsets, term and category"
	case TableCodebook:
		return "column, table, type and meaning of every column, lexicon category and policy frame"
	}
	return "one row per article: every measure, its external_id and meta_<field> columns"
}

// FileName is the name of an export file: base (slant-export, or
// slant-event-ID), the table and the format's extension.
func FileName(base string, t Table, f Format) string {
	ext := "csv"
	if f == FormatJSONL && t != TableCodebook {
		ext = "jsonl"
	}
	return strings.Join([]string{base, string(t)}, "-") + "." + ext
}
