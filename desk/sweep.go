package desk

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"time"

	"slant/analysis"
	"slant/models"
)

// Keeping stored reports in step with the lexicon. Every stored analysis
// records the version it was made with; when the lexicon changes (an
// edit of the class word list, a new release, a calibration overlay), the
// reports made with the old version no longer count the same words. Two
// mechanisms bring them up to date: reading a report redoes a stale one
// on the spot (the current-report rule, reports.go), and a sweep redoes
// every stale report in the background with the worker pool, so that the
// stored reports of events nobody has opened are current too.

// Defaults for SweepOptions left at zero.
const (
	// DefaultSweepBatch is how many articles a sweep reads, analyzes and
	// saves (in one transaction) at a time.
	DefaultSweepBatch = 100
	// DefaultLogEvery is how often a running sweep logs its progress.
	DefaultLogEvery = 10 * time.Second
)

// SweepOptions tunes a sweep.
type SweepOptions struct {
	// Workers bounds the goroutines analyzing at once; zero means one.
	// The background sweep leaves the other CPUs to the requests.
	Workers int
	// Batch is how many articles are handled per round; zero means
	// DefaultSweepBatch.
	Batch int
	// Progress receives the sweep's progress (StageReanalyze); nil means
	// a log line every DefaultLogEvery (LogProgress).
	Progress func(Progress)
}

// SweepStats is what a sweep did.
type SweepStats struct {
	// Stale is how many analyses were out of date when the sweep began.
	Stale int64
	// Redone is how many were analyzed again and saved.
	Redone int
	// Elapsed is how long the sweep ran.
	Elapsed time.Duration
}

// withDefaults fills the zero options.
func (o SweepOptions) withDefaults(d *Desk) SweepOptions {
	o.Workers = min(max(o.Workers, 1), runtime.GOMAXPROCS(0))
	if o.Batch <= 0 {
		o.Batch = DefaultSweepBatch
	}
	if o.Progress == nil {
		o.Progress = LogProgress(d.log, DefaultLogEvery)
	}
	return o
}

// Sweep redoes every stored analysis made with a version other than
// analyzer's, a batch at a time: the batch is read, analyzed on the
// worker pool and saved in one transaction. It logs when it starts and
// ends, reports its progress, and returns when everything is current or
// ctx ends (then with ctx's error, after the batch in hand is dropped;
// what was saved stays saved). Articles added while it runs are analyzed
// with the current lexicon already; an article deleted under it is
// skipped.
func (d *Desk) Sweep(ctx context.Context, analyzer *analysis.Analyzer, opts SweepOptions) (SweepStats, error) {
	opts = opts.withDefaults(d)
	start := time.Now()
	version := analyzer.Version()
	stats := SweepStats{}
	stale, err := d.store.CountStaleArticles(ctx, version)
	if err != nil {
		return stats, fmt.Errorf("re-analysis: %w", err)
	}
	stats.Stale = stale
	if stale == 0 {
		return stats, nil
	}
	d.log.Info("re-analysis started", "stale", stale, "lexicon_version", version, "workers", opts.Workers)
	var after int64
	for {
		page, err := d.store.StaleArticles(ctx, version, after, opts.Batch)
		if err != nil {
			return d.sweepStopped(stats, start, fmt.Errorf("re-analysis: %w", err))
		}
		if len(page) == 0 {
			break
		}
		after = page[len(page)-1].ID
		analyses, err := d.reanalyze(ctx, analyzer, page, opts.Workers)
		if err != nil {
			return d.sweepStopped(stats, start, err)
		}
		saved, err := d.store.SaveAnalyses(ctx, analyses)
		if err != nil {
			return d.sweepStopped(stats, start, fmt.Errorf("re-analysis: %w", err))
		}
		stats.Redone += saved
		opts.Progress(Progress{Stage: StageReanalyze, Done: stats.Redone, Total: int(stale)})
	}
	stats.Elapsed = time.Since(start)
	d.log.Info("re-analysis finished", "redone", stats.Redone, "elapsed", stats.Elapsed.Round(time.Millisecond))
	return stats, nil
}

