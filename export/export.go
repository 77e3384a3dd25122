// Package export writes what Slant has measured as files researchers can
// cite and load: one JSON document with a codebook, CSV tables (RFC 4180,
// UTF-8, with a header row), one table per file: articles (one row per
// article, every measure) and findings (one row per flagged word or
// phrase), with the codebook as a CSV table of its own, or JSON Lines, one
// row per line.
//
// An imported article keeps the researcher's own id and the record's other
// fields (models/metadata.go): the id is the external_id column of both
// tables, the fields are a metadata object in JSON and one column each in
// CSV, named meta_<field>, so that the tables join back to the
// researcher's data.
//
// CSV is safe to open in a spreadsheet by default: a text cell that begins
// with =, +, -, @, a tab or a carriage return, which a spreadsheet would
// run as a formula, is written with a leading apostrophe (the OWASP rule
// against CSV injection), unless the whole cell is a plain number such as
// "-3" or "+0.5" (safeCell). Options.CSVRaw writes every cell as stored, for
// pipelines that want the bytes.
//
// Every file says what made it. The JSON document carries Slant's version,
// the lexicon version, the export time and a codebook (the lexicon's
// categories with their descriptions and severities, the policy frames,
// and the definition of every column). Every CSV row begins with the
// columns lexicon_version, slant_version and analyzed_at, so that a single
// file, or a row pasted elsewhere, still names its provenance.
//
// Reports made with an older lexicon are made again before they are
// written, so that one export never mixes versions; an export never
// writes to the database it describes (desk.ReadOnly).
package export

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"time"

	"slant/analysis"
	"slant/desk"
	"slant/models"
)

// Format is an export's file format.
type Format string

// The export formats.
const (
	FormatJSON Format = "json"
	FormatCSV  Format = "csv"
)

// FormatJSONL is JSON Lines: one table, one row per line.
const FormatJSONL Format = "jsonl"

// ParseFormat reads a format name; empty means JSON.
func ParseFormat(s string) (Format, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "json":
		return FormatJSON, nil
	case "csv":
		return FormatCSV, nil
	case "jsonl", "ndjson":
		return FormatJSONL, nil
	}
	return "", fmt.Errorf("format %q is not json, csv or jsonl", s)
}

// Table is one of the tables of an export.
type Table string

// The export tables. The codebook is a table of the CSV export only (the
// JSON document carries it whole).
const (
	TableArticles Table = "articles"
	TableFindings Table = "findings"
	TableCodebook Table = "codebook"
)

// ParseTable reads a table name; empty means articles.
func ParseTable(s string) (Table, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "articles":
		return TableArticles, nil
	case "findings":
		return TableFindings, nil
	case "codebook":
		return TableCodebook, nil
	}
	return "", fmt.Errorf("table %q is not articles, findings or codebook", s)
}

// Options tunes an Exporter.
type Options struct {
	// SlantVersion is written into every file.
	SlantVersion string
	// Now is the clock for the export time; nil means time.Now. (Reports
	// made again are stamped by the desk's clock.)
	Now func() time.Time
	// CSVRaw writes CSV cells exactly as stored, without the apostrophe
	// that keeps a spreadsheet from running a cell as a formula.
	CSVRaw bool
}

// Exporter writes exports of a store's events, with the lexicon that was
// in force when it was made. It is safe for concurrent use.
type Exporter struct {
	desk       *desk.Desk
	store      *models.Store
	analyzer   *analysis.Analyzer
	version    string
	now        func() time.Time
	raw        bool
	articles   []column[articleRow]
	findings   []column[findingRow]
	categories []analysis.Category
	frames     []analysis.FrameHeader
}

// New returns an Exporter of the desk's store whose reports are made with
// the lexicon in force now: one export never mixes versions, even if the
// word list changes while it is written.
func New(d *desk.Desk, opts Options) *Exporter {
	analyzer := d.Analyzer()
	e := &Exporter{desk: d, store: d.Store(), analyzer: analyzer, version: opts.SlantVersion, now: opts.Now, raw: opts.CSVRaw}
	if e.now == nil {
		e.now = time.Now
	}
	e.categories = analyzer.Lexicon().Categories()
	// The frames come from the analyzer, so the columns follow its
	// codebook: every profile lists all of them.
	e.frames = analyzer.FrameHeaders()
	e.articles = articleColumns(e.version, e.categories, e.frames)
	e.findings = findingColumns(e.version)
	return e
}

