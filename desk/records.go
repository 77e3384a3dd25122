package desk

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"slant/ingest"
	"slant/models"
)

// Mode says what happens to an import with bad lines.
type Mode string

// The import modes.
const (
	// ModeSkip stores the good lines and reports the bad ones.
	ModeSkip Mode = "skip"
	// ModeStrict stores nothing when any line is bad.
	ModeStrict Mode = "strict"
)

// ParseMode reads a mode: "skip" (or "skip-bad") and "strict" (or
// "all-or-nothing"); empty means ModeSkip.
func ParseMode(s string) (Mode, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "skip", "skip-bad":
		return ModeSkip, nil
	case "strict", "all-or-nothing":
		return ModeStrict, nil
	}
	return "", fmt.Errorf("mode %q is not skip (skip-bad) or strict (all-or-nothing)", s)
}

// Format is the layout of an import file.
type Format string

// The import formats.
const (
	// FormatJSONL is JSON Lines: one JSON object per line.
	FormatJSONL Format = "jsonl"
	// FormatCSV is RFC 4180 CSV with a header row.
	FormatCSV Format = "csv"
)

// ParseFormat reads a format name: jsonl (or ndjson) or csv.
func ParseFormat(s string) (Format, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "jsonl", "ndjson", "json":
		return FormatJSONL, nil
	case "csv":
		return FormatCSV, nil
	}
	return "", fmt.Errorf("format %q is not jsonl or csv", s)
}

// FormatOf picks the format from a file name's extension: .jsonl, .ndjson
// and .json are JSON Lines, .csv is CSV.
func FormatOf(name string) (Format, error) {
	ext := strings.TrimPrefix(strings.ToLower(filepath.Ext(name)), ".")
	f, err := ParseFormat(ext)
	if err != nil || ext == "" {
		return "", fmt.Errorf("cannot tell the format of %s from its extension: name it .jsonl or .csv, or give the format", name)
	}
	return f, nil
}

// OpenRecords reads an import file in the given format, one record at a
// time (ingest.NewJSONLReader, ingest.NewCSVReader), its text decoded from
// charset first ("" is UTF-8; see ingest.DecodeText): lines that are not
// records come back as LineErrors. Whether each record is a good article
// is checked once, by Import, the same way as an article added any other
// way. An unknown charset is ingest.ErrUnknownEncoding.
func OpenRecords(r io.Reader, f Format, charset string) (ingest.RecordReader, error) {
	text, err := ingest.DecodeText(r, charset)
	if err != nil {
		return nil, err
	}
	if f == FormatCSV {
		return ingest.NewCSVReader(text), nil
	}
	return ingest.NewJSONLReader(text, 0), nil
}

// submission is the record as the desk takes every article in: its text
// kept exactly as given, its html through the extractor, its id and other
// fields kept with it.
func submission(rec ingest.Record) Submission {
	return Submission{
		EventKey: rec.Event, Outlet: rec.Outlet, Title: rec.Title, URL: rec.URL,
		PublishedAt: rec.PublishedAt, Text: rec.Text, HTML: rec.HTML,
		ExternalID: rec.ID, Metadata: models.Metadata(rec.Metadata),
	}
}
