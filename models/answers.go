package models

import (
	"context"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// ExerciseAnswers is Slant's answer list for one article of an exercise:
// what Slant flagged in it when the exercise started, kept so that a
// change of the class word list or the lexicon afterwards does not rescore
// the lesson (the students' cards and the teacher's results stay the
// same). A desk makes it from the article's report; the store keeps it
// as it is given.
type ExerciseAnswers struct {
	ID         int64 `json:"-" gorm:"primaryKey"`
	ExerciseID int64 `json:"-" gorm:"not null;uniqueIndex:idx_exercise_answers_key"`
	ArticleID  int64 `json:"article_id" gorm:"not null;uniqueIndex:idx_exercise_answers_key;index"`
	// AnalysisVersion is the version of the analysis the flags come from.
	AnalysisVersion string `json:"analysis_version" gorm:"type:text;not null"`
	// Flags are the findings in the article's text; TitleFlags those in
	// its headline, which students do not pick from (the headline is
	// shown above the words they pick).
	Flags      []AnswerFlag `json:"flags" gorm:"serializer:json;type:text;not null"`
	TitleFlags []AnswerFlag `json:"title_flags" gorm:"serializer:json;type:text;not null"`
	CreatedAt  time.Time    `json:"created_at"`
}

// AnswerFlag is one flag of an answer list: the words (byte offsets into
// the text, or into the headline for a title flag) and what a student's
// card and the class results say about them.
type AnswerFlag struct {
	Start         int      `json:"start"`
	End           int      `json:"end"`
	Text          string   `json:"text"`
	Category      string   `json:"category"`
	CategoryLabel string   `json:"category_label"`
	Reason        string   `json:"reason"`
	Alternatives  []string `json:"alternatives"`
	// InQuote: inside a quotation, the speaker's words, counted apart.
	InQuote bool `json:"in_quote"`
	// Custom: a term of the class word list.
	Custom bool `json:"custom,omitempty"`
}

// SaveExerciseAnswers stores answer lists of an exercise's articles. An
// article that has one already keeps it: the first list is the one the
// class is scored against, also when two requests make one at once. It
// fails with ErrNotFound when the exercise does not exist.
func (s *Store) SaveExerciseAnswers(ctx context.Context, exerciseID int64, answers []ExerciseAnswers) error {
	if len(answers) == 0 {
		return nil
	}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if ok, err := exists(tx, &Exercise{}, "id = ?", exerciseID); err != nil {
			return err
		} else if !ok {
			return ErrNotFound
		}
		return insertAnswers(tx, exerciseID, answers)
	})
	return wrap(err, "save the answers of exercise %d", exerciseID)
}

// insertAnswers adds answer lists to an exercise, leaving any article's
// list already there as it is.
func insertAnswers(tx *gorm.DB, exerciseID int64, answers []ExerciseAnswers) error {
	if len(answers) == 0 {
		return nil
	}
	stamp := now()
	rows := make([]ExerciseAnswers, len(answers))
	for i, a := range answers {
		a.ID, a.ExerciseID, a.CreatedAt = 0, exerciseID, stamp
		a.listFlags()
		rows[i] = a
	}
	return tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&rows).Error
}

// listFlags makes nil flags empty lists, so that they are stored and
// sent as [] rather than null.
func (a *ExerciseAnswers) listFlags() {
	if a.Flags == nil {
		a.Flags = []AnswerFlag{}
	}
	if a.TitleFlags == nil {
		a.TitleFlags = []AnswerFlag{}
	}
}

// ListExerciseAnswers returns the answer lists of an exercise by article
// id; an article without one (added to the event after the start, or an
// exercise started before Slant kept answer lists) is missing from it.
func (s *Store) ListExerciseAnswers(ctx context.Context, exerciseID int64) (map[int64]ExerciseAnswers, error) {
	var rows []ExerciseAnswers
	if err := s.db.WithContext(ctx).Where("exercise_id = ?", exerciseID).Order("id").Find(&rows).Error; err != nil {
		return nil, wrap(err, "list the answers of exercise %d", exerciseID)
	}
	out := make(map[int64]ExerciseAnswers, len(rows))
	for _, r := range rows {
		r.CreatedAt = r.CreatedAt.UTC()
		r.listFlags()
		out[r.ArticleID] = r
	}
	return out, nil
}

// AnswerVersion names the analysis version one stored answer list was
// made with, without its flags.
type AnswerVersion struct {
	ExerciseID      int64
	ArticleID       int64
	AnalysisVersion string
}

// ListAnswerVersionsOtherThan lists the answer lists of an event's
// exercises made with another analysis version than version, without
// their flags, by exercise and article. It is one small query whatever
// the lists hold, and empty when every list was made with version: the
// common case, which then costs nothing more.
func (s *Store) ListAnswerVersionsOtherThan(ctx context.Context, eventID int64, version string) ([]AnswerVersion, error) {
	out := []AnswerVersion{}
	err := answersOtherThan(s.db.WithContext(ctx), eventID, version).
		Select("exercise_answers.exercise_id, exercise_answers.article_id, exercise_answers.analysis_version").
		Order("exercise_answers.exercise_id, exercise_answers.article_id").
		Scan(&out).Error
	if err != nil {
		return nil, wrap(err, "list the answer versions of event %d", eventID)
	}
	return out, nil
}

// ListAnswerSamplesOtherThan returns, among the answer lists of an
// event's exercises made with another analysis version than version, one
// list for each article and version (the first stored). The lists of one
// article made with one version are alike (the analysis is deterministic
// and a stored article's text does not change), so this reads each once
// however many exercises share it.
func (s *Store) ListAnswerSamplesOtherThan(ctx context.Context, eventID int64, version string) ([]ExerciseAnswers, error) {
	db := s.db.WithContext(ctx)
	first := answersOtherThan(db, eventID, version).
		Select("MIN(exercise_answers.id)").
		Group("exercise_answers.article_id, exercise_answers.analysis_version")
	var rows []ExerciseAnswers
	if err := db.Where("id IN (?)", first).Order("id").Find(&rows).Error; err != nil {
		return nil, wrap(err, "list the older answers of event %d", eventID)
	}
	for i := range rows {
		rows[i].CreatedAt = rows[i].CreatedAt.UTC()
		rows[i].listFlags()
	}
	return rows, nil
}

// answersOtherThan selects the answer lists of an event's exercises made
// with another analysis version than version.
func answersOtherThan(db *gorm.DB, eventID int64, version string) *gorm.DB {
	return db.Model(&ExerciseAnswers{}).
		Joins("JOIN exercises ON exercises.id = exercise_answers.exercise_id").
		Where("exercises.event_id = ? AND exercise_answers.analysis_version <> ?", eventID, version)
}
