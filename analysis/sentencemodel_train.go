package analysis

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
)

// Training the sentence model. It is deterministic: the same data in the
// same order gives the same weights, bit for bit on one platform (no
// randomness; Newton's method from zero with a fixed number of steps).

// TrainingPair is a biased sentence and its neutral edit (the Wiki
// Neutrality Corpus).
type TrainingPair struct {
	ID      string
	Biased  string
	Neutral string
}

// TrainingSet is what the sentence model learns from: licence-clean data
// only (cmd/slantmodel says which).
type TrainingSet struct {
	// Pairs teach the sentence model: each biased sentence is a positive
	// example, its neutral edit a negative one.
	Pairs []TrainingPair
	// LoadedWords teach the word model: words that published lists call
	// subjective or loaded. The table's frequent words outside this list
	// are its negatives.
	LoadedWords []string
	// Provenance is recorded in the model file as it is.
	Provenance any
}

// modelTraining holds the fixed settings of training, recorded in the
// model file.
type modelTraining struct {
	SentencePenalty float64 `json:"sentence_l2_penalty"`
	WordPenalty     float64 `json:"word_l2_penalty"`
	PlainWords      int     `json:"plain_words_below_rank"`
	NewtonSteps     int     `json:"newton_steps"`
	SIFWeight       float64 `json:"sif_weight"`
	// EditedWords adds the words the pairs' edits removed to the word
	// model's loaded words.
	EditedWords bool `json:"edited_words_loaded"`
	// VectorPenalty, when set, is the penalty on the pooled vector's
	// weights instead of SentencePenalty.
	VectorPenalty  float64 `json:"vector_l2_penalty,omitempty"`
	Pairs          int     `json:"pairs"`
	Sentences      int     `json:"sentences"`
	LoadedWords    int     `json:"loaded_words_with_vectors"`
	PlainWordsUsed int     `json:"plain_words"`
	Provenance     any     `json:"provenance,omitempty"`
}

// The training settings. The penalties are on the standardised weights
// (the sentence model) and on the raw vector weights (the word model). The
// sentence penalty was chosen by cross-validation on the WNC pairs (five
// folds): 0.721 of pairs ranked right at 20, 0.734 at 150, 0.741 at 500.
var defaultTraining = modelTraining{
	SentencePenalty: 500,
	WordPenalty:     1,
	PlainWords:      30000,
	NewtonSteps:     25,
	SIFWeight:       1e-3,
}

// SentenceTrainer holds a training set read once, every pair's texts
// analyzed, so that models can be fitted on any subset of the pairs
// (cross-fitting) without analyzing them again.
type SentenceTrainer struct {
	settings modelTraining
	table    *vectorTable
	features []string
	loaded   []string
	// texts[i] are pair i's biased and neutral texts as the model reads
	// them; edited[i] the words of the biased text that its neutral edit
	// removed.
	texts      [][2]trainingText
	edited     [][]string
	provenance any
	// word is the word model fitted on the word lists alone, kept for
	// every subset when the edited words are not added to it.
	word               *wordModel
	wordLoaded, plainN int
}

type trainingText struct {
	mt       modelText
	spans    []Span
	verdicts []SentenceVerdict
}

// NewSentenceTrainer reads every pair as Analyze would, with lex supplying
// the findings. It needs no sentence model, so a model whose features are
// out of date can be retrained.
func NewSentenceTrainer(lex *Lexicon, set TrainingSet) (*SentenceTrainer, error) {
	return newSentenceTrainer(lex, set, defaultTraining)
}

func newSentenceTrainer(lex *Lexicon, set TrainingSet, settings modelTraining) (*SentenceTrainer, error) {
	if len(set.Pairs) == 0 {
		return nil, errors.New("train sentence model: no pairs")
	}
	a, err := newAnalyzer(lex, nil)
	if err != nil {
		return nil, err
	}
	table, err := builtinVectors()
	if err != nil {
		return nil, err
	}
	t := &SentenceTrainer{settings: settings, table: table, features: modelFeatureNames(), loaded: set.LoadedWords, provenance: set.Provenance}
	for _, p := range set.Pairs {
		var pair [2]trainingText
		for k, text := range []string{p.Biased, p.Neutral} {
			mt, spans, verdicts := a.modelText(Document{Text: text})
			pair[k] = trainingText{mt: mt, spans: spans, verdicts: verdicts}
		}
		t.texts = append(t.texts, pair)
		t.edited = append(t.edited, editedWords(pair[0].mt, pair[1].mt))
	}
	return t, nil
}

