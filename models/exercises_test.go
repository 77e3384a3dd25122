package models

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

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
			{"end", func() error { _, err := s.EndExercise(ctx, "ABCDEF"); return err }},
			{"end a malformed code", func() error { _, err := s.EndExercise(ctx, "nope"); return err }},
			{"submit", func() error {
				return s.SaveSubmission(ctx, &Submission{ExerciseID: 42, ArticleID: 1, Student: "student-key-1", Picks: []Pick{}}, ExerciseRules{})
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
		require.NoError(t, s.SaveSubmission(ctx, &sub, ExerciseRules{}))
		assert.NotZero(t, sub.ID)
		assert.Equal(t, []Pick{{0, 5}, {6, 13}}, sub.Picks, "sorted and merged")
		first := sub

		again := Submission{ExerciseID: ex.ID, ArticleID: a.ID, Student: "student_A-0001", Picks: []Pick{}}
		err := s.SaveSubmission(ctx, &again, ExerciseRules{})
		assert.ErrorIs(t, err, ErrAlreadySubmitted, "the first submission is final")
		assert.ErrorIs(t, err, ErrConflict)

		require.NoError(t, s.SaveSubmission(ctx, &Submission{ExerciseID: ex.ID, ArticleID: b.ID, Student: "student_A-0001", Picks: []Pick{{0, 10}}}, ExerciseRules{}))
		require.NoError(t, s.SaveSubmission(ctx, &Submission{ExerciseID: ex.ID, ArticleID: a.ID, Student: "student_B-0002", Picks: []Pick{{0, 5}}}, ExerciseRules{}))

		list, err := s.ListSubmissions(ctx, ex.ID)
		require.NoError(t, err)
		require.Len(t, list, 3)
		assert.Equal(t, first.ID, list[0].ID)
		assert.Equal(t, []Pick{{0, 5}, {6, 13}}, list[0].Picks, "the second try changed nothing")
		assert.Equal(t, []Pick{{0, 10}}, list[1].Picks)
		students, err := s.CountStudents(ctx, ex.ID)
		require.NoError(t, err)
		assert.Equal(t, 2, students)

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
			{"pick past the text", Submission{ExerciseID: ex.ID, ArticleID: a.ID, Student: "student_D-0004", Picks: []Pick{{0, 100}}}, "picks", ""},
			{"pick inside é", Submission{ExerciseID: ex.ID, ArticleID: a.ID, Student: "student_D-0004", Picks: []Pick{{0, 22}}}, "picks", ""},
			{"too many picks", Submission{ExerciseID: ex.ID, ArticleID: a.ID, Student: "student_D-0004", Picks: make([]Pick, MaxPicks+1)}, "picks", ""},
		}
		for _, r := range refusals {
			sub := r.sub
			requireValidation(t, s.SaveSubmission(ctx, &sub, ExerciseRules{}), r.field, r.issue)
		}
		list, err = s.ListSubmissions(ctx, ex.ID)
		require.NoError(t, err)
		assert.Len(t, list, 3, "refused submissions stored nothing")
		assert.Equal(t, []Pick{{0, 5}, {6, 13}}, list[0].Picks, "and changed nothing")

		// Deleting an article takes its submissions; deleting the event
		// takes its exercises and the rest.
		require.NoError(t, s.DeleteArticle(ctx, e.ID, b.ID))
		list, err = s.ListSubmissions(ctx, ex.ID)
		require.NoError(t, err)
		assert.Len(t, list, 2)

		keep := Exercise{EventID: other.ID}
		require.NoError(t, s.CreateExercise(ctx, &keep))
		require.NoError(t, s.SaveSubmission(ctx, &Submission{ExerciseID: keep.ID, ArticleID: elsewhere.ID, Student: "student_C-0003", Picks: []Pick{}}, ExerciseRules{}))
		require.NoError(t, s.DeleteEvent(ctx, e.ID))
		_, err = s.GetExercise(ctx, ex.Code)
		assert.ErrorIs(t, err, ErrNotFound)
		assert.EqualValues(t, 1, countRows(t, s, &Exercise{}), "other events' exercises stay")
		assert.EqualValues(t, 1, countRows(t, s, &Submission{}))

		require.NoError(t, s.DeleteExercise(ctx, keep.Code))
		assert.EqualValues(t, 0, countRows(t, s, &Submission{}), "deleting an exercise takes its submissions")
	})
}

