package analysis

import (
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// This file holds the small word lists and the noun-phrase reader behind
// the source analysis (sources.go): which words report speech, which name
// a role, an anonymous source or a group, and how a speaker's name is
// found around a verb of saying. Everything works on the tokens the
// analyzer already made; there are no regular expressions.

// Verb grades. A neutral verb reports that someone spoke; a loaded one
// also tells the reader what to think of it.
const (
	GradeNeutral = "neutral"
	GradeLoaded  = "loaded"
	// GradeNone is the grade of an attribution without a verb (a caption
	// under a quotation, or a quotation that goes on from the one before).
	GradeNone = "none"
)

// sayVerb is one verb of saying with its grade.
type sayVerb struct {
	lemma  string
	loaded bool
	reason string
	// next is a word that must follow for the verb to count: "according
	// to", "pointed out", "put it".
	next string
	// naming marks a verb of naming, which gives its object a name:
	// "called the rise “daylight robbery”", "described the plan as
	// “reckless”". In the passive ("the board was branded ...") its
	// subject is what is named, not who speaks.
	naming bool
	// quoteOnly marks a verb that reports speech only by the quotation
	// after its object: "called the rise “daylight robbery”" quotes
	// the caller, "called the meeting to order" and "called for a vote"
	// report nothing.
	quoteOnly bool
}

// verbForm is one inflected form of a verb of saying.
type verbForm struct {
	verb       *sayVerb
	participle bool // the -ing form, which takes its subject from the clause
}

// sayVerbs lists the verbs of saying by lemma. Forms are spelled out rather
// than stemmed, because stems confuse "claims" (verb) with "claims" (noun)
// less gracefully than a subject check does, and "said" has no useful stem.
// The loaded ones follow Wikipedia's "words to watch" (MOS:SAID) and the
// loaded-verb-of-saying lexicon; the reasons are for a 14-year-old.
var sayVerbs = []struct {
	verb  sayVerb
	forms string
}{
	{sayVerb{lemma: "say"}, "say says said saying"},
	{sayVerb{lemma: "tell"}, "tell tells told telling"},
	{sayVerb{lemma: "state"}, "states stated stating"},
	{sayVerb{lemma: "add"}, "add adds added adding"},
	{sayVerb{lemma: "note"}, "note notes noted noting"},
	{sayVerb{lemma: "explain"}, "explain explains explained explaining"},
	{sayVerb{lemma: "write"}, "write writes wrote writing"},
	{sayVerb{lemma: "ask"}, "asks asked"},
	{sayVerb{lemma: "reply"}, "reply replies replied replying"},
	{sayVerb{lemma: "respond"}, "responds responded responding"},
	{sayVerb{lemma: "comment"}, "comment comments commented commenting"},
	{sayVerb{lemma: "report"}, "reported reporting"},
	{sayVerb{lemma: "announce"}, "announce announces announced announcing"},
	{sayVerb{lemma: "describe", naming: true}, "describes described describing"},
	{sayVerb{lemma: "recall"}, "recalls recalled recalling"},
	{sayVerb{lemma: "testify"}, "testify testifies testified testifying"},
	{sayVerb{lemma: "confirm"}, "confirms confirmed confirming"},
	{sayVerb{lemma: "tweet"}, "tweets tweeted tweeting"},
	{sayVerb{lemma: "emphasize"}, "emphasize emphasizes emphasized emphasizing emphasise emphasises emphasised emphasising"},
	{sayVerb{lemma: "stress"}, "stresses stressed stressing"},
	{sayVerb{lemma: "warn"}, "warn warns warned warning"},
	{sayVerb{lemma: "argue"}, "argue argues argued arguing"},
	{sayVerb{lemma: "believe"}, "believe believes believed"},
	{sayVerb{lemma: "think"}, "think thinks"},
	{sayVerb{lemma: "fear"}, "fear fears feared"},
	{sayVerb{lemma: "suggest"}, "suggest suggests suggested suggesting"},
	{sayVerb{lemma: "predict"}, "predict predicts predicted predicting"},
	{sayVerb{lemma: "deny"}, "deny denies denied denying"},
	{sayVerb{lemma: "acknowledge"}, "acknowledges acknowledged acknowledging"},
	{sayVerb{lemma: "agree"}, "agree agrees agreed"},
	{sayVerb{lemma: "estimate"}, "estimates estimated"},
	{sayVerb{lemma: "urge"}, "urges urged urging"},
	{sayVerb{lemma: "declare"}, "declares declared declaring"},
	{sayVerb{lemma: "observe"}, "observes observed observing"},
	{sayVerb{lemma: "mention"}, "mentions mentioned mentioning"},
	{sayVerb{lemma: "caution"}, "cautions cautioned cautioning"},
	{sayVerb{lemma: "contend"}, "contend contends contended contending"},
	{sayVerb{lemma: "worry"}, "worry worries worried"},
	{sayVerb{lemma: "answer"}, "answered"},
	{sayVerb{lemma: "remark"}, "remarked"},
	{sayVerb{lemma: "vow"}, "vows vowed vowing"},
	{sayVerb{lemma: "promise"}, "promises promised promising"},
	{sayVerb{lemma: "accuse"}, "accuses accused accusing"},
	{sayVerb{lemma: "criticize"}, "criticizes criticized criticizing criticises criticised criticising"},
	{sayVerb{lemma: "complain"}, "complains complained complaining"},
	{sayVerb{lemma: "conclude"}, "concludes concluded concluding"},
	{sayVerb{lemma: "put it", next: "it"}, "put puts putting"},
	// Verbs of naming that say nothing without a quotation.
	{sayVerb{lemma: "call", naming: true, quoteOnly: true}, "call calls called calling"},
	{sayVerb{lemma: "label", naming: true, quoteOnly: true}, "label labels labelled labeled labelling labeling"},
	{sayVerb{lemma: "brand", naming: true, quoteOnly: true}, "brand brands branded branding"},
	{sayVerb{lemma: "dub", naming: true, quoteOnly: true}, "dub dubs dubbed dubbing"},
	{sayVerb{lemma: "term", naming: true, quoteOnly: true}, "term terms termed terming"},
	{sayVerb{lemma: "according to", next: "to"}, "according"},

	{sayVerb{lemma: "claim", loaded: true, reason: "“Claimed” hints that the statement may be untrue; “said” reports it and lets readers judge."}, "claim claims claimed claiming"},
	{sayVerb{lemma: "admit", loaded: true, reason: "“Admitted” makes the statement sound like a confession of something wrong or embarrassing."}, "admit admits admitted admitting"},
	{sayVerb{lemma: "concede", loaded: true, reason: "“Conceded” suggests the speaker gave ground or lost an argument."}, "concede concedes conceded conceding"},
	{sayVerb{lemma: "insist", loaded: true, reason: "“Insisted” makes the speaker sound stubborn, as if holding on against the facts."}, "insist insists insisted insisting"},
	{sayVerb{lemma: "allege", loaded: true, reason: "“Alleged” stresses that the statement is unproven; fair for a charge in court, doubtful elsewhere."}, "allege alleges alleged alleging"},
	{sayVerb{lemma: "assert", loaded: true, reason: "“Asserted” can suggest the statement was made without support."}, "asserts asserted asserting"},
	{sayVerb{lemma: "confess", loaded: true, reason: "“Confessed” frames the statement as owning up to wrongdoing."}, "confesses confessed confessing"},
	{sayVerb{lemma: "boast", loaded: true, reason: "“Boasted” paints the speaker as showing off instead of reporting what they said."}, "boast boasts boasted boasting"},
	{sayVerb{lemma: "brag", loaded: true, reason: "“Bragged” paints the speaker as a show-off instead of reporting what they said."}, "brag brags bragged bragging"},
	{sayVerb{lemma: "trumpet", loaded: true, reason: "“Trumpeted” makes the speaker sound loud and self-satisfied."}, "trumpets trumpeted trumpeting"},
	{sayVerb{lemma: "slam", loaded: true, reason: "“Slammed” turns a criticism into a violent hit."}, "slam slams slammed slamming"},
	{sayVerb{lemma: "blast", loaded: true, reason: "“Blasted” makes a comment sound like an explosion."}, "blasts blasted blasting"},
	{sayVerb{lemma: "lash out", loaded: true, reason: "“Lashed out” pictures the speaker striking out in anger.", next: "out"}, "lashes lashed lashing"},
	{sayVerb{lemma: "rant", loaded: true, reason: "“Ranted” paints the speaker as angry and unreasonable, so readers dismiss what was said."}, "rant rants ranted ranting"},
	{sayVerb{lemma: "rave", loaded: true, reason: "“Raved” makes the speaker sound wild, which mocks instead of reporting."}, "raves raved"},
	{sayVerb{lemma: "whine", loaded: true, reason: "“Whined” makes a complaint sound childish."}, "whine whines whined whining"},
	{sayVerb{lemma: "moan", loaded: true, reason: "“Moaned” makes a complaint sound petty."}, "moans moaned grumbled griped"},
	{sayVerb{lemma: "snap", loaded: true, reason: "“Snapped” makes the speaker sound bad-tempered."}, "snaps snapped"},
	{sayVerb{lemma: "fume", loaded: true, reason: "“Fumed” makes the speaker sound ruled by anger."}, "fumes fumed"},
	{sayVerb{lemma: "scoff", loaded: true, reason: "“Scoffed” makes the speaker sound contemptuous."}, "scoffs scoffed"},
	{sayVerb{lemma: "sneer", loaded: true, reason: "“Sneered” makes the speaker sound contemptuous."}, "sneers sneered"},
	{sayVerb{lemma: "gush", loaded: true, reason: "“Gushed” makes praise sound silly and overdone."}, "gushes gushed"},
	{sayVerb{lemma: "reveal", loaded: true, reason: "“Revealed” presents the statement as a hidden truth brought to light, which vouches for it."}, "reveals revealed revealing"},
	{sayVerb{lemma: "point out", loaded: true, reason: "“Pointed out” presents the statement as plainly true.", next: "out"}, "points pointed pointing"},
	{sayVerb{lemma: "purport", loaded: true, reason: "“Purported” signals disbelief in the statement."}, "purports purported"},
}

var sayForms = func() map[string]verbForm {
	m := map[string]verbForm{}
	for i := range sayVerbs {
		for _, f := range strings.Fields(sayVerbs[i].forms) {
			m[f] = verbForm{verb: &sayVerbs[i].verb, participle: strings.HasSuffix(f, "ing")}
		}
	}
	return m
}()

// impersonalVerbs follow "it is (widely)" in an unattributed claim: "it
// is widely thought", "it was believed".
var impersonalVerbs = lexSet("thought believed said claimed understood feared expected assumed rumoured rumored reported suggested argued alleged held accepted felt")

// hedgeAdverbs attribute a claim to nobody in particular.
var hedgeAdverbs = map[string]*sayVerb{
	"reportedly": {lemma: "reportedly"},
	"reputedly":  {lemma: "reputedly"},
	"allegedly":  {lemma: "allegedly", loaded: true, reason: "“Allegedly” signals doubt without saying who doubts or why."},
	"supposedly": {lemma: "supposedly", loaded: true, reason: "“Supposedly” signals disbelief without saying who disbelieves or why."},
	"purportedly": {lemma: "purportedly", loaded: true,
		reason: "“Purportedly” signals disbelief without saying who disbelieves or why."},
}

// impersonalAdverbs may stand between "it is" and the verb.
var impersonalAdverbs = lexSet("widely generally commonly often now long increasingly also still broadly")

// relayNouns, after a named outlet or body, relay its account: "a New
// York Times report", "NYT's report".
var relayNouns = lexSet("report reports")

// Source types: who stands behind an attribution.
const (
	// SourceNamed is a person or organisation named in the text.
	SourceNamed = "named"
	// SourceInstitution is an identified body without a name: "the
	// council", "city staff", "his family".
	SourceInstitution = "institution"
	// SourceAnonymous is an unnamed source: "officials", "three people
	// familiar with the matter".
	SourceAnonymous = "anonymous"
	// SourceGroup is a view put to a whole group: "critics say".
	SourceGroup = "group"
	// SourceUnattributed is a claim put to nobody: "some believe", "it is
	// widely thought", "reportedly".
	SourceUnattributed = "unattributed"
	// SourceUnknown is a quotation whose speaker was not found.
	SourceUnknown = "unknown"
)

// Kinds of named speakers.
const (
	KindPerson       = "person"
	KindOrganization = "organization"
	KindInstitution  = "institution"
)

var (
	anonHeads        = lexSet("official officials source sources aide aides insider insiders diplomat diplomats individual individuals person persons people")
	groupHeads       = lexSet("critics supporters analysts experts observers opponents advocates proponents skeptics sceptics residents activists economists scientists researchers lawmakers legislators democrats republicans conservatives liberals progressives voters parents campaigners environmentalists commentators pundits historians investors traders doctors teachers families neighbours neighbors voices detractors fans allies rivals locals leaders veterans farmers workers protesters protestors scholars academics")
	unattribHeads    = lexSet("some many others few most everyone everybody someone somebody reports rumours rumors speculation")
	institutionHeads = lexSet("council government ministry department administration police staff spokesman spokeswoman spokesperson embassy agency court committee commission company campaign office family prosecutors authorities military pentagon board")
	pronounSubjects  = lexSet("he she they")
	// anonMarkers follow an anonymous head: "people familiar with the
	// matter", "sources with knowledge of", "officials briefed on".
	anonMarkers = lexSet("familiar knowledge briefed close aware")
	// npModifiers may stand before a head noun inside a source phrase.
	npModifiers = lexSet("the a an those these some many several few most other one two three four five six seven eight nine ten dozen dozens numerous multiple all both senior junior top former current local federal state city administration government military intelligence security white house police foreign defense defence u s us uk eu his her their its our anonymous unnamed two-thirds more")
	// skipBeforeVerb may stand between a subject and its verb.
	skipBeforeVerb = lexSet("also has have had was were is are would will could may might should shall can did does do later earlier previously repeatedly firmly publicly privately then again once often long recently quickly flatly bluntly even still just never always already too further herself himself themselves")
	// capStop are capitalised words that open sentences and never names.
	capStop = lexSet("anyone anybody nobody everyone everybody someone somebody the a an this that these those it its he she they we i you his her their our my your some many most several few other others all both each every no none any here there what which who whom whose when where why how but and or so yet if as while although though however still even also then now today yesterday tomorrow meanwhile following after before under over in on at for from by with without of to into during since until despite according one two three four five six seven eight nine ten monday tuesday wednesday thursday friday saturday sunday please")
	// clauseOpeners may stand right before a subject.
	clauseOpeners = lexSet("and but while although though however meanwhile that as when because so then whereas")
	honorifics    = lexSet("mr mrs ms miss mx dr sir dame")
	roleWords     = lexSet("president presidents vice prime minister ministers secretary senator sen representative rep congressman congresswoman governor gov mayor councillor councilor councilman councilwoman chief police fire director executive spokesman spokeswoman spokesperson ambassador general gen colonel col lieutenant lt sergeant sgt captain capt admiral judge justice professor prof economist analyst chair chairman chairwoman chairperson ceo founder officer commissioner sheriff attorney lawyer leader head king queen prince princess pope deputy former foreign defense defence interior finance health member lawmaker speaker rev reverend bishop archbishop rabbi imam coach manager host anchor correspondent reporter editor writer author researcher scientist historian activist candidate nominee superintendent principal dean chancellor trustee owner director-general envoy adviser advisor aide commander inspector agent detective premier chancellor" +
		// The roles ordinary people are named by in a news story:
		// "said parent Maria Gomez", "nurse Ann Marsh said".
		" parent mother father grandmother grandfather resident student pupil teacher nurse doctor physician surgeon paramedic firefighter worker farmer driver commuter neighbour neighbor voter volunteer organizer organiser shopkeeper shopper customer tenant landlord homeowner patient survivor witness veteran pastor priest vicar engineer lecturer midwife pharmacist fisherman caretaker retiree entrepreneur businessman businesswoman")
	nameParticles = lexSet("de da del della di du van von der den la le los las bin ibn al el")
	orgWords      = lexSet("times post journal news press agency department ministry council committee commission association union party office house court bank fund institute university college school company corporation corp inc ltd group foundation network administration government congress senate parliament assembly army navy force forces guard police service services bureau center centre organization organisation outreach church board authority reuters bloomberg pentagon kremlin nations federation coalition alliance club team league tribune herald gazette telegraph guardian review daily weekly radio television tv broadcasting cartel initiative programme program project trust")
	placeWords    = lexSet("street st road rd avenue ave boulevard bridge flats city county state states river park square lake mountain island islands valley hill hills bay coast sea ocean gulf province region district america americas town village border")
	// ofWords join a person to the body they speak for: "Samuel Breck of
	// Halvern Community College".
	ofWords = lexSet("of at from for")
	// beForms before a verb of naming make it passive: "was branded".
	beForms = lexSet("is are was were be been being")
	// coordinators join a second verb to the first one's subject: "Hale
	// called the rise “daylight robbery” and said ...".
	coordinators = lexSet("and but")
	// relativeWords open a clause of their own, or stand for the object a
	// verb of naming names: "what Hale called “daylight robbery”".
	relativeWords = lexSet("what which who whom whose that")
	// particlesAfter, right after "call", make another verb than one of
	// naming: "called for a vote", "called on the council", "called off".
	particlesAfter = lexSet("on upon for off out up in back at to into about")
	// determiners before a verb of saying make it a noun: "the comments".
	determiners = lexSet("the a an his her their its our my your this that these those")
)

// Word flags: what a word can be in a source phrase. Each token's flags
// are looked up once, in one map, when the text is prepared.
const (
	fRole uint32 = 1 << iota
	fAnon
	fGroup
	fUnattrib
	fInstitution
	fPronoun
	fAnonMarker
	fModifier
	fSkip
	fCapStop
	fOpener
	fHonorific
	fParticle
	fOrg
	fPlace
	fOf
	fRelay
	fImpersonalVerb
	fImpersonalAdverb
	fBe
	fCoordinator
	fRelative
	fParticleAfter
	fDeterminer
)

// lexInfo is everything the source analysis knows about one word.
type lexInfo struct {
	flags uint32
	verb  verbForm // a verb of saying, when verb.verb is set
	hedge *sayVerb // "reportedly", "allegedly"
}

// sourceLexicon maps a word to its entry in lexInfos; entry 0 is the
// empty one, so that a token costs two bytes.
var sourceLexicon, lexInfos = func() (map[string]uint16, []lexInfo) {
	m := map[string]lexInfo{}
	for _, set := range []struct {
		words map[string]bool
		flag  uint32
	}{
		{roleWords, fRole}, {anonHeads, fAnon}, {groupHeads, fGroup}, {unattribHeads, fUnattrib},
		{institutionHeads, fInstitution}, {pronounSubjects, fPronoun}, {anonMarkers, fAnonMarker},
		{npModifiers, fModifier}, {skipBeforeVerb, fSkip}, {capStop, fCapStop}, {clauseOpeners, fOpener},
		{honorifics, fHonorific}, {nameParticles, fParticle}, {orgWords, fOrg}, {placeWords, fPlace},
		{ofWords, fOf}, {relayNouns, fRelay}, {impersonalVerbs, fImpersonalVerb}, {impersonalAdverbs, fImpersonalAdverb},
		{beForms, fBe}, {coordinators, fCoordinator}, {relativeWords, fRelative},
		{particlesAfter, fParticleAfter}, {determiners, fDeterminer},
	} {
		for w := range set.words {
			e := m[w]
			e.flags |= set.flag
			m[w] = e
		}
	}
	for w, vf := range sayForms {
		e := m[w]
		e.verb = vf
		m[w] = e
	}
	for w, v := range hedgeAdverbs {
		e := m[w]
		e.hedge = v
		m[w] = e
	}
	words := make([]string, 0, len(m))
	for w := range m {
		words = append(words, w)
	}
	sort.Strings(words)
	ids := make(map[string]uint16, len(words))
	infos := []lexInfo{{}}
	for _, w := range words {
		ids[w] = uint16(len(infos))
		infos = append(infos, m[w])
	}
	return ids, infos
}()

// sourceWord is the entry of a folded word, possessive dropped, in
// sourceLexicon; the stem cache keeps it with the word.
func sourceWord(fold string) uint16 {
	return sourceLexicon[strings.TrimSuffix(fold, "'s")]
}

// is reports whether token i's word has any of the flags.
func (d *srcDoc) is(i int, flags uint32) bool { return lexInfos[d.lex[i]].flags&flags != 0 }

// verbAt returns the verb of saying token i spells, if any.
func (d *srcDoc) verbAt(i int) verbForm {
	if d.lex[i] == 0 || d.isPossessive(i) {
		return verbForm{}
	}
	return lexInfos[d.lex[i]].verb
}

// hedgeAt returns the hedging adverb token i spells, if any.
func (d *srcDoc) hedgeAt(i int) *sayVerb {
	if d.lex[i] == 0 || d.isPossessive(i) {
		return nil
	}
	return lexInfos[d.lex[i]].hedge
}

func lexSet(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// srcDoc is one text prepared for source analysis: its tokens, quotations
// and sentences, with each token's quotation and sentence looked up once.
type srcDoc struct {
	text   string
	toks   []token
	quotes []Span
	sents  []Span
	lex    []uint16 // per token: index into lexInfos, 0 for none
	tq     []int32  // per token: index of the quotation holding it, or -1
	ts     []int32  // per token: index of its sentence, or -1
	sentTo [][2]int // per sentence: first token and one past the last
	// newlines are the offsets of the text's line breaks, found on the
	// first lineStart or lineEnd (nil before), in newlinesBuf's memory.
	newlines, newlinesBuf []int
}

// lineStart returns the offset where the line holding offset p starts.
func (d *srcDoc) lineStart(p int) int {
	nl := d.lineBreaks()
	i, _ := slices.BinarySearch(nl, p) // the first break at or after p
	if i == 0 {
		return 0
	}
	return nl[i-1] + 1
}

// lineEnd returns the offset of the first line break at or after p, or
// the text's length.
func (d *srcDoc) lineEnd(p int) int {
	nl := d.lineBreaks()
	if i, _ := slices.BinarySearch(nl, p); i < len(nl) {
		return nl[i]
	}
	return len(d.text)
}

func (d *srcDoc) lineBreaks() []int {
	if d.newlines == nil {
		d.newlines = d.newlinesBuf[:0]
		if d.newlines == nil {
			d.newlines = []int{}
		}
		for i := 0; i < len(d.text); i++ {
			if d.text[i] == '\n' {
				d.newlines = append(d.newlines, i)
			}
		}
	}
	return d.newlines
}

func newSrcDoc(text string, toks []token, quotes, sents []Span, sc *sourceScratch) *srcDoc {
	d := &srcDoc{text: text, toks: toks, quotes: quotes, sents: sents,
		tq: slices.Grow(sc.tq[:0], len(toks))[:len(toks)], ts: slices.Grow(sc.ts[:0], len(toks))[:len(toks)],
		sentTo: slices.Grow(sc.sentTo[:0], len(sents))[:len(sents)], lex: slices.Grow(sc.lex[:0], len(toks))[:len(toks)],
		newlinesBuf: sc.newlines[:0]}
	q, s := 0, 0
	for i := range toks {
		t := &toks[i]
		if t.starts&startsKnown != 0 {
			d.lex[i] = t.source
		} else {
			d.lex[i] = sourceWord(t.fold)
		}
		for q < len(quotes) && quotes[q].End <= t.start {
			q++
		}
		d.tq[i] = -1
		if q < len(quotes) && quotes[q].Start <= t.start && t.end <= quotes[q].End {
			d.tq[i] = int32(q)
		}
		for s < len(sents) && sents[s].End <= t.start {
			s++
		}
		d.ts[i] = -1
		if s < len(sents) && sents[s].Start <= t.start && t.end <= sents[s].End {
			d.ts[i] = int32(s)
		}
	}
	i := 0
	for si, sp := range sents {
		for i < len(toks) && toks[i].start < sp.Start {
			i++
		}
		j := i
		for j < len(toks) && toks[j].end <= sp.End {
			j++
		}
		d.sentTo[si] = [2]int{i, j}
		i = j
	}
	return d
}

func (d *srcDoc) fold(i int) string { return d.toks[i].fold }

// word is the token's fold without a possessive ending.
func (d *srcDoc) word(i int) string {
	f := d.toks[i].fold
	if strings.HasSuffix(f, "'s") {
		return f[:len(f)-2]
	}
	return f
}

func (d *srcDoc) surface(i int) string { return d.text[d.toks[i].start:d.toks[i].end] }

// isCap reports whether the token starts with an upper-case letter.
func (d *srcDoc) isCap(i int) bool { return d.toks[i].capitalised(d.text) }

func (d *srcDoc) isPossessive(i int) bool { return strings.HasSuffix(d.toks[i].fold, "'s") }

// isAcronym reports whether the token reads as an acronym: at least two
// upper-case letters ("NYT", "DoD", "FBI").
func (d *srcDoc) isAcronym(i int) bool {
	w := d.surface(i)
	if d.isPossessive(i) {
		w = w[:len(w)-len("'s")]
		if r, size := utf8.DecodeLastRuneInString(d.surface(i)[:len(w)+1]); r == '\u2019' {
			w = d.surface(i)[:len(d.surface(i))-size-1]
		}
	}
	upper, letters := 0, 0
	for _, r := range w {
		if unicode.IsLetter(r) {
			letters++
			if unicode.IsUpper(r) {
				upper++
			}
		}
	}
	return upper >= 2 && (upper == letters || letters <= 4)
}

// joined reports whether tokens i-1 and i belong to one phrase: the same
// sentence and quotation status, and nothing but spaces or a hyphen between
// them, or a full stop after an abbreviation or an initial ("Ms.
// Sheinbaum", "U.S. officials").
func (d *srcDoc) joined(i int) bool {
	if i <= 0 || i >= len(d.toks) || d.ts[i] != d.ts[i-1] || d.tq[i] != d.tq[i-1] {
		return false
	}
	gap := d.text[d.toks[i-1].end:d.toks[i].start]
	if gap == "" {
		return false
	}
	if r, size := utf8.DecodeRuneInString(gap); isApostrophe(r) && strings.HasSuffix(d.toks[i-1].fold, "s") {
		// "the Halvern Taxpayers' Association"
		gap = gap[size:]
		if gap == "" {
			return false
		}
	}
	dot := false
	for _, r := range gap {
		switch {
		case r == ' ' || r == '\t' || r == '\u00a0':
		case r == '-' || r == '\u2010' || r == '\u2011':
		case r == '.' && !dot:
			dot = true
		default:
			return false
		}
	}
	return !dot || d.abbreviation(i-1)
}

// abbreviation reports whether token i is a word a full stop after it
// does not end the phrase: an honorific, an initial or an abbreviated
// title ("St", "Jr", "Gen").
func (d *srcDoc) abbreviation(i int) bool {
	if d.is(i, fHonorific) {
		return true
	}
	switch w := d.fold(i); w {
	case "st", "jr", "gen", "sen", "gov", "rep", "lt", "col", "sgt":
		return true
	default:
		return utf8.RuneCountInString(w) == 1
	}
}

// hyphened reports whether tokens i-1 and i are joined by a hyphen.
func (d *srcDoc) hyphened(i int) bool {
	if !d.joined(i) {
		return false
	}
	return strings.ContainsAny(d.text[d.toks[i-1].end:d.toks[i].start], "-\u2010\u2011")
}

// commaBefore reports whether a comma (and nothing that closes a sentence
// or a quotation) separates tokens i-1 and i inside one sentence.
func (d *srcDoc) commaBefore(i int) bool {
	if i <= 0 || i >= len(d.toks) || d.ts[i] != d.ts[i-1] || d.tq[i] != d.tq[i-1] {
		return false
	}
	gap := d.text[d.toks[i-1].end:d.toks[i].start]
	return strings.IndexByte(gap, ',') >= 0 && !strings.ContainsAny(gap, ".;:!?\n\"\u201c\u201d")
}

// clauseStartsAt reports whether a subject may begin at token i: at the
// start of its sentence, after punctuation or a quotation, or after a
// conjunction.
func (d *srcDoc) clauseStartsAt(i, lo int) bool {
	if i <= lo || d.ts[i] != d.ts[i-1] || d.tq[i] != d.tq[i-1] {
		return true
	}
	if strings.ContainsAny(d.text[d.toks[i-1].end:d.toks[i].start], ",;:!?()[]{}\"\n\u2014\u2013\u201c\u201d\u00ab\u00bb") {
		return true
	}
	return d.is(i-1, fOpener)
}

// nounPhrase is a phrase that may name the source of an attribution.
type nounPhrase struct {
	first, last int    // tokens, inclusive
	nameFirst   int    // first token of the name, after any title or role; -1 if none
	nameLast    int    // last token of the name
	source      string // SourceNamed, SourceInstitution, SourceAnonymous, SourceGroup, SourceUnattributed
	kind        string // for named and institution sources
	pronoun     bool
	role        string // title or role given with the name ("Mexican President")
	appositive  string // description set off by commas ("who resigned ...")
	honorific   bool   // the name came with "Mr.", "Ms.", "Dr."
}

// span is the phrase's byte range.
func (d *srcDoc) span(np nounPhrase) Span {
	return Span{Start: d.toks[np.first].start, End: d.toks[np.last].end}
}

// nameText is the name as written, without title or honorific.
func (d *srcDoc) nameText(np nounPhrase) string {
	if np.nameFirst < 0 {
		return d.text[d.toks[np.first].start:d.toks[np.last].end]
	}
	end := d.toks[np.nameLast].end
	if d.isPossessive(np.nameLast) {
		end = d.possessiveCut(np.nameLast)
	}
	return d.text[d.toks[np.nameFirst].start:end]
}

// possessiveCut returns the byte offset where token i's possessive ending
// begins.
func (d *srcDoc) possessiveCut(i int) int {
	end := d.toks[i].end
	end-- // s
	r, size := utf8.DecodeLastRuneInString(d.text[:end])
	if isApostrophe(r) {
		end -= size
	}
	return end
}

// isNameToken reports whether token i can be part of a capitalised run.
func (d *srcDoc) isNameToken(i int) bool {
	return d.isCap(i) || d.is(i, fRole)
}

// capRunBack walks left from token j over a run of capitalised tokens,
// role words and name particles. It returns the first token of the run.
func (d *srcDoc) capRunBack(j, lo int) int {
	k := j
	for k > lo && d.joined(k) {
		p := k - 1
		if d.isNameToken(p) {
			k = p
			continue
		}
		if d.is(p, fParticle) && p > lo && d.joined(p) && d.isCap(p-1) {
			k = p - 1
			continue
		}
		break
	}
	return k
}

// capRunForward walks right from token i; it returns the last token.
func (d *srcDoc) capRunForward(i, hi int) int {
	k := i
	for k+1 < hi && d.joined(k+1) {
		n := k + 1
		if d.isPossessive(k) {
			// "Mexico's president Claudia Sheinbaum": a possessive may
			// only be followed by a role word.
			if d.is(n, fRole) {
				k = n
				continue
			}
			break
		}
		if d.isNameToken(n) {
			k = n
			continue
		}
		if d.is(n, fParticle) && n+1 < hi && d.joined(n+1) && d.isCap(n+1) {
			k = n + 1
			continue
		}
		break
	}
	return k
}

// namedPhrase classifies the capitalised run [first, last]: it splits off
// opening stop words and a leading title or role, then decides between a
// person, an organisation and a place (which cannot speak).
func (d *srcDoc) namedPhrase(first, last int) (nounPhrase, bool) {
	for first <= last && d.is(first, fCapStop) {
		first++
	}
	if first > last {
		return nounPhrase{}, false
	}
	nameFirst, honorific := d.nameStart(first, last)
	np := nounPhrase{first: first, last: last, nameFirst: nameFirst, nameLast: last, honorific: honorific}
	if nameFirst > last {
		// Only a title: "the President said". An identified body or
		// office, but no name.
		np.nameFirst = -1
		np.source, np.kind = SourceInstitution, KindInstitution
		return np, true
	}
	roleEnd := nameFirst
	for roleEnd > first && d.is(roleEnd-1, fHonorific) {
		roleEnd--
	}
	if roleEnd > first {
		np.role = d.text[d.toks[first].start:d.toks[roleEnd-1].end]
	}
	kind, ok := d.nameKind(nameFirst, last, np.role != "")
	if !ok {
		return nounPhrase{}, false
	}
	np.source, np.kind = SourceNamed, kind
	return np, true
}

// nameStart returns where the name in the run [first, last] starts: the
// longest tail of tokens that are not role words, less the honorifics
// before it, which go with neither (last+1 when no name is left), and
// whether it left out an honorific.
func (d *srcDoc) nameStart(first, last int) (nameFirst int, honorific bool) {
	nameFirst = last + 1
	for k := last; k >= first; k-- {
		// A capitalised role word ending the run after a capitalised
		// word that is no role word is a name's part.
		if d.is(k, fRole) && !(k == last && d.isCap(k) && k > first && !d.is(k-1, fRole) && d.isCap(k-1)) {
			break
		}
		if d.isPossessive(k) && k != last {
			break
		}
		nameFirst = k
	}
	for nameFirst <= last && d.is(nameFirst, fHonorific) {
		nameFirst++
		honorific = true
	}
	return nameFirst, honorific
}

// nameKind says whose the name [nameFirst, last] is, a person's or an
// organisation's, or false when it names no source: it ends in a place,
// or it is a single word, without a role, that a word list says is a
// common word.
func (d *srcDoc) nameKind(nameFirst, last int, hasRole bool) (string, bool) {
	kind := KindPerson
	words := 0
	for k := nameFirst; k <= last; k++ {
		if d.is(k, fPlace) && k == last {
			return "", false
		}
		if d.is(k, fOrg) || d.isAcronym(k) {
			kind = KindOrganization
		}
		if !d.is(k, fParticle) {
			words++
		}
	}
	if words == 1 && kind == KindPerson && !hasRole && d.is(nameFirst, fAnon|fGroup|fUnattrib|fInstitution|fPronoun) {
		return "", false
	}
	return kind, true
}

// commonPhrase reads a source phrase around the common noun at token h
// ("three people", "Mexican officials", "critics", "some"), extending left
// over determiners and modifiers. It returns false when the head is no
// source word.
func (d *srcDoc) commonPhrase(h, lo int) (nounPhrase, bool) {
	var source, kind string
	switch {
	case d.is(h, fGroup):
		source = SourceGroup
	case d.is(h, fAnon):
		source = SourceAnonymous
	case d.is(h, fUnattrib):
		source = SourceUnattributed
	case d.is(h, fInstitution):
		source, kind = SourceInstitution, KindInstitution
	default:
		return nounPhrase{}, false
	}
	first := d.modifiersBefore(h, lo)
	np := nounPhrase{first: first, last: h, nameFirst: -1, source: source, kind: kind}
	if w := d.word(h); w == "people" || w == "persons" {
		// Bare "people say" names nobody; "three people", "those people"
		// are particular, unnamed sources.
		np.source = SourceUnattributed
		for k := first; k < h; k++ {
			if pw := d.word(k); pw != "many" && pw != "some" && pw != "most" && pw != "other" && pw != "more" {
				np.source = SourceAnonymous
			}
		}
	}
	if source == SourceUnattributed && first < h {
		// "some critics" is a group; "many people" stays unattributed.
		np.source = SourceUnattributed
	}
	return np, true
}

// modifiersBefore returns the first token of the phrase that ends at the
// head h: up to five joined modifiers before it (words listed as such,
// capitalised words, numbers, hyphened words and source words), never
// before token lo, nor a pronoun, "that" or a verb.
func (d *srcDoc) modifiersBefore(h, lo int) int {
	first := h
	for n := 0; first > lo && n < 5 && d.joined(first); n++ {
		p := first - 1
		pw := d.word(p)
		if !(d.is(p, fModifier) || d.isCap(p) || allDigits(pw) || d.hyphened(first) || d.hyphened(p) || d.is(p, fGroup) || d.is(p, fAnon) || d.is(p, fInstitution)) {
			break
		}
		if d.is(p, fPronoun) || pw == "that" || d.verbAt(p).verb != nil {
			break
		}
		first = p
	}
	return first
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// phraseEndingAt reads the source phrase whose last token is j, looking
// no further left than lo.
func (d *srcDoc) phraseEndingAt(j, lo int) (nounPhrase, bool) {
	if j < lo || d.tq[j] >= 0 {
		return nounPhrase{}, false
	}
	if d.is(j, fPronoun) && !d.isPossessive(j) {
		return nounPhrase{first: j, last: j, nameFirst: -1, pronoun: true}, true
	}
	if np, ok := d.commonPhrase(j, lo); ok && !(d.isCap(j) && j > lo && d.joined(j) && d.isCap(j-1) && !d.is(j-1, fModifier)) {
		return np, true
	}
	if np, ok := d.anonWithMarker(j, lo); ok {
		return np, true
	}
	if !d.isCap(j) {
		return nounPhrase{}, false
	}
	first := d.capRunBack(j, lo)
	np, ok := d.namedPhrase(first, j)
	if !ok && !(first < j) {
		return nounPhrase{}, false
	}
	// "Samuel Breck of Halvern Community College", "activists from
	// Halvern Street Outreach": the body belongs to the speaker before it.
	if (!ok || np.kind == KindOrganization) && first-2 >= lo && d.joined(first) && d.is(first-1, fOf) && d.joined(first-1) {
		if inner, ok2 := d.phraseEndingAt(first-2, lo); ok2 && !inner.pronoun && inner.kind != KindOrganization {
			body := d.text[d.toks[first-1].start:d.toks[j].end]
			inner.last = j
			if inner.source == SourceNamed {
				inner.role = joinRole(inner.role, body)
			}
			return inner, true
		}
	}
	return np, ok
}

// anonWithMarker finds "people familiar with the matter", "officials
// briefed on the talks" ending at token j.
func (d *srcDoc) anonWithMarker(j, lo int) (nounPhrase, bool) {
	for k, n := j, 0; k > lo && n < 7 && d.joined(k); k, n = k-1, n+1 {
		if !d.is(k, fAnonMarker) {
			continue
		}
		h := k - 1
		if d.fold(h) == "with" && h > lo && d.joined(h) {
			h--
		}
		if !d.is(h, fAnon) {
			continue
		}
		np, ok := d.commonPhrase(h, lo)
		if !ok {
			continue
		}
		np.source = SourceAnonymous
		np.last = j
		return np, true
	}
	return nounPhrase{}, false
}

// phraseStartingAt reads a source phrase that begins at token i and ends
// before hi: the subject at the start of a sentence or caption, the
// speaker after "said" or "according to".
func (d *srcDoc) phraseStartingAt(i, hi int) (nounPhrase, bool) {
	if i >= hi || d.tq[i] >= 0 {
		return nounPhrase{}, false
	}
	if d.is(i, fPronoun) && !d.isPossessive(i) {
		return nounPhrase{first: i, last: i, nameFirst: -1, pronoun: true}, true
	}
	if np, ok := d.commonPhraseStartingAt(i, hi); ok {
		return np, true
	}
	if !d.isNameToken(i) {
		return nounPhrase{}, false
	}
	return d.namePhraseStartingAt(i, hi)
}

// commonPhraseStartingAt reads a common source phrase ("three people",
// "Mexican officials") starting at token i, its head within a few tokens.
func (d *srcDoc) commonPhraseStartingAt(i, hi int) (nounPhrase, bool) {
	for k, n := i, 0; k < hi && n < 6 && (k == i || d.joined(k)); k, n = k+1, n+1 {
		if d.is(k, fAnon|fGroup|fUnattrib|fInstitution) {
			if d.isCap(k) && k > i && d.isCap(k-1) && !d.is(k-1, fModifier) {
				return nounPhrase{}, false // part of a name: "Halvern City Council"
			}
			np, ok := d.commonPhrase(k, i)
			if !ok || np.first != i {
				return nounPhrase{}, false
			}
			return d.withAnonMarker(np, k+1, hi), true
		}
		if !(d.is(k, fModifier) || allDigits(d.word(k)) || d.isCap(k)) {
			return nounPhrase{}, false
		}
		if d.isCap(k) && !d.is(k, fModifier) {
			return nounPhrase{}, false // a name comes first
		}
	}
	return nounPhrase{}, false
}

// withAnonMarker extends a common phrase whose head is at m-1 over a
// marker of anonymity and a few words after it: "people familiar with the
// matter".
func (d *srcDoc) withAnonMarker(np nounPhrase, m, hi int) nounPhrase {
	if m+1 >= hi || !d.joined(m) || !d.is(m, fAnonMarker) {
		return np
	}
	last := m
	for last+1 < hi && d.joined(last+1) && last-m < 4 && !d.isCap(last+1) && d.verbAt(last+1).verb == nil {
		last++
	}
	np.source = SourceAnonymous
	np.last = last
	return np
}

// namePhraseStartingAt reads a name starting at token i, with the body
// the person speaks for when one follows: "Samuel Breck of Halvern
// Community College".
func (d *srcDoc) namePhraseStartingAt(i, hi int) (nounPhrase, bool) {
	last := d.capRunForward(i, hi)
	np, ok := d.namedPhrase(i, last)
	if !ok {
		return np, false
	}
	if np.kind == KindPerson && last+2 < hi && d.joined(last+1) && d.is(last+1, fOf) && d.joined(last+2) && d.isCap(last+2) {
		end := d.capRunForward(last+2, hi)
		if body, ok := d.namedPhrase(last+2, end); ok && body.kind == KindOrganization {
			np.role = joinRole(np.role, d.text[d.toks[last+1].start:d.toks[end].end])
			np.last = end
		}
	}
	return np, true
}

// trailingAppositive reads the description after a name set off by a
// comma, as in "said Walter Prynne, chair of the association." It takes
// the words up to the next comma or the end of the sentence when they
// open with an article or a role word.
func (d *srcDoc) trailingAppositive(last, hi int) string {
	k := last + 1
	if k >= hi || !d.commaBefore(k) || d.tq[k] >= 0 {
		return ""
	}
	if f := d.fold(k); f != "the" && f != "a" && f != "an" && !d.is(k, fRole) {
		return ""
	}
	end := k
	for end+1 < hi && d.joined(end+1) && end-k < 12 {
		end++
	}
	return d.text[d.toks[k].start:d.toks[end].end]
}

func joinRole(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + " " + b
}
