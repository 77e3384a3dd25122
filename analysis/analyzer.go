package analysis

import (
	"context"
	"fmt"
	"math"
	"strings"
	"sync"
	"unicode"
	"unsafe"
)

// DefaultSentenceThreshold is the sentence score at or above which a
// sentence is marked biased, unless a lexicon overlay sets another: any
// loaded term in the outlet's own voice reaches it (a mild one scores
// 0.25). Measured on the BABE development half, where it beat 0.5 by 0.11
// macro-F1 (docs/quality.md).
const DefaultSentenceThreshold = 0.25

// Analyzer turns text into a Report with one lexicon. It is safe for
// concurrent use and holds no state between calls.
type Analyzer struct {
	lexicon   *Lexicon
	sentences *sentenceModel
	stems     *stemCache
	model     *SentenceModel
	// scratch holds buffers an analysis needs only while it runs (tokens,
	// sentence splitting, sentiment), reused by the next one. A pointer, so
	// that WithSentenceModel's copy shares it.
	scratch *sync.Pool
}

// NewAnalyzer prepares an analyzer: the sentence splitter, the embedded
// data and the sentence model are loaded once here, not per text.
func NewAnalyzer(lex *Lexicon) (*Analyzer, error) {
	model, err := builtinSentenceModel()
	if err != nil {
		return nil, err
	}
	return newAnalyzer(lex, model)
}

// newAnalyzer prepares an analyzer with this sentence model; training
// uses one without.
func newAnalyzer(lex *Lexicon, model *SentenceModel) (*Analyzer, error) {
	if lex == nil {
		return nil, fmt.Errorf("new analyzer: lexicon is nil")
	}
	splitter, err := loadSentenceModel()
	if err != nil {
		return nil, fmt.Errorf("load sentence splitter: %w", err)
	}
	// The frame cues, label concepts, subjectivity cues and word vectors
	// are embedded data loaded once for the process; loading them here
	// makes broken data an error at start, never a panic in the middle of
	// a request.
	if _, err := builtinFrames(); err != nil {
		return nil, fmt.Errorf("load frame cues: %w", err)
	}
	if _, err := builtinLabels(); err != nil {
		return nil, fmt.Errorf("load label concepts: %w", err)
	}
	if _, err := builtinSubjectivity(); err != nil {
		return nil, fmt.Errorf("load subjectivity cues: %w", err)
	}
	if _, err := builtinVectors(); err != nil {
		return nil, err
	}
	// The stem cache numbers words for the lexicon's matcher.
	info := func(fold, stem string) wordInfo {
		i := builtinWordInfo(fold, stem)
		i.starts |= startsLexiconKnown
		if lex.matcher.startsWith(fold, stem) {
			i.starts |= startsLexicon
		}
		if lex.matcher.holds(fold, stem) {
			i.starts |= inLexicon
		}
		i.stemID, i.foldID = lex.matcher.wordIDs(fold, stem)
		return i
	}
	return &Analyzer{lexicon: lex, sentences: splitter, stems: newStemCache(info), model: model, scratch: &sync.Pool{}}, nil
}

// Lexicon returns the lexicon the analyzer matches with.
func (a *Analyzer) Lexicon() *Lexicon { return a.lexicon }

// Version is the analysis version: what every report made by this analyzer
// records, and what a stored report is compared with to tell whether it is
// stale. It names everything that can change a report: the lexicon with its
// overlay and class word list, the other embedded data with the code's
// revision, and the sentence model ("sha256:…+data:…+model:…").
func (a *Analyzer) Version() string {
	v := a.lexicon.version + "+data:" + dataVersion()
	if a.model == nil {
		return v
	}
	return v + "+model:" + a.model.Hash()
}

// SentenceModel returns the model that scores each sentence.
func (a *Analyzer) SentenceModel() *SentenceModel { return a.model }

// WithSentenceModel returns an analyzer that scores sentences with m
// instead (the evaluation's cross-fitted models; nil for none, as the
// benchmarks measure); a shares everything else with it.
func (a *Analyzer) WithSentenceModel(m *SentenceModel) *Analyzer {
	c := *a
	c.model = m
	return &c
}

// FrameHeaders lists the 15 policy frames every frame profile scores, in
// their fixed order, with their descriptions.
func (a *Analyzer) FrameHeaders() []FrameHeader { return frameHeaders() }

// Analyze reports the loaded language in doc. Offsets count bytes into
// doc.Text (title findings into doc.Title).
func (a *Analyzer) Analyze(doc Document) Report {
	report, _ := a.analyze(unstoppableWork(), doc) // without a context nothing stops it
	return report
}

