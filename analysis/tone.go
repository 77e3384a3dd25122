package analysis

import (
	"cmp"
	"embed"
	"fmt"
	"hash/maphash"
	"math"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/jonreiter/govader"
)

// VADER's conventional thresholds: a sentence whose compound score reaches
// +0.05 reads as positive, one at or below -0.05 as negative (Hutto and
// Gilbert 2014).
const (
	tonePositive = 0.05
	toneNegative = -0.05
)

// Tone is an article's sentiment and subjectivity: how positive or
// negative its sentences read (VADER), how much it hedges, intensifies,
// deals in absolutes or states opinions in its own voice, and whether its
// headline is more loaded than its body.
type Tone struct {
	// Compound is the mean VADER compound score of the body's sentences,
	// from -1 (most negative) to +1 (most positive).
	Compound float64 `json:"compound"`
	// OwnCompound is the same mean over the sentences in the outlet's own
	// voice (mostly outside quotation marks).
	OwnCompound float64 `json:"own_compound"`
	// Positive, Negative and Neutral are the shares of sentences that
	// read positive (compound ≥ 0.05), negative (≤ -0.05) or neither.
	Positive float64 `json:"positive"`
	Negative float64 `json:"negative"`
	Neutral  float64 `json:"neutral"`
	// Sentences holds each body sentence's score, in text order (the
	// same sentences as Report.Sentences).
	Sentences    []SentenceTone `json:"sentences"`
	Subjectivity Subjectivity   `json:"subjectivity"`
	Headline     HeadlineTone   `json:"headline"`
}

// SentenceTone is one sentence's VADER compound score.
type SentenceTone struct {
	Start    int     `json:"start"`
	End      int     `json:"end"`
	Compound float64 `json:"compound"`
	// Quoted marks a sentence that lies mostly inside quotation marks:
	// its tone is the speaker's rather than the outlet's.
	Quoted bool `json:"quoted"`
}

// Subjectivity counts the words by which a writer shows a stance instead
// of reporting: intensifiers ("extremely"), absolutes ("never",
// "everyone") and opinion markers ("unfortunately", "should"); and, apart,
// hedges ("reportedly", "could"), which soften a claim: careful reporting
// hedges too, so they are not counted as stance. Only the outlet's own
// voice counts; quoted words are the speaker's.
type Subjectivity struct {
	OwnWords       int `json:"own_words"`
	Intensifiers   int `json:"intensifiers"`
	Hedges         int `json:"hedges"`
	Absolutes      int `json:"absolutes"`
	OpinionMarkers int `json:"opinion_markers"`
	// PerThousand is intensifiers, absolutes and opinion markers
	// together per 1,000 words of own voice.
	PerThousand float64 `json:"per_thousand"`
	// HedgesPerThousand is hedges per 1,000 words of own voice.
	HedgesPerThousand float64 `json:"hedges_per_thousand"`
	// Cues lists each cue found, in text order.
	Cues []SubjectivityCue `json:"cues"`
}

// SubjectivityCue is one subjectivity cue in the text.
type SubjectivityCue struct {
	Start int    `json:"start"`
	End   int    `json:"end"`
	Text  string `json:"text"`
	// Kind is "intensifier", "hedge", "absolute" or "opinion".
	Kind string `json:"kind"`
}

// HeadlineTone sets the headline against the body: its sentiment, and its
// loaded language (from the lexicon) per word against the body's own
// voice.
type HeadlineTone struct {
	Words    int     `json:"words"`
	Compound float64 `json:"compound"`
	// Findings counts the headline's loaded terms outside quotation marks.
	Findings int `json:"findings"`
	// LoadedIndex is the headline's severity-weighted findings per 1,000
	// words, the measure Scores.LoadedIndex uses for the body.
	LoadedIndex float64 `json:"loaded_index"`
	// BodyLoadedIndex is the body's own-voice loaded index.
	BodyLoadedIndex float64 `json:"body_loaded_index"`
	// MoreLoaded says the headline carries more loaded language per word
	// than the body.
	MoreLoaded bool `json:"more_loaded"`
}

// ToneComparison sets the outlets' tone side by side. It is meant for
// Comparison; Compare does not fill it yet.
type ToneComparison struct {
	// Outlets are sorted by outlet name.
	Outlets []OutletTone `json:"outlets"`
	// Summary puts the comparison in a few plain sentences.
	Summary []string `json:"summary"`
}

// OutletTone is one outlet's tone in a comparison.
type OutletTone struct {
	ArticleID   int64   `json:"article_id"`
	Outlet      string  `json:"outlet"`
	Compound    float64 `json:"compound"`
	OwnCompound float64 `json:"own_compound"`
	Positive    float64 `json:"positive"`
	Negative    float64 `json:"negative"`
	Neutral     float64 `json:"neutral"`
	// Subjectivity is intensifiers, absolutes and opinion markers per
	// 1,000 words of own voice; Hedges is hedges per 1,000 words.
	Subjectivity        float64 `json:"subjectivity"`
	Hedges              float64 `json:"hedges"`
	HeadlineCompound    float64 `json:"headline_compound"`
	HeadlineLoadedIndex float64 `json:"headline_loaded_index"`
	BodyLoadedIndex     float64 `json:"body_loaded_index"`
	HeadlineMoreLoaded  bool    `json:"headline_more_loaded"`
}