// TestExerciseEndAndExpiry: an ended exercise refuses submissions and keeps
// the ones it has; a code past the TTL refuses them too.
func TestExerciseEndAndExpiry(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		e := createEvent(t, s, "Flood", "")
		a := addArticle(t, s, e.ID, "Courier", "Thugs wrecked the café.", nil)
		ex := Exercise{EventID: e.ID}
		require.NoError(t, s.CreateExercise(ctx, &ex))
		assert.Nil(t, ex.EndedAt)
		require.NoError(t, ex.CheckOpen(ex.CreatedAt, time.Hour))
		require.NoError(t, s.SaveSubmission(ctx, &Submission{ExerciseID: ex.ID, ArticleID: a.ID, Student: "student_A-0001", Picks: []Pick{{0, 5}}}, ExerciseRules{}))

		ended, err := s.EndExercise(ctx, strings.ToLower(ex.Code))
		require.NoError(t, err)
		require.NotNil(t, ended.EndedAt)
		assert.Equal(t, time.UTC, ended.EndedAt.Location())
		again, err := s.EndExercise(ctx, ex.Code)
		require.NoError(t, err, "ending twice is fine")
		assert.True(t, ended.EndedAt.Equal(*again.EndedAt), "and keeps the first end")
		got, err := s.GetExercise(ctx, ex.Code)
		require.NoError(t, err)
		require.NotNil(t, got.EndedAt)

		var closed *ExerciseClosedError
		err = got.CheckOpen(time.Now(), 0)
		require.ErrorAs(t, err, &closed)
		assert.False(t, closed.Expired)
		assert.ErrorIs(t, err, ErrClosed)
		err = s.SaveSubmission(ctx, &Submission{ExerciseID: ex.ID, ArticleID: a.ID, Student: "student_B-0002", Picks: []Pick{}}, ExerciseRules{})
		require.ErrorAs(t, err, &closed, "an ended exercise takes no picks")
		assert.False(t, closed.Expired)
		list, err := s.ListSubmissions(ctx, ex.ID)
		require.NoError(t, err)
		assert.Len(t, list, 1, "the class's picks stay for the teacher")

		fresh := Exercise{EventID: e.ID}
		require.NoError(t, s.CreateExercise(ctx, &fresh))
		tests := []struct {
			at      time.Time
			ttl     time.Duration
			expired bool
		}{
			{fresh.CreatedAt, 0, false},
			{fresh.CreatedAt.Add(100 * 24 * time.Hour), 0, false},
			{fresh.CreatedAt.Add(time.Hour - time.Nanosecond), time.Hour, false},
			{fresh.CreatedAt.Add(time.Hour), time.Hour, true},
		}
		for _, tt := range tests {
			err := fresh.CheckOpen(tt.at, tt.ttl)
			if !tt.expired {
				assert.NoError(t, err, "%s after the start, ttl %s", tt.at.Sub(fresh.CreatedAt), tt.ttl)
				continue
			}
			require.ErrorAs(t, err, &closed)
			assert.True(t, closed.Expired)
		}
		assert.Nil(t, fresh.ExpiresAt(0))
		assert.True(t, fresh.ExpiresAt(time.Hour).Equal(fresh.CreatedAt.Add(time.Hour)))
		err = s.SaveSubmission(ctx, &Submission{ExerciseID: fresh.ID, ArticleID: a.ID, Student: "student_B-0002", Picks: []Pick{}}, ExerciseRules{TTL: time.Nanosecond})
		require.ErrorAs(t, err, &closed, "a code past its TTL takes no picks")
		assert.True(t, closed.Expired)
		require.NoError(t, s.SaveSubmission(ctx, &Submission{ExerciseID: fresh.ID, ArticleID: a.ID, Student: "student_B-0002", Picks: []Pick{}}, ExerciseRules{TTL: time.Hour}))
	})
}

