package analysis

import (
	"bytes"
	"cmp"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"math"
	"path"
	"slices"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"
)

// The policy frames are the 15 dimensions of the Media Frames Corpus
// (Boydstun, Card, Gross, Resnik and Smith 2014, "Tracking the Development
// of Media Frames within and across Policy Issues"), in the codebook's
// order. Their cue words are data, one YAML file per frame in frames/,
// with the near words of frames/near.tsv (framenear.go); "other" has no
// cues: it takes the whole profile when no cue fires.
var frameDimensions = []FrameHeader{
	{Frame: "economic", Label: "Economic"},
	{Frame: "capacity-and-resources", Label: "Capacity and resources"},
	{Frame: "morality", Label: "Morality"},
	{Frame: "fairness-and-equality", Label: "Fairness and equality"},
	{Frame: "legality", Label: "Legality, constitutionality and jurisprudence"},
	{Frame: "policy", Label: "Policy prescription and evaluation"},
	{Frame: "crime-and-punishment", Label: "Crime and punishment"},
	{Frame: "security-and-defense", Label: "Security and defense"},
	{Frame: "health-and-safety", Label: "Health and safety"},
	{Frame: "quality-of-life", Label: "Quality of life"},
	{Frame: "cultural-identity", Label: "Cultural identity"},
	{Frame: "public-opinion", Label: "Public opinion"},
	{Frame: "political", Label: "Political"},
	{Frame: "external-regulation", Label: "External regulation and reputation"},
	{Frame: "other", Label: "Other", Description: "Anything the other fourteen frames do not cover; it takes the whole profile when no frame cue is found."},
}

// otherFrame is the index of "other" in frameDimensions.
const otherFrame = 14

const (
	// frameEvidenceSentences is how many sentences a frame cites as
	// evidence: those with the most cues of the frame.
	frameEvidenceSentences = 3
	// frameTopMinShare and frameTopMax bound FrameProfile.Top: the leading
	// frames, each holding at least this share of the cues.
	frameTopMinShare = 0.10
	frameTopMax      = 3
	// A frame is stressed by one outlet when it holds at least
	// stressMinShare of that outlet's cues, at least stressRatio times
	// the other outlets' mean share, and stressMinGap more than it.
	stressMinShare = 0.05
	stressRatio    = 2.0
	stressMinGap   = 0.05
	// stressTerms is how many of its cue words a stressed frame names.
	stressTerms = 5
)

//go:embed frames/*.yaml frames/near.tsv
var builtinFramesFS embed.FS

// FrameHeader names one policy frame.
type FrameHeader struct {
	// Frame is the frame's identifier, such as "security-and-defense".
	Frame string `json:"frame"`
	// Label is the frame's name as the codebook gives it.
	Label string `json:"label"`
	// Description says in a sentence what the frame is about.
	Description string `json:"description"`
}

// FrameProfile is an article's policy-frame profile: how its frame cue
// words divide among the 15 frames of the Media Frames Corpus, and the
// words and sentences behind each share. A cue counts more in the headline
// and the lead than in the body, a weak cue less than a listed one, and a
// near word (a word close in meaning to a frame's cues) counts a little, in
// the headline and lead only.
type FrameProfile struct {
	// Scores holds all 15 frames in the codebook's order.
	Scores []FrameScore `json:"scores"`
	// Top lists the leading frames, strongest first: up to three, each
	// with at least a tenth of the cue weight ("other" alone when none
	// fired).
	Top []string `json:"top"`
	// Hits is the number of frame cues found in the text, near words
	// included.
	Hits int `json:"hits"`
	// Cues lists every cue found, in text order, for highlighting.
	Cues []FrameCue `json:"cues"`
}

// FrameScore is one frame's share of an article's frame cues.
type FrameScore struct {
	Frame string `json:"frame"`
	Label string `json:"label"`
	// Share is Weight over the weight of all the article's cues (0..1);
	// the shares of a profile add up to 1. "Other" has share 1 when no cue
	// fired.
	Share float64 `json:"share"`
	// Hits counts the frame's cues in the text.
	Hits int `json:"hits"`
	// Weight is the frame's cues weighted by where they stand (a cue in
	// the headline or the lead counts more than one in the body).
	Weight float64 `json:"weight"`
	// Rank orders the frames by share, 1 for the largest; ties keep the
	// codebook's order.
	Rank int `json:"rank"`
	// Terms are the distinct cues that fired, most frequent first.
	Terms []FrameTerm `json:"terms"`
	// Evidence are the sentences with the most cues of this frame, in
	// text order.
	Evidence []FrameSentence `json:"evidence"`
}

// FrameTerm counts one cue word or phrase.
type FrameTerm struct {
	Term string `json:"term"`
	// Near, set for a word no cue list holds, is the listed cue whose
	// meaning it is closest to (word vectors): "firearm" near "weapon".
	Near  string `json:"near,omitempty"`
	Count int    `json:"count"`
}

// FrameSentence is a sentence cited as evidence for a frame, with the
// number of the frame's cues inside it.
type FrameSentence struct {
	Start int `json:"start"`
	End   int `json:"end"`
	Hits  int `json:"hits"`
}

