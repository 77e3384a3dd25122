package desk

import (
	"fmt"
	"strconv"
	"strings"

	"slant/analysis"
	"slant/ingest"
	"slant/models"
)

// The desk speaks the models' error vocabulary (models.ErrNotFound,
// models.ErrConflict, *models.ValidationError) and adds the few errors
// below. Every one of them carries a message that is safe to show to the
// person who sent the article; the API's status table (api/errors.go)
// maps each to one status.

// TooLargeError is a text longer than the limit in force. The API answers
// it with 413.
type TooLargeError struct {
	// Field names what is too large ("text").
	Field string
	// Limit is the largest size accepted, in bytes.
	Limit int
}

// Error says what is too large and the limit, in words a teacher can
// measure as well as in the bytes the limit counts.
func (e *TooLargeError) Error() string {
	return fmt.Sprintf("%s is too long: this Slant accepts at most about %s words (%s bytes)",
		e.Field, GroupDigits(int64(roundedWords(e.Limit))), GroupDigits(int64(e.Limit)))
}

// bytesPerWord is about what a word of English news costs in UTF-8, its
// space included.
const bytesPerWord = 6

// roundedWords is about how many words of English fit in n bytes, rounded
// down to two significant figures: the count is a guide, not a promise.
func roundedWords(n int) int {
	w := n / bytesPerWord
	unit := 1
	for w/unit >= 100 {
		unit *= 10
	}
	return w / unit * unit
}

// GroupDigits writes n with commas between groups of three digits, as
// every size in the desk's and the API's messages is written.
func GroupDigits(n int64) string {
	s := strconv.FormatInt(n, 10)
	if n < 0 {
		return "-" + GroupDigits(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// FetchError is a failure to fetch the page of an article added by URL,
// so that it is told apart from the server's own failures and deadlines.
// Err is the fetcher's error (ingest.ErrBlockedAddress, ingest.ErrTooLarge,
// *ingest.HTTPStatusError, a network error, ...).
type FetchError struct{ Err error }

// Error says that the page could not be fetched, and why.
func (e *FetchError) Error() string { return "fetch page: " + e.Err.Error() }

// Unwrap gives the fetcher's error.
func (e *FetchError) Unwrap() error { return e.Err }

// ExplainedError gives a domain error (models.ErrConflict, a
// *models.ValidationError, ...) words for the person who asked, where the
// desk knows better than a generic table what it means here ("this
// article is already in this event" rather than "conflicts with something
// already stored"). The status follows the error it wraps.
type ExplainedError struct {
	Err     error
	Message string
}

// Error joins the explanation and the cause, for the log.
func (e *ExplainedError) Error() string { return e.Message + ": " + e.Err.Error() }

// Unwrap gives the cause, so that a status table can classify it.
func (e *ExplainedError) Unwrap() error { return e.Err }

// Explain wraps err with a message for the person who asked; nil stays
// nil.
func Explain(err error, message string) error {
	if err == nil {
		return nil
	}
	return &ExplainedError{Err: err, Message: message}
}

// RejectedError is Import's answer when nothing is stored because of bad
// lines: in ModeStrict when any line is bad, and in any mode when every
// line is. LineErrors lists the first MaxLineErrors, Count says how many
// there are. errors.Is(err, models.ErrInvalid) holds.
type RejectedError struct {
	LineErrors []ingest.LineError
	Count      int
	// NothingGood is true when no line at all could be stored (rather
	// than a strict import refused for some).
	NothingGood bool
}

// Error says how many lines are bad and quotes the first.
func (e *RejectedError) Error() string {
	if len(e.LineErrors) == 0 {
		return "import rejected"
	}
	return fmt.Sprintf("import rejected, nothing stored: %d bad lines, the first %s", e.Total(), e.LineErrors[0])
}

// Total is the number of bad lines, listed or not.
func (e *RejectedError) Total() int { return max(e.Count, len(e.LineErrors)) }

// Is makes errors.Is(err, models.ErrInvalid) true.
func (e *RejectedError) Is(target error) bool { return target == models.ErrInvalid }

// BuiltinTermError refuses a class word-list term that Slant's built-in
// lexicon has already (the same term, or a form that matches the same
// words): laid over it, the class's entry would silently replace the
// built-in entry's severity, reason and alternatives for every event. The
// teacher sees the built-in entry and may send the entry again with
// override. errors.Is(err, models.ErrConflict) holds: the API answers 409.
type BuiltinTermError struct {
	// Form is the class entry's form that collides.
	Form string
	// Category and CategoryLabel name the built-in entry's category.
	Category, CategoryLabel string
	// Entry is the built-in entry.
	Entry analysis.Entry
}

// Error says which built-in entry the term is, and how to use the class's
// own instead.
func (e *BuiltinTermError) Error() string {
	as := ""
	if !strings.EqualFold(e.Form, e.Entry.Term) {
		as = fmt.Sprintf(" as “%s”", e.Entry.Term)
	}
	strength := map[int]string{1: "mild", 2: "moderate", 3: "strong"}[e.Entry.Severity]
	if strength == "" {
		strength = fmt.Sprintf("severity %d", e.Entry.Severity)
	}
	return fmt.Sprintf("“%s” is already in Slant's built-in word lists%s (%s, %s): %s "+
		`Your entry would replace it for every event; send "override": true to do so.`,
		e.Form, as, e.CategoryLabel, strength, e.Entry.Reason)
}

// Unwrap makes it a conflict.
func (e *BuiltinTermError) Unwrap() error { return models.ErrConflict }

// builtinTerm turns the lexicon's collision into the desk's error, with
// the category's label and the explanation the API sends.
func builtinTerm(base *analysis.Lexicon, c *analysis.CollisionError) error {
	err := &BuiltinTermError{Form: c.Form, Category: c.Category, CategoryLabel: CategoryLabel(base, c.Category), Entry: c.Entry}
	return Explain(err, err.Error())
}
