package evaluation

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"slant/analysis"
	"slant/llm"
)

// The LLM layer's metrics (`slant eval --llm`). They are measured beside
// the word lists' own metrics on the same records and are never floors:
// they depend on the model, not on the lexicon.
const (
	// KeyLLMBabeSentenceF1 is babe.sentence_macro_F1 with a sentence
	// predicted biased when the model gives it a type other than none.
	KeyLLMBabeSentenceF1 = "babe.llm_sentence_macro_F1"
	// KeyLLMBabeKappa is Cohen's kappa between the model's and the word
	// lists' biased/not-biased verdicts on the same sentences.
	KeyLLMBabeKappa = "babe.llm_wordlist_kappa"
	// KeyLLMWNCAbove is wnc.biased_above_neutral with each sentence scored
	// by the strength of the model's judgement (0 for none or no
	// judgement) instead of the loaded index.
	KeyLLMWNCAbove = "wnc.llm_biased_above_neutral"
)

// DefaultLLMLimit is how many sentences per dataset `slant eval --llm`
// sends to the model unless told otherwise: model calls are slow.
const DefaultLLMLimit = 200

// DefaultLLMBatch is how many labelled sentences go into one article sent
// to the model.
const DefaultLLMBatch = 20

// ErrNoLLM is the answer to `slant eval --llm` when no model is
// configured.
var ErrNoLLM = errors.New("no LLM configured (set SLANT_LLM_BASE_URL and SLANT_LLM_MODEL)")

// LLMDatasets are the datasets the LLM evaluation measures: those with
// sentence-level labels.
func LLMDatasets() []Dataset { return []Dataset{Babe, WNC} }

// LLMFromEnv reads the LLM configuration for `slant eval --llm`: the
// llm.FromEnv settings, or ErrNoLLM when they are not set.
func LLMFromEnv(getenv func(string) string) (llm.Config, error) {
	cfg, on, err := llm.FromEnv(getenv)
	if err != nil {
		return llm.Config{}, err
	}
	if !on {
		return llm.Config{}, ErrNoLLM
	}
	return cfg, nil
}

// SentenceJudge is what the LLM evaluation needs from the LLM layer;
// *llm.Client is one.
type SentenceJudge interface {
	AnalyzeSentences(ctx context.Context, a llm.Article) ([]llm.SentenceJudgement, llm.Meta, error)
	Describe() string
}

// LLMOptions says what the LLM evaluation measures.
type LLMOptions struct {
	// Split selects the dev or test half of every dataset (default all).
	Split Split
	// Limit is the most sentences sent per dataset (0 means
	// DefaultLLMLimit): the first Limit BABE sentences and the first
	// Limit/2 WNC pairs of the split.
	Limit int
	// Batch is how many sentences go into one article (0 means
	// DefaultLLMBatch).
	Batch int
	// Progress, when set, is called with the sentences judged so far
	// after each batch, from the goroutine that called EvaluateLLM.
	Progress func(done, total int)
}

// LLMCost is what the model calls of a run took.
type LLMCost struct {
	Articles         int     `json:"articles"`
	Requests         int     `json:"requests"`
	Cached           int     `json:"cached"`
	FailedArticles   int     `json:"failed_articles"`
	Dropped          int     `json:"dropped"`
	Unjudged         int     `json:"unjudged"`
	PromptTokens     int     `json:"prompt_tokens"`
	CompletionTokens int     `json:"completion_tokens"`
	Seconds          float64 `json:"seconds"`
}

// LLMResult is one LLM evaluation run: the model's metrics and the word
// lists' on exactly the same records, per dataset.
type LLMResult struct {
	LLM            string          `json:"llm"`
	PromptVersion  string          `json:"prompt_version"`
	LexiconVersion string          `json:"lexicon_version"`
	Split          Split           `json:"split"`
	Limit          int             `json:"limit"`
	Datasets       []DatasetResult `json:"datasets"`
	Cost           LLMCost         `json:"cost"`
}

// RunLLM loads the datasets from dir and runs EvaluateLLM on those of
// them that LLMDatasets lists.
func RunLLM(ctx context.Context, a *analysis.Analyzer, judge SentenceJudge, dir string, datasets []Dataset, opts LLMOptions) (*LLMResult, error) {
	var keep []Dataset
	for _, ds := range datasets {
		if ds == Babe || ds == WNC {
			keep = append(keep, ds)
		}
	}
	if len(keep) == 0 {
		return nil, errors.New("the LLM evaluation measures babe and wnc; neither was asked for")
	}
	data, err := Load(dir, keep)
	if err != nil {
		return nil, err
	}
	return EvaluateLLM(ctx, a, judge, data, opts)
}

