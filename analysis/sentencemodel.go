package analysis

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
)

// The sentence model reads each sentence beside the word lists: a logistic
// model over the sentence's pooled word vectors and the lexicon's own
// signals (loaded words, subjectivity cues, quotation share, sentiment
// strength), trained by cmd/slantmodel on licence-clean data only
// (model/PROVENANCE.md). It is linear in its inputs, so every sentence's
// score splits into what each of its words added, and the words that
// pushed a score most can be shown beside it.

//go:embed model/sentence.json
var builtinSentenceModelData []byte

// sentenceModelFormat is the version of the model file's layout and of the
// feature definitions below; a file of another format is refused.
const sentenceModelFormat = 1

// The inputs besides the pooled vector, in the order the model file lists
// them. Every one is computed from the outlet's own voice (words outside
// quotation marks) except quoted_share.
var modelScalarNames = []string{
	"lexicon_score",      // the word lists' sentence score (SentenceVerdict.Score)
	"loaded_words",       // own-voice findings in the sentence
	"intensifiers",       // subjectivity cues of each kind (tone.go)
	"hedges",             //
	"absolutes",          //
	"opinions",           //
	"quoted_share",       // share of the sentence's words inside quotation marks
	"sentiment_strength", // |VADER compound|
	"negative_sentiment", // max(0, -compound)
	"log_words",          // log(1 + own words)
	"unknown_share",      // share of own words without a vector
	"word_slant_max",     // the word model's highest word score
	"word_slant_mean",    // its mean over the own words with vectors
}

const (
	featLexiconScore = iota
	featLoadedWords
	featIntensifiers
	featHedges
	featAbsolutes
	featOpinions
	featQuotedShare
	featSentimentStrength
	featNegativeSentiment
	featLogWords
	featUnknownShare
	featWordSlantMax
	featWordSlantMean
	numScalarFeatures
)

// modelFeatureNames lists every input in the model file's order: the
// scalars, then the 100 dimensions of the pooled vector.
func modelFeatureNames() []string {
	names := slices.Clone(modelScalarNames)
	for d := range vectorDims {
		names = append(names, fmt.Sprintf("vector_%02d", d))
	}
	return names
}

// sentenceModelFile is the model as stored (model/sentence.json).
type sentenceModelFile struct {
	Format   int      `json:"format"`
	Features []string `json:"features"`
	// Mean and Scale standardise each input: (x - mean) / scale.
	Mean    []float64 `json:"mean"`
	Scale   []float64 `json:"scale"`
	Weights []float64 `json:"weights"`
	Bias    float64   `json:"bias"`
	// SIFWeight is a in the pooled vector's word weights a / (a + p(w)),
	// p(w) the word's Zipf frequency from its rank (smooth inverse
	// frequency, Arora et al. 2017): frequent words weigh little.
	SIFWeight float64 `json:"sif_weight"`
	// WordModel scores single words from their vectors alone: the chance
	// that a published list calls the word subjective or loaded.
	WordModel wordModel `json:"word_model"`
	// Threshold is the model score at or above which a sentence is marked
	// biased (chosen on the BABE development half).
	Threshold float64 `json:"threshold"`
	// Training records what the model was trained on and how.
	Training json.RawMessage `json:"training"`
}

type wordModel struct {
	Weights []float64 `json:"weights"`
	Bias    float64   `json:"bias"`
}

// SentenceModel is a trained sentence model, ready to score: immutable and
// safe for concurrent use.
type SentenceModel struct {
	file sentenceModelFile
	hash string
	// scalarWeights and bias are the model with the standardisation folded
	// in: z = bias + Σ scalarWeights[k]·x[k] + the vector part.
	scalarWeights [numScalarFeatures]float64
	bias          float64
	// words[i] holds what the model makes of word i of the vector table,
	// precomputed, so that a word costs one lookup at analysis time.
	words        []modelWordWeights
	vectorOffset float64
	table        *vectorTable
}

// modelWordWeights is what the model makes of one word of the vector
// table: the vector part's weights applied to its vector, less the
// average word's (vectorOffset), and the word model's score of it. The
// two sit side by side, so that a word's look-up reads one place.
type modelWordWeights struct {
	projection, slant float32
}

// builtinSentenceModel parses the embedded model once; NewAnalyzer loads
// it so that a broken model is an error at start.
var builtinSentenceModel = sync.OnceValues(func() (*SentenceModel, error) {
	return ParseSentenceModel(builtinSentenceModelData)
})