// tone measures sentiment and subjectivity; it takes the quotation spans
// Analyze has already found, because finding them again would cost about a
// tenth of its time.
func (a *Analyzer) tone(doc Document, tokens, titleTokens []token, quotes []Span, sentences []Span, findings, titleFindings []Finding, scratch *vaderScratch, w *work) Tone {
	w.check()
	v := vaderScorer()
	t := Tone{Sentences: make([]SentenceTone, 0, len(sentences))}
	var sum, ownSum float64
	own, q := 0, 0
	scratch.tokens, scratch.tok = tokens, 0
	for _, s := range sentences {
		w.tick(1 + (s.End-s.Start)/8)
		scratch.base = s.Start
		c := v.compoundLowered(doc.Text[s.Start:s.End], "", scratch)
		var quoted bool
		quoted, q = toneMostlyQuoted(quotes, q, s)
		t.Sentences = append(t.Sentences, SentenceTone{Start: s.Start, End: s.End, Compound: round(c, 3), Quoted: quoted})
		sum += c
		if !quoted {
			ownSum += c
			own++
		}
		switch {
		case c >= tonePositive:
			t.Positive++
		case c <= toneNegative:
			t.Negative++
		default:
			t.Neutral++
		}
	}
	if n := float64(len(sentences)); n > 0 {
		t.Compound = round(sum/n, 3)
		t.Positive, t.Negative, t.Neutral = round(t.Positive/n, 3), round(t.Negative/n, 3), round(t.Neutral/n, 3)
	}
	if own > 0 {
		t.OwnCompound = round(ownSum/float64(own), 3)
	}
	scratch.tokens, scratch.tok = nil, 0
	t.Subjectivity = subjectivityOf(mustSubjectivity(), doc.Text, tokens, quotes, sentences, &scratch.cues)
	w.tick(len(tokens))
	t.Headline = headlineTone(v, doc.Title, titleTokens, titleFindings, findings, t.Subjectivity.OwnWords, scratch)
	return t
}

// toneMostlyQuoted reports whether more than half of sentence s lies inside
// the quotation spans; q is the first span that may still overlap s (both
// lists are in text order), and the updated q is returned.
func toneMostlyQuoted(quotes []Span, q int, s Span) (bool, int) {
	for q < len(quotes) && quotes[q].End <= s.Start {
		q++
	}
	inside := 0
	for i := q; i < len(quotes) && quotes[i].Start < s.End; i++ {
		inside += min(quotes[i].End, s.End) - max(quotes[i].Start, s.Start)
	}
	return 2*inside > s.End-s.Start, q
}

func headlineTone(v *vader, title string, titleTokens []token, titleFindings, findings []Finding, ownWords int, scratch *vaderScratch) HeadlineTone {
	h := HeadlineTone{}
	for _, t := range titleTokens {
		if t.hasLetter(title) {
			h.Words++
		}
	}
	weight := 0
	for _, f := range titleFindings {
		if !f.InQuote {
			h.Findings++
			weight += f.Severity
		}
	}
	bodyWeight := 0
	for _, f := range findings {
		if !f.InQuote {
			bodyWeight += f.Severity
		}
	}
	if strings.TrimSpace(title) != "" {
		h.Compound = round(v.compound(title, scratch), 3)
	}
	h.LoadedIndex = perThousand(weight, h.Words)
	h.BodyLoadedIndex = perThousand(bodyWeight, ownWords)
	h.MoreLoaded = h.Findings > 0 && h.LoadedIndex > h.BodyLoadedIndex
	return h
}

