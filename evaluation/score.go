package evaluation

import (
	"cmp"
	"fmt"
	"slices"
)

// The metric keys, as they appear in results and in the floors file.
const (
	KeyBasilTokenF1      = "basil.lexical_token_F1"
	KeyBasilTripletPairs = "basil.triplet_pair_acc"
	KeyBabeSentenceF1    = "babe.sentence_macro_F1"
	KeyBabeWordF1        = "babe.word_F1"
	KeyWNCAbove          = "wnc.biased_above_neutral"
	KeyAllSidesBelow     = "allsides.neutral_below_all_outlets"

	// The sentence model's figures. babe.sentence_macro_F1 is the report's
	// verdict, which the model is part of; _lexicon is the word lists
	// alone. The pair metrics' _model variants rank by Scores.ModelSlant
	// instead of the loaded index.
	KeyBabeSentenceF1Lexicon  = "babe.sentence_macro_F1_lexicon"
	KeyBabeAUROC              = "babe.sentence_AUROC"
	KeyBabeAUROCModel         = "babe.sentence_AUROC_model"
	KeyBasilTripletPairsModel = "basil.triplet_pair_acc_model"
	KeyWNCAboveModel          = "wnc.biased_above_neutral_model"
	KeyAllSidesBelowModel     = "allsides.neutral_below_all_outlets_model"
)

// MetricKeys returns every metric key in report order.
func MetricKeys() []string {
	return []string{
		KeyBasilTokenF1, KeyBasilTripletPairs, KeyBasilTripletPairsModel,
		KeyBabeSentenceF1, KeyBabeSentenceF1Lexicon, KeyBabeAUROC, KeyBabeAUROCModel, KeyBabeWordF1,
		KeyWNCAbove, KeyWNCAboveModel,
		KeyAllSidesBelow, KeyAllSidesBelowModel,
		KeyGVFCPrimary, KeySemEvalMacroF1, KeySemEvalMicroF1,
	}
}

// fieldFigure is what published systems reach on a metric, from
// eval/README.md, shown beside Slant's figure for orientation.
func fieldFigure(key string) string {
	switch key {
	case KeyBasilTokenF1:
		return "word lists < 0.06"
	case KeyBasilTripletPairs:
		return "word lists ≈ 0.5 (chance)"
	case KeyBabeSentenceF1:
		return "fine-tuned BERT 0.804 / RoBERTa 0.814; word lists 0.36–0.56"
	case KeyBabeWordF1:
		return "engineered features + XGBoost 0.43 (on MBIC)"
	case KeyWNCAbove:
		return "word lists ≈ 0.5 (chance)"
	case KeyAllSidesBelow:
		return "word lists 0.2–0.3"
	case KeyGVFCPrimary:
		return "BERT fine-tuned on GVFC > 0.8 (its 9 themes)"
	case KeySemEvalMacroF1:
		return "systems trained on the task: micro-F1 ≈ 0.5–0.6"
	case KeySemEvalMicroF1:
		return "systems trained on the task ≈ 0.5–0.6 (test set)"
	}
	return ""
}

// metricNote says how a figure was measured where the key alone does not.
func metricNote(key string) string {
	switch key {
	case KeyBabeSentenceF1:
		return "the report's verdict: a listed word or the sentence model"
	case KeyBabeSentenceF1Lexicon:
		return "the word lists alone (the verdict before the sentence model)"
	case KeyBabeAUROC:
		return "the highest sentence score (word lists)"
	case KeyBabeAUROCModel:
		return "the highest sentence model_score"
	case KeyWNCAboveModel:
		return fmt.Sprintf("cross-fitted: each pair scored by a model trained, by the shipped model's code and settings, on the other %d of %d folds", CrossFitFolds-1, CrossFitFolds)
	case KeyBasilTripletPairsModel, KeyAllSidesBelowModel:
		return "ranked by model_slant; the model never saw this dataset"
	}
	return ""
}

// Metric is one measured figure.
type Metric struct {
	// Key is dataset.name, the name used in the floors file.
	Key   string  `json:"key"`
	Value float64 `json:"value"`
	// Precision and Recall are set for token-level F1 metrics.
	Precision *float64 `json:"precision,omitempty"`
	Recall    *float64 `json:"recall,omitempty"`
	// Parts breaks a composite figure down (the per-class F1 of a
	// macro-F1).
	Parts map[string]float64 `json:"parts,omitempty"`
	// N is how many units the figure is computed over, Unit what they are.
	N    int    `json:"n"`
	Unit string `json:"unit"`
	// Field is what published systems reach (eval/README.md), and for the
	// framing metrics the constant guess.
	Field string `json:"field"`
	// Note says how the figure was measured, where the key does not.
	Note string `json:"note,omitempty"`
	// Baseline is what a constant guess of the most frequent labels
	// reaches on the same records, where the metric has one.
	Baseline *float64 `json:"baseline,omitempty"`
}

