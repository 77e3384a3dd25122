package evaluation

import (
	"cmp"
	"fmt"
	"slices"

	"slant/analysis"
)

// Calibration settings. An entry needs calibrationMinSupport sentences in
// which it fires before its severity is changed: fewer is noise.
const (
	calibrationMinSupport = 3
	// calibrationPrior is the Laplace prior on an entry's precision, so
	// that three hits out of three do not read as certainty.
	calibrationPrior = 1.0
)

// CalibrationChange is one entry whose severity calibration changed.
type CalibrationChange struct {
	Category  string  `json:"category"`
	Term      string  `json:"term"`
	Fired     int     `json:"fired"`     // labelled sentences in which it fired
	Biased    int     `json:"biased"`    // of those, labelled biased
	Precision float64 `json:"precision"` // smoothed share of biased among fired
	From, To  int     `json:"-"`
}

// Calibration is what Calibrate learnt and how much it helped on the
// labelled sentences themselves.
type Calibration struct {
	Overlay        analysis.Overlay    `json:"-"`
	Changes        []CalibrationChange `json:"changes"`
	Threshold      float64             `json:"threshold"`
	MacroF1Before  float64             `json:"macro_f1_before"`
	MacroF1After   float64             `json:"macro_f1_after"`
	Sentences      int                 `json:"sentences"`
	BiasedLabelled int                 `json:"biased_labelled"`
}

// Calibrate learns severities and the sentence threshold from labelled
// sentences (the BABE record shape: text and biased). Each entry that fires
// in at least calibrationMinSupport sentences gets a severity from its
// smoothed precision there (under 0.4 switches it off; then 1, 2 and 3 at
// 0.4, 0.6 and 0.8); then the threshold that maximises sentence macro-F1
// under the new severities is chosen from a fixed grid. The result is
// deterministic for the same lexicon and sentences.
func Calibrate(base *analysis.Lexicon, sentences []BabeSentence) (Calibration, error) {
	if len(sentences) == 0 {
		return Calibration{}, fmt.Errorf("calibrate: no labelled sentences")
	}
	a, err := analysis.NewAnalyzer(base)
	if err != nil {
		return Calibration{}, fmt.Errorf("calibrate: %w", err)
	}
	gold := make([]bool, len(sentences))
	for i, s := range sentences {
		gold[i] = s.Biased
	}
	firings := countFirings(a, sentences)

	cal := Calibration{Sentences: len(sentences), MacroF1Before: macroF1At(a, sentences, gold, base.Threshold())}
	for _, g := range gold {
		if g {
			cal.BiasedLabelled++
		}
	}
	overlay := analysis.Overlay{Description: fmt.Sprintf("calibrated on %d labelled sentences", len(sentences))}
	cal.Changes, overlay.Entries = firings.changes()

	// Choose the threshold under the new severities.
	best, bestF1, err := bestThreshold(base, overlay, sentences, gold)
	if err != nil {
		return Calibration{}, err
	}
	overlay.Threshold = roundTo(best, 2)
	cal.Threshold, cal.MacroF1After, cal.Overlay = overlay.Threshold, roundTo(bestF1, 3), overlay
	cal.MacroF1Before = roundTo(cal.MacroF1Before, 3)
	return cal, nil
}

// calibrationKey names a lexicon entry.
type calibrationKey struct{ category, term string }

// entryFirings is, for each entry that fired in the outlet's own voice,
// in how many sentences it fired and how many of those are biased, with
// its severity before calibration; order is the order of first firing, so
// that the result does not depend on map order.
type entryFirings struct {
	fired    map[calibrationKey]*CalibrationChange
	severity map[calibrationKey]int
	order    []calibrationKey
}