// FrameCue is one frame cue found in the text.
type FrameCue struct {
	Start int    `json:"start"`
	End   int    `json:"end"`
	Text  string `json:"text"`
	// Term is the cue as listed in the frame's file, or the near word.
	Term string `json:"term"`
	// Near is set for a word no cue list holds: the listed cue it is
	// closest to in meaning (FrameTerm.Near).
	Near  string `json:"near,omitempty"`
	Frame string `json:"frame"`
}

// FrameComparison sets the outlets' frame profiles side by side, names the
// frames one outlet stresses and the others do not, and measures how far
// the profiles diverge.
type FrameComparison struct {
	// Frames are the 15 frames in the codebook's order; every Shares list
	// below follows this order.
	Frames []FrameHeader `json:"frames"`
	// Outlets are sorted by outlet name.
	Outlets []OutletFrames `json:"outlets"`
	// Pairs holds the Jensen–Shannon divergence of every pair of outlets.
	Pairs []FramePair `json:"pairs"`
	// Divergence is the mean of Pairs' divergences: 0 when all outlets
	// frame the event alike, 1 when no two share a frame.
	Divergence float64 `json:"divergence"`
	// Method names the divergence measure.
	Method string `json:"method"`
	// Stressed lists frames one outlet leans on far more than the others,
	// largest gap first.
	Stressed []StressedFrame `json:"stressed"`
	// Summary puts the comparison in a few plain sentences.
	Summary []string `json:"summary"`
}

// OutletFrames is one outlet's frame profile in a comparison.
type OutletFrames struct {
	ArticleID int64  `json:"article_id"`
	Outlet    string `json:"outlet"`
	// Shares follows FrameComparison.Frames.
	Shares []float64 `json:"shares"`
	Hits   int       `json:"hits"`
	Top    []string  `json:"top"`
	// DivergenceFromMean is the Jensen–Shannon divergence between this
	// outlet's profile and the mean profile of all outlets.
	DivergenceFromMean float64 `json:"divergence_from_mean"`
}

// FramePair is the divergence between two outlets' frame profiles.
type FramePair struct {
	ArticleA   int64   `json:"article_a"`
	OutletA    string  `json:"outlet_a"`
	ArticleB   int64   `json:"article_b"`
	OutletB    string  `json:"outlet_b"`
	Divergence float64 `json:"divergence"`
}

// StressedFrame is a frame one outlet leans on much more than the others.
type StressedFrame struct {
	ArticleID int64   `json:"article_id"`
	Outlet    string  `json:"outlet"`
	Frame     string  `json:"frame"`
	Label     string  `json:"label"`
	Share     float64 `json:"share"`
	// OthersShare is the mean share of the frame in the other outlets.
	OthersShare float64 `json:"others_share"`
	// Terms are the outlet's most frequent cues for the frame.
	Terms []string `json:"terms"`
}

// cueGroup is a named list of cue words and phrases, as read from YAML:
// one frame, one subjectivity kind. Cues match on word stems, so plural
// and verb forms follow; Exact cues match their surface form only, for
// words whose stem collides with another sense ("fired" is not "fire");
// Except lists longer phrases in which no cue counts ("west bank"). Weak
// cues match like Cues but count for less (weakCueWeight): words that
// belong to the frame in most of their uses, not all ("administration").
// Near words are not written by hand: they are the words whose vectors lie
// close to the group's cues (framenear.go), matched exactly.
type cueGroup struct {
	Name        string     `yaml:"-"`
	Description string     `yaml:"description"`
	Source      string     `yaml:"source"`
	Cues        []string   `yaml:"cues"`
	Exact       []string   `yaml:"exact"`
	Weak        []string   `yaml:"weak"`
	Except      []string   `yaml:"except"`
	Near        []nearWord `yaml:"-"`
}

// frameFile is one file of frames/.
type frameFile struct {
	Frame    string `yaml:"frame"`
	cueGroup `yaml:",inline"`
}

// cueSet is a compiled list of cue groups. The lexicon's matcher checks
// the cues (a cue in two groups is an error that names both), and an index
// by first word finds them with one map lookup per token.
type cueSet struct {
	groups  []cueGroup
	terms   [][]string  // terms[group][entry]
	kinds   [][]cueKind // kinds[group][entry]
	near    [][]string  // near[group][entry]: the cue a near word resembles
	matcher *matcher
	first   map[string][]cuePhrase
	// heads numbers the phrase lists of first from 1 (headIndex), so that
	// the stem cache can keep a word's list with the word
	// (wordInfo.frameHead, wordInfo.subjectivityHead).
	heads     [][]cuePhrase
	headIndex map[string]uint16
	// nearIndex finds a near word's group and entry by its folded form:
	// nearRefs[nearIndex[fold]-1], numbered so that the stem cache can
	// keep it with the word (wordInfo.near).
	nearIndex map[string]uint16
	nearRefs  []cueMatch
	// builtin says which of the built-in sets this is (builtinFrameCues,
	// builtinSubjectivityCues), whose lookups the tokens carry; 0 for any
	// other.
	builtin uint8
}

// The built-in cue sets, whose per-word lookups the stem cache keeps.
const (
	builtinFrameCues uint8 = 1 + iota
	builtinSubjectivityCues
)

// cueKind says how a cue entry was listed, and so how much it counts.
type cueKind uint8

const (
	cueListed cueKind = iota // Cues or Exact: counts 1
	cueWeak                  // Weak: counts weakCueWeight
	cueNear                  // a near word: counts nearCueWeight, in the headline and lead only
)