// EvaluateLLM measures the model's sentence verdicts on BABE and WNC (the
// datasets loaded in data) and, on the same records, the word lists'.
// Labelled sentences are sent Batch at a time as the sentences of one
// article, each record one sentence span, so the model judges each record
// as a whole. WNC's biased sentences are sent before its neutral ones, so
// the two sides of a pair seldom share a batch. A batch whose answers were
// unusable (llm.ErrInvalidOutput) leaves its sentences unjudged, which
// counts as not biased; any other model error stops the run.
func EvaluateLLM(ctx context.Context, a *analysis.Analyzer, judge SentenceJudge, data Data, opts LLMOptions) (*LLMResult, error) {
	if a == nil || judge == nil {
		return nil, errors.New("evaluate llm: analyzer and model are both needed")
	}
	split := opts.Split
	if split == "" {
		split = SplitAll
	}
	limit := opts.Limit
	if limit <= 0 {
		limit = DefaultLLMLimit
	}
	batch := opts.Batch
	if batch <= 0 {
		batch = DefaultLLMBatch
	}
	data = data.Select(split, 0)
	babe := data.Babe
	if len(babe) > limit {
		babe = babe[:limit]
	}
	wnc := data.WNC
	if len(wnc) > max(limit/2, 1) {
		wnc = wnc[:max(limit/2, 1)]
	}

	// One list of texts for both datasets: BABE sentences, then WNC's
	// biased sentences, then its neutral ones.
	var texts []string
	for _, s := range babe {
		texts = append(texts, s.Text)
	}
	for _, p := range wnc {
		texts = append(texts, p.Biased)
	}
	for _, p := range wnc {
		texts = append(texts, p.Neutral)
	}

	start := time.Now()
	verdicts, cost, err := judgeAll(ctx, judge, texts, batch, opts.Progress)
	if err != nil {
		return nil, fmt.Errorf("evaluate llm: %w", err)
	}
	cost.Seconds = time.Since(start).Seconds()

	docs := make([]analysis.Document, len(texts))
	for i, t := range texts {
		docs[i] = analysis.Document{Text: t}
	}
	preds, _, err := analyzeAll(ctx, a, docs, 0, nil)
	if err != nil {
		return nil, fmt.Errorf("evaluate llm: %w", err)
	}

	r := &LLMResult{
		LLM: judge.Describe(), PromptVersion: llm.PromptVersion, LexiconVersion: a.Version(),
		Split: split, Limit: limit, Cost: cost,
	}
	if data.Babe != nil {
		r.Datasets = append(r.Datasets, scoreBabeLLM(babe, preds[:len(babe)], verdicts[:len(babe)]))
	}
	if data.WNC != nil {
		n := len(babe)
		biased, neutral := verdicts[n:n+len(wnc)], verdicts[n+len(wnc):]
		wordPreds := make([]Prediction, 0, 2*len(wnc))
		for i := range wnc {
			wordPreds = append(wordPreds, preds[n+i], preds[n+len(wnc)+i])
		}
		r.Datasets = append(r.Datasets, scoreWNCLLM(wnc, wordPreds, biased, neutral))
	}
	return r, nil
}

// verdict is the model's judgement of one labelled text, if it gave one.
type verdict struct {
	judged bool
	j      llm.SentenceJudgement
}

