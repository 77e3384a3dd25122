package evaluation

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"slant/analysis"
)

// Options says what to evaluate and how.
type Options struct {
	// Split selects the dev or test half of every dataset (default all).
	Split Split
	// Limit keeps the first Limit records of each dataset after the split
	// (0 keeps all); for quick runs and tests.
	Limit int
	// Workers bounds the analysis pool (0 means runtime.GOMAXPROCS).
	Workers int
	// Explain lists the datasets (BASIL, BABE) whose false positives and
	// missed gold words are reported, Top forms per list (default 20), and
	// the framing datasets whose confusions are reported.
	Explain []Dataset
	Top     int
	// Progress, when set, is called after each analyzed text from the
	// goroutine that called Evaluate.
	Progress func(done, total int)
	// CrossFit, when set, scores each WNC pair with the sentence model
	// that was not trained on it, for wnc.biased_above_neutral_model
	// (TrainCrossFit makes it); without it that figure is not reported,
	// since the shipped model was trained on every pair.
	CrossFit *CrossFitModels
}

// Result is one evaluation run: the metrics per dataset, the lexicon they
// were measured with, and how fast the analysis ran.
type Result struct {
	LexiconVersion string `json:"lexicon_version"`
	// Model is the sentence model's hash and ModelThreshold its threshold.
	Model          string          `json:"model"`
	ModelThreshold float64         `json:"model_threshold"`
	Split          Split           `json:"split"`
	Limit          int             `json:"limit,omitempty"`
	Datasets       []DatasetResult `json:"datasets"`
	Throughput     Throughput      `json:"throughput"`
}

// Metrics returns every metric of the run in report order.
func (r *Result) Metrics() []Metric {
	var out []Metric
	for _, d := range r.Datasets {
		out = append(out, d.Metrics...)
	}
	return out
}

// Metric returns the metric with this key, if the run measured it.
func (r *Result) Metric(key string) (Metric, bool) {
	for _, m := range r.Metrics() {
		if m.Key == key {
			return m, true
		}
	}
	return Metric{}, false
}

// Run loads the datasets from dir and evaluates them with the analyzer.
func Run(ctx context.Context, a *analysis.Analyzer, dir string, datasets []Dataset, opts Options) (*Result, error) {
	data, err := Load(dir, datasets)
	if err != nil {
		return nil, err
	}
	return Evaluate(ctx, a, data, opts)
}

// Evaluate analyzes every text of the loaded datasets (those not nil in
// data), exactly as the API would (one Document per text), and computes
// the metrics of eval/README.md. The texts are analyzed by a bounded pool
// of workers; the result does not depend on their order or number, only
// Throughput does.
func Evaluate(ctx context.Context, a *analysis.Analyzer, data Data, opts Options) (*Result, error) {
	if a == nil {
		return nil, errors.New("evaluate: analyzer is nil")
	}
	split := opts.Split
	if split == "" {
		split = SplitAll
	}
	top := opts.Top
	if top <= 0 {
		top = 20
	}
	explain := func(ds Dataset) int {
		if slices.Contains(opts.Explain, ds) {
			return top
		}
		return 0
	}
	data = data.Select(split, opts.Limit)
	in := evalDocuments(data)
	preds, speed, err := analyzeAll(ctx, a, in.docs, opts.Workers, opts.Progress)
	if err != nil {
		return nil, err
	}
	r := &Result{LexiconVersion: a.Version(), Split: split, Limit: opts.Limit, Throughput: speed,
		Model: a.SentenceModel().Hash(), ModelThreshold: a.SentenceModel().Threshold()}
	if data.Basil != nil {
		r.Datasets = append(r.Datasets, ScoreBasil(data.Basil, preds[in.basil:in.babe], explain(Basil)))
	}
	if data.Babe != nil {
		r.Datasets = append(r.Datasets, ScoreBabe(data.Babe, preds[in.babe:in.wnc], explain(Babe)))
	}
	if data.WNC != nil {
		var crossFit []Prediction
		if opts.CrossFit != nil {
			if crossFit, err = crossFitWNC(ctx, a, opts.CrossFit, data.WNC); err != nil {
				return nil, err
			}
		}
		r.Datasets = append(r.Datasets, ScoreWNC(data.WNC, preds[in.wnc:in.allSides], crossFit))
	}
	if data.AllSides != nil {
		r.Datasets = append(r.Datasets, ScoreAllSides(data.AllSides, preds[in.allSides:in.gvfc]))
	}
	if data.GVFC != nil {
		r.Datasets = append(r.Datasets, ScoreGVFC(data.GVFC, preds[in.gvfc:in.semEval], explain(FramingGVFC) > 0))
	}
	if data.SemEval != nil {
		r.Datasets = append(r.Datasets, ScoreSemEval(data.SemEval, preds[in.semEval:], explain(FramingSemEval) > 0))
	}
	return r, nil
}

// evalInput is the one document list of a run, for all datasets, so that
// one pool and one progress bar cover the run; each dataset's texts start
// at its offset and end where the next dataset's start.
type evalInput struct {
	docs                                      []analysis.Document
	basil, babe, wnc, allSides, gvfc, semEval int
}

// evalDocuments lists the texts of every dataset in the order the
// scorers read them: a WNC pair as its biased then its neutral text, an
// AllSides event as its articles then its neutral summary.
func evalDocuments(data Data) evalInput {
	var in evalInput
	add := func(text string) { in.docs = append(in.docs, analysis.Document{Text: text}) }
	in.basil = len(in.docs)
	for _, x := range data.Basil {
		add(x.Text)
	}
	in.babe = len(in.docs)
	for _, x := range data.Babe {
		add(x.Text)
	}
	in.wnc = len(in.docs)
	for _, x := range data.WNC {
		add(x.Biased)
		add(x.Neutral)
	}
	in.allSides = len(in.docs)
	for _, x := range data.AllSides {
		for _, art := range x.Articles {
			add(art.Document())
		}
		add(x.Neutral.Document())
	}
	in.gvfc = len(in.docs)
	for _, x := range data.GVFC {
		add(x.Document())
	}
	in.semEval = len(in.docs)
	for _, x := range data.SemEval {
		add(x.Text)
	}
	return in
}

// crossFitWNC analyzes each pair's two texts with the analyzer's lexicon
// and the sentence model that never saw the pair: biased at 2i, neutral at
// 2i+1, as ScoreWNC reads them.
func crossFitWNC(ctx context.Context, a *analysis.Analyzer, cf *CrossFitModels, pairs []WNCPair) ([]Prediction, error) {
	out := make([]Prediction, 0, 2*len(pairs))
	analyzers := map[*analysis.SentenceModel]*analysis.Analyzer{}
	for _, p := range pairs {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("cross-fit wnc: %w", err)
		}
		m := cf.ModelFor(p.ID)
		fold, ok := analyzers[m]
		if !ok {
			fold = a.WithSentenceModel(m)
			analyzers[m] = fold
		}
		for _, text := range []string{p.Biased, p.Neutral} {
			out = append(out, Predict(fold.Analyze(analysis.Document{Text: text}), a.Lexicon().Threshold()))
		}
	}
	return out, nil
}
