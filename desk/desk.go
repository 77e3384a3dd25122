// Package desk is Slant's middle layer, named after a news desk: where
// articles come in, are read, filed and compared. It owns the recipes that
// the API, the command line and the background workers share, so that
// each is written once:
//
//   - the lexicon in force: the built-in lexicon, the overlay named by
//     SLANT_LEXICON_OVERLAY, and the class word list stored in the
//     database, swapped atomically when the word list changes
//     (lexicon.go);
//   - one way in for an article, whichever door it comes through (pasted
//     text, an HTML page, a URL to fetch, a line of an import file, the
//     demo), with one check against one set of limits (submission.go,
//     limits.go, intake.go, articles.go);
//   - one recipe for "the analysis of this article" and one rule for "the
//     current report" of a stored one, with the caller saying whether a
//     read may store a report it had to redo (reports.go);
//   - reading an event and comparing its articles, with caches keyed by
//     the event's change stamp (reading.go, compare.go, cache.go);
//   - bulk imports and the re-analysis sweep, on one worker pool with one
//     progress report (import.go, records.go, sweep.go, pool.go,
//     progress.go).
//
// The desk imports analysis, ingest and models and the standard library,
// never gin or api: the API decodes a request, calls the desk and encodes
// the answer. Its errors are the models' vocabulary (models.ErrNotFound,
// models.ErrConflict, *models.ValidationError) and the few of its own in
// errors.go, which the API's one status table maps.
package desk

import (
	"log/slog"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"slant/analysis"
	"slant/ingest"
	"slant/models"
)

// Config tunes a Desk. The zero value is usable: the limits take their
// defaults, pages are read with ingest.NewExtractor and fetched with
// ingest.NewFetcher's defaults, and both caches are on.
type Config struct {
	// Limits bounds what an article may be; zero fields take their
	// defaults (see Limits).
	Limits Limits
	// Extractor reads uploaded, fetched and imported HTML pages. Nil means
	// ingest.NewExtractor().
	Extractor ingest.Extractor
	// Fetcher downloads the pages of articles added by URL. Nil means
	// ingest.NewFetcher with its defaults, which refuse loopback, private
	// and other internal addresses.
	Fetcher PageFetcher
	// Logger receives what the desk does in the background (sweeps, a
	// report that could not be saved, a word-list entry left out). Nil
	// means slog.Default().
	Logger *slog.Logger
	// Now stamps new analyses; nil means time.Now.
	Now func() time.Time
	// NoCache turns the event and comparison caches off, for tests and
	// benchmarks that measure without them.
	NoCache bool
}

// Desk is the middle layer over one store. Build it with Open (or New);
// it is safe for concurrent use.
type Desk struct {
	store       *models.Store
	lexicon     *lexiconInForce
	limits      Limits
	extractor   ingest.Extractor
	fetcher     PageFetcher
	log         *slog.Logger
	now         func() time.Time
	readings    *stateCache[*Reading]
	comparisons *stateCache[[]byte]
	// readingBuilds and comparisonBuilds share a build among the callers
	// asking for the same state at once (flight.go).
	readingBuilds    *flights[*Reading]
	comparisonBuilds *flights[EventComparison]
	counts           counters

	sweepMu sync.Mutex
	sweeper *Sweeper // nil until KeepCurrent
}

// New returns a desk over store whose lexicon in force is analyzer's,
// with no class word list laid over it from the store: for tests and
// tools that build their analyzer themselves. Servers and commands use
// Open.
func New(store *models.Store, analyzer *analysis.Analyzer, cfg Config) *Desk {
	d := newDesk(store, cfg)
	d.lexicon = newLexiconInForce(analyzer.Lexicon(), analyzer)
	return d
}

// newDesk is a desk without a lexicon in force yet.
func newDesk(store *models.Store, cfg Config) *Desk {
	d := &Desk{
		store:     store,
		limits:    cfg.Limits.withDefaults(),
		extractor: cfg.Extractor,
		fetcher:   cfg.Fetcher,
		log:       cfg.Logger,
		now:       cfg.Now,
	}
	if d.extractor == nil {
		d.extractor = ingest.NewExtractor()
	}
	if d.fetcher == nil {
		d.fetcher = ingest.NewFetcher(ingest.FetcherOptions{})
	}
	if d.log == nil {
		d.log = slog.Default()
	}
	if d.now == nil {
		d.now = time.Now
	}
	d.readings = newStateCache[*Reading](maxReadingCacheEntries, maxReadingCacheBytes, cfg.NoCache)
	d.comparisons = newStateCache[[]byte](maxComparisonCacheEntries, maxComparisonCacheBytes, cfg.NoCache)
	d.readingBuilds = newFlights[*Reading]()
	d.comparisonBuilds = newFlights[EventComparison]()
	return d
}

// Store is the store the desk files into, for the plain reads and writes
// that need no recipe (events, exercises, language-model jobs).
func (d *Desk) Store() *models.Store { return d.store }

// Limits are the limits in force.
func (d *Desk) Limits() Limits { return d.limits }

// Analyzer is the analyzer of the lexicon in force. A caller that does
// several things with it (a request, an export) takes it once, so that
// one answer is never made with two lexicons.
func (d *Desk) Analyzer() *analysis.Analyzer { return d.lexicon.current.Load() }

// Version is the analysis version in force (Analyzer().Version()): what
// every stored report records and every staleness check compares.
func (d *Desk) Version() string { return d.Analyzer().Version() }

// Counts is the work a desk has done since it was made, for tests and
// benchmarks that measure what a request costs and for logs.
type Counts struct {
	// Analyses counts the articles analyzed (added, imported, redone).
	Analyses int64
	// EventReads counts the full reads of an event's articles from the
	// store.
	EventReads int64
	// ReportDecodes counts the stored reports decoded.
	ReportDecodes int64
	// ReadingHits and ComparisonHits count the event reads and the
	// comparisons answered from the caches; the misses were built.
	ReadingHits, ReadingMisses       int64
	ComparisonHits, ComparisonMisses int64
}

// counters are the atomic counts behind Counts.
type counters struct {
	analyses, eventReads, reportDecodes atomic.Int64
}

// Counts returns the work done so far.
func (d *Desk) Counts() Counts {
	rh, rm := d.readings.stats()
	ch, cm := d.comparisons.stats()
	return Counts{
		Analyses:      d.counts.analyses.Load(),
		EventReads:    d.counts.eventReads.Load(),
		ReportDecodes: d.counts.reportDecodes.Load(),
		ReadingHits:   rh, ReadingMisses: rm,
		ComparisonHits: ch, ComparisonMisses: cm,
	}
}

// defaultWorkers is the size of the worker pool when none is given: one
// goroutine per CPU Go may use.
func defaultWorkers() int { return runtime.GOMAXPROCS(0) }
