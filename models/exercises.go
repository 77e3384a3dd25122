package models

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Exercise is a spot-the-loaded-words lesson on one event: students open
// it with its class code, mark the words they find loaded in each article
// and see how their picks compare with Slant's. There are no accounts and
// no names: the code is the only way in. A blind exercise hides which
// outlet wrote which article until the teacher reveals them. A code works
// until the teacher ends the exercise (EndedAt) or grows too old (see
// ExerciseRules); the class's picks stay for the discussion either way.
type Exercise struct {
	ID        int64      `json:"-" gorm:"primaryKey"`
	Code      string     `json:"code" gorm:"not null;size:6;uniqueIndex"`
	EventID   int64      `json:"event_id" gorm:"not null;index"`
	Blind     bool       `json:"blind" gorm:"not null"`
	Revealed  bool       `json:"revealed" gorm:"not null"`
	CreatedAt time.Time  `json:"created_at"`
	EndedAt   *time.Time `json:"ended_at"`
}

// ExerciseRules bound what students may do with an exercise.
type ExerciseRules struct {
	// MaxStudents is the most students (distinct student keys) that may
	// send picks to one exercise; 0 means no limit.
	MaxStudents int
	// TTL is how long after its start an exercise's code works; 0 means
	// until the teacher ends it.
	TTL time.Duration
	// StudentsPerClient is the most new students (distinct student keys)
	// one client (Submission.Client) may bring into one exercise; 0 means
	// no limit. It keeps one device from filling the class with made-up
	// keys; a submission without a client is not counted.
	StudentsPerClient int
}

// ExpiresAt is when the exercise's code stops working under ttl, or nil
// when it works until the teacher ends it.
func (ex Exercise) ExpiresAt(ttl time.Duration) *time.Time {
	if ttl <= 0 {
		return nil
	}
	at := ex.CreatedAt.Add(ttl)
	return &at
}

// CheckOpen says whether students may still use the exercise at the time
// at: nil, or an *ExerciseClosedError that says why not.
func (ex Exercise) CheckOpen(at time.Time, ttl time.Duration) error {
	switch {
	case ex.EndedAt != nil:
		return &ExerciseClosedError{Code: ex.Code}
	case ttl > 0 && !at.Before(ex.CreatedAt.Add(ttl)):
		return &ExerciseClosedError{Code: ex.Code, Expired: true}
	}
	return nil
}

// ExerciseClosedError refuses a student an exercise that its teacher has
// ended, or whose code is older than ExerciseRules.TTL (Expired).
type ExerciseClosedError struct {
	Code    string
	Expired bool
}

func (e *ExerciseClosedError) Error() string {
	if e.Expired {
		return fmt.Sprintf("exercise %s has expired", e.Code)
	}
	return fmt.Sprintf("exercise %s has ended", e.Code)
}

// Is makes errors.Is(err, ErrClosed) true.
func (e *ExerciseClosedError) Is(target error) bool { return target == ErrClosed }

// Refusals of a submission that conflict with what is stored; both are
// ErrConflict too.
var (
	// ErrAlreadySubmitted: a student's first submission for an article is
	// final, so that nobody can check, look at the answers and check again.
	ErrAlreadySubmitted = fmt.Errorf("already submitted: %w", ErrConflict)
	// ErrClassFull: the exercise already has ExerciseRules.MaxStudents
	// students and this is another one.
	ErrClassFull = fmt.Errorf("the class is full: %w", ErrConflict)
	// ErrClientFull: the submission's client already brought
	// ExerciseRules.StudentsPerClient students into the exercise and this
	// is another one.
	ErrClientFull = fmt.Errorf("too many students from one client: %w", ErrConflict)
)

// Pick is a stretch of an article's text a student marked as loaded:
// byte offsets [Start, End) into the UTF-8 text, like report offsets.
type Pick struct {
	Start int `json:"start"`
	End   int `json:"end"`
}

// TeacherClient is the Client of a submission the teacher made with the
// admin token: trying the exercise out, say on the classroom's projector.
// It is not capped and not part of the class's results.
const TeacherClient = "teacher"

