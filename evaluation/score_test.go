package evaluation

import (
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slant/analysis"
)

func TestPredictDropsQuotedFindings(t *testing.T) {
	r := analysis.Report{
		Findings: []analysis.Finding{
			{Start: 0, End: 5, Term: "slam", InQuote: false},
			{Start: 10, End: 17, Term: "hellhole", InQuote: true},
		},
		Sentences: []analysis.SentenceVerdict{{Biased: false, Score: 0.1, ModelScore: 0.3}, {Biased: true, Score: 0.2, ModelScore: 0.8}},
		Scores:    analysis.Scores{LoadedIndex: 12.5, ModelSlant: 0.55},
	}
	p := Predict(r, 0.25)
	assert.Equal(t, []Flag{{Span: Span{0, 5}, Term: "slam"}}, p.Flags)
	assert.True(t, p.Biased, "the report's verdict: here the model's")
	assert.False(t, p.LexiconBiased, "no word-list score reaches 0.25")
	assert.Equal(t, 12.5, p.LoadedIndex)
	assert.Equal(t, 0.2, p.Score)
	assert.Equal(t, 0.8, p.ModelScore)
	assert.Equal(t, 0.55, p.ModelSlant)
	assert.Equal(t, []Span{{0, 5}}, p.Spans())
	assert.True(t, Predict(r, 0.2).LexiconBiased)
	assert.False(t, Predict(analysis.Report{}, 0.25).Biased)
}

func flagAt(text, word, term string) Flag {
	i := indexOf(text, word)
	return Flag{Span: Span{Start: i, End: i + len(word)}, Term: term}
}

func indexOf(text, word string) int {
	for i := 0; i+len(word) <= len(text); i++ {
		if text[i:i+len(word)] == word {
			return i
		}
	}
	panic("no " + word + " in " + text)
}

func TestScoreBasilUsesByteOffsets(t *testing.T) {
	// "Pélosi’s" and "—" make byte and code-point offsets differ before
	// the gold word.
	text := "Pélosi’s aides — the élites — slammed the plan."
	word := "slammed"
	byteStart := indexOf(text, word)
	runeStart := utf8.RuneCountInString(text[:byteStart])
	require.NotEqual(t, byteStart, runeStart)
	art := BasilArticle{ID: "a1", Event: "e", Text: text, Spans: []BasilSpan{
		{Start: runeStart, End: runeStart + len(word), ByteStart: byteStart, ByteEnd: byteStart + len(word), Text: word, Kind: "lexical"},
		{ByteStart: 0, ByteEnd: 8, Text: "Pélosi’s", Kind: "lexical", Quote: true},                    // quoted: not gold
		{ByteStart: indexOf(text, "plan"), ByteEnd: indexOf(text, "plan") + 4, Kind: "informational"}, // not lexical
	}}
	pred := Prediction{Flags: []Flag{flagAt(text, word, "slam"), flagAt(text, "élites", "elites")}}
	r := ScoreBasil([]BasilArticle{art}, []Prediction{pred}, 5)
	m, _ := findMetric(r, KeyBasilTokenF1)
	assert.Equal(t, 1.0, *m.Recall)
	assert.Equal(t, 0.5, *m.Precision)
	assert.Equal(t, 1, r.Counts["tp"])
	assert.Equal(t, 1, r.Counts["fp"])
	assert.Equal(t, []TermCount{{Form: "élites", Count: 1, Terms: []string{"elites"}}}, r.Explain.FalsePositives)
	assert.Empty(t, r.Explain.Missed)
}

func TestScoreBasilTriplets(t *testing.T) {
	// e1: a (2 spans / 4 words) > b (1/4) > c (0/4); predictions a 3, b 3, c 1.
	// e2: d and e tied in gold (0 spans): no pair.
	text4 := "one two three four"
	gold := func(n int) []BasilSpan {
		spans := make([]BasilSpan, n)
		for i := range spans {
			spans[i] = BasilSpan{ByteStart: 0, ByteEnd: 3, Text: "one", Kind: "lexical"}
		}
		return spans
	}
	arts := []BasilArticle{
		{ID: "a", Event: "e1", Text: text4, Spans: gold(2)},
		{ID: "d", Event: "e2", Text: text4},
		{ID: "b", Event: "e1", Text: text4, Spans: gold(1)},
		{ID: "e", Event: "e2", Text: text4},
		{ID: "c", Event: "e1", Text: text4},
	}
	preds := []Prediction{{LoadedIndex: 3}, {LoadedIndex: 7}, {LoadedIndex: 3}, {LoadedIndex: 1}, {LoadedIndex: 1}}
	r := ScoreBasil(arts, preds, 0)
	m, _ := findMetric(r, KeyBasilTripletPairs)
	// a>b tie 0.5, a>c 1, b>c 1.
	assert.Equal(t, 3, m.N)
	assert.InDelta(t, 2.5/3, m.Value, 1e-12)
	assert.Equal(t, 2, r.Counts["events"])
	assert.Nil(t, r.Explain)
}