// countFirings analyzes each sentence and counts each entry once per
// sentence it fires in; a finding inside a quotation is the speaker's and
// does not count.
func countFirings(a *analysis.Analyzer, sentences []BabeSentence) entryFirings {
	ef := entryFirings{fired: map[calibrationKey]*CalibrationChange{}, severity: map[calibrationKey]int{}}
	for _, s := range sentences {
		seen := map[calibrationKey]bool{}
		for _, f := range a.Analyze(analysis.Document{Text: s.Text}).Findings {
			k := calibrationKey{f.Category, f.Term}
			if f.InQuote || seen[k] {
				continue
			}
			seen[k] = true
			c, ok := ef.fired[k]
			if !ok {
				c = &CalibrationChange{Category: f.Category, Term: f.Term}
				ef.fired[k] = c
				ef.severity[k] = f.Severity
				ef.order = append(ef.order, k)
			}
			c.Fired++
			if s.Biased {
				c.Biased++
			}
		}
	}
	return ef
}

// changes gives each entry with enough support the severity of its
// smoothed precision, and returns those whose severity changes, as
// changes and as overlay entries, both sorted by category and term.
func (ef entryFirings) changes() ([]CalibrationChange, []analysis.OverlayEntry) {
	var changes []CalibrationChange
	var entries []analysis.OverlayEntry
	for _, k := range ef.order {
		c := ef.fired[k]
		if c.Fired < calibrationMinSupport {
			continue
		}
		c.Precision = (float64(c.Biased) + calibrationPrior) / (float64(c.Fired) + 2*calibrationPrior)
		c.From, c.To = ef.severity[k], severityFor(c.Precision)
		if c.From == c.To {
			continue
		}
		changes = append(changes, *c)
		entries = append(entries, analysis.OverlayEntry{Category: c.Category, Term: c.Term, Severity: c.To})
	}
	slices.SortFunc(changes, func(x, y CalibrationChange) int {
		return cmp.Or(cmp.Compare(x.Category, y.Category), cmp.Compare(x.Term, y.Term))
	})
	slices.SortFunc(entries, func(x, y analysis.OverlayEntry) int {
		return cmp.Or(cmp.Compare(x.Category, y.Category), cmp.Compare(x.Term, y.Term))
	})
	return changes, entries
}

// bestThreshold applies overlay's severities to base and returns the
// threshold of a fixed grid (0.05 to 0.95) with the best sentence
// macro-F1, and that F1. The first best wins a tie, so the choice is
// stable.
func bestThreshold(base *analysis.Lexicon, overlay analysis.Overlay, sentences []BabeSentence, gold []bool) (float64, float64, error) {
	draft, err := analysis.MarshalOverlay(overlay)
	if err != nil {
		return 0, 0, err
	}
	tuned, err := base.WithOverlay("calibration", draft)
	if err != nil {
		return 0, 0, fmt.Errorf("calibrate: %w", err)
	}
	ta, err := analysis.NewAnalyzer(tuned)
	if err != nil {
		return 0, 0, fmt.Errorf("calibrate: %w", err)
	}
	scores := sentenceScores(ta, sentences)
	best, bestF1 := base.Threshold(), -1.0
	for step := 1; step <= 19; step++ {
		th := float64(step) * 0.05
		if f1 := MacroF1(CountLabels(predictAt(scores, th), gold)); f1 > bestF1+1e-12 {
			best, bestF1 = th, f1
		}
	}
	return best, bestF1, nil
}

// severityFor maps an entry's smoothed precision to a severity.
func severityFor(precision float64) int {
	switch {
	case precision < 0.4:
		return 0
	case precision < 0.6:
		return 1
	case precision < 0.8:
		return 2
	}
	return 3
}

// sentenceScores is each record's highest sentence score.
func sentenceScores(a *analysis.Analyzer, sentences []BabeSentence) []float64 {
	scores := make([]float64, len(sentences))
	for i, s := range sentences {
		for _, v := range a.Analyze(analysis.Document{Text: s.Text}).Sentences {
			scores[i] = max(scores[i], v.Score)
		}
	}
	return scores
}

func predictAt(scores []float64, threshold float64) []bool {
	out := make([]bool, len(scores))
	for i, s := range scores {
		out[i] = s >= threshold-1e-9
	}
	return out
}

func macroF1At(a *analysis.Analyzer, sentences []BabeSentence, gold []bool, threshold float64) float64 {
	return MacroF1(CountLabels(predictAt(sentenceScores(a, sentences), threshold), gold))
}

func roundTo(x float64, places int) float64 {
	p := 1.0
	for range places {
		p *= 10
	}
	return float64(int64(x*p+0.5)) / p
}