// ParseSentenceModel reads a model file as cmd/slantmodel writes it and
// prepares it for scoring with the built-in word vectors.
func ParseSentenceModel(data []byte) (*SentenceModel, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var f sentenceModelFile
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("load sentence model: %w", err)
	}
	m, err := newSentenceModel(f)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(data)
	m.hash = hex.EncodeToString(sum[:])[:8]
	return m, nil
}

func newSentenceModel(f sentenceModelFile) (*SentenceModel, error) {
	names := modelFeatureNames()
	switch {
	case f.Format != sentenceModelFormat:
		return nil, fmt.Errorf("load sentence model: format %d, want %d", f.Format, sentenceModelFormat)
	case !slices.Equal(f.Features, names):
		return nil, errors.New("load sentence model: its features are not the ones this analyzer computes (retrain with cmd/slantmodel)")
	case len(f.Mean) != len(names) || len(f.Scale) != len(names) || len(f.Weights) != len(names):
		return nil, fmt.Errorf("load sentence model: want %d means, scales and weights", len(names))
	case len(f.WordModel.Weights) != vectorDims:
		return nil, fmt.Errorf("load sentence model: the word model has %d weights, want %d", len(f.WordModel.Weights), vectorDims)
	case !finite(f.Bias) || !finite(f.Threshold) || !finite(f.SIFWeight) || !finite(f.WordModel.Bias) || f.SIFWeight <= 0:
		return nil, errors.New("load sentence model: bias, threshold, word-model bias and a positive SIF weight must be numbers")
	case f.Threshold < 0 || f.Threshold > 1:
		return nil, fmt.Errorf("load sentence model: threshold %v outside [0, 1]", f.Threshold)
	}
	for i := range names {
		if !finite(f.Mean[i]) || !finite(f.Weights[i]) || !finite(f.Scale[i]) || f.Scale[i] <= 0 {
			return nil, fmt.Errorf("load sentence model: feature %s has a bad mean, scale or weight", names[i])
		}
	}
	for _, w := range f.WordModel.Weights {
		if !finite(w) {
			return nil, errors.New("load sentence model: the word model has a weight that is not a number")
		}
	}
	table, err := builtinVectors()
	if err != nil {
		return nil, err
	}
	m := &SentenceModel{file: f, table: table, bias: f.Bias}
	for k := range names {
		w := f.Weights[k] / f.Scale[k]
		m.bias -= w * f.Mean[k]
		if k < numScalarFeatures {
			m.scalarWeights[k] = w
		} else {
			// The vector part: Σ_d w_d·mean_d over the pooled vector is the
			// SIF-weighted mean of the words' projections, so its constant
			// goes into the bias like the others'.
			m.vectorOffset += w * f.Mean[k]
		}
	}
	m.bias += m.vectorOffset
	var vw [vectorDims]float64
	for d := range vectorDims {
		vw[d] = f.Weights[numScalarFeatures+d] / f.Scale[numScalarFeatures+d]
	}
	m.words = make([]modelWordWeights, table.len())
	for i := range table.len() {
		v := table.row(i)
		s := float64(table.scales[i])
		var p, u float64
		for d, x := range v {
			p += vw[d] * float64(x)
			u += f.WordModel.Weights[d] * float64(x)
		}
		m.words[i] = modelWordWeights{projection: float32(p*s - m.vectorOffset), slant: float32(sigmoid(u*s + f.WordModel.Bias))}
	}
	return m, nil
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

func sigmoid(z float64) float64 {
	if z >= 0 {
		return 1 / (1 + math.Exp(-z))
	}
	e := math.Exp(z)
	return e / (1 + e)
}

// Hash is the first 8 hex digits of the SHA-256 of the model file: the
// part of the analysis version that names the model.
func (m *SentenceModel) Hash() string { return m.hash }

// Threshold is the model score at or above which a sentence is biased.
func (m *SentenceModel) Threshold() float64 { return m.file.Threshold }

// WithThreshold returns the model with another threshold. Its hash is that
// of the file it would be written as.
func (m *SentenceModel) WithThreshold(t float64) (*SentenceModel, error) {
	if !finite(t) || t < 0 || t > 1 {
		return nil, fmt.Errorf("sentence model threshold %v outside [0, 1]", t)
	}
	c := *m
	c.file.Threshold = t
	data, err := c.Marshal()
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(data)
	c.hash = hex.EncodeToString(sum[:])[:8]
	return &c, nil
}

// Marshal writes the model file, indented, with a final newline.
func (m *SentenceModel) Marshal() ([]byte, error) {
	data, err := json.MarshalIndent(m.file, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode sentence model: %w", err)
	}
	return append(data, '\n'), nil
}

// Training returns what the model file records about its training.
func (m *SentenceModel) Training() json.RawMessage { return m.file.Training }

// modelWordsShown is how many words a sentence's "pushed by" lists.
const modelWordsShown = 3

// modelWordsFromRank keeps the table's 200 most frequent words ("the",
// "it", "some", "so") out of "pushed by": function words, which move a
// score through the pooled vector but tell a reader nothing.
const modelWordsFromRank = 200

// sentenceWord is one own-voice word of a sentence, as the model reads it.
type sentenceWord struct {
	token int     // index into the text's tokens
	entry int     // index into the vector table, -1 when it has none
	sif   float64 // the word's weight in the pooled vector
	// projection and slant are the model's for the word (modelWordWeights),
	// when it has a vector.
	projection, slant float32
}

// sentenceInputs is what the model reads of one sentence: its scalar
// inputs and its own-voice words.
type sentenceInputs struct {
	scalars  [numScalarFeatures]float64
	words    []sentenceWord
	sifTotal float64 // the sum of the words' SIF weights
	withVec  int     // how many words have a vector
	slantArg int     // index into words of the highest word score, -1 if none
	slantSum float64
	slantMax float64
}

// modelText is what Analyze already knows of a text, which the model reads.
type modelText struct {
	text     string
	tokens   []token
	quotes   []Span
	findings []Finding
	cues     []SubjectivityCue
	tones    []SentenceTone
	// scratch, when not nil, lends the buffers the inputs are gathered
	// in; they are used only while apply runs.
	scratch *modelScratch
	// w counts the work of scoring, a unit a word (nil: none).
	w *work
}

// modelScratch is the memory the model's inputs take while it scores one
// text, reused by the next analysis.
type modelScratch struct {
	inputs []sentenceInputs
	words  []sentenceWord
	pushed []pushed
}

// sifWeight is a/(a + p(rank)) with p the Zipf frequency of a word of this
// rank in the vector table (most frequent first).
func sifWeight(a float64, rank int) float64 {
	p := 1 / (float64(rank+1) * zipfNorm)
	return a / (a + p)
}

// zipfNorm is the harmonic number of the table's 100,000 words, which makes
// the Zipf frequencies 1/(rank·H) sum to one.
const zipfNorm = 12.09

// lookupWord finds a folded token in the table; a contraction the table
// lacks is looked up without its clitic ("council's", "don't" as "do"),
// since GloVe split them off.
func lookupWord(t *vectorTable, fold string) int {
	if i := t.index(fold); i >= 0 {
		return i
	}
	for _, suffix := range []string{"n't", "'s", "'re", "'ve", "'ll", "'d", "'m", "'"} {
		if stem, ok := strings.CutSuffix(fold, suffix); ok && stem != "" {
			return t.index(stem)
		}
	}
	return -1
}

// inputs gathers what the model reads of each sentence. word scores come
// from slant (the word model over the table); cues and findings are the
// outlet's own.
func (m *SentenceModel) inputs(mt modelText, spans []Span, verdicts []SentenceVerdict) []sentenceInputs {
	out, all := mt.inputBuffers(len(spans))
	// Tokens, quotations, cues and findings all come in text order, as do
	// the sentences: each list is walked once, by its own cursor.
	tok, q, c, f := 0, 0, 0, 0
	for si, s := range spans {
		in := &out[si]
		words, quoted, own := m.sentenceWords(&mt, s, in, &all, &tok, &q)
		in.wordScalars(words, quoted, own)
		x := &in.scalars
		for ; c < len(mt.cues) && mt.cues[c].Start < s.End; c++ {
			if mt.cues[c].Start < s.Start {
				continue
			}
			if k := cueFeature(mt.cues[c].Kind); k >= 0 {
				x[k]++
			}
		}
		for ; f < len(mt.findings) && mt.findings[f].Start < s.End; f++ {
			if mt.findings[f].Start >= s.Start && !mt.findings[f].InQuote {
				x[featLoadedWords]++
			}
		}
		x[featLexiconScore] = verdicts[si].Score
		if si < len(mt.tones) {
			cmp := mt.tones[si].Compound
			x[featSentimentStrength] = math.Abs(cmp)
			x[featNegativeSentiment] = max(0, -cmp)
		}
	}
	return out
}

// inputBuffers returns the zeroed inputs of n sentences and an empty list
// with room for every word of the text. One backing array holds every
// sentence's words: each sentence's list is a slice of it, so a text costs
// two allocations, not one per sentence, and none when the scratch buffers
// are large enough.
func (mt *modelText) inputBuffers(n int) ([]sentenceInputs, []sentenceWord) {
	sc := mt.scratch
	if sc == nil {
		return make([]sentenceInputs, n), make([]sentenceWord, 0, len(mt.tokens))
	}
	out := slices.Grow(sc.inputs[:0], n)[:n]
	clear(out)
	all := slices.Grow(sc.words[:0], len(mt.tokens))
	sc.inputs, sc.words = out[:0], all
	return out, all
}

// sentenceWords appends to *all the own-voice words of sentence s, which
// starts at or after token *tok, and adds up their vectors' figures in in;
// it moves *tok past the sentence and *q, the quotation cursor, along with
// it. It returns how many words the sentence has, quoted and own. The
// list never outgrows the room inputBuffers made, one word a token, so
// the sentences' slices of it stay valid.
func (m *SentenceModel) sentenceWords(mt *modelText, s Span, in *sentenceInputs, all *[]sentenceWord, tok, q *int) (words, quoted, own int) {
	in.slantArg = -1
	first := len(*all)
	// Locals, which the compiler keeps in registers, not the pointers.
	list, t, qi := *all, *tok, *q
	tokens, quotes, text := mt.tokens, mt.quotes, mt.text
	for ; t < len(tokens) && tokens[t].start < s.End; t++ {
		tk := &tokens[t]
		if tk.start < s.Start || !tk.hasLetter(text) {
			continue
		}
		words++
		for qi < len(quotes) && quotes[qi].End <= tk.start {
			qi++
		}
		if qi < len(quotes) && quotes[qi].Start <= tk.start {
			quoted++
			continue
		}
		own++
		e := int(tk.vector) - 1 // the stem cache looked the word up once
		if tk.starts&startsKnown == 0 {
			e = lookupWord(m.table, tk.fold)
		}
		w := sentenceWord{token: t, entry: e}
		if e >= 0 {
			w.sif = sifWeight(m.file.SIFWeight, e)
			in.sifTotal += w.sif
			in.withVec++
			ww := m.words[e]
			w.projection, w.slant = ww.projection, ww.slant
			sl := float64(ww.slant)
			in.slantSum += sl
			if in.slantArg < 0 || sl > in.slantMax {
				in.slantArg, in.slantMax = len(list)-first, sl
			}
		}
		list = append(list, w)
	}
	in.words = list[first:len(list):len(list)]
	*all, *tok, *q = list, t, qi
	return words, quoted, own
}

// wordScalars sets the scalar inputs that come from the sentence's word
// counts and the word scores sentenceWords added up.
func (in *sentenceInputs) wordScalars(words, quoted, own int) {
	x := &in.scalars
	if words > 0 {
		x[featQuotedShare] = float64(quoted) / float64(words)
	}
	x[featLogWords] = math.Log1p(float64(own))
	if own > 0 {
		x[featUnknownShare] = float64(own-in.withVec) / float64(own)
	}
	if in.withVec > 0 {
		x[featWordSlantMax] = in.slantMax
		x[featWordSlantMean] = in.slantSum / float64(in.withVec)
	}
}

func cueFeature(kind string) int {
	switch kind {
	case "intensifier":
		return featIntensifiers
	case "hedge":
		return featHedges
	case "absolute":
		return featAbsolutes
	case "opinion":
		return featOpinions
	}
	return -1
}

// score returns the model's chance that the sentence is slanted.
func (m *SentenceModel) score(in *sentenceInputs) float64 {
	z := m.bias
	for k, x := range in.scalars {
		z += m.scalarWeights[k] * x
	}
	if in.sifTotal > 0 {
		var v float64
		for _, w := range in.words {
			if w.entry >= 0 {
				v += w.sif * float64(w.projection)
			}
		}
		z += v / in.sifTotal
	} else {
		// No word with a vector: the pooled vector is zero, which sits
		// vectorOffset below the average word's projection.
		z -= m.vectorOffset
	}
	return sigmoid(z)
}

// pushers returns the own-voice words that raised the sentence's score
// most, highest first: each word's share of the pooled vector's part, of
// the word scores' parts, and of the cues and findings it lies in.
func (m *SentenceModel) pushers(mt modelText, s Span, in *sentenceInputs) []ModelWord {
	var ps []pushed
	if mt.scratch != nil {
		ps = mt.scratch.pushed[:0]
		defer func() { mt.scratch.pushed = ps[:0] }()
	}
	slantMean := 0.0
	if in.withVec > 0 {
		slantMean = m.scalarWeights[featWordSlantMean] / float64(in.withVec)
	}
	for i, w := range in.words {
		if w.entry < modelWordsFromRank {
			continue
		}
		by := w.sif / in.sifTotal * float64(w.projection)
		by += slantMean * float64(w.slant)
		if i == in.slantArg {
			by += m.scalarWeights[featWordSlantMax] * float64(w.slant)
		}
		ps = append(ps, pushed{token: w.token, by: by})
	}
	// Subjectivity cues and findings push through their counts: their
	// weight goes to the words they cover. The words, the cues and the
	// findings are all in text order, so each cue's words are found by
	// binary search and those of the sentence's cues likewise: one
	// sentence of many thousand findings costs as much as its words.
	add := func(start, end int, by float64) {
		i, _ := slices.BinarySearchFunc(ps, start, func(p pushed, start int) int { return cmp.Compare(mt.tokens[p.token].start, start) })
		from := i
		for ; i < len(ps) && mt.tokens[ps[i].token].end <= end; i++ {
			ps[i].by += by
		}
		mt.w.tick(1 + i - from)
	}
	c, _ := slices.BinarySearchFunc(mt.cues, s.Start, func(c SubjectivityCue, start int) int { return cmp.Compare(c.Start, start) })
	for ; c < len(mt.cues) && mt.cues[c].Start <= s.End; c++ {
		if c := mt.cues[c]; c.End <= s.End {
			if k := cueFeature(c.Kind); k >= 0 {
				add(c.Start, c.End, m.scalarWeights[k])
			}
		}
	}
	f, _ := slices.BinarySearchFunc(mt.findings, s.Start, func(f Finding, start int) int { return cmp.Compare(f.Start, start) })
	for ; f < len(mt.findings) && mt.findings[f].Start <= s.End; f++ {
		if f := &mt.findings[f]; f.End <= s.End && !f.InQuote {
			add(f.Start, f.End, m.scalarWeights[featLoadedWords]+m.scalarWeights[featLexiconScore]*float64(f.Severity)/4)
		}
	}
	slices.SortStableFunc(ps, func(a, b pushed) int {
		switch {
		case a.by > b.by:
			return -1
		case a.by < b.by:
			return 1
		}
		return a.token - b.token
	})
	out := []ModelWord{}
	var seen [modelWordsShown]string // the folds of the words in out
	for _, p := range ps {
		if len(out) == modelWordsShown || p.by <= 0 {
			break
		}
		t := mt.tokens[p.token]
		if slices.Contains(seen[:len(out)], t.fold) {
			continue
		}
		seen[len(out)] = t.fold
		out = append(out, ModelWord{Start: t.start, End: t.end, Text: mt.text[t.start:t.end]})
	}
	return out
}

// pushed is how much a word pushed its sentence's score.
type pushed struct {
	token int
	by    float64
}

// ModelWord is a word that pushed a sentence's model score up.
type ModelWord struct {
	Start int    `json:"start"`
	End   int    `json:"end"`
	Text  string `json:"text"`
}

// apply scores every sentence, marks biased those the model
// passes, lists the words that pushed them, and returns model_slant: the
// mean score over the sentences in the outlet's own voice.
func (m *SentenceModel) apply(mt modelText, spans []Span, verdicts []SentenceVerdict) float64 {
	if m == nil {
		// Training reads texts with no model; the benchmarks measure the
		// analysis without one.
		return 0
	}
	ins := m.inputs(mt, spans, verdicts)
	var sum float64
	own := 0
	for i := range verdicts {
		v := &verdicts[i]
		mt.w.tick(1 + len(ins[i].words))
		p := m.score(&ins[i])
		v.ModelScore = round(p, 3)
		if v.ModelScore >= m.file.Threshold {
			v.Biased = true
			v.ModelWords = m.pushers(mt, spans[i], &ins[i])
		}
		if i < len(mt.tones) && !mt.tones[i].Quoted {
			sum += p
			own++
		}
	}
	if own == 0 {
		return 0
	}
	return round(sum/float64(own), 3)
}

// modelText runs the parts of Analyze the model reads, for training: the
// report's findings, sentences, verdicts and tone, without the model.
func (a *Analyzer) modelText(doc Document) (modelText, []Span, []SentenceVerdict) {
	w := unstoppableWork()
	tokens := tokenize(doc.Text, a.stems)
	quotes := findQuotes(doc.Text)
	findings := a.findings(doc.Text, tokens, quotes, w)
	sentences := a.sentenceSpans(doc.Text)
	verdicts := verdicts(sentences, findings, a.lexicon.threshold)
	var vader vaderScratch
	tone := a.tone(doc, tokens, nil, quotes, sentences, findings, nil, &vader, w)
	return modelText{text: doc.Text, tokens: tokens, quotes: quotes, findings: findings,
		cues: tone.Subjectivity.Cues, tones: tone.Sentences}, sentences, verdicts
}
