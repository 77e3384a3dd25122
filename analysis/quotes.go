package analysis

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// findQuotes returns the spans of text inside quotation marks, marks
// included. It knows straight double quotes, curly double quotes and
// guillemets, and curly or straight single quotes where they cannot be
// apostrophes. A quotation may run across sentences; at a paragraph break
// it continues only if the next paragraph opens with a quotation mark (the
// newspaper convention for long quotations), and otherwise ends there, so
// one stray mark cannot swallow the rest of an article.
func findQuotes(text string) []Span {
	// Room for as many quotations as there are opening double marks, so
	// that a text of thousands of quotations does not regrow the list.
	var spans []Span
	if n := strings.Count(text, `"`)/2 + strings.Count(text, "\u201c") + strings.Count(text, "\u00ab") + strings.Count(text, "\u201e"); n > 0 {
		spans = make([]Span, 0, n)
	}
	open := -1      // byte offset of the opening mark, -1 outside a quotation
	var closer rune // the mark that ends the open quotation
	single := false
	for i := 0; i < len(text); {
		r, size := rune(text[i]), 1
		if r < utf8.RuneSelf {
			if !quoteByte[r] {
				i++ // no mark, no line break
				continue
			}
		} else {
			r, size = utf8.DecodeRuneInString(text[i:])
		}
		if open >= 0 && r == '\n' && paragraphBreakAt(text, i) {
			j := skipSpace(text, i)
			nr, nsize := utf8.DecodeRuneInString(text[j:])
			if !single && isOpeningDouble(nr) {
				i = j + nsize // the quotation goes on in the next paragraph
				continue
			}
			spans = append(spans, Span{Start: open, End: trimRightSpace(text, i)})
			open = -1
			i = j
			continue
		}
		switch {
		case open < 0 && isOpeningDouble(r):
			open, closer, single = i, closingFor(r), false
		case open < 0 && isOpeningSingle(text, i, r):
			open, closer, single = i, closingFor(r), true
		case open >= 0 && r == closer && (!single || isClosingSingle(text, i, size)):
			spans = append(spans, Span{Start: open, End: i + size})
			open = -1
		}
		i += size
	}
	if open >= 0 {
		spans = append(spans, Span{Start: open, End: trimRightSpace(text, len(text))})
	}
	return spans
}

// quoteByte marks the ASCII bytes findQuotes must look at.
var quoteByte = [utf8.RuneSelf]bool{'"': true, '\'': true, '\n': true}

func isOpeningDouble(r rune) bool { return r == '"' || r == '\u201c' || r == '\u00ab' || r == '\u201e' }

func closingFor(r rune) rune {
	switch r {
	case '\u201c', '\u201e':
		return '\u201d'
	case '\u00ab':
		return '\u00bb'
	case '\u2018':
		return '\u2019'
	}
	return r
}

// isOpeningSingle accepts a single quote mark only at the start of a word
// after a space or the start of the text: "'Favourite of presidents'".
func isOpeningSingle(text string, i int, r rune) bool {
	if r != '\'' && r != '\u2018' {
		return false
	}
	if i > 0 {
		prev, _ := utf8.DecodeLastRuneInString(text[:i])
		if !unicode.IsSpace(prev) && prev != '(' && prev != '[' && prev != '\u2014' {
			return false
		}
	}
	next, _ := utf8.DecodeRuneInString(text[i+utf8.RuneLen(r):])
	return unicode.IsLetter(next)
}

// isClosingSingle rejects apostrophes inside words ("don’t").
func isClosingSingle(text string, i, size int) bool {
	if i+size >= len(text) {
		return true
	}
	next, _ := utf8.DecodeRuneInString(text[i+size:])
	return !unicode.IsLetter(next) && !unicode.IsDigit(next)
}

// paragraphBreakAt reports whether the newline at i starts a blank line or
// a new line (pasted articles often separate paragraphs by one newline).
func paragraphBreakAt(text string, i int) bool { return text[i] == '\n' }

func skipSpace(text string, i int) int {
	for i < len(text) {
		r, size := utf8.DecodeRuneInString(text[i:])
		if !unicode.IsSpace(r) {
			break
		}
		i += size
	}
	return i
}

func trimRightSpace(text string, end int) int {
	for end > 0 {
		r, size := utf8.DecodeLastRuneInString(text[:end])
		if !unicode.IsSpace(r) {
			break
		}
		end -= size
	}
	return end
}

// inSortedSpans reports whether [start, end) lies inside one of the
// sorted, disjoint spans, for ranges visited in text order: *q is the
// first span that may still hold one, and moves forward as they do, so a
// text's findings cost one pass over its quotations however many there
// are of each.
func inSortedSpans(spans []Span, q *int, start, end int) bool {
	for *q < len(spans) && spans[*q].End <= start {
		*q++
	}
	return *q < len(spans) && spans[*q].Start <= start && end <= spans[*q].End
}
