package evaluation

import (
	"cmp"
	"fmt"
	"slices"
)

// Counts is a confusion matrix for one binary label, counted over tokens or
// sentences.
type Counts struct {
	TP int `json:"tp"` // predicted and gold
	FP int `json:"fp"` // predicted, not gold
	FN int `json:"fn"` // gold, not predicted
	TN int `json:"tn"` // neither
}

// CountLabels compares predicted and gold labels position by position. The
// two slices describe the same items, so they must have the same length; a
// mismatch is a programming error and panics.
func CountLabels(predicted, gold []bool) Counts {
	if len(predicted) != len(gold) {
		panic(fmt.Sprintf("evaluation: %d predicted labels for %d gold labels", len(predicted), len(gold)))
	}
	var c Counts
	for i, p := range predicted {
		switch {
		case p && gold[i]:
			c.TP++
		case p:
			c.FP++
		case gold[i]:
			c.FN++
		default:
			c.TN++
		}
	}
	return c
}

// Add returns the sum of two confusion matrices (micro-averaging).
func (c Counts) Add(o Counts) Counts {
	return Counts{TP: c.TP + o.TP, FP: c.FP + o.FP, FN: c.FN + o.FN, TN: c.TN + o.TN}
}

// Precision is TP / (TP + FP): the share of predictions that are right. It
// is 0 when nothing was predicted.
func (c Counts) Precision() float64 { return ratio(c.TP, c.TP+c.FP) }

// Recall is TP / (TP + FN): the share of gold items found. It is 0 when
// there is no gold item.
func (c Counts) Recall() float64 { return ratio(c.TP, c.TP+c.FN) }

// F1 is the harmonic mean of precision and recall, 2TP / (2TP + FP + FN).
// It is 0 when there is neither a prediction nor a gold item.
func (c Counts) F1() float64 { return ratio(2*c.TP, 2*c.TP+c.FP+c.FN) }

// Flip swaps the positive and negative class, so F1 of the flipped matrix
// is the F1 of the negative class.
func (c Counts) Flip() Counts { return Counts{TP: c.TN, FP: c.FN, FN: c.FP, TN: c.TP} }

func ratio(num, den int) float64 {
	if den == 0 {
		return 0
	}
	return float64(num) / float64(den)
}

// MacroF1 is the mean of the F1 of the positive class and the F1 of the
// negative class. As in scikit-learn, a class that occurs neither in gold
// nor in the predictions is left out of the mean; with no items at all
// MacroF1 is 0.
func MacroF1(c Counts) float64 {
	sum, classes := 0.0, 0
	for _, k := range []Counts{c, c.Flip()} {
		if k.TP+k.FP+k.FN == 0 {
			continue
		}
		sum += k.F1()
		classes++
	}
	if classes == 0 {
		return 0
	}
	return sum / float64(classes)
}

// PairScore scores one ordered pair whose gold says first ranks above
// second: 1 when first is higher, 0.5 on a tie, 0 otherwise.
func PairScore(first, second float64) float64 {
	switch {
	case first > second:
		return 1
	case first == second:
		return 0.5
	default:
		return 0
	}
}

// Pair is two predicted scores where gold says Above should score higher
// than Below.
type Pair struct {
	Above float64 `json:"above"`
	Below float64 `json:"below"`
}

// PairAccuracy is the mean PairScore over pairs: the share ranked as gold
// ranks them, ties counting half. It is 0 for no pairs.
func PairAccuracy(pairs []Pair) float64 {
	if len(pairs) == 0 {
		return 0
	}
	sum := 0.0
	for _, p := range pairs {
		sum += PairScore(p.Above, p.Below)
	}
	return sum / float64(len(pairs))
}

// Ranked is one article of a group (a BASIL event): its gold count of
// labelled spans, its length in words, and the predicted score.
type Ranked struct {
	GoldSpans int     `json:"gold_spans"`
	Words     int     `json:"words"`
	Predicted float64 `json:"predicted"`
}

// denser reports whether a's gold density (spans per word) is strictly
// higher than b's, compared exactly as fractions. A text of no words has
// density 0.
func denser(a, b Ranked) bool {
	an, ad := int64(a.GoldSpans), int64(a.Words)
	bn, bd := int64(b.GoldSpans), int64(b.Words)
	if ad == 0 {
		an, ad = 0, 1
	}
	if bd == 0 {
		bn, bd = 0, 1
	}
	return an*bd > bn*ad
}

// GroupPairs returns, within each group, every ordered pair of members
// where the first has a strictly higher gold density than the second (so
// pairs tied in gold are left out), in group order and then member order.
func GroupPairs(groups [][]Ranked) []Pair {
	var pairs []Pair
	for _, g := range groups {
		for i, a := range g {
			for j, b := range g {
				if i != j && denser(a, b) {
					pairs = append(pairs, Pair{Above: a.Predicted, Below: b.Predicted})
				}
			}
		}
	}
	return pairs
}

// BelowAll scores one story: 1 when the neutral text scores strictly
// below every outlet, 0.5 when it scores below or level with every outlet
// and level with at least one, 0 when any outlet scores below it. This is
// the lowest PairScore(outlet, neutral) over the outlets. It is 0 when
// there are no outlets.
func BelowAll(neutral float64, outlets []float64) float64 {
	if len(outlets) == 0 {
		return 0
	}
	low := 1.0
	for _, o := range outlets {
		low = min(low, PairScore(o, neutral))
	}
	return low
}

// Mean is the arithmetic mean, 0 for no values.
func Mean(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	sum := 0.0
	for _, x := range xs {
		sum += x
	}
	return sum / float64(len(xs))
}

// AUROC is the chance that a positive item scores higher than a negative
// one, ties counting half (the Mann-Whitney statistic over all pairs). It
// is 0 when either list is empty.
func AUROC(positive, negative []float64) float64 {
	if len(positive) == 0 || len(negative) == 0 {
		return 0
	}
	type scored struct {
		score    float64
		positive bool
	}
	all := make([]scored, 0, len(positive)+len(negative))
	for _, s := range positive {
		all = append(all, scored{s, true})
	}
	for _, s := range negative {
		all = append(all, scored{s, false})
	}
	slices.SortFunc(all, func(a, b scored) int { return cmp.Compare(a.score, b.score) })
	// Sum the positives' ranks, tied scores sharing their mean rank.
	rankSum := 0.0
	for i := 0; i < len(all); {
		j := i
		for j < len(all) && all[j].score == all[i].score {
			j++
		}
		mid := float64(i+j+1) / 2
		for k := i; k < j; k++ {
			if all[k].positive {
				rankSum += mid
			}
		}
		i = j
	}
	p, n := float64(len(positive)), float64(len(negative))
	return (rankSum - p*(p+1)/2) / (p * n)
}
