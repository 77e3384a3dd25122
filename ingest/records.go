package ingest

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"
)

// DefaultMaxLineBytes is the longest JSONL line (or CSV physical line)
// accepted when no other limit is given.
const DefaultMaxLineBytes = 8 << 20

// Record is one article of a bulk import file (JSON Lines or CSV), as
// read: Event and Outlet are names (the importer finds or creates them);
// Text or HTML holds the article, HTML to be run through an Extractor.
// The parsers check the file's form (JSON or CSV, UTF-8, field types, the
// publication time); the importer checks the article.
type Record struct {
	// Line is the line of the file the record starts on (1-based).
	Line int `json:"-"`
	// ID is the researcher's own id of the article (see IDFields), ""
	// when the record has none.
	ID string `json:"id,omitempty"`
	// Event names the news event the article covers.
	Event string `json:"event"`
	// Outlet names the publisher.
	Outlet string `json:"outlet"`
	// Title is the headline; may be empty.
	Title string `json:"title"`
	// URL is the article's address; empty or an absolute http(s) URL.
	URL string `json:"url"`
	// PublishedAt is the publication time: RFC 3339 or YYYY-MM-DD in the
	// file (a bare date is midnight UTC).
	PublishedAt *time.Time `json:"published_at,omitempty"`
	// Text is the article as plain text.
	Text string `json:"text"`
	// HTML is the article page as HTML.
	HTML string `json:"html"`
	// Metadata holds every field of the record Slant does not know (a
	// section, an author, a stance label), kept with the article: each
	// value a string, a json.Number (as written) or a bool. Nil when there
	// are none.
	Metadata map[string]any `json:"metadata,omitempty"`
}

// LineError reports one bad line of an import file; the other lines are
// still parsed.
type LineError struct {
	// Line is the 1-based line number (for CSV, where the record starts).
	Line int `json:"line"`
	// Err says what is wrong, in plain words.
	Err string `json:"error"`
}

// Error implements error.
func (e LineError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Err) }

// ReadError is a failure to read the file itself rather than a bad line
// (the disk, the network, a request body over its limit, a CSV line too
// long to read past): what follows is unknown, so an importer stores
// nothing.
type ReadError struct {
	// Line is the line being read.
	Line int
	Err  error
}

// Error says where reading stopped and why.
func (e *ReadError) Error() string { return fmt.Sprintf("line %d: read error: %v", e.Line, e.Err) }

// Unwrap gives the reader's error.
func (e *ReadError) Unwrap() error { return e.Err }

// RecordReader reads an import file one record at a time, so that a file
// of any size is read in constant memory.
type RecordReader interface {
	// Next returns the next record. A line that is not a record comes
	// back as a LineError (the error's dynamic type) and reading goes on
	// with the next line; io.EOF ends the file. A failure to read the
	// file comes back as a *ReadError, and io.EOF after it.
	Next() (Record, error)
}

// knownFields are the fields of an import record Slant reads itself.
var knownFields = map[string]bool{
	"event": true, "outlet": true, "title": true, "url": true,
	"published_at": true, "text": true, "html": true,
}

// IDFields are the names a record's own id may go by, the first present
// winning: "id", then "external_id", then "doc_id". The others, when a
// record has more than one, are kept as metadata like any field Slant
// does not know.
var IDFields = []string{"id", "external_id", "doc_id"}

// isIDField reports whether name is one of IDFields.
func isIDField(name string) bool {
	for _, f := range IDFields {
		if f == name {
			return true
		}
	}
	return false
}

// fieldKey is the name a field is known by: the lower-case name for the
// known fields and IDFields, whose case does not matter ("Title" is the
// title, in a JSON Lines record as in a CSV header), and the name as
// written for any other field (metadata keeps its spelling).
func fieldKey(name string) string {
	lower := strings.ToLower(name)
	if knownFields[lower] || isIDField(lower) {
		return lower
	}
	return name
}

// rawRecord is a record as written in the file, before checking.
type rawRecord struct {
	Event       string
	Outlet      string
	Title       string
	URL         string
	PublishedAt string
	Text        string
	HTML        string
	// ids holds the values of the IDFields present, by name.
	ids map[string]string
	// meta holds every other field.
	meta map[string]any
}