// editedWords returns the words of the biased text that the neutral text
// lacks (each distinct word once, in text order).
func editedWords(biased, neutral modelText) []string {
	kept := map[string]bool{}
	for _, t := range neutral.tokens {
		kept[t.fold] = true
	}
	var out []string
	for _, t := range biased.tokens {
		if !kept[t.fold] && hasLetter(t.fold) {
			kept[t.fold] = true
			out = append(out, t.fold)
		}
	}
	return out
}

func ones(n int) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = 1
	}
	return s
}

func (t *SentenceTrainer) file(word wordModel, mean, scale, weights []float64, bias, threshold float64, training json.RawMessage) sentenceModelFile {
	return sentenceModelFile{
		Format: sentenceModelFormat, Features: t.features,
		Mean: mean, Scale: scale, Weights: weights, Bias: bias,
		SIFWeight: t.settings.SIFWeight, WordModel: word, Threshold: threshold,
		Training: training,
	}
}

// rawInputs returns each sentence's inputs in the model file's order, the
// pooled vector unstandardised.
func (m *SentenceModel) rawInputs(tt trainingText) [][]float64 {
	ins := m.inputs(tt.mt, tt.spans, tt.verdicts)
	out := make([][]float64, len(ins))
	for i := range ins {
		x := make([]float64, numScalarFeatures+vectorDims)
		copy(x, ins[i].scalars[:])
		if ins[i].sifTotal > 0 {
			for _, w := range ins[i].words {
				if w.entry < 0 {
					continue
				}
				s := w.sif * float64(m.table.scales[w.entry]) / ins[i].sifTotal
				for d, v := range m.table.row(w.entry) {
					x[numScalarFeatures+d] += s * float64(v)
				}
			}
		}
		out[i] = x
	}
	return out
}

// Train fits the word model and then the sentence model on the pairs keep
// accepts (all when keep is nil); the threshold is left at 0.5 for the
// caller to choose.
func (t *SentenceTrainer) Train(keep func(pair int) bool) (*SentenceModel, error) {
	pairs, loaded := t.keptPairs(keep)
	if pairs == 0 {
		return nil, errors.New("train sentence model: no pairs kept")
	}
	word, loadedIn, plainIn, err := t.wordModel(loaded)
	if err != nil {
		return nil, err
	}
	xs, ys, err := t.sentenceInputs(word, keep)
	if err != nil {
		return nil, err
	}
	d := len(t.features)
	mean, scale := standardisation(xs, d)
	w, b, err := fitLogistic(standardised(xs, mean, scale), ys, t.penalties(), t.settings.NewtonSteps)
	if err != nil {
		return nil, fmt.Errorf("train sentence model: %w", err)
	}
	settings := t.settings
	settings.Pairs, settings.Sentences = pairs, len(xs)
	settings.LoadedWords, settings.PlainWordsUsed = loadedIn, plainIn
	settings.Provenance = t.provenance
	training, err := json.Marshal(settings)
	if err != nil {
		return nil, fmt.Errorf("train sentence model: %w", err)
	}
	m, err := newSentenceModel(t.file(word, roundAll(mean), roundAll(scale), roundAll(w), roundSig(b), 0.5, training))
	if err != nil {
		return nil, err
	}
	data, err := m.Marshal()
	if err != nil {
		return nil, err
	}
	// The hash is that of the file as written, so a model trained here and
	// one read back from its file name the same version.
	return ParseSentenceModel(data)
}

// keptPairs counts the pairs keep keeps (all when keep is nil) and lists
// the loaded words the word model learns from: the lexicons' and, with
// Settings.EditedWords, the words each kept pair's edit removed.
func (t *SentenceTrainer) keptPairs(keep func(pair int) bool) (pairs int, loaded []string) {
	loaded = slices.Clone(t.loaded)
	for i := range t.texts {
		if keep != nil && !keep(i) {
			continue
		}
		pairs++
		if t.settings.EditedWords {
			loaded = append(loaded, t.edited[i]...)
		}
	}
	return pairs, loaded
}