// cuePhrase is one written form of a cue. It is indexed under the stem of
// its first word, which is also the stem of every token it can match.
type cuePhrase struct {
	keys             []string // per word: the stem, or the folded form when exact
	exact, exception bool
	group, entry     int
}

// cueMatch is a cue found over tokens[first..last].
type cueMatch struct {
	first, last  int
	group, entry int
}

// compileCues builds the cue set. The same cue in two groups is an error;
// the same word written twice in one group ("cartel", "cartels") is kept
// once, under its first spelling.
func compileCues(groups []cueGroup) (*cueSet, error) {
	set := &cueSet{
		groups: groups, terms: make([][]string, len(groups)), kinds: make([][]cueKind, len(groups)),
		near: make([][]string, len(groups)), first: map[string][]cuePhrase{},
	}
	categories := make([]Category, len(groups))
	for gi, g := range groups {
		c, err := set.addGroup(gi, g)
		if err != nil {
			return nil, err
		}
		categories[gi] = c
	}
	m, err := compileMatcher(categories)
	if err != nil {
		return nil, err
	}
	set.matcher = m
	// Near words come after the listed entries of their group. They are
	// looked up by their own index, in the headline and lead only, so the
	// per-token index stays as small as the hand-written lists.
	for gi, g := range groups {
		for _, w := range g.Near {
			if err := set.addNear(gi, w); err != nil {
				return nil, err
			}
		}
	}
	if err := set.indexHeads(); err != nil {
		return nil, err
	}
	return set, nil
}

// addGroup adds the listed cues of group gi (Cues, Exact, Weak, in that
// order, and the exceptions) to the set, and returns them as the category
// the matcher is built from.
func (set *cueSet) addGroup(gi int, g cueGroup) (Category, error) {
	c := Category{Name: g.Name}
	// seen holds the cues added so far, by their words, with their kind:
	// a repeat is dropped, unless it is listed as weak once and not once.
	seen := map[string]cueKind{}
	add := func(form string, exact bool, kind cueKind) error {
		keys := wordKeys(form, exact)
		if len(keys) == 0 {
			return fmt.Errorf("%s: cue %q has no words", g.Name, form)
		}
		key := fmt.Sprint(exact, keys)
		if was, ok := seen[key]; ok {
			if was != kind {
				return fmt.Errorf("%s: cue %q is listed both as weak and not", g.Name, form)
			}
			return nil
		}
		seen[key] = kind
		form = strings.TrimSpace(form)
		c.Entries = append(c.Entries, Entry{Term: form, Exact: exact})
		set.terms[gi] = append(set.terms[gi], form)
		set.kinds[gi] = append(set.kinds[gi], kind)
		set.near[gi] = append(set.near[gi], "")
		set.index(form, exact, false, gi, len(c.Entries)-1)
		return nil
	}
	for _, list := range []struct {
		forms []string
		exact bool
		kind  cueKind
	}{{g.Cues, false, cueListed}, {g.Exact, true, cueListed}, {g.Weak, false, cueWeak}} {
		for _, form := range list.forms {
			if err := add(form, list.exact, list.kind); err != nil {
				return Category{}, err
			}
		}
	}
	if len(g.Except) > 0 {
		if len(c.Entries) == 0 {
			return Category{}, fmt.Errorf("%s: exceptions without cues", g.Name)
		}
		c.Entries[0].Except = g.Except
		for _, form := range g.Except {
			if len(wordKeys(form, false)) == 0 {
				return Category{}, fmt.Errorf("%s: exception %q has no words", g.Name, form)
			}
			set.index(form, false, true, gi, 0)
		}
	}
	return c, nil
}

// index files a written form of entry entry of group group under its
// first word: the stem, also for an exact form, since a token is looked
// up by its stem.
func (set *cueSet) index(form string, exact, exception bool, group, entry int) {
	keys := wordKeys(form, exact)
	p := cuePhrase{keys: keys, exact: exact, exception: exception, group: group, entry: entry}
	head := keys[0]
	if exact {
		head = stemWord(keys[0])
	}
	set.first[head] = append(set.first[head], p)
}

// addNear adds w as a near word of group gi, after its listed entries. A
// near word that is already a one-word cue, or a near word of another
// group, is an error.
func (set *cueSet) addNear(gi int, w nearWord) error {
	groups := set.groups
	for _, p := range set.first[stemWord(w.Word)] {
		if len(p.keys) == 1 && !p.exception && (p.exact && p.keys[0] == w.Word || !p.exact && p.keys[0] == stemWord(w.Word)) {
			return fmt.Errorf("%s: near word %q is already the cue %q of %s", groups[gi].Name, w.Word, set.terms[p.group][p.entry], groups[p.group].Name)
		}
	}
	if prev, dup := set.nearIndex[w.Word]; dup {
		return fmt.Errorf("%s: near word %q is already a near word of %s", groups[gi].Name, w.Word, groups[set.nearRefs[prev-1].group].Name)
	}
	if set.nearIndex == nil {
		set.nearIndex = map[string]uint16{}
	}
	if len(set.nearRefs) == math.MaxUint16 {
		return fmt.Errorf("%s: more than %d near words", groups[gi].Name, math.MaxUint16)
	}
	set.nearRefs = append(set.nearRefs, cueMatch{group: gi, entry: len(set.terms[gi])})
	set.nearIndex[w.Word] = uint16(len(set.nearRefs))
	set.terms[gi] = append(set.terms[gi], w.Word)
	set.kinds[gi] = append(set.kinds[gi], cueNear)
	set.near[gi] = append(set.near[gi], w.Cue)
	return nil
}