// ParseJSONL reads a whole JSON Lines file (see NewJSONLReader) into
// records and line errors. It holds every record in memory: importers
// read one record at a time with NewJSONLReader instead.
func ParseJSONL(r io.Reader, maxLineBytes int) ([]Record, []LineError) {
	return readAll(NewJSONLReader(r, maxLineBytes))
}

// ParseCSV reads a whole CSV file (see NewCSVReader) into records and line
// errors. It holds every record in memory: importers read one record at a
// time with NewCSVReader instead.
func ParseCSV(r io.Reader) ([]Record, []LineError) {
	return readAll(NewCSVReader(r))
}

// readAll drains a RecordReader; a read error is the last line error.
func readAll(rr RecordReader) ([]Record, []LineError) {
	var recs []Record
	var errs []LineError
	for {
		rec, err := rr.Next()
		if err == io.EOF {
			return recs, errs
		}
		var le LineError
		var re *ReadError
		switch {
		case errors.As(err, &le):
			errs = append(errs, le)
			continue
		case errors.As(err, &re):
			return recs, append(errs, LineError{Line: re.Line, Err: "read error: " + re.Err.Error()})
		case err != nil:
			return recs, append(errs, LineError{Line: rec.Line, Err: err.Error()})
		}
		recs = append(recs, rec)
	}
}

// jsonlReader reads JSON Lines one line at a time.
type jsonlReader struct {
	br      *bufio.Reader
	max     int
	lineNo  int
	done    bool
	scratch []byte
}

// NewJSONLReader reads JSON Lines: one object per line with the fields
// event, outlet, title, url, published_at, text and html, an id (see
// IDFields) and any other field as metadata (a string, number or boolean;
// null is no value). Blank lines are skipped; a byte order mark at the
// start of a line is dropped. Lines longer than maxLineBytes
// (DefaultMaxLineBytes when ≤ 0) are skipped unread past the limit. Every
// line that is not a record (malformed JSON, a field given twice, a known
// field that is not a string, a nested metadata value, a bad
// published_at, invalid UTF-8, NUL bytes, too long) is a LineError.
func NewJSONLReader(r io.Reader, maxLineBytes int) RecordReader {
	if maxLineBytes <= 0 {
		maxLineBytes = DefaultMaxLineBytes
	}
	return &jsonlReader{br: bufio.NewReaderSize(r, 64<<10), max: maxLineBytes}
}

// Next reads the next record or bad line.
func (j *jsonlReader) Next() (Record, error) {
	for !j.done {
		j.lineNo++
		line, tooLong, err := readLimitedLine(j.br, j.max, j.scratch[:0])
		if err == io.EOF {
			j.done = true
			break
		}
		if err != nil {
			j.done = true
			return Record{}, &ReadError{Line: j.lineNo, Err: err}
		}
		if cap(line) <= 1<<20 {
			j.scratch = line // reused for the next line; records copy what they keep
		}
		line = bytes.TrimPrefix(line, []byte(utf8BOM))
		switch {
		case tooLong:
			return Record{}, LineError{Line: j.lineNo, Err: fmt.Sprintf("line is longer than %d bytes", j.max)}
		case len(bytes.TrimSpace(line)) == 0:
			continue
		}
		if msg := encodingProblem("line", line); msg != "" {
			return Record{}, LineError{Line: j.lineNo, Err: msg}
		}
		raw, err := decodeJSONRecord(line)
		if err != nil {
			return Record{}, LineError{Line: j.lineNo, Err: err.Error()}
		}
		rec, err := raw.record(j.lineNo)
		if err != nil {
			return Record{}, LineError{Line: j.lineNo, Err: err.Error()}
		}
		return rec, nil
	}
	return Record{}, io.EOF
}

