package evaluation

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"

	"slant/analysis"
)

// MFCFrame is one of the 15 frames of the Media Frames Corpus: the
// identifier the analysis uses and the name the labelled data uses.
type MFCFrame struct {
	ID    string
	Label string
}

// mfcFrames are the 15 frames in the codebook's order, the order that
// breaks ties in a ranking. The labels are exactly those of the framing
// datasets; TestMFCFramesMatchTheAnalysis keeps them equal to the
// analysis's own list.
var mfcFrames = []MFCFrame{
	{"economic", "Economic"},
	{"capacity-and-resources", "Capacity and resources"},
	{"morality", "Morality"},
	{"fairness-and-equality", "Fairness and equality"},
	{"legality", "Legality, constitutionality and jurisprudence"},
	{"policy", "Policy prescription and evaluation"},
	{"crime-and-punishment", "Crime and punishment"},
	{"security-and-defense", "Security and defense"},
	{"health-and-safety", "Health and safety"},
	{"quality-of-life", "Quality of life"},
	{"cultural-identity", "Cultural identity"},
	{"public-opinion", "Public opinion"},
	{"political", "Political"},
	{"external-regulation", "External regulation and reputation"},
	{"other", "Other"},
}

// otherLabel is the frame that is never predicted: it is what a profile
// holds when no cue fired, not a frame the text was found to use.
const otherLabel = "Other"

// MFCFrames returns the 15 frames in the codebook's order.
func MFCFrames() []MFCFrame { return slices.Clone(mfcFrames) }

// gvfcFrames are the 8 MFC frames the Gun Violence Frame Corpus's nine
// themes map to (economic consequences, gun control, gun rights, mental
// health, politics, public opinion, race, school or public-space safety,
// society and culture). The primary frame is predicted among these only:
// GVFC's annotators could choose no other.
var gvfcFrames = []string{
	"Economic",
	"Legality, constitutionality and jurisprudence",
	"Policy prescription and evaluation",
	"Security and defense",
	"Health and safety",
	"Cultural identity",
	"Public opinion",
	"Political",
}

// semEvalTop is how many of an article's leading frames are taken as its
// predicted set on SemEval-2023.
const semEvalTop = 3

// GVFCHeadline is one news headline of the Gun Violence Frame Corpus with
// its article's first sentences and its annotated frames.
type GVFCHeadline struct {
	ID   string `json:"id"`
	Text string `json:"text"`
	Lead string `json:"lead"`
	// Frames are 1–2 MFC frame names, the first being PrimaryFrame.
	Frames       []string `json:"frames"`
	PrimaryFrame string   `json:"primary_frame"`
	// SourceLabels are GVFC's own themes, of which Frames are the mapping.
	SourceLabels []string `json:"source_labels"`
	URL          string   `json:"url"`
	Focus        string   `json:"focus"`
}

// Document is the text the analyzer reads for a headline: the headline, a
// blank line, the lead.
func (h GVFCHeadline) Document() string { return h.Text + "\n\n" + h.Lead }

// SemEvalArticle is one English news article of SemEval-2023 Task 3 with
// the set of MFC frames its annotators found (no primary frame).
type SemEvalArticle struct {
	ID string `json:"id"`
	// Text is the title, a blank line and the body.
	Text         string   `json:"text"`
	Title        string   `json:"title"`
	Frames       []string `json:"frames"`
	SourceLabels []string `json:"source_labels"`
	SourceSplit  string   `json:"source_split"`
}