// Submission is one student's picks in one article of an exercise: the
// first and only one, since a check shows Slant's answers. Student is an
// opaque random key the student's browser makes up and keeps, so that a
// student is counted once; it names nobody.
type Submission struct {
	ID         int64  `json:"-" gorm:"primaryKey"`
	ExerciseID int64  `json:"-" gorm:"not null;uniqueIndex:idx_submission_key"`
	ArticleID  int64  `json:"article_id" gorm:"not null;uniqueIndex:idx_submission_key;index"`
	Student    string `json:"student" gorm:"not null;size:64;uniqueIndex:idx_submission_key"`
	Picks      []Pick `json:"picks" gorm:"serializer:json;type:text;not null"`
	// Client names, without saying who, the device a submission came
	// from: a digest the API makes of the client address
	// and the exercise's code, so that it cannot be matched across
	// exercises and no address is stored. TeacherClient for the
	// teacher's own tries with the token, which the class results leave
	// out; empty for the machine Slant runs on without a token and for
	// submissions stored before clients were counted. Only
	// ExerciseRules.StudentsPerClient and the class results read it.
	Client    string    `json:"-" gorm:"type:text"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Exercise codes: six characters from an alphabet without the look-alikes
// I, O, 0 and 1, so that a code read off a board is typed right. 32^6 is
// about a billion codes.
const (
	ExerciseCodeLength   = 6
	ExerciseCodeAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
)

// Limits on submissions.
const (
	// MaxPicks is the most picks one submission may hold.
	MaxPicks = 500
	// MinStudentKey and MaxStudentKey bound the length of a student key.
	MinStudentKey = 8
	MaxStudentKey = 64
)

// codeAttempts is how many fresh codes CreateExercise tries before giving
// up; with a billion codes a second clash is already unlikely.
const codeAttempts = 8

// NewExerciseCode returns a random exercise code from crypto/rand.
func NewExerciseCode() string {
	const n = len(ExerciseCodeAlphabet) // 32 divides 256: no modulo bias
	var b [ExerciseCodeLength]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand panics instead)
	for i := range b {
		b[i] = ExerciseCodeAlphabet[int(b[i])%n]
	}
	return string(b[:])
}

// NormalizeExerciseCode reads a code as a person may type it: surrounding
// space and inner spaces or dashes are ignored, and case does not count.
// It returns false when what remains cannot be a code.
func NormalizeExerciseCode(raw string) (string, bool) {
	code := strings.ToUpper(strings.NewReplacer(" ", "", "-", "").Replace(strings.TrimSpace(raw)))
	if len(code) != ExerciseCodeLength {
		return "", false
	}
	for i := 0; i < len(code); i++ {
		if !strings.ContainsRune(ExerciseCodeAlphabet, rune(code[i])) {
			return "", false
		}
	}
	return code, true
}

// validStudentKey reports whether key is 8 to 64 characters of
// [A-Za-z0-9_-].
func validStudentKey(key string) bool {
	if len(key) < MinStudentKey || len(key) > MaxStudentKey {
		return false
	}
	for i := 0; i < len(key); i++ {
		c := key[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// CheckPicks validates a student's picks in text and returns them sorted by
// start, with overlapping picks merged into one (picks that only touch stay
// apart). Every pick must lie within the text, start before it ends, and
// start and end on character boundaries; there may be at most MaxPicks.
// An empty list is valid: the student found nothing loaded.
func CheckPicks(text string, picks []Pick) ([]Pick, error) {
	if len(picks) > MaxPicks {
		return nil, &ValidationError{Field: "picks", Problem: fmt.Sprintf("may hold at most %d picks", MaxPicks)}
	}
	out := make([]Pick, 0, len(picks))
	for i, p := range picks {
		switch {
		case p.Start < 0 || p.End > len(text):
			return nil, &ValidationError{Field: "picks", Problem: fmt.Sprintf("pick %d is outside the text (0 to %d bytes)", i+1, len(text))}
		case p.Start >= p.End:
			return nil, &ValidationError{Field: "picks", Problem: fmt.Sprintf("pick %d must start before it ends", i+1)}
		case !onRuneBoundary(text, p.Start) || !onRuneBoundary(text, p.End):
			return nil, &ValidationError{Field: "picks", Problem: fmt.Sprintf("pick %d cuts a character in two (offsets count bytes of UTF-8)", i+1)}
		}
		out = append(out, p)
	}
	slices.SortFunc(out, func(a, b Pick) int {
		if a.Start != b.Start {
			return a.Start - b.Start
		}
		return a.End - b.End
	})
	merged := out[:0]
	for _, p := range out {
		if n := len(merged); n > 0 && p.Start < merged[n-1].End {
			merged[n-1].End = max(merged[n-1].End, p.End)
			continue
		}
		merged = append(merged, p)
	}
	return merged, nil
}

// onRuneBoundary reports whether byte offset i of text starts a character
// (or is the end of the text).
func onRuneBoundary(text string, i int) bool {
	return i == len(text) || utf8.RuneStart(text[i])
}

// CreateExercise starts an exercise on an event with a fresh code, and
// fills in its ID, code and creation time. It fails with ErrNotFound when
// the event does not exist.
func (s *Store) CreateExercise(ctx context.Context, ex *Exercise) error {
	return s.StartExercise(ctx, ex, nil)
}

// StartExercise is CreateExercise with the answer lists of the event's
// articles (see ExerciseAnswers), stored in the same transaction, so that
// an exercise never exists without the answers it was started with.
func (s *Store) StartExercise(ctx context.Context, ex *Exercise, answers []ExerciseAnswers) error {
	for range codeAttempts {
		row := Exercise{Code: NewExerciseCode(), EventID: ex.EventID, Blind: ex.Blind}
		err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			if ok, err := exists(tx, &Event{}, "id = ?", row.EventID); err != nil {
				return err
			} else if !ok {
				return ErrNotFound
			}
			if err := tx.Create(&row).Error; err != nil {
				return err
			}
			return insertAnswers(tx, row.ID, answers)
		})
		if errors.Is(translate(err), ErrConflict) {
			continue // the code is taken: draw another
		}
		if err != nil {
			return wrap(err, "create exercise on event %d", ex.EventID)
		}
		normalizeExercise(&row)
		*ex = row
		return nil
	}
	return fmt.Errorf("create exercise on event %d: no free code after %d attempts", ex.EventID, codeAttempts)
}

// GetExercise returns the exercise with this code (as NormalizeExerciseCode
// reads it), or ErrNotFound.
func (s *Store) GetExercise(ctx context.Context, code string) (Exercise, error) {
	norm, ok := NormalizeExerciseCode(code)
	if !ok {
		return Exercise{}, fmt.Errorf("get exercise: %w", ErrNotFound)
	}
	var ex Exercise
	if err := s.db.WithContext(ctx).Where("code = ?", norm).Take(&ex).Error; err != nil {
		return Exercise{}, wrap(err, "get exercise %s", norm)
	}
	normalizeExercise(&ex)
	return ex, nil
}

// ListExercises returns an event's exercises, oldest first. It fails with
// ErrNotFound when the event does not exist.
func (s *Store) ListExercises(ctx context.Context, eventID int64) ([]Exercise, error) {
	db := s.db.WithContext(ctx)
	if ok, err := exists(db, &Event{}, "id = ?", eventID); err != nil {
		return nil, wrap(err, "list exercises of event %d", eventID)
	} else if !ok {
		return nil, wrap(ErrNotFound, "list exercises of event %d", eventID)
	}
	out := []Exercise{}
	if err := db.Where("event_id = ?", eventID).Order("id").Find(&out).Error; err != nil {
		return nil, wrap(err, "list exercises of event %d", eventID)
	}
	for i := range out {
		normalizeExercise(&out[i])
	}
	return out, nil
}

// RevealExercise shows the outlets of an exercise (blind or not) and
// returns it as stored afterwards.
func (s *Store) RevealExercise(ctx context.Context, code string) (Exercise, error) {
	norm, ok := NormalizeExerciseCode(code)
	if !ok {
		return Exercise{}, fmt.Errorf("reveal exercise: %w", ErrNotFound)
	}
	var ex Exercise
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&Exercise{}).Where("code = ?", norm).Update("revealed", true)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrNotFound
		}
		return tx.Where("code = ?", norm).Take(&ex).Error
	})
	if err != nil {
		return Exercise{}, wrap(err, "reveal exercise %s", norm)
	}
	normalizeExercise(&ex)
	return ex, nil
}

// EndExercise ends an exercise: its code stops working for students, and
// its submissions stay for the teacher. Ending an ended exercise keeps its
// first end. It returns the exercise as stored afterwards.
func (s *Store) EndExercise(ctx context.Context, code string) (Exercise, error) {
	norm, ok := NormalizeExerciseCode(code)
	if !ok {
		return Exercise{}, fmt.Errorf("end exercise: %w", ErrNotFound)
	}
	var ex Exercise
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Where("code = ?", norm).Take(&ex).Error; err != nil {
			return err
		}
		if ex.EndedAt != nil {
			return nil
		}
		stamp := now()
		if err := tx.Model(&Exercise{}).Where("id = ?", ex.ID).Update("ended_at", stamp).Error; err != nil {
			return err
		}
		ex.EndedAt = &stamp
		return nil
	})
	if err != nil {
		return Exercise{}, wrap(err, "end exercise %s", norm)
	}
	normalizeExercise(&ex)
	return ex, nil
}

// DeleteExercise removes an exercise with all its submissions and its
// answer lists.
func (s *Store) DeleteExercise(ctx context.Context, code string) error {
	norm, ok := NormalizeExerciseCode(code)
	if !ok {
		return fmt.Errorf("delete exercise: %w", ErrNotFound)
	}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		deleted, err := deleteExercises(tx, "code = ?", norm)
		if err == nil && deleted == 0 {
			return ErrNotFound
		}
		return err
	})
	return wrap(err, "delete exercise %s", norm)
}

// errNotInExercise refuses a submission for an article of another event.
var errNotInExercise = &ValidationError{Field: "article_id", Problem: "is not an article of this exercise"}

// SaveSubmission stores a student's picks in one article of an exercise.
// The first submission of a student for an article is final: another fails
// with ErrAlreadySubmitted and changes nothing. The exercise must be open
// (an *ExerciseClosedError otherwise, see Exercise.CheckOpen) and, when the
// student is new to it, have room under rules.MaxStudents (ErrClassFull
// otherwise) and under rules.StudentsPerClient for sub.Client
// (ErrClientFull otherwise). The picks are checked against the article's text (see
// CheckPicks) and stored sorted and merged. It fails with ErrNotFound when
// the exercise does not exist and with a ValidationError for a bad student
// key, bad picks or an article that is not in the exercise's event. On
// success sub carries the stored row.
//
// The checks and the insert run in one transaction that first locks the
// exercise's row (on PostgreSQL; SQLite's write transaction locks the whole
// database), so that a class submitting at once cannot slip past the
// limit or past the teacher's end.
func (s *Store) SaveSubmission(ctx context.Context, sub *Submission, rules ExerciseRules) error {
	if !validStudentKey(sub.Student) {
		return fmt.Errorf("save submission: %w", &ValidationError{Field: "student",
			Problem: fmt.Sprintf("must be %d to %d characters of A-Z, a-z, 0-9, _ and -", MinStudentKey, MaxStudentKey)})
	}
	if len(sub.Picks) > MaxPicks {
		_, err := CheckPicks("", sub.Picks)
		return fmt.Errorf("save submission: %w", err)
	}
	row := Submission{ExerciseID: sub.ExerciseID, ArticleID: sub.ArticleID, Student: sub.Student, Client: sub.Client}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var ex Exercise
		if err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).Where("id = ?", row.ExerciseID).Take(&ex).Error; err != nil {
			return err
		}
		normalizeExercise(&ex)
		stamp := now()
		if err := ex.CheckOpen(stamp, rules.TTL); err != nil {
			return err
		}
		var body []string
		if err := tx.Model(&Article{}).Where("id = ? AND event_id = ?", row.ArticleID, ex.EventID).Limit(1).Pluck("body", &body).Error; err != nil {
			return err
		}
		if len(body) == 0 {
			return errNotInExercise
		}
		var mine []int64
		if err := tx.Model(&Submission{}).Where("exercise_id = ? AND student = ?", ex.ID, row.Student).Pluck("article_id", &mine).Error; err != nil {
			return err
		}
		if slices.Contains(mine, row.ArticleID) {
			return ErrAlreadySubmitted
		}
		if len(mine) == 0 && rules.MaxStudents > 0 {
			var students int64
			// The teacher's own tries take no student's place.
			if err := tx.Model(&Submission{}).Where("exercise_id = ? AND (client IS NULL OR client <> ?)", ex.ID, TeacherClient).Distinct("student").Count(&students).Error; err != nil {
				return err
			}
			if students >= int64(rules.MaxStudents) {
				return ErrClassFull
			}
		}
		if len(mine) == 0 && rules.StudentsPerClient > 0 && row.Client != "" && row.Client != TeacherClient {
			var students int64
			if err := tx.Model(&Submission{}).Where("exercise_id = ? AND client = ?", ex.ID, row.Client).Distinct("student").Count(&students).Error; err != nil {
				return err
			}
			if students >= int64(rules.StudentsPerClient) {
				return ErrClientFull
			}
		}
		picks, err := CheckPicks(body[0], sub.Picks)
		if err != nil {
			return err
		}
		row.Picks = picks
		row.CreatedAt, row.UpdatedAt = stamp, stamp
		// A duplicate key here is a second submission that raced this one
		// past the check above: ErrConflict, reported as already submitted.
		return tx.Create(&row).Error
	})
	if errors.Is(translate(err), ErrConflict) && !errors.Is(err, ErrClassFull) && !errors.Is(err, ErrClientFull) {
		err = ErrAlreadySubmitted
	}
	if err != nil {
		return wrap(err, "save submission to exercise %d", sub.ExerciseID)
	}
	normalizeSubmission(&row)
	*sub = row
	return nil
}

// CountStudents returns how many students (distinct student keys) have
// sent picks to an exercise.
func (s *Store) CountStudents(ctx context.Context, exerciseID int64) (int, error) {
	var n int64
	if err := s.db.WithContext(ctx).Model(&Submission{}).Where("exercise_id = ?", exerciseID).Distinct("student").Count(&n).Error; err != nil {
		return 0, wrap(err, "count students of exercise %d", exerciseID)
	}
	return int(n), nil
}

// ListSubmissions returns every submission of an exercise in the order
// they were first made.
func (s *Store) ListSubmissions(ctx context.Context, exerciseID int64) ([]Submission, error) {
	out := []Submission{}
	if err := s.db.WithContext(ctx).Where("exercise_id = ?", exerciseID).Order("id").Find(&out).Error; err != nil {
		return nil, wrap(err, "list submissions of exercise %d", exerciseID)
	}
	for i := range out {
		normalizeSubmission(&out[i])
	}
	return out, nil
}

// deleteExercisesOfEvent removes an event's exercises and all their
// submissions and answer lists; DeleteEvent calls it inside its
// transaction.
func deleteExercisesOfEvent(tx *gorm.DB, eventID int64) error {
	_, err := deleteExercises(tx, "event_id = ?", eventID)
	return err
}

// deleteExercises removes the exercises the condition query (with arg)
// selects, with all their submissions and answer lists, and returns how
// many exercises it removed: the one place that knows what belongs to an
// exercise.
func deleteExercises(tx *gorm.DB, query string, arg any) (int64, error) {
	ids := tx.Model(&Exercise{}).Select("id").Where(query, arg)
	if err := tx.Where("exercise_id IN (?)", ids).Delete(&Submission{}).Error; err != nil {
		return 0, err
	}
	if err := tx.Where("exercise_id IN (?)", ids).Delete(&ExerciseAnswers{}).Error; err != nil {
		return 0, err
	}
	res := tx.Where(query, arg).Delete(&Exercise{})
	return res.RowsAffected, res.Error
}

// normalizeExercise puts read times in UTC.
func normalizeExercise(ex *Exercise) {
	ex.CreatedAt = ex.CreatedAt.UTC()
	if ex.EndedAt != nil {
		at := ex.EndedAt.UTC()
		ex.EndedAt = &at
	}
}

// normalizeSubmission puts read times in UTC and nil picks as empty.
func normalizeSubmission(sub *Submission) {
	sub.CreatedAt = sub.CreatedAt.UTC()
	sub.UpdatedAt = sub.UpdatedAt.UTC()
	if sub.Picks == nil {
		sub.Picks = []Pick{}
	}
}
