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
	start, end int // byte offsets into the text
	// starts and shape are copies of the entry's, which most passes over
	// the tokens read and go no further: they are read without a trip to
	// the entry.
	starts, shape uint8
	// The word as written, its fold (lower-cased, curly apostrophes made
	// straight), the Snowball (Porter2) stem of the fold and what the
	// stem cache knows of it, shared by every token of the same word: a
	// token is four words of memory, so the passes over a text's tokens
	// read little.
	*stemEntry
}

// wordInfo is what the stem cache works out once per word for the
// matchers, the source analysis, sentiment, the frame and subjectivity
// cues and the sentence model, so that they need no map look-up per token.
// The fields other than the lexicon's numbers are known when starts has
// startsKnown.
type wordInfo struct {
	// starts says which word lists have an entry whose first word this
	// is, so that their matchers pass over the many words that start
	// nothing (startsKnown and the bits below; 0 when not known).
	starts uint8
	// shape says whether the word as written has a letter, starts with a
	// capital, has an ASCII capital or small letter and an apostrophe
	// (shapeKnown and the bits below).
	shape uint8
	// source is the word's entry in the source analysis's word list
	// (speakers.go), 0 for none.
	source uint16
	// frameHead and subjectivityHead number the built-in frame and
	// subjectivity cues' phrases that start with the word's stem
	// (cueSet.heads, from 1; 0 for none), and near the frame cues' near
	// word the fold is (cueSet.nearRefs, from 1; 0 for none).
	frameHead, subjectivityHead, near uint16
	// stemID and foldID number the word for one matcher (the lexicon's,
	// or the labels' in a comparison; 0 for none): matcher.findAll
	// follows the trie by number when told the tokens carry them.
	stemID, foldID int32
	// vector is the word's number in the word vectors plus one, as the
	// sentence model looks it up (lookupWord); 0 for none.
	vector int32
	// sentiment is what the sentiment rules know of the fold
	// (vader.lookup).
	sentiment vaderWord
}

// The bits of wordInfo.shape.
const (
	shapeKnown uint8 = 1 << iota
	shapeLetter
	shapeCapital
	shapeASCIIUpper
	shapeASCIILower
	shapeApostrophe // a straight one
)

// shapeOf works out the shape bits of a word as written.
func shapeOf(w string) uint8 {
	b := shapeKnown | asciiShape(w)
	if hasLetter(w) {
		b |= shapeLetter
	}
	if isUpperStart(w) {
		b |= shapeCapital
	}
	return b
}

// hasLetter reports whether the token, as written in text, has a letter.
func (t *token) hasLetter(text string) bool {
	if t.shape&shapeKnown != 0 {
		return t.shape&shapeLetter != 0
	}
	return hasLetter(text[t.start:t.end])
}

// capitalised reports whether the token, as written in text, starts with
// an upper-case letter.
func (t *token) capitalised(text string) bool {
	if t.shape&shapeKnown != 0 {
		return t.shape&shapeCapital != 0
	}
	return isUpperStart(text[t.start:])
}

// The bits of token.starts. A "start" bit says the word may begin an
// entry of the list; an "in" bit that it may be any word of one.
const (
	// startsKnown marks the frame, subjectivity and label bits as known;
	// startsLexiconKnown the lexicon bits, which depend on the analyzer.
	startsKnown uint8 = 1 << iota
	startsLexiconKnown
	startsLexicon
	inLexicon
	startsFrame
	startsSubjectivity
	startsLabel
	inLabels
)

// startsNothing reports whether the token is known to start no entry of
// the list whose bit is given (startsLexicon, startsFrame, ...), or, with
// an "in" bit, to be no word of any entry.
func (t *token) startsNothing(bit uint8) bool {
	known := startsKnown
	if bit == startsLexicon || bit == inLexicon {
		known = startsLexiconKnown
	}
	return bit != 0 && t.starts&known != 0 && t.starts&bit == 0
}