// indexHeads orders the phrases under each first word and numbers the
// lists (heads, headIndex) in the order of their words, so that the same
// lists always get the same numbers.
func (set *cueSet) indexHeads() error {
	// Longest phrases first, so that the first to match is the longest;
	// between equally long ones an exact form, the more specific, wins.
	for head, phrases := range set.first {
		slices.SortStableFunc(phrases, func(a, b cuePhrase) int {
			return cmp.Or(cmp.Compare(len(b.keys), len(a.keys)), trueFirst(a.exact, b.exact))
		})
		set.first[head] = phrases
	}
	if len(set.first) > math.MaxUint16 {
		return fmt.Errorf("more than %d first words", math.MaxUint16)
	}
	set.headIndex = make(map[string]uint16, len(set.first))
	for _, head := range slices.Sorted(maps.Keys(set.first)) {
		set.heads = append(set.heads, set.first[head])
		set.headIndex[head] = uint16(len(set.heads))
	}
	return nil
}

// phrasesAt returns the cue phrases that may start at the token: those
// indexed under its stem, found through the number the token carries
// when it can.
func (set *cueSet) phrasesAt(t *token) []cuePhrase {
	if t.starts&startsKnown != 0 {
		var h uint16
		switch set.builtin {
		case builtinFrameCues:
			h = t.frameHead
		case builtinSubjectivityCues:
			h = t.subjectivityHead
		default:
			return set.first[t.stem]
		}
		if h == 0 {
			return nil
		}
		return set.heads[h-1]
	}
	return set.first[t.stem]
}

// nearAt returns the near word the token is, if any.
func (set *cueSet) nearAt(t *token) (cueMatch, bool) {
	var n uint16
	if set.builtin == builtinFrameCues && t.starts&startsKnown != 0 {
		n = t.near
	} else {
		n = set.nearIndex[t.fold]
	}
	if n == 0 {
		return cueMatch{}, false
	}
	return set.nearRefs[n-1], true
}

// find returns the leftmost-longest cues over the tokens, in order, with
// exceptions already dropped: the same result as the lexicon's matcher,
// with the phrase list the token carries (or one map lookup per token).
func (set *cueSet) find(text string, tokens []token) []cueMatch {
	return set.findInto(text, tokens, nil)
}

// findInto is find appending to out.
func (set *cueSet) findInto(text string, tokens []token, out []cueMatch) []cueMatch {
	skip := cueStartBit(set) // tokenize.go: passes over words known to start no cue
	for i := 0; i < len(tokens); {
		if tokens[i].startsNothing(skip) {
			i++
			continue
		}
		phrases := set.phrasesAt(&tokens[i])
		if len(phrases) == 0 {
			i++
			continue
		}
		n := 0
		var hit *cuePhrase
		for k := range phrases {
			if p := &phrases[k]; cueMatchesAt(p, text, tokens, i) {
				n, hit = len(p.keys), p
				break
			}
		}
		if n == 0 {
			i++
			continue
		}
		if !hit.exception {
			out = append(out, cueMatch{first: i, last: i + n - 1, group: hit.group, entry: hit.entry})
		}
		i += n
	}
	return out
}

// cueMatchesAt reports whether phrase p, one of those indexed under the
// stem of token i, matches from token i: its first word then matches by
// stem already.
func cueMatchesAt(p *cuePhrase, text string, tokens []token, i int) bool {
	if i+len(p.keys) > len(tokens) {
		return false
	}
	if p.exact && tokens[i].fold != p.keys[0] {
		return false
	}
	// The words first, the cheaper test; then what stands between them.
	for k := 1; k < len(p.keys); k++ {
		t := &tokens[i+k]
		if p.exact && t.fold != p.keys[k] || !p.exact && t.stem != p.keys[k] {
			return false
		}
	}
	for k := 1; k < len(p.keys); k++ {
		if !joinable(text, tokens[i+k-1], tokens[i+k]) {
			return false
		}
	}
	return true
}