// compareTone sets the outlets' tone side by side, sorted by outlet name.
func compareTone(articles []ComparedArticle) ToneComparison {
	c := ToneComparison{Outlets: make([]OutletTone, 0, len(articles)), Summary: []string{}}
	for _, a := range articles {
		t := a.Report.Tone
		c.Outlets = append(c.Outlets, OutletTone{
			ArticleID: a.ArticleID, Outlet: a.Outlet,
			Compound: t.Compound, OwnCompound: t.OwnCompound,
			Positive: t.Positive, Negative: t.Negative, Neutral: t.Neutral,
			Subjectivity:        t.Subjectivity.PerThousand,
			Hedges:              t.Subjectivity.HedgesPerThousand,
			HeadlineCompound:    t.Headline.Compound,
			HeadlineLoadedIndex: t.Headline.LoadedIndex,
			BodyLoadedIndex:     t.Headline.BodyLoadedIndex,
			HeadlineMoreLoaded:  t.Headline.MoreLoaded,
		})
	}
	slices.SortStableFunc(c.Outlets, func(a, b OutletTone) int {
		return cmp.Or(strings.Compare(a.Outlet, b.Outlet), cmp.Compare(a.ArticleID, b.ArticleID))
	})
	if len(c.Outlets) >= 2 {
		byTone := slices.Clone(c.Outlets)
		slices.SortStableFunc(byTone, func(a, b OutletTone) int { return cmp.Compare(a.OwnCompound, b.OwnCompound) })
		neg, pos := byTone[0], byTone[len(byTone)-1]
		if pos.OwnCompound-neg.OwnCompound >= 0.1 {
			c.Summary = append(c.Summary, fmt.Sprintf("When it speaks for itself, %s sounds the most negative: %+.2f on a scale from -1 (negative) to +1 (positive). %s sounds the most positive: %+.2f.",
				neg.Outlet, neg.OwnCompound, pos.Outlet, pos.OwnCompound))
		} else {
			c.Summary = append(c.Summary, "When they speak for themselves, no outlet sounds much more positive or negative than the others.")
		}
		bySubj := slices.Clone(c.Outlets)
		slices.SortStableFunc(bySubj, func(a, b OutletTone) int { return cmp.Compare(b.Subjectivity, a.Subjectivity) })
		if most, least := bySubj[0], bySubj[len(bySubj)-1]; most.Subjectivity > 0 && most.Subjectivity >= 1.5*least.Subjectivity {
			c.Summary = append(c.Summary, fmt.Sprintf("%s uses the most stance words (words like “very”, “never” or “should”) when it speaks for itself. It has %s for every 1,000 words, against %s for %s.",
				most.Outlet, formatIndex(most.Subjectivity), formatIndex(least.Subjectivity), least.Outlet))
		}
	}
	for _, o := range c.Outlets {
		if o.HeadlineMoreLoaded {
			c.Summary = append(c.Summary, fmt.Sprintf("%s's headline is more loaded than its article. It has %s loaded words for every 1,000 words, against %s in the article, with strong words counting more.",
				o.Outlet, formatIndex(o.HeadlineLoadedIndex), formatIndex(o.BodyLoadedIndex)))
		}
	}
	return c
}

// Subjectivity cues are data: tone/subjectivity.yaml, one list per kind.

//go:embed tone/subjectivity.yaml
var builtinSubjectivityFS embed.FS

// subjectivityKinds are the kinds of subjectivity cue, in the order the
// cue sets index them.
var subjectivityKinds = []string{"intensifier", "hedge", "absolute", "opinion"}

type subjectivityFile struct {
	Kinds []subjectivityKind `yaml:"kinds"`
}

type subjectivityKind struct {
	Kind     string `yaml:"kind"`
	cueGroup `yaml:",inline"`
}

// builtinSubjectivity parses and compiles the embedded subjectivity cues
// once; TestBuiltinSubjectivityLoads checks they load.
var builtinSubjectivity = sync.OnceValues(func() (*cueSet, error) {
	data, err := builtinSubjectivityFS.ReadFile("tone/subjectivity.yaml")
	if err != nil {
		return nil, fmt.Errorf("load subjectivity cues: %w", err)
	}
	set, err := parseSubjectivity("subjectivity.yaml", data)
	if err != nil {
		return nil, err
	}
	set.builtin = builtinSubjectivityCues
	return set, nil
})

func parseSubjectivity(name string, data []byte) (*cueSet, error) {
	var f subjectivityFile
	if err := decodeCueYAML(name, data, &f); err != nil {
		return nil, fmt.Errorf("load subjectivity cues %w", err)
	}
	groups := make([]cueGroup, len(subjectivityKinds))
	seen := make([]bool, len(subjectivityKinds))
	for _, k := range f.Kinds {
		i := slices.Index(subjectivityKinds, k.Kind)
		switch {
		case i < 0:
			return nil, fmt.Errorf("load subjectivity cues %s: unknown kind %q", name, k.Kind)
		case seen[i]:
			return nil, fmt.Errorf("load subjectivity cues %s: kind %q listed twice", name, k.Kind)
		case strings.TrimSpace(k.Source) == "":
			return nil, fmt.Errorf("load subjectivity cues %s: kind %q has no source", name, k.Kind)
		case len(k.Cues)+len(k.Exact) == 0:
			return nil, fmt.Errorf("load subjectivity cues %s: kind %q has no cues", name, k.Kind)
		}
		seen[i] = true
		k.Name = k.Kind
		groups[i] = k.cueGroup
	}
	for i, ok := range seen {
		if !ok {
			return nil, fmt.Errorf("load subjectivity cues %s: kind %q is missing", name, subjectivityKinds[i])
		}
	}
	set, err := compileCues(groups)
	if err != nil {
		return nil, fmt.Errorf("load subjectivity cues: %w", err)
	}
	return set, nil
}

// mustSubjectivity returns data NewAnalyzer has already loaded without error, so
// the panic is unreachable for any caller holding an Analyzer.
func mustSubjectivity() *cueSet {
	set, err := builtinSubjectivity()
	if err != nil {
		panic("analysis: built-in subjectivity cues are broken: " + err.Error())
	}
	return set
}

