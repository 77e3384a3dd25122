package analysis

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/neurosnap/sentences"
	"github.com/neurosnap/sentences/data"
)

// Sentences are found by Punkt (Kiss and Strunk 2006) with the English
// model of github.com/neurosnap/sentences (MIT licence), making the same
// decisions as that package's English tokenizer, plus a few titles common
// in news copy ("Sen.", "Gen."). The package builds a heap object and
// runs several regular expressions for every word of the text, which made
// sentence splitting some 40% of the analysis; this is the same algorithm
// over byte offsets, with each word's tests run only when its characters
// could make them true. FuzzSentenceSplitterMatchesPunkt and
// TestSentenceSplitterMatchesPunktOnSharedData check that the spans are
// those of the package's tokenizer, quirks included.

// extraAbbreviations are the titles added to the model's abbreviations:
// the English tokenizer's own three, and a few more from news copy.
var extraAbbreviations = []string{"sgt", "gov", "no", "mr", "mrs", "ms", "dr", "gen", "sen", "rep", "lt", "col", "st"}

// sentenceModel is the trained Punkt model: abbreviations, collocations,
// frequent sentence starters and the orthographic context of each word
// type.
type sentenceModel struct {
	abbreviations, collocations, starters, ortho map[string]int
}

// loadSentenceModel reads the English model embedded in the sentences
// package and adds extraAbbreviations.
func loadSentenceModel() (*sentenceModel, error) {
	storage, err := loadPunktStorage()
	if err != nil {
		return nil, err
	}
	return &sentenceModel{
		abbreviations: storage.AbbrevTypes,
		collocations:  storage.Collocations,
		starters:      storage.SentStarters,
		ortho:         storage.OrthoContext,
	}, nil
}

func loadPunktStorage() (*sentences.Storage, error) {
	model, err := data.Asset("data/english.json")
	if err != nil {
		return nil, err
	}
	storage, err := sentences.LoadTraining(model)
	if err != nil {
		return nil, err
	}
	for _, abbr := range extraAbbreviations {
		storage.AbbrevTypes.Add(abbr)
	}
	return storage, nil
}

// Orthographic context flags of the Punkt model: where a word type was
// seen (beginning, middle or unknown position of a sentence) and in which
// case.
const (
	orthoBegUc = 1 << 1
	orthoMidUc = 1 << 2
	orthoUnkUc = 1 << 3
	orthoBegLc = 1 << 4
	orthoMidLc = 1 << 5
	orthoUnkLc = 1 << 6
	orthoUc    = orthoBegUc + orthoMidUc + orthoUnkUc
	orthoLc    = orthoBegLc + orthoMidLc + orthoUnkLc
)

// punktToken is one whitespace-separated word of a line with Punkt's
// annotations.
type punktToken struct {
	tok string // the word, a slice of the line
	// pos is the offset in the line where a sentence ending with this word
	// ends: the whitespace after it, or the end of the line.
	pos       int
	sentBreak bool
	abbr      bool
	// marks holds which characters the word contains, so that the tests
	// that need them are skipped for the many words that do not.
	marks uint8
}

const (
	markEnd    = 1 << iota // . ? ! or 。
	markPeriod             // ends with . or 。
	markDigit
	// markFirst is the first word of its line: only there is "3." a
	// list number (see annotateMultiPeriods).
	markFirst
)

// splitter splits one text's lines into sentences; it reuses its buffers
// from line to line.
type splitter struct {
	model  *sentenceModel
	tokens []punktToken
	// key and typ hold word types (punktType) while they are looked up,
	// so that a word's type costs no allocation.
	key, typ []byte
	w        *work
}