// CodebookCategory is a lexicon category as the codebook describes it.
type CodebookCategory struct {
	Name        string `json:"name"`
	Label       string `json:"label"`
	Description string `json:"description"`
	Severity    int    `json:"severity"`
	Source      string `json:"source"`
	Entries     int    `json:"entries"`
}

// CodebookFrame is a policy frame as the codebook lists it.
type CodebookFrame struct {
	Frame string `json:"frame"`
	Label string `json:"label"`
}

// Codebook explains an export: the lexicon's categories, the frames, and
// every column of both tables.
type Codebook struct {
	LexiconVersion string             `json:"lexicon_version"`
	Offsets        string             `json:"offsets"`
	Lists          string             `json:"lists"`
	Categories     []CodebookCategory `json:"categories"`
	Frames         []CodebookFrame    `json:"frames"`
	ArticleColumns []Column           `json:"article_columns"`
	FindingColumns []Column           `json:"finding_columns"`
	// MetadataColumns are the articles table's meta_<field> columns of the
	// CSV export, one per field the exported articles carry (in JSON
	// they are the metadata object's fields). Empty in the codebook of
	// no particular export (Codebook).
	MetadataColumns []Column `json:"metadata_columns"`
}

// Codebook returns the codebook of this exporter's exports.
func (e *Exporter) Codebook() Codebook {
	cb := Codebook{
		LexiconVersion:  e.analyzer.Version(),
		Offsets:         "start and end are byte offsets into the UTF-8 encoding of the field (the article text, or the title), half-open [start, end), counted from 0.",
		Lists:           `A list is a JSON array; in CSV its items are joined with "; ".`,
		Categories:      make([]CodebookCategory, 0, len(e.categories)),
		Frames:          make([]CodebookFrame, 0, len(e.frames)),
		ArticleColumns:  publicColumns(e.articles),
		FindingColumns:  publicColumns(e.findings),
		MetadataColumns: []Column{},
	}
	for _, c := range e.categories {
		cb.Categories = append(cb.Categories, CodebookCategory{
			Name: c.Name, Label: c.Label, Description: c.Description, Severity: c.Severity, Source: c.Source, Entries: len(c.Entries),
		})
	}
	for _, f := range e.frames {
		cb.Frames = append(cb.Frames, CodebookFrame{Frame: f.Frame, Label: f.Label})
	}
	return cb
}

// CodebookFor is the codebook of the export of one event (every event
// when eventID is 0): Codebook with the metadata columns of its articles.
func (e *Exporter) CodebookFor(ctx context.Context, eventID int64) (Codebook, error) {
	cb := e.Codebook()
	meta, err := e.metadataColumns(ctx, eventID)
	if err != nil {
		return Codebook{}, err
	}
	cb.MetadataColumns = publicColumns(meta)
	return cb, nil
}

// eventView is an event as the JSON export lists it.
type eventView struct {
	ID          int64      `json:"id"`
	Title       string     `json:"title"`
	Description string     `json:"description"`
	Date        *time.Time `json:"date"`
}

// events returns the events in scope: the one event, or all of them when
// eventID is 0. An event that does not exist is models.ErrNotFound.
func (e *Exporter) events(ctx context.Context, eventID int64) ([]models.Event, error) {
	if eventID == 0 {
		return e.store.AllEvents(ctx)
	}
	ev, err := e.store.GetEvent(ctx, eventID)
	if err != nil {
		return nil, err
	}
	return []models.Event{ev}, nil
}

// CheckEvent reports models.ErrNotFound when eventID names no event (0,
// the whole database, always exists). Call it before writing headers, so
// that a missing event gets a clean error instead of a broken file.
func (e *Exporter) CheckEvent(ctx context.Context, eventID int64) error {
	if eventID == 0 {
		return nil
	}
	_, err := e.store.GetEvent(ctx, eventID)
	return err
}

// eachArticle calls fn with every article of the events, in event and
// article order, each with its report made with the exporter's lexicon: a
// stale report is made again for the export and not saved.
func (e *Exporter) eachArticle(ctx context.Context, events []models.Event, fn func(r *articleRow) error) error {
	for _, ev := range events {
		articles, err := e.desk.Articles(ctx, e.analyzer, ev.ID, desk.ReadOnly)
		if err != nil {
			return fmt.Errorf("export event %d: %w", ev.ID, err)
		}
		for _, f := range articles {
			if err := fn(&articleRow{event: ev, article: f.Article, analysis: f.Analysis, report: f.Report}); err != nil {
				return err
			}
		}
	}
	return nil
}