// subjectivity counts the cues in the outlet's own voice. A cue written
// with a capital inside a sentence is a name, not the word ("May", "Will").
func subjectivityOf(set *cueSet, text string, tokens []token, quotes []Span, sentences []Span, buf *[]cueMatch) Subjectivity {
	s := Subjectivity{Cues: []SubjectivityCue{}}
	q := 0
	for i := range tokens {
		t := &tokens[i]
		if !t.hasLetter(text) {
			continue
		}
		for q < len(quotes) && quotes[q].End <= t.start {
			q++
		}
		if q >= len(quotes) || quotes[q].Start > t.start {
			s.OwnWords++
		}
	}
	counts := []*int{&s.Intensifiers, &s.Hedges, &s.Absolutes, &s.OpinionMarkers}
	sent, q := 0, 0
	*buf = set.findInto(text, tokens, (*buf)[:0])
	for _, m := range *buf {
		start, end := tokens[m.first].start, tokens[m.last].end
		if inSortedSpans(quotes, &q, start, end) {
			continue
		}
		for sent < len(sentences) && sentences[sent].End <= start {
			sent++
		}
		r, _ := utf8.DecodeRuneInString(text[start:])
		if unicode.IsUpper(r) && (sent >= len(sentences) || sentences[sent].Start != start) {
			continue
		}
		*counts[m.group]++
		s.Cues = append(s.Cues, SubjectivityCue{Start: start, End: end, Text: text[start:end], Kind: subjectivityKinds[m.group]})
	}
	s.PerThousand = perThousand(s.Intensifiers+s.Absolutes+s.OpinionMarkers, s.OwnWords)
	s.HedgesPerThousand = perThousand(s.Hedges, s.OwnWords)
	return s
}

// VADER. govader's SentimentIntensityAnalyzer takes about 4 ms and 4 MB to
// build, so it is built once, and its PolarityScores runs a regular
// expression per word and a map lookup per byte, about 12 MB/s, which
// alone would cost more than the rest of the analysis. vader.compound
// therefore computes the same compound score from govader's own lexicon
// and rules, without the per-word regular expressions and allocations;
// TestVaderMatchesGovader checks it against PolarityScores sentence by
// sentence. Text with emoji or invalid UTF-8 goes to govader itself.

// govader's constants (vader.go, constants.go), which it does not export.
const (
	vaderCapIncrease     = 0.733 // cINCR
	vaderNegation        = -0.74 // nSCALAR
	vaderScale1          = 0.95  // valenceScalarScale1
	vaderScale2          = 0.9   // valenceScalarScale2
	vaderNeverSo         = 1.25  // negationScale
	vaderBut             = 0.5   // butScale
	vaderExclamation     = 0.292 // epAmplifyScale
	vaderMaxExclamations = 4     // maxEP
	vaderQuestion        = 0.18  // qmAmplifyScale
	vaderMaxQuestion     = 0.96  // maxQM
	vaderAlpha           = 15    // alphaDefault
)

type vader struct {
	sia        *govader.SentimentIntensityAnalyzer
	punct      [utf8.RuneSelf]bool
	emoji      map[rune]bool
	asciiEmoji bool
	// words holds, for every word any rule looks at, what the rules need
	// to know of it, so that each word costs one lookup.
	words map[string]vaderWord
	// filter is a small Bloom filter over the keys of words: most words
	// of a text are in none of VADER's lists, and the filter, unlike the
	// map, stays in the processor's cache.
	filter [vaderFilterBits / 64]uint64
	// upperLexicon holds the few lexicon entries with capitals, which
	// match only a word written exactly so; upperLongest is the length of
	// the longest.
	upperLexicon map[string]bool
	upperLongest int
	seed         maphash.Seed // of the filter's hash
}

// vaderFilterBits sizes the Bloom filter: 128 Kibit (16 KiB) for about
// 7,600 words and two probes give about one false positive in a hundred.
const vaderFilterBits = 1 << 17

func (v *vader) addToFilter(w string) {
	h := maphash.String(v.seed, w)
	for _, b := range [2]uint64{h % vaderFilterBits, (h >> 32) % vaderFilterBits} {
		v.filter[b/64] |= 1 << (b % 64)
	}
}

// lookup returns what VADER knows of a lower-case word.
func (v *vader) lookup(w string) vaderWord {
	h := maphash.String(v.seed, w)
	for _, b := range [2]uint64{h % vaderFilterBits, (h >> 32) % vaderFilterBits} {
		if v.filter[b/64]&(1<<(b%64)) == 0 {
			return vaderWord{}
		}
	}
	return v.words[w]
}

// vaderWord is what VADER knows of one lower-case word.
type vaderWord struct {
	valence float64 // lexicon valence, when inLexicon
	boost   float64 // booster increment, when booster
	flags   uint8
}

const (
	vaderInLexicon = 1 << iota
	vaderBooster
	vaderNegator
	vaderIdiomWord // part of a special idiom or a multi-word booster
)

