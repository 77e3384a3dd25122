package models

import (
	"bytes"
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// A researcher's corpus carries more than Slant reads: the article's own
// id in the corpus, and fields such as a section, an author or a stance
// label. An imported article keeps both, so that Slant's measures can be
// joined back to the researcher's data: the id as Article.ExternalID
// (unique within its event), the other fields as Article.Metadata.

// Limits on an article's external id and metadata, checked before
// anything is written.
const (
	// MaxExternalID is the longest external id accepted, in characters:
	// room for a DOI, a URL-like key or a UUID with a prefix.
	MaxExternalID = 200
	// MaxMetadataKeys is the most metadata fields one article keeps; each
	// becomes a column of the CSV export.
	MaxMetadataKeys = 100
	// MaxMetadataKey is the longest metadata field name, in characters.
	MaxMetadataKey = 64
	// MaxMetadataValue is the longest metadata string, in characters: a
	// label, a byline or an abstract, not a second article text.
	MaxMetadataValue = 10_000
	// MaxMetadataBytes bounds an article's metadata as stored (JSON), in
	// bytes.
	MaxMetadataBytes = 64 << 10
)

// Metadata holds the fields of an imported record Slant does not know, by
// name. Each value is a string, a json.Number (kept exactly as written) or
// a bool: one cell of a table, never a list or an object. It is stored as
// one JSON object (keys sorted), NULL when empty.
type Metadata map[string]any

// Value stores the metadata as a JSON object; empty metadata is NULL.
func (m Metadata) Value() (driver.Value, error) {
	if len(m) == 0 {
		return nil, nil
	}
	data, err := json.Marshal(map[string]any(m))
	if err != nil {
		return nil, fmt.Errorf("encode metadata: %w", err)
	}
	return string(data), nil
}

// Scan reads metadata stored by Value, numbers as json.Number.
func (m *Metadata) Scan(src any) error {
	var data []byte
	switch v := src.(type) {
	case nil:
		*m = nil
		return nil
	case string:
		data = []byte(v)
	case []byte:
		data = v
	default:
		return fmt.Errorf("scan metadata: unexpected %T", src)
	}
	meta, err := DecodeMetadata(data)
	if err != nil {
		return fmt.Errorf("scan metadata: %w", err)
	}
	*m = meta
	return nil
}

// DecodeMetadata reads metadata stored as a JSON object, numbers as
// json.Number; nil for an empty object.
func DecodeMetadata(data []byte) (Metadata, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var meta Metadata
	if err := dec.Decode(&meta); err != nil {
		return nil, err
	}
	if len(meta) == 0 {
		return nil, nil
	}
	return meta, nil
}

// Keys are the metadata's field names, sorted.
func (m Metadata) Keys() []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// MetadataKind names the kind of a metadata value: "string", "number" or
// "boolean".
func MetadataKind(v any) string {
	switch v.(type) {
	case json.Number:
		return "number"
	case bool:
		return "boolean"
	}
	return "string"
}

// CheckExternalID says what is wrong with an external id, "" when nothing
// is: at most MaxExternalID characters, no control characters. (Empty
// means none, and surrounding space is the caller's to trim.)
func CheckExternalID(id string) string {
	switch {
	case utf8.RuneCountInString(id) > MaxExternalID:
		return fmt.Sprintf("must be at most %d characters (it has %d)", MaxExternalID, utf8.RuneCountInString(id))
	case strings.IndexFunc(id, unicode.IsControl) >= 0:
		return "must not hold control characters (tabs, line breaks)"
	}
	return ""
}

// CheckMetadata says what is wrong with an article's metadata, one
// problem per line of the answer, or nil: at most MaxMetadataKeys
// fields, each name 1 to MaxMetadataKey characters without control
// characters or surrounding space, each value a string (at most
// MaxMetadataValue characters), a valid JSON number or a bool, and
// MaxMetadataBytes in all.
func CheckMetadata(m Metadata) []string {
	if len(m) == 0 {
		return nil
	}
	if len(m) > MaxMetadataKeys {
		return []string{fmt.Sprintf("has %d extra fields, the most one article keeps is %d: leave out the fields you do not need", len(m), MaxMetadataKeys)}
	}
	var problems []string
	for _, k := range m.Keys() {
		if p := checkMetadataKey(k); p != "" {
			problems = append(problems, p)
			continue
		}
		if p := checkMetadataValue(k, m[k]); p != "" {
			problems = append(problems, p)
		}
	}
	if len(problems) > 0 {
		return problems
	}
	if v, err := m.Value(); err != nil {
		return []string{err.Error()}
	} else if s, _ := v.(string); len(s) > MaxMetadataBytes {
		return []string{fmt.Sprintf("extra fields take %d bytes, the most one article keeps is %d", len(s), MaxMetadataBytes)}
	}
	return nil
}

// checkMetadataKey checks a metadata field name.
func checkMetadataKey(k string) string {
	switch {
	case k == "":
		return "an extra field has no name"
	case utf8.RuneCountInString(k) > MaxMetadataKey:
		return fmt.Sprintf("extra field name %q is longer than %d characters", shorten(k, 40), MaxMetadataKey)
	case strings.IndexFunc(k, unicode.IsControl) >= 0:
		return fmt.Sprintf("extra field name %q holds control characters", shorten(k, 40))
	case strings.TrimSpace(k) != k:
		return fmt.Sprintf("extra field name %q starts or ends with space", shorten(k, 40))
	}
	return ""
}

// checkMetadataValue checks one metadata value.
func checkMetadataValue(k string, v any) string {
	switch v := v.(type) {
	case string:
		if n := utf8.RuneCountInString(v); n > MaxMetadataValue {
			return fmt.Sprintf("extra field %q is %d characters long, the most is %d", shorten(k, 40), n, MaxMetadataValue)
		}
		if !utf8.ValidString(v) {
			return fmt.Sprintf("extra field %q is not valid UTF-8", shorten(k, 40))
		}
	case json.Number:
		if len(v) > 64 || !jsonNumber.MatchString(string(v)) {
			return fmt.Sprintf("extra field %q is not a number", shorten(k, 40))
		}
	case bool:
	default:
		return fmt.Sprintf("extra field %q must be a string, a number or true/false", shorten(k, 40))
	}
	return ""
}

// errMetadata is the error of metadata that fails CheckMetadata.
func errMetadata(problems []string) error {
	return &ValidationError{Field: "metadata", Problem: strings.Join(problems, "; ")}
}

// shorten cuts s to n runes for an error message.
func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

// jsonNumber is the grammar of a JSON number.
var jsonNumber = regexp.MustCompile(`^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$`)