// eachFinding calls fn with every finding of an article: the text's, then
// the title's.
func eachFinding(r *articleRow, fn func(f *findingRow) error) error {
	for _, part := range []struct {
		field    string
		findings []analysis.Finding
	}{{"text", r.report.Findings}, {"title", r.report.TitleFindings}} {
		for _, f := range part.findings {
			if err := fn(&findingRow{article: r, field: part.field, finding: f}); err != nil {
				return err
			}
		}
	}
	return nil
}

// WriteCSV writes one table of the export of an event (or of the whole
// database when eventID is 0) as CSV: a header row, then one row per
// article or finding, or, for TableCodebook, the codebook (WriteCodebookCSV).
func (e *Exporter) WriteCSV(ctx context.Context, w io.Writer, eventID int64, table Table) error {
	if table == TableCodebook {
		return e.WriteCodebookCSV(ctx, w, eventID)
	}
	events, err := e.events(ctx, eventID)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	cw := csv.NewWriter(w)
	switch table {
	case TableFindings:
		cols := csvColumns(e.findings)
		_ = cw.Write(header(cols))
		err = e.eachArticle(ctx, events, func(r *articleRow) error {
			return eachFinding(r, func(f *findingRow) error { return cw.Write(csvRow(cols, f, e.raw)) })
		})
	default:
		meta, merr := e.metadataColumns(ctx, eventID)
		if merr != nil {
			return merr
		}
		cols := append(csvColumns(e.articles), meta...)
		_ = cw.Write(header(cols))
		err = e.eachArticle(ctx, events, func(r *articleRow) error { return cw.Write(csvRow(cols, r, e.raw)) })
	}
	if err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	return nil
}

// metadataColumns are the meta_<field> columns of the articles of an
// export, one per field any of them carries, sorted by field.
func (e *Exporter) metadataColumns(ctx context.Context, eventID int64) ([]column[articleRow], error) {
	fields, err := e.store.MetadataFields(ctx, eventID)
	if err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	cols := make([]column[articleRow], 0, len(fields))
	for _, f := range fields {
		key := f.Key
		cols = append(cols, column[articleRow]{
			Column{metaPrefix + key, f.Kind, fmt.Sprintf("The field %q of the article's record in the imported file (empty when the record had none).", key), false},
			func(r *articleRow) any { return metaValue(r.article.Metadata[key]) },
		})
	}
	return cols, nil
}

// metaPrefix begins the name of every metadata column.
const metaPrefix = "meta_"

// metaValue is a metadata value for a cell: a string, a number as written,
// true or false; nil (an empty cell) when absent.
func metaValue(v any) any {
	if n, ok := v.(json.Number); ok {
		return rawNumber(n)
	}
	return v
}

// rawNumber is a number kept as written, which no spreadsheet takes for a
// formula.
type rawNumber string

// WriteCodebookCSV writes the codebook of an export as CSV, one row per
// thing it explains: column (its name), table (articles, findings,
// categories or frames), type and meaning. Every column of both tables
// (those of the JSON export only say so), every meta_<field> column of
// the export, every lexicon category and every policy frame.
func (e *Exporter) WriteCodebookCSV(ctx context.Context, w io.Writer, eventID int64) error {
	if err := e.CheckEvent(ctx, eventID); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	meta, err := e.metadataColumns(ctx, eventID)
	if err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	write := func(cells ...string) {
		for i := range cells {
			cells[i] = e.safe(cells[i])
		}
		_ = cw.Write(cells)
	}
	write("column", "table", "type", "meaning")
	for _, t := range []struct {
		name string
		cols []Column
	}{
		{string(TableArticles), append(publicColumns(e.articles), publicColumns(meta)...)},
		{string(TableFindings), publicColumns(e.findings)},
	} {
		for _, c := range t.cols {
			meaning := c.Description
			if c.JSONOnly {
				meaning += " (In the JSON and JSON Lines exports only.)"
			}
			write(c.Name, t.name, c.Type, meaning)
		}
	}
	for _, c := range e.categories {
		write(c.Name, "categories", "category", fmt.Sprintf("%s: %s Severity %d (1 mild to 3 strong); %d entries; source: %s. Counted in the articles column category_%s; named in the findings column category.",
			c.Label, c.Description, c.Severity, len(c.Entries), c.Source, c.Name))
	}
	for _, f := range e.frames {
		write(f.Frame, "frames", "frame", fmt.Sprintf("%s (a policy frame of the Media Frames Corpus). Its share is the articles column frame_%s_share; named in top_frames.", f.Label, f.Frame))
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write codebook csv: %w", err)
	}
	return nil
}