// ReadGVFC decodes GVFC headlines, one JSON object a line. A frame name
// that is not one of the 8 GVFC maps to, a primary frame that is not the
// first of frames, or an empty text is an error naming the line.
func ReadGVFC(r io.Reader) ([]GVFCHeadline, error) {
	return readLines(r, func(line []byte) (GVFCHeadline, string, error) {
		var h GVFCHeadline
		if err := strictJSON(line, &h, "id", "text", "lead", "frames", "primary_frame"); err != nil {
			return h, "", err
		}
		if err := need("id", h.ID, "text", h.Text, "primary_frame", h.PrimaryFrame); err != nil {
			return h, "", err
		}
		if len(h.Frames) == 0 || h.Frames[0] != h.PrimaryFrame {
			return h, "", fmt.Errorf("primary_frame %q is not the first of frames %q", h.PrimaryFrame, h.Frames)
		}
		for _, f := range h.Frames {
			if !slices.Contains(gvfcFrames, f) {
				return h, "", fmt.Errorf("frame %q is not one of the 8 frames GVFC maps to", f)
			}
		}
		return h, h.ID, nil
	})
}

// ReadSemEval decodes SemEval-2023 articles, one JSON object a line. An
// article without frames, a frame that is not an MFC frame (or is
// "Other"), or an empty text is an error naming the line.
func ReadSemEval(r io.Reader) ([]SemEvalArticle, error) {
	return readLines(r, func(line []byte) (SemEvalArticle, string, error) {
		var a SemEvalArticle
		if err := strictJSON(line, &a, "id", "text", "frames"); err != nil {
			return a, "", err
		}
		if err := need("id", a.ID, "text", a.Text); err != nil {
			return a, "", err
		}
		if len(a.Frames) == 0 {
			return a, "", fmt.Errorf("no frames")
		}
		for _, f := range a.Frames {
			if frameIndex(f) < 0 || f == otherLabel {
				return a, "", fmt.Errorf("frame %q is not one of the 14 MFC frames", f)
			}
		}
		return a, a.ID, nil
	})
}

// frameIndex is the codebook position of a frame label, -1 if unknown.
func frameIndex(label string) int {
	return slices.IndexFunc(mfcFrames, func(f MFCFrame) bool { return f.Label == label })
}

// FrameShare is one frame's share of an article's frame profile.
type FrameShare struct {
	Label string  `json:"label"`
	Share float64 `json:"share"`
}

// frameShares takes the shares of a report's frame profile.
func frameShares(p analysis.FrameProfile) []FrameShare {
	out := make([]FrameShare, len(p.Scores))
	for i, s := range p.Scores {
		out[i] = FrameShare{Label: s.Label, Share: s.Share}
	}
	return out
}

// RankFrames turns a frame profile into the predicted frames, strongest
// first: by share, ties in the codebook's order, "Other" dropped and frames
// with share 0 left out. An empty result means the profile predicts
// nothing.
func RankFrames(shares []FrameShare) []string {
	kept := make([]FrameShare, 0, len(shares))
	for _, s := range shares {
		if s.Label != otherLabel && s.Share > 0 && frameIndex(s.Label) >= 0 {
			kept = append(kept, s)
		}
	}
	slices.SortFunc(kept, func(a, b FrameShare) int {
		return cmp.Or(cmp.Compare(b.Share, a.Share), cmp.Compare(frameIndex(a.Label), frameIndex(b.Label)))
	})
	out := make([]string, len(kept))
	for i, s := range kept {
		out[i] = s.Label
	}
	return out
}

// PrimaryAmong is the first of the ranked frames that is one of allowed,
// "" when none is.
func PrimaryAmong(ranked, allowed []string) string {
	for _, f := range ranked {
		if slices.Contains(allowed, f) {
			return f
		}
	}
	return ""
}

// TopFrames is the first k ranked frames (fewer when fewer are ranked).
func TopFrames(ranked []string, k int) []string {
	return ranked[:min(k, len(ranked))]
}

// MostFrequent returns the k labels that occur in the most of the sets,
// ties broken in the codebook's order: the constant guess.
func MostFrequent(sets [][]string, k int) []string {
	counts := map[string]int{}
	for _, set := range sets {
		for _, f := range set {
			counts[f]++
		}
	}
	labels := make([]string, 0, len(counts))
	for f := range counts {
		labels = append(labels, f)
	}
	slices.SortFunc(labels, func(a, b string) int {
		return cmp.Or(cmp.Compare(counts[b], counts[a]), cmp.Compare(frameIndex(a), frameIndex(b)), strings.Compare(a, b))
	})
	return labels[:min(k, len(labels))]
}

