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

// rawRecord is a record as written in the file, before checking.
type rawRecord struct {
	Event       string `json:"event"`
	Outlet      string `json:"outlet"`
	Title       string `json:"title"`
	URL         string `json:"url"`
	PublishedAt string `json:"published_at"`
	Text        string `json:"text"`
	HTML        string `json:"html"`
}

// ParseJSONL reads JSON Lines: one object per line with the fields event,
// outlet, title, url, published_at, text and html. Blank lines are skipped.
// Lines longer than maxLineBytes (DefaultMaxLineBytes when ≤ 0) are
// skipped unread past the limit. Every line that is not a record
// (malformed JSON, unknown field, wrong type, bad published_at, invalid
// UTF-8, too long) becomes a LineError and parsing continues; a read error
// ends it with a LineError. The input is read one line at a time.
func ParseJSONL(r io.Reader, maxLineBytes int) ([]Record, []LineError) {
	if maxLineBytes <= 0 {
		maxLineBytes = DefaultMaxLineBytes
	}
	br := bufio.NewReaderSize(r, 64<<10)
	var recs []Record
	var errs []LineError
	for lineNo := 1; ; lineNo++ {
		line, tooLong, err := readLimitedLine(br, maxLineBytes)
		if err == io.EOF {
			break
		}
		if err != nil {
			errs = append(errs, LineError{Line: lineNo, Err: "read error: " + err.Error()})
			break
		}
		if lineNo == 1 {
			line = bytes.TrimPrefix(line, []byte("\xef\xbb\xbf"))
		}
		switch {
		case tooLong:
			errs = append(errs, LineError{Line: lineNo, Err: fmt.Sprintf("line is longer than %d bytes", maxLineBytes)})
			continue
		case len(bytes.TrimSpace(line)) == 0:
			continue
		case !utf8.Valid(line):
			errs = append(errs, LineError{Line: lineNo, Err: "line is not valid UTF-8"})
			continue
		}
		raw, err := decodeJSONRecord(line)
		if err != nil {
			errs = append(errs, LineError{Line: lineNo, Err: err.Error()})
			continue
		}
		rec, err := raw.record(lineNo)
		if err != nil {
			errs = append(errs, LineError{Line: lineNo, Err: err.Error()})
			continue
		}
		recs = append(recs, rec)
	}
	return recs, errs
}

// readLimitedLine reads one line without its line ending. A line longer
// than max is consumed to its end and reported with tooLong, its content
// dropped. It returns io.EOF only when no bytes were left.
func readLimitedLine(br *bufio.Reader, max int) (line []byte, tooLong bool, err error) {
	read := false
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

// decodeJSONRecord decodes one JSON object strictly: unknown fields,
// wrong types and trailing data are errors.
func decodeJSONRecord(line []byte) (rawRecord, error) {
	var raw rawRecord
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&raw); err != nil {
		return raw, jsonProblem(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return raw, errors.New("extra data after the JSON object")
	}
	return raw, nil
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
// short fields (the text and html are kept exactly as given) and the
// publication time is read. Whether the record is a good article (its
// event and outlet given, text or html, the lengths) is for the caller to
// check: Slant checks an article once, whichever way it came in
// (desk.ReadRecords).
func (raw rawRecord) record(line int) (Record, error) {
	rec := Record{
		Line:   line,
		Event:  strings.TrimSpace(raw.Event),
		Outlet: strings.TrimSpace(raw.Outlet),
		Title:  strings.TrimSpace(raw.Title),
		URL:    strings.TrimSpace(raw.URL),
		Text:   raw.Text,
		HTML:   raw.HTML,
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

// csvColumns are the columns a CSV import may have.
var csvColumns = map[string]bool{
	"event": true, "outlet": true, "title": true, "url": true,
	"published_at": true, "text": true, "html": true,
}

// errLineTooLong stops CSV parsing at an over-long physical line.
var errLineTooLong = errors.New("line too long")

// ParseCSV reads CSV (RFC 4180, UTF-8, optional byte order mark) whose
// first row names the columns: event, outlet, title, url, published_at,
// text, html, in any order; event, outlet and one of text or html are
// required, unknown or repeated columns are an error that stops parsing.
// Each bad record becomes a LineError numbered by the line it starts on and
// parsing continues; a physical line longer than DefaultMaxLineBytes or a
// read error ends it. The input is read one record at a time.
func ParseCSV(r io.Reader) ([]Record, []LineError) {
	limit := &lineLimitReader{r: r, max: DefaultMaxLineBytes}
	br := bufio.NewReaderSize(limit, 64<<10)
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, []byte("\xef\xbb\xbf")) {
		_, _ = br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true

	header, err := cr.Read()
	if err == io.EOF {
		return nil, []LineError{{Line: 1, Err: "empty file: a header row naming the columns is required"}}
	}
	if err != nil {
		return nil, []LineError{csvLineError(err, 1, limit)}
	}
	cols, errs := csvHeader(header)
	if len(errs) > 0 {
		return nil, errs
	}

	var recs []Record
	for {
		row, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			errs = append(errs, csvLineError(err, 0, limit))
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				continue
			}
			break
		}
		line, _ := cr.FieldPos(0)
		rec, err := cols.record(row, line)
		if err != nil {
			errs = append(errs, LineError{Line: line, Err: err.Error()})
			continue
		}
		recs = append(recs, rec)
	}
	return recs, errs
}

// csvLayout says where each column of a CSV import is: the 1-based index
// of each named column (0: absent), and how many the header has.
type csvLayout struct {
	index map[string]int
	width int
}

// csvHeader reads the header row: every column known and named once,
// event and outlet present, and text or html.
func csvHeader(header []string) (csvLayout, []LineError) {
	cols := csvLayout{index: map[string]int{}, width: len(header)}
	var errs []LineError
	for i, h := range header {
		name := strings.ToLower(strings.TrimSpace(h))
		switch {
		case !csvColumns[name]:
			errs = append(errs, LineError{Line: 1, Err: fmt.Sprintf("unknown column %q (want event, outlet, title, url, published_at, text, html)", Shorten(h, 40))})
		case cols.index[name] > 0:
			errs = append(errs, LineError{Line: 1, Err: fmt.Sprintf("column %q appears twice", name)})
		default:
			cols.index[name] = i + 1
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
	for _, f := range row {
		if !utf8.ValidString(f) {
			return Record{}, errors.New("record is not valid UTF-8")
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
	return raw.record(line)
}

// csvLineError turns a CSV reading error into a LineError; fallback is the
// line used when the error carries none.
func csvLineError(err error, fallback int, limit *lineLimitReader) LineError {
	var pe *csv.ParseError
	switch {
	case errors.As(err, &pe):
		line := pe.StartLine
		if line == 0 {
			line = pe.Line
		}
		return LineError{Line: line, Err: "malformed CSV: " + pe.Err.Error()}
	case errors.Is(err, errLineTooLong):
		return LineError{Line: limit.line, Err: fmt.Sprintf("line is longer than %d bytes; parsing stopped", limit.max)}
	}
	if fallback == 0 {
		fallback = limit.line
	}
	return LineError{Line: fallback, Err: "read error: " + err.Error()}
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
