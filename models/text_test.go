package models

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestControlCharacter(t *testing.T) {
	for _, tc := range []struct {
		in        string
		multiline bool
		r         rune
		at        int
		found     bool
	}{
		{"plain text, café", false, 0, 0, false},
		{"tab\tis fine", false, 0, 0, false},
		{"two\nlines", false, '\n', 3, true},
		{"two\r\nlines\tand a tab", true, 0, 0, false},
		{"nul\x00here", true, 0, 3, true},
		{"escape \x1b[31m", true, 0x1b, 7, true},
		{"delete\x7f", true, 0x7f, 6, true},
		{"bell\a", true, 7, 4, true},
		{"form feed\f", true, '\f', 9, true},
		{"C1 \u0085 is not C0", false, 0, 0, false},
	} {
		r, at, found := ControlCharacter(tc.in, tc.multiline)
		assert.Equal(t, tc.found, found, "%q", tc.in)
		if tc.found {
			assert.Equal(t, tc.r, r, "%q", tc.in)
			assert.Equal(t, tc.at, at, "%q", tc.in)
		}
	}
}

// TestControlCharactersRefusedAlike checks that SQLite and PostgreSQL keep
// the same texts: NUL, which PostgreSQL cannot store (its insert failed
// and the API answered 500), and the other control characters are refused
// by both with a ValidationError naming the field, while tabs and line
// breaks in texts of several lines are kept exactly.
func TestControlCharactersRefusedAlike(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		e := Event{Title: "Flood\x00"}
		requireValidation(t, s.CreateEvent(ctx, &e), "title", ControlProblem(0, 5))
		e = Event{Title: "Flood", Description: "line one\x01"}
		requireValidation(t, s.CreateEvent(ctx, &e), "description", "")
		ev := createEvent(t, s, "Flood", "line one\r\nline two\tand a tab")
		got, err := s.GetEvent(ctx, ev.ID)
		require.NoError(t, err)
		assert.Equal(t, "line one\r\nline two\tand a tab", got.Description)

		an := Analysis{Report: []byte(`{"findings":[]}`), LexiconVersion: "v1"}
		for _, tc := range []struct {
			field string
			a     Article
			want  string
		}{
			{"text", Article{Outlet: Outlet{Name: "Courier"}, Body: "The river rose.\x00 Then it fell."}, ControlProblem(0, 15)},
			{"text", Article{Outlet: Outlet{Name: "Courier"}, Body: "Colours \x1b[31mred\x1b[0m."}, ControlProblem(0x1b, 8)},
			{"title", Article{Outlet: Outlet{Name: "Courier"}, Title: "Flood\x07", Body: "The river rose."}, ""},
			{"outlet", Article{Outlet: Outlet{Name: "Cour\x00ier"}, Body: "The river rose."}, ""},
		} {
			a := tc.a
			a.EventID = ev.ID
			a2 := an
			requireValidation(t, s.AddArticle(ctx, &a, "", &a2), tc.field, tc.want)
		}
		kept := addArticle(t, s, ev.ID, "Courier", "Line one.\r\n\tLine two.\n", &an)
		stored, err := s.GetArticle(ctx, ev.ID, kept.ID)
		require.NoError(t, err)
		assert.Equal(t, "Line one.\r\n\tLine two.\n", stored.Body, "tabs and line breaks are kept exactly")

		err = s.CreateWordListEntry(ctx, &WordListEntry{Category: "judgement", Term: "thug\x00", Reason: "r"}, nil)
		requireValidation(t, err, "term", "")

		res, err := s.ImportBatch(ctx, []ImportItem{
			{Line: 1, EventKey: "Imported", Outlet: "Courier", Body: "Fine text.", ContentHash: ContentHash("Fine text."), Analysis: an},
			{Line: 2, EventKey: "Imported", Outlet: "Courier", Body: "Bad \x00 text.", ContentHash: ContentHash("Bad \x00 text."), Analysis: an},
		}, ImportOptions{})
		require.NoError(t, err)
		assert.Equal(t, 1, res.Added)
		require.Len(t, res.Refused, 1)
		assert.Equal(t, 2, res.Refused[0].Line)
		assert.True(t, strings.HasPrefix(res.Refused[0].Problem, "text contains an invisible control character"), res.Refused[0].Problem)
	})
}