// decodeCueYAML decodes one YAML document, rejecting unknown keys with the
// file name and line.
func decodeCueYAML(name string, data []byte, v any) error {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil {
		if errors.Is(err, io.EOF) {
			return fmt.Errorf("%s: file is empty", name)
		}
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// builtinFrames parses and compiles the embedded frame cues once. The data
// is immutable, so a package-level value is safe; an error here is a
// mistake in frames/*.yaml, which TestBuiltinFramesLoad catches.
var builtinFrames = sync.OnceValues(func() (*cueSet, error) {
	set, err := loadFrames(builtinFramesFS, "frames")
	if err != nil {
		return nil, err
	}
	set.builtin = builtinFrameCues
	return set, nil
})

// loadFrames reads the hand-written cue lists of dir/*.yaml and the near
// words of dir/near.tsv (none when the file is absent) and compiles them.
func loadFrames(fsys fs.FS, dir string) (*cueSet, error) {
	groups, err := readFrameGroups(fsys, dir)
	if err != nil {
		return nil, err
	}
	data, err := fs.ReadFile(fsys, dir+"/near.tsv")
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return nil, fmt.Errorf("load frames: %w", err)
	default:
		near, err := readNearWords(data)
		if err != nil {
			return nil, fmt.Errorf("load frames: %w", err)
		}
		for g := range groups {
			groups[g].Near = near[g]
		}
	}
	set, err := compileCues(groups)
	if err != nil {
		return nil, fmt.Errorf("load frames: %w", err)
	}
	return set, nil
}

// readFrameGroups reads the frame files of dir: one cue group per frame,
// in the codebook's order, "other" empty.
func readFrameGroups(fsys fs.FS, dir string) ([]cueGroup, error) {
	names, err := fs.Glob(fsys, dir+"/*.yaml")
	if err != nil {
		return nil, fmt.Errorf("load frames: %w", err)
	}
	groups := make([]cueGroup, len(frameDimensions))
	seen := make([]string, len(frameDimensions))
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("load frames: %w", err)
		}
		var f frameFile
		if err := decodeCueYAML(path.Base(name), data, &f); err != nil {
			return nil, fmt.Errorf("load frames %w", err)
		}
		i := slices.IndexFunc(frameDimensions, func(h FrameHeader) bool { return h.Frame == f.Frame })
		switch {
		case i < 0 || i == otherFrame:
			return nil, fmt.Errorf("load frames %s: unknown frame %q", path.Base(name), f.Frame)
		case seen[i] != "":
			return nil, fmt.Errorf("load frames %s: frame %q already defined in %s", path.Base(name), f.Frame, seen[i])
		case strings.TrimSpace(f.Description) == "":
			return nil, fmt.Errorf("load frames %s: description is missing", path.Base(name))
		case strings.TrimSpace(f.Source) == "":
			return nil, fmt.Errorf("load frames %s: source is missing", path.Base(name))
		case len(f.Cues)+len(f.Exact) == 0:
			return nil, fmt.Errorf("load frames %s: no cues", path.Base(name))
		}
		seen[i] = path.Base(name)
		f.Name = f.Frame
		groups[i] = f.cueGroup
	}
	for i, h := range frameDimensions {
		if i != otherFrame && seen[i] == "" {
			return nil, fmt.Errorf("load frames: no file for frame %q", h.Frame)
		}
	}
	groups[otherFrame] = cueGroup{Name: "other", Description: frameDimensions[otherFrame].Description}
	return groups, nil
}

// frameHeaders returns the 15 frames with the descriptions from their files.
func frameHeaders() []FrameHeader {
	set := mustFrames()
	out := slices.Clone(frameDimensions)
	for i := range out {
		out[i].Description = set.groups[i].Description
	}
	return out
}

// mustFrames returns data NewAnalyzer has already loaded without error, so
// the panic is unreachable for any caller holding an Analyzer.
func mustFrames() *cueSet {
	set, err := builtinFrames()
	if err != nil {
		panic("analysis: built-in frame cues are broken: " + err.Error())
	}
	return set
}

func (a *Analyzer) frames(text string, tokens []token, sentences []Span, sc *frameScratch) FrameProfile {
	return frameProfile(mustFrames(), text, tokens, sentences, sc)
}

// frameScratch is the memory the frame profile uses only while it is
// built, reused by the next analysis.
type frameScratch struct {
	found, near []cueMatch
	inSentence  []int
	weight      []float64
	entries     [][]int
	weights     []float64
	evidence    []FrameSentence
	bounds      []int
}

// trim drops the buffers that grew past scratchKept.
func (f *frameScratch) trim() {
	f.found, f.near, f.inSentence, f.weight = kept(f.found), kept(f.near), kept(f.inSentence), kept(f.weight)
	f.evidence, f.bounds = kept(f.evidence), kept(f.bounds)
	for i := range f.entries {
		f.entries[i] = kept(f.entries[i])
	}
}

// How much a cue counts. A headline and the first sentences say what a
// story is about; the body adds detail, background and other people's
// angles. The weights were chosen on the dev half of the framing datasets
// and checked on the test half (docs/quality.md, "Framing").
const (
	// frameHeadlineWeight is the weight of a cue in the text's first
	// sentence: the headline when the text starts with one, else the
	// lead's first sentence.
	frameHeadlineWeight = 5.0
	// frameLeadWeight is the weight of a cue in the frameLeadSentences
	// sentences after the first.
	frameLeadWeight    = 2.0
	frameLeadSentences = 2
	// weakCueWeight is what a weak cue counts for against a cue's 1.
	weakCueWeight = 0.5
	// nearCueWeight is what a near word counts for. Near words count only
	// in the headline and the lead, where the cue lists often have too few
	// words to go by; in the body they added noise to what the lists find.
	nearCueWeight = 0.35
)

// cueWeight is the weight of one cue of the given kind in sentence s (-1
// for none), 0 where the cue does not count.
func cueWeight(kind cueKind, s int) float64 {
	w := 1.0
	switch {
	case s == 0:
		w = frameHeadlineWeight
	case s > 0 && s <= frameLeadSentences:
		w = frameLeadWeight
	}
	switch kind {
	case cueWeak:
		w *= weakCueWeight
	case cueNear:
		if s < 0 || s > frameLeadSentences {
			return 0
		}
		w *= nearCueWeight
	}
	return w
}

