package desk

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slant/analysis"
	"slant/models"
)

// Texts with invented words, so that only the class word list flags them:
// "zorbled" in the outlet's own voice, "blorft" inside a quotation.
const (
	matchTextA = "The council zorbled the budget on Monday. Critics said \"this is a blorft\" and left the hall."
	matchTextB = "The council changed the budget on Monday. Members met again on Tuesday to vote."
)

// TestExercisesWithChangedAnswers: an exercise whose stored answer lists
// differ from what the event's articles are flagged with now is told
// apart; an edit of the word list that changes no flag of the event, one
// that changes only a flag inside a quotation, and an exercise without
// stored lists are not; and the common case reads nothing but one query.
func TestExercisesWithChangedAnswers(t *testing.T) {
	zorbled := models.WordListEntry{Category: "judgement", Term: "zorbled", Reason: "Says the council wrecked it, which is a verdict."}
	for _, tc := range []struct {
		name string
		// before is the word list when the exercise starts; edit changes
		// it afterwards (nil: no change).
		before []models.WordListEntry
		edit   func(t *testing.T, d *Desk, entries []models.WordListEntry)
		// bare starts the exercise without stored lists (as one started
		// before Slant kept them).
		bare    bool
		changed bool
	}{
		{name: "unchanged word list", before: []models.WordListEntry{zorbled}},
		{name: "word in the text added after the start", changed: true,
			edit: func(t *testing.T, d *Desk, _ []models.WordListEntry) { addEntry(t, d, zorbled) }},
		{name: "word in the text removed after the start", before: []models.WordListEntry{zorbled}, changed: true,
			edit: func(t *testing.T, d *Desk, entries []models.WordListEntry) {
				_, err := d.DeleteWordListEntry(t.Context(), entries[0].ID)
				require.NoError(t, err)
			}},
		{name: "reason of a flagged word reworded", before: []models.WordListEntry{zorbled}, changed: true,
			edit: func(t *testing.T, d *Desk, entries []models.WordListEntry) {
				e := entries[0]
				e.Reason = "A new reason the class wrote for this word."
				_, err := d.UpdateWordListEntry(t.Context(), &e)
				require.NoError(t, err)
			}},
		{name: "word no article uses added: the version changes, the key does not",
			edit: func(t *testing.T, d *Desk, _ []models.WordListEntry) {
				addEntry(t, d, models.WordListEntry{Category: "judgement", Term: "wuggled", Reason: "A verdict no article here uses."})
			}},
		{name: "word only inside a quotation added: neither scored nor in the key",
			edit: func(t *testing.T, d *Desk, _ []models.WordListEntry) {
				addEntry(t, d, models.WordListEntry{Category: "judgement", Term: "blorft", Reason: "Calls the plan a failure, a verdict."})
				report := d.Analyzer().Analyze(analysis.Document{Text: matchTextA})
				require.Len(t, report.Findings, 1, "the word is flagged")
				require.True(t, report.Findings[0].InQuote, "inside the quotation")
			}},
		{name: "no stored lists yet", bare: true,
			edit: func(t *testing.T, d *Desk, _ []models.WordListEntry) { addEntry(t, d, zorbled) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := t.Context()
			store := openStore(t, filepath.Join(t.TempDir(), "slant.db"))
			base, err := analysis.BuiltinLexicon()
			require.NoError(t, err)
			d, err := Open(ctx, store, base, Config{})
			require.NoError(t, err)
			entries := make([]models.WordListEntry, 0, len(tc.before))
			for _, e := range tc.before {
				entries = append(entries, addEntry(t, d, e))
			}
			ev := models.Event{Title: "Budget"}
			require.NoError(t, store.CreateEvent(ctx, &ev))
			for _, text := range []string{matchTextA, matchTextB} {
				_, err := d.AddArticle(ctx, ev.ID, Submission{Outlet: "Courier " + text[:12], Title: "Budget vote", Text: text}, nil)
				require.NoError(t, err)
			}
			// Two exercises started alike: both are told, with one read.
			var exercises []models.Exercise
			for range 2 {
				ex := models.Exercise{EventID: ev.ID}
				if tc.bare {
					require.NoError(t, store.CreateExercise(ctx, &ex))
				} else {
					require.NoError(t, d.StartExercise(ctx, &ex))
				}
				exercises = append(exercises, ex)
			}
			before := d.Version()
			if tc.edit != nil {
				tc.edit(t, d, entries)
			}

			reads := d.Counts()
			got, err := d.ExercisesWithChangedAnswers(ctx, ev.ID)
			require.NoError(t, err)
			for _, ex := range exercises {
				assert.Equal(t, tc.changed, got[ex.ID], "exercise %s", ex.Code)
			}
			assert.Len(t, got, map[bool]int{true: 2, false: 0}[tc.changed])
			spent := d.Counts()
			if d.Version() == before || tc.bare {
				assert.Equal(t, reads.EventReads, spent.EventReads, "lists of the version in force are not read")
				assert.Equal(t, reads.ReportDecodes, spent.ReportDecodes)
				assert.Equal(t, reads.Analyses, spent.Analyses)
			} else {
				assert.LessOrEqual(t, spent.EventReads-reads.EventReads, int64(1), "the event is read once, not once per exercise")
				assert.LessOrEqual(t, spent.Analyses-reads.Analyses, int64(2), "each article at most once")
			}

			// Once the lists exist, whatever happened, an exercise started
			// now matches.
			fresh := models.Exercise{EventID: ev.ID}
			require.NoError(t, d.StartExercise(ctx, &fresh))
			got, err = d.ExercisesWithChangedAnswers(ctx, ev.ID)
			require.NoError(t, err)
			assert.False(t, got[fresh.ID])
		})
	}

	t.Run("unknown event", func(t *testing.T) {
		store := openStore(t, filepath.Join(t.TempDir(), "slant.db"))
		d := New(store, builtinAnalyzer(t), Config{})
		got, err := d.ExercisesWithChangedAnswers(t.Context(), 4242)
		require.NoError(t, err, "an event without exercises has no changed lists; the API checks the event first")
		assert.Empty(t, got)
	})
}

// addEntry puts an entry on the class word list and returns it as stored.
func addEntry(t *testing.T, d *Desk, e models.WordListEntry) models.WordListEntry {
	t.Helper()
	_, err := d.AddWordListEntry(t.Context(), &e)
	require.NoError(t, err)
	return e
}
