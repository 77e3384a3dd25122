package evaluation

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slant/analysis"
	"slant/internal/workspace"
)

func builtinAnalyzer(t *testing.T) *analysis.Analyzer {
	t.Helper()
	lex, err := analysis.BuiltinLexicon()
	require.NoError(t, err)
	a, err := analysis.NewAnalyzer(lex)
	require.NoError(t, err)
	return a
}

// smallData is a hand-made corpus touching every dataset, so the whole
// pipeline runs without the shared folder.
func smallData() Data {
	return Data{
		Basil: []BasilArticle{
			{ID: "e_1", Event: "e", Text: "The mayor slammed the crime-ridden hellhole."},
			{ID: "e_2", Event: "e", Text: "The mayor criticised the area."},
		},
		Babe: []BabeSentence{
			{ID: "b1", Text: "Radical leftists slammed the plan.", Biased: true, BiasedWords: []string{"radical", "slammed"}},
			{ID: "b2", Text: "The council met on Tuesday.", Biased: false},
		},
		WNC: []WNCPair{{ID: "w1", Biased: "he is a notorious liar .", Neutral: "he is a politician ."}},
		AllSides: []AllSidesStory{{ID: "s1",
			Articles: []AllSidesArticle{{AllSidesText: AllSidesText{Title: "Mayor slams plan", Text: "A disastrous plan."}}},
			Neutral:  AllSidesText{Title: "Council debates plan", Text: "The council discussed a plan."},
		}},
		GVFC: []GVFCHeadline{{ID: "g1", Text: "Senate votes on the budget", Lead: "Lawmakers argued over taxes.",
			Frames: []string{"Political"}, PrimaryFrame: "Political"}},
		SemEval: []SemEvalArticle{{ID: "s1", Text: "Troops cross the border\n\nThe army attacked; the court ruled it illegal.",
			Frames: []string{"Security and defense", "Legality, constitutionality and jurisprudence"}}},
	}
}

func TestEvaluateIsDeterministicAcrossWorkers(t *testing.T) {
	a := builtinAnalyzer(t)
	var outs [][]byte
	for _, workers := range []int{1, 3, 8} {
		calls := 0
		r, err := Evaluate(context.Background(), a, smallData(), Options{Workers: workers, Explain: []Dataset{Basil, Babe, FramingGVFC, FramingSemEval}, Progress: func(done, total int) {
			calls++
			assert.Equal(t, calls, done)
			assert.Equal(t, 10, total)
		}})
		require.NoError(t, err)
		assert.Equal(t, 10, calls)
		assert.Equal(t, 10, r.Throughput.Texts)
		require.Len(t, r.Datasets, 6)
		r.Throughput = Throughput{}
		var buf bytes.Buffer
		require.NoError(t, r.WriteJSON(&buf))
		outs = append(outs, buf.Bytes())
	}
	assert.Equal(t, string(outs[0]), string(outs[1]))
	assert.Equal(t, string(outs[0]), string(outs[2]))
}

func TestEvaluateStopsOnCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Evaluate(ctx, builtinAnalyzer(t), smallData(), Options{})
	assert.ErrorIs(t, err, context.Canceled)
}