// judgeAll sends the texts batch at a time, all batches at once (the
// client's own limits decide how many requests run), and returns one
// verdict per text in input order.
func judgeAll(ctx context.Context, judge SentenceJudge, texts []string, batch int, progress func(done, total int)) ([]verdict, LLMCost, error) {
	out := make([]verdict, len(texts))
	var cost LLMCost
	if len(texts) == 0 {
		return out, cost, nil
	}
	type result struct {
		first int
		js    []llm.SentenceJudgement
		meta  llm.Meta
		err   error
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	total := (len(texts) + batch - 1) / batch
	results := make(chan result, total)
	var wg sync.WaitGroup
	for first := 0; first < len(texts); first += batch {
		art, at := batchArticle(texts[first:min(first+batch, len(texts))])
		wg.Go(func() {
			js, meta, err := judge.AnalyzeSentences(ctx, art)
			for k := range js {
				js[k].Index = first + at[js[k].Index] // the text's position in texts
			}
			results <- result{first: first, js: js, meta: meta, err: err}
		})
	}
	go func() { wg.Wait(); close(results) }()

	var firstErr error
	done := 0
	for r := range results {
		done += min(batch, len(texts)-r.first)
		cost.Articles++
		cost.Requests += r.meta.Chunks - r.meta.Cached
		cost.Cached += r.meta.Cached
		cost.Dropped += r.meta.Dropped
		cost.PromptTokens += r.meta.PromptTokens
		cost.CompletionTokens += r.meta.CompletionTokens
		switch {
		case r.err == nil:
			for _, j := range r.js {
				out[j.Index] = verdict{judged: true, j: j}
			}
		case errors.Is(r.err, llm.ErrInvalidOutput):
			cost.FailedArticles++
		case firstErr == nil:
			firstErr = fmt.Errorf("sentences %d to %d: %w", r.first, min(r.first+batch, len(texts))-1, r.err)
			cancel()
		}
		if progress != nil && firstErr == nil {
			progress(done, len(texts))
		}
	}
	if firstErr != nil {
		return nil, cost, firstErr
	}
	for _, v := range out {
		if !v.judged {
			cost.Unjudged++
		}
	}
	return out, cost, nil
}

// batchArticle makes one article of labelled texts, one per line, each
// text one sentence span. A text that is blank after trimming gets no
// span and stays unjudged; at[k] is the batch position of sentence k.
func batchArticle(texts []string) (a llm.Article, at []int) {
	var b strings.Builder
	for i, t := range texts {
		t = strings.TrimSpace(strings.ReplaceAll(t, "\n", " "))
		if t == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		a.Sentences = append(a.Sentences, analysis.Span{Start: b.Len(), End: b.Len() + len(t)})
		at = append(at, i)
		b.WriteString(t)
	}
	a.Text = b.String()
	return a, at
}

// scoreBabeLLM computes the model's sentence macro-F1 and its agreement
// with the word lists, beside the word lists' own macro-F1 on the same
// sentences.
func scoreBabeLLM(sents []BabeSentence, preds []Prediction, vs []verdict) DatasetResult {
	var model, words, agree Counts
	unjudged := 0
	types := map[string]int{}
	for i, s := range sents {
		biased := vs[i].judged && vs[i].j.Biased()
		if !vs[i].judged {
			unjudged++
		} else {
			types["llm_type_"+string(vs[i].j.Type)]++
		}
		model = model.Add(CountLabels([]bool{biased}, []bool{s.Biased}))
		words = words.Add(CountLabels([]bool{preds[i].LexiconBiased}, []bool{s.Biased}))
		if vs[i].judged {
			agree = agree.Add(CountLabels([]bool{biased}, []bool{preds[i].LexiconBiased}))
		}
	}
	llmF1 := newMetric(KeyLLMBabeSentenceF1, MacroF1(model), len(sents), "sentences")
	llmF1.Field = fieldFigure(KeyBabeSentenceF1)
	// Each metric's parts have their own names: the detail line lists
	// the parts of all the metrics together.
	llmF1.Parts = map[string]float64{"f1_biased_llm": model.F1(), "f1_not_biased_llm": model.Flip().F1()}
	wordF1 := newMetric(KeyBabeSentenceF1, MacroF1(words), len(sents), "sentences")
	wordF1.Parts = map[string]float64{"f1_biased_lexicon": words.F1(), "f1_not_biased_lexicon": words.Flip().F1()}
	kappa := newMetric(KeyLLMBabeKappa, 0, agree.TP+agree.FP+agree.FN+agree.TN, "judged sentences")
	kappa.Field = "agreement beyond chance: 1 total, 0 none"
	k, defined := CohenKappa(agree)
	kappa.Value = k
	counts := map[string]int{
		"sentences":                 len(sents),
		"gold_biased":               model.TP + model.FN,
		"llm_predicted_biased":      model.TP + model.FP,
		"llm_unjudged":              unjudged,
		"llm_tp":                    model.TP,
		"llm_fp":                    model.FP,
		"llm_fn":                    model.FN,
		"llm_tn":                    model.TN,
		"wordlist_predicted_biased": words.TP + words.FP,
		"both_biased":               agree.TP,
		"only_llm":                  agree.FP,
		"only_wordlist":             agree.FN,
		"neither":                   agree.TN,
	}
	if !defined {
		counts["kappa_undefined"] = 1 // the value 0 stands in for it
	}
	for t, n := range types {
		counts[t] = n
	}
	return DatasetResult{Name: Babe, Records: len(sents), Metrics: []Metric{llmF1, wordF1, kappa}, Counts: counts}
}

// scoreWNCLLM scores each pair by the strength of the model's judgements,
// beside the word lists' loaded index on the same pairs.
func scoreWNCLLM(pairs []WNCPair, wordPreds []Prediction, biased, neutral []verdict) DatasetResult {
	ps := make([]Pair, len(pairs))
	above, ties, unjudged := 0, 0, 0
	for i := range pairs {
		ps[i] = Pair{Above: biased[i].score(), Below: neutral[i].score()}
		switch PairScore(ps[i].Above, ps[i].Below) {
		case 1:
			above++
		case 0.5:
			ties++
		}
		for _, v := range []verdict{biased[i], neutral[i]} {
			if !v.judged {
				unjudged++
			}
		}
	}
	m := newMetric(KeyLLMWNCAbove, PairAccuracy(ps), len(pairs), "pairs")
	m.Field = fieldFigure(KeyWNCAbove)
	words := ScoreWNC(pairs, wordPreds, nil)
	return DatasetResult{
		Name:    WNC,
		Records: len(pairs),
		Metrics: append([]Metric{m}, words.Metrics...),
		Counts: map[string]int{
			"pairs": len(pairs), "llm_biased_higher": above, "llm_ties": ties,
			"llm_neutral_higher": len(pairs) - above - ties, "llm_unjudged": unjudged,
			"wordlist_biased_higher": words.Counts["biased_higher"], "wordlist_ties": words.Counts["ties"],
		},
	}
}

// score is the verdict as one number; an unjudged text scores 0.
func (v verdict) score() float64 {
	if !v.judged {
		return 0
	}
	return v.j.Score()
}

// CohenKappa is Cohen's kappa of two raters' binary labels counted in c
// (TP: both yes, TN: both no, FP and FN: they differ). It is undefined,
// and ok is false, when there are no items or chance agreement is total.
func CohenKappa(c Counts) (kappa float64, ok bool) {
	n := float64(c.TP + c.FP + c.FN + c.TN)
	if n == 0 {
		return 0, false
	}
	po := float64(c.TP+c.TN) / n
	a, b := float64(c.TP+c.FP)/n, float64(c.TP+c.FN)/n
	pe := a*b + (1-a)*(1-b)
	if pe >= 1 {
		return 0, false
	}
	return (po - pe) / (1 - pe), true
}

// WriteJSON writes the result as indented JSON.
func (r *LLMResult) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(r); err != nil {
		return fmt.Errorf("encode llm evaluation result: %w", err)
	}
	return nil
}

