package analysis

import (
	"bytes"
	"encoding/json"
	"math"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slant/demo"
)

// checkModelVerdict holds a sentence's model fields to their contract: a
// score in [0, 1]; biased exactly when a listed word or the model reaches
// its threshold; "pushed by" words only above the model's threshold, at
// most three, inside the sentence and matching their offsets.
func checkModelVerdict(t *testing.T, text string, v SentenceVerdict, modelThreshold, lexThreshold float64) {
	t.Helper()
	if v.ModelScore < 0 || v.ModelScore > 1 {
		t.Fatalf("model score %v outside [0,1]", v.ModelScore)
	}
	if want := v.Score >= lexThreshold || v.ModelScore >= modelThreshold; v.Biased != want {
		t.Fatalf("sentence [%d,%d): biased %v with score %v and model score %v", v.Start, v.End, v.Biased, v.Score, v.ModelScore)
	}
	if v.ModelScore < modelThreshold && v.ModelWords != nil {
		t.Fatalf("sentence [%d,%d) under the model's threshold lists words %v", v.Start, v.End, v.ModelWords)
	}
	if len(v.ModelWords) > modelWordsShown {
		t.Fatalf("sentence [%d,%d) lists %d words", v.Start, v.End, len(v.ModelWords))
	}
	for _, w := range v.ModelWords {
		if w.Start < v.Start || w.End > v.End || w.Start >= w.End || text[w.Start:w.End] != w.Text {
			t.Fatalf("model word %+v is not a word of sentence [%d,%d)", w, v.Start, v.End)
		}
	}
}

func TestBuiltinSentenceModel(t *testing.T) {
	a := builtinTestAnalyzer(t)
	m := a.SentenceModel()
	assert.Regexp(t, regexp.MustCompile(`^[0-9a-f]{8}$`), m.Hash())
	assert.Equal(t, a.Lexicon().Version()+"+data:"+dataVersion()+"+model:"+m.Hash(), a.Version(), "the analysis version names the data and the model")
	assert.Greater(t, m.Threshold(), 0.0)
	assert.Less(t, m.Threshold(), 1.0)
	var training map[string]any
	require.NoError(t, json.Unmarshal(m.Training(), &training))
	assert.Contains(t, training, "provenance", "the model records what it was trained on")

	// The file as committed is what Marshal writes: it was made by
	// cmd/slantmodel, not edited by hand.
	encoded, err := m.Marshal()
	require.NoError(t, err)
	assert.Equal(t, string(builtinSentenceModelData), string(encoded))
}

// TestModelReadsTheSlantedOutletsAsSlanted checks the model on the demo
// event (made up by the project, never trained on): the neutral wire gets
// no model flag and the lowest model_slant; the two slanted outlets read
// well above it.
func TestModelReadsTheSlantedOutletsAsSlanted(t *testing.T) {
	a := builtinTestAnalyzer(t)
	ev, err := demo.Load()
	require.NoError(t, err)
	slant := map[string]float64{}
	for _, art := range ev.Articles {
		r := a.Analyze(Document{Title: art.Title, Text: art.Text})
		slant[art.Outlet] = r.Scores.ModelSlant
		for _, v := range r.Sentences {
			checkModelVerdict(t, art.Text, v, a.SentenceModel().Threshold(), a.Lexicon().Threshold())
			if art.Outlet == "Riverlands Wire" {
				assert.Less(t, v.ModelScore, a.SentenceModel().Threshold(), "the neutral wire: %q", art.Text[v.Start:v.End])
			}
		}
	}
	wire := slant["Riverlands Wire"]
	for outlet, s := range slant {
		if outlet != "Riverlands Wire" {
			assert.Greater(t, s, wire+0.15, "%s's model_slant against the wire's %.3f", outlet, wire)
		}
	}
}

func TestModelLeavesPlainSentencesAlone(t *testing.T) {
	a := builtinTestAnalyzer(t)
	for _, text := range []string{
		"The bill passed on Tuesday after a long debate.",
		"The council met on Monday and approved the budget for next year.",
		"Officials said the road will reopen in March.",
	} {
		r := a.Analyze(Document{Text: text})
		require.Len(t, r.Sentences, 1)
		assert.Less(t, r.Sentences[0].ModelScore, a.SentenceModel().Threshold(), text)
		assert.Nil(t, r.Sentences[0].ModelWords, text)
	}
}

