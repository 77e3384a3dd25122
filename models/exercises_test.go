package models

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNewExerciseCode(t *testing.T) {
	seen := map[string]bool{}
	for range 2000 {
		code := NewExerciseCode()
		require.Len(t, code, ExerciseCodeLength)
		for _, r := range code {
			require.Contains(t, ExerciseCodeAlphabet, string(r))
		}
		norm, ok := NormalizeExerciseCode(code)
		require.True(t, ok)
		require.Equal(t, code, norm)
		seen[code] = true
	}
	assert.Greater(t, len(seen), 1990, "codes are random")
	for _, ambiguous := range "IO01" {
		assert.NotContains(t, ExerciseCodeAlphabet, string(ambiguous))
	}
	assert.Len(t, ExerciseCodeAlphabet, 32)
}

func TestNormalizeExerciseCode(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"ABC234", "ABC234", true},
		{" abc-234 ", "ABC234", true},
		{"abc 234", "ABC234", true},
		{"ABC23", "", false},
		{"ABC2345", "", false},
		{"ABCD10", "", false}, // 1 and 0 are not in the alphabet
		{"ABCDIO", "", false},
		{"ÄBC234", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		got, ok := NormalizeExerciseCode(tt.in)
		assert.Equal(t, tt.ok, ok, tt.in)
		assert.Equal(t, tt.want, got, tt.in)
	}
}

func TestCheckPicks(t *testing.T) {
	text := "Café thugs ran." // é is two bytes: 3..5
	tests := []struct {
		name    string
		picks   []Pick
		want    []Pick
		problem string
	}{
		{"none", []Pick{}, []Pick{}, ""},
		{"sorted", []Pick{{6, 11}, {0, 5}}, []Pick{{0, 5}, {6, 11}}, ""},
		{"overlaps merge", []Pick{{6, 9}, {8, 11}, {7, 8}}, []Pick{{6, 11}}, ""},
		{"duplicates merge", []Pick{{0, 5}, {0, 5}}, []Pick{{0, 5}}, ""},
		{"touching stay apart", []Pick{{0, 5}, {5, 6}}, []Pick{{0, 5}, {5, 6}}, ""},
		{"whole text", []Pick{{0, len(text)}}, []Pick{{0, len(text)}}, ""},
		{"past the end", []Pick{{0, len(text) + 1}}, nil, "pick 1 is outside the text (0 to 16 bytes)"},
		{"negative", []Pick{{0, 2}, {-1, 2}}, nil, "pick 2 is outside the text (0 to 16 bytes)"},
		{"empty", []Pick{{3, 3}}, nil, "pick 1 must start before it ends"},
		{"backwards", []Pick{{5, 3}}, nil, "pick 1 must start before it ends"},
		{"inside a character", []Pick{{0, 4}}, nil, "pick 1 cuts a character in two (offsets count bytes of UTF-8)"},
		{"too many", make([]Pick, MaxPicks+1), nil, "may hold at most 500 picks"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CheckPicks(text, tt.picks)
			if tt.problem != "" {
				requireValidation(t, err, "picks", tt.problem)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestExerciseLifecycle(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		e := createEvent(t, s, "Flood", "")
		ex := Exercise{EventID: e.ID, Blind: true, Revealed: true, Code: "IGNORED"}
		require.NoError(t, s.CreateExercise(ctx, &ex))
		assert.NotZero(t, ex.ID)
		assert.Len(t, ex.Code, ExerciseCodeLength)
		assert.True(t, ex.Blind)
		assert.False(t, ex.Revealed, "a new exercise is never revealed")
		assert.False(t, ex.CreatedAt.IsZero())

		open := Exercise{EventID: e.ID}
		require.NoError(t, s.CreateExercise(ctx, &open))
		assert.NotEqual(t, ex.Code, open.Code)

		got, err := s.GetExercise(ctx, strings.ToLower(ex.Code[:3])+"-"+ex.Code[3:])
		require.NoError(t, err, "codes are read as people type them")
		assert.Equal(t, ex.ID, got.ID)
		assert.True(t, ex.CreatedAt.Equal(got.CreatedAt))

		list, err := s.ListExercises(ctx, e.ID)
		require.NoError(t, err)
		require.Len(t, list, 2)
		assert.Equal(t, []string{ex.Code, open.Code}, []string{list[0].Code, list[1].Code})

		revealed, err := s.RevealExercise(ctx, ex.Code)
		require.NoError(t, err)
		assert.True(t, revealed.Revealed)
		revealed, err = s.RevealExercise(ctx, ex.Code)
		require.NoError(t, err, "revealing twice is fine")
		assert.True(t, revealed.Revealed)

		require.NoError(t, s.DeleteExercise(ctx, ex.Code))
		_, err = s.GetExercise(ctx, ex.Code)
		assert.ErrorIs(t, err, ErrNotFound)
		list, err = s.ListExercises(ctx, e.ID)
		require.NoError(t, err)
		assert.Len(t, list, 1)
	})
}

func TestMissingExercise(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		tests := []struct {
			name string
			call func() error
		}{
			{"create on a missing event", func() error { return s.CreateExercise(ctx, &Exercise{EventID: 42}) }},
			{"list of a missing event", func() error { _, err := s.ListExercises(ctx, 42); return err }},
			{"get", func() error { _, err := s.GetExercise(ctx, "ABCDEF"); return err }},
			{"get a malformed code", func() error { _, err := s.GetExercise(ctx, "nope"); return err }},
			{"reveal", func() error { _, err := s.RevealExercise(ctx, "ABCDEF"); return err }},
			{"delete", func() error { return s.DeleteExercise(ctx, "ABCDEF") }},
			{"submit", func() error {
				return s.SaveSubmission(ctx, &Submission{ExerciseID: 42, ArticleID: 1, Student: "student-key-1", Picks: []Pick{}})
			}},
		}
		for _, tt := range tests {
			assert.ErrorIs(t, tt.call(), ErrNotFound, tt.name)
		}
		assert.EqualValues(t, 0, countRows(t, s, &Exercise{}))
	})
}