func TestScoreBabe(t *testing.T) {
	text := `The experts said the anti-science crowd "cheated" again.`
	sents := []BabeSentence{
		{ID: "1", Text: text, Biased: true, BiasedWords: []string{"“experts”", "anti-science", "The", "cheated", "demoize"}},
		{ID: "2", Text: "Nothing to see.", Biased: false},
		{ID: "3", Text: "A calm report.", Biased: false},
	}
	preds := []Prediction{
		// own-voice flags on "experts" and "crowd"; the quoted "cheated"
		// finding is already dropped by Predict, so it is a miss.
		{Biased: true, Flags: []Flag{flagAt(text, "experts", "experts say"), flagAt(text, "crowd", "crowd")}},
		{Biased: true},
		{Biased: false},
	}
	r := ScoreBabe(sents, preds, 10)
	word, _ := findMetric(r, KeyBabeWordF1)
	// gold: The, the, experts, anti-science, cheated = 5; flagged experts (TP), crowd (FP).
	assert.Equal(t, 5, word.N)
	assert.InDelta(t, 0.5, *word.Precision, 1e-12)
	assert.InDelta(t, 0.2, *word.Recall, 1e-12)
	assert.InDelta(t, 2.0/7, word.Value, 1e-12)
	assert.Equal(t, 1, r.Counts["biased_word_forms_not_in_sentence"]) // demoize
	assert.Equal(t, []TermCount{{Form: "the", Count: 2}, {Form: "anti-science", Count: 1}, {Form: "cheated", Count: 1}}, r.Explain.Missed)

	sentence, _ := findMetric(r, KeyBabeSentenceF1)
	// biased class: TP 1, FP 1 → F1 2/3; not-biased: TP 1, FN 1 → F1 2/3.
	assert.InDelta(t, 2.0/3, sentence.Value, 1e-12)
	assert.Equal(t, 3, sentence.N)
}

func TestAUROC(t *testing.T) {
	assert.InDelta(t, 1, AUROC([]float64{0.9, 0.8}, []float64{0.1, 0.2}), 1e-12)
	assert.InDelta(t, 0, AUROC([]float64{0.1}, []float64{0.9}), 1e-12)
	assert.InDelta(t, 0.5, AUROC([]float64{0.5, 0.5}, []float64{0.5}), 1e-12, "ties count half")
	// Pairs: (0.9>0.4) (0.9>0.4) (0.4=0.4) (0.4<0.7)... by hand: 3 of 4.
	assert.InDelta(t, 0.625, AUROC([]float64{0.9, 0.4}, []float64{0.4, 0.7}), 1e-12)
	assert.Zero(t, AUROC(nil, []float64{1}))
}

func TestScoreWNCAndAllSides(t *testing.T) {
	w := ScoreWNC([]WNCPair{{ID: "1"}, {ID: "2"}, {ID: "3"}}, []Prediction{
		{LoadedIndex: 5}, {LoadedIndex: 0}, // biased higher: 1
		{LoadedIndex: 0}, {LoadedIndex: 0}, // tie: 0.5
		{LoadedIndex: 0}, {LoadedIndex: 2}, // neutral higher: 0
	}, nil)
	m, _ := findMetric(w, KeyWNCAbove)
	assert.InDelta(t, 0.5, m.Value, 1e-12)
	assert.Equal(t, map[string]int{"pairs": 3, "biased_higher": 1, "ties": 1, "neutral_higher": 1}, w.Counts)
	_, ok := findMetric(w, KeyWNCAboveModel)
	assert.False(t, ok, "no cross-fitted analyses, no model figure: the shipped model saw every pair")

	w = ScoreWNC([]WNCPair{{ID: "1"}, {ID: "2"}}, make([]Prediction, 4), []Prediction{
		{ModelSlant: 0.7}, {ModelSlant: 0.4}, // biased higher: 1
		{ModelSlant: 0.3}, {ModelSlant: 0.3}, // tie: 0.5
	})
	m, _ = findMetric(w, KeyWNCAboveModel)
	assert.InDelta(t, 0.75, m.Value, 1e-12)
	assert.Contains(t, m.Note, "cross-fitted")
	assert.Equal(t, 1, w.Counts["model_biased_higher"])

	three := []AllSidesArticle{{}, {}, {}}
	a := ScoreAllSides([]AllSidesStory{{ID: "1", Articles: three}, {ID: "2", Articles: three[:2]}}, []Prediction{
		{LoadedIndex: 2}, {LoadedIndex: 1}, {LoadedIndex: 3}, {LoadedIndex: 0}, // neutral strictly lowest: 1
		{LoadedIndex: 1}, {LoadedIndex: 0}, {LoadedIndex: 0}, // tied lowest: 0.5
	})
	m, _ = findMetric(a, KeyAllSidesBelow)
	assert.InDelta(t, 0.75, m.Value, 1e-12)
	assert.Equal(t, 7, a.Counts["texts"])
	a = ScoreAllSides([]AllSidesStory{{ID: "1", Articles: three[:2]}}, []Prediction{
		{ModelSlant: 0.6}, {ModelSlant: 0.5}, {ModelSlant: 0.2}, // neutral strictly lowest by the model
	})
	m, _ = findMetric(a, KeyAllSidesBelowModel)
	assert.InDelta(t, 1, m.Value, 1e-12)
}

func TestAllSidesDocument(t *testing.T) {
	assert.Equal(t, "Title\n\nPara one.\n\nPara two.", AllSidesText{Title: "Title", Text: "Para one.\n\nPara two."}.Document())
	assert.Equal(t, "Only text.", AllSidesText{Text: "Only text."}.Document())
}

func TestTallyTopIsSorted(t *testing.T) {
	tl := tally{}
	tl.add("b", []string{"y", "x"})
	tl.add("a", []string{"x"})
	tl.add("b", []string{"x"})
	tl.add("c", nil)
	assert.Equal(t, []TermCount{{Form: "b", Count: 2, Terms: []string{"x", "y"}}, {Form: "a", Count: 1, Terms: []string{"x"}}, {Form: "c", Count: 1}}, tl.top(-1))
	assert.Len(t, tl.top(2), 2)
}

func findMetric(d DatasetResult, key string) (Metric, bool) {
	for _, m := range d.Metrics {
		if m.Key == key {
			return m, true
		}
	}
	return Metric{}, false
}
