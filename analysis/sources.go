package analysis

import (
	"cmp"
	"fmt"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// SourceProfile is who an article lets speak, and how: every quotation
// with its speaker, every "X said that ..." and every claim put to
// anonymous sources, to whole groups or to nobody at all.
type SourceProfile struct {
	// Speakers are the distinct named people, organisations and
	// identified bodies the article attributes words to, in order of
	// their first attribution. A speaker named in full once and by
	// surname or pronoun later is one speaker.
	Speakers []Speaker `json:"speakers"`
	// Attributions lists every attribution in text order.
	Attributions []Attribution `json:"attributions"`
	// NamedSources counts the distinct named people and organisations
	// that are quoted or paraphrased.
	NamedSources int `json:"named_sources"`
	// DirectQuotes counts quotations; UnattributedQuotes those whose
	// speaker was not found.
	DirectQuotes       int `json:"direct_quotes"`
	UnattributedQuotes int `json:"unattributed_quotes"`
	// Paraphrases counts reported speech put to named or identified
	// sources ("Rocha said that ...").
	Paraphrases int `json:"paraphrases"`
	// AnonymousSources counts attributions to unnamed sources ("three
	// people familiar with the matter said").
	AnonymousSources int `json:"anonymous_sources"`
	// GroupAttributions counts views put to whole groups ("critics
	// warn").
	GroupAttributions int `json:"group_attributions"`
	// UnattributedClaims counts claims put to nobody in particular
	// ("some believe", "it is widely thought", "reportedly").
	UnattributedClaims int `json:"unattributed_claims"`
	// LoadedVerbs counts attributions whose verb of saying is graded
	// loaded.
	LoadedVerbs int `json:"loaded_verbs"`
	// Words and QuotedWords count words with letters, all and inside
	// quotation marks; QuotedShare is their ratio.
	Words       int     `json:"words"`
	QuotedWords int     `json:"quoted_words"`
	QuotedShare float64 `json:"quoted_share"`
}

// Speaker is one person, organisation or identified body an article
// quotes or paraphrases.
type Speaker struct {
	// ID is the speaker's key within the article ("claudia-sheinbaum");
	// Attribution.Speaker refers to it.
	ID string `json:"id"`
	// Name is the fullest form of the name the article gives.
	Name string `json:"name"`
	// Kind is "person", "organization" or "institution".
	Kind string `json:"kind"`
	// Role is the first title or description given ("Mexican
	// President", "who resigned late last year from the Mexican foreign
	// ministry"); Roles lists every distinct one, in text order.
	Role  string   `json:"role"`
	Roles []string `json:"roles"`
	// Aliases are the other ways the article names the speaker
	// ("Sheinbaum", "She"), in text order.
	Aliases []string `json:"aliases"`
	// Quotes and Paraphrases count the speaker's direct and reported
	// words; QuotedWords the words inside the speaker's quotations.
	Quotes      int `json:"quotes"`
	Paraphrases int `json:"paraphrases"`
	QuotedWords int `json:"quoted_words"`
	// Verbs are the distinct verbs of saying used for the speaker, as
	// written and lower-cased, in text order; LoadedVerbs those graded
	// loaded.
	Verbs       []string `json:"verbs"`
	LoadedVerbs []string `json:"loaded_verbs"`
	// First is the byte offset of the speaker's first attribution.
	First int `json:"first"`
}

// Attribution is one piece of the text put to a source: a quotation
// (mode "direct") or reported speech, a view or a claim ("indirect").
type Attribution struct {
	// Start and End delimit the quotation, marks included (direct), or
	// the sentence holding the attribution (indirect).
	Start int    `json:"start"`
	End   int    `json:"end"`
	Mode  string `json:"mode"`
	// SourceType is "named", "institution", "anonymous", "group",
	// "unattributed" or, for a quotation whose speaker was not found,
	// "unknown".
	SourceType string `json:"source_type"`
	// Speaker is the Speaker.ID for named and institution sources.
	Speaker string `json:"speaker"`
	// Source is the words naming the source as written ("Rocha", "She",
	// "three people familiar with the matter", "Critics"), at
	// SourceSpan; empty when the text names none.
	Source     string `json:"source"`
	SourceSpan Span   `json:"source_span,omitzero"`
	// Verb is the verb of saying as written, lower-cased ("said",
	// "claimed", "according to"), or of naming before a quotation
	// ("called the rise “daylight robbery”"), at VerbSpan; Lemma its
	// base form. Empty for captions and continued quotations.
	Verb     string `json:"verb"`
	Lemma    string `json:"lemma"`
	VerbSpan Span   `json:"verb_span,omitzero"`
	// Grade is "neutral", "loaded" (with Reason) or "none" (no verb).
	Grade  string `json:"grade"`
	Reason string `json:"reason,omitempty"`
	// Via says how a quotation's speaker was found: "clause" (in the
	// sentence: "Rocha added", "She emphasized,"), "caption" (the line
	// under a quotation standing alone), "continuation" (a quotation
	// following the same speaker's in one paragraph) or "" when not found.
	Via string `json:"via"`
}

// Attribution modes.
const (
	ModeDirect   = "direct"
	ModeIndirect = "indirect"
)

func (a *Analyzer) sources(text string, tokens []token, quotes []Span, sentences []Span, sc *sourceScratch, w *work) SourceProfile {
	return extractSources(text, tokens, quotes, sentences, a.stems, sc, w)
}

// sourceScratch is the memory the source analysis uses only while it
// runs, reused by the next analysis; nothing in a SourceProfile points
// into it.
type sourceScratch struct {
	lex        []uint16
	tq, ts     []int32
	sentTo     [][2]int
	newlines   []int
	cands      []candidate
	mentions   []nounPhrase
	quoteSrc   []quoteLink
	byPosition []int
	words      []string
	quoteWords []int
	recEnt     []int32 // the speakers of the attributions before sorting
	order      []int
	ent        []int32 // the speakers of the sorted attributions
	// The extractor's maps, emptied after each analysis; dropped when one
	// has grown past scratchMapKept, so that clearing stays cheap.
	index     map[entityKey][]*srcEntity
	filed     map[filing]bool
	startCand map[int]int
}

// scratchMapKept bounds the maps the source analysis keeps for the next.
const scratchMapKept = 1 << 10

// kept is the scratch with the buffers x grew, for the next analysis.
func (sc *sourceScratch) keep(x *extractor) {
	d := x.d
	sc.lex, sc.tq, sc.ts, sc.sentTo = d.lex[:0], d.tq[:0], d.ts[:0], d.sentTo[:0]
	if d.newlines != nil {
		sc.newlines = d.newlines[:0]
	}
	// What the buffers point to (the text, its speakers) belongs to the
	// report just made: the parts used are cleared so as not to keep it
	// alive (the rest was cleared after the analysis that used it).
	clear(x.cands)
	clear(x.mentions)
	clear(x.words[:cap(x.words)]) // used as a buffer, at any length
	sc.cands, sc.mentions, sc.quoteSrc = x.cands[:0], x.mentions[:0], x.quoteSrc[:0]
	sc.byPosition, sc.words = x.byPosition[:0], x.words[:0]
	sc.recEnt, sc.ent = sc.recEnt[:0], sc.ent[:0]
	sc.index, sc.filed, sc.startCand = nil, nil, nil
	if len(x.index) <= scratchMapKept && len(x.filed) <= scratchMapKept && len(x.startCand) <= scratchMapKept {
		clear(x.index)
		clear(x.filed)
		clear(x.startCand)
		sc.index, sc.filed, sc.startCand = x.index, x.filed, x.startCand
	}
}

// trim drops the buffers that grew past scratchKept.
func (sc *sourceScratch) trim() {
	sc.lex, sc.tq, sc.ts, sc.sentTo, sc.newlines = kept(sc.lex), kept(sc.tq), kept(sc.ts), kept(sc.sentTo), kept(sc.newlines)
	sc.cands, sc.mentions, sc.quoteSrc, sc.byPosition = kept(sc.cands), kept(sc.mentions), kept(sc.quoteSrc), kept(sc.byPosition)
	sc.words, sc.quoteWords, sc.recEnt, sc.order, sc.ent = kept(sc.words), kept(sc.quoteWords), kept(sc.recEnt), kept(sc.order), kept(sc.ent)
}

// extractSources builds the source profile from the analyzer's tokens,
// quotations and sentences, in one pass over the tokens with short looks
// around names and verbs of saying. Every look is bounded or indexed, so
// the work stays linear in the text however it is built.
func extractSources(text string, tokens []token, quotes []Span, sentences []Span, stems *stemCache, sc *sourceScratch, w *work) SourceProfile {
	if sc == nil {
		sc = &sourceScratch{}
	}
	if sc.index == nil {
		sc.index, sc.filed = map[entityKey][]*srcEntity{}, map[filing]bool{}
	}
	// An analysis stopped by its context leaves its maps as they were.
	clear(sc.index)
	clear(sc.filed)
	clear(sc.startCand)
	x := &extractor{d: newSrcDoc(text, tokens, quotes, sentences, sc), index: sc.index,
		filed: sc.filed, startCand: sc.startCand, lastNP: -1, w: w, stems: stems,
		cands: slices.Grow(sc.cands[:0], len(tokens)/40+1), mentions: slices.Grow(sc.mentions[:0], len(sentences)/2+1),
		byPosition: sc.byPosition[:0], words: sc.words[:0], scratch: sc}
	x.findCandidates()
	x.indexCandidates()
	x.resolve()
	x.linkQuotes()
	p := x.profile()
	sc.keep(x)
	return p
}

// Bounds on what one speaker accumulates: far above what any article
// gives one person, they keep a hostile text from making each new
// mention compare itself with thousands before it.
const (
	// entityLookBack is how many of the speakers filed under one name
	// (most recent first) a new mention is compared with.
	entityLookBack = 64
	// maxRoles is the most roles one speaker keeps.
	maxRoles = 32
)

// candidate is one verb of saying (or relayed report, or hedge) with the
// phrase that names its source.
type candidate struct {
	sent                int
	verbFirst, verbLast int // tokens; -1 when the attribution has no verb
	verb                *sayVerb
	np                  nounPhrase
	hasNP               bool
	start, end          int // first and last token of the whole clause
	participle          bool
	copied              int // index of the candidate whose subject a participle shares, or -1
	// coordinated marks a verb that shares the subject of the one before
	// it ("… and said"); copied is that one.
	coordinated bool

	source string
	ent    *srcEntity
	used   bool
	drop   bool
}

// quoteOnly reports whether the candidate's verb speaks only through the
// quotation after it ("called the rise “daylight robbery”"): unused by a
// quotation, it attributes nothing.
func (c *candidate) quoteOnly() bool { return c.verb != nil && c.verb.quoteOnly }

// srcEntity is a speaker as the text builds it up mention by mention.
type srcEntity struct {
	kind     string
	words    []string // the fullest name, word by word
	key      string   // folded name (organisations, institutions)
	initials []string // nameInitials(words) (organisations, institutions)
	surname  string   // folded last word (people)
	given    string   // folded first word (people)
	roles    []string
	aliases  distinctStrings
	seq      int

	attributions int
	first        int
	quotes       int
	paraphrases  int
	quotedWords  int
	verbs        distinctStrings
	loadedVerbs  distinctStrings
	id           string
}

type extractor struct {
	d        *srcDoc
	cands    []candidate
	mentions []nounPhrase
	ents     []*srcEntity
	index    map[entityKey][]*srcEntity // kind and surname, name or initials -> entities
	filed    map[filing]bool            // which entities index holds under which key
	quoteSrc []quoteLink
	w        *work
	stems    *stemCache // for folding names; nil folds each
	words    []string   // buffer of entityFor

	// lastNP is the last candidate with a source phrase, -1 before any.
	lastNP int
	// startCand maps a token to the first candidate whose clause starts
	// there; byPosition lists the candidates with a phrase by the offset of
	// their clause's first token (indexCandidates).
	startCand  map[int]int
	byPosition []int
	// scratch lends the buffers of the attribution records.
	scratch *sourceScratch
}

// entityKey files a speaker: its kind, and a folded surname (people), or
// a folded name or initials (organisations, institutions).
type entityKey struct {
	kind, name string
}

// filing is one entry of extractor.index.
type filing struct {
	key entityKey
	e   *srcEntity
}

// quoteLink is how one quotation was attributed. It holds no pointer,
// so that a text of many thousand quotations adds nothing for the
// collector to trace.
type quoteLink struct {
	cand int32 // candidate index, or -1
	ent  int32 // the speaker's index in extractor.ents, or -1
	// first and last are the tokens of the name under a quotation found
	// by its caption.
	first, last int32
	src         uint8 // index into sourceTypes
	via         uint8 // index into quoteVias
	has         bool
}

// sourceTypes and quoteVias are the values of Attribution.SourceType and
// Attribution.Via a quotation's link can take, by number.
var (
	sourceTypes = []string{"", SourceNamed, SourceInstitution, SourceAnonymous, SourceGroup, SourceUnattributed, SourceUnknown}
	quoteVias   = []string{"", viaClause, viaCaption, viaContinuation}
)

// How a quotation's speaker was found (Attribution.Via), and its number
// in quoteVias.
const (
	viaClause       = "clause"
	viaCaption      = "caption"
	viaContinuation = "continuation"

	linkByClause       uint8 = 1
	linkByCaption      uint8 = 2
	linkByContinuation uint8 = 3
)

// sourceTypeCode is the number of a source type in sourceTypes.
func sourceTypeCode(s string) uint8 {
	if i := slices.Index(sourceTypes, s); i >= 0 {
		return uint8(i)
	}
	panic("analysis: unknown source type " + s)
}

// linkOf is a quotation's link to candidate ci (or -1), speaker e (or
// nil), source type src and way via.
func linkOf(ci int, e *srcEntity, src string, via uint8) quoteLink {
	l := quoteLink{cand: int32(ci), ent: -1, src: sourceTypeCode(src), via: via}
	if e != nil {
		l.ent = int32(e.seq)
	}
	return l
}

// speaker returns the speaker of index i in x.ents, or nil for -1.
func (x *extractor) speaker(i int32) *srcEntity {
	if i < 0 {
		return nil
	}
	return x.ents[i]
}

// findCandidates walks the sentences once, outside quotations, noting
// the people named and every verb of saying, relayed report, impersonal
// "it is thought" and hedging adverb.
func (x *extractor) findCandidates() {
	d := x.d
	for s := range d.sents {
		a, b := d.sentTo[s][0], d.sentTo[s][1]
		if a >= b {
			continue
		}
		for i := a; i < b; i++ {
			x.w.tick(1)
			if d.tq[i] >= 0 {
				continue
			}
			x.mention(i, a, b)
			f := d.fold(i)
			if vf := d.verbAt(i); vf.verb != nil {
				// A capitalised verb inside a sentence is part of a name
				// ("United States") or a heading ("LEAVE A REPLY").
				if i == a || !d.isCap(i) {
					x.verbCandidate(s, i, vf, a, b)
				}
				continue
			}
			switch {
			case d.is(i, fRelay):
				x.relayCandidate(s, i, a)
			case f == "it":
				x.impersonalCandidate(s, i, b)
			case d.hedgeAt(i) != nil:
				x.add(candidate{sent: s, verbFirst: i, verbLast: i, verb: d.hedgeAt(i), start: i, end: i, source: SourceUnattributed, copied: -1})
			}
		}
	}
}

// mention records the people a sentence names, for pronouns and for
// names given in full before a speaker is attributed by surname: the
// subject that opens a sentence ("Greta Hollis, who runs a bakery, ...")
// and any name with a title ("Mexican President Claudia Sheinbaum",
// "Ms. Sheinbaum").
func (x *extractor) mention(i, a, b int) {
	d := x.d
	if !d.isNameToken(i) || i > a && d.joined(i) && d.isNameToken(i-1) {
		return
	}
	last := d.capRunForward(i, b)
	np, ok := d.namedPhrase(i, last)
	if !ok || np.source != SourceNamed || np.kind != KindPerson {
		return
	}
	titled := np.role != "" || np.honorific
	opening := i == a && last+1 < b
	if titled || opening {
		x.mentions = append(x.mentions, np)
	}
}

func (x *extractor) add(c candidate) {
	if c.hasNP {
		x.lastNP = len(x.cands)
	}
	x.cands = append(x.cands, c)
}

// indexCandidates builds the look-ups of candAt and speakerBetween once
// the candidates are known.
func (x *extractor) indexCandidates() {
	if x.startCand == nil {
		x.startCand = make(map[int]int, len(x.cands))
	}
	for ci := range x.cands {
		c := &x.cands[ci]
		if _, ok := x.startCand[c.start]; !ok {
			x.startCand[c.start] = ci
		}
		if c.hasNP {
			x.byPosition = append(x.byPosition, ci)
		}
	}
	slices.SortStableFunc(x.byPosition, func(i, j int) int { return cmp.Compare(x.clauseOffset(i), x.clauseOffset(j)) })
	x.w.tick(len(x.cands))
}

// clauseOffset is the byte offset of the first token of candidate ci's
// clause.
func (x *extractor) clauseOffset(ci int) int { return x.d.toks[x.cands[ci].start].start }

// candAt returns the first candidate whose clause starts at token k.
// A clause lies inside one sentence, so such a candidate is in token k's.
func (x *extractor) candAt(k int) (int, bool) {
	if k < 0 || k >= len(x.d.toks) || x.d.ts[k] < 0 {
		return -1, false
	}
	ci, ok := x.startCand[k]
	if !ok {
		return -1, false
	}
	return ci, true
}

// inSentence returns the range of candidates in sentence s: candidates
// are found sentence by sentence, so they are sorted by sentence.
func (x *extractor) inSentence(s int) (int, int) {
	from := sort.Search(len(x.cands), func(i int) bool { return x.cands[i].sent >= s })
	to := sort.Search(len(x.cands), func(i int) bool { return x.cands[i].sent > s })
	return from, to
}

// verbCandidate finds the source of the verb of saying at token i: the
// phrase right before it ("Rocha added", "three people familiar with the
// matter said"), before an appositive ("Arturo Rocha, who resigned ...,
// commented"), the clause's subject for a participle ("..., saying"), or
// the phrase after it ("said Sheinbaum", "according to officials").
func (x *extractor) verbCandidate(s, i int, vf verbForm, a, b int) {
	d := x.d
	last := i
	if vf.verb.next != "" {
		if i+1 >= b || !d.joined(i+1) || d.fold(i+1) != vf.verb.next {
			return
		}
		last = i + 1
	}
	c := candidate{sent: s, verbFirst: i, verbLast: last, verb: vf.verb, participle: vf.participle, copied: -1}
	if vf.verb.lemma == "according to" {
		x.accordingTo(c, b)
		return
	}
	// A verb that speaks only through a quotation needs one after its
	// object; without an object it may still name what comes before its
	// subject ("what Hale called “daylight robbery”").
	object := 0
	if vf.verb.quoteOnly {
		if object = d.namingObject(last, b); object < 0 {
			return
		}
	}
	// The subject right before the verb, past words such as "also".
	j := i - 1
	passive := false
	for j >= a && d.joined(j+1) && d.is(j, fSkip) {
		passive = passive || d.is(j, fBe)
		j--
	}
	if passive && vf.verb.naming && !vf.participle {
		return // "the board was branded ...": the board is what is named
	}
	if j >= a && d.joined(j+1) {
		if np, ok := d.phraseEndingAt(j, a); ok {
			if x.nested(np.first, a) {
				return
			}
			if vf.verb.quoteOnly && object == 0 && !d.frontedObject(np.first, a) {
				return // "a company called “Acme”" names no speaker
			}
			c.np, c.hasNP, c.start, c.end = np, true, np.first, last
			x.add(c)
			return
		}
		if !c.participle && d.is(j, fCoordinator) && !(vf.verb.quoteOnly && object == 0) {
			x.coordinatedSubject(c)
			return
		}
	}
	if vf.verb.quoteOnly && object == 0 {
		return
	}
	if c.participle {
		x.participleSubject(c, a, b)
		return
	}
	if j >= a && d.commaBefore(j+1) {
		if np, ok := x.appositive(j+1, a); ok {
			c.np, c.hasNP, c.start, c.end = np, true, np.first, last
			x.add(c)
			return
		}
	}
	if !vf.verb.naming {
		// After a verb of naming, the phrase is what is named: "called
		// Smith “a liar”".
		x.invertedSubject(c, a, b)
	}
}

// maxNamingObject bounds the words between a verb of naming and the
// quotation that names its object: "called the 9 percent rise in
// household rates “daylight robbery”".
const maxNamingObject = 10

// namingObject returns how many words stand between the verb of naming
// ending at token last and the quotation after them in the sentence
// (ending before token b), or -1 when none comes within maxNamingObject
// words, before a clause opens ("and", "which") or another verb of
// saying. A particle after the verb makes another verb: "called for a
// vote", "called on the council to “act now”" name nothing.
func (d *srcDoc) namingObject(last, b int) int {
	if last+1 < b && d.joined(last+1) && d.is(last+1, fParticleAfter) {
		return -1
	}
	for k := last + 1; k < b && k-last-1 <= maxNamingObject; k++ {
		switch {
		case d.tq[k] >= 0:
			return k - last - 1
		case d.verbAt(k).verb != nil && !d.determined(k), d.is(k, fOpener|fRelative) && d.fold(k) != "as":
			return -1
		}
	}
	return -1
}

// determined reports whether token k follows a determiner or a
// possessive, which makes a verb of saying a noun: "called Steele's
// comments “unacceptable”".
func (d *srcDoc) determined(k int) bool {
	return k > 0 && d.joined(k) && (d.isPossessive(k-1) || d.is(k-1, fDeterminer))
}

// frontedObject reports whether the subject starting at token first
// follows the object it names: "what Hale called “daylight robbery”",
// "a rise, which Hale called “robbery”".
func (d *srcDoc) frontedObject(first, a int) bool {
	p := first - 1
	return p >= a && d.joined(first) && d.is(p, fRelative)
}

// coordinatedSubject gives "… and said", "… but added" the subject of the
// verb before it in the sentence: "Hale called the rise “daylight
// robbery” and said families could not afford it".
func (x *extractor) coordinatedSubject(c candidate) {
	k := x.lastNP
	if k < 0 || x.cands[k].sent != c.sent || x.cands[k].verbLast >= c.verbFirst {
		return
	}
	c.np, c.hasNP, c.copied, c.coordinated = x.cands[k].np, true, k, true
	c.start, c.end = c.verbFirst, c.verbLast
	x.add(c)
}

// accordingTo adds "according to" with the phrase after it, unless that
// is a pronoun.
func (x *extractor) accordingTo(c candidate, b int) {
	d := x.d
	last := c.verbLast
	if last+1 >= b || !d.joined(last+1) {
		return
	}
	if np, ok := d.phraseStartingAt(last+1, b); ok && !np.pronoun {
		c.np, c.hasNP, c.start, c.end = np, true, c.verbFirst, np.last
		x.add(c)
	}
}

// participleSubject gives "..., saying", "..., stating" the subject of
// its clause: the latest source phrase of the sentence, or the phrase
// that opens it.
func (x *extractor) participleSubject(c candidate, a, b int) {
	d := x.d
	i := c.verbFirst
	if !d.commaBefore(i) {
		return
	}
	// Candidates come sentence by sentence, so the latest candidate with a
	// source phrase is this sentence's if it is in this sentence.
	if k := x.lastNP; k >= 0 && x.cands[k].sent == c.sent {
		c.np, c.hasNP, c.copied = x.cands[k].np, true, k
		c.start, c.end = i, c.verbLast
		x.add(c)
		return
	}
	if np, ok := d.phraseStartingAt(a, b); ok && np.last < i {
		c.np, c.hasNP, c.start, c.end = np, true, i, c.verbLast
		x.add(c)
	}
}

// invertedSubject reads the speaker after the verb: "“...,” said Walter
// Prynne", "..., said one official".
func (x *extractor) invertedSubject(c candidate, a, b int) {
	d := x.d
	i, last := c.verbFirst, c.verbLast
	if !(i == a || !d.joined(i)) || last+1 >= b || !d.joined(last+1) {
		return
	}
	np, ok := d.phraseStartingAt(last+1, b)
	if !ok || np.source == SourceUnattributed || np.source == SourceGroup {
		return
	}
	if np.source == SourceNamed {
		np.appositive = d.trailingAppositive(np.last, b)
	}
	c.np, c.hasNP, c.start, c.end = np, true, i, np.last
	x.add(c)
}

// nested reports whether a subject starting at token first follows another
// verb of saying ("Ms. Sheinbaum said U.S. officials had told her"): the
// inner verb is part of what is reported, not an attribution of its own.
func (x *extractor) nested(first, a int) bool {
	d := x.d
	p := first - 1
	if p < a || !d.joined(first) {
		return false
	}
	if d.fold(p) == "that" && p-1 >= a && d.joined(p) {
		p--
	}
	return d.verbAt(p).verb != nil
}

// appositive looks left from the comma before token g for the speaker of
// "X, the Y, said" or "X, who ..., said": the nearest phrase that ends at a
// comma and starts a clause. The words between become the speaker's role.
func (x *extractor) appositive(g, a int) (nounPhrase, bool) {
	d := x.d
	verbComma := g
	for tries := 0; tries < 4 && g > a; tries++ {
		if d.tq[g-1] >= 0 {
			return nounPhrase{}, false
		}
		if np, ok := d.phraseEndingAt(g-1, a); ok && !np.pronoun && d.clauseStartsAt(np.first, a) && np.source != SourceUnattributed {
			if g < verbComma && np.source == SourceNamed {
				np.appositive = strings.TrimSpace(d.text[d.toks[g].start:d.toks[verbComma-1].end])
			}
			return np, true
		}
		h := g - 1
		for h > a && !d.commaBefore(h) {
			if !d.joined(h) {
				return nounPhrase{}, false
			}
			h--
		}
		if h <= a {
			return nounPhrase{}, false
		}
		g = h
	}
	return nounPhrase{}, false
}

// relayCandidate records "a New York Times report", "NYT's report": the
// article relays a named outlet's or body's account.
func (x *extractor) relayCandidate(s, i, a int) {
	d := x.d
	j := i - 1
	if j < a || !d.joined(i) || !d.isCap(j) {
		return
	}
	first := d.capRunBack(j, a)
	np, ok := d.namedPhrase(first, j)
	if !ok || np.source != SourceNamed {
		return
	}
	if np.kind != KindOrganization && np.nameLast-np.nameFirst < 1 && !d.isPossessive(j) {
		return
	}
	x.add(candidate{sent: s, verbFirst: i, verbLast: i, verb: &relayVerb, np: np, hasNP: true, start: np.first, end: i, copied: -1})
}

var relayVerb = sayVerb{lemma: "report"}

// impersonalCandidate records "it is widely thought", "it was believed".
func (x *extractor) impersonalCandidate(s, i, b int) {
	d := x.d
	k := i + 1
	if k >= b || !d.joined(k) {
		return
	}
	switch d.fold(k) {
	case "is", "was":
	case "has":
		if k+1 >= b || d.fold(k+1) != "been" {
			return
		}
		k++
	default:
		return
	}
	k++
	for k < b && d.joined(k) && d.is(k, fImpersonalAdverb) {
		k++
	}
	if k >= b || !d.joined(k) || !d.is(k, fImpersonalVerb) {
		return
	}
	verb := &sayVerb{lemma: d.fold(k)}
	if vf := d.verbAt(k); vf.verb != nil {
		verb = vf.verb
	}
	np := nounPhrase{first: i, last: k, nameFirst: -1, source: SourceUnattributed}
	x.add(candidate{sent: s, verbFirst: k, verbLast: k, verb: verb, np: np, hasNP: true, start: i, end: k, source: SourceUnattributed, copied: -1})
}

// resolve turns each candidate's phrase into a source: a speaker entity
// (merging "Claudia Sheinbaum", "Ms. Sheinbaum" and "she"), or an
// anonymous, group or unattributed source.
func (x *extractor) resolve() {
	var lastPerson *srcEntity
	lastOther := -1 // last candidate with a non-person source, for "they"
	m := 0
	for ci := range x.cands {
		c := &x.cands[ci]
		for m < len(x.mentions) && x.mentions[m].first <= c.start {
			if e := x.mentionEntity(x.mentions[m]); e != nil {
				lastPerson = e
			}
			m++
		}
		if !c.hasNP {
			if c.source == "" {
				c.source = SourceUnknown
			}
			continue
		}
		if c.copied >= 0 {
			// A "they" that refers to nobody leaves the verbs sharing its
			// subject without one too.
			c.source, c.ent, c.drop = x.cands[c.copied].source, x.cands[c.copied].ent, x.cands[c.copied].drop
			continue
		}
		np := c.np
		switch {
		case np.pronoun && x.d.fold(np.first) == "they":
			if lastOther >= 0 && c.sent-x.cands[lastOther].sent <= 1 {
				c.source, c.ent = x.cands[lastOther].source, x.cands[lastOther].ent
			} else {
				c.drop = true
			}
		case np.pronoun:
			if lastPerson != nil {
				c.source, c.ent = SourceNamed, lastPerson
			} else {
				c.source = SourceUnknown
			}
		case np.source == SourceNamed || np.source == SourceInstitution:
			c.source = np.source
			c.ent = x.entityFor(np)
			if c.ent != nil && c.ent.kind == KindPerson {
				lastPerson = c.ent
			}
		default:
			c.source = np.source
		}
		if c.ent != nil {
			x.alias(c.ent, np)
		}
		if !np.pronoun && (c.ent == nil || c.ent.kind != KindPerson) && c.source != SourceUnattributed {
			lastOther = ci
		}
	}
	for ; m < len(x.mentions); m++ {
		x.mentionEntity(x.mentions[m])
	}
}

// mentionEntity registers a mention: a full or titled name makes or
// completes an entity; a lone surname only finds one already known, so
// that a sentence opening with a capitalised word ("Pressed by
// reporters, she ...") does not become a person.
func (x *extractor) mentionEntity(np nounPhrase) *srcEntity {
	if np.nameLast > np.nameFirst || np.role != "" || np.honorific {
		return x.entityFor(np)
	}
	surname := x.fold(strings.TrimSpace(x.d.nameText(np)))
	if es := x.index[entityKey{KindPerson, surname}]; len(es) > 0 {
		return es[len(es)-1]
	}
	return nil
}

// alias records how the text named the speaker this time.
func (x *extractor) alias(e *srcEntity, np nounPhrase) {
	d := x.d
	var a string
	if np.pronoun {
		a = d.surface(np.first)
	} else {
		a = d.nameText(np)
	}
	if a != "" && !joinsTo(e.words, a) {
		e.aliases.add(a)
	}
}

// entityFor finds or creates the entity a named phrase refers to. People
// match on surname when the first names agree or one is missing;
// organisations on their name or its initials ("NYT", "New York Times").
func (x *extractor) entityFor(np nounPhrase) *srcEntity {
	d := x.d
	var words []string
	if np.source == SourceInstitution {
		t := d.text[d.toks[np.first].start:d.toks[np.last].end]
		words = appendFields(x.words[:0], t)
		for len(words) > 1 && capStop[x.fold(words[0])] {
			words = words[1:]
		}
	} else {
		words = appendFields(x.words[:0], d.nameText(np))
	}
	x.words = words[:0]
	if len(words) == 0 {
		return nil
	}
	q := entityQuery{kind: np.kind, words: words}
	if np.source == SourceInstitution {
		q.kind = KindInstitution
	}
	q.surname, q.given = x.fold(words[len(words)-1]), x.fold(words[0])
	if q.kind != KindPerson {
		q.key, q.initials = foldWord(strings.Join(words, " ")), nameInitials(words)
	}
	// Look among the entities filed under the same surname, name or
	// initials; the most recent match wins.
	var keys [3]entityKey
	n := 0
	if q.kind == KindPerson {
		keys[0], n = entityKey{q.kind, q.surname}, 1
	} else {
		keys[0], n = entityKey{q.kind, q.key}, 1
		for _, acr := range q.initials {
			keys[n] = entityKey{q.kind, acr}
			n++
		}
	}
	var found *srcEntity
	for _, k := range keys[:n] {
		found = x.lookFor(k, &q, found)
	}
	switch {
	case found == nil:
		found = &srcEntity{kind: q.kind, words: slices.Clone(words), key: q.key, initials: q.initials, surname: q.surname, given: q.given, seq: len(x.ents), first: -1}
		x.ents = append(x.ents, found)
	case len(words) > len(found.words):
		found.words, found.key, found.initials, found.given = slices.Clone(words), q.key, q.initials, q.given
	default:
		n = 0 // filed already
	}
	for _, k := range keys[:n] {
		if f := (filing{k, found}); !x.filed[f] {
			x.filed[f] = true
			x.index[k] = append(x.index[k], found)
		}
	}
	found.addRole(np.role)
	found.addRole(np.appositive)
	return found
}

// entityQuery is a name being looked up among the speakers.
type entityQuery struct {
	kind, key, surname, given string
	words, initials           []string
}

// lookFor returns the most recent of found and the speakers filed under k
// that q names. People match on surname when the first names agree or
// one is missing; organisations on their name or its initials.
func (x *extractor) lookFor(k entityKey, q *entityQuery, found *srcEntity) *srcEntity {
	filed := x.index[k]
	recent := filed[max(0, len(filed)-entityLookBack):]
	x.w.tick(len(recent))
	for _, e := range recent {
		if found != nil && e.seq < found.seq {
			continue
		}
		switch q.kind {
		case KindPerson:
			if e.surname == q.surname && (len(q.words) == 1 || len(e.words) == 1 || e.given == q.given) {
				found = e
			}
		default:
			if e.key == q.key || slices.Contains(e.initials, q.key) || slices.Contains(q.initials, e.key) {
				found = e
			}
		}
	}
	return found
}

// fold is foldWord(w), from the analyzer's stem cache when there is one.
func (x *extractor) fold(w string) string {
	if x.stems == nil {
		return foldWord(w)
	}
	fold := x.stems.fold(w)
	return fold
}

// appendFields appends the fields of s, as strings.Fields splits them, to
// words.
func appendFields(words []string, s string) []string {
	start := -1
	for i, r := range s {
		if unicode.IsSpace(r) {
			if start >= 0 {
				words = append(words, s[start:i])
				start = -1
			}
		} else if start < 0 {
			start = i
		}
	}
	if start >= 0 {
		words = append(words, s[start:])
	}
	return words
}

// joinsTo reports whether s is words joined by single spaces.
func joinsTo(words []string, s string) bool {
	for i, w := range words {
		if i > 0 {
			if s == "" || s[0] != ' ' {
				return false
			}
			s = s[1:]
		}
		var ok bool
		if s, ok = strings.CutPrefix(s, w); !ok {
			return false
		}
	}
	return s == ""
}

// addRole keeps each distinct role once; a fuller form of a role already
// held ("economist of Halvern Community College" after "economist")
// replaces it.
func (e *srcEntity) addRole(r string) {
	if r == "" {
		return
	}
	// A speaker keeps maxRoles roles at most: the check below compares
	// with every role held.
	for i, have := range e.roles {
		switch {
		case have == r || strings.HasPrefix(have, r+" "):
			return
		case strings.HasPrefix(r, have+" "):
			e.roles[i] = r
			return
		}
	}
	if len(e.roles) < maxRoles {
		e.roles = append(e.roles, r)
	}
}

// nameInitials gives the initials of a name, of all words and of capitalised
// words only: "Department of Defense" gives "dod" and "dd".
func nameInitials(words []string) []string {
	if len(words) < 2 {
		return nil
	}
	var all, caps strings.Builder
	for _, w := range words {
		for _, part := range strings.FieldsFunc(w, func(r rune) bool { return r == '-' }) {
			r, _ := utf8.DecodeRuneInString(part)
			all.WriteRune(unicode.ToLower(r))
			if unicode.IsUpper(r) {
				caps.WriteRune(unicode.ToLower(r))
			}
		}
	}
	return []string{all.String(), caps.String()}
}

// linkQuotes finds each quotation's speaker: in its sentence ("“...,”
// Rocha added", "She emphasized, “...”"), on the caption line under a
// quotation that stands alone, or from the same speaker's quotation just
// before in the paragraph.
func (x *extractor) linkQuotes() {
	d := x.d
	x.quoteSrc = slices.Grow(x.scratch.quoteSrc[:0], len(d.quotes))[:len(d.quotes)]
	clear(x.quoteSrc)
	var before clauseBefore
	for qi, q := range d.quotes {
		x.w.tick(1)
		link := quoteLink{cand: -1, ent: -1}
		startSent := x.sentenceAt(q.Start)
		after := x.clauseAfter(q)
		// After: "“...,” Sheinbaum said", for a quotation that opens its
		// sentence; one inside a sentence belongs to the clause around it.
		opens := startSent >= 0 && strings.TrimSpace(d.text[d.sents[startSent].Start:q.Start]) == ""
		if opens && after >= 0 {
			link = x.fromCand(after)
		}
		// Before: "She emphasized, “...”", "bragged that the plan would
		// give people “a bed ...”".
		if link.cand < 0 && startSent >= 0 {
			inside := sort.Search(len(d.toks), func(i int) bool { return d.toks[i].start >= q.Start })
			if best := before.best(x, startSent, inside); best >= 0 {
				link = x.fromCand(best)
			}
		}
		if link.cand < 0 && !opens && after >= 0 {
			link = x.fromCand(after)
		}
		if link.cand < 0 && x.mayHaveCaption(q) {
			link = x.caption(q, link)
		}
		if !link.has && qi > 0 && x.quoteSrc[qi-1].has {
			link = x.continuation(qi, link)
		}
		if link.cand >= 0 {
			x.cands[link.cand].used = true
		}
		x.quoteSrc[qi] = link
	}
}

// clauseAfter returns the candidate whose clause starts right after
// quotation q, in the sentence where q ends and on the same line, or -1.
func (x *extractor) clauseAfter(q Span) int {
	d := x.d
	k := sort.Search(len(d.toks), func(i int) bool { return d.toks[i].start >= q.End })
	endSent := x.sentenceAt(q.End - 1)
	if k >= len(d.toks) || endSent < 0 || int(d.ts[k]) != endSent || d.tq[k] >= 0 || strings.ContainsRune(d.text[q.End:d.toks[k].start], '\n') {
		return -1
	}
	if ci, ok := x.candAt(k); ok && !x.cands[ci].drop {
		return ci
	}
	return -1
}

// onlySpaceAndPunct reports whether s holds nothing but white space and
// punctuation (unicode.IsSpace, unicode.IsPunct).
func onlySpaceAndPunct(s string) bool {
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if !asciiSpaceOrPunct[c] {
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if !unicode.IsSpace(r) && !unicode.IsPunct(r) {
			return false
		}
		i += size
	}
	return true
}

var asciiSpaceOrPunct = func() (t [utf8.RuneSelf]bool) {
	for c := range t {
		t[c] = unicode.IsSpace(rune(c)) || unicode.IsPunct(rune(c))
	}
	return t
}()

// mayHaveCaption is false for a quotation right after a word or a mark on
// its line, which has no caption: the quick test before caption's.
func (x *extractor) mayHaveCaption(q Span) bool {
	if q.Start == 0 {
		return true
	}
	c := x.d.text[q.Start-1]
	return c >= utf8.RuneSelf || c == ' ' || '\t' <= c && c <= '\r'
}

// continuation gives quotation qi, whose speaker was not found, the
// speaker of the quotation before it on the same line, unless another
// speaker is named between them.
func (x *extractor) continuation(qi int, link quoteLink) quoteLink {
	d := x.d
	prev := x.quoteSrc[qi-1]
	from, to := d.quotes[qi-1].End, d.quotes[qi].Start
	if !prev.has || !x.sameLine(from, to) || x.speakerBetween(from, to, x.speaker(prev.ent)) {
		return link
	}
	return quoteLink{cand: -1, ent: prev.ent, src: prev.src, via: linkByContinuation, has: true}
}

// clauseBefore finds, for the quotations of one sentence in text order,
// the candidate of the sentence that ends before the quotation with the
// latest verb (the first such on ties), which the quotation is put to.
// The quotations' first tokens only move forward, so each candidate is
// taken in once, in the order of its clause's end.
type clauseBefore struct {
	sent   int   // the sentence the state is for
	byEnd  []int // the sentence's candidates by the last token of their clause
	next   int   // the first of byEnd not yet taken in
	chosen int   // the best candidate taken in so far, or -1
}

// best returns the candidate of sentence sent, ending before token
// inside, with the latest verb; -1 if none.
func (b *clauseBefore) best(x *extractor, sent, inside int) int {
	if b.byEnd == nil || b.sent != sent {
		from, to := x.inSentence(sent)
		b.sent, b.next, b.chosen = sent, 0, -1
		b.byEnd = b.byEnd[:0]
		for ci := from; ci < to; ci++ {
			b.byEnd = append(b.byEnd, ci)
		}
		slices.SortStableFunc(b.byEnd, func(i, j int) int { return cmp.Compare(x.cands[i].end, x.cands[j].end) })
		x.w.tick(to - from)
	}
	for ; b.next < len(b.byEnd) && x.cands[b.byEnd[b.next]].end < inside; b.next++ {
		ci := b.byEnd[b.next]
		c := &x.cands[ci]
		if c.drop {
			continue
		}
		if b.chosen < 0 || c.verbLast > x.cands[b.chosen].verbLast || c.verbLast == x.cands[b.chosen].verbLast && ci < b.chosen {
			b.chosen = ci
		}
	}
	return b.chosen
}

func (x *extractor) fromCand(ci int) quoteLink {
	c := &x.cands[ci]
	l := linkOf(ci, c.ent, c.source, linkByClause)
	l.has = c.source != SourceUnknown
	return l
}

// caption attributes a quotation that fills a line of its own to the name
// that opens the next line, as under a pull quote: `"This to me is the next
// logical step."` then `Jack Riley on expanding tools against cartels`.
func (x *extractor) caption(q Span, link quoteLink) quoteLink {
	if !x.mayHaveCaption(q) {
		return link
	}
	d := x.d
	text := d.text
	// The line breaks are looked up, not searched for: a text of many
	// quotations and no line break would be searched end to end for each.
	lineStart := d.lineStart(q.Start)
	if strings.TrimSpace(text[lineStart:q.Start]) != "" {
		return link
	}
	lineEnd := d.lineEnd(q.End)
	if !onlySpaceAndPunct(text[q.End:lineEnd]) {
		return link
	}
	next := lineEnd + 1
	for blank := 0; next < len(text) && blank < 2; blank++ {
		end := d.lineEnd(next)
		if strings.TrimSpace(text[next:end]) != "" {
			break
		}
		next = end + 1
	}
	if next >= len(text) {
		return link
	}
	capEnd := d.lineEnd(next)
	line := text[next:capEnd]
	if strings.ContainsAny(line, "\"\u201c\u201d\u00ab\u00bb") {
		return link
	}
	i := sort.Search(len(d.toks), func(i int) bool { return d.toks[i].start >= next })
	j := sort.Search(len(d.toks), func(i int) bool { return d.toks[i].start >= capEnd })
	if i >= j || j-i > 12 || !d.isCap(i) {
		return link
	}
	if ci, ok := x.candAt(i); ok && x.cands[ci].ent != nil {
		l := x.fromCand(ci)
		l.via = linkByCaption
		return l
	}
	np, ok := d.phraseStartingAt(i, j)
	if !ok || np.source != SourceNamed || np.pronoun {
		return link
	}
	e := x.entityFor(np)
	if e == nil {
		return link
	}
	x.alias(e, np)
	l := linkOf(-1, e, SourceNamed, linkByCaption)
	l.first, l.last, l.has = int32(np.first), int32(np.last), true
	return l
}

func (x *extractor) sameLine(from, to int) bool {
	return from <= to && !strings.ContainsRune(x.d.text[from:to], '\n')
}

// speakerBetween reports whether an attribution to another speaker stands
// between two quotations: a candidate with a source phrase whose clause
// starts in [from, to). The gaps between successive quotations do not
// overlap, so over all quotations each candidate is looked at once.
func (x *extractor) speakerBetween(from, to int, e *srcEntity) bool {
	k, _ := slices.BinarySearchFunc(x.byPosition, from, func(ci, p int) int { return cmp.Compare(x.clauseOffset(ci), p) })
	for ; k < len(x.byPosition) && x.clauseOffset(x.byPosition[k]) < to; k++ {
		x.w.tick(1)
		if c := &x.cands[x.byPosition[k]]; !c.drop && c.ent != e {
			return true
		}
	}
	return false
}

// sentenceAt returns the index of the sentence holding byte offset p, or
// -1.
func (x *extractor) sentenceAt(p int) int {
	s := x.d.sents
	i := sort.Search(len(s), func(i int) bool { return s[i].End > p })
	if i < len(s) && s[i].Start <= p {
		return i
	}
	return -1
}

// profile assembles the attributions, the speakers and the counts.
func (x *extractor) profile() SourceProfile {
	p := SourceProfile{Speakers: []Speaker{}}
	quoteWords := x.countWords(&p)
	sc := x.scratch
	// The attributions are the report's; their speakers are looked at
	// only here.
	recs := attributionRecords{ent: sc.recEnt}
	x.quoteAttributions(&recs, quoteWords)
	x.clauseAttributions(&recs)
	sc.recEnt = recs.ent
	recs = recs.sorted(sc)
	p.Speakers = speakersOf(&recs, x.ents)
	for _, s := range p.Speakers {
		if s.Kind != KindInstitution {
			p.NamedSources++
		}
	}
	for k := range recs.a {
		if e := recs.ent[k]; e >= 0 {
			recs.a[k].Speaker = x.ents[e].id
		}
		p.count(&recs.a[k])
	}
	p.Attributions = recs.a
	return p
}

// attributionRecords are the attributions with their speakers, if named:
// the speakers' indexes in extractor.ents (-1 for none), which hold no
// pointer, so that a text of many thousand quotations adds little for
// the collector to trace.
type attributionRecords struct {
	a   []Attribution
	ent []int32
}

func (r *attributionRecords) add(a Attribution, e *srcEntity) {
	r.a = append(r.a, a)
	i := int32(-1)
	if e != nil {
		i = int32(e.seq)
	}
	r.ent = append(r.ent, i)
}

// sorted returns the attributions in text order (by start, end and verb),
// stably: as they are when they already are (quotations and clauses come
// in text order each, so often they do), else in a list of their own,
// their speakers in the scratch's buffer.
func (r *attributionRecords) sorted(sc *sourceScratch) attributionRecords {
	less := func(a1, a2 *Attribution) int {
		return cmp.Or(cmp.Compare(a1.Start, a2.Start), cmp.Compare(a1.End, a2.End), cmp.Compare(a1.VerbSpan.Start, a2.VerbSpan.Start))
	}
	sorted := true
	for k := 1; k < len(r.a) && sorted; k++ {
		a1, a2 := &r.a[k-1], &r.a[k]
		sorted = a1.Start < a2.Start || a1.Start == a2.Start && less(a1, a2) <= 0
	}
	if sorted {
		return *r
	}
	sc.order = sc.order[:0]
	for i := range r.a {
		sc.order = append(sc.order, i)
	}
	slices.SortStableFunc(sc.order, func(i, j int) int { return less(&r.a[i], &r.a[j]) })
	out := attributionRecords{a: make([]Attribution, len(r.a)), ent: slices.Grow(sc.ent[:0], len(r.a))[:len(r.a)]}
	for k, i := range sc.order {
		out.a[k], out.ent[k] = r.a[i], r.ent[i]
	}
	sc.ent = out.ent
	return out
}

// countWords counts the words with letters, all and inside quotations,
// and returns the count inside each quotation.
func (x *extractor) countWords(p *SourceProfile) []int {
	d := x.d
	quoteWords := slices.Grow(x.scratch.quoteWords[:0], len(d.quotes))[:len(d.quotes)]
	clear(quoteWords)
	x.scratch.quoteWords = quoteWords
	for i := range d.toks {
		if !d.toks[i].hasLetter(d.text) {
			continue
		}
		p.Words++
		if d.tq[i] >= 0 {
			p.QuotedWords++
			quoteWords[d.tq[i]]++
		}
	}
	if p.Words > 0 {
		p.QuotedShare = round(float64(p.QuotedWords)/float64(p.Words), 3)
	}
	return quoteWords
}

// quoteAttributions makes one direct attribution per quotation and counts
// each speaker's quotations and quoted words.
func (x *extractor) quoteAttributions(recs *attributionRecords, quoteWords []int) {
	d := x.d
	n := len(d.quotes)
	recs.a = make([]Attribution, n, n+len(x.cands))
	recs.ent = slices.Grow(recs.ent[:0], n+len(x.cands))[:n]
	for qi, q := range d.quotes {
		l := &x.quoteSrc[qi]
		a := &recs.a[qi]
		a.Start, a.End, a.Mode, a.SourceType, a.Grade = q.Start, q.End, ModeDirect, SourceUnknown, GradeNone
		if l.has {
			a.SourceType, a.Via = sourceTypes[l.src], quoteVias[l.via]
		}
		if l.cand >= 0 {
			x.fillFromCand(a, &x.cands[l.cand])
		} else if l.has && l.last >= l.first && quoteVias[l.via] == viaCaption {
			sp := Span{Start: d.toks[l.first].start, End: d.toks[l.last].end}
			a.Source, a.SourceSpan = d.text[sp.Start:sp.End], sp
		}
		e := x.speaker(l.ent)
		recs.ent[qi] = l.ent
		if e != nil {
			e.quotes++
			e.quotedWords += quoteWords[qi]
		}
	}
}

// clauseAttributions makes one indirect attribution per candidate that no
// quotation used and that repeats no other, and counts each speaker's
// paraphrases.
func (x *extractor) clauseAttributions(recs *attributionRecords) {
	seen := x.speakerUsesBySentence()
	for ci := range x.cands {
		c := &x.cands[ci]
		if c.used || c.drop || c.source == SourceUnknown || c.quoteOnly() {
			continue
		}
		if x.duplicate(ci, seen) {
			continue
		}
		sp := x.d.sents[c.sent]
		a := Attribution{Start: sp.Start, End: sp.End, Mode: ModeIndirect, SourceType: c.source, Grade: GradeNone, Via: viaClause}
		x.fillFromCand(&a, c)
		recs.add(a, c.ent)
		if c.ent != nil {
			c.ent.paraphrases++
		}
	}
}

// speakersOf lists the speakers the attributions (in text order) name, in
// order of their first attribution, with their verbs and ids.
func speakersOf(recs *attributionRecords, ents []*srcEntity) []Speaker {
	var speakers []*srcEntity
	for k, ei := range recs.ent {
		if ei < 0 {
			continue
		}
		e, a := ents[ei], &recs.a[k]
		if e.attributions == 0 {
			e.first = a.Start
			if a.SourceSpan.End > 0 && a.SourceSpan.Start < e.first {
				e.first = a.SourceSpan.Start
			}
			speakers = append(speakers, e)
		}
		e.attributions++
		if a.Verb != "" {
			e.verbs.add(a.Verb)
		}
		if a.Grade == GradeLoaded {
			e.loadedVerbs.add(a.Verb)
		}
	}
	slices.SortStableFunc(speakers, func(a, b *srcEntity) int { return cmp.Compare(a.first, b.first) })
	var ids uniqueIDs
	out := make([]Speaker, 0, len(speakers))
	for _, e := range speakers {
		name := strings.Join(e.words, " ")
		id := speakerSlug(name)
		if id == "" {
			id = "speaker"
		}
		e.id = ids.take(id)
		role := ""
		if len(e.roles) > 0 {
			role = e.roles[0]
		}
		out = append(out, Speaker{
			ID: e.id, Name: name, Kind: e.kind, Role: role,
			Roles: nonNilStrings(e.roles), Aliases: nonNilStrings(e.aliases.list),
			Quotes: e.quotes, Paraphrases: e.paraphrases, QuotedWords: e.quotedWords,
			Verbs: nonNilStrings(e.verbs.list), LoadedVerbs: nonNilStrings(e.loadedVerbs.list), First: e.first,
		})
	}
	return out
}

// count adds one attribution to the profile's counts.
func (p *SourceProfile) count(a *Attribution) {
	if a.Mode == ModeDirect {
		p.DirectQuotes++
		if a.SourceType == SourceUnknown {
			p.UnattributedQuotes++
		}
	}
	switch a.SourceType {
	case SourceAnonymous:
		p.AnonymousSources++
	case SourceGroup:
		p.GroupAttributions++
	case SourceUnattributed:
		p.UnattributedClaims++
	case SourceNamed, SourceInstitution:
		if a.Mode == ModeIndirect {
			p.Paraphrases++
		}
	}
	if a.Grade == GradeLoaded {
		p.LoadedVerbs++
	}
}

// duplicate reports whether another attribution in the same sentence
// already gives the same source: "Arturo Rocha ... commented ..., stating".
// The other attribution must not be dropped nor an unknown source other
// than a pronoun, and must come before this one or be a quotation's;
// for a speaker, seen (profile) counts those of each speaker per
// sentence, so that no sentence is searched again for every candidate.
func (x *extractor) duplicate(ci int, seen map[sentenceSpeaker]speakerUses) bool {
	c := &x.cands[ci]
	if c.coordinated && x.cands[c.copied].used {
		// "Hale called the rise “daylight robbery” and said families
		// could not afford it": the first verb's words are the
		// quotation, the second's clause is more reported speech.
		return false
	}
	if c.ent != nil {
		u := seen[sentenceSpeaker{c.sent, c.ent}]
		return u.used > 0 || u.first >= 0 && u.first < ci
	}
	k := c.copied
	if k < 0 || k == ci {
		return false
	}
	o := &x.cands[k]
	if o.drop || !(o.used || k < ci) || o.source == SourceUnknown && !o.np.pronoun {
		return false
	}
	return o.ent == nil && o.source == c.source
}

// sentenceSpeaker is a speaker in one sentence.
type sentenceSpeaker struct {
	sent int
	ent  *srcEntity
}

// speakerUses counts the candidates of one speaker in one sentence that
// can make another a duplicate: how many a quotation used, and the first.
type speakerUses struct {
	used, first int
}

// speakerUsesBySentence gathers the speakerUses that duplicate reads.
func (x *extractor) speakerUsesBySentence() map[sentenceSpeaker]speakerUses {
	seen := map[sentenceSpeaker]speakerUses{}
	for k := range x.cands {
		o := &x.cands[k]
		if o.ent == nil || o.drop || o.source == SourceUnknown && !o.np.pronoun || o.quoteOnly() && !o.used {
			continue
		}
		key := sentenceSpeaker{o.sent, o.ent}
		u, ok := seen[key]
		if !ok {
			u.first = k
		}
		if o.used {
			u.used++
		}
		seen[key] = u
	}
	x.w.tick(len(x.cands))
	return seen
}

func (x *extractor) fillFromCand(a *Attribution, c *candidate) {
	d := x.d
	if c.hasNP && c.np.last >= c.np.first {
		sp := d.span(c.np)
		a.Source, a.SourceSpan = d.text[sp.Start:sp.End], sp
		if c.np.nameFirst >= 0 && c.np.nameLast == c.np.last && d.isPossessive(c.np.last) {
			sp.End = d.possessiveCut(c.np.last) // "NYT’s report" names "NYT"
			a.Source, a.SourceSpan = d.text[sp.Start:sp.End], sp
		}
	}
	if c.verbFirst >= 0 && c.verb != nil {
		sp := Span{Start: d.toks[c.verbFirst].start, End: d.toks[c.verbLast].end}
		a.Verb, a.VerbSpan, a.Lemma = strings.ToLower(d.text[sp.Start:sp.End]), sp, c.verb.lemma
		a.Grade = GradeNeutral
		if c.verb.loaded {
			a.Grade, a.Reason = GradeLoaded, c.verb.reason
		}
	}
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// speakerSlug makes an id from a name: lower case, words joined by hyphens.
func speakerSlug(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	dash := false
	for _, r := range s {
		r = unicode.ToLower(r) // rune by rune, as strings.ToLower does
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
			continue
		}
		if isApostrophe(r) {
			continue
		}
		dash = true
	}
	return b.String()
}

// SourceComparison compares who each outlet lets speak: the speakers
// quoted by several outlets and by one alone, and how much each leans on
// anonymous, group and unattributed sources.
type SourceComparison struct {
	// Outlets holds one entry per article, sorted by outlet name, then
	// article id.
	Outlets []OutletSources `json:"outlets"`
	// Speakers lists every speaker across the outlets, matched by name
	// (surname and first name, or an organisation's initials): the
	// speakers quoted by most outlets first.
	Speakers []ComparedSpeaker `json:"speakers"`
	// Shared are the ids of speakers that two or more outlets quote or
	// paraphrase.
	Shared []string `json:"shared"`
	// Summary says in plain words who is quoted where.
	Summary []string `json:"summary"`
}

// OutletSources is one outlet's sourcing in a comparison.
type OutletSources struct {
	ArticleID          int64   `json:"article_id"`
	Outlet             string  `json:"outlet"`
	NamedSources       int     `json:"named_sources"`
	DirectQuotes       int     `json:"direct_quotes"`
	Paraphrases        int     `json:"paraphrases"`
	AnonymousSources   int     `json:"anonymous_sources"`
	GroupAttributions  int     `json:"group_attributions"`
	UnattributedClaims int     `json:"unattributed_claims"`
	LoadedVerbs        int     `json:"loaded_verbs"`
	QuotedShare        float64 `json:"quoted_share"`
	// Speakers are the ids (ComparedSpeaker.ID) of the speakers this
	// outlet quotes or paraphrases; Unique those no other outlet does.
	Speakers []string `json:"speakers"`
	Unique   []string `json:"unique"`
}

// ComparedSpeaker is one speaker as several outlets present them.
type ComparedSpeaker struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Kind string `json:"kind"`
	// Outlets lists the outlets that quote or paraphrase the speaker.
	Outlets []string `json:"outlets"`
	// Uses says how each of those outlets does it.
	Uses []SpeakerUse `json:"uses"`
}