func newMetric(key string, value float64, n int, unit string) Metric {
	return Metric{Key: key, Value: value, N: n, Unit: unit, Field: fieldFigure(key), Note: metricNote(key)}
}

func f1Metric(key string, c Counts, unit string) Metric {
	m := newMetric(key, c.F1(), c.TP+c.FN, unit)
	p, r := c.Precision(), c.Recall()
	m.Precision, m.Recall = &p, &r
	return m
}

// DatasetResult is the metrics of one dataset with the counts behind them.
type DatasetResult struct {
	Name    Dataset  `json:"name"`
	Records int      `json:"records"`
	Metrics []Metric `json:"metrics"`
	// Counts holds the sizes and confusion counts behind the metrics.
	Counts map[string]int `json:"counts"`
	// Explain lists where token precision and recall are lost; it is set
	// only when asked for, and only for BASIL and BABE.
	Explain *Diagnostics `json:"explain,omitempty"`
	// FrameExplain shows where the framing figures are lost; it is set
	// only when asked for, and only for the framing datasets.
	FrameExplain *FrameDiagnostics `json:"frame_explain,omitempty"`
}

// TermCount is one word form and how often it was counted, with the
// lexicon terms that flagged it (for false positives), most frequent
// first.
type TermCount struct {
	Form  string   `json:"form"`
	Count int      `json:"count"`
	Terms []string `json:"lexicon_terms,omitempty"`
}

// Diagnostics shows where token-level precision and recall are lost.
type Diagnostics struct {
	// FalsePositives are flagged tokens that are not gold, by form.
	FalsePositives []TermCount `json:"false_positives"`
	// Missed are gold tokens that were not flagged, by form.
	Missed []TermCount `json:"missed"`
}

// tally counts token forms and the lexicon terms behind them.
type tally map[string]*formCount

type formCount struct {
	n     int
	terms map[string]int
}

func (t tally) add(form string, terms []string) {
	fc := t[form]
	if fc == nil {
		fc = &formCount{terms: map[string]int{}}
		t[form] = fc
	}
	fc.n++
	for _, term := range terms {
		fc.terms[term]++
	}
}

// top returns the n most frequent forms (all when n < 0), ties broken by
// form, each with its lexicon terms by frequency, ties by term.
func (t tally) top(n int) []TermCount {
	out := make([]TermCount, 0, len(t))
	for form, fc := range t {
		tc := TermCount{Form: form, Count: fc.n}
		for term := range fc.terms {
			tc.Terms = append(tc.Terms, term)
		}
		slices.SortFunc(tc.Terms, func(a, b string) int {
			return cmp.Or(cmp.Compare(fc.terms[b], fc.terms[a]), cmp.Compare(a, b))
		})
		out = append(out, tc)
	}
	slices.SortFunc(out, func(a, b TermCount) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Form, b.Form))
	})
	if n >= 0 && len(out) > n {
		out = out[:n]
	}
	return out
}

// tokenScore compares flagged and gold tokens of one text, adding the
// misses to fp and fn.
func tokenScore(tokens []Token, gold []bool, p Prediction, fp, fn tally) Counts {
	flagged := Overlapping(tokens, p.Spans())
	c := CountLabels(flagged, gold)
	for i, t := range tokens {
		switch {
		case flagged[i] && !gold[i]:
			fp.add(t.Form, termsAt(t, p.Flags))
		case gold[i] && !flagged[i]:
			fn.add(t.Form, nil)
		}
	}
	return c
}

func termsAt(t Token, flags []Flag) []string {
	var terms []string
	for _, f := range flags {
		if f.Start < t.End && t.Start < f.End && !slices.Contains(terms, f.Term) {
			terms = append(terms, f.Term)
		}
	}
	return terms
}

func diagnostics(fp, fn tally, top int) *Diagnostics {
	return &Diagnostics{FalsePositives: fp.top(top), Missed: fn.top(top)}
}

// BasilGold returns the gold spans of a BASIL article: its lexical spans
// outside quotations, by byte offsets.
func BasilGold(a BasilArticle) []Span {
	var out []Span
	for _, s := range a.Spans {
		if s.Kind == "lexical" && !s.Quote {
			out = append(out, Span{Start: s.ByteStart, End: s.ByteEnd})
		}
	}
	return out
}