// AnalyzeContext is Analyze that gives up when ctx is done: it looks at
// ctx between the steps of the analysis and every few thousand tokens
// within them, and then returns an error wrapping ctx.Err().
func (a *Analyzer) AnalyzeContext(ctx context.Context, doc Document) (Report, error) {
	if err := ctx.Err(); err != nil {
		return Report{}, fmt.Errorf("analyze: %w", err)
	}
	return a.analyze(newWork(ctx), doc)
}

func (a *Analyzer) analyze(w *work, doc Document) (report Report, err error) {
	defer recoverStop("analyze", &err)
	sc := a.getScratch()
	defer a.putScratch(sc)
	tokens := tokenizeInto(doc.Text, a.stems, sc.tokens, w)
	sc.tokens = tokens
	quotes := findQuotes(doc.Text)
	findings := a.findings(doc.Text, tokens, quotes, w)
	// The sentence spans are the analysis's own: the report copies what
	// it keeps of them.
	sentences := a.splitSentences(doc.Text, &sc.split, sc.sentences[:0], w)
	sc.sentences = sentences
	verdicts := verdicts(sentences, findings, a.lexicon.threshold)
	titleQuotes := findQuotes(doc.Title)
	titleTokens := tokenizeInto(doc.Title, a.stems, sc.titleTokens, w)
	sc.titleTokens = titleTokens
	titleFindings := a.findings(doc.Title, titleTokens, titleQuotes, w)
	tone := a.tone(doc, tokens, titleTokens, quotes, sentences, findings, titleFindings, &sc.vader, w)
	// The sentence model reads what the word lists and the tone found, and
	// may mark more sentences biased, so it runs before the scores count
	// them.
	w.check()
	modelSlant := a.model.apply(modelText{text: doc.Text, tokens: tokens, quotes: quotes, findings: findings,
		cues: tone.Subjectivity.Cues, tones: tone.Sentences, scratch: &sc.model, w: w}, sentences, verdicts)
	report = Report{
		Findings:       findings,
		Sentences:      verdicts,
		Quotes:         quotes,
		Scores:         score(doc.Text, tokens, quotes, findings, verdicts),
		TitleFindings:  titleFindings,
		Frames:         a.frames(doc.Text, tokens, sentences, &sc.frames),
		Sources:        a.sources(doc.Text, tokens, quotes, sentences, &sc.sources, w),
		Tone:           tone,
		LexiconVersion: a.Version(),
	}
	report.Scores.ModelSlant = modelSlant
	if report.Quotes == nil {
		report.Quotes = []Span{}
	}
	report.NeutralEdits = neutralEdits(doc.Text, findings, quotes, a.lexicon.entryOf)
	report.TitleNeutralEdits = neutralEdits(doc.Title, titleFindings, titleQuotes, a.lexicon.entryOf)
	return report, nil
}

// scratch is the memory one analysis uses only while it runs.
type scratch struct {
	tokens, titleTokens []token
	sentences           []Span
	split               splitter
	vader               vaderScratch
	model               modelScratch
	frames              frameScratch
	sources             sourceScratch
}

// scratchKept bounds the buffers put back for reuse, so that one huge
// text does not keep its buffers in memory: a buffer that grew larger is
// dropped, the others kept. 2 MiB holds the buffers of a 200 KB text.
const scratchKept = 2 << 20

// kept is s, or nil when it takes more than scratchKept bytes.
func kept[S ~[]E, E any](s S) S {
	var e E
	if uintptr(cap(s))*unsafe.Sizeof(e) > scratchKept {
		return nil
	}
	return s
}

func (a *Analyzer) getScratch() *scratch {
	if sc, ok := a.scratch.Get().(*scratch); ok {
		return sc
	}
	return &scratch{}
}

func (a *Analyzer) putScratch(sc *scratch) {
	sc.tokens, sc.titleTokens, sc.sentences = kept(sc.tokens), kept(sc.titleTokens), kept(sc.sentences)
	sc.split.tokens, sc.split.key, sc.split.typ = kept(sc.split.tokens), kept(sc.split.key), kept(sc.split.typ)
	v := &sc.vader
	v.words, v.lower, v.info, v.origInLex, v.buf, v.cues = kept(v.words), kept(v.lower), kept(v.info), kept(v.origInLex), kept(v.buf), kept(v.cues)
	m := &sc.model
	m.inputs, m.words, m.pushed = kept(m.inputs), kept(m.words), kept(m.pushed)
	sc.frames.trim()
	sc.sources.trim()
	a.scratch.Put(sc)
}