// SpeakerUse is how one outlet presents one speaker: the role it gives,
// how often it quotes and paraphrases them and with which verbs.
type SpeakerUse struct {
	ArticleID   int64    `json:"article_id"`
	Outlet      string   `json:"outlet"`
	SpeakerID   string   `json:"speaker_id"` // Speaker.ID in the outlet's report
	Name        string   `json:"name"`
	Role        string   `json:"role"`
	Quotes      int      `json:"quotes"`
	Paraphrases int      `json:"paraphrases"`
	QuotedWords int      `json:"quoted_words"`
	Verbs       []string `json:"verbs"`
	LoadedVerbs []string `json:"loaded_verbs"`
}

func compareSources(articles []ComparedArticle, w *work) SourceComparison {
	sorted := articlesByOutlet(articles)
	out := SourceComparison{Outlets: []OutletSources{}, Speakers: []ComparedSpeaker{}, Shared: []string{}, Summary: []string{}}
	var speakers speakerGroups
	perOutlet := make([][]*speakerGroup, len(sorted))
	for ai, a := range sorted {
		w.tick(len(a.Report.Sources.Speakers))
		for _, sp := range a.Report.Sources.Speakers {
			g := speakers.match(sp)
			g.uses = append(g.uses, SpeakerUse{
				ArticleID: a.ArticleID, Outlet: a.Outlet, SpeakerID: sp.ID, Name: sp.Name, Role: sp.Role,
				Quotes: sp.Quotes, Paraphrases: sp.Paraphrases, QuotedWords: sp.QuotedWords,
				Verbs: nonNilStrings(sp.Verbs), LoadedVerbs: nonNilStrings(sp.LoadedVerbs),
			})
			// Articles come sorted by outlet, so an outlet already listed
			// is the last one listed.
			if n := len(g.outlets); n == 0 || g.outlets[n-1] != a.Outlet {
				g.outlets = append(g.outlets, a.Outlet)
			}
			if g.lastArticle != ai+1 {
				g.lastArticle = ai + 1
				perOutlet[ai] = append(perOutlet[ai], g)
			}
		}
	}
	groups := speakers.groups
	slices.SortStableFunc(groups, func(a, b *speakerGroup) int {
		return cmp.Or(cmp.Compare(len(b.outlets), len(a.outlets)), cmp.Compare(a.first, b.first))
	})
	ids := map[*speakerGroup]string{}
	var taken uniqueIDs
	for _, g := range groups {
		id := taken.take(speakerSlug(strings.Join(g.words, " ")))
		ids[g] = id
		out.Speakers = append(out.Speakers, ComparedSpeaker{ID: id, Name: strings.Join(g.words, " "), Kind: g.kind, Outlets: g.outlets, Uses: g.uses})
		if len(g.outlets) > 1 {
			out.Shared = append(out.Shared, id)
		}
	}
	for ai, a := range sorted {
		s := a.Report.Sources
		o := OutletSources{
			ArticleID: a.ArticleID, Outlet: a.Outlet, NamedSources: s.NamedSources, DirectQuotes: s.DirectQuotes,
			Paraphrases: s.Paraphrases, AnonymousSources: s.AnonymousSources, GroupAttributions: s.GroupAttributions,
			UnattributedClaims: s.UnattributedClaims, LoadedVerbs: s.LoadedVerbs, QuotedShare: s.QuotedShare,
			Speakers: []string{}, Unique: []string{},
		}
		for _, g := range perOutlet[ai] {
			o.Speakers = append(o.Speakers, ids[g])
			if len(g.outlets) == 1 {
				o.Unique = append(o.Unique, ids[g])
			}
		}
		out.Outlets = append(out.Outlets, o)
	}
	out.Summary = summarizeSources(out)
	return out
}