// TestClassLimit: MaxStudents distinct students may send picks; one more is
// refused, while the students already in may go on with other articles,
// even when many send at once.
func TestClassLimit(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		e := createEvent(t, s, "Flood", "")
		a := addArticle(t, s, e.ID, "Courier", "Thugs wrecked the café.", nil)
		b := addArticle(t, s, e.ID, "Planet", "Protesters damaged a café.", nil)
		ex := Exercise{EventID: e.ID}
		require.NoError(t, s.CreateExercise(ctx, &ex))
		rules := ExerciseRules{MaxStudents: 3}
		submit := func(student string, article int64) error {
			return s.SaveSubmission(ctx, &Submission{ExerciseID: ex.ID, ArticleID: article, Student: student, Picks: []Pick{}}, rules)
		}
		for i := range 3 {
			require.NoError(t, submit(fmt.Sprintf("student-%04d", i), a.ID))
		}
		err := submit("student-0003", a.ID)
		assert.ErrorIs(t, err, ErrClassFull)
		assert.ErrorIs(t, err, ErrConflict)
		assert.NotErrorIs(t, err, ErrAlreadySubmitted)
		require.NoError(t, submit("student-0001", b.ID), "a student already in goes on")
		assert.ErrorIs(t, submit("student-0001", b.ID), ErrAlreadySubmitted)

		// Twenty new students and the same student twenty times, at once.
		race := Exercise{EventID: e.ID}
		require.NoError(t, s.CreateExercise(ctx, &race))
		var wg sync.WaitGroup
		errs := make([]error, 40)
		for i := range 40 {
			wg.Go(func() {
				student := fmt.Sprintf("racer-%04d", i)
				if i >= 20 {
					student = "racer-same"
				}
				errs[i] = s.SaveSubmission(ctx, &Submission{ExerciseID: race.ID, ArticleID: a.ID, Student: student, Picks: []Pick{}}, ExerciseRules{MaxStudents: 5})
			})
		}
		wg.Wait()
		var ok, full, again int
		for i, err := range errs {
			switch {
			case err == nil:
				ok++
			case errors.Is(err, ErrClassFull):
				full++
			case errors.Is(err, ErrAlreadySubmitted):
				again++
			default:
				t.Errorf("submission %d: %v", i, err)
			}
		}
		students, err := s.CountStudents(ctx, race.ID)
		require.NoError(t, err)
		assert.Equal(t, 5, students, "never more students than the limit")
		assert.Equal(t, 5, ok)
		assert.Equal(t, 40, ok+full+again)
		list, err := s.ListSubmissions(ctx, race.ID)
		require.NoError(t, err)
		assert.Len(t, list, 5)
	})
}

