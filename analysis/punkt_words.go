package analysis

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// The word tests the Punkt annotations make, as byte scans over the word
// instead of the regular expressions and suffix loops of
// english.WordTokenizer. Each returns what the original method returns for
// a token of that text (punkt_words_test.go fuzzes them against each
// other); only the speed differs, and every one is linear in the word's
// length, however long the word.

// hasPeriodFinal reports whether w ends in a full stop (or the CJK one).
func hasPeriodFinal(w string) bool {
	return strings.HasSuffix(w, ".") || strings.HasSuffix(w, "。")
}

// trailingNumberStart is the leftmost i at which s[i:] matches
// `-?[\.,]?\d[\d,\.-]*\.?` to the end of s, or -1. A match needs a digit
// followed only by digits, commas, periods and hyphens, so the leftmost
// one starts at the first digit of the longest such tail of s, or up to
// two characters before it ("-.5").
func trailingNumberStart[S ~string | ~[]byte](s S) int {
	tail := len(s)
	for tail > 0 && isNumberTailByte(s[tail-1]) {
		tail--
	}
	p := tail
	for p < len(s) && !isDigitByte(s[p]) {
		p++
	}
	if p == len(s) {
		return -1
	}
	switch {
	case p >= 2 && s[p-2] == '-' && (s[p-1] == '.' || s[p-1] == ','):
		return p - 2
	case p >= 1 && (s[p-1] == '.' || s[p-1] == ',' || s[p-1] == '-'):
		return p - 1
	}
	return p
}

func isNumberTailByte(b byte) bool { return isDigitByte(b) || b == ',' || b == '.' || b == '-' }

func isDigitByte(b byte) bool { return '0' <= b && b <= '9' }

// firstLower reports whether w starts with a lower-case letter.
func firstLower(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return w != "" && unicode.IsLower(r)
}

// isInitial matches `^[A-Za-z]\.$`.
func isInitial(w string) bool {
	return len(w) == 2 && isASCIILetter(w[0]) && w[1] == '.'
}

// isListNumber matches `^\d+.?\)?$`.
func isListNumber(w string) bool {
	n := 0
	for n < len(w) && isDigitByte(w[n]) {
		n++
	}
	if n == 0 {
		return false
	}
	rest := w[n:]
	if rest == "" || rest == ")" {
		return true
	}
	r, size := utf8.DecodeRuneInString(rest)
	if r == '\n' {
		return false
	}
	rest = rest[size:]
	return rest == "" || rest == ")"
}

// isCoordinatePartTwo matches `^[0-9]*\.[0-9]*\.[0-9]*\.$`: three full
// stops, the last at the end, and nothing but digits besides.
func isCoordinatePartTwo(w string) bool {
	if !strings.HasSuffix(w, ".") {
		return false
	}
	dots := 0
	for i := 0; i < len(w); i++ {
		switch c := w[i]; {
		case c == '.':
			dots++
		case !isDigitByte(c):
			return false
		}
	}
	return dots == 3
}

// hasSentEndChars is english.WordTokenizer.HasSentEndChars: the word ends
// in ? or !, or in . ? ! followed by a closing quote or bracket, or holds
// . followed by [ ( " ' or ? ! followed by [ (.
func hasSentEndChars(s string) bool {
	last, size := utf8.DecodeLastRuneInString(s)
	if last == '?' || last == '!' {
		return true
	}
	if isCloser(last) {
		if prev, _ := utf8.DecodeLastRuneInString(s[:len(s)-size]); prev == '.' || prev == '?' || prev == '!' {
			return true
		}
	}
	for i := 0; i+1 < len(s); i++ {
		switch s[i] {
		case '.':
			if n := s[i+1]; n == '[' || n == '(' || n == '"' || n == '\'' {
				return true
			}
		case '?', '!':
			if n := s[i+1]; n == '[' || n == '(' {
				return true
			}
		}
	}
	return false
}

// hasUnreliableEndChars is english.WordTokenizer.HasUnreliableEndChars:
// the word ends in . ? or ! followed by a closing quote or bracket.
func hasUnreliableEndChars(s string) bool {
	last, size := utf8.DecodeLastRuneInString(s)
	if !isCloser(last) {
		return false
	}
	prev, _ := utf8.DecodeLastRuneInString(s[:len(s)-size])
	return prev == '.' || prev == '?' || prev == '!'
}

func isCloser(r rune) bool {
	return r == '"' || r == '\'' || r == ')' || r == '\u2019' || r == '\u201d'
}

func isASCIILetter(b byte) bool { return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' }
