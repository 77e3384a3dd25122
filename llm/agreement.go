package llm

import "slant/analysis"

// SentenceAgreement sets the two verdicts on one sentence side by side.
type SentenceAgreement struct {
	// Index is the sentence's position in report.Sentences.
	Index int `json:"index"`
	Start int `json:"start"`
	End   int `json:"end"`
	// WordList is the word lists' verdict (SentenceVerdict.Biased).
	WordList bool `json:"word_list"`
	// Judged is false when the model gave no judgement on the sentence;
	// LLM and Type are then empty and the sentence is left out of the
	// counts.
	Judged bool     `json:"judged"`
	LLM    bool     `json:"llm"`
	Type   BiasType `json:"type,omitempty"`
	Agree  bool     `json:"agree"`
}

// AgreementSummary says where the word lists and the model agree on which
// sentences are biased. It is computed, never stored as either verdict.
type AgreementSummary struct {
	// Sentences has one row per sentence of the report, in order.
	Sentences []SentenceAgreement `json:"sentences"`
	// The counts cover the judged sentences only.
	Both         int `json:"both"`
	OnlyWordList int `json:"only_word_list"`
	OnlyLLM      int `json:"only_llm"`
	Neither      int `json:"neither"`
	Unjudged     int `json:"unjudged"`
	// Agreement is the share of judged sentences on which they agree.
	Agreement float64 `json:"agreement"`
	// Kappa is Cohen's kappa over the judged sentences: agreement beyond
	// what chance would give. It is nil (null) when it is undefined: no
	// judged sentence, or both sides gave every sentence the same label.
	Kappa *float64 `json:"kappa"`
}

// Agreement compares the word lists' sentence verdicts in report with the
// model's judgements, matching each judgement to the report sentence with
// the same byte span (so judgements made on SpansOf(report) match by
// index and offsets alike). It is pure: the same inputs always give the
// same summary.
func Agreement(report analysis.Report, judgements []SentenceJudgement) AgreementSummary {
	bySpan := make(map[analysis.Span]SentenceJudgement, len(judgements))
	for _, j := range judgements {
		bySpan[analysis.Span{Start: j.Start, End: j.End}] = j
	}
	s := AgreementSummary{Sentences: make([]SentenceAgreement, len(report.Sentences))}
	for i, v := range report.Sentences {
		row := SentenceAgreement{Index: i, Start: v.Start, End: v.End, WordList: v.Biased}
		if j, ok := bySpan[analysis.Span{Start: v.Start, End: v.End}]; ok {
			row.Judged, row.Type, row.LLM = true, j.Type, j.Biased()
			row.Agree = row.LLM == row.WordList
			switch {
			case row.WordList && row.LLM:
				s.Both++
			case row.WordList:
				s.OnlyWordList++
			case row.LLM:
				s.OnlyLLM++
			default:
				s.Neither++
			}
		} else {
			s.Unjudged++
		}
		s.Sentences[i] = row
	}
	s.Agreement, s.Kappa = kappa(s.Both, s.OnlyWordList, s.OnlyLLM, s.Neither)
	return s
}

// kappa returns the observed agreement and Cohen's kappa of a 2×2 table.
func kappa(both, onlyA, onlyB, neither int) (float64, *float64) {
	n := float64(both + onlyA + onlyB + neither)
	if n == 0 {
		return 0, nil
	}
	po := float64(both+neither) / n
	aYes, bYes := float64(both+onlyA)/n, float64(both+onlyB)/n
	pe := aYes*bYes + (1-aYes)*(1-bYes)
	if pe >= 1 {
		return po, nil
	}
	k := (po - pe) / (1 - pe)
	return po, &k
}