// TestExerciseAnswers: an exercise keeps the answer lists it was started
// with; a later list for the same article changes nothing; the lists go
// with the exercise, the article and the event.
func TestExerciseAnswers(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		e := createEvent(t, s, "Flood", "")
		a := addArticle(t, s, e.ID, "Courier", "Thugs wrecked the café.", nil)
		b := addArticle(t, s, e.ID, "Planet", "Protesters damaged a café.", nil)
		thugs := AnswerFlag{Start: 0, End: 5, Text: "Thugs", Category: "pejorative", CategoryLabel: "Pejorative labels",
			Reason: "calls people names", Alternatives: []string{"protesters"}}
		ex := Exercise{EventID: e.ID}
		require.NoError(t, s.StartExercise(ctx, &ex, []ExerciseAnswers{
			{ArticleID: a.ID, AnalysisVersion: "v1", Flags: []AnswerFlag{thugs}},
		}))
		got, err := s.ListExerciseAnswers(ctx, ex.ID)
		require.NoError(t, err)
		require.Len(t, got, 1)
		assert.Equal(t, []AnswerFlag{thugs}, got[a.ID].Flags)
		assert.Equal(t, []AnswerFlag{}, got[a.ID].TitleFlags, "none is an empty list")
		assert.Equal(t, "v1", got[a.ID].AnalysisVersion)

		// A list made later for the same article (a new word list) does
		// not replace the first; one for an article without a list is
		// added.
		require.NoError(t, s.SaveExerciseAnswers(ctx, ex.ID, []ExerciseAnswers{
			{ArticleID: a.ID, AnalysisVersion: "v2", Flags: []AnswerFlag{}},
			{ArticleID: b.ID, AnalysisVersion: "v2", Flags: []AnswerFlag{}, TitleFlags: []AnswerFlag{{Start: 0, End: 4, Text: "Riot"}}},
		}))
		got, err = s.ListExerciseAnswers(ctx, ex.ID)
		require.NoError(t, err)
		require.Len(t, got, 2)
		assert.Equal(t, "v1", got[a.ID].AnalysisVersion, "the first list is kept")
		assert.Equal(t, []AnswerFlag{thugs}, got[a.ID].Flags)
		assert.Equal(t, "Riot", got[b.ID].TitleFlags[0].Text)

		assert.ErrorIs(t, s.SaveExerciseAnswers(ctx, 4242, []ExerciseAnswers{{ArticleID: a.ID}}), ErrNotFound)

		// Started without lists (as before they were kept): none.
		bare := Exercise{EventID: e.ID}
		require.NoError(t, s.CreateExercise(ctx, &bare))
		got, err = s.ListExerciseAnswers(ctx, bare.ID)
		require.NoError(t, err)
		assert.Empty(t, got)

		require.NoError(t, s.DeleteArticle(ctx, e.ID, b.ID))
		got, err = s.ListExerciseAnswers(ctx, ex.ID)
		require.NoError(t, err)
		assert.Len(t, got, 1, "deleting an article takes its lists")
		require.NoError(t, s.DeleteExercise(ctx, ex.Code))
		assert.EqualValues(t, 0, countRows(t, s, &ExerciseAnswers{}), "deleting the exercise takes its lists")

		again := Exercise{EventID: e.ID}
		require.NoError(t, s.StartExercise(ctx, &again, []ExerciseAnswers{{ArticleID: a.ID, AnalysisVersion: "v3"}}))
		require.NoError(t, s.DeleteEvent(ctx, e.ID))
		assert.EqualValues(t, 0, countRows(t, s, &ExerciseAnswers{}), "deleting the event takes them too")
	})
}

// TestStudentsPerClient: one client may bring StudentsPerClient new
// students into an exercise; the students it brought go on, other clients
// and submissions without a client are not held back.
func TestStudentsPerClient(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		e := createEvent(t, s, "Flood", "")
		a := addArticle(t, s, e.ID, "Courier", "Thugs wrecked the café.", nil)
		b := addArticle(t, s, e.ID, "Planet", "Protesters damaged a café.", nil)
		ex := Exercise{EventID: e.ID}
		require.NoError(t, s.CreateExercise(ctx, &ex))
		rules := ExerciseRules{MaxStudents: 100, StudentsPerClient: 2}
		submit := func(student, client string, article int64) error {
			return s.SaveSubmission(ctx, &Submission{ExerciseID: ex.ID, ArticleID: article, Student: student, Client: client, Picks: []Pick{}}, rules)
		}
		require.NoError(t, submit("student-0001", "desk-a", a.ID))
		require.NoError(t, submit("student-0002", "desk-a", a.ID))
		err := submit("student-0003", "desk-a", a.ID)
		assert.ErrorIs(t, err, ErrClientFull)
		assert.ErrorIs(t, err, ErrConflict)
		assert.NotErrorIs(t, err, ErrAlreadySubmitted)
		assert.NotErrorIs(t, err, ErrClassFull)
		require.NoError(t, submit("student-0002", "desk-a", b.ID), "a student already in goes on")
		require.NoError(t, submit("student-0003", "desk-b", a.ID), "another client is not held back")
		require.NoError(t, submit("student-0004", "", a.ID), "nor a submission without a client")
		require.NoError(t, submit("student-0005", "", a.ID))

		other := Exercise{EventID: e.ID}
		require.NoError(t, s.CreateExercise(ctx, &other))
		require.NoError(t, s.SaveSubmission(ctx, &Submission{ExerciseID: other.ID, ArticleID: a.ID, Student: "student-0009", Client: "desk-a", Picks: []Pick{}}, rules),
			"the cap is per exercise")

		unlimited := ExerciseRules{}
		require.NoError(t, s.SaveSubmission(ctx, &Submission{ExerciseID: ex.ID, ArticleID: a.ID, Student: "student-0006", Client: "desk-a", Picks: []Pick{}}, unlimited),
			"0 means no cap")
		students, err := s.CountStudents(ctx, ex.ID)
		require.NoError(t, err)
		assert.Equal(t, 6, students)
	})
}