// ScoreBasil computes lexical_token_F1 and triplet_pair_acc from the
// articles and their predictions (preds[i] is the analysis of arts[i].Text).
// top > 0 also fills Explain with that many forms per list.
func ScoreBasil(arts []BasilArticle, preds []Prediction, top int) DatasetResult {
	var counts Counts
	fp, fn := tally{}, tally{}
	var groups, modelGroups [][]Ranked
	groupOf := map[string]int{}
	goldSpans, words := 0, 0
	for i, a := range arts {
		tokens := Tokens(a.Text)
		gold := BasilGold(a)
		counts = counts.Add(tokenScore(tokens, Overlapping(tokens, gold), preds[i], fp, fn))
		goldSpans += len(gold)
		words += len(tokens)

		g, ok := groupOf[a.Event]
		if !ok {
			g = len(groups)
			groupOf[a.Event] = g
			groups, modelGroups = append(groups, nil), append(modelGroups, nil)
		}
		groups[g] = append(groups[g], Ranked{GoldSpans: len(gold), Words: len(tokens), Predicted: preds[i].LoadedIndex})
		modelGroups[g] = append(modelGroups[g], Ranked{GoldSpans: len(gold), Words: len(tokens), Predicted: preds[i].ModelSlant})
	}
	pairs := GroupPairs(groups)
	modelPairs := GroupPairs(modelGroups)
	r := DatasetResult{
		Name:    Basil,
		Records: len(arts),
		Metrics: []Metric{
			f1Metric(KeyBasilTokenF1, counts, "gold tokens"),
			newMetric(KeyBasilTripletPairs, PairAccuracy(pairs), len(pairs), "ordered pairs"),
			newMetric(KeyBasilTripletPairsModel, PairAccuracy(modelPairs), len(modelPairs), "ordered pairs"),
		},
		Counts: map[string]int{
			"articles": len(arts), "events": len(groups), "tokens": words,
			"gold_spans": goldSpans, "gold_tokens": counts.TP + counts.FN, "flagged_tokens": counts.TP + counts.FP,
			"tp": counts.TP, "fp": counts.FP, "fn": counts.FN, "pairs": len(pairs),
		},
	}
	if top > 0 {
		r.Explain = diagnostics(fp, fn, top)
	}
	return r
}

// BabeGold marks the tokens of a BABE sentence whose form is the form of
// a token of one of its biased words. Each biased word is tokenised the
// same way as the sentence, so quotation marks around it are dropped
// ("“experts”" gives experts), a hyphenated word stays one token
// (anti-science), and a word the annotators split at spaces ("“gender",
// "identity”") marks each of its words. Every occurrence of a gold form in
// the sentence is gold. It also returns how many biased-word tokens occur
// nowhere in the sentence (misspellings and inflections in the labels).
func BabeGold(s BabeSentence, tokens []Token) (gold []bool, absent int) {
	forms := map[string]bool{}
	for _, w := range s.BiasedWords {
		for _, t := range Tokens(w) {
			forms[t.Form] = true
		}
	}
	gold = make([]bool, len(tokens))
	present := map[string]bool{}
	for i, t := range tokens {
		if forms[t.Form] {
			gold[i] = true
			present[t.Form] = true
		}
	}
	for f := range forms {
		if !present[f] {
			absent++
		}
	}
	return gold, absent
}

// ScoreBabe computes sentence_macro_F1 and word_F1 (preds[i] is the
// analysis of sents[i].Text). top > 0 also fills Explain.
func ScoreBabe(sents []BabeSentence, preds []Prediction, top int) DatasetResult {
	var sentence, lexicon, words Counts
	fp, fn := tally{}, tally{}
	absent, labelForms := 0, 0
	var scorePos, scoreNeg, modelPos, modelNeg []float64
	for i, s := range sents {
		sentence = sentence.Add(CountLabels([]bool{preds[i].Biased}, []bool{s.Biased}))
		lexicon = lexicon.Add(CountLabels([]bool{preds[i].LexiconBiased}, []bool{s.Biased}))
		if s.Biased {
			scorePos, modelPos = append(scorePos, preds[i].Score), append(modelPos, preds[i].ModelScore)
		} else {
			scoreNeg, modelNeg = append(scoreNeg, preds[i].Score), append(modelNeg, preds[i].ModelScore)
		}
		tokens := Tokens(s.Text)
		gold, miss := BabeGold(s, tokens)
		absent += miss
		words = words.Add(tokenScore(tokens, gold, preds[i], fp, fn))
		for _, w := range s.BiasedWords {
			labelForms += len(Tokens(w))
		}
	}
	macro := newMetric(KeyBabeSentenceF1, MacroF1(sentence), len(sents), "sentences")
	macro.Parts = map[string]float64{"f1_biased": sentence.F1(), "f1_not_biased": sentence.Flip().F1()}
	lexMacro := newMetric(KeyBabeSentenceF1Lexicon, MacroF1(lexicon), len(sents), "sentences")
	// The lexicon's parts are named apart from the verdict's: the
	// dataset's detail line lists the parts of all its metrics together.
	lexMacro.Parts = map[string]float64{"f1_biased_lexicon": lexicon.F1(), "f1_not_biased_lexicon": lexicon.Flip().F1()}
	r := DatasetResult{
		Name:    Babe,
		Records: len(sents),
		Metrics: []Metric{
			macro, lexMacro,
			newMetric(KeyBabeAUROC, AUROC(scorePos, scoreNeg), len(sents), "sentences"),
			newMetric(KeyBabeAUROCModel, AUROC(modelPos, modelNeg), len(sents), "sentences"),
			f1Metric(KeyBabeWordF1, words, "gold tokens"),
		},
		Counts: map[string]int{
			"sentences": len(sents), "gold_biased": sentence.TP + sentence.FN, "predicted_biased": sentence.TP + sentence.FP,
			"sentence_tp": sentence.TP, "sentence_fp": sentence.FP, "sentence_fn": sentence.FN, "sentence_tn": sentence.TN,
			"gold_tokens": words.TP + words.FN, "flagged_tokens": words.TP + words.FP,
			"token_tp": words.TP, "token_fp": words.FP, "token_fn": words.FN,
			"biased_word_tokens": labelForms, "biased_word_forms_not_in_sentence": absent,
		},
	}
	if top > 0 {
		r.Explain = diagnostics(fp, fn, top)
	}
	return r
}