// builtinWordInfo gives the wordInfo of a word for the built-in lists:
// its starts bits for the frame cues, subjectivity cues and labels, its
// numbers in the cue sets, the source analysis's and the sentiment
// lexicon's lists and the word vectors. The matcher's numbers are left to
// the caller.
func builtinWordInfo(fold, stem string) wordInfo {
	info := wordInfo{starts: startsKnown, source: sourceWord(fold), sentiment: vaderScorer().words[fold]}
	frames, subjectivity := mustFrames(), mustSubjectivity()
	if info.frameHead = frames.headIndex[stem]; info.frameHead != 0 {
		info.starts |= startsFrame
	}
	if info.subjectivityHead = subjectivity.headIndex[stem]; info.subjectivityHead != 0 {
		info.starts |= startsSubjectivity
	}
	info.near = frames.nearIndex[fold]
	labels := mustLabels().matcher
	if labels.startsWith(fold, stem) {
		info.starts |= startsLabel
	}
	if labels.holds(fold, stem) {
		info.starts |= inLabels
	}
	if vectors, err := builtinVectors(); err == nil {
		info.vector = int32(lookupWord(vectors, fold) + 1)
	}
	return info
}

// cueStartBit is the starts bit of a built-in cue set, or 0.
func cueStartBit(set *cueSet) uint8 {
	switch set.builtin {
	case builtinFrameCues:
		return startsFrame
	case builtinSubjectivityCues:
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
		if c := text[i]; c < utf8.RuneSelf && !asciiWord[c] {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		if !isWordRune(r) {
			i += size
			continue
		}
		start := i
		i += size
		for i < len(text) {
			if c := text[i]; c < utf8.RuneSelf && asciiWord[c] {
				i++
				continue
			}
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
		// Only the offsets are written here: the entry is set by entries,
		// and writing a pointer twice costs the collector's write barrier
		// twice while it runs.
		if len(tokens) < cap(tokens) {
			tokens = tokens[:len(tokens)+1]
		} else {
			tokens = append(tokens, token{})
		}
		t := &tokens[len(tokens)-1]
		t.start, t.end = start, i
		w.tick(1)
	}
	stems.entries(text, tokens)
	return tokens
}

// asciiWord marks the ASCII bytes that are word runes.
var asciiWord = func() (t [utf8.RuneSelf]bool) {
	for c := range t {
		t[c] = isWordRune(rune(c))
	}
	return t
}()

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
	if isASCII(w) {
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

// stemCacheSlots bounds the stem cache: 65,536 recent words as written,
// ample for the working vocabulary of news text (the 216 BASIL articles
// use some 12,000), at a fixed 512 KiB of slots and at most a few MiB of
// entries. A word may sit in any of the stemCacheWays slots of its set,
// the most recently used first, so that a few words that hash alike do
// not keep pushing each other out: with two ways, some 600 of the BASIL
// words did, and were folded and stemmed again on every pass.
const (
	stemCacheSlots = 1 << 16
	stemCacheWays  = 4
)

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
	// info works out a word's wordInfo; nil leaves it unknown.
	info func(fold, stem string) wordInfo
	// common holds the most frequent words of English text, filled once
	// and read-only: a table small enough to stay in the processor's
	// caches, where about half the words of an article are found without
	// a trip to the large table.
	common [commonSlots]commonSlot
}

type stemEntry struct {
	// The word's info comes first: the passes over the tokens read its
	// flags and numbers, which then share one cache line.
	wordInfo
	word, fold, stem string
}

type commonSlot struct {
	hash uint64
	e    *stemEntry
}

// commonSlots sizes the table of common words: a power of two at least
// four times their number, so that they rarely share a slot.
const commonSlots = 2048

// commonWords are frequent words of English news text, each also taken
// with a capital. Which words these are changes only the speed.
var commonWords = strings.Fields(`the of and to a in that is was he for it with as his on be at by i this had not
are but from or have an they which one you were her all she there would their we him been has when who will more
no if out so said what up its about into than them can only other new some could time these two may then do first
any my now such like our over man me even most made after also did many before must through back years where much
your way well down should because each just those people mr how too little state good very make world still own see
men work long get here between both life being under never day same another know while last might us great old year
off come since against go came right used take three says told president government officials police city court
state percent million according house week monday tuesday wednesday thursday friday saturday sunday trump biden
former public including during without another because however since while whether against several between law`)

func newStemCache(info func(fold, stem string) wordInfo) *stemCache {
	c := &stemCache{seed: maphash.MakeSeed(), info: info}
	for _, w := range commonWords {
		for _, form := range []string{w, strings.ToUpper(w[:1]) + w[1:]} {
			h := maphash.String(c.seed, form)
			k := h & (commonSlots - 1)
			if c.common[k].e == nil {
				c.common[k] = commonSlot{hash: h, e: c.newEntry(form)}
			}
		}
	}
	return c
}

// fold returns foldWord(w), from the cache when it can.
func (c *stemCache) fold(w string) string { return c.entry(w).fold }

// entries gives each token its entry. It looks them up in two passes
// over the tokens: the first reads the slot of every word, the second
// the entries the slots hold. The reads of one pass do not wait for each
// other, so the processor fetches many words' slots and entries from
// memory at once, where one look-up after the other would wait for each
// in turn.
func (c *stemCache) entries(text string, tokens []token) {
	if c == nil {
		for i := range tokens {
			t := &tokens[i]
			t.stemEntry = c.entry(text[t.start:t.end])
			t.starts, t.shape = t.stemEntry.starts, t.stemEntry.shape
		}
		return
	}
	for i := range tokens {
		t := &tokens[i]
		w := text[t.start:t.end]
		if len(w) > stemCacheLongest {
			t.stemEntry = nil
			continue
		}
		h := maphash.String(c.seed, w)
		if s := &c.common[h&(commonSlots-1)]; s.hash == h {
			t.stemEntry = s.e
		} else {
			t.stemEntry = c.slots[h&(stemCacheSlots-stemCacheWays)].Load()
		}
	}
	for i := range tokens {
		t := &tokens[i]
		if w := text[t.start:t.end]; t.stemEntry == nil || t.word != w {
			t.stemEntry = c.entry(w)
		}
		t.starts, t.shape = t.stemEntry.starts, t.stemEntry.shape
	}
}

// entry returns the entry of w: its fold, its stem and its wordInfo,
// from the cache when it can. Entries are shared and never changed. A
// nil cache computes every word and leaves the info unknown; a word too
// long for the cache gets an entry of its own.
func (c *stemCache) entry(w string) *stemEntry {
	if c == nil {
		fold := foldWord(w)
		return &stemEntry{word: w, fold: fold, stem: stemWord(fold)}
	}
	if len(w) > stemCacheLongest {
		return c.newEntry(w)
	}
	h := maphash.String(c.seed, w)
	if s := &c.common[h&(commonSlots-1)]; s.hash == h && s.e != nil && s.e.word == w {
		return s.e
	}
	set := c.slots[h&(stemCacheSlots-stemCacheWays):][:stemCacheWays]
	for k := range set {
		if e := set[k].Load(); e != nil && e.word == w {
			if k > 0 {
				toFront(set, k, e)
			}
			return e
		}
	}
	// A new word takes the first slot, pushing out the least recently
	// used.
	e := c.newEntry(w)
	toFront(set, len(set)-1, e)
	return e
}

// toFront moves the words before slot k one slot down and puts e first.
// A reader meanwhile may miss a word and make its entry again: the cache
// changes only the speed of a result.
func toFront(set []atomic.Pointer[stemEntry], k int, e *stemEntry) {
	for j := k; j > 0; j-- {
		set[j].Store(set[j-1].Load())
	}
	set[0].Store(e)
}

// newEntry folds and stems w and works out its info.
func (c *stemCache) newEntry(w string) *stemEntry {
	fold := foldWord(w)
	stem := stemWord(fold)
	// Clone what may be a slice of a large submitted text, which the
	// cache must not keep alive; a word already folded is its own fold.
	e := &stemEntry{word: strings.Clone(w), wordInfo: c.infoOf(fold, stem)}
	e.shape = shapeOf(w)
	e.fold, e.stem = e.word, e.word
	if fold != w {
		e.fold = strings.Clone(fold)
	}
	if stem != fold {
		e.stem = strings.Clone(stem)
	} else {
		e.stem = e.fold
	}
	return e
}

func (c *stemCache) infoOf(fold, stem string) wordInfo {
	if c.info == nil {
		return wordInfo{}
	}
	return c.info(fold, stem)
}

// builtinInfo is the wordInfo of a word for the built-in lists, its
// numbers those of the labels' matcher: the stem cache of comparisons.
func builtinInfo(fold, stem string) wordInfo {
	info := builtinWordInfo(fold, stem)
	info.stemID, info.foldID = mustLabels().matcher.wordIDs(fold, stem)
	return info
}
