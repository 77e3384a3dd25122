package evaluation

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func forms(tokens []Token) []string {
	out := make([]string, len(tokens))
	for i, t := range tokens {
		out[i] = t.Form
	}
	return out
}

func TestTokens(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"Don't re-use COVID-19 data", []string{"don't", "re-use", "covid", "data"}},
		{"Trump’s ‘quoted’ words", []string{"trump's", "quoted", "words"}},
		{"well- known -ish 'tis rock'n'roll", []string{"well", "known", "ish", "tis", "rock'n'roll"}},
		{"Anti‐Science (U+2010)", []string{"anti-science", "u"}},
		{"1984-ish 42", []string{"ish"}},
		{"café naïve cafe\u0301", []string{"café", "naïve", "cafe\u0301"}},
		{"", []string{}},
		{"--- '' 123", []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			got := Tokens(tt.text)
			assert.Equal(t, tt.want, forms(got))
			for _, tok := range got {
				assert.Equal(t, Form(tt.text[tok.Start:tok.End]), tok.Form, "offsets are bytes into the text")
			}
		})
	}
}

func TestTokensByteOffsetsWithNonASCII(t *testing.T) {
	text := "Élites’ “menaces” — naïve"
	got := Tokens(text)
	assert.Equal(t, []Token{
		{Start: 0, End: 7, Form: "élites"}, // É is two bytes; the trailing ’ is not inner
		{Start: 14, End: 21, Form: "menaces"},
		{Start: 29, End: 35, Form: "naïve"}, // 22 runes in, 29 bytes in
	}, got)
	assert.Equal(t, "naïve", text[29:35])
}

func TestOverlappingBoundaries(t *testing.T) {
	tokens := Tokens("ab cd ef") // [0,2) [3,5) [6,8)
	tests := []struct {
		name  string
		spans []Span
		want  []bool
	}{
		{"gap between tokens touches both edges only", []Span{{2, 3}}, []bool{false, false, false}},
		{"one byte inside each of two tokens", []Span{{1, 4}}, []bool{true, true, false}},
		{"exact token", []Span{{3, 5}}, []bool{false, true, false}},
		{"ends where a token starts", []Span{{0, 3}}, []bool{true, false, false}},
		{"starts where a token ends", []Span{{5, 7}}, []bool{false, false, true}},
		{"empty span inside a token", []Span{{4, 4}}, []bool{false, false, false}},
		{"past the end", []Span{{7, 100}}, []bool{false, false, true}},
		{"unsorted and overlapping spans", []Span{{6, 8}, {0, 5}, {1, 2}}, []bool{true, true, true}},
		{"none", nil, []bool{false, false, false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, Overlapping(tokens, tt.spans))
		})
	}
}
