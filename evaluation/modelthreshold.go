package evaluation

import (
	"errors"
	"math"

	"slant/analysis"
)

// ChooseModelThreshold picks the sentence model's threshold on labelled
// sentences (the BABE development half, and nothing else of BABE): the
// one, on a grid of hundredths, at which "a listed word in the outlet's
// own voice, or a model score at or above the threshold" reaches the best
// sentence macro-F1. Among equally good thresholds the highest wins, so
// the model marks no more sentences than it must. a scores with the model
// whose threshold is chosen; its own threshold plays no part.
func ChooseModelThreshold(a *analysis.Analyzer, sentences []BabeSentence) (threshold, macroF1 float64, err error) {
	if len(sentences) == 0 {
		return 0, 0, errors.New("choose model threshold: no sentences")
	}
	lexBiased := make([]bool, len(sentences))
	model := make([]float64, len(sentences))
	gold := make([]bool, len(sentences))
	for i, s := range sentences {
		gold[i] = s.Biased
		for _, v := range a.Analyze(analysis.Document{Text: s.Text}).Sentences {
			lexBiased[i] = lexBiased[i] || v.Score >= a.Lexicon().Threshold()
			model[i] = max(model[i], v.ModelScore)
		}
	}
	best := -1.0
	for k := 1; k <= 99; k++ {
		t := float64(k) / 100
		pred := make([]bool, len(sentences))
		for i := range pred {
			pred[i] = lexBiased[i] || model[i] >= t-1e-9
		}
		if f := MacroF1(CountLabels(pred, gold)); f >= best {
			threshold, best = t, f
		}
	}
	return threshold, math.Round(best*1e4) / 1e4, nil
}