// WriteTable writes the result for people: the model's metrics beside the
// word lists' on the same records, then the counts and what the calls
// cost.
func (r *LLMResult) WriteTable(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Slant LLM evaluation: %s, prompt %s, lexicon %s, split %s, at most %d sentences per dataset\n\n",
		r.LLM, r.PromptVersion, r.LexiconVersion, r.Split, r.Limit)
	b.WriteString("| dataset | metric | by | value | over | field (published, for orientation) |\n")
	b.WriteString("|---|---|---|---:|---|---|\n")
	for _, d := range r.Datasets {
		for _, m := range d.Metrics {
			_, name, _ := strings.Cut(m.Key, ".")
			by := "word lists"
			switch {
			case name == "llm_wordlist_kappa":
				by = "both"
			case strings.HasPrefix(name, "llm_"):
				by, name = "LLM", strings.TrimPrefix(name, "llm_")
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %.3f | %s %s | %s |\n", d.Name, name, by, m.Value, thousands(m.N), m.Unit, m.Field)
		}
	}
	b.WriteString("\n")
	for _, d := range r.Datasets {
		fmt.Fprintf(&b, "%s: %s\n", d.Name, countsLine(d.Counts))
	}
	c := r.Cost
	fmt.Fprintf(&b, "llm: %s articles, %s requests (%s cached), %s failed articles, %s dropped judgements, %s unjudged sentences, %s prompt + %s completion tokens, %.1f s\n",
		thousands(c.Articles), thousands(c.Requests), thousands(c.Cached), thousands(c.FailedArticles), thousands(c.Dropped),
		thousands(c.Unjudged), thousands(c.PromptTokens), thousands(c.CompletionTokens), c.Seconds)
	_, err := io.WriteString(w, b.String())
	return err
}