// sweepStopped logs a sweep that ended early and returns err.
func (d *Desk) sweepStopped(stats SweepStats, start time.Time, err error) (SweepStats, error) {
	stats.Elapsed = time.Since(start)
	if isContextError(err) {
		d.log.Info("re-analysis stopped", "redone", stats.Redone, "stale", stats.Stale)
	} else {
		d.log.Error("re-analysis failed", "redone", stats.Redone, "error", err.Error())
	}
	return stats, err
}

// reanalyze makes the new analyses of one page on the worker pool, in the
// page's order.
func (d *Desk) reanalyze(ctx context.Context, analyzer *analysis.Analyzer, page []models.StaleArticle, workers int) ([]models.Analysis, error) {
	out := make([]models.Analysis, len(page))
	errs := make([]error, len(page))
	err := forEach(ctx, workers, len(page), func(i int) {
		a := page[i]
		an, _, err := d.analyze(ctx, analyzer, a.Title, a.Body)
		if err != nil {
			errs[i] = fmt.Errorf("article %d: %w", a.ID, err)
			return
		}
		an.ArticleID = a.ID
		out[i] = an
	}, nil)
	if err == nil {
		err = errors.Join(errs...)
	}
	if err != nil {
		return nil, fmt.Errorf("re-analysis: %w", err)
	}
	return out, nil
}

// Sweeper runs sweeps in the background, one at a time: `slant serve`
// starts one when it starts (KeepCurrent) and the desk another each time
// the lexicon changes: a new sweep cancels the one running, whose lexicon
// is no longer in force, and begins once it has stopped. It is safe for
// concurrent use.
type Sweeper struct {
	parent  context.Context
	desk    *Desk
	opts    SweepOptions
	mu      sync.Mutex
	cancel  context.CancelFunc
	done    chan struct{}
	stopped bool
}

// KeepCurrent starts keeping the stored reports current in the
// background: a sweep with the lexicon in force now, and another after
// every change of the lexicon, until ctx ends or the Sweeper is stopped.
// Stop it before closing the store.
func (d *Desk) KeepCurrent(ctx context.Context, opts SweepOptions) *Sweeper {
	s := &Sweeper{parent: ctx, desk: d, opts: opts}
	d.sweepMu.Lock()
	d.sweeper = s
	d.sweepMu.Unlock()
	s.Start(d.Analyzer())
	return s
}

// sweepWith starts a sweep with analyzer when the desk keeps reports
// current.
func (d *Desk) sweepWith(analyzer *analysis.Analyzer) {
	d.sweepMu.Lock()
	s := d.sweeper
	d.sweepMu.Unlock()
	if s != nil {
		s.Start(analyzer)
	}
}

// Start begins a sweep with analyzer's lexicon in the background, after
// cancelling the sweep in progress. It returns at once. After Stop it does
// nothing.
func (s *Sweeper) Start(analyzer *analysis.Analyzer) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopped {
		return
	}
	if s.cancel != nil {
		s.cancel()
	}
	prev := s.done
	ctx, cancel := context.WithCancel(s.parent)
	done := make(chan struct{})
	s.cancel, s.done = cancel, done
	go func() {
		defer close(done)
		defer cancel()
		if prev != nil {
			<-prev
		}
		if ctx.Err() != nil {
			return
		}
		// Sweep logs its own progress and failures.
		_, _ = s.desk.Sweep(ctx, analyzer, s.opts)
	}()
}

// Stop cancels the sweep in progress and waits for it, so that the store
// can be closed afterwards.
func (s *Sweeper) Stop() {
	s.mu.Lock()
	s.stopped = true
	cancel, done := s.cancel, s.done
	s.mu.Unlock()
	if cancel != nil {
		cancel()
		<-done
	}
}

// Wait waits for the sweeps started so far to end, for tests and for
// commands that want the reports current before they go on.
func (s *Sweeper) Wait() {
	s.mu.Lock()
	done := s.done
	s.mu.Unlock()
	if done != nil {
		<-done
	}
}
