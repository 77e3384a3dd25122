package analysis

import (
	"strings"

	"github.com/neurosnap/sentences"
	"github.com/neurosnap/sentences/english"
)

// The sentence splitter as it was before sentences.go: the Punkt
// tokenizer of github.com/neurosnap/sentences with english.WordTokenizer's
// tests replaced by punktWords and the English multi-period annotation by
// multiPeriodAnnotation. The tests hold the splitter to it and to the
// package's own English tokenizer.

// punktWords is english.WordTokenizer with the per-token tests rewritten
// as byte scans (punkt_words.go). Go's embedding does not dispatch
// virtually, so every method that calls Type is overridden too.
type punktWords struct {
	*english.WordTokenizer
}

func newPunktWords(p sentences.PunctStrings) punktWords {
	return punktWords{english.NewWordTokenizer(p)}
}

func (w punktWords) Type(t *sentences.Token) string { return punktType(t.Tok) }

func (w punktWords) TypeNoPeriod(t *sentences.Token) string { return punktTypeNoPeriod(t.Tok) }

func (w punktWords) TypeNoSentPeriod(t *sentences.Token) string {
	if t.SentBreak {
		return w.TypeNoPeriod(t)
	}
	return w.Type(t)
}

func (w punktWords) FirstUpper(t *sentences.Token) bool { return isUpperStart(t.Tok) }

func (w punktWords) FirstLower(t *sentences.Token) bool { return firstLower(t.Tok) }

func (w punktWords) IsEllipsis(t *sentences.Token) bool { return strings.HasSuffix(t.Tok, "..") }

func (w punktWords) IsInitial(t *sentences.Token) bool { return isInitial(t.Tok) }

func (w punktWords) IsListNumber(t *sentences.Token) bool { return isListNumber(t.Tok) }

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

func (w punktWords) IsCoordinatePartTwo(t *sentences.Token) bool { return isCoordinatePartTwo(t.Tok) }

func (w punktWords) HasSentEndChars(t *sentences.Token) bool { return hasSentEndChars(t.Tok) }

func (w punktWords) HasUnreliableEndChars(t *sentences.Token) bool {
	return hasUnreliableEndChars(t.Tok)
}

// newSentenceTokenizer builds the English Punkt tokenizer the way
// english.NewSentenceTokenizer does, with the extra abbreviations, the
// punktWords tests and multiPeriodAnnotation.
func newSentenceTokenizer() (*sentences.DefaultSentenceTokenizer, error) {
	training, err := loadPunktStorage()
	if err != nil {
		return nil, err
	}
	lang := sentences.NewPunctStrings()
	word := newPunktWords(lang)
	ortho := &sentences.OrthoContext{Storage: training, PunctStrings: lang, TokenType: word, TokenFirst: word}
	annotations := append(sentences.NewAnnotations(training, lang, word), &multiPeriodAnnotation{
		storage: training,
		words:   word,
		grouper: &sentences.DefaultTokenGrouper{},
		ortho:   ortho,
	})
	return &sentences.DefaultSentenceTokenizer{
		Storage:       training,
		PunctStrings:  lang,
		WordTokenizer: word,
		Annotations:   annotations,
	}, nil
}

// newEnglishSentenceTokenizer is the package's own English tokenizer,
// regular expressions and all, with the extra abbreviations.
func newEnglishSentenceTokenizer() (*sentences.DefaultSentenceTokenizer, error) {
	training, err := loadPunktStorage()
	if err != nil {
		return nil, err
	}
	return english.NewSentenceTokenizer(training)
}

// multiPeriodAnnotation is english.MultiPunctWordAnnotation (MIT licence,
// github.com/neurosnap/sentences) with its regular expression replaced by
// hasMultiPeriodAbbrev; the decisions it makes are the same.
type multiPeriodAnnotation struct {
	storage *sentences.Storage
	words   sentences.TokenParser
	grouper sentences.TokenGrouper
	ortho   sentences.Ortho
}

func (a *multiPeriodAnnotation) Annotate(tokens []*sentences.Token) []*sentences.Token {
	for _, pair := range a.grouper.Group(tokens) {
		if len(pair) < 2 || pair[1] == nil {
			continue
		}
		a.annotatePair(pair[0], pair[1])
	}
	return tokens
}

func (a *multiPeriodAnnotation) annotatePair(one, two *sentences.Token) {
	if a.words.IsListNumber(one) || a.words.IsCoordinatePartOne(one) {
		one.SentBreak = false
		return
	}
	if strings.HasSuffix(one.Tok, ".") && two.Tok == "." {
		one.SentBreak = false
		return
	}
	if !hasMultiPeriodAbbrev(one.Tok) && one.Tok != "." && !a.words.HasUnreliableEndChars(one) && !a.words.IsCoordinatePartTwo(one) {
		return
	}
	if a.words.IsInitial(one) {
		return
	}
	one.Abbr = true
	one.SentBreak = false
	if a.ortho.Heuristic(two) == 1 {
		one.SentBreak = true
		return
	}
	next := a.words.TypeNoSentPeriod(two)
	if a.words.FirstUpper(two) && (a.storage.SentStarters[next] != 0 || a.words.HasUnreliableEndChars(one) || one.Tok == "." || a.words.IsCoordinatePartTwo(one)) {
		one.SentBreak = true
	}
}

// punktSentenceSpans is sentenceSpans as it was: the tokenizer run line by
// line, each sentence trimmed.
func punktSentenceSpans(tok *sentences.DefaultSentenceTokenizer, text string) []Span {
	var spans []Span
	for lineStart := 0; lineStart < len(text); {
		lineEnd := strings.IndexByte(text[lineStart:], '\n')
		if lineEnd < 0 {
			lineEnd = len(text)
		} else {
			lineEnd += lineStart
		}
		line := text[lineStart:lineEnd]
		if strings.TrimSpace(line) != "" {
			for _, s := range tok.Tokenize(line) {
				start, end := trimSpan(text, lineStart+s.Start, lineStart+s.End)
				if start < end {
					spans = append(spans, Span{Start: start, End: end})
				}
			}
		}
		lineStart = lineEnd + 1
	}
	return spans
}
