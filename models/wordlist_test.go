package models

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// wordListEntry is a valid entry for the tests to change.
func wordListEntry(term string) WordListEntry {
	return WordListEntry{Category: "pejorative-label", Term: term, Reason: "Insults instead of describing."}
}

func TestWordListLifecycle(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		list, err := s.ListWordList(ctx)
		require.NoError(t, err)
		assert.Equal(t, []WordListEntry{}, list)

		var seen [][]WordListEntry
		check := func(l []WordListEntry) error { seen = append(seen, l); return nil }

		e := WordListEntry{Category: " pejorative-label ", Term: "  Scroungers ", Also: []string{" Scrounger ", "", "scrounger"},
			Alternatives: nil, Reason: " Paints people as freeloaders. ", Severity: 2}
		require.NoError(t, s.CreateWordListEntry(ctx, &e, check))
		assert.NotZero(t, e.ID)
		assert.Equal(t, "scroungers", e.Term, "trimmed and lower-cased")
		assert.Equal(t, "pejorative-label", e.Category)
		assert.Equal(t, []string{"scrounger"}, e.Also, "trimmed, folded, empty and repeated items dropped")
		assert.Equal(t, []string{}, e.Alternatives, "an absent list is empty")
		assert.Equal(t, "Paints people as freeloaders.", e.Reason)
		require.Len(t, seen, 1)
		require.Len(t, seen[0], 1, "the check sees the list as it would be")
		assert.Equal(t, "scroungers", seen[0][0].Term)

		other := wordListEntry("mob")
		require.NoError(t, s.CreateWordListEntry(ctx, &other, nil))

		got, err := s.GetWordListEntry(ctx, e.ID)
		require.NoError(t, err)
		assert.Equal(t, e.Term, got.Term)
		assert.Equal(t, e.Also, got.Also)
		assert.Equal(t, []string{}, got.Alternatives)
		assert.True(t, e.CreatedAt.Equal(got.CreatedAt))

		update := WordListEntry{ID: e.ID, Category: "pejorative-label", Term: "Scrounger", Alternatives: []string{"claimant"},
			Reason: "Paints claimants as freeloaders.", Severity: 0}
		require.NoError(t, s.UpdateWordListEntry(ctx, &update, check))
		assert.Equal(t, "scrounger", update.Term)
		assert.Equal(t, []string{}, update.Also, "PUT empties what it leaves out")
		assert.Equal(t, []string{"claimant"}, update.Alternatives)
		assert.Zero(t, update.Severity)
		assert.True(t, e.CreatedAt.Equal(update.CreatedAt), "the creation time stays")
		require.Len(t, seen, 2)
		assert.Equal(t, []string{"scrounger", "mob"}, terms(seen[1]), "the whole list, in id order, with the change")

		list, err = s.ListWordList(ctx)
		require.NoError(t, err)
		assert.Equal(t, []string{"scrounger", "mob"}, terms(list))
		assert.Equal(t, []string{"claimant"}, list[0].Alternatives)

		require.NoError(t, s.DeleteWordListEntry(ctx, e.ID, check))
		require.Len(t, seen, 3)
		assert.Equal(t, []string{"mob"}, terms(seen[2]), "the list that remains")
		list, err = s.ListWordList(ctx)
		require.NoError(t, err)
		assert.Equal(t, []string{"mob"}, terms(list))

		_, err = s.GetWordListEntry(ctx, e.ID)
		assert.ErrorIs(t, err, ErrNotFound)
		assert.ErrorIs(t, s.DeleteWordListEntry(ctx, e.ID, nil), ErrNotFound)
		missing := wordListEntry("ghost")
		missing.ID = 4242
		assert.ErrorIs(t, s.UpdateWordListEntry(ctx, &missing, nil), ErrNotFound)
	})
}

func terms(list []WordListEntry) []string {
	out := make([]string, len(list))
	for i, e := range list {
		out[i] = e.Term
	}
	return out
}

