package models

import (
	"errors"
	"fmt"
)

// The store's error vocabulary. Callers test with errors.Is; the API maps
// each to one HTTP status.
var (
	// ErrNotFound means the record asked for does not exist.
	ErrNotFound = errors.New("not found")
	// ErrConflict means the write would duplicate something unique, such as
	// the same article twice in one event.
	ErrConflict = errors.New("conflict")
	// ErrInvalid means the input failed validation; see ValidationError.
	ErrInvalid = errors.New("invalid")
	// ErrClosed means the record exists but no longer takes part, such as
	// an exercise its teacher has ended; see ExerciseClosedError.
	ErrClosed = errors.New("closed")
)

// ValidationError says which field failed and why, in words that are safe
// to show to the person who sent it.
type ValidationError struct {
	Field   string
	Problem string
}

// Error reads as a short sentence, such as "title is required".
func (e *ValidationError) Error() string { return fmt.Sprintf("%s %s", e.Field, e.Problem) }

// Is makes errors.Is(err, ErrInvalid) true for every ValidationError.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalid }
