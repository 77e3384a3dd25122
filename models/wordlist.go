package models

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
)

// Limits on word-list fields, checked before anything is written.
const (
	// MaxWordListTerm is the longest term (and other spelling) accepted,
	// in characters.
	MaxWordListTerm = 100
	// MaxWordListReason is the longest reason accepted, in characters.
	MaxWordListReason = 500
	// MaxWordListForms is the most other spellings, and the most
	// alternatives, one entry may list.
	MaxWordListForms = 20
	// MaxWordListSeverity is the strongest severity; 0 means "the
	// category's own severity".
	MaxWordListSeverity = 3
)

// WordListEntry is a term of the class word list: a loaded word a teacher
// adds on top of the built-in lexicon, filed under one of its categories,
// with why it is loaded and what to say instead, or (Override) one that
// takes the place of a built-in entry. Terms are unique without
// regard to case; they are stored lower-cased. Severity 0 means the
// category's own severity.
type WordListEntry struct {
	ID           int64    `json:"id" gorm:"primaryKey"`
	Category     string   `json:"category" gorm:"not null"`
	Term         string   `json:"term" gorm:"not null;uniqueIndex"`
	Also         []string `json:"also" gorm:"serializer:json;type:text;not null"`
	Alternatives []string `json:"alternatives" gorm:"serializer:json;type:text;not null"`
	Reason       string   `json:"reason" gorm:"not null"`
	Severity     int      `json:"severity" gorm:"not null"`
	// Override says that the entry may take the place of a built-in entry
	// with the same words (its severity, reason and alternatives); without
	// it such a term is refused (see desk.AddWordListEntry).
	Override  bool      `json:"override" gorm:"not null;default:false"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// WordListCheck is called by the word-list writes inside their
// transaction with the whole list as it would be after the write (in id
// order; a new entry comes last with ID 0). Returning an error aborts the
// write, so that nothing is stored that the lexicon cannot be built from.
type WordListCheck func(entries []WordListEntry) error

// validateWordListEntry checks and tidies an entry about to be written:
// surrounding space is trimmed, the term lower-cased, empty spellings and
// alternatives dropped and nil lists made empty. Whether the category
// exists and the words can be matched is for the lexicon to say (see
// WordListCheck).
func validateWordListEntry(e *WordListEntry) error {
	e.Category = strings.TrimSpace(e.Category)
	e.Term = strings.ToLower(strings.TrimSpace(e.Term))
	e.Reason = strings.TrimSpace(e.Reason)
	switch {
	case e.Category == "":
		return &ValidationError{Field: "category", Problem: "is required"}
	case e.Term == "":
		return &ValidationError{Field: "term", Problem: "is required"}
	case utf8.RuneCountInString(e.Term) > MaxWordListTerm:
		return &ValidationError{Field: "term", Problem: fmt.Sprintf("must be at most %d characters", MaxWordListTerm)}
	case e.Reason == "":
		return &ValidationError{Field: "reason", Problem: "is required"}
	case utf8.RuneCountInString(e.Reason) > MaxWordListReason:
		return &ValidationError{Field: "reason", Problem: fmt.Sprintf("must be at most %d characters", MaxWordListReason)}
	case e.Severity < 0 || e.Severity > MaxWordListSeverity:
		return &ValidationError{Field: "severity", Problem: fmt.Sprintf("must be from 0 (the category's) to %d", MaxWordListSeverity)}
	}
	if err := firstError(checkControls("category", e.Category, false), checkControls("term", e.Term, false),
		checkControls("reason", e.Reason, true)); err != nil {
		return err
	}
	var err error
	if e.Also, err = tidyForms("also", e.Also, true); err != nil {
		return err
	}
	e.Alternatives, err = tidyForms("alternatives", e.Alternatives, false)
	return err
}

// tidyForms trims a list of words, drops empty and repeated items (other
// spellings compare without case, and the term is dropped from them too by
// the caller's lexicon) and checks the limits.
func tidyForms(field string, forms []string, fold bool) ([]string, error) {
	if len(forms) > MaxWordListForms {
		return nil, &ValidationError{Field: field, Problem: fmt.Sprintf("may list at most %d items", MaxWordListForms)}
	}
	out := make([]string, 0, len(forms))
	seen := map[string]bool{}
	for _, f := range forms {
		f = strings.TrimSpace(f)
		if fold {
			f = strings.ToLower(f)
		}
		if f == "" || seen[f] {
			continue
		}
		if utf8.RuneCountInString(f) > MaxWordListTerm {
			return nil, &ValidationError{Field: field, Problem: fmt.Sprintf("items must be at most %d characters", MaxWordListTerm)}
		}
		if err := checkControls(field, f, false); err != nil {
			return nil, err
		}
		seen[f] = true
		out = append(out, f)
	}
	return out, nil
}

// errTermTaken is the conflict of a term already on the list.
var errTermTaken = fmt.Errorf("the term is already on the word list: %w", ErrConflict)

// ListWordList returns the class word list in the order the entries were
// added.
func (s *Store) ListWordList(ctx context.Context) ([]WordListEntry, error) {
	entries, err := listWordList(s.db.WithContext(ctx))
	if err != nil {
		return nil, wrap(err, "list word list")
	}
	return entries, nil
}

func listWordList(tx *gorm.DB) ([]WordListEntry, error) {
	entries := []WordListEntry{}
	if err := tx.Order("id").Find(&entries).Error; err != nil {
		return nil, err
	}
	for i := range entries {
		normalizeWordListEntry(&entries[i])
	}
	return entries, nil
}

// GetWordListEntry returns one entry of the word list.
func (s *Store) GetWordListEntry(ctx context.Context, id int64) (WordListEntry, error) {
	var e WordListEntry
	if err := s.db.WithContext(ctx).Where("id = ?", id).Take(&e).Error; err != nil {
		return WordListEntry{}, wrap(err, "get word list entry %d", id)
	}
	normalizeWordListEntry(&e)
	return e, nil
}

// CreateWordListEntry adds an entry to the word list and fills in its ID
// and times. It fails with a ValidationError on bad input, with
// ErrConflict when the term is already on the list, and with check's error
// when check refuses the list the entry would make.
func (s *Store) CreateWordListEntry(ctx context.Context, e *WordListEntry, check WordListCheck) error {
	if err := validateWordListEntry(e); err != nil {
		return fmt.Errorf("add word list entry: %w", err)
	}
	entry := *e
	entry.ID = 0
	err := s.wordListTx(ctx, func(tx *gorm.DB, list []WordListEntry) error {
		for _, other := range list {
			if other.Term == entry.Term {
				return errTermTaken
			}
		}
		if err := runCheck(check, append(list, entry)); err != nil {
			return err
		}
		return tx.Create(&entry).Error
	})
	if err != nil {
		return wrap(err, "add word list entry %q", e.Term)
	}
	normalizeWordListEntry(&entry)
	*e = entry
	return nil
}

// UpdateWordListEntry replaces every field of the entry with e.ID and fills
// e with what is stored afterwards. It fails as CreateWordListEntry does,
// and with ErrNotFound when there is no such entry.
func (s *Store) UpdateWordListEntry(ctx context.Context, e *WordListEntry, check WordListCheck) error {
	if err := validateWordListEntry(e); err != nil {
		return fmt.Errorf("update word list entry %d: %w", e.ID, err)
	}
	var stored WordListEntry
	err := s.wordListTx(ctx, func(tx *gorm.DB, list []WordListEntry) error {
		at := -1
		for i, other := range list {
			switch {
			case other.ID == e.ID:
				at = i
			case other.Term == e.Term:
				return errTermTaken
			}
		}
		if at < 0 {
			return ErrNotFound
		}
		next := list[at]
		next.Category, next.Term, next.Also, next.Alternatives = e.Category, e.Term, e.Also, e.Alternatives
		next.Reason, next.Severity, next.Override, next.UpdatedAt = e.Reason, e.Severity, e.Override, now()
		list[at] = next
		if err := runCheck(check, list); err != nil {
			return err
		}
		if err := tx.Save(&next).Error; err != nil {
			return err
		}
		stored = next
		return nil
	})
	if err != nil {
		return wrap(err, "update word list entry %d", e.ID)
	}
	normalizeWordListEntry(&stored)
	*e = stored
	return nil
}

// DeleteWordListEntry removes an entry from the word list. It fails with
// ErrNotFound when there is no such entry and with check's error when
// check refuses the list that would remain.
func (s *Store) DeleteWordListEntry(ctx context.Context, id int64, check WordListCheck) error {
	err := s.wordListTx(ctx, func(tx *gorm.DB, list []WordListEntry) error {
		at := -1
		for i, other := range list {
			if other.ID == id {
				at = i
			}
		}
		if at < 0 {
			return ErrNotFound
		}
		if err := runCheck(check, append(list[:at:at], list[at+1:]...)); err != nil {
			return err
		}
		return tx.Where("id = ?", id).Delete(&WordListEntry{}).Error
	})
	return wrap(err, "delete word list entry %d", id)
}

// wordListTx runs write in a transaction with the word list as it stands.
// On PostgreSQL the table is locked against other writers first, so that
// two instances cannot each add a term that only collides with the
// other's; SQLite's transactions already take the write lock up front.
func (s *Store) wordListTx(ctx context.Context, write func(tx *gorm.DB, list []WordListEntry) error) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if s.driver == DriverPostgres {
			if err := tx.Exec("LOCK TABLE word_list_entries IN SHARE ROW EXCLUSIVE MODE").Error; err != nil {
				return err
			}
		}
		list, err := listWordList(tx)
		if err != nil {
			return err
		}
		return write(tx, list)
	})
}

// runCheck calls check when there is one.
func runCheck(check WordListCheck, list []WordListEntry) error {
	if check == nil {
		return nil
	}
	return check(list)
}

// normalizeWordListEntry puts read times in UTC and nil lists as empty.
func normalizeWordListEntry(e *WordListEntry) {
	e.CreatedAt = e.CreatedAt.UTC()
	e.UpdatedAt = e.UpdatedAt.UTC()
	if e.Also == nil {
		e.Also = []string{}
	}
	if e.Alternatives == nil {
		e.Alternatives = []string{}
	}
}