// speakerGroup is one speaker across the outlets of a comparison.
type speakerGroup struct {
	kind        string
	words       []string
	uses        []SpeakerUse
	outlets     []string
	first       int // order of appearance: article index, then speaker index
	lastArticle int // 1 + the index of the last article that named it
}

// speakerGroups matches each outlet's speakers with those of the outlets
// before: a speaker joins the first group (in order of appearance) whose
// name sameSpeaker matches. The groups are filed under every name key
// sameSpeaker can match on (the folded name; a person's surname, with the
// first name or alone; an organisation's initials), so a speaker is
// compared only with the few groups that share a key with it, not with
// every speaker of the event. A key's list is in order of appearance, and
// only its first entityLookBack groups are looked at.
type speakerGroups struct {
	groups []*speakerGroup
	index  map[string][]*speakerGroup
	filed  map[speakerFiling]bool
}

type speakerFiling struct {
	key string
	g   *speakerGroup
}

// Kinds of key a speaker group is filed under.
const (
	keyName     = "name\x00"     // the whole name, folded
	keySurname  = "surname\x00"  // a person's surname
	keyOneWord  = "one-word\x00" // a person named by the surname alone
	keyGiven    = "given\x00"    // a person's surname and first name
	keyInitials = "initials\x00" // an organisation's initials
)