// frameProfile matches the frame cues over the tokens (leftmost-longest,
// like the lexicon) and divides their weight among the frames.
func frameProfile(set *cueSet, text string, tokens []token, sentences []Span, scratch *frameScratch) FrameProfile {
	if scratch == nil {
		scratch = &frameScratch{}
	}
	scratch.found = set.findInto(text, tokens, scratch.found[:0])
	matches := withNearWords(set, tokens, sentences, scratch.found, &scratch.near)
	inSentence, weight := placeMatches(set, tokens, sentences, matches, scratch)
	p := FrameProfile{Scores: make([]FrameScore, len(frameDimensions)), Top: []string{}, Cues: make([]FrameCue, 0, len(matches))}
	total := tallyFrames(set, text, tokens, matches, weight, &p, scratch)
	scoreFrames(set, p.Scores, total, scratch)
	frameEvidence(sentences, matches, inSentence, p.Scores, scratch)
	for rank, i := range frameRanking(p.Scores) {
		p.Scores[i].Rank = rank + 1
		if len(p.Top) < frameTopMax && p.Scores[i].Share >= frameTopMinShare {
			p.Top = append(p.Top, p.Scores[i].Frame)
		}
	}
	return p
}

// placeMatches returns, in scratch's buffers, the sentence holding each
// match (-1 for none) and what the match counts for there (cueWeight).
func placeMatches(set *cueSet, tokens []token, sentences []Span, matches []cueMatch, scratch *frameScratch) (inSentence []int, weight []float64) {
	scratch.inSentence = slices.Grow(scratch.inSentence[:0], len(matches))[:len(matches)]
	scratch.weight = slices.Grow(scratch.weight[:0], len(matches))[:len(matches)]
	inSentence, weight = scratch.inSentence, scratch.weight
	s := 0
	for i, m := range matches {
		start := tokens[m.first].start
		for s < len(sentences) && sentences[s].End <= start {
			s++
		}
		inSentence[i] = -1
		if s < len(sentences) && sentences[s].Start <= start {
			inSentence[i] = s
		}
		weight[i] = cueWeight(set.kinds[m.group][m.entry], inSentence[i])
	}
	return inSentence, weight
}

// tallyFrames lists the matches as p's cues, counts the hits of p and of
// each frame, and adds up each frame's weight (scratch.weights) and the
// entries it matched (scratch.entries); it returns the total weight.
func tallyFrames(set *cueSet, text string, tokens []token, matches []cueMatch, weight []float64, p *FrameProfile, scratch *frameScratch) float64 {
	// entries[f] lists the entries of frame f that matched, one per match;
	// the lists with near words run to hundreds of entries, so the counts
	// are taken from these short lists rather than a counter per entry.
	if len(scratch.entries) < len(frameDimensions) {
		scratch.entries = make([][]int, len(frameDimensions))
		scratch.weights = make([]float64, len(frameDimensions))
	}
	entries, weights := scratch.entries, scratch.weights
	for f := range entries {
		entries[f], weights[f] = entries[f][:0], 0
	}
	total := 0.0
	for i, m := range matches {
		f, e := m.group, m.entry
		start, end := tokens[m.first].start, tokens[m.last].end
		p.Cues = append(p.Cues, FrameCue{Start: start, End: end, Text: text[start:end], Term: set.terms[f][e], Near: set.near[f][e], Frame: frameDimensions[f].Frame})
		p.Hits++
		p.Scores[f].Hits++
		entries[f] = append(entries[f], e)
		weights[f] += weight[i]
		total += weight[i]
	}
	return total
}

// scoreFrames fills in each frame's name, weight and share of total (all
// of it "other"'s when nothing matched), and its terms, most matched
// first, from what tallyFrames added up.
func scoreFrames(set *cueSet, scores []FrameScore, total float64, scratch *frameScratch) {
	entries, weights := scratch.entries, scratch.weights
	// The frames' terms share one list, every frame's a part of it with
	// no room to grow into the next's.
	distinct := 0
	for i := range entries {
		slices.Sort(entries[i])
		for k := range entries[i] {
			if k == 0 || entries[i][k] != entries[i][k-1] {
				distinct++
			}
		}
	}
	terms := make([]FrameTerm, 0, distinct)
	for i := range scores {
		sc := &scores[i]
		sc.Frame, sc.Label = frameDimensions[i].Frame, frameDimensions[i].Label
		switch {
		case total > 0:
			sc.Weight = round(weights[i], 3)
			sc.Share = round(weights[i]/total, 3)
		case i == otherFrame:
			sc.Share = 1
		}
		// Count each entry's matches in entry order, then order by count:
		// ties keep the order of the frame's file.
		from := len(terms)
		for k := 0; k < len(entries[i]); {
			e, n := entries[i][k], 1
			for k+n < len(entries[i]) && entries[i][k+n] == e {
				n++
			}
			terms = append(terms, FrameTerm{Term: set.terms[i][e], Near: set.near[i][e], Count: n})
			k += n
		}
		sc.Terms = terms[from:len(terms):len(terms)]
		slices.SortStableFunc(sc.Terms, func(a, b FrameTerm) int { return cmp.Compare(b.Count, a.Count) })
	}
}

