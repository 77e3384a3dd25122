package evaluation

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slant/internal/workspace"
)

const (
	economic  = "Economic"
	legality  = "Legality, constitutionality and jurisprudence"
	policy    = "Policy prescription and evaluation"
	crime     = "Crime and punishment"
	security  = "Security and defense"
	health    = "Health and safety"
	political = "Political"
	publicOp  = "Public opinion"
)

// TestMFCFramesMatchTheAnalysis keeps the evaluation's frame names equal to
// the analysis's: a renamed frame would silently score zero.
func TestMFCFramesMatchTheAnalysis(t *testing.T) {
	headers := builtinAnalyzer(t).FrameHeaders()
	require.Len(t, headers, len(mfcFrames))
	for i, h := range headers {
		assert.Equal(t, MFCFrame{ID: h.Frame, Label: h.Label}, mfcFrames[i])
	}
	for _, f := range gvfcFrames {
		assert.GreaterOrEqual(t, frameIndex(f), 0, f)
	}
}

func shares(pairs ...any) []FrameShare {
	out := make([]FrameShare, len(mfcFrames))
	for i, f := range mfcFrames {
		out[i] = FrameShare{Label: f.Label}
	}
	for i := 0; i < len(pairs); i += 2 {
		out[frameIndex(pairs[i].(string))].Share = pairs[i+1].(float64)
	}
	return out
}

func TestRankFrames(t *testing.T) {
	tests := []struct {
		name   string
		shares []FrameShare
		want   []string
	}{
		{"by share", shares(political, 0.2, crime, 0.5, economic, 0.3), []string{crime, economic, political}},
		{"ties in the codebook's order", shares(political, 0.25, security, 0.25, economic, 0.25, legality, 0.25), []string{economic, legality, security, political}},
		{"other dropped", shares("Other", 0.6, health, 0.4), []string{health}},
		{"share 0 never predicted", shares(policy, 1.0), []string{policy}},
		{"empty profile: other alone", shares("Other", 1.0), []string{}},
		{"unknown labels ignored", append(shares(policy, 0.5), FrameShare{Label: "Sports", Share: 0.5}), []string{policy}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, RankFrames(tt.shares))
		})
	}
}

func TestPrimaryAmongAndTopFrames(t *testing.T) {
	ranked := []string{crime, political, economic, health}
	assert.Equal(t, political, PrimaryAmong(ranked, gvfcFrames), "crime is not a GVFC frame: the next one counts")
	assert.Equal(t, "", PrimaryAmong([]string{crime}, gvfcFrames))
	assert.Equal(t, "", PrimaryAmong(nil, gvfcFrames))
	assert.Equal(t, []string{crime, political, economic}, TopFrames(ranked, 3))
	assert.Equal(t, []string{crime}, TopFrames([]string{crime}, 3))
	assert.Empty(t, TopFrames(nil, 3))
}

func TestMostFrequent(t *testing.T) {
	sets := [][]string{{political, legality}, {political}, {crime, legality}, {economic}}
	assert.Equal(t, []string{legality, political, economic}, MostFrequent(sets, 3), "ties in the codebook's order")
	assert.Equal(t, []string{legality}, MostFrequent(sets, 1))
	assert.Empty(t, MostFrequent(nil, 3))
}

func TestScoreSets(t *testing.T) {
	predicted := [][]string{{political, legality}, {crime}, {}}
	gold := [][]string{{political}, {crime, legality}, {economic}}
	s := ScoreSets(predicted, gold)
	assert.Equal(t, Counts{TP: 1, TN: 2}, s[political])
	assert.Equal(t, Counts{FP: 1, FN: 1, TN: 1}, s[legality])
	assert.Equal(t, Counts{TP: 1, TN: 2}, s[crime])
	assert.Equal(t, Counts{FN: 1, TN: 2}, s[economic])
	assert.NotContains(t, s, health, "a frame in neither gold nor predictions is left out")
	assert.Equal(t, Counts{TP: 2, FP: 1, FN: 2, TN: 7}, s.Micro())
	// F1: political 1, legality 0, crime 1, economic 0.
	assert.InDelta(t, 0.5, s.Macro(), 1e-12)
	assert.InDelta(t, 4.0/7, s.Micro().F1(), 1e-12)
	assert.Zero(t, SetScores{}.Macro())
	assert.Panics(t, func() { ScoreSets(predicted, gold[:1]) })
}

