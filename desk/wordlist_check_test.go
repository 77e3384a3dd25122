package desk

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestOnlyFunctionWords(t *testing.T) {
	for _, tc := range []struct {
		term string
		want bool
	}{
		{"the", true},
		{"The", true},
		{"of the", true},
		{"(the) of", true},
		{"it's", true}, // matched as "it": the possessive or contraction goes
		{"the's", true},
		{"the’s", true},
		{"ｔｈｅ", true}, // full-width letters fold to "the"
		{"them", true},
		{"there", true},
		{"theirs", true},
		{"and/or", true},
		{"thug", false},
		{"the mob", false},
		{"no-go zone", false},
		{"", false},
		{"!!!", false},
	} {
		assert.Equal(t, tc.want, onlyFunctionWords(tc.term), "%q", tc.term)
	}
}

func TestWordsWithLetters(t *testing.T) {
	for _, tc := range []struct {
		reason string
		want   int
	}{
		{"Calls a crowd a mob.", 5},
		{"- - -", 0},
		{"! ? .", 0},
		{"1 2 3", 0},
		{"x", 1},
		{"Loaded, 100 %", 1},
	} {
		assert.Equal(t, tc.want, wordsWithLetters(tc.reason), "%q", tc.reason)
	}
}
