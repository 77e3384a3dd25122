package evaluation

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slant/analysis"
)

func calibrationLexicon(t *testing.T) *analysis.Lexicon {
	t.Helper()
	lex, err := analysis.ParseLexicon([]analysis.LexiconFile{{Name: "c.yaml", Data: []byte(`category: c
label: C
description: Test terms.
severity: 2
source: project
entries:
  - term: scandalous
    alternatives: []
    reason: r
  - term: notable
    alternatives: []
    reason: r
  - term: rare
    alternatives: []
    reason: r
`)}})
	require.NoError(t, err)
	return lex
}

func TestCalibrate(t *testing.T) {
	var sentences []BabeSentence
	add := func(text string, biased bool, n int) {
		for range n {
			sentences = append(sentences, BabeSentence{Text: text, Biased: biased})
		}
	}
	add("A scandalous decision.", true, 4)  // precision (4+1)/(4+2) = 0.83 → severity 3
	add("A notable decision.", false, 4)    // (0+1)/(4+2) = 0.17 → switched off
	add("A rare decision.", true, 2)        // below the minimum support: unchanged
	add("A plain decision.", false, 6)      // no findings
	add("Another plain sentence.", true, 1) // a miss no threshold can fix

	cal, err := Calibrate(calibrationLexicon(t), sentences)
	require.NoError(t, err)
	require.Len(t, cal.Changes, 2)
	assert.Equal(t, CalibrationChange{Category: "c", Term: "notable", Fired: 4, Biased: 0, Precision: 1.0 / 6, From: 2, To: 0}, cal.Changes[0])
	assert.Equal(t, CalibrationChange{Category: "c", Term: "scandalous", Fired: 4, Biased: 4, Precision: 5.0 / 6, From: 2, To: 3}, cal.Changes[1])
	assert.Equal(t, []analysis.OverlayEntry{{Category: "c", Term: "notable", Severity: 0}, {Category: "c", Term: "scandalous", Severity: 3}}, cal.Overlay.Entries)
	assert.Equal(t, 17, cal.Sentences)
	assert.Equal(t, 7, cal.BiasedLabelled)
	assert.Greater(t, cal.MacroF1After, cal.MacroF1Before)
	// After calibration 6 of 7 biased are caught and no neutral sentence is
	// flagged: F1 biased 12/13, F1 neutral 20/21.
	assert.InDelta(t, (12.0/13+20.0/21)/2, cal.MacroF1After, 0.001)

	// The overlay loads and reproduces the calibrated verdicts.
	data, err := analysis.MarshalOverlay(cal.Overlay)
	require.NoError(t, err)
	tuned, err := calibrationLexicon(t).WithOverlay("cal.yaml", data)
	require.NoError(t, err)
	assert.Equal(t, cal.Threshold, tuned.Threshold())

	again, err := Calibrate(calibrationLexicon(t), sentences)
	require.NoError(t, err)
	assert.Equal(t, cal, again, "deterministic")

	_, err = Calibrate(calibrationLexicon(t), nil)
	assert.Error(t, err)
}

func TestSeverityFor(t *testing.T) {
	for _, tt := range []struct {
		p    float64
		want int
	}{{0.1, 0}, {0.39, 0}, {0.4, 1}, {0.59, 1}, {0.6, 2}, {0.79, 2}, {0.8, 3}, {1, 3}} {
		assert.Equal(t, tt.want, severityFor(tt.p), "precision %v", tt.p)
	}
}

func TestReadLabelledSentencesNeedsOnlyIDTextAndBiased(t *testing.T) {
	got, err := ReadLabelledSentences(strings.NewReader(`{"id": "a", "text": "One.", "biased": true}` + "\n"))
	require.NoError(t, err)
	assert.Equal(t, []BabeSentence{{ID: "a", Text: "One.", Biased: true}}, got)

	_, err = ReadLabelledSentences(strings.NewReader("{\"id\": \"a\", \"text\": \"One.\"}\n"))
	require.ErrorContains(t, err, `line 1: missing field "biased"`)
	_, err = ReadBabe(strings.NewReader(`{"id": "a", "text": "One.", "biased": true}` + "\n"))
	require.ErrorContains(t, err, `missing field "biased_words"`)
}