func TestScoreGVFC(t *testing.T) {
	heads := []GVFCHeadline{
		{ID: "1", PrimaryFrame: political},
		{ID: "2", PrimaryFrame: political},
		{ID: "3", PrimaryFrame: policy},
		{ID: "4", PrimaryFrame: publicOp},
	}
	preds := []Prediction{
		{Frames: []string{crime, political}}, // crime is not ranked: right
		{Frames: []string{economic}},         // wrong
		{Frames: []string{policy, political}},
		{Frames: []string{}}, // empty profile: wrong
	}
	r := ScoreGVFC(heads, preds, true)
	require.Len(t, r.Metrics, 1)
	m := r.Metrics[0]
	assert.Equal(t, KeyGVFCPrimary, m.Key)
	assert.InDelta(t, 0.5, m.Value, 1e-12)
	require.NotNil(t, m.Baseline)
	assert.InDelta(t, 0.5, *m.Baseline, 1e-12, "the constant guess is the most frequent primary frame")
	assert.Contains(t, m.Field, "constant guess 0.500 (Political)")
	assert.Equal(t, map[string]float64{"recall_political": 0.5, "recall_policy": 1, "recall_public-opinion": 0}, m.Parts)
	assert.Equal(t, map[string]int{"headlines": 4, "correct": 2, "empty_profile": 1}, r.Counts)
	require.NotNil(t, r.FrameExplain)
	assert.Contains(t, r.FrameExplain.Confusion, FrameConfusion{Gold: publicOp, Predicted: "", Count: 1})
	assert.Nil(t, ScoreGVFC(heads, preds, false).FrameExplain)
}

func TestScoreSemEval(t *testing.T) {
	arts := []SemEvalArticle{
		{ID: "a", Frames: []string{political, legality, crime}},
		{ID: "b", Frames: []string{political, security}},
		{ID: "c", Frames: []string{health}},
	}
	preds := []Prediction{
		{Frames: []string{political, crime, economic, legality}}, // top 3: 2 right, economic wrong, legality missed
		{Frames: []string{security}},
		{Frames: []string{}},
	}
	r := ScoreSemEval(arts, preds, true)
	require.Len(t, r.Metrics, 2)
	macro, micro := r.Metrics[0], r.Metrics[1]
	assert.Equal(t, KeySemEvalMacroF1, macro.Key)
	assert.Equal(t, KeySemEvalMicroF1, micro.Key)
	// political 2/3 (found in a, missed in b), crime 1, security 1,
	// economic 0, legality 0, health 0.
	assert.InDelta(t, (2.0/3+1+1)/6, macro.Value, 1e-12)
	// TP 3, FP 1, FN 3.
	assert.InDelta(t, 6.0/10, micro.Value, 1e-12)
	assert.InDelta(t, 0.75, *micro.Precision, 1e-12)
	assert.InDelta(t, 0.5, *micro.Recall, 1e-12)
	// The constant guess: political, legality, crime for every article.
	// political TP 2, FP 1: 0.8; legality TP 1, FP 2: 0.5; crime TP 1,
	// FP 2: 0.5; security and health missed: 0.
	assert.InDelta(t, (0.8+0.5+0.5)/5, *macro.Baseline, 1e-12)
	assert.Contains(t, macro.Field, "Political + Legality, constitutionality and jurisprudence + Crime and punishment")
	assert.Equal(t, 1, r.Counts["empty_profile"])
	assert.Equal(t, 6, r.Counts["gold_frames"])
	assert.Equal(t, 4, r.Counts["predicted_frames"])
	require.NotNil(t, r.FrameExplain)
	var names []string
	for _, f := range r.FrameExplain.PerFrame {
		names = append(names, f.Frame)
	}
	assert.Equal(t, []string{economic, legality, crime, security, health, political}, names, "per frame in the codebook's order")
}