// TestModelScoreIsItsInputsTimesItsWeights checks that the fast path
// (per-word projections looked up from the table) gives the score the
// model file's weights give over the inputs training sees, so what the
// model learned is what analysis applies.
func TestModelScoreIsItsInputsTimesItsWeights(t *testing.T) {
	a := builtinTestAnalyzer(t)
	m := a.SentenceModel()
	ev, err := demo.Load()
	require.NoError(t, err)
	for _, art := range ev.Articles {
		mt, spans, verdicts := a.modelText(Document{Text: art.Text})
		raw := m.rawInputs(trainingText{mt: mt, spans: spans, verdicts: verdicts})
		ins := m.inputs(mt, spans, verdicts)
		for i, x := range raw {
			z := m.file.Bias
			for k, v := range x {
				z += m.file.Weights[k] * (v - m.file.Mean[k]) / m.file.Scale[k]
			}
			assert.InDelta(t, sigmoid(z), m.score(&ins[i]), 1e-5, "%s sentence %d", art.Outlet, i)
		}
	}
}

// TestModelWordsPushTheScore: a word listed as pushing a sentence is one
// whose removal lowers the model's score.
func TestModelWordsPushTheScore(t *testing.T) {
	a := builtinTestAnalyzer(t)
	text := "The callous council ruthlessly threw desperate families onto the streets."
	r := a.Analyze(Document{Text: text})
	require.Len(t, r.Sentences, 1)
	v := r.Sentences[0]
	require.GreaterOrEqual(t, v.ModelScore, a.SentenceModel().Threshold())
	require.NotEmpty(t, v.ModelWords)
	top := v.ModelWords[0]
	without := a.Analyze(Document{Text: text[:top.Start] + text[top.End:]})
	assert.Less(t, without.Sentences[0].ModelScore, v.ModelScore, "removing %q", top.Text)
}

func TestWithSentenceModel(t *testing.T) {
	a := builtinTestAnalyzer(t)
	other, err := a.SentenceModel().WithThreshold(0.99)
	require.NoError(t, err)
	b := a.WithSentenceModel(other)
	assert.NotEqual(t, a.Version(), b.Version(), "another model is another analysis version")
	assert.Equal(t, 0.99, b.SentenceModel().Threshold())
	text := "The callous council ruthlessly threw desperate families onto the streets."
	assert.Nil(t, b.Analyze(Document{Text: text}).Sentences[0].ModelWords, "0.99 is above this sentence's score")
	assert.NotEqual(t, a.SentenceModel().Threshold(), 0.99, "the original is unchanged")
	_, err = a.SentenceModel().WithThreshold(1.5)
	assert.Error(t, err)
}

