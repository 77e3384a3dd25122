package analysis

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/neurosnap/sentences"
	"github.com/neurosnap/sentences/english"
)

// punktWords is english.WordTokenizer with the per-token tests that the
// Punkt annotations call thousands of times per article rewritten as byte
// scans instead of regular expressions and suffix loops. Each method
// returns what the original returns (punkt_words_test.go fuzzes them
// against each other); only the speed differs. Go's embedding does not
// dispatch virtually, so every method that calls Type is overridden too.
type punktWords struct {
	*english.WordTokenizer
}

func newPunktWords(p sentences.PunctStrings) punktWords {
	return punktWords{english.NewWordTokenizer(p)}
}

// Type is the token lower-cased, with a trailing number replaced by
// "##number##" and commas dropped, as DefaultWordTokenizer.Type does with
// the expression `-?[\.,]?\d[\d,\.-]*\.?$`.
func (w punktWords) Type(t *sentences.Token) string {
	typ := strings.ToLower(t.Tok)
	if i := trailingNumberStart(typ); i >= 0 {
		typ = typ[:i] + "##number##"
	}
	if len(typ) == 1 {
		return typ
	}
	return strings.ReplaceAll(typ, ",", "")
}

// trailingNumberStart is the leftmost i at which s[i:] matches
// `-?[\.,]?\d[\d,\.-]*\.?` to the end of s, or -1. Tokens are short, so
// trying each start in turn is cheap.
func trailingNumberStart(s string) int {
	for i := 0; i < len(s); i++ {
		j := i
		if s[j] == '-' {
			j++
		}
		if startsNumber(s, j) {
			return i
		}
	}
	return -1
}

// startsNumber reports whether s[i:] matches `[\.,]?\d[\d,\.-]*` to the end.
func startsNumber(s string, i int) bool {
	if i < len(s) && (s[i] == '.' || s[i] == ',') && i+1 < len(s) && isDigitByte(s[i+1]) && allNumberTail(s[i+2:]) {
		return true
	}
	return i < len(s) && isDigitByte(s[i]) && allNumberTail(s[i+1:])
}

func allNumberTail(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isNumberTailByte(s[i]) {
			return false
		}
	}
	return true
}

func isNumberTailByte(b byte) bool { return isDigitByte(b) || b == ',' || b == '.' || b == '-' }

func isDigitByte(b byte) bool { return '0' <= b && b <= '9' }

// TypeNoPeriod is Type without a final period.
func (w punktWords) TypeNoPeriod(t *sentences.Token) string {
	typ := w.Type(t)
	if len(typ) > 1 && typ[len(typ)-1] == '.' {
		return typ[:len(typ)-1]
	}
	return typ
}

// TypeNoSentPeriod is Type without a final period when the token ends a
// sentence.
func (w punktWords) TypeNoSentPeriod(t *sentences.Token) string {
	if t.SentBreak {
		return w.TypeNoPeriod(t)
	}
	return w.Type(t)
}

// FirstUpper reports whether the token starts with an upper-case letter.
func (w punktWords) FirstUpper(t *sentences.Token) bool {
	r, _ := utf8.DecodeRuneInString(t.Tok)
	return t.Tok != "" && unicode.IsUpper(r)
}

// FirstLower reports whether the token starts with a lower-case letter.
func (w punktWords) FirstLower(t *sentences.Token) bool {
	r, _ := utf8.DecodeRuneInString(t.Tok)
	return t.Tok != "" && unicode.IsLower(r)
}

// IsEllipsis matches `\.\.+$`.
func (w punktWords) IsEllipsis(t *sentences.Token) bool { return strings.HasSuffix(t.Tok, "..") }

// IsInitial matches `^[A-Za-z]\.$`.
func (w punktWords) IsInitial(t *sentences.Token) bool {
	s := t.Tok
	return len(s) == 2 && isASCIILetter(s[0]) && s[1] == '.'
}

// IsListNumber matches `^\d+.?\)?$`.
func (w punktWords) IsListNumber(t *sentences.Token) bool {
	s := t.Tok
	n := 0
	for n < len(s) && isDigitByte(s[n]) {
		n++
	}
	if n == 0 {
		return false
	}
	rest := s[n:]
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

// IsAlpha matches `^[A-Za-z]+$`.
func (w punktWords) IsAlpha(t *sentences.Token) bool {
	if t.Tok == "" {
		return false
	}
	for i := 0; i < len(t.Tok); i++ {
		if !isASCIILetter(t.Tok[i]) {
			return false
		}
	}
	return true
}

// IsCoordinatePartTwo matches `^[0-9]*\.[0-9]*\.[0-9]*\.$`.
func (w punktWords) IsCoordinatePartTwo(t *sentences.Token) bool {
	parts := strings.Split(t.Tok, ".")
	if len(parts) != 4 || parts[3] != "" {
		return false
	}
	for _, p := range parts[:3] {
		for i := 0; i < len(p); i++ {
			if !isDigitByte(p[i]) {
				return false
			}
		}
	}
	return true
}

// HasSentEndChars is english.WordTokenizer.HasSentEndChars: the token ends
// in ? or !, or in . ? ! followed by a closing quote or bracket, or holds
// . followed by [ ( " ' or ? ! followed by [ (.
func (w punktWords) HasSentEndChars(t *sentences.Token) bool {
	s := t.Tok
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

// HasUnreliableEndChars is english.WordTokenizer.HasUnreliableEndChars:
// the token ends in . ? or ! followed by a closing quote or bracket.
func (w punktWords) HasUnreliableEndChars(t *sentences.Token) bool {
	s := t.Tok
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
