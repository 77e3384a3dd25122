package llm

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slant/analysis"
)

func report(biased ...bool) analysis.Report {
	var r analysis.Report
	for i, b := range biased {
		r.Sentences = append(r.Sentences, analysis.SentenceVerdict{Start: 10 * i, End: 10*i + 9, Biased: b})
	}
	return r
}

func judged(i int, t BiasType) SentenceJudgement {
	return SentenceJudgement{Index: i, Start: 10 * i, End: 10*i + 9, Type: t, Strength: 0.5, Explanation: "x."}
}

func TestAgreementCountsAndKappa(t *testing.T) {
	r := report(true, true, false, false, true, false)
	js := []SentenceJudgement{
		judged(0, TypeWordChoice),  // both
		judged(1, TypeNone),        // only word list
		judged(2, TypeSpeculation), // only LLM
		judged(3, TypeNone),        // neither
		judged(4, TypeSensationalism),
		// 5 unjudged
	}
	s := Agreement(r, js)
	require.Len(t, s.Sentences, 6)
	assert.Equal(t, 2, s.Both)
	assert.Equal(t, 1, s.OnlyWordList)
	assert.Equal(t, 1, s.OnlyLLM)
	assert.Equal(t, 1, s.Neither)
	assert.Equal(t, 1, s.Unjudged)
	assert.InDelta(t, 0.6, s.Agreement, 1e-9)
	// po = 3/5; both sides say biased 3/5 of the time: pe = .36+.16 = .52.
	require.NotNil(t, s.Kappa)
	assert.InDelta(t, (0.6-0.52)/(1-0.52), *s.Kappa, 1e-9)
	assert.True(t, s.Sentences[0].Agree)
	assert.Equal(t, TypeSpeculation, s.Sentences[2].Type)
	assert.False(t, s.Sentences[5].Judged)
	assert.False(t, s.Sentences[5].Agree)
}

func TestAgreementKappaUndefined(t *testing.T) {
	s := Agreement(report(false, false), []SentenceJudgement{judged(0, TypeNone), judged(1, TypeNone)})
	assert.Nil(t, s.Kappa, "both sides constant: kappa is undefined")
	assert.Equal(t, 1.0, s.Agreement)
	s = Agreement(report(true), nil)
	assert.Nil(t, s.Kappa)
	assert.Equal(t, 1, s.Unjudged)
	s = Agreement(report(true, false), []SentenceJudgement{judged(0, TypeOneSided), judged(1, TypeNone)})
	require.NotNil(t, s.Kappa)
	assert.Equal(t, 1.0, *s.Kappa, "perfect agreement")
}

func TestSpansOf(t *testing.T) {
	assert.Equal(t, []analysis.Span{{Start: 0, End: 9}, {Start: 10, End: 19}}, SpansOf(report(true, false)))
	assert.Empty(t, SpansOf(analysis.Report{}))
}