// readLimitedLine reads one line without its line ending into buf. A line
// longer than max is consumed to its end and reported with tooLong, its
// content dropped. It returns io.EOF only when no bytes were left.
func readLimitedLine(br *bufio.Reader, max int, buf []byte) (line []byte, tooLong bool, err error) {
	read := false
	line = buf
	for {
		chunk, err := br.ReadSlice('\n')
		read = read || len(chunk) > 0
		if !tooLong {
			if len(line)+len(chunk) > max+2 { // room for \r\n
				tooLong, line = true, nil
			} else {
				line = append(line, chunk...)
			}
		}
		switch {
		case err == bufio.ErrBufferFull:
			continue
		case err == io.EOF && !read:
			return nil, false, io.EOF
		case err != nil && err != io.EOF:
			return nil, false, err
		}
		line = bytes.TrimSuffix(line, []byte("\n"))
		line = bytes.TrimSuffix(line, []byte("\r"))
		if len(line) > max {
			return nil, true, nil
		}
		return line, tooLong, nil
	}
}

// decodeJSONRecord decodes one JSON object strictly: a field given twice,
// a known field that is not a string, a metadata value that is an object
// or an array, and trailing data are errors.
func decodeJSONRecord(line []byte) (rawRecord, error) {
	var raw rawRecord
	if firstNonSpace(line) != '{' {
		if json.Valid(line) {
			return raw, fmt.Errorf("expected a JSON object {...}, got %s", jsonKindOf(line))
		}
		return raw, fmt.Errorf("malformed JSON: a line must be one JSON object {...}, not %q", Shorten(string(bytes.TrimSpace(line)), 20))
	}
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.UseNumber()
	if _, err := dec.Token(); err != nil { // the '{'
		return raw, jsonProblem(err)
	}
	// seen holds the fields read, by fieldKey, as first written.
	seen := map[string]string{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return raw, jsonProblem(err)
		}
		name, _ := tok.(string)
		key := fieldKey(name)
		if first, ok := seen[key]; ok {
			if first == name {
				return raw, fmt.Errorf("field %q appears twice", Shorten(name, 40))
			}
			return raw, fmt.Errorf("fields %q and %q are the same field (Slant reads the names of its fields whatever their case): keep one", Shorten(first, 40), Shorten(name, 40))
		}
		seen[key] = name
		// The value as a token: a string, a json.Number, a bool, nil, or
		// the opening delimiter of an object or a list, which no field
		// may be. Reading it so scans the text once.
		value, err := dec.Token()
		if err != nil {
			return raw, jsonProblem(err)
		}
		if err := raw.set(name, value); err != nil {
			return raw, err
		}
	}
	if _, err := dec.Token(); err != nil { // the '}'
		return raw, jsonProblem(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return raw, errors.New("extra data after the JSON object")
	}
	return raw, nil
}

// firstNonSpace is the first byte of b that is not JSON white space, 0
// when there is none.
func firstNonSpace(b []byte) byte {
	for _, c := range b {
		switch c {
		case ' ', '\t', '\r', '\n':
			continue
		}
		return c
	}
	return 0
}

// set takes one field of a JSON record, read as a token (see
// decodeJSONRecord): a known field (a string or null), an id (a string, a
// number or null), both whatever the case of their name, or a metadata
// value.
func (raw *rawRecord) set(name string, value json.Token) error {
	key := fieldKey(name)
	if target := raw.known(key); target != nil {
		switch v := value.(type) {
		case string:
			*target = v
			return nil
		case nil:
			return nil
		}
		return fmt.Errorf("field %q must be a string, got %s", name, tokenKind(value))
	}
	if isIDField(key) {
		var id string
		switch v := value.(type) {
		case string:
			id = strings.TrimSpace(v)
		case json.Number:
			id = string(v)
		case nil:
		default:
			return fmt.Errorf("field %q (the article's id) must be a string or a number, got %s", name, tokenKind(value))
		}
		if id != "" {
			if raw.ids == nil {
				raw.ids = map[string]string{}
			}
			raw.ids[key] = id
		}
		return nil
	}
	v, err := metaToken(name, value)
	if err != nil || v == nil {
		return err
	}
	if raw.meta == nil {
		raw.meta = map[string]any{}
	}
	raw.meta[name] = v
	return nil
}

// known returns where a known field goes, nil for any other name.
func (raw *rawRecord) known(name string) *string {
	switch name {
	case "event":
		return &raw.Event
	case "outlet":
		return &raw.Outlet
	case "title":
		return &raw.Title
	case "url":
		return &raw.URL
	case "published_at":
		return &raw.PublishedAt
	case "text":
		return &raw.Text
	case "html":
		return &raw.HTML
	}
	return nil
}