// vaderScorer builds the VADER data once; it is read-only afterwards.
var vaderScorer = sync.OnceValue(func() *vader {
	sia := govader.NewSentimentIntensityAnalyzer()
	v := &vader{sia: sia, emoji: map[rune]bool{}, words: make(map[string]vaderWord, len(sia.Lexicon)+200), seed: maphash.MakeSeed()}
	for _, b := range []byte(sia.Constants.Regex.PunctuationString) {
		v.punct[b] = true
	}
	for k := range sia.EmojiDict {
		if r, size := utf8.DecodeRuneInString(k); size == len(k) {
			v.emoji[r] = true
			if r < utf8.RuneSelf {
				v.asciiEmoji = true
			}
		}
	}
	update := func(w string, f func(*vaderWord)) {
		x := v.words[w]
		f(&x)
		v.words[w] = x
	}
	for w, val := range sia.Lexicon {
		update(w, func(x *vaderWord) { x.valence, x.flags = val, x.flags|vaderInLexicon })
	}
	for w, val := range sia.Constants.BoosterDict {
		update(w, func(x *vaderWord) { x.boost, x.flags = val, x.flags|vaderBooster })
		if strings.Contains(w, " ") {
			for _, part := range strings.Split(w, " ") {
				update(part, func(x *vaderWord) { x.flags |= vaderIdiomWord })
			}
		}
	}
	for _, w := range sia.Constants.NegateList {
		update(w, func(x *vaderWord) { x.flags |= vaderNegator })
	}
	for k := range sia.Constants.SpecialCaseIdioms {
		for _, part := range strings.Split(k, " ") {
			update(part, func(x *vaderWord) { x.flags |= vaderIdiomWord })
		}
	}
	for w := range v.words {
		v.addToFilter(w)
	}
	v.upperLexicon = map[string]bool{}
	for w := range sia.Lexicon {
		if strings.ToLower(w) != w {
			v.upperLexicon[w] = true
			v.upperLongest = max(v.upperLongest, len(w))
		}
	}
	return v
})

// vaderScratch is reused across the sentences of one text.
type vaderScratch struct {
	// tokens are the text's tokens, whose cached entries stand in for a
	// look-up of the words that are whole tokens; base is the offset of
	// the sentence in the text, tok the first token not yet passed.
	tokens       []token
	base, tok    int
	words, lower []string
	info         []vaderWord
	origInLex    []bool // the word as written (not lower-cased) is a lexicon entry
	buf          []byte
	// cues holds the subjectivity cues found in the text (subjectivityOf).
	cues []cueMatch
}

// compound returns the VADER compound score of text, as govader's
// PolarityScores(text).Compound would.
func (v *vader) compound(text string, s *vaderScratch) float64 {
	return v.compoundLowered(text, vaderLowerASCII(text), s)
}

// compoundLowered is compound given the text with its ASCII capitals
// lower-cased (vaderLowerASCII), or "" to take each word's lower-cased
// form from its token (s.tokens), or to lower-case it alone when no token
// is the word.
func (v *vader) compoundLowered(text, lowered string, s *vaderScratch) float64 {
	original := text
	start := len(text) - len(strings.TrimLeftFunc(text, unicode.IsSpace))
	text = strings.TrimSpace(text)
	if lowered != "" {
		lowered = lowered[start : start+len(text)]
	}
	ascii := isASCII(text)
	if (!ascii || v.asciiEmoji) && v.needsGovader(original) {
		return v.sia.PolarityScores(original).Compound
	}
	inLexicon, upper, but := v.readWords(text, lowered, start, ascii, s)
	if !inLexicon {
		// Only lexicon words have a valence, and boosters, negations,
		// idioms and emphasis only change one: the sum is 0, and so is
		// the score.
		return 0
	}
	// Capitals are emphasis when some, but not all, words are in them.
	n := len(s.words)
	capDiff := 0 < n-upper && n-upper < n
	return vaderNormalize(v.sumValences(s, capDiff, but), vaderPunctuation(text))
}