func TestWordListConflictsAndRefusals(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		thug := wordListEntry("thug")
		require.NoError(t, s.CreateWordListEntry(ctx, &thug, nil))
		mob := wordListEntry("mob")
		require.NoError(t, s.CreateWordListEntry(ctx, &mob, nil))

		dup := wordListEntry("  THUG ")
		err := s.CreateWordListEntry(ctx, &dup, nil)
		require.ErrorIs(t, err, ErrConflict, "the same term in another case")
		assert.Zero(t, dup.ID, "a refused entry gets no id")

		rename := wordListEntry("Thug")
		rename.ID = mob.ID
		require.ErrorIs(t, s.UpdateWordListEntry(ctx, &rename, nil), ErrConflict, "renamed onto another entry's term")

		same := wordListEntry("THUG")
		same.ID = thug.ID
		same.Reason = "Reworded."
		require.NoError(t, s.UpdateWordListEntry(ctx, &same, nil), "an entry may keep its own term")

		refusal := errors.New("the lexicon cannot take it")
		refuse := func([]WordListEntry) error { return refusal }
		thugs := wordListEntry("thugs")
		require.ErrorIs(t, s.CreateWordListEntry(ctx, &thugs, refuse), refusal)
		changed := wordListEntry("brute")
		changed.ID = mob.ID
		require.ErrorIs(t, s.UpdateWordListEntry(ctx, &changed, refuse), refusal)
		require.ErrorIs(t, s.DeleteWordListEntry(ctx, mob.ID, refuse), refusal)

		list, err := s.ListWordList(ctx)
		require.NoError(t, err)
		assert.Equal(t, []string{"thug", "mob"}, terms(list), "refused writes stored nothing")
		assert.Equal(t, "Reworded.", list[0].Reason)
		assert.EqualValues(t, 2, countRows(t, s, &WordListEntry{}))
	})
}

func TestWordListValidation(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		existing := wordListEntry("existing")
		require.NoError(t, s.CreateWordListEntry(t.Context(), &existing, nil))
		long := strings.Repeat("é", MaxWordListTerm+1)
		tests := []struct {
			name         string
			change       func(e *WordListEntry)
			field, issue string
		}{
			{"no category", func(e *WordListEntry) { e.Category = " " }, "category", "is required"},
			{"no term", func(e *WordListEntry) { e.Term = "" }, "term", "is required"},
			{"long term", func(e *WordListEntry) { e.Term = long }, "term", "must be at most 100 characters"},
			{"no reason", func(e *WordListEntry) { e.Reason = "\n" }, "reason", "is required"},
			{"long reason", func(e *WordListEntry) { e.Reason = strings.Repeat("a", MaxWordListReason+1) }, "reason", "must be at most 500 characters"},
			{"severity too high", func(e *WordListEntry) { e.Severity = 4 }, "severity", "must be from 0 (the category's) to 3"},
			{"negative severity", func(e *WordListEntry) { e.Severity = -1 }, "severity", ""},
			{"too many spellings", func(e *WordListEntry) { e.Also = make([]string, MaxWordListForms+1) }, "also", "may list at most 20 items"},
			{"long alternative", func(e *WordListEntry) { e.Alternatives = []string{long} }, "alternatives", "items must be at most 100 characters"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				e := wordListEntry("fresh")
				tt.change(&e)
				requireValidation(t, s.CreateWordListEntry(t.Context(), &e, nil), tt.field, tt.issue)
				u := wordListEntry("fresh")
				tt.change(&u)
				u.ID = existing.ID
				requireValidation(t, s.UpdateWordListEntry(t.Context(), &u, nil), tt.field, tt.issue)
			})
		}
		assert.EqualValues(t, 1, countRows(t, s, &WordListEntry{}))
	})
}

// TestWordListOverride: the override flag is stored, changed by an update
// and seen by the check; the migration that brought it in marks the
// entries stored before it, which replaced built-in entries silently, as
// overriding, so that they go on doing what they did.
func TestWordListOverride(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		var seen []WordListEntry
		check := func(l []WordListEntry) error { seen = l; return nil }
		e := wordListEntry("hellhole")
		e.Override = true
		require.NoError(t, s.CreateWordListEntry(ctx, &e, check))
		assert.True(t, e.Override)
		require.Len(t, seen, 1)
		assert.True(t, seen[0].Override, "the check sees the flag")
		plain := wordListEntry("mob")
		require.NoError(t, s.CreateWordListEntry(ctx, &plain, nil))
		got, err := s.GetWordListEntry(ctx, plain.ID)
		require.NoError(t, err)
		assert.False(t, got.Override)

		e.Override = false
		require.NoError(t, s.UpdateWordListEntry(ctx, &e, nil))
		got, err = s.GetWordListEntry(ctx, e.ID)
		require.NoError(t, err)
		assert.False(t, got.Override, "an update replaces the flag too")

		// Back to the schema before the flag, then forward again.
		require.NoError(t, s.db.Migrator().DropColumn(&WordListEntry{}, "override"))
		require.NoError(t, s.db.Exec(`DELETE FROM schema_migrations WHERE name = 'wordlist_override'`).Error)
		require.NoError(t, s.migrate(ctx))
		list, err := s.ListWordList(ctx)
		require.NoError(t, err)
		require.Len(t, list, 2)
		assert.True(t, list[0].Override && list[1].Override, "entries from before the flag keep replacing built-in entries")
	})
}