func (m *speakerGroups) match(sp Speaker) *speakerGroup {
	words := strings.Fields(sp.Name)
	if len(words) > 0 {
		var best *speakerGroup
		for _, key := range speakerLookupKeys(sp.Kind, words) {
			filed := m.index[key]
			for _, g := range filed[:min(len(filed), entityLookBack)] {
				if (best == nil || g.first < best.first) && sameSpeaker(g.kind, g.words, words) {
					best = g
				}
			}
		}
		if best != nil {
			if len(words) > len(best.words) {
				best.words = words
				m.file(best)
			}
			return best
		}
	}
	g := &speakerGroup{kind: sp.Kind, words: words, first: len(m.groups)}
	m.groups = append(m.groups, g)
	if len(words) > 0 {
		m.file(g)
	}
	return g
}

// file files g under the keys of its present name; the keys of an
// earlier, shorter name stay, and sameSpeaker checks every match.
func (m *speakerGroups) file(g *speakerGroup) {
	if m.index == nil {
		m.index, m.filed = map[string][]*speakerGroup{}, map[speakerFiling]bool{}
	}
	keys := []string{keyName + foldWord(strings.Join(g.words, " "))}
	if g.kind == KindPerson {
		surname := foldWord(g.words[len(g.words)-1])
		keys = append(keys, keySurname+surname)
		if len(g.words) == 1 {
			keys = append(keys, keyOneWord+surname)
		} else {
			keys = append(keys, keyGiven+surname+"\x00"+foldWord(g.words[0]))
		}
	} else {
		for _, in := range nameInitials(g.words) {
			keys = append(keys, keyInitials+in)
		}
	}
	for _, k := range keys {
		k = g.kind + "\x00" + k
		if f := (speakerFiling{k, g}); !m.filed[f] {
			m.filed[f] = true
			m.index[k] = append(m.index[k], g)
		}
	}
}

