package analysis

import (
	"strings"

	"github.com/neurosnap/sentences"
	"github.com/neurosnap/sentences/data"
)

// newSentenceTokenizer builds the English Punkt tokenizer the way
// english.NewSentenceTokenizer does, with the same trained model and
// annotations and a few more titles common in news copy ("Sen.", "Gen."),
// except that its multi-period abbreviation check ("U.S.",
// "a.m.") is a byte scan instead of a backtracking regular expression run
// on every token, which took almost half of the analysis time.
func newSentenceTokenizer() (*sentences.DefaultSentenceTokenizer, error) {
	model, err := data.Asset("data/english.json")
	if err != nil {
		return nil, err
	}
	training, err := sentences.LoadTraining(model)
	if err != nil {
		return nil, err
	}
	for _, abbr := range []string{"sgt", "gov", "no", "mr", "mrs", "ms", "dr", "gen", "sen", "rep", "lt", "col", "st"} {
		training.AbbrevTypes.Add(abbr)
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

// multiPeriodAnnotation is english.MultiPunctWordAnnotation (MIT licence,
// github.com/neurosnap/sentences) with its regular expression replaced by
// hasMultiPeriodAbbrev; the decisions it makes are the same.
type multiPeriodAnnotation struct {
	storage *sentences.Storage
	words   sentences.TokenParser
	grouper sentences.TokenGrouper
	ortho   sentences.Ortho
}

// Annotate marks multi-period abbreviations in each pair of neighbouring
// tokens, as the english package's annotation does.
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

// hasMultiPeriodAbbrev reports whether tok contains a match of
// `(?:\w\.)+\w*\.`: a word character and a period, then word characters
// (possibly none) and another period, as in "U.S." or "e.g.".
func hasMultiPeriodAbbrev(tok string) bool {
	for i := 0; i+1 < len(tok); i++ {
		if !isASCIIWordByte(tok[i]) || tok[i+1] != '.' {
			continue
		}
		j := i + 2
		for j < len(tok) && isASCIIWordByte(tok[j]) {
			j++
		}
		if j < len(tok) && tok[j] == '.' {
			return true
		}
	}
	return false
}

func isASCIIWordByte(b byte) bool {
	return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9' || b == '_'
}