// metaToken takes one metadata value read as a token: a string, a
// json.Number (as written) or a bool; nil for null, which is no value. An
// object or a list is refused: a metadata value is one cell of a table.
func metaToken(name string, value json.Token) (any, error) {
	switch v := value.(type) {
	case string, json.Number, bool:
		return v, nil
	case nil:
		return nil, nil
	case json.Delim:
		if v == '{' {
			return nil, fmt.Errorf("field %q is an object: an extra field is kept as one value (a string, number or true/false); flatten it into fields such as %q", Shorten(name, 40), Shorten(name, 40)+"_name")
		}
		return nil, fmt.Errorf("field %q is a list: an extra field is kept as one value (a string, number or true/false); join the list into one string, such as \"a; b\"", Shorten(name, 40))
	}
	return nil, fmt.Errorf("field %q holds no JSON value", Shorten(name, 40))
}

// tokenKind names the kind of a JSON token for an error message.
func tokenKind(value json.Token) string {
	switch v := value.(type) {
	case string:
		return "a string"
	case bool:
		return "true or false"
	case nil:
		return "null"
	case json.Delim:
		if v == '{' {
			return "an object"
		}
		return "a list"
	}
	return "a number"
}

// jsonKindOf names the kind of a JSON value for an error message.
func jsonKindOf(value json.RawMessage) string {
	switch c := firstNonSpace(value); {
	case c == '"':
		return "a string"
	case c == 't' || c == 'f':
		return "true or false"
	case c == '{':
		return "an object"
	case c == '[':
		return "a list"
	case c == 'n':
		return "null"
	}
	return "a number"
}

// jsonProblem rewrites an encoding/json error in plain words.
func jsonProblem(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Errorf("malformed JSON at byte %d: %s", syn.Offset, syn.Error())
	case errors.As(err, &typ):
		if typ.Field == "" {
			return fmt.Errorf("expected a JSON object, got %s", typ.Value)
		}
		return fmt.Errorf("field %q must be a string, got %s", typ.Field, typ.Value)
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return errors.New("malformed JSON: unexpected end of line")
	}
	msg := strings.TrimPrefix(err.Error(), "json: ")
	return errors.New(msg)
}

// record converts a raw record: surrounding space is trimmed from the
// short fields (the text and html are kept exactly as given), the
// publication time is read, and the id is the first of IDFields given
// (the others stay metadata). Whether the record is a good article (its
// event and outlet given, text or html, the lengths, its id and
// metadata) is for the caller to check: Slant checks an article once,
// whichever way it came in.
func (raw rawRecord) record(line int) (Record, error) {
	rec := Record{
		Line:     line,
		Event:    strings.TrimSpace(raw.Event),
		Outlet:   strings.TrimSpace(raw.Outlet),
		Title:    strings.TrimSpace(raw.Title),
		URL:      strings.TrimSpace(raw.URL),
		Text:     raw.Text,
		HTML:     raw.HTML,
		Metadata: raw.meta,
	}
	for _, name := range IDFields {
		id, ok := raw.ids[name]
		switch {
		case !ok:
		case rec.ID == "":
			rec.ID = id
		default:
			if rec.Metadata == nil {
				rec.Metadata = map[string]any{}
			}
			rec.Metadata[name] = id
		}
	}
	if p := strings.TrimSpace(raw.PublishedAt); p != "" {
		t, ok := ParseTime(p)
		if !ok {
			return Record{}, fmt.Errorf("published_at %q is not an RFC 3339 time or a YYYY-MM-DD date", Shorten(p, 40))
		}
		rec.PublishedAt = &t
	}
	return rec, nil
}