func TestFramingReadersRejectBadRecords(t *testing.T) {
	okGVFC := `{"id":"g1","text":"Headline","lead":"Lead.","frames":["Political"],"primary_frame":"Political"}`
	okSemEval := `{"id":"s1","text":"T\n\nBody.","title":"T","frames":["Morality","Political"],"primary_frame":null}`
	tests := []struct {
		name string
		read func(string) error
		in   string
		want string
	}{
		{"gvfc primary not first", readGVFCString, strings.Replace(okGVFC, `"frames":["Political"]`, `"frames":["Economic","Political"]`, 1), "is not the first of frames"},
		{"gvfc frame outside its 8", readGVFCString, strings.ReplaceAll(okGVFC, "Political", "Morality"), `frame "Morality" is not one of the 8`},
		{"gvfc no primary", readGVFCString, `{"id":"g1","text":"H","lead":"L","frames":["Political"]}`, `missing field "primary_frame"`},
		{"semeval unknown frame", readSemEvalString, strings.Replace(okSemEval, "Morality", "Sports", 1), `frame "Sports" is not one of the 14`},
		{"semeval other", readSemEvalString, strings.Replace(okSemEval, "Morality", "Other", 1), `frame "Other"`},
		{"semeval no frames", readSemEvalString, strings.Replace(okSemEval, `["Morality","Political"]`, `[]`, 1), "no frames"},
		{"semeval duplicate", readSemEvalString, okSemEval + "\n" + okSemEval, `line 2: id "s1" already used`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.read(tt.in)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
	heads, err := ReadGVFC(strings.NewReader(okGVFC))
	require.NoError(t, err)
	assert.Equal(t, "Headline\n\nLead.", heads[0].Document())
	arts, err := ReadSemEval(strings.NewReader(okSemEval))
	require.NoError(t, err)
	assert.Equal(t, []string{"Morality", "Political"}, arts[0].Frames)
}

func readGVFCString(s string) error    { _, err := ReadGVFC(strings.NewReader(s)); return err }
func readSemEvalString(s string) error { _, err := ReadSemEval(strings.NewReader(s)); return err }

// TestFramingSplitUsesTheNextBit: the framing records are split on bit 1
// of the hash, the others on bit 0, and both halves are about even.
func TestFramingSplitUsesTheNextBit(t *testing.T) {
	var heads []GVFCHeadline
	for i := range 2000 {
		heads = append(heads, GVFCHeadline{ID: fmt.Sprintf("gvfc:%d", i)})
	}
	d := Data{GVFC: heads}
	dev, test := d.Select(SplitDev, 0).GVFC, d.Select(SplitTest, 0).GVFC
	assert.Len(t, append(slices.Clone(dev), test...), 2000)
	assert.InDelta(t, 1000, len(dev), 100)
	for _, h := range dev {
		assert.True(t, SplitDev.containsAt(h.ID, framingSplitBit))
	}
	// Among ids whose bit 0 is even (all the shared copies hold), both
	// halves are still about even.
	evenDev, even := 0, 0
	for _, h := range heads {
		if SplitDev.Contains(h.ID) {
			even++
			if SplitDev.containsAt(h.ID, framingSplitBit) {
				evenDev++
			}
		}
	}
	assert.InDelta(t, even/2, evenDev, float64(even)/10)
}

// TestFramingOnSharedData runs the framing metrics on the shared data and
// checks they beat the constant guess on the full sets, as the issue asks.
func TestFramingOnSharedData(t *testing.T) {
	dir := workspace.Require(t, "eval")
	r, err := Run(context.Background(), builtinAnalyzer(t), dir, []Dataset{FramingGVFC, FramingSemEval}, Options{})
	require.NoError(t, err)
	for _, key := range []string{KeyGVFCPrimary, KeySemEvalMacroF1} {
		m, ok := r.Metric(key)
		require.True(t, ok, key)
		require.NotNil(t, m.Baseline, key)
		t.Logf("%s %.3f (constant guess %.3f)", key, m.Value, *m.Baseline)
		assert.Greater(t, m.Value, *m.Baseline, "%s beats the constant guess", key)
	}
	for _, d := range r.Datasets {
		assert.Less(t, d.Counts["empty_profile"], d.Records/10, "%s: few texts without a frame", d.Name)
	}
}

// TestMacroIsTheSameEveryTime holds SetScores.Macro to one figure, to the
// last bit, however the map is walked: the per-label F1s are summed in
// the labels' order.
func TestMacroIsTheSameEveryTime(t *testing.T) {
	s := SetScores{}
	want := 0.0
	labels := make([]string, 0, 15)
	for i := range 15 {
		// F1s such as 2/3, 4/7, 6/11: sums that round differently in
		// different orders.
		label := fmt.Sprintf("frame %02d", i)
		labels = append(labels, label)
		s[label] = Counts{TP: i + 1, FP: i%4 + 1, FN: i%3 + 2, TN: 5}
	}
	for _, label := range labels { // already sorted
		want += s[label].F1()
	}
	want /= float64(len(labels))
	for range 200 {
		got := s.Macro()
		if got != want {
			t.Fatalf("Macro gave %.17g, want %.17g (summed in label order)", got, want)
		}
	}
}