// SetScores are the per-label confusion counts of predicted label sets
// against gold label sets.
type SetScores map[string]Counts

// ScoreSets counts, for every label, the items where it was predicted and
// gold (TP), predicted only (FP), gold only (FN) or neither (TN). Labels
// that never occur in either are absent.
func ScoreSets(predicted, gold [][]string) SetScores {
	if len(predicted) != len(gold) {
		panic(fmt.Sprintf("evaluation: %d predicted label sets for %d gold sets", len(predicted), len(gold)))
	}
	s := SetScores{}
	for i := range gold {
		for _, f := range predicted[i] {
			c := s[f]
			if slices.Contains(gold[i], f) {
				c.TP++
			} else {
				c.FP++
			}
			s[f] = c
		}
		for _, f := range gold[i] {
			if !slices.Contains(predicted[i], f) {
				c := s[f]
				c.FN++
				s[f] = c
			}
		}
	}
	for f, c := range s {
		c.TN = len(gold) - c.TP - c.FP - c.FN
		s[f] = c
	}
	return s
}

// Micro pools the counts of every label.
func (s SetScores) Micro() Counts {
	var total Counts
	for _, c := range s {
		total = total.Add(c)
	}
	return total
}

// Macro is the mean F1 over the labels that occur in gold or predictions
// (a label that occurs in neither is left out, as in scikit-learn); 0 when
// there are none.
func (s SetScores) Macro() float64 {
	if len(s) == 0 {
		return 0
	}
	// Summed in the labels' order, not the map's: floating-point addition
	// is not associative, and the same input must give the same figure to
	// the last digit.
	sum := 0.0
	for _, label := range sortedKeys(s) {
		sum += s[label].F1()
	}
	return sum / float64(len(s))
}

// The framing metric keys.
const (
	KeyGVFCPrimary    = "framing_gvfc.primary_acc"
	KeySemEvalMacroF1 = "framing_semeval23.top3_macro_F1"
	KeySemEvalMicroF1 = "framing_semeval23.top3_micro_F1"
)

// frameID is the analysis's identifier of a frame label, for the names of
// a metric's parts.
func frameID(label string) string {
	if i := frameIndex(label); i >= 0 {
		return mfcFrames[i].ID
	}
	return label
}

// FrameConfusion counts one gold frame predicted as another ("" for an
// empty profile).
type FrameConfusion struct {
	Gold      string `json:"gold"`
	Predicted string `json:"predicted"`
	Count     int    `json:"count"`
}

// FrameDiagnostics shows where the framing figures are lost.
type FrameDiagnostics struct {
	// Confusion counts every pair of gold and predicted primary frame
	// (GVFC), most frequent first.
	Confusion []FrameConfusion `json:"confusion,omitempty"`
	// PerFrame holds each frame's counts over the predicted sets
	// (SemEval), in the codebook's order.
	PerFrame []FrameCounts `json:"per_frame,omitempty"`
}

// FrameCounts is one frame's confusion counts over predicted sets.
type FrameCounts struct {
	Frame string `json:"frame"`
	Counts
}

// withBaseline sets the figure a constant guess reaches on the same
// records beside the metric, naming the guess.
func withBaseline(m Metric, baseline float64, guess []string) Metric {
	m.Baseline = &baseline
	m.Field = fmt.Sprintf("constant guess %.3f (%s); %s", baseline, strings.Join(guess, " + "), m.Field)
	return m
}

