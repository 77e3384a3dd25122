// Package reanalysis keeps stored reports in step with the lexicon. Every
// stored analysis records the lexicon version it was made with; when the
// lexicon changes (an edit, a new release, a calibration overlay), the
// reports made with the old version no longer count the same words.
//
// Two mechanisms bring them up to date. Current, used when a report is
// read (by exports; the API's handlers do the same for the page), redoes a
// stale report on the spot; a Sweep, started by `slant serve`, redoes every
// stale report in the background with a bounded pool of workers, so that
// the stored reports of events nobody has opened are current too.
package reanalysis

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"sync"
	"time"

	"slant/analysis"
	"slant/models"
)

// Current returns the analysis of a stored article made with the
// analyzer's lexicon: the stored one when it was made with this version and
// can be read, otherwise a new one stamped with now, and fresh true. The
// caller saves a fresh analysis (Store.SaveAnalysis) when it wants it kept.
func Current(analyzer *analysis.Analyzer, a models.Article, now time.Time) (an models.Analysis, report analysis.Report, fresh bool, err error) {
	version := analyzer.Version()
	if stored := a.Analysis; stored != nil && stored.LexiconVersion == version {
		if err := json.Unmarshal(stored.Report, &report); err == nil && report.LexiconVersion == version {
			return *stored, report, false, nil
		}
	}
	an, report, err = Analyze(analyzer, a.ID, a.Title, a.Body, now)
	if err != nil {
		return models.Analysis{}, analysis.Report{}, false, err
	}
	return an, report, true, nil
}

// Analyze analyzes an article's title and body and packs the report for
// the store, stamped with now.
func Analyze(analyzer *analysis.Analyzer, articleID int64, title, body string, now time.Time) (models.Analysis, analysis.Report, error) {
	report := analyzer.Analyze(analysis.Document{Title: title, Text: body})
	data, err := json.Marshal(report)
	if err != nil {
		return models.Analysis{}, analysis.Report{}, fmt.Errorf("encode report of article %d: %w", articleID, err)
	}
	return models.Analysis{
		ArticleID:      articleID,
		Report:         data,
		LexiconVersion: report.LexiconVersion,
		AnalyzedAt:     now.UTC(),
	}, report, nil
}

// Defaults for Options left at zero.
const (
	// DefaultBatch is how many articles a sweep reads, analyzes and saves
	// (in one transaction) at a time.
	DefaultBatch = 100
	// DefaultLogEvery is how often a running sweep logs its progress.
	DefaultLogEvery = 10 * time.Second
)

// Options tunes a Sweep.
type Options struct {
	// Workers bounds the goroutines analyzing at once; zero means one.
	Workers int
	// Batch is how many articles are handled per round; zero means
	// DefaultBatch.
	Batch int
	// LogEvery is the interval between progress lines; zero means
	// DefaultLogEvery.
	LogEvery time.Duration
	// Logger receives the start, progress and end of a sweep; nil means
	// slog.Default().
	Logger *slog.Logger
	// Now stamps the new analyses; nil means time.Now.
	Now func() time.Time
}

// Sweep redoes the stored analyses made with a lexicon version other than
// its analyzer's. Build it with NewSweep; Run it once per start.
type Sweep struct {
	store    *models.Store
	analyzer *analysis.Analyzer
	workers  int
	batch    int
	logEvery time.Duration
	log      *slog.Logger
	now      func() time.Time
}

// NewSweep returns a Sweep over store with analyzer's lexicon.
func NewSweep(store *models.Store, analyzer *analysis.Analyzer, opts Options) *Sweep {
	s := &Sweep{
		store: store, analyzer: analyzer,
		workers: opts.Workers, batch: opts.Batch, logEvery: opts.LogEvery,
		log: opts.Logger, now: opts.Now,
	}
	if s.workers <= 0 {
		s.workers = 1
	}
	s.workers = min(s.workers, runtime.GOMAXPROCS(0))
	if s.batch <= 0 {
		s.batch = DefaultBatch
	}
	if s.logEvery <= 0 {
		s.logEvery = DefaultLogEvery
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.now == nil {
		s.now = time.Now
	}
	return s
}

// Stats is what a sweep did.
type Stats struct {
	// Stale is how many analyses were out of date when the sweep began.
	Stale int64
	// Redone is how many were analyzed again and saved.
	Redone int
	// Elapsed is how long the sweep ran.
	Elapsed time.Duration
}

// Run redoes every stale analysis, a batch at a time: the batch is read,
// analyzed by the worker pool and saved in one transaction. It logs when
// it starts, every LogEvery while it runs and when it ends, and returns
// when everything is current or ctx ends (then with ctx's error, after the
// batch in hand is dropped; what was saved stays saved). Articles added
// while it runs are analyzed with the current lexicon already; an article
// deleted under it is skipped.
func (s *Sweep) Run(ctx context.Context) (Stats, error) {
	start := time.Now()
	version := s.analyzer.Version()
	stats := Stats{}
	stale, err := s.store.CountStaleArticles(ctx, version)
	if err != nil {
		return stats, fmt.Errorf("re-analysis: %w", err)
	}
	stats.Stale = stale
	if stale == 0 {
		return stats, nil
	}
	s.log.Info("re-analysis started", "stale", stale, "lexicon_version", version, "workers", s.workers)
	lastLog := time.Now()
	var after int64
	for {
		page, err := s.store.StaleArticles(ctx, version, after, s.batch)
		if err != nil {
			return s.stop(stats, start, fmt.Errorf("re-analysis: %w", err))
		}
		if len(page) == 0 {
			break
		}
		after = page[len(page)-1].ID
		analyses, err := s.analyze(ctx, page)
		if err != nil {
			return s.stop(stats, start, err)
		}
		saved, err := s.store.SaveAnalyses(ctx, analyses)
		if err != nil {
			return s.stop(stats, start, fmt.Errorf("re-analysis: %w", err))
		}
		stats.Redone += saved
		if time.Since(lastLog) >= s.logEvery {
			lastLog = time.Now()
			s.log.Info("re-analysis progress", "redone", stats.Redone, "stale", stale)
		}
	}
	stats.Elapsed = time.Since(start)
	s.log.Info("re-analysis finished", "redone", stats.Redone, "elapsed", stats.Elapsed.Round(time.Millisecond))
	return stats, nil
}

// stop logs a sweep that ended early and returns err.
func (s *Sweep) stop(stats Stats, start time.Time, err error) (Stats, error) {
	stats.Elapsed = time.Since(start)
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		s.log.Info("re-analysis stopped", "redone", stats.Redone, "stale", stats.Stale)
	} else {
		s.log.Error("re-analysis failed", "redone", stats.Redone, "error", err.Error())
	}
	return stats, err
}

// analyze makes the new analyses of one page on the worker pool, in the
// page's order.
func (s *Sweep) analyze(ctx context.Context, page []models.StaleArticle) ([]models.Analysis, error) {
	out := make([]models.Analysis, len(page))
	errs := make([]error, len(page))
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range min(s.workers, len(page)) {
		wg.Go(func() {
			for i := range jobs {
				a := page[i]
				out[i], _, errs[i] = Analyze(s.analyzer, a.ID, a.Title, a.Body, s.now())
			}
		})
	}
	var err error
feed:
	for i := range page {
		select {
		case jobs <- i:
		case <-ctx.Done():
			err = ctx.Err()
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	if err != nil {
		return nil, fmt.Errorf("re-analysis: %w", err)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("re-analysis: %w", err)
	}
	return out, nil
}