// sentences appends the sentence spans of line, offset by base, to spans.
// A line without sentence breaks is one sentence.
func (s *splitter) sentences(line string, base int, spans []Span) []Span {
	s.tokens = splitPunktWords(line, s.tokens[:0])
	s.w.tick(len(s.tokens))
	s.annotateTypes()
	s.annotateTokens()
	s.annotateMultiPeriods()
	last := 0
	for i := range s.tokens {
		if t := &s.tokens[i]; t.sentBreak {
			spans = appendSentence(spans, line, base, last, t.pos)
			last = t.pos
		}
	}
	if last != len(line) {
		spans = appendSentence(spans, line, base, last, len(line))
	}
	return spans
}

// appendSentence appends line[start:end] without its surrounding space.
func appendSentence(spans []Span, line string, base, start, end int) []Span {
	start, end = trimSpan(line, start, end)
	if start < end {
		spans = append(spans, Span{Start: base + start, End: base + end})
	}
	return spans
}

// splitPunktWords splits text as sentences.DefaultWordTokenizer does: at
// white space and after the CJK full stops, with a word's end recorded
// as the offset of the space after it. Like the original, it only takes
// the last character as the end of the text when that character is one
// byte long, and a text without any boundary is one word.
//
// Only the words the annotations can change are kept: those with a full
// stop, a question or exclamation mark or a digit, and the word after
// each, which they look at. Every other word stays what it starts as, no
// abbreviation and no sentence break, and is skipped by every annotation.
func splitPunktWords(text string, tokens []punktToken) []punktToken {
	n := len(text)
	if n == 0 {
		return tokens
	}
	lastSpace := 0
	var marks uint8      // of the bytes since lastSpace
	filled := false      // a non-space character since lastSpace
	afterMarked := false // the last word had marks
	words := 0           // words found, kept or not
	for i := 0; i < n; {
		c := text[i]
		// Inside a word of ASCII characters, before the last byte: only
		// the marks change.
		if cl := punktByteClass[c]; cl&(punktSpace|punktHigh) == 0 && i != n-1 {
			marks |= cl & (markEnd | markDigit)
			filled = true
			i++
			continue
		}
		size := 1
		space, cjk := false, false
		if c < utf8.RuneSelf {
			space = c == ' ' || '\t' <= c && c <= '\r'
			marks |= byteMarks[c]
		} else {
			var r rune
			r, size = utf8.DecodeRuneInString(text[i:])
			space = unicode.IsSpace(r)
			cjk = isCJKFullStop(r)
			if r == '。' {
				marks |= markEnd
			}
		}
		filled = filled || !space
		at := i
		i += size
		if !space && !cjk && at != n-1 {
			continue
		}
		if cjk {
			at += size
		}
		cursor := at
		if at == n-1 {
			cursor = n
		}
		if !filled {
			continue // only white space since the last word
		}
		words++
		if marks != 0 || afterMarked {
			word := strings.TrimSpace(text[lastSpace:cursor])
			if hasPeriodFinal(word) {
				marks |= markPeriod
			}
			kept := punktToken{tok: word, pos: cursor, marks: marks}
			if words == 1 {
				kept.marks |= markFirst
			}
			tokens = append(tokens, kept)
		}
		afterMarked = marks != 0
		lastSpace, marks, filled = cursor, 0, false
	}
	if words == 0 {
		tokens = append(tokens, punktToken{tok: text, pos: n, marks: wordMarks(text) | markFirst})
	}
	return tokens
}

// punktByteClass classes every byte for splitPunktWords: its marks, and
// whether it is ASCII white space or not ASCII at all.
var punktByteClass = func() (t [256]uint8) {
	for c := range t {
		switch {
		case c >= utf8.RuneSelf:
			t[c] = punktHigh
		case c == ' ' || '\t' <= c && c <= '\r':
			t[c] = punktSpace
		default:
			t[c] = byteMarks[c]
		}
	}
	return t
}()

const (
	punktSpace = 1 << 6
	punktHigh  = 1 << 7
)

// byteMarks are the marks of the ASCII bytes.
var byteMarks = func() (m [utf8.RuneSelf]uint8) {
	m['.'], m['?'], m['!'] = markEnd, markEnd, markEnd
	for c := '0'; c <= '9'; c++ {
		m[c] = markDigit
	}
	return m
}()

