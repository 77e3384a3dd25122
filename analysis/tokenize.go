package analysis

import (
	"hash/maphash"
	"strings"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"github.com/kljensen/snowball/english"
	"golang.org/x/text/unicode/norm"
)

// token is one word of the text: a run of letters, digits and combining
// marks, with apostrophes inside it kept ("don't", "Trump’s"). Hyphens split
// words, so "crime-ridden" is two tokens and matches the term
// "crime ridden" as well as "crime-ridden".
type token struct {
	start, end int    // byte offsets into the text
	fold       string // lower-cased, curly apostrophes made straight
	stem       string // Snowball (Porter2) stem of fold
	// starts says which word lists have an entry whose first word this
	// is, so that their matchers pass over the many words that start
	// nothing without a map look-up each (startsKnown and the bits
	// below; 0 when not known).
	starts uint8
}

// The bits of token.starts.
const (
	// startsKnown marks the frame, subjectivity and label bits as known;
	// startsLexiconKnown the lexicon bit, which depends on the analyzer.
	startsKnown uint8 = 1 << iota
	startsLexiconKnown
	startsLexicon
	startsFrame
	startsSubjectivity
	startsLabel
)

// startsNothing reports whether the token is known to start no entry of
// the list whose bit is given (startsLexicon, startsFrame, ...).
func (t *token) startsNothing(bit uint8) bool {
	known := startsKnown
	if bit == startsLexicon {
		known = startsLexiconKnown
	}
	return bit != 0 && t.starts&known != 0 && t.starts&bit == 0
}

// builtinStarts gives the starts bits of a word for the built-in lists:
// frame cues, subjectivity cues and labels.
func builtinStarts(fold, stem string) uint8 {
	b := startsKnown
	if _, ok := mustFrames().first[stem]; ok {
		b |= startsFrame
	}
	if _, ok := mustSubjectivity().first[stem]; ok {
		b |= startsSubjectivity
	}
	if mustLabels().matcher.startsWith(fold, stem) {
		b |= startsLabel
	}
	return b
}

// cueStartBit is the starts bit of a built-in cue set, or 0.
func cueStartBit(set *cueSet) uint8 {
	switch set {
	case mustFrames():
		return startsFrame
	case mustSubjectivity():
		return startsSubjectivity
	}
	return 0
}

// tokenize splits text into tokens with byte offsets. Normalisation happens
// on the token's copy, never on the text, so offsets keep pointing at the
// words as submitted.
func tokenize(text string, stems *stemCache) []token {
	return tokenizeInto(text, stems, nil, nil)
}

// tokenizeInto is tokenize appending to buf[:0], counting its work on w.
func tokenizeInto(text string, stems *stemCache, buf []token, w *work) []token {
	tokens := buf[:0]
	if cap(tokens) == 0 {
		tokens = make([]token, 0, len(text)/5+1)
	}
	i := 0
	for i < len(text) {
		r, size := utf8.DecodeRuneInString(text[i:])
		if !isWordRune(r) {
			i += size
			continue
		}
		start := i
		i += size
		for i < len(text) {
			r, size = utf8.DecodeRuneInString(text[i:])
			if isWordRune(r) {
				i += size
				continue
			}
			if isApostrophe(r) && i+size < len(text) {
				next, _ := utf8.DecodeRuneInString(text[i+size:])
				if unicode.IsLetter(next) {
					i += size
					continue
				}
			}
			break
		}
		fold, stem, starts := stems.word(text[start:i])
		tokens = append(tokens, token{start: start, end: i, fold: fold, stem: stem, starts: starts})
		w.tick(1)
	}
	return tokens
}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

func isApostrophe(r rune) bool {
	return r == '\'' || r == '\u2019' || r == '\u02bc'
}

// foldWord lower-cases a word and straightens its apostrophes, the form in
// which lexicon terms are compared.
func foldWord(w string) string {
	ascii := true
	for i := 0; i < len(w); i++ {
		if w[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToLower(w)
	}
	w = norm.NFKC.String(w)
	w = strings.Map(func(r rune) rune {
		if isApostrophe(r) {
			return '\''
		}
		return unicode.ToLower(r)
	}, w)
	return w
}

// stemWord reduces a folded word to its Porter2 stem, so that "hellholes"
// meets "hellhole" and "slammed" meets "slam".
func stemWord(fold string) string {
	if len(fold) < 3 {
		return fold
	}
	return english.Stem(fold, true)
}

// wordKeys gives the comparison keys of a lexicon form: folded words when
// exact, stems otherwise.
func wordKeys(form string, exact bool) []string {
	toks := tokenize(form, nil)
	keys := make([]string, len(toks))
	for i, t := range toks {
		if exact {
			keys[i] = t.fold
		} else {
			keys[i] = t.stem
		}
	}
	return keys
}

// joinable reports whether two neighbouring tokens may belong to one
// phrase: only spaces and hyphens (of any kind) may stand between them.
func joinable(text string, prev, next token) bool {
	gap := text[prev.end:next.start]
	if gap == "" {
		return false
	}
	for _, r := range gap {
		switch {
		case r == ' ' || r == '\t' || r == '\n' || r == '\u00a0':
		case r == '-' || r == '\u2010' || r == '\u2011':
		default:
			return false
		}
	}
	return strings.Count(gap, "\n") < 2
}

// stemCacheSlots bounds the stem cache: 32,768 recent words, ample for
// the working vocabulary of news text (the 216 BASIL articles use some
// 13,000 forms), at a fixed 256 KiB of slots.
const stemCacheSlots = 1 << 15

// stemCacheLongest is the longest word the cache keeps: longer ones are
// rare, and a hostile text of one long word must not stay in memory.
const stemCacheLongest = 48

// stemCache remembers the folded form and the stem of recently seen words
// as written, because folding and stemming are most of the cost of
// tokenizing. Slots are overwritten, never locked: a reader sees a whole
// entry or none, so what the cache holds changes only the speed of a
// result, never the result.
type stemCache struct {
	seed  maphash.Seed
	slots [stemCacheSlots]atomic.Pointer[stemEntry]
	// starts gives a word's token.starts bits; nil leaves them unknown.
	starts func(fold, stem string) uint8
}

type stemEntry struct {
	word, fold, stem string
	starts           uint8
}

func newStemCache(starts func(fold, stem string) uint8) *stemCache {
	return &stemCache{seed: maphash.MakeSeed(), starts: starts}
}

// word returns foldWord(w), its stem and its token.starts bits, from the
// cache when it can. A nil cache computes every word and leaves the bits
// unknown.
func (c *stemCache) word(w string) (fold, stem string, starts uint8) {
	if c == nil || len(w) > stemCacheLongest {
		fold = foldWord(w)
		return fold, stemWord(fold), 0
	}
	slot := &c.slots[maphash.String(c.seed, w)&(stemCacheSlots-1)]
	if e := slot.Load(); e != nil && e.word == w {
		return e.fold, e.stem, e.starts
	}
	fold = foldWord(w)
	stem = stemWord(fold)
	if c.starts != nil {
		starts = c.starts(fold, stem)
	}
	// Clone what may be a slice of a large submitted text, which the
	// cache must not keep alive; a word already folded is its own fold.
	e := &stemEntry{word: strings.Clone(w), starts: starts}
	e.fold, e.stem = e.word, e.word
	if fold != w {
		e.fold = strings.Clone(fold)
	}
	if stem != fold {
		e.stem = strings.Clone(stem)
	} else {
		e.stem = e.fold
	}
	slot.Store(e)
	return fold, stem, starts
}
