package models

import "fmt"

// Control characters. PostgreSQL refuses NUL (U+0000) in text, where
// SQLite keeps it; the other C0 control characters (U+0001 to U+001F) and
// DEL (U+007F) are nobody's writing: they come from a bad copy, a binary
// file read as text or a probe. So that both databases keep exactly the
// same texts, the store refuses all of them, tab, line feed and carriage
// return excepted in texts of several lines (an article's text, an
// event's description, a word-list entry's reason), tab in the others,
// with a ValidationError that says where the first one is. The store
// refuses rather than removes: an article's text is kept exactly as sent,
// since report offsets point into it.

// ControlCharacter returns the first control character a stored text may
// not hold, and its byte offset; found is false when there is none.
// multiline allows line feeds and carriage returns.
func ControlCharacter(s string, multiline bool) (r rune, at int, found bool) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != 0x7f {
			continue
		}
		if c == '\t' || (multiline && (c == '\n' || c == '\r')) {
			continue
		}
		return rune(c), i, true
	}
	return 0, 0, false
}

// ControlProblem is the Problem of the ValidationError about a control
// character r at byte offset at. The message counts bytes from 1, as every
// other "at byte" message of Slant's does (and as cmp and editors do).
func ControlProblem(r rune, at int) string {
	return fmt.Sprintf("contains an invisible control character (U+%04X) at byte %d: remove it and send it again", r, at+1)
}

// checkControls is the ValidationError about field when value holds a
// control character it may not, else nil.
func checkControls(field, value string, multiline bool) error {
	if r, at, found := ControlCharacter(value, multiline); found {
		return &ValidationError{Field: field, Problem: ControlProblem(r, at)}
	}
	return nil
}

// firstError returns the first non-nil error.
func firstError(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