func isCJKFullStop(r rune) bool { return r == '。' || r == '；' || r == '！' || r == '？' }

func wordMarks(w string) uint8 {
	var m uint8
	for i := 0; i < len(w); i++ {
		switch c := w[i]; {
		case c == '.' || c == '?' || c == '!':
			m |= markEnd
		case '0' <= c && c <= '9':
			m |= markDigit
		case c == 0xE3 && strings.HasPrefix(w[i:], "。"):
			m |= markEnd
		}
	}
	if hasPeriodFinal(w) {
		m |= markPeriod
	}
	return m
}

// annotateTypes is sentences.TypeBasedAnnotation: a word ending a
// sentence by its punctuation is a break; a word ending in a full stop is
// an abbreviation when the model knows it as one, else a break.
func (s *splitter) annotateTypes() {
	for i := range s.tokens {
		t := &s.tokens[i]
		if t.marks&markEnd == 0 {
			continue
		}
		if hasSentEndChars(t.tok) {
			t.sentBreak = true
			continue
		}
		if t.marks&markPeriod == 0 || strings.HasSuffix(t.tok, "..") {
			continue
		}
		// The original cuts the word at its length in runes, as a byte
		// offset; so does this.
		s.typ = appendLower(s.typ[:0], t.tok[:utf8.RuneCountInString(t.tok)-1])
		noPeriod := s.typ
		lastPart := noPeriod[lastIndexByte(noPeriod, '-')+1:]
		if s.model.abbreviations[string(noPeriod)] != 0 || s.model.abbreviations[string(lastPart)] != 0 {
			t.abbr = true
		} else {
			t.sentBreak = true
		}
	}
}

// annotateTokens is sentences.TokenBasedAnnotation: it looks at each word
// ending in a full stop together with the word after it (collocations,
// the orthographic heuristic, frequent sentence starters, initials and
// ordinals).
func (s *splitter) annotateTokens() {
	for i := 0; i+1 < len(s.tokens); i++ {
		one, two := &s.tokens[i], &s.tokens[i+1]
		if one.marks&markPeriod == 0 {
			continue
		}
		// The key of the collocations is "type,next type".
		s.key = appendPunktType(s.key[:0], one.tok, true)
		split := len(s.key)
		s.key = appendPunktType(append(s.key, ','), two.tok, two.sentBreak)
		typ, nextTyp := s.key[:split], s.key[split+1:]
		initial := isInitial(one.tok)
		if s.model.collocations[string(s.key)] != 0 {
			one.sentBreak, one.abbr = false, true
			continue
		}
		if (one.abbr || strings.HasSuffix(one.tok, "..")) && !initial {
			if s.orthoHeuristic(two) == 1 {
				one.sentBreak = true
				continue
			}
			if isUpperStart(two.tok) && s.model.starters[string(nextTyp)] != 0 {
				one.sentBreak = true
				continue
			}
		}
		if one.tok == "." && two.tok == "." {
			one.sentBreak, two.sentBreak = false, false
			continue
		}
		if initial || string(typ) == "##number##" {
			h := s.orthoHeuristic(two)
			if h == 0 {
				one.sentBreak, one.abbr = false, true
				continue
			}
			if h == -1 && initial && isUpperStart(two.tok) && s.model.ortho[string(nextTyp)]&orthoLc == 0 {
				one.sentBreak, one.abbr = false, true
				continue
			}
		}
	}
}