// wordModel fits the word model on loaded, or reuses the one fitted
// before: without the edited words it does not depend on which pairs are
// kept, so the cross-fitted folds share it.
func (t *SentenceTrainer) wordModel(loaded []string) (word wordModel, loadedIn, plainIn int, err error) {
	if t.word != nil && !t.settings.EditedWords {
		return *t.word, t.wordLoaded, t.plainN, nil
	}
	if word, loadedIn, plainIn, err = fitWordModel(t.table, loaded, t.settings); err != nil {
		return wordModel{}, 0, 0, err
	}
	if !t.settings.EditedWords {
		t.word, t.wordLoaded, t.plainN = &word, loadedIn, plainIn
	}
	return word, loadedIn, plainIn, nil
}

// sentenceInputs is each kept pair's sentences' raw inputs, the biased
// text's labelled 1 and the neutral one's 0. A model with the word model
// and no sentence weights computes the inputs exactly as analysis will.
func (t *SentenceTrainer) sentenceInputs(word wordModel, keep func(pair int) bool) (xs [][]float64, ys []float64, err error) {
	d := len(t.features)
	reader, err := newSentenceModel(t.file(word, make([]float64, d), ones(d), make([]float64, d), 0, 0.5, nil))
	if err != nil {
		return nil, nil, err
	}
	for i, pair := range t.texts {
		if keep != nil && !keep(i) {
			continue
		}
		for k, tt := range pair {
			for _, x := range reader.rawInputs(tt) {
				xs = append(xs, x)
				ys = append(ys, float64(1-k))
			}
		}
	}
	return xs, ys, nil
}

// standardised is xs with each input's mean taken away and divided by its
// scale.
func standardised(xs [][]float64, mean, scale []float64) [][]float64 {
	z := make([][]float64, len(xs))
	for i, x := range xs {
		z[i] = make([]float64, len(mean))
		for k := range mean {
			z[i][k] = (x[k] - mean[k]) / scale[k]
		}
	}
	return z
}

// penalties is the sentence weights' ridge penalty, the same for each.
func (t *SentenceTrainer) penalties() []float64 {
	penalty := make([]float64, len(t.features))
	for k := range penalty {
		penalty[k] = t.settings.SentencePenalty
	}
	return penalty
}

func standardisation(xs [][]float64, d int) (mean, scale []float64) {
	mean, scale = make([]float64, d), make([]float64, d)
	n := float64(len(xs))
	for _, x := range xs {
		for k := range d {
			mean[k] += x[k] / n
		}
	}
	for _, x := range xs {
		for k := range d {
			scale[k] += (x[k] - mean[k]) * (x[k] - mean[k]) / n
		}
	}
	for k := range scale {
		scale[k] = math.Sqrt(scale[k])
		if scale[k] < 1e-9 {
			scale[k] = 1
		}
	}
	return mean, scale
}

// roundSig keeps 6 significant digits, so that the model file is short
// and the same on platforms whose floating point differs in the last bits.
func roundSig(x float64) float64 {
	if x == 0 || !finite(x) {
		return x
	}
	p := math.Pow(10, 5-math.Floor(math.Log10(math.Abs(x))))
	return math.Round(x*p) / p
}

func roundAll(xs []float64) []float64 {
	out := make([]float64, len(xs))
	for i, x := range xs {
		out[i] = roundSig(x)
	}
	return out
}