// speakerLookupKeys are the keys under which a group that sameSpeaker
// matches with a speaker of this kind and name must be filed.
func speakerLookupKeys(kind string, words []string) []string {
	fb := foldWord(strings.Join(words, " "))
	keys := []string{keyName + fb}
	if kind == KindPerson {
		// A surname alone matches every person of that surname; a full
		// name, those with the same first name and those named by the
		// surname alone.
		surname := foldWord(words[len(words)-1])
		if len(words) == 1 {
			keys = append(keys, keySurname+surname)
		} else {
			keys = append(keys, keyGiven+surname+"\x00"+foldWord(words[0]), keyOneWord+surname)
		}
	} else {
		keys = append(keys, keyInitials+fb)
		for _, in := range nameInitials(words) {
			keys = append(keys, keyName+in)
		}
	}
	for i := range keys {
		keys[i] = kind + "\x00" + keys[i]
	}
	return keys
}

// sameSpeaker matches two names of one kind across outlets.
func sameSpeaker(kind string, a, b []string) bool {
	fa, fb := foldWord(strings.Join(a, " ")), foldWord(strings.Join(b, " "))
	if fa == fb {
		return true
	}
	if kind == KindPerson {
		return foldWord(a[len(a)-1]) == foldWord(b[len(b)-1]) &&
			(len(a) == 1 || len(b) == 1 || foldWord(a[0]) == foldWord(b[0]))
	}
	return slices.Contains(nameInitials(a), fb) || slices.Contains(nameInitials(b), fa)
}