// readWords splits the trimmed sentence text, which starts at offset
// start of the text s.tokens came from, into govader's words: it splits on
// single spaces, strips ASCII punctuation from both ends of a word unless
// fewer than three characters would remain, and lower-cases. It fills
// s.words, s.lower, s.info and s.origInLex, and notes what the rules ask
// of the whole sentence: whether any word is in the lexicon, how many are
// in capitals, and where the first "but" is (-1 for none).
//
// It runs once per sentence and does the per-word work itself, with
// helpers the compiler inlines, because it is the inner loop of the tone.
func (v *vader) readWords(text, lowered string, start int, ascii bool, s *vaderScratch) (inLexicon bool, upper, but int) {
	// The sentence's words are counted first, so that a long sentence
	// grows the buffers once, not by doubling; they are filled through
	// local slices, which the compiler keeps in registers.
	n := strings.Count(text, " ") + 1
	s.words, s.lower = slices.Grow(s.words[:0], n)[:n], slices.Grow(s.lower[:0], n)[:n]
	s.info, s.origInLex = slices.Grow(s.info[:0], n)[:n], slices.Grow(s.origInLex[:0], n)[:n]
	words, lower, infos, origInLexs := s.words, s.lower, s.info, s.origInLex
	k := 0 // the word's index
	but = -1
	for pos := 0; ; {
		end := pos
		for end < len(text) && text[end] != ' ' {
			end++
		}
		from, to := v.trimWord(text, pos, end)
		w := text[from:to]
		wordASCII := ascii || isASCII(w)
		// The token that is exactly this word, if any, has its lower-cased
		// form (an ASCII word's fold), its shape and what the rules know of
		// it.
		t := s.tokenAt(start+from, start+to)
		shape := wordShape(t, w)
		hasUpper, hasLower := shape&shapeASCIIUpper != 0, shape&shapeASCIILower != 0
		apostrophe := shape&shapeApostrophe != 0
		lw := lowerWord(w, t, lowered, from, to, wordASCII, hasUpper)
		var info vaderWord
		if t != nil && t.starts&startsKnown != 0 && (wordASCII || t.fold == lw) {
			info = t.sentiment
		} else {
			info = v.lookup(lw)
		}
		inLexicon = inLexicon || info.flags&vaderInLexicon != 0
		// Lower-casing keeps an ASCII word's apostrophes, and may change
		// another's.
		if !wordASCII {
			apostrophe = strings.IndexByte(lw, '\'') >= 0
		}
		if contractedNegation(lw, apostrophe) {
			info.flags |= vaderNegator
		}
		if hasUpper && !hasLower { // vaderIsUpper
			upper++
		}
		if but < 0 && lw == "but" {
			but = k
		}
		// An ASCII word differs from its lower-cased form when it has a
		// capital.
		origInLex := info.flags&vaderInLexicon != 0
		if wordASCII && hasUpper || !wordASCII && lw != w {
			origInLex = v.inUpperLexicon(w)
		}
		words[k], lower[k], infos[k], origInLexs[k] = w, lw, info, origInLex
		k++
		if end == len(text) {
			break
		}
		pos = end + 1
	}
	s.words, s.lower, s.info, s.origInLex = words[:k], lower[:k], infos[:k], origInLexs[:k]
	return inLexicon, upper, but
}

// inUpperLexicon reports whether w, a word with capitals, is one of the
// few lexicon entries written with capitals, which match only so.
func (v *vader) inUpperLexicon(w string) bool {
	return len(w) <= v.upperLongest && v.upperLexicon[w]
}

// contractedNegation reports whether the lower-cased word lw holds "n't"
// ("didn't"), a negation whether VADER lists the word or not; apostrophe
// says whether lw has a straight apostrophe at all, which most words lack.
func contractedNegation(lw string, apostrophe bool) bool {
	return apostrophe && strings.Contains(lw, "n't")
}

// trimWord returns the span of govader's word text[pos:end] once
// stripped of ASCII punctuation at both ends, unless fewer than three
// characters would remain.
func (v *vader) trimWord(text string, pos, end int) (from, to int) {
	if a, b := v.trimPunct(text, pos, end); b-a >= 3 {
		return a, b
	}
	return pos, end
}

// wordShape returns the shape bits the rules ask of w (shapeASCIIUpper,
// shapeASCIILower, shapeApostrophe): those of t, the token that is the
// word, when they are known, else w's own.
func wordShape(t *token, w string) uint8 {
	if t != nil && t.shape&shapeKnown != 0 {
		return t.shape
	}
	return asciiShape(w)
}

// asciiShape is wordShape without a token, out of line so that
// wordShape, called for every word, stays small enough to inline.
func asciiShape(w string) uint8 {
	var b uint8
	upper, lower := asciiCase(w)
	if upper {
		b |= shapeASCIIUpper
	}
	if lower {
		b |= shapeASCIILower
	}
	if strings.IndexByte(w, '\'') >= 0 {
		b |= shapeApostrophe
	}
	return b
}

// lowerWord returns w lower-cased: for an ASCII word that is a token,
// the token's fold, with no new string.
func lowerWord(w string, t *token, lowered string, from, to int, wordASCII, hasUpper bool) string {
	if wordASCII && t != nil {
		return t.fold
	}
	return lowerAlone(w, lowered, from, to, wordASCII, hasUpper)
}

// lowerAlone is lowerWord for a word that is no token or not ASCII, out
// of line so that lowerWord, called for every word, stays small enough to
// inline. A word with characters other than ASCII is lower-cased as
// Unicode says; an ASCII one is a slice [from, to) of the lower-cased
// sentence when there is one, else lower-cased only when it has a capital.
func lowerAlone(w, lowered string, from, to int, ascii, hasUpper bool) string {
	switch {
	case !ascii:
		return strings.ToLower(w)
	case lowered != "":
		return lowered[from:to]
	case hasUpper:
		return lowerASCII(w)
	}
	return w
}