// TestAnswerVersionsOtherThan: the lists of an event's exercises made
// with another version are listed without their flags, and one list is
// read for each article and version however many exercises share it;
// other events' lists and lists of the version asked are left out.
func TestAnswerVersionsOtherThan(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		e := createEvent(t, s, "Flood", "")
		other := createEvent(t, s, "Other", "")
		a := addArticle(t, s, e.ID, "Courier", "Thugs wrecked the café.", nil)
		b := addArticle(t, s, e.ID, "Planet", "Protesters damaged a café.", nil)
		c := addArticle(t, s, other.ID, "Planet", "Elsewhere the mob left.", nil)
		thugs := []AnswerFlag{{Start: 0, End: 5, Text: "Thugs", Category: "pejorative"}}
		start := func(eventID int64, answers ...ExerciseAnswers) Exercise {
			ex := Exercise{EventID: eventID}
			require.NoError(t, s.StartExercise(ctx, &ex, answers))
			return ex
		}
		first := start(e.ID, ExerciseAnswers{ArticleID: a.ID, AnalysisVersion: "v1", Flags: thugs},
			ExerciseAnswers{ArticleID: b.ID, AnalysisVersion: "v2"})
		second := start(e.ID, ExerciseAnswers{ArticleID: a.ID, AnalysisVersion: "v1", Flags: thugs},
			ExerciseAnswers{ArticleID: b.ID, AnalysisVersion: "v1"})
		third := start(e.ID, ExerciseAnswers{ArticleID: a.ID, AnalysisVersion: "v2"})
		start(e.ID) // no lists yet
		start(other.ID, ExerciseAnswers{ArticleID: c.ID, AnalysisVersion: "v1"})

		for _, tc := range []struct {
			version  string
			versions []AnswerVersion
			samples  [][2]any // article, version
		}{
			{version: "v2",
				versions: []AnswerVersion{{first.ID, a.ID, "v1"}, {second.ID, a.ID, "v1"}, {second.ID, b.ID, "v1"}},
				samples:  [][2]any{{a.ID, "v1"}, {b.ID, "v1"}}},
			{version: "v1",
				versions: []AnswerVersion{{first.ID, b.ID, "v2"}, {third.ID, a.ID, "v2"}},
				samples:  [][2]any{{b.ID, "v2"}, {a.ID, "v2"}}},
			{version: "v3",
				versions: []AnswerVersion{{first.ID, a.ID, "v1"}, {first.ID, b.ID, "v2"}, {second.ID, a.ID, "v1"}, {second.ID, b.ID, "v1"}, {third.ID, a.ID, "v2"}},
				samples:  [][2]any{{a.ID, "v1"}, {b.ID, "v2"}, {b.ID, "v1"}, {a.ID, "v2"}}},
		} {
			t.Run(tc.version, func(t *testing.T) {
				versions, err := s.ListAnswerVersionsOtherThan(ctx, e.ID, tc.version)
				require.NoError(t, err)
				assert.Equal(t, tc.versions, versions)
				samples, err := s.ListAnswerSamplesOtherThan(ctx, e.ID, tc.version)
				require.NoError(t, err)
				got := make([][2]any, 0, len(samples))
				for _, sample := range samples {
					got = append(got, [2]any{sample.ArticleID, sample.AnalysisVersion})
					if sample.ArticleID == a.ID && sample.AnalysisVersion == "v1" {
						assert.Equal(t, thugs, sample.Flags, "the flags come with a sample")
					}
				}
				assert.Equal(t, tc.samples, got)
			})
		}

		none, err := s.ListAnswerVersionsOtherThan(ctx, other.ID, "v1")
		require.NoError(t, err)
		assert.Empty(t, none, "every list of the other event is of v1")
		assert.NotNil(t, none)
		samples, err := s.ListAnswerSamplesOtherThan(ctx, other.ID, "v1")
		require.NoError(t, err)
		assert.Empty(t, samples)
	})
}