// articlesByOutlet orders articles by outlet and id, so that comparisons do
// not depend on the order they were handed in.
func articlesByOutlet(articles []ComparedArticle) []ComparedArticle {
	s := slices.Clone(articles)
	slices.SortStableFunc(s, func(a, b ComparedArticle) int {
		return cmp.Or(strings.Compare(a.Outlet, b.Outlet), cmp.Compare(a.ArticleID, b.ArticleID))
	})
	return s
}

func summarizeSources(c SourceComparison) []string {
	if len(c.Outlets) == 0 {
		return []string{}
	}
	names := map[string]string{}
	for _, s := range c.Speakers {
		names[s.ID] = s.Name
	}
	var lines []string
	if len(c.Outlets) > 1 && len(c.Shared) > 0 {
		var shared []string
		for _, id := range c.Shared {
			shared = append(shared, names[id])
		}
		lines = append(lines, fmt.Sprintf("More than one outlet quotes %s.", namesAndMore(shared, sharedNamesListed)))
	}
	for _, o := range c.Outlets {
		// One short sentence for each thing, the outlet named in the
		// first and "it" after, so that a 14-year-old reads it easily.
		var parts []string
		if len(c.Outlets) > 1 && len(o.Unique) > 0 {
			var only []string
			for _, id := range o.Unique {
				only = append(only, names[id])
			}
			parts = append(parts, "only %s quotes or cites "+namesAndMore(only, sharedNamesListed)+".")
		}
		if o.AnonymousSources > 0 {
			parts = append(parts, "%s cites unnamed sources "+times(o.AnonymousSources)+".")
		}
		if o.GroupAttributions > 0 {
			parts = append(parts, "%s puts "+countNoun(o.GroupAttributions, "view", "views")+" on a whole group, not a named person.")
		}
		if o.UnattributedClaims > 0 {
			parts = append(parts, "%s makes "+countNoun(o.UnattributedClaims, "claim", "claims")+" without saying who says so.")
		}
		if o.LoadedVerbs > 0 {
			parts = append(parts, "%s uses "+countNoun(o.LoadedVerbs, "loaded verb", "loaded verbs")+" of saying (words like “bragged” in place of “said”).")
		}
		for i, part := range parts {
			who := "it"
			if i == 0 {
				who = o.Outlet
			}
			part = fmt.Sprintf(part, who)
			parts[i] = strings.ToUpper(part[:1]) + part[1:]
		}
		if len(parts) > 0 {
			lines = append(lines, strings.Join(parts, " "))
		}
	}
	return nonNilStrings(lines)
}

