package evaluation

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Span is a half-open byte range [Start, End) into the UTF-8 text that was
// analyzed. An empty span (Start == End) covers nothing.
type Span struct {
	Start int `json:"start"`
	End   int `json:"end"`
}

// Token is one word as the metrics count words: a maximal run of letters
// in which an apostrophe or hyphen may stand between two letters ("don't",
// "Trump’s", "crime-ridden"). Digits and every other character end a
// token, so "COVID-19" gives the one token "COVID".
type Token struct {
	Start int `json:"start"` // byte offset of the first letter
	End   int `json:"end"`   // byte offset just after the last letter
	// Form is the token compared case-insensitively: lower-cased, with
	// curly apostrophes and Unicode hyphens made ASCII.
	Form string `json:"form"`
}

// Tokens splits text into the tokens the metrics count, with byte offsets.
// Combining marks that follow a letter stay in the token, so decomposed
// accents do not split a word.
func Tokens(text string) []Token {
	var out []Token
	start := -1 // start of the token being read, -1 between tokens
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case unicode.IsLetter(r) || start >= 0 && unicode.Is(unicode.Mn, r):
			if start < 0 {
				start = i
			}
		case start >= 0 && (isApostrophe(r) || isHyphen(r)) && letterAt(text, i+size):
			// an inner joiner: the token goes on
		default:
			if start >= 0 {
				out = append(out, newToken(text, start, i))
				start = -1
			}
		}
		i += size
	}
	if start >= 0 {
		out = append(out, newToken(text, start, len(text)))
	}
	return out
}

func newToken(text string, start, end int) Token {
	return Token{Start: start, End: end, Form: Form(text[start:end])}
}

// Form is the comparison form of a word: lower case, apostrophes (’ ʼ)
// made ', hyphens (‐ ‑) made -.
func Form(word string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case isApostrophe(r):
			return '\''
		case isHyphen(r):
			return '-'
		}
		return unicode.ToLower(r)
	}, word)
}

func letterAt(text string, i int) bool {
	if i >= len(text) {
		return false
	}
	r, _ := utf8.DecodeRuneInString(text[i:])
	return unicode.IsLetter(r)
}

func isApostrophe(r rune) bool { return r == '\'' || r == '\u2019' || r == '\u02bc' }

func isHyphen(r rune) bool { return r == '-' || r == '\u2010' || r == '\u2011' }

// Overlapping marks each token that overlaps at least one span: token t
// and span s overlap when s.Start < t.End and t.Start < s.End, so a span
// touching a token only at its edge does not mark it. Empty spans mark
// nothing. Spans may come in any order and may overlap each other; tokens
// must be in text order, as Tokens returns them.
func Overlapping(tokens []Token, spans []Span) []bool {
	marked := make([]bool, len(tokens))
	for _, s := range spans {
		if s.Start >= s.End {
			continue
		}
		// first token ending after the span starts
		i, _ := slices.BinarySearchFunc(tokens, s.Start, func(t Token, start int) int {
			if t.End <= start {
				return -1
			}
			return 1
		})
		for ; i < len(tokens) && tokens[i].Start < s.End; i++ {
			marked[i] = true
		}
	}
	return marked
}