// WriteJSONL writes one table of the export of an event (or of the whole
// database when eventID is 0) as JSON Lines: one object per article (with
// its text and metadata) or finding, keyed by the codebook's columns.
func (e *Exporter) WriteJSONL(ctx context.Context, w io.Writer, eventID int64, table Table) error {
	events, err := e.events(ctx, eventID)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	switch table {
	case TableFindings:
		err = e.eachArticle(ctx, events, func(r *articleRow) error {
			return eachFinding(r, func(f *findingRow) error {
				jsonRow(bw, e.findings, f)
				return bw.WriteByte('\n')
			})
		})
	case TableArticles:
		err = e.eachArticle(ctx, events, func(r *articleRow) error {
			jsonRow(bw, e.articles, r)
			return bw.WriteByte('\n')
		})
	default:
		return fmt.Errorf("export: the JSON Lines export has the articles and findings tables, not %s", table)
	}
	if err != nil {
		return fmt.Errorf("write jsonl: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write jsonl: %w", err)
	}
	return nil
}

// WriteJSON writes the export of an event (or of the whole database when
// eventID is 0) as one JSON document: provenance, codebook, events,
// articles and findings, one article or finding per line.
func (e *Exporter) WriteJSON(ctx context.Context, w io.Writer, eventID int64) error {
	events, err := e.events(ctx, eventID)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	if err := e.writeJSONHead(ctx, bw, eventID, events); err != nil {
		return err
	}
	if err := e.writeJSONRows(ctx, bw, events); err != nil {
		return err
	}
	bw.WriteString("\n]\n}\n")
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write json: %w", err)
	}
	return nil
}

// writeJSONHead writes the JSON export up to its articles: provenance,
// codebook and the events, one a line.
func (e *Exporter) writeJSONHead(ctx context.Context, bw *bufio.Writer, eventID int64, events []models.Event) error {
	scope := "database"
	if eventID != 0 {
		scope = "event"
	}
	cb, err := e.CodebookFor(ctx, eventID)
	if err != nil {
		return err
	}
	codebook, err := json.MarshalIndent(cb, "", "  ")
	if err != nil {
		return fmt.Errorf("export json: encode codebook: %w", err)
	}
	fmt.Fprintf(bw, "{\n%s: %s,\n%s: %s,\n%s: %s,\n%s: %s,\n%s: %s,\n",
		jsonValue("format"), jsonValue("slant-export/1"),
		jsonValue("slant_version"), jsonValue(e.version),
		jsonValue("lexicon_version"), jsonValue(e.analyzer.Version()),
		jsonValue("exported_at"), jsonValue(timeValue(e.now())),
		jsonValue("scope"), jsonValue(scope))
	fmt.Fprintf(bw, "%s: %s,\n%s: [", jsonValue("codebook"), codebook, jsonValue("events"))
	for i, ev := range events {
		bw.WriteString(jsonSeparator(i) + jsonValue(eventView{ID: ev.ID, Title: ev.Title, Description: ev.Description, Date: ev.Date}))
	}
	return nil
}

// writeJSONRows closes the events and writes the articles and the
// findings arrays, the last left open.
//
// Findings are gathered while the articles are written, so that each
// report is read once: into a temporary file, so that the findings of a
// whole database are never held in memory (a 200 KB article has
// thousands).
func (e *Exporter) writeJSONRows(ctx context.Context, bw *bufio.Writer, events []models.Event) error {
	bw.WriteString("\n],\n\"articles\": [")
	findingsFile, err := os.CreateTemp("", "slant-export-findings-*.json")
	if err != nil {
		return fmt.Errorf("write json: %w", err)
	}
	defer func() {
		findingsFile.Close()
		os.Remove(findingsFile.Name())
	}()
	findings := bufio.NewWriterSize(findingsFile, 64<<10)
	articles, nFindings := 0, 0
	err = e.eachArticle(ctx, events, func(r *articleRow) error {
		bw.WriteString(jsonSeparator(articles))
		articles++
		jsonRow(bw, e.articles, r)
		return eachFinding(r, func(f *findingRow) error {
			findings.WriteString(jsonSeparator(nFindings))
			nFindings++
			jsonRow(findings, e.findings, f)
			return nil
		})
	})
	if err != nil {
		return fmt.Errorf("write json: %w", err)
	}
	if err := findings.Flush(); err != nil {
		return fmt.Errorf("write json: %w", err)
	}
	if _, err := findingsFile.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("write json: %w", err)
	}
	bw.WriteString("\n],\n\"findings\": [")
	if _, err := io.Copy(bw, findingsFile); err != nil {
		return fmt.Errorf("write json: %w", err)
	}
	return nil
}