// TestEvaluateSharedData runs the whole evaluation on the first 50 records
// of each real dataset from the shared folder, skipping when it is absent.
func TestEvaluateSharedData(t *testing.T) {
	dir := workspace.Require(t, "eval")
	a := builtinAnalyzer(t)
	set, files, err := LoadTrainingSet(filepath.Dir(dir))
	require.NoError(t, err)
	require.Len(t, files, 1+len(wordListFiles))
	assert.Len(t, set.Pairs, 996)
	cf, err := TrainCrossFit(a.Lexicon(), set)
	require.NoError(t, err)
	r, err := Run(context.Background(), a, dir, AllDatasets(), Options{Limit: 50, Explain: []Dataset{Basil, Babe, FramingGVFC, FramingSemEval}, Top: 5, CrossFit: cf})
	require.NoError(t, err)

	require.Len(t, r.Datasets, len(AllDatasets()))
	assert.ElementsMatch(t, MetricKeys(), keysOf(r.Metrics()))
	for _, m := range r.Metrics() {
		assert.GreaterOrEqual(t, m.Value, 0.0, m.Key)
		assert.LessOrEqual(t, m.Value, 1.0, m.Key)
		assert.Positive(t, m.N, m.Key)
		for _, x := range []*float64{m.Precision, m.Recall} {
			if x != nil {
				assert.True(t, *x >= 0 && *x <= 1, m.Key)
			}
		}
	}
	for _, d := range r.Datasets {
		assert.Equal(t, 50, d.Records, d.Name)
	}
	assert.NotEmpty(t, r.LexiconVersion)
	assert.Positive(t, r.Throughput.MBPerSecond)

	var buf bytes.Buffer
	require.NoError(t, r.WriteJSON(&buf))
	var back Result
	require.NoError(t, json.Unmarshal(buf.Bytes(), &back), "the JSON output parses")
	assert.Equal(t, r.Metrics(), back.Metrics())
	var generic map[string]any
	require.NoError(t, json.Unmarshal(buf.Bytes(), &generic))
	assert.Contains(t, generic, "throughput")

	buf.Reset()
	require.NoError(t, r.WriteTable(&buf))
	require.NoError(t, r.WriteExplain(&buf))
	for _, k := range MetricKeys() {
		assert.Contains(t, buf.String(), k[len(string(datasetOf(k)))+1:])
	}
	assert.Contains(t, buf.String(), "top false positives")
	assert.Contains(t, buf.String(), "cross-fitted")
	assert.Contains(t, buf.String(), "gold primary frame → predicted primary frame")
	assert.Contains(t, buf.String(), "per frame over the predicted sets")
	assert.Contains(t, buf.String(), "constant guess")
}

// TestCrossFitFolds: the folds cut the pairs into parts of about a fifth
// each, by id alone, and every pair is scored by the model of its own
// fold, which was trained on the other folds only.
func TestCrossFitFolds(t *testing.T) {
	sizes := make([]int, CrossFitFolds)
	for i := range 1000 {
		id := fmt.Sprintf("wnc-train-%d", i)
		k := crossFitFold(id)
		assert.Equal(t, k, crossFitFold(id), "stable")
		sizes[k]++
	}
	for k, n := range sizes {
		assert.InDelta(t, 200, n, 45, "fold %d", k)
	}
	c := &CrossFitModels{models: make([]*analysis.SentenceModel, CrossFitFolds)}
	for k := range c.models {
		m, err := builtinAnalyzer(t).SentenceModel().WithThreshold(float64(k+1) / 10)
		require.NoError(t, err)
		c.models[k] = m
	}
	assert.InDelta(t, float64(crossFitFold("x")+1)/10, c.ModelFor("x").Threshold(), 1e-12)
}

func keysOf(ms []Metric) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Key
	}
	return out
}

func datasetOf(key string) Dataset {
	for _, ds := range AllDatasets() {
		if len(key) > len(ds) && key[:len(ds)+1] == string(ds)+"." {
			return ds
		}
	}
	return ""
}

// TestDetailLineNamesEachFigureOnce holds each dataset's detail line (its
// counts and the parts of all its metrics, in one line) to distinct
// names: BABE's verdict and lexicon F1s by class once read
// "f1_biased 0.702, ..., f1_biased 0.666".
func TestDetailLineNamesEachFigureOnce(t *testing.T) {
	r, err := Evaluate(context.Background(), builtinAnalyzer(t), smallData(), Options{})
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, r.WriteTable(&buf))
	checked := 0
	for _, d := range r.Datasets {
		prefix := string(d.Name) + ": "
		var line string
		for _, l := range strings.Split(buf.String(), "\n") {
			if strings.HasPrefix(l, prefix) {
				line = l
			}
		}
		require.NotEmpty(t, line, "%s has a detail line", d.Name)
		seen := map[string]bool{}
		for _, item := range strings.Split(strings.TrimPrefix(line, prefix), ", ") {
			name, _, _ := strings.Cut(item, " ")
			assert.False(t, seen[name], "%s: %q twice in %q", d.Name, name, line)
			seen[name] = true
		}
		checked++
	}
	assert.Equal(t, len(AllDatasets()), checked)
	assert.Contains(t, buf.String(), "f1_biased_lexicon ", "the lexicon's F1s by class are named apart")
}