func (a *Analyzer) findings(text string, tokens []token, quotes []Span, w *work) []Finding {
	w.check()
	matches := a.lexicon.matcher.findAll(text, tokens, startsLexicon, inLexicon, true, w)
	out := make([]Finding, 0, len(matches))
	q := 0
	for _, m := range matches {
		if m.pattern.exception {
			continue
		}
		c := a.lexicon.categories[m.pattern.category]
		e := c.Entries[m.pattern.entry]
		start, end := tokens[m.first+m.pattern.lead].start, tokens[m.last-m.pattern.trail].end
		out = append(out, Finding{
			Start:        start,
			End:          end,
			Text:         text[start:end],
			Term:         e.Term,
			Category:     c.Name,
			Severity:     e.Severity,
			Alternatives: e.Alternatives,
			Reason:       e.Reason,
			InQuote:      inSortedSpans(quotes, &q, start, end),
			Custom:       e.Source == "custom",
		})
	}
	return out
}

// verdicts scores each sentence from the findings inside it. Each finding
// in the outlet's own voice, of severity s, is taken as an independent
// chance s/4 that the sentence is slanted; the score is the chance that at
// least one of them is. Findings inside quotations are listed with the
// sentence but add nothing: they are the speaker's words, and counting them
// at half weight changed BABE macro-F1 by less than 0.005.
func verdicts(spans []Span, findings []Finding, threshold float64) []SentenceVerdict {
	out := make([]SentenceVerdict, 0, len(spans))
	f := 0
	for _, s := range spans {
		v := SentenceVerdict{Start: s.Start, End: s.End, Findings: []int{}}
		clean := 1.0
		for f < len(findings) && findings[f].Start < s.End {
			if findings[f].Start >= s.Start {
				if !findings[f].InQuote {
					clean *= 1 - float64(findings[f].Severity)/4
				}
				v.Findings = append(v.Findings, f)
			}
			f++
		}
		v.Score = round(1-clean, 3)
		v.Biased = v.Score >= threshold
		out = append(out, v)
	}
	return out
}

// sentenceSpans runs the Punkt model line by line: a line break always
// ends a sentence, because pasted articles put headlines and captions on
// lines of their own without a full stop.
func (a *Analyzer) sentenceSpans(text string) []Span {
	return a.splitSentences(text, &splitter{}, nil, nil)
}

// splitSentences is sentenceSpans with the splitter's buffers and the
// work count of one analysis, appending to spans.
func (a *Analyzer) splitSentences(text string, s *splitter, spans []Span, w *work) []Span {
	w.check()
	s.model = a.sentences
	s.w = w
	for lineStart := 0; lineStart < len(text); {
		lineEnd := strings.IndexByte(text[lineStart:], '\n')
		if lineEnd < 0 {
			lineEnd = len(text)
		} else {
			lineEnd += lineStart
		}
		line := text[lineStart:lineEnd]
		if strings.TrimSpace(line) != "" {
			spans = s.sentences(line, lineStart, spans)
		}
		lineStart = lineEnd + 1
	}
	return spans
}

func trimSpan(text string, start, end int) (int, int) {
	for start < end && isSpaceByte(text[start]) {
		start++
	}
	end = trimRightSpace(text[:end], end)
	if end < start {
		end = start
	}
	return start, end
}

func isSpaceByte(b byte) bool { return b == ' ' || b == '\t' || b == '\r' || b == '\n' }

// score derives the article's figures from its findings; every number here
// can be recomputed from the report.
func score(text string, tokens []token, quotes []Span, findings []Finding, verdicts []SentenceVerdict) Scores {
	s := Scores{Categories: map[string]int{}}
	q := 0
	for i := range tokens {
		t := &tokens[i]
		if !t.hasLetter(text) {
			continue
		}
		s.Words++
		for q < len(quotes) && quotes[q].End <= t.start {
			q++
		}
		if q < len(quotes) && quotes[q].Start <= t.start {
			s.QuotedWords++
		}
	}
	s.OwnWords = s.Words - s.QuotedWords
	quotedWeight := 0
	for _, f := range findings {
		if f.InQuote {
			s.QuotedFindings++
			quotedWeight += f.Severity
			continue
		}
		s.OwnFindings++
		s.OwnWeight += f.Severity
		s.Categories[f.Category]++
	}
	for _, v := range verdicts {
		if v.Biased {
			s.BiasedSentences++
		}
	}
	s.LoadedIndex = perThousand(s.OwnWeight, s.OwnWords)
	s.QuotedIndex = perThousand(quotedWeight, s.QuotedWords)
	return s
}

func perThousand(weight, words int) float64 {
	if words == 0 {
		return 0
	}
	return round(1000*float64(weight)/float64(words), 2)
}

func hasLetter(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

func round(x float64, places int) float64 {
	p := math.Pow(10, float64(places))
	return math.Round(x*p) / p
}