// annotateMultiPeriods is the English tokenizer's
// MultiPunctWordAnnotation: list numbers (a number and a full stop that
// open a line) are no breaks, and multi-period
// abbreviations ("U.S.") and words ending in a full stop and a closing
// quotation mark end a sentence only when the next word starts one.
func (s *splitter) annotateMultiPeriods() {
	for i := 0; i+1 < len(s.tokens); i++ {
		one, two := &s.tokens[i], &s.tokens[i+1]
		if one.marks&(markEnd|markDigit) == 0 && one.tok != "N°." {
			continue
		}
		// The original takes any number with a full stop for a list
		// number ("1." opening an item), so that "born in 1950. He grew
		// up" or "the score was 3 to 2. Fans cheered" was one sentence.
		// Only a number that opens its line opens a list item; one
		// after other words ends a sentence as any word does.
		if isListNumber(one.tok) && one.marks&markFirst != 0 || one.tok == "N°." {
			one.sentBreak = false
			continue
		}
		if strings.HasSuffix(one.tok, ".") && two.tok == "." {
			one.sentBreak = false
			continue
		}
		unreliable := hasUnreliableEndChars(one.tok)
		coordinate := isCoordinatePartTwo(one.tok)
		if !hasMultiPeriodAbbrev(one.tok) && one.tok != "." && !unreliable && !coordinate {
			continue
		}
		if isInitial(one.tok) {
			continue
		}
		one.abbr, one.sentBreak = true, false
		if s.orthoHeuristic(two) == 1 {
			one.sentBreak = true
			continue
		}
		s.typ = appendPunktType(s.typ[:0], two.tok, two.sentBreak)
		if isUpperStart(two.tok) && (s.model.starters[string(s.typ)] != 0 || unreliable || one.tok == "." || coordinate) {
			one.sentBreak = true
		}
	}
}

// orthoHeuristic is sentences.OrthoContext.Heuristic: 1 when the word
// starts a sentence, 0 when it does not, -1 when the model cannot tell.
func (s *splitter) orthoHeuristic(t *punktToken) int {
	switch t.tok {
	case ";", ":", ",", ".", "!", "?", "；", "：", "，", "。", "！", "？":
		return 0
	}
	s.typ = appendPunktType(s.typ[:0], t.tok, t.sentBreak)
	ctx := s.model.ortho[string(s.typ)]
	if isUpperStart(t.tok) && ctx&orthoLc > 0 && ctx&orthoMidUc == 0 {
		return 1
	}
	if firstLower(t.tok) && (ctx&orthoUc > 0 || ctx&orthoBegLc == 0) {
		return 0
	}
	return -1
}

// punktType is the word's type in the model: lower-cased, a trailing
// number replaced by "##number##" and commas dropped, as
// DefaultWordTokenizer.Type does with the expression
// `-?[\.,]?\d[\d,\.-]*\.?$`.
func punktType(w string) string { return string(appendPunktType(nil, w, false)) }

// punktTypeNoPeriod is punktType without a final period.
func punktTypeNoPeriod(w string) string { return string(appendPunktType(nil, w, true)) }

// appendPunktType appends punktType(w) to dst, or punktTypeNoPeriod(w)
// when noPeriod, without allocating for an ASCII word.
func appendPunktType(dst []byte, w string, noPeriod bool) []byte {
	start := len(dst)
	dst = appendLower(dst, w)
	if i := trailingNumberStart(dst[start:]); i >= 0 {
		dst = append(dst[:start+i], "##number##"...)
	}
	if len(dst)-start > 1 {
		// Commas dropped.
		j := start
		for _, c := range dst[start:] {
			if c != ',' {
				dst[j] = c
				j++
			}
		}
		dst = dst[:j]
	}
	if noPeriod && len(dst)-start > 1 && dst[len(dst)-1] == '.' {
		dst = dst[:len(dst)-1]
	}
	return dst
}

// appendLower appends strings.ToLower(w) to dst.
func appendLower(dst []byte, w string) []byte {
	if !isASCII(w) {
		return append(dst, strings.ToLower(w)...)
	}
	for i := 0; i < len(w); i++ {
		c := w[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}

func lastIndexByte(b []byte, c byte) int {
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] == c {
			return i
		}
	}
	return -1
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