// jsonSeparator goes before the element of an array that has written
// elements before it: one a line, commas between.
func jsonSeparator(written int) string {
	if written == 0 {
		return "\n"
	}
	return ",\n"
}

// csvColumns leaves out the JSON-only columns.
func csvColumns[R any](cols []column[R]) []column[R] {
	out := make([]column[R], 0, len(cols))
	for _, c := range cols {
		if !c.JSONOnly {
			out = append(out, c)
		}
	}
	return out
}

// header is the CSV header row.
func header[R any](cols []column[R]) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c.Name
	}
	return out
}

// csvRow formats one row for CSV; unless raw, its text cells are made
// safe to open in a spreadsheet (safeCell).
func csvRow[R any](cols []column[R], r *R, raw bool) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		v := c.value(r)
		out[i] = csvValue(v)
		if !raw && isText(v) {
			out[i] = safeCell(out[i])
		}
	}
	return out
}

// isText reports whether a value makes a text cell: a string or a list of
// them. Numbers (a negative one begins with "-"), times and booleans are
// never formulas.
func isText(v any) bool {
	switch v.(type) {
	case string, []string, *string:
		return true
	}
	return false
}

// formulaStarts are the first characters that make a spreadsheet read a
// cell as a formula (OWASP, "CSV Injection").
const formulaStarts = "=+-@\t\r"

// safeCell puts an apostrophe before a text that a spreadsheet would run
// as a formula: shown as text, and seen at once by a reader of the file.
// A text that is a plain number ("-3", "+0.5", "-1e5") is left alone: a
// spreadsheet reads it as that number, not a formula, and an apostrophe
// would make pandas and R read the column as text and break joins on ids
// such as "-42".
func safeCell(s string) string {
	if s != "" && strings.ContainsRune(formulaStarts, rune(s[0])) && !plainNumber(s) {
		return "'" + s
	}
	return s
}

// plainNumber reports whether s is a finite decimal number and nothing
// else: a sign, digits, a decimal point and an exponent. strconv.ParseFloat
// alone would also take "Inf", "NaN", hexadecimal ("0x1p4") and
// underscores, which a spreadsheet does not read as numbers.
func plainNumber(s string) bool {
	for i := 0; i < len(s); i++ {
		if !strings.ContainsRune("0123456789+-.eE", rune(s[i])) {
			return false
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	return err == nil && !math.IsInf(f, 0) && !math.IsNaN(f)
}

// safe is safeCell unless the exporter writes raw CSV.
func (e *Exporter) safe(s string) string {
	if e.raw {
		return s
	}
	return safeCell(s)
}

// csvValue formats a value for a CSV cell: numbers in their shortest
// exact form, times in RFC 3339 UTC, unknown times empty, lists joined
// with "; ".
func csvValue(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case *string:
		if v == nil {
			return ""
		}
		return *v
	case rawNumber:
		return string(v)
	case int:
		return strconv.Itoa(v)
	case int64:
		return strconv.FormatInt(v, 10)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(v)
	case time.Time:
		return timeValue(v)
	case *time.Time:
		if v == nil {
			return ""
		}
		return timeValue(*v)
	case []string:
		return strings.Join(v, "; ")
	}
	return fmt.Sprint(v)
}

// jsonRow writes one row as a JSON object with the columns in order.
func jsonRow[R any](w io.Writer, cols []column[R], r *R) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, c := range cols {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(jsonValue(c.Name))
		b.WriteByte(':')
		b.WriteString(jsonValue(c.value(r)))
	}
	b.WriteByte('}')
	_, _ = w.Write(b.Bytes())
}

// jsonValue encodes one value: times as RFC 3339 UTC strings, unknown
// times as null, lists as arrays (never null).
func jsonValue(v any) string {
	switch t := v.(type) {
	case time.Time:
		v = timeValue(t)
	case *time.Time:
		if t == nil {
			return "null"
		}
		v = timeValue(*t)
	case []string:
		if t == nil {
			v = []string{}
		}
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		// Only the plain types above reach here, which always encode.
		return "null"
	}
	return strings.TrimSuffix(b.String(), "\n")
}