// withNearWords adds to the listed cues found (in text order) the near
// words of the headline and lead: the tokens of the first
// frameLeadSentences+1 sentences that no listed cue covers.
func withNearWords(set *cueSet, tokens []token, sentences []Span, found []cueMatch, buf *[]cueMatch) []cueMatch {
	if len(set.nearIndex) == 0 || len(sentences) == 0 {
		return found
	}
	leadEnd := sentences[min(frameLeadSentences, len(sentences)-1)].End
	var out []cueMatch
	k := 0
	add := func(m cueMatch) {
		if out == nil {
			out = slices.Grow((*buf)[:0], len(found)+16)
		}
		out = append(out, m)
	}
	// found[j] is the first listed cue that does not end before token i;
	// found[:k] are already in out; q is inSortedSpans' place in the lead
	// sentences, which the tokens visit in text order.
	j, q := 0, 0
	lead := sentences[:min(frameLeadSentences+1, len(sentences))]
	for i, t := range tokens {
		if t.start >= leadEnd {
			break
		}
		for j < len(found) && found[j].last < i {
			j++
		}
		if j < len(found) && found[j].first <= i {
			continue
		}
		if ref, ok := set.nearAt(&tokens[i]); ok && inSortedSpans(lead, &q, t.start, t.end) {
			for ; k < j; k++ {
				add(found[k])
			}
			add(cueMatch{first: i, last: i, group: ref.group, entry: ref.entry})
		}
	}
	if out == nil {
		return found
	}
	out = append(out, found[k:]...)
	*buf = out
	return out
}

// frameRanking returns the frame indexes by share, largest first; ties keep
// the codebook's order.
func frameRanking(scores []FrameScore) []int {
	order := make([]int, len(scores))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(scores[b].Share, scores[a].Share) })
	return order
}

// frameEvidence picks, for each frame, the sentences with the most hits
// (earliest first on ties) and gives them to its score in text order.
// The matches are in text order, so each sentence's hits of a frame are
// consecutive.
func frameEvidence(sentences []Span, matches []cueMatch, inSentence []int, scores []FrameScore, scratch *frameScratch) {
	all := scratch.evidence[:0]
	bounds := append(scratch.bounds[:0], 0)
	for f := range scores {
		from := len(all)
		last := -1
		for i, m := range matches {
			s := inSentence[i]
			if m.group != f || s < 0 {
				continue
			}
			if s != last {
				all = append(all, FrameSentence{Start: sentences[s].Start, End: sentences[s].End})
				last = s
			}
			all[len(all)-1].Hits++
		}
		some := all[from:]
		slices.SortStableFunc(some, func(a, b FrameSentence) int { return cmp.Compare(b.Hits, a.Hits) })
		some = some[:min(len(some), frameEvidenceSentences)]
		slices.SortFunc(some, func(a, b FrameSentence) int { return cmp.Compare(a.Start, b.Start) })
		all = all[:from+len(some)]
		bounds = append(bounds, len(all))
	}
	scratch.evidence, scratch.bounds = all, bounds
	kept := slices.Clone(all)
	for f := range scores {
		scores[f].Evidence = []FrameSentence{}
		if a, b := bounds[f], bounds[f+1]; a < b {
			scores[f].Evidence = kept[a:b:b]
		}
	}
}

// frameDistribution is a profile as a probability distribution over the
// 15 frames, computed from the weights rather than the rounded shares. A
// report stored before frames had weights is read from its hits.
func frameDistribution(p FrameProfile) []float64 {
	d := make([]float64, len(frameDimensions))
	weighted := slices.ContainsFunc(p.Scores, func(s FrameScore) bool { return s.Weight > 0 })
	total := 0.0
	for i, s := range p.Scores {
		if i < len(d) {
			d[i] = s.Weight
			if !weighted {
				d[i] = float64(s.Hits)
			}
			total += d[i]
		}
	}
	if total == 0 {
		clear(d)
		d[otherFrame] = 1
		return d
	}
	for i := range d {
		d[i] /= total
	}
	return d
}

// jsDivergence is the Jensen–Shannon divergence of two distributions in
// bits (base-2 logarithms), so it lies in [0, 1]: 0 for identical
// distributions, 1 for distributions with no outcome in common.
func jsDivergence(p, q []float64) float64 {
	var d float64
	for i := range p {
		m := (p[i] + q[i]) / 2
		if p[i] > 0 {
			d += p[i] * math.Log2(p[i]/m)
		}
		if q[i] > 0 {
			d += q[i] * math.Log2(q[i]/m)
		}
	}
	return min(max(d/2, 0), 1)
}

