package desk

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"slant/analysis"
	"slant/models"
)

// TestPickedWords: a pick is scored as the words it covers.
func TestPickedWords(t *testing.T) {
	text := "Thugs ran a hellhole, police said."
	tests := []struct {
		name  string
		picks []models.Pick
		want  []analysis.Span
	}{
		{"one word", []models.Pick{{Start: 0, End: 5}}, []analysis.Span{{Start: 0, End: 5}}},
		{"part of a word picks it", []models.Pick{{Start: 14, End: 16}}, []analysis.Span{{Start: 12, End: 20}}},
		{"a phrase is its words", []models.Pick{{Start: 6, End: 20}}, []analysis.Span{{Start: 6, End: 9}, {Start: 10, End: 11}, {Start: 12, End: 20}}},
		{"punctuation alone picks nothing", []models.Pick{{Start: 20, End: 22}}, []analysis.Span{}},
		{"none", nil, []analysis.Span{}},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, PickedWords(text, tt.picks), tt.name)
	}
	// A price is one word: picking its cents picks "2.75", which is what
	// the class results then list (not "75").
	price := "Fares rose to $2.75 on Monday."
	assert.Equal(t, []analysis.Span{{Start: 15, End: 19}}, PickedWords(price, []models.Pick{{Start: 17, End: 19}}))
}

// TestScorePicks: against an answer list, a whole-text pick finds every
// flag but has every other word as an extra.
func TestScorePicks(t *testing.T) {
	text := "Thugs ran a hellhole, police said."
	answers := models.ExerciseAnswers{Flags: []models.AnswerFlag{
		{Start: 0, End: 5, Text: "Thugs", Category: "pejorative-label"},
		{Start: 12, End: 20, Text: "hellhole", Category: "pejorative-label"},
	}}
	whole := ScorePicks(answers, text, []models.Pick{{Start: 0, End: len(text)}})
	assert.Equal(t, analysis.SpotCounts{Found: 2, Total: 2, MatchedPicks: 2, Extra: 4}, whole.SpotCounts)
	assert.Less(t, whole.F1(), 0.7)
	exact := ScorePicks(answers, text, []models.Pick{{Start: 0, End: 5}, {Start: 12, End: 20}})
	assert.Equal(t, 1.0, exact.F1())
}