// ParseTime reads a time written as RFC 3339 ("2025-08-10T14:05:00Z",
// fractional seconds allowed) or as a bare date ("2025-08-10", midnight
// UTC), the two forms every way in accepts. The time is returned in UTC.
func ParseTime(s string) (time.Time, bool) {
	for _, layout := range []string{time.RFC3339Nano, time.DateOnly} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// Shorten cuts s to n runes for an error message.
func Shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

// errLineTooLong stops CSV parsing at an over-long physical line.
var errLineTooLong = errors.New("line too long")

// csvReader reads CSV one record at a time.
type csvReader struct {
	cr     *csv.Reader
	limit  *lineLimitReader
	cols   csvLayout
	header bool // the header row has been read
	done   bool
	// pending are the header's errors, returned one at a time before
	// reading stops.
	pending []LineError
}

// NewCSVReader reads CSV (RFC 4180, UTF-8, optional byte order mark)
// whose first row names the columns: event, outlet, title, url,
// published_at, text, html in any order (event, outlet and one of text or
// html required), an id column (see IDFields), and any other column as
// metadata, named as in the header (an empty cell is no value). A header
// that names a column twice, or a column without a name, stops parsing.
// Each bad record becomes a LineError numbered by the line it starts on
// and parsing continues; a physical line longer than DefaultMaxLineBytes
// or a read error ends it.
func NewCSVReader(r io.Reader) RecordReader {
	limit := &lineLimitReader{r: r, max: DefaultMaxLineBytes}
	br := bufio.NewReaderSize(limit, 64<<10)
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, []byte(utf8BOM)) {
		_, _ = br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	return &csvReader{cr: cr, limit: limit}
}

// Next reads the next record or bad line.
func (c *csvReader) Next() (Record, error) {
	if len(c.pending) > 0 {
		le := c.pending[0]
		c.pending = c.pending[1:]
		return Record{}, le
	}
	if c.done {
		return Record{}, io.EOF
	}
	if !c.header {
		c.header = true
		header, err := c.cr.Read()
		if err == io.EOF {
			c.done = true
			return Record{}, LineError{Line: 1, Err: "empty file: a header row naming the columns is required"}
		}
		if err != nil {
			c.done = true
			return Record{}, csvError(err, 1, c.limit)
		}
		var errs []LineError
		c.cols, errs = csvHeader(header)
		if len(errs) > 0 {
			c.done = true
			c.pending = errs[1:]
			return Record{}, errs[0]
		}
	}
	row, err := c.cr.Read()
	if err == io.EOF {
		c.done = true
		return Record{}, io.EOF
	}
	if err != nil {
		err = csvError(err, 0, c.limit)
		var le LineError
		if !errors.As(err, &le) {
			c.done = true
		}
		return Record{}, err
	}
	line, _ := c.cr.FieldPos(0)
	rec, err := c.cols.record(row, line)
	if err != nil {
		return Record{}, LineError{Line: line, Err: err.Error()}
	}
	return rec, nil
}

// csvLayout says where each column of a CSV import is: the 1-based index
// of each known column (0: absent), the id columns and metadata columns
// in order, and how many columns the header has.
type csvLayout struct {
	index map[string]int
	ids   []csvColumn // in the order of IDFields
	meta  []csvColumn
	width int
	// names are the header's column names, trimmed, in order.
	names []string
}

// csvColumn is a column kept by name: an id or a metadata column.
type csvColumn struct {
	name  string
	index int // 0-based
}

// csvHeader reads the header row: every column named once, event and
// outlet present, and text or html.
func csvHeader(header []string) (csvLayout, []LineError) {
	cols := csvLayout{index: map[string]int{}, width: len(header), names: make([]string, len(header))}
	var errs []LineError
	seen := map[string]bool{}
	ids := map[string]int{}
	for i, h := range header {
		name := strings.TrimSpace(h)
		cols.names[i] = name
		key := fieldKey(name)
		switch {
		case name == "":
			errs = append(errs, LineError{Line: 1, Err: fmt.Sprintf("column %d has no name: name every column in the header row", i+1)})
		case seen[key]:
			errs = append(errs, LineError{Line: 1, Err: fmt.Sprintf("column %q appears twice", Shorten(name, 40))})
		case knownFields[key]:
			cols.index[key] = i + 1
		case isIDField(key):
			ids[key] = i
		default:
			cols.meta = append(cols.meta, csvColumn{name: name, index: i})
		}
		seen[key] = true
	}
	for _, name := range IDFields {
		if i, ok := ids[name]; ok {
			cols.ids = append(cols.ids, csvColumn{name: name, index: i})
		}
	}
	for _, need := range []string{"event", "outlet"} {
		if cols.index[need] == 0 {
			errs = append(errs, LineError{Line: 1, Err: fmt.Sprintf("header has no %q column", need)})
		}
	}
	if cols.index["text"] == 0 && cols.index["html"] == 0 {
		errs = append(errs, LineError{Line: 1, Err: `header needs a "text" or "html" column`})
	}
	return cols, errs
}

// record converts one CSV row, which must have as many fields as the
// header, all UTF-8.
func (cols csvLayout) record(row []string, line int) (Record, error) {
	if len(row) != cols.width {
		return Record{}, fmt.Errorf("record has %d fields, the header has %d", len(row), cols.width)
	}
	for i, f := range row {
		if strings.IndexByte(f, 0) < 0 && utf8.ValidString(f) {
			continue // encodingProblem has nothing to say: no name built, no copy made
		}
		// The offset is within the cell, so the message names it.
		what := fmt.Sprintf("the %q cell (column %d)", Shorten(cols.names[i], 40), i+1)
		if msg := encodingProblem(what, []byte(f)); msg != "" {
			return Record{}, errors.New(msg)
		}
	}
	get := func(name string) string {
		if i := cols.index[name]; i > 0 {
			return row[i-1]
		}
		return ""
	}
	raw := rawRecord{
		Event: get("event"), Outlet: get("outlet"), Title: get("title"),
		URL: get("url"), PublishedAt: get("published_at"),
		Text: get("text"), HTML: get("html"),
	}
	for _, c := range cols.ids {
		if v := strings.TrimSpace(row[c.index]); v != "" {
			if raw.ids == nil {
				raw.ids = map[string]string{}
			}
			raw.ids[c.name] = v
		}
	}
	for _, c := range cols.meta {
		if v := row[c.index]; v != "" {
			if raw.meta == nil {
				raw.meta = make(map[string]any, len(cols.meta))
			}
			raw.meta[c.name] = v
		}
	}
	return raw.record(line)
}

// csvError turns a CSV reading error into a LineError (a malformed
// record: reading goes on) or a *ReadError (a line too long to read past,
// or the reader's failure: reading stops); fallback is the line used when
// the error carries none.
func csvError(err error, fallback int, limit *lineLimitReader) error {
	var pe *csv.ParseError
	switch {
	case errors.Is(err, errLineTooLong):
		return &ReadError{Line: limit.line, Err: fmt.Errorf("line is longer than %d bytes: the file cannot be read past it", limit.max)}
	case errors.As(err, &pe):
		line := pe.StartLine
		if line == 0 {
			line = pe.Line
		}
		return LineError{Line: line, Err: "malformed CSV: " + pe.Err.Error()}
	}
	if fallback == 0 {
		fallback = limit.line
	}
	return &ReadError{Line: fallback, Err: err}
}

// lineLimitReader fails once a physical line grows longer than max bytes,
// and counts lines for the error message.
type lineLimitReader struct {
	r    io.Reader
	max  int
	run  int // bytes since the last newline
	line int // 1-based line being read
}

// Read passes bytes through until a line grows past the limit.
func (l *lineLimitReader) Read(p []byte) (int, error) {
	if l.line == 0 {
		l.line = 1
	}
	n, err := l.r.Read(p)
	for i := 0; i < n; i++ {
		if p[i] == '\n' {
			l.run = 0
			l.line++
			continue
		}
		l.run++
		if l.run > l.max {
			return i, errLineTooLong
		}
	}
	return n, err
}

// sliceReader gives records already in memory one at a time.
type sliceReader struct{ recs []Record }

// SliceReader is a RecordReader of records already in memory, for tools
// that make their records rather than read a file.
func SliceReader(recs []Record) RecordReader { return &sliceReader{recs: recs} }

// Next gives the next record.
func (s *sliceReader) Next() (Record, error) {
	if len(s.recs) == 0 {
		return Record{}, io.EOF
	}
	rec := s.recs[0]
	s.recs = s.recs[1:]
	return rec, nil
}