// sumValences adds up the valences of the words readWords left in s.
// Only the lexicon's words have a valence (boosters and "kind of"
// excepted), so only theirs are summed, in order: the words left out
// would add zeros. A contrastive "but" (the word but, -1 for none) weakens
// what comes before it and strengthens what follows.
func (v *vader) sumValences(s *vaderScratch, capDiff bool, but int) float64 {
	lower, infos := s.lower, s.info
	sum := 0.0
	for i := range infos {
		switch {
		case infos[i].flags&vaderInLexicon == 0, infos[i].flags&vaderBooster != 0:
			continue
		case i < len(infos)-1 && lower[i] == "kind" && lower[i+1] == "of":
			continue
		}
		x := v.valence(s, i, capDiff)
		if but >= 0 {
			if i < but {
				x *= 1 - vaderBut
			} else if i > but {
				x *= 1 + vaderBut
			}
		}
		sum += x
	}
	return sum
}

// vaderNormalize turns the sum of valences into the compound score in
// [-1, 1], the punctuation's emphasis first pushing it further from 0.
func vaderNormalize(sum, emphasis float64) float64 {
	if sum > 0 {
		sum += emphasis
	} else if sum < 0 {
		sum -= emphasis
	}
	return min(max(sum/math.Sqrt(sum*sum+vaderAlpha), -1), 1)
}

// tokenAt returns the token spanning exactly [from, to) of the sentence,
// or nil: the words of a sentence come in text order, and so does the
// first token not yet passed (s.tok).
func (s *vaderScratch) tokenAt(from, to int) *token {
	from, to = s.base+from, s.base+to
	for s.tok < len(s.tokens) && s.tokens[s.tok].end <= from {
		s.tok++
	}
	if s.tok >= len(s.tokens) {
		return nil
	}
	if t := &s.tokens[s.tok]; t.start == from && t.end == to {
		return t
	}
	return nil
}