// sharedNamesListed is how many names a summary sentence lists before
// "and N others".
const sharedNamesListed = 3

// namesAndMore lists up to n names, and how many more there are.
func namesAndMore(names []string, n int) string {
	if len(names) <= n {
		return joinList(names)
	}
	return strings.Join(names[:n], ", ") + " and " + countNoun(len(names)-n, "other", "others")
}

// times says how often: "once", "twice", "3 times".
func times(n int) string {
	switch n {
	case 1:
		return "once"
	case 2:
		return "twice"
	}
	return fmt.Sprintf("%d times", n)
}

func countNoun(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// distinctStrings is a list of distinct strings in the order they were
// first added. Short lists are searched; past distinctSearched strings a
// set keeps adding linear however many there are.
type distinctStrings struct {
	list []string
	set  map[string]bool
}

const distinctSearched = 16

func (d *distinctStrings) add(s string) {
	if d.set != nil {
		if d.set[s] {
			return
		}
		d.set[s] = true
		d.list = append(d.list, s)
		return
	}
	if slices.Contains(d.list, s) {
		return
	}
	d.list = append(d.list, s)
	if len(d.list) > distinctSearched {
		d.set = make(map[string]bool, 2*len(d.list))
		for _, x := range d.list {
			d.set[x] = true
		}
	}
}

// uniqueIDs hands out ids, numbering repeats: "smith", "smith-2",
// "smith-3". Each base remembers the last number it gave, so that many
// speakers with one name cost no more than one each.
type uniqueIDs struct {
	taken map[string]bool
	last  map[string]int
}

func (u *uniqueIDs) take(id string) string {
	if u.taken == nil {
		u.taken, u.last = map[string]bool{}, map[string]int{}
	}
	base := id
	if u.taken[id] {
		n := max(u.last[base], 1) + 1
		for id = fmt.Sprintf("%s-%d", base, n); u.taken[id]; id = fmt.Sprintf("%s-%d", base, n) {
			n++
		}
		u.last[base] = n
	}
	u.taken[id] = true
	return id
}
