package evaluation

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestCountsPrecisionRecallF1(t *testing.T) {
	tests := []struct {
		name    string
		c       Counts
		p, r, f float64
	}{
		{"mixed", Counts{TP: 2, FP: 1, FN: 3}, 2.0 / 3, 2.0 / 5, 0.5},
		{"perfect", Counts{TP: 4, TN: 9}, 1, 1, 1},
		{"nothing predicted", Counts{FN: 3}, 0, 0, 0},
		{"no gold", Counts{FP: 2}, 0, 0, 0},
		{"empty", Counts{}, 0, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.InDelta(t, tt.p, tt.c.Precision(), 1e-12)
			assert.InDelta(t, tt.r, tt.c.Recall(), 1e-12)
			assert.InDelta(t, tt.f, tt.c.F1(), 1e-12)
		})
	}
}

func TestCountLabels(t *testing.T) {
	pred := []bool{true, true, false, false, true}
	gold := []bool{true, false, true, false, true}
	assert.Equal(t, Counts{TP: 2, FP: 1, FN: 1, TN: 1}, CountLabels(pred, gold))
	assert.Equal(t, Counts{TP: 3, FP: 1, FN: 2, TN: 4}, Counts{TP: 1, FN: 1, TN: 3}.Add(Counts{TP: 2, FP: 1, FN: 1, TN: 1}))
	assert.Panics(t, func() { CountLabels([]bool{true}, nil) })
}

func TestMacroF1(t *testing.T) {
	// gold T T F F, predicted T F F F: biased F1 2/3, not-biased F1 4/5.
	c := CountLabels([]bool{true, false, false, false}, []bool{true, true, false, false})
	assert.InDelta(t, 2.0/3, c.F1(), 1e-12)
	assert.InDelta(t, 4.0/5, c.Flip().F1(), 1e-12)
	assert.InDelta(t, (2.0/3+4.0/5)/2, MacroF1(c), 1e-12)

	// everything predicted biased on a balanced set: 2/3 and 0.
	assert.InDelta(t, 1.0/3, MacroF1(Counts{TP: 2, FP: 2}), 1e-12)
	// only the negative class occurs: it alone is averaged.
	assert.InDelta(t, 1, MacroF1(Counts{TN: 5}), 1e-12)
	assert.Zero(t, MacroF1(Counts{}))
}

func TestPairAccuracyTiesCountHalf(t *testing.T) {
	assert.Equal(t, 1.0, PairScore(2, 1))
	assert.Equal(t, 0.5, PairScore(1, 1))
	assert.Equal(t, 0.0, PairScore(0, 1))
	pairs := []Pair{{Above: 2, Below: 1}, {Above: 1, Below: 1}, {Above: 0, Below: 1}, {Above: 3, Below: 0}}
	assert.InDelta(t, 2.5/4, PairAccuracy(pairs), 1e-12)
	assert.Zero(t, PairAccuracy(nil))
}

func TestGroupPairsStrictGoldOrder(t *testing.T) {
	a := Ranked{GoldSpans: 2, Words: 100, Predicted: 5} // density 20 per 1,000
	b := Ranked{GoldSpans: 1, Words: 50, Predicted: 3}  // also 20: tied with a in gold
	c := Ranked{GoldSpans: 0, Words: 100, Predicted: 3} // 0
	d := Ranked{GoldSpans: 3, Words: 0, Predicted: 9}   // no words: density 0, tied with c
	pairs := GroupPairs([][]Ranked{{a, b, c}, {c, d}})
	// a>c and b>c only: the a–b and c–d gold ties are left out.
	assert.Equal(t, []Pair{{Above: 5, Below: 3}, {Above: 3, Below: 3}}, pairs)
	assert.InDelta(t, 0.75, PairAccuracy(pairs), 1e-12)

	// ordered pairs: one direction per gold-ordered pair, wrong prediction scores 0.
	wrong := GroupPairs([][]Ranked{{{GoldSpans: 1, Words: 10, Predicted: 0}, {GoldSpans: 2, Words: 10, Predicted: 1}}})
	assert.Equal(t, []Pair{{Above: 1, Below: 0}}, wrong)
	// pairs never cross groups.
	assert.Empty(t, GroupPairs([][]Ranked{{a}, {c}}))
}

func TestBelowAll(t *testing.T) {
	assert.Equal(t, 1.0, BelowAll(1, []float64{2, 3}))
	assert.Equal(t, 0.5, BelowAll(1, []float64{1, 3}))
	assert.Equal(t, 0.5, BelowAll(0, []float64{0, 0, 0}))
	assert.Equal(t, 0.0, BelowAll(1, []float64{0.5, 3}))
	assert.Equal(t, 0.0, BelowAll(1, []float64{1, 0.5}))
	assert.Equal(t, 0.0, BelowAll(1, nil))
}

func TestMean(t *testing.T) {
	assert.Equal(t, 0.0, Mean(nil))
	assert.InDelta(t, 0.5, Mean([]float64{1, 0.5, 0}), 1e-12)
}