// needsGovader reports text that the fast path does not reproduce: emoji
// (govader replaces them with their descriptions) and invalid UTF-8.
func (v *vader) needsGovader(text string) bool {
	for i := 0; i < len(text); i++ {
		c := text[i]
		if c < utf8.RuneSelf {
			if v.asciiEmoji && v.emoji[rune(c)] {
				return true
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		if r == utf8.RuneError && size == 1 || v.emoji[r] {
			return true
		}
		i += size - 1
	}
	return false
}

// trimPunct narrows text[from:to] past ASCII punctuation at both ends.
func (v *vader) trimPunct(text string, from, to int) (int, int) {
	for from < to && text[from] < utf8.RuneSelf && v.punct[text[from]] {
		from++
	}
	for to > from && text[to-1] < utf8.RuneSelf && v.punct[text[to-1]] {
		to--
	}
	return from, to
}

// vaderLowerASCII lower-cases the ASCII capitals of a text, with one
// allocation and none when it has none: a word of it that is all ASCII is
// then lower-cased as strings.ToLower would.
func vaderLowerASCII(text string) string {
	i := 0
	for i < len(text) && !isASCIIUpper(text[i]) {
		i++
	}
	if i == len(text) {
		return text
	}
	var b strings.Builder
	b.Grow(len(text))
	for i < len(text) {
		b.WriteString(text[:i])
		b.WriteByte(text[i] + 'a' - 'A')
		text = text[i+1:]
		i = 0
		for i < len(text) && !isASCIIUpper(text[i]) {
			i++
		}
	}
	b.WriteString(text)
	return b.String()
}

func isASCIIUpper(c byte) bool { return 'A' <= c && c <= 'Z' }

// lowerASCII lower-cases the ASCII capitals of w.
func lowerASCII(w string) string {
	b := []byte(w)
	for i, c := range b {
		if isASCIIUpper(c) {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// vaderIsUpper is Python's str.isupper as govader has it: an ASCII capital
// and no ASCII small letter.
func vaderIsUpper(w string) bool {
	upper := false
	for i := 0; i < len(w); i++ {
		switch c := w[i]; {
		case 'a' <= c && c <= 'z':
			return false
		case 'A' <= c && c <= 'Z':
			upper = true
		}
	}
	return upper
}

// asciiCase reports whether w has an ASCII capital and an ASCII small
// letter.
func asciiCase(w string) (upper, lower bool) {
	for i := 0; i < len(w); i++ {
		switch c := w[i]; {
		case 'a' <= c && c <= 'z':
			lower = true
		case 'A' <= c && c <= 'Z':
			upper = true
		}
	}
	return upper, lower
}

// valence is govader's sentimentValence for word i.
func (v *vader) valence(s *vaderScratch, i int, capDiff bool) float64 {
	words, lower, info := s.words, s.lower, s.info
	if info[i].flags&vaderInLexicon == 0 {
		return 0
	}
	base := info[i].valence
	val := base
	if lower[i] == "no" && i+1 < len(lower) && info[i+1].flags&vaderInLexicon != 0 {
		val = 0
	}
	if i > 0 && lower[i-1] == "no" || i > 1 && lower[i-2] == "no" ||
		i > 2 && lower[i-3] == "no" && (lower[i-1] == "or" || lower[i-1] == "nor") {
		val = base * vaderNegation
	}
	if capDiff && vaderIsUpper(words[i]) {
		if val > 0 {
			val += vaderCapIncrease
		} else {
			val -= vaderCapIncrease
		}
	}
	for start := 0; start < 3; start++ {
		j := i - (start + 1)
		if j < 0 || s.origInLex[j] {
			continue
		}
		scalar := v.boost(words[j], info[j], val, capDiff)
		if start == 1 {
			scalar *= vaderScale1
		} else if start == 2 {
			scalar *= vaderScale2
		}
		val += scalar
		val = vaderNegationCheck(val, lower, info, start, i)
		if start == 2 {
			val = v.idioms(val, s, i)
		}
	}
	// "least" before a word negates it, except in "at least", "very least".
	if i > 0 && words[i-1] == "least" && !s.origInLex[i-1] {
		if i == 1 || words[i-2] != "at" && words[i-2] != "very" {
			val *= vaderNegation
		}
	}
	return val
}

// boost is govader's scalarIncDec: a booster word before a sentiment word
// turns it up or down.
func (v *vader) boost(word string, info vaderWord, val float64, capDiff bool) float64 {
	if info.flags&vaderBooster == 0 {
		return 0
	}
	scalar := info.boost
	if val < 0 {
		scalar = -scalar
	}
	if capDiff && vaderIsUpper(word) {
		if val > 0 {
			scalar += vaderCapIncrease
		} else {
			scalar -= vaderCapIncrease
		}
	}
	return scalar
}

// vaderNegationCheck is govader's: a negation up to three words before a word
// flips and dampens it; "never so" strengthens it.
func vaderNegationCheck(val float64, lower []string, info []vaderWord, start, i int) float64 {
	negated := func(j int) bool { return info[j].flags&vaderNegator != 0 }
	switch start {
	case 0:
		if negated(i - 1) {
			return val * vaderNegation
		}
	case 1:
		switch {
		case lower[i-2] == "never" && (lower[i-1] == "so" || lower[i-1] == "this"):
			return val * vaderNeverSo
		case lower[i-2] == "without" && lower[i-1] == "doubt":
			return val
		case negated(i - 2):
			return val * vaderNegation
		}
	case 2:
		switch {
		case lower[i-3] == "never" && (lower[i-2] == "so" || lower[i-2] == "this" || lower[i-1] == "so" || lower[i-1] == "this"):
			return val * vaderNeverSo
		case lower[i-3] == "without" && (lower[i-2] == "doubt" || lower[i-1] == "doubt"):
			return val
		case negated(i - 3):
			return val * vaderNegation
		}
	}
	return val
}

// idioms is govader's specialIdiomsCheck: set phrases ("kiss of death")
// replace the word's valence, and multi-word boosters ("kind of") add to
// it. Phrases are only built when all their words occur in some idiom.
func (v *vader) idioms(val float64, s *vaderScratch, i int) float64 {
	lower, info := s.lower, s.info
	lookup := func(m map[string]float64, parts ...int) (float64, bool) {
		for _, p := range parts {
			if info[p].flags&vaderIdiomWord == 0 {
				return 0, false
			}
		}
		s.buf = s.buf[:0]
		for k, p := range parts {
			if k > 0 {
				s.buf = append(s.buf, ' ')
			}
			s.buf = append(s.buf, lower[p]...)
		}
		x, ok := m[string(s.buf)]
		return x, ok
	}
	special := v.sia.Constants.SpecialCaseIdioms
	for _, seq := range [][]int{{i - 1, i}, {i - 2, i - 1, i}, {i - 2, i - 1}, {i - 3, i - 2, i - 1}, {i - 3, i - 2}} {
		if x, ok := lookup(special, seq...); ok {
			val = x
			break
		}
	}
	if len(lower)-1 > i {
		if x, ok := lookup(special, i, i+1); ok {
			val = x
		}
	}
	if len(lower)-1 > i+1 {
		if x, ok := lookup(special, i, i+1, i+2); ok {
			val = x
		}
	}
	booster := v.sia.Constants.BoosterDict
	for _, seq := range [][]int{{i - 3, i - 2, i - 1}, {i - 3, i - 2}, {i - 2, i - 1}} {
		if x, ok := lookup(booster, seq...); ok {
			val += x
		}
	}
	return val
}

// vaderPunctuation is the emphasis of exclamation and question marks.
func vaderPunctuation(text string) float64 {
	e := min(strings.Count(text, "!"), vaderMaxExclamations)
	emphasis := float64(e) * vaderExclamation
	if q := strings.Count(text, "?"); q > 1 {
		if q <= 3 {
			emphasis += float64(q) * vaderQuestion
		} else {
			emphasis += vaderMaxQuestion
		}
	}
	return emphasis
}
