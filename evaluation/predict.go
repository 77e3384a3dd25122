package evaluation

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"time"

	"slant/analysis"
)

// Flag is one finding in the outlet's own voice: where it lies and the
// lexicon term it matched.
type Flag struct {
	Span
	Term     string `json:"term"`
	Category string `json:"category"`
}

// Prediction is what the metrics read from one analysis report, the same
// report the API serves.
type Prediction struct {
	// Flags are the findings not inside a quotation, in text order.
	Flags []Flag `json:"flags"`
	// Biased is true when any sentence verdict is biased: by a listed
	// word or by the sentence model, as the report says.
	Biased bool `json:"biased"`
	// LexiconBiased is true when any sentence's word-list score reaches
	// the lexicon's threshold: the verdict of the word lists alone.
	LexiconBiased bool `json:"lexicon_biased"`
	// LoadedIndex is the report's Scores.LoadedIndex.
	LoadedIndex float64 `json:"loaded_index"`
	// Score and ModelScore are the highest sentence score and sentence
	// model score; ModelSlant is Scores.ModelSlant.
	Score      float64 `json:"score"`
	ModelScore float64 `json:"model_score"`
	ModelSlant float64 `json:"model_slant"`
	// Frames are the frames of the report's frame profile, strongest
	// first (RankFrames).
	Frames []string `json:"frames"`
}

// Predict condenses a report into a Prediction; lexiconThreshold is the
// word lists' sentence threshold (Lexicon.Threshold). Findings inside
// quotations are dropped: they are the speaker's words, not the outlet's.
func Predict(r analysis.Report, lexiconThreshold float64) Prediction {
	p := Prediction{LoadedIndex: r.Scores.LoadedIndex, ModelSlant: r.Scores.ModelSlant, Frames: RankFrames(frameShares(r.Frames))}
	for _, f := range r.Findings {
		if !f.InQuote {
			p.Flags = append(p.Flags, Flag{Span: Span{Start: f.Start, End: f.End}, Term: f.Term, Category: f.Category})
		}
	}
	for _, v := range r.Sentences {
		p.Biased = p.Biased || v.Biased
		p.LexiconBiased = p.LexiconBiased || v.Score >= lexiconThreshold
		p.Score = max(p.Score, v.Score)
		p.ModelScore = max(p.ModelScore, v.ModelScore)
	}
	return p
}

// Spans returns the byte spans of the own-voice flags.
func (p Prediction) Spans() []Span {
	out := make([]Span, len(p.Flags))
	for i, f := range p.Flags {
		out[i] = f.Span
	}
	return out
}

// Throughput is how fast the analysis ran over the evaluation texts.
type Throughput struct {
	Texts   int     `json:"texts"`
	Bytes   int64   `json:"bytes"`
	Seconds float64 `json:"seconds"`
	Workers int     `json:"workers"`
	// MBPerSecond is bytes (10^6 per MB) analyzed per second of wall-clock
	// time, all workers together.
	MBPerSecond float64 `json:"mb_per_s"`
	// MBPerSecondPerWorker is bytes per second of time spent inside the
	// analyzer, summed over workers: the speed of one core.
	MBPerSecondPerWorker float64 `json:"mb_per_s_per_worker"`
}

// analyzeAll analyzes docs with a bounded pool of workers and returns the
// predictions in the order of docs, whatever order the workers finish in.
// progress, when not nil, is called from this goroutine only, after each
// document.
func analyzeAll(ctx context.Context, a *analysis.Analyzer, docs []analysis.Document, workers int, progress func(done, total int)) ([]Prediction, Throughput, error) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = max(1, min(workers, len(docs)))
	preds := make([]Prediction, len(docs))
	busy := make([]time.Duration, workers)
	jobs := make(chan int)
	done := make(chan struct{}, workers)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	start := time.Now()
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				t0 := time.Now()
				preds[i] = Predict(a.Analyze(docs[i]), a.Lexicon().Threshold())
				busy[w] += time.Since(t0)
				done <- struct{}{}
			}
		}()
	}
	go func() {
		defer close(jobs)
		for i := range docs {
			select {
			case jobs <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	var err error
	for n := 1; n <= len(docs); n++ {
		select {
		case <-done:
			if progress != nil {
				progress(n, len(docs))
			}
		case <-ctx.Done():
			err = fmt.Errorf("analyze evaluation texts: %w", ctx.Err())
			n = len(docs) // stop waiting; drain below
		}
	}
	cancel()
	go func() { wg.Wait(); close(done) }()
	for range done {
	}
	if err != nil {
		return nil, Throughput{}, err
	}

	wall := time.Since(start)
	t := Throughput{Texts: len(docs), Workers: workers, Seconds: wall.Seconds()}
	for _, d := range docs {
		t.Bytes += int64(len(d.Title) + len(d.Text))
	}
	var total time.Duration
	for _, b := range busy {
		total += b
	}
	if wall > 0 {
		t.MBPerSecond = float64(t.Bytes) / 1e6 / wall.Seconds()
	}
	if total > 0 {
		t.MBPerSecondPerWorker = float64(t.Bytes) / 1e6 / total.Seconds()
	}
	return preds, t, nil
}