// ScoreGVFC computes primary_acc (preds[i] is the analysis of
// heads[i].Document()). The constant guess is the most frequent primary
// frame of these records. explain also fills the confusion of gold and
// predicted primary frames.
func ScoreGVFC(heads []GVFCHeadline, preds []Prediction, explain bool) DatasetResult {
	correct, empty := 0, 0
	confusion := map[[2]string]int{}
	golds := make([][]string, len(heads))
	perGold, perGoldRight := map[string]int{}, map[string]int{}
	for i, h := range heads {
		golds[i] = []string{h.PrimaryFrame}
		got := PrimaryAmong(preds[i].Frames, gvfcFrames)
		if got == "" {
			empty++
		}
		perGold[h.PrimaryFrame]++
		if got == h.PrimaryFrame {
			correct++
			perGoldRight[h.PrimaryFrame]++
		}
		confusion[[2]string{h.PrimaryFrame, got}]++
	}
	guess := MostFrequent(golds, 1)
	baseline := 0.0
	if len(guess) == 1 {
		baseline = ratio(perGold[guess[0]], len(heads))
	}
	m := withBaseline(newMetric(KeyGVFCPrimary, ratio(correct, len(heads)), len(heads), "headlines"), baseline, guess)
	m.Parts = map[string]float64{}
	for f, n := range perGold {
		m.Parts["recall_"+frameID(f)] = ratio(perGoldRight[f], n)
	}
	r := DatasetResult{
		Name:    FramingGVFC,
		Records: len(heads),
		Metrics: []Metric{m},
		Counts:  map[string]int{"headlines": len(heads), "correct": correct, "empty_profile": empty},
	}
	if explain {
		d := &FrameDiagnostics{}
		for k, n := range confusion {
			d.Confusion = append(d.Confusion, FrameConfusion{Gold: k[0], Predicted: k[1], Count: n})
		}
		slices.SortFunc(d.Confusion, func(a, b FrameConfusion) int {
			return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(frameIndex(a.Gold), frameIndex(b.Gold)), cmp.Compare(frameIndex(a.Predicted), frameIndex(b.Predicted)))
		})
		r.FrameExplain = d
	}
	return r
}

// ScoreSemEval computes top3_macro_F1 and top3_micro_F1 (preds[i] is the
// analysis of arts[i].Text): each article's three leading frames are its
// predicted set. The constant guess is the three most frequent gold frames
// of these records, predicted for every article.
func ScoreSemEval(arts []SemEvalArticle, preds []Prediction, explain bool) DatasetResult {
	predicted := make([][]string, len(arts))
	golds := make([][]string, len(arts))
	empty := 0
	for i, a := range arts {
		predicted[i] = TopFrames(preds[i].Frames, semEvalTop)
		golds[i] = a.Frames
		if len(predicted[i]) == 0 {
			empty++
		}
	}
	scores := ScoreSets(predicted, golds)
	guess := MostFrequent(golds, semEvalTop)
	constant := make([][]string, len(arts))
	for i := range constant {
		constant[i] = guess
	}
	guessScores := ScoreSets(constant, golds)

	macro := withBaseline(newMetric(KeySemEvalMacroF1, scores.Macro(), len(arts), "articles"), guessScores.Macro(), guess)
	macro.Parts = map[string]float64{}
	for f, c := range scores {
		macro.Parts["f1_"+frameID(f)] = c.F1()
	}
	micro := scores.Micro()
	microMetric := withBaseline(f1Metric(KeySemEvalMicroF1, micro, "gold frames"), guessScores.Micro().F1(), guess)
	r := DatasetResult{
		Name:    FramingSemEval,
		Records: len(arts),
		Metrics: []Metric{macro, microMetric},
		Counts: map[string]int{
			"articles": len(arts), "gold_frames": micro.TP + micro.FN, "predicted_frames": micro.TP + micro.FP,
			"tp": micro.TP, "fp": micro.FP, "fn": micro.FN, "empty_profile": empty,
		},
	}
	if explain {
		d := &FrameDiagnostics{}
		for _, f := range mfcFrames {
			if c, ok := scores[f.Label]; ok {
				d.PerFrame = append(d.PerFrame, FrameCounts{Frame: f.Label, Counts: c})
			}
		}
		r.FrameExplain = d
	}
	return r
}