// fitWordModel fits a logistic model from word vectors to "a published
// list calls this word loaded": positives are the listed words the table
// has, negatives the table's words above rank settings.PlainWords that no
// list names. The result's weights apply to raw vector values.
func fitWordModel(table *vectorTable, loaded []string, settings modelTraining) (wordModel, int, int, error) {
	isLoaded := map[int]bool{}
	for _, w := range loaded {
		if i := table.index(w); i >= 0 {
			isLoaded[i] = true
		}
	}
	if len(isLoaded) == 0 {
		return wordModel{}, 0, 0, errors.New("train word model: no loaded word has a vector")
	}
	var xs [][]float64
	var ys []float64
	plain := 0
	for i := range table.len() {
		pos := isLoaded[i]
		if !pos && i >= settings.PlainWords {
			continue
		}
		x := make([]float64, vectorDims)
		s := float64(table.scales[i])
		for d, v := range table.row(i) {
			x[d] = float64(v) * s
		}
		xs = append(xs, x)
		if pos {
			ys = append(ys, 1)
		} else {
			ys = append(ys, 0)
			plain++
		}
	}
	penalty := make([]float64, vectorDims)
	for k := range penalty {
		penalty[k] = settings.WordPenalty
	}
	w, b, err := fitLogistic(xs, ys, penalty, settings.NewtonSteps)
	if err != nil {
		return wordModel{}, 0, 0, fmt.Errorf("train word model: %w", err)
	}
	return wordModel{Weights: roundAll(w), Bias: roundSig(b)}, len(isLoaded), plain, nil
}

// fitLogistic fits P(y=1|x) = σ(w·x + b) by Newton's method with an L2
// penalty on w (not on b): minimise Σ log-loss + Σ penalty[k]/2·w[k]².
func fitLogistic(xs [][]float64, ys []float64, penalty []float64, steps int) ([]float64, float64, error) {
	if len(xs) == 0 {
		return nil, 0, errors.New("no examples")
	}
	d := len(xs[0])
	n := d + 1 // the bias is the last coordinate
	beta := make([]float64, n)
	grad := make([]float64, n)
	hess := make([]float64, n*n)
	for range steps {
		clear(grad)
		clear(hess)
		for i, x := range xs {
			z := beta[d]
			for k, v := range x {
				z += beta[k] * v
			}
			p := sigmoid(z)
			r := p - ys[i]
			h := max(p*(1-p), 1e-12)
			for k := range n {
				xk := 1.0
				if k < d {
					xk = x[k]
				}
				grad[k] += r * xk
				row := hess[k*n:]
				for j := k; j < n; j++ {
					xj := 1.0
					if j < d {
						xj = x[j]
					}
					row[j] += h * xk * xj
				}
			}
		}
		for k := range n {
			for j := k + 1; j < n; j++ {
				hess[j*n+k] = hess[k*n+j]
			}
			if k < d {
				grad[k] += penalty[k] * beta[k]
				hess[k*n+k] += penalty[k]
			}
		}
		step, err := solveCholesky(hess, grad, n)
		if err != nil {
			return nil, 0, err
		}
		biggest := 0.0
		for k := range n {
			beta[k] -= step[k]
			biggest = max(biggest, math.Abs(step[k]))
		}
		// Newton's method converges quadratically; once a step changes
		// no coefficient by more than this, further steps change nothing
		// that the model file keeps (6 significant digits).
		if biggest < 1e-10 {
			break
		}
	}
	return slices.Clone(beta[:d]), beta[d], nil
}

// solveCholesky solves A x = b for a symmetric positive definite n×n A
// (row-major), which it overwrites.
func solveCholesky(a, b []float64, n int) ([]float64, error) {
	for j := range n {
		s := a[j*n+j]
		for k := range j {
			s -= a[j*n+k] * a[j*n+k]
		}
		if s <= 0 {
			return nil, errors.New("the system is not positive definite")
		}
		a[j*n+j] = math.Sqrt(s)
		for i := j + 1; i < n; i++ {
			s := a[i*n+j]
			for k := range j {
				s -= a[i*n+k] * a[j*n+k]
			}
			a[i*n+j] = s / a[j*n+j]
		}
	}
	y := make([]float64, n)
	for i := range n {
		s := b[i]
		for k := range i {
			s -= a[i*n+k] * y[k]
		}
		y[i] = s / a[i*n+i]
	}
	x := make([]float64, n)
	for i := n - 1; i >= 0; i-- {
		s := y[i]
		for k := i + 1; k < n; k++ {
			s -= a[k*n+i] * x[k]
		}
		x[i] = s / a[i*n+i]
	}
	return x, nil
}