func TestSubmissions(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		e := createEvent(t, s, "Flood", "")
		a := addArticle(t, s, e.ID, "Courier", "Thugs wrecked the café.", nil)
		b := addArticle(t, s, e.ID, "Planet", "Protesters damaged a café.", nil)
		other := createEvent(t, s, "Other", "")
		elsewhere := addArticle(t, s, other.ID, "Courier", "Elsewhere.", nil)
		ex := Exercise{EventID: e.ID}
		require.NoError(t, s.CreateExercise(ctx, &ex))

		sub := Submission{ExerciseID: ex.ID, ArticleID: a.ID, Student: "student_A-0001", Picks: []Pick{{6, 13}, {0, 5}, {2, 4}}}
		require.NoError(t, s.SaveSubmission(ctx, &sub))
		assert.NotZero(t, sub.ID)
		assert.Equal(t, []Pick{{0, 5}, {6, 13}}, sub.Picks, "sorted and merged")
		first := sub

		again := Submission{ExerciseID: ex.ID, ArticleID: a.ID, Student: "student_A-0001", Picks: []Pick{}}
		require.NoError(t, s.SaveSubmission(ctx, &again))
		assert.Equal(t, first.ID, again.ID, "a resubmission replaces the picks")
		assert.Equal(t, []Pick{}, again.Picks)
		assert.True(t, first.CreatedAt.Equal(again.CreatedAt))
		assert.False(t, again.UpdatedAt.Before(first.UpdatedAt))

		require.NoError(t, s.SaveSubmission(ctx, &Submission{ExerciseID: ex.ID, ArticleID: b.ID, Student: "student_A-0001", Picks: []Pick{{0, 10}}}))
		require.NoError(t, s.SaveSubmission(ctx, &Submission{ExerciseID: ex.ID, ArticleID: a.ID, Student: "student_B-0002", Picks: []Pick{{0, 5}}}))

		list, err := s.ListSubmissions(ctx, ex.ID)
		require.NoError(t, err)
		require.Len(t, list, 3)
		assert.Equal(t, first.ID, list[0].ID)
		assert.Equal(t, []Pick{}, list[0].Picks)
		assert.Equal(t, []Pick{{0, 10}}, list[1].Picks)

		refusals := []struct {
			name         string
			sub          Submission
			field, issue string
		}{
			{"article of another event", Submission{ExerciseID: ex.ID, ArticleID: elsewhere.ID, Student: "student_A-0001", Picks: []Pick{}}, "article_id", "is not an article of this exercise"},
			{"missing article", Submission{ExerciseID: ex.ID, ArticleID: 4242, Student: "student_A-0001", Picks: []Pick{}}, "article_id", ""},
			{"short key", Submission{ExerciseID: ex.ID, ArticleID: a.ID, Student: "short", Picks: []Pick{}}, "student", ""},
			{"long key", Submission{ExerciseID: ex.ID, ArticleID: a.ID, Student: strings.Repeat("k", 65), Picks: []Pick{}}, "student", ""},
			{"key with a space", Submission{ExerciseID: ex.ID, ArticleID: a.ID, Student: "student key", Picks: []Pick{}}, "student", ""},
			{"key with a name's accent", Submission{ExerciseID: ex.ID, ArticleID: a.ID, Student: "zoë-student", Picks: []Pick{}}, "student", ""},
			{"pick past the text", Submission{ExerciseID: ex.ID, ArticleID: a.ID, Student: "student_A-0001", Picks: []Pick{{0, 100}}}, "picks", ""},
			{"pick inside é", Submission{ExerciseID: ex.ID, ArticleID: a.ID, Student: "student_A-0001", Picks: []Pick{{0, 22}}}, "picks", ""},
			{"too many picks", Submission{ExerciseID: ex.ID, ArticleID: a.ID, Student: "student_A-0001", Picks: make([]Pick, MaxPicks+1)}, "picks", ""},
		}
		for _, r := range refusals {
			sub := r.sub
			requireValidation(t, s.SaveSubmission(ctx, &sub), r.field, r.issue)
		}
		list, err = s.ListSubmissions(ctx, ex.ID)
		require.NoError(t, err)
		assert.Len(t, list, 3, "refused submissions stored nothing")
		assert.Equal(t, []Pick{}, list[0].Picks, "and changed nothing")

		// Deleting an article takes its submissions; deleting the event
		// takes its exercises and the rest.
		require.NoError(t, s.DeleteArticle(ctx, e.ID, b.ID))
		list, err = s.ListSubmissions(ctx, ex.ID)
		require.NoError(t, err)
		assert.Len(t, list, 2)

		keep := Exercise{EventID: other.ID}
		require.NoError(t, s.CreateExercise(ctx, &keep))
		require.NoError(t, s.SaveSubmission(ctx, &Submission{ExerciseID: keep.ID, ArticleID: elsewhere.ID, Student: "student_C-0003", Picks: []Pick{}}))
		require.NoError(t, s.DeleteEvent(ctx, e.ID))
		_, err = s.GetExercise(ctx, ex.Code)
		assert.ErrorIs(t, err, ErrNotFound)
		assert.EqualValues(t, 1, countRows(t, s, &Exercise{}), "other events' exercises stay")
		assert.EqualValues(t, 1, countRows(t, s, &Submission{}))

		require.NoError(t, s.DeleteExercise(ctx, keep.Code))
		assert.EqualValues(t, 0, countRows(t, s, &Submission{}), "deleting an exercise takes its submissions")
	})
}