// ScoreWNC computes biased_above_neutral; preds holds the analysis of each
// pair's biased sentence at 2i and of its neutral edit at 2i+1. crossFit,
// when not nil, holds the same texts' analyses each by the cross-fitted
// model that never saw the pair, for biased_above_neutral_model.
func ScoreWNC(pairs []WNCPair, preds, crossFit []Prediction) DatasetResult {
	ps := make([]Pair, len(pairs))
	above, ties := 0, 0
	for i := range pairs {
		ps[i] = Pair{Above: preds[2*i].LoadedIndex, Below: preds[2*i+1].LoadedIndex}
		switch PairScore(ps[i].Above, ps[i].Below) {
		case 1:
			above++
		case 0.5:
			ties++
		}
	}
	r := DatasetResult{
		Name:    WNC,
		Records: len(pairs),
		Metrics: []Metric{newMetric(KeyWNCAbove, PairAccuracy(ps), len(pairs), "pairs")},
		Counts: map[string]int{
			"pairs": len(pairs), "biased_higher": above, "ties": ties, "neutral_higher": len(pairs) - above - ties,
		},
	}
	if crossFit != nil {
		ms := make([]Pair, len(pairs))
		above, ties := 0, 0
		for i := range pairs {
			ms[i] = Pair{Above: crossFit[2*i].ModelSlant, Below: crossFit[2*i+1].ModelSlant}
			switch PairScore(ms[i].Above, ms[i].Below) {
			case 1:
				above++
			case 0.5:
				ties++
			}
		}
		r.Metrics = append(r.Metrics, newMetric(KeyWNCAboveModel, PairAccuracy(ms), len(pairs), "pairs"))
		r.Counts["model_biased_higher"], r.Counts["model_ties"] = above, ties
	}
	return r
}

// ScoreAllSides computes neutral_below_all_outlets; preds holds, for each
// story in order, its outlets' analyses followed by its neutral summary's.
func ScoreAllSides(stories []AllSidesStory, preds []Prediction) DatasetResult {
	scores := make([]float64, len(stories))
	modelScores := make([]float64, len(stories))
	strict, tied, texts := 0, 0, 0
	k := 0
	for i, s := range stories {
		outlets := make([]float64, len(s.Articles))
		models := make([]float64, len(s.Articles))
		for j := range s.Articles {
			outlets[j], models[j] = preds[k].LoadedIndex, preds[k].ModelSlant
			k++
		}
		neutral, neutralModel := preds[k].LoadedIndex, preds[k].ModelSlant
		k++
		texts += len(s.Articles) + 1
		scores[i] = BelowAll(neutral, outlets)
		modelScores[i] = BelowAll(neutralModel, models)
		switch scores[i] {
		case 1:
			strict++
		case 0.5:
			tied++
		}
	}
	return DatasetResult{
		Name:    AllSides,
		Records: len(stories),
		Metrics: []Metric{
			newMetric(KeyAllSidesBelow, Mean(scores), len(stories), "stories"),
			newMetric(KeyAllSidesBelowModel, Mean(modelScores), len(stories), "stories"),
		},
		Counts: map[string]int{
			"stories": len(stories), "texts": texts, "neutral_strictly_lowest": strict, "neutral_tied_lowest": tied,
			"neutral_not_lowest": len(stories) - strict - tied,
		},
	}
}