func compareFrames(articles []ComparedArticle) FrameComparison {
	c := FrameComparison{
		Frames:   frameHeaders(),
		Outlets:  make([]OutletFrames, 0, len(articles)),
		Pairs:    []FramePair{},
		Method:   "jensen-shannon divergence, base 2 (0 = same profile, 1 = no frame in common); divergence is the mean over pairs of outlets",
		Stressed: []StressedFrame{},
		Summary:  []string{},
	}
	sorted := slices.Clone(articles)
	slices.SortStableFunc(sorted, func(a, b ComparedArticle) int {
		return cmp.Or(strings.Compare(a.Outlet, b.Outlet), cmp.Compare(a.ArticleID, b.ArticleID))
	})
	dists := make([][]float64, len(sorted))
	mean := make([]float64, len(frameDimensions))
	for i, a := range sorted {
		dists[i] = frameDistribution(a.Report.Frames)
		for f, x := range dists[i] {
			mean[f] += x / float64(len(sorted))
		}
	}
	for i, a := range sorted {
		shares := make([]float64, len(dists[i]))
		for f, x := range dists[i] {
			shares[f] = round(x, 3)
		}
		top := a.Report.Frames.Top
		if top == nil {
			top = []string{}
		}
		c.Outlets = append(c.Outlets, OutletFrames{
			ArticleID:          a.ArticleID,
			Outlet:             a.Outlet,
			Shares:             shares,
			Hits:               a.Report.Frames.Hits,
			Top:                top,
			DivergenceFromMean: round(jsDivergence(dists[i], mean), 3),
		})
	}
	sum := 0.0
	for i := range sorted {
		for j := i + 1; j < len(sorted); j++ {
			d := jsDivergence(dists[i], dists[j])
			sum += d
			c.Pairs = append(c.Pairs, FramePair{
				ArticleA: sorted[i].ArticleID, OutletA: sorted[i].Outlet,
				ArticleB: sorted[j].ArticleID, OutletB: sorted[j].Outlet,
				Divergence: round(d, 3),
			})
		}
	}
	if len(c.Pairs) > 0 {
		c.Divergence = round(sum/float64(len(c.Pairs)), 3)
	}
	c.Stressed = stressedFrames(sorted, dists)
	c.Summary = frameSummary(c)
	return c
}

// stressedFrames finds, for each outlet, the frames it leans on far more
// than the mean of the other outlets.
func stressedFrames(articles []ComparedArticle, dists [][]float64) []StressedFrame {
	out := []StressedFrame{}
	if len(articles) < 2 {
		return out
	}
	for i, a := range articles {
		for f := range frameDimensions {
			if f == otherFrame {
				continue
			}
			others := 0.0
			for j := range articles {
				if j != i {
					others += dists[j][f]
				}
			}
			others /= float64(len(articles) - 1)
			share := dists[i][f]
			if share < stressMinShare || share < stressRatio*others || share-others < stressMinGap {
				continue
			}
			terms := []string{}
			if f < len(a.Report.Frames.Scores) {
				for _, t := range a.Report.Frames.Scores[f].Terms {
					if len(terms) == stressTerms {
						break
					}
					terms = append(terms, t.Term)
				}
			}
			out = append(out, StressedFrame{
				ArticleID: a.ArticleID, Outlet: a.Outlet,
				Frame: frameDimensions[f].Frame, Label: frameDimensions[f].Label,
				Share: round(share, 3), OthersShare: round(others, 3), Terms: terms,
			})
		}
	}
	slices.SortStableFunc(out, func(a, b StressedFrame) int {
		return cmp.Or(
			cmp.Compare(b.Share-b.OthersShare, a.Share-a.OthersShare),
			strings.Compare(a.Outlet, b.Outlet),
			strings.Compare(a.Frame, b.Frame),
		)
	})
	return out
}

// frameSummary says in plain words which frames lead and who stresses
// what, each frame in a few plain words (frameGist), in short sentences a
// 14-year-old reads (TestSummaryReadsAtGrade8).
func frameSummary(c FrameComparison) []string {
	lines := []string{}
	for _, o := range c.Outlets {
		if o.Hits == 0 {
			lines = append(lines, fmt.Sprintf("%s uses none of the frame words: the words that show which side of a story it talks about.", o.Outlet))
			continue
		}
		var names []string
		for _, f := range o.Top {
			names = append(names, frameGist(f, f))
		}
		if len(names) > 0 {
			lines = append(lines, fmt.Sprintf("%s talks most about %s.", o.Outlet, joinListPlain(names)))
		}
	}
	for _, s := range c.Stressed {
		others, against := "the others do", "in the others on average"
		if len(c.Outlets) == 2 {
			for _, o := range c.Outlets {
				if o.ArticleID != s.ArticleID || o.Outlet != s.Outlet {
					others, against = o.Outlet+" does", "in "+o.Outlet
				}
			}
		}
		line := fmt.Sprintf("%s talks about %s more than %s.", s.Outlet, frameGist(s.Frame, s.Label), others)
		if len(s.Terms) > 0 {
			quoted := make([]string, len(s.Terms[:min(3, len(s.Terms))]))
			for i, t := range s.Terms[:len(quoted)] {
				quoted[i] = "“" + t + "”"
			}
			line += fmt.Sprintf(" Words like %s make up %.0f%% of its frame words, against %.0f%% %s.",
				joinList(quoted), 100*s.Share, 100*s.OthersShare, against)
		} else {
			line += fmt.Sprintf(" It gives it %.0f%% of its frame words, against %.0f%% %s.", 100*s.Share, 100*s.OthersShare, against)
		}
		lines = append(lines, line)
	}
	if len(c.Pairs) > 0 {
		lines = append(lines, fmt.Sprintf("The outlets' mix of frames is %.2f apart, on a scale from 0 (the same) to 1 (nothing shared).", c.Divergence))
	}
	return lines
}

// joinListPlain joins phrases that may hold "and" themselves ("health and
// safety") with a comma before the last "and" (two plain words without), so
// that the list stays clear.
func joinListPlain(items []string) string {
	if len(items) < 2 || len(items) == 2 && !strings.Contains(items[0]+items[1], " and ") {
		return joinList(items)
	}
	return strings.Join(items[:len(items)-1], ", ") + ", and " + items[len(items)-1]
}