func TestParseSentenceModelRefusesBrokenFiles(t *testing.T) {
	var good map[string]any
	require.NoError(t, json.Unmarshal(builtinSentenceModelData, &good))
	edit := func(f func(m map[string]any)) []byte {
		var m map[string]any
		require.NoError(t, json.Unmarshal(builtinSentenceModelData, &m))
		f(m)
		data, err := json.Marshal(m)
		require.NoError(t, err)
		return data
	}
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"not JSON", []byte("weights: 1"), "load sentence model"},
		{"other format", edit(func(m map[string]any) { m["format"] = 99 }), "format 99"},
		{"other features", edit(func(m map[string]any) { m["features"].([]any)[0] = "mood" }), "retrain"},
		{"short weights", edit(func(m map[string]any) { m["weights"] = []any{1.0} }), "weights"},
		{"zero scale", edit(func(m map[string]any) { m["scale"].([]any)[3] = 0.0 }), "scale"},
		{"threshold above 1", edit(func(m map[string]any) { m["threshold"] = 1.5 }), "threshold"},
		{"unknown field", edit(func(m map[string]any) { m["temperature"] = 2 }), "unknown field"},
		{"short word model", edit(func(m map[string]any) { m["word_model"] = map[string]any{"weights": []any{1.0}, "bias": 0} }), "word model"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseSentenceModel(tt.data)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

// inventedPairs are training pairs written for this test: a loaded
// sentence and the same sentence said plainly.
var inventedPairs = []TrainingPair{
	{"p1", "The reckless mayor shamelessly gutted the library budget.", "The mayor cut the library budget."},
	{"p2", "Furious residents slammed the disastrous new parking rules.", "Residents criticised the new parking rules."},
	{"p3", "The council's pathetic excuse fooled nobody.", "The council gave a reason for the delay."},
	{"p4", "A heroic teacher bravely saved the doomed school play.", "A teacher organised the school play."},
	{"p5", "The greedy developers bulldozed the beloved park.", "The developers cleared the park."},
	{"p6", "Critics blasted the absurd and wasteful bridge plan.", "Critics questioned the cost of the bridge plan."},
	{"p7", "The shocking report exposed the scandalous failures of the board.", "The report described problems at the board."},
	{"p8", "Brave volunteers heroically rescued the terrified animals.", "Volunteers moved the animals to a shelter."},
}

func TestTrainSentenceModel(t *testing.T) {
	lex := builtinTestAnalyzer(t).Lexicon()
	set := TrainingSet{Pairs: inventedPairs, LoadedWords: []string{"reckless", "shameless", "furious", "disastrous", "pathetic", "heroic", "greedy", "absurd", "shocking", "scandalous", "brave", "terrible", "awful", "wonderful"}}
	// Fewer plain words than the shipped model's, to keep the test quick.
	settings := defaultTraining
	settings.PlainWords = 3000
	train := func() *SentenceModel {
		tr, err := newSentenceTrainer(lex, set, settings)
		require.NoError(t, err)
		m, err := tr.Train(nil)
		require.NoError(t, err)
		return m
	}
	m := train()
	first, err := m.Marshal()
	require.NoError(t, err)
	second, err := train().Marshal()
	require.NoError(t, err)
	assert.True(t, bytes.Equal(first, second), "training twice on the same data gives the same file")

	back, err := ParseSentenceModel(first)
	require.NoError(t, err)
	assert.Equal(t, m.Hash(), back.Hash(), "a trained model and its file name the same version")

	a := builtinTestAnalyzer(t).WithSentenceModel(m)
	loaded := a.Analyze(Document{Text: "The shameless landlord cruelly evicted the frightened tenants."})
	plain := a.Analyze(Document{Text: "The landlord asked the tenants to leave by June."})
	assert.Greater(t, loaded.Scores.ModelSlant, plain.Scores.ModelSlant, "a model trained on invented pairs ranks an unseen loaded sentence above a plain one")

	tr, err := newSentenceTrainer(lex, set, settings)
	require.NoError(t, err)
	_, err = tr.Train(func(int) bool { return false })
	assert.Error(t, err, "no pairs kept")
	_, err = NewSentenceTrainer(lex, TrainingSet{})
	assert.Error(t, err, "no pairs")
	tr, err = newSentenceTrainer(lex, TrainingSet{Pairs: inventedPairs, LoadedWords: []string{"xqzzy"}}, settings)
	require.NoError(t, err)
	_, err = tr.Train(nil)
	assert.Error(t, err, "no loaded word has a vector")
}

func TestFitLogistic(t *testing.T) {
	// y = 1 when x > 0, with overlap near zero: the fit must find a
	// positive weight and a bias near zero, and the penalty must shrink
	// the weight.
	var xs [][]float64
	var ys []float64
	for i := -20; i <= 20; i++ {
		x := float64(i) / 10
		xs = append(xs, []float64{x})
		y := 0.0
		if x > 0 || i == -1 {
			y = 1
		}
		ys = append(ys, y)
	}
	w, b, err := fitLogistic(xs, ys, []float64{0.1}, 50)
	require.NoError(t, err)
	assert.Greater(t, w[0], 2.0)
	assert.Less(t, math.Abs(b), 1.0)
	strong, _, err := fitLogistic(xs, ys, []float64{100}, 50)
	require.NoError(t, err)
	assert.Less(t, strong[0], w[0])

	x, err := solveCholesky([]float64{4, 2, 2, 3}, []float64{2, 5}, 2)
	require.NoError(t, err)
	assert.InDelta(t, -0.5, x[0], 1e-12)
	assert.InDelta(t, 2, x[1], 1e-12)
	_, err = solveCholesky([]float64{1, 2, 2, 1}, []float64{1, 1}, 2)
	assert.Error(t, err, "not positive definite")
}

func BenchmarkSentenceModelLoad(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseSentenceModel(builtinSentenceModelData); err != nil {
			b.Fatal(err)
		}
	}
}

func TestModelWordsSkipFunctionWords(t *testing.T) {
	a := builtinTestAnalyzer(t)
	r := a.Analyze(Document{Text: "It is so utterly shameful that they did this to us."})
	for _, w := range r.Sentences[0].ModelWords {
		assert.NotContains(t, []string{"it", "is", "so", "that", "they", "this", "to", "us"}, strings.ToLower(w.Text))
	}
}
