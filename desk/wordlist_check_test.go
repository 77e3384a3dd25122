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
		{"it's", false}, // "it's" is one word, not on the list
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
