package main

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime"
	"slices"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // "pgx" for database/sql, for the size queries
	_ "github.com/mattn/go-sqlite3"    // "sqlite3" for database/sql, for the checkpoint

	"slant/analysis"
	"slant/api"
	"slant/desk"
	"slant/ingest"
	"slant/models"
)

// scaleOutlets is how many outlets the generated corpus spreads over; each
// event's articles come from different ones.
const scaleOutlets = 50

// scaleCommand imports a generated corpus into an empty database through
// the same code as `slant import` (desk.Import, one transaction per batch),
// reports the import time and the database size, then serves the API on
// loopback from this process (api.New over the same desk, as `slant
// serve` does) and times the event pages over HTTP.
func scaleCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	opts, err := parseScaleFlags(args, stderr)
	if err != nil {
		return err
	}
	store, err := models.Open(ctx, models.Config{Driver: opts.driver, DSN: opts.dsn})
	if err != nil {
		return err
	}
	defer store.Close()
	if n, err := store.CountEvents(ctx); err != nil {
		return err
	} else if n > 0 {
		return fmt.Errorf("the database already holds %d events: give scale an empty one, so the figures mean what they say", n)
	}
	lex, err := analysis.BuiltinLexicon()
	if err != nil {
		return err
	}
	analyzer, err := analysis.NewAnalyzer(lex)
	if err != nil {
		return err
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	d := desk.New(store, analyzer, desk.Config{Logger: logger})
	gen, err := newTextGenerator(opts.seed)
	if err != nil {
		return err
	}

	fmt.Fprintf(stdout, "# slantload scale: %d articles (%d words, %d per event) into %s on %d CPUs (%s/%s)\n\n",
		opts.articles, opts.words, opts.perEvent, store.Driver(), runtime.NumCPU(), runtime.GOOS, runtime.GOARCH)
	events, err := importScaleCorpus(ctx, d, gen, opts, stdout, stderr)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "## Size\n\n")
	if err := reportSize(ctx, stdout, store.Driver(), opts.dsn); err != nil {
		return err
	}

	// Serve the API from this process, over the same desk.
	server := api.New(d, nil, api.Config{Logger: logger, Version: "slantload-scale"})
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	httpServer := &http.Server{Handler: server.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = httpServer.Serve(listener) }()
	defer httpServer.Close()
	pages := eventPages{base: "http://" + listener.Addr().String(), client: newClient(opts.conc)}
	if err := pages.timeLatency(ctx, events, opts.requests, stdout); err != nil {
		return err
	}
	return pages.timeUnderLoad(ctx, events, opts.conc, opts.dur, stdout)
}

// scaleOptions are the flags of `slantload scale`.
type scaleOptions struct {
	driver, dsn                      string
	articles, perEvent, words, batch int
	workers, requests, conc          int
	dur                              time.Duration
	seed                             uint64
}

// parseScaleFlags reads and checks the flags of `slantload scale`.
func parseScaleFlags(args []string, stderr io.Writer) (scaleOptions, error) {
	fs := flag.NewFlagSet("slantload scale", flag.ContinueOnError)
	fs.SetOutput(stderr)
	driver := fs.String("driver", "sqlite", "database: sqlite or postgres")
	dsn := fs.String("dsn", "", "SQLite file (created) or PostgreSQL URL of an empty database")
	articles := fs.Int("articles", 100_000, "articles to generate and import")
	perEvent := fs.Int("per-event", 6, "articles per event, each from a different outlet")
	words := fs.Int("words", 400, "words per generated article")
	batch := fs.Int("batch", 5000, "articles per import batch (one transaction each)")
	workers := fs.Int("workers", 0, "analysis workers (0: one per CPU)")
	requests := fs.Int("requests", 200, "requests per latency measurement")
	conc := fs.Int("c", 8, "connections of the concurrent measurement")
	dur := fs.Duration("d", 5*time.Second, "duration of each concurrent measurement")
	seed := fs.Uint64("seed", 1, "seed of the generated texts")
	if err := fs.Parse(args); err != nil {
		return scaleOptions{}, err
	}
	switch {
	case fs.NArg() > 0:
		return scaleOptions{}, fmt.Errorf("scale takes no arguments, got %q", fs.Args())
	case *dsn == "":
		return scaleOptions{}, errors.New("scale needs -dsn: a SQLite file to create or the URL of an empty PostgreSQL database")
	case *articles < 1 || *perEvent < 1 || *perEvent > scaleOutlets || *batch < 1 || *requests < 1:
		return scaleOptions{}, fmt.Errorf("-articles, -batch and -requests must be positive and -per-event from 1 to %d", scaleOutlets)
	}
	return scaleOptions{driver: *driver, dsn: *dsn, articles: *articles, perEvent: *perEvent, words: *words, batch: *batch,
		workers: *workers, requests: *requests, conc: *conc, dur: *dur, seed: *seed}, nil
}

// importScaleCorpus generates the corpus batch by batch and imports each
// batch, writing the import section; it returns the ids of the events
// made, in the order they were made. Only the import is timed, not the
// generation of the texts.
func importScaleCorpus(ctx context.Context, d *desk.Desk, gen *textGenerator, opts scaleOptions, stdout, stderr io.Writer) ([]int64, error) {
	events := make([]int64, 0, opts.articles/opts.perEvent+1)
	var genTime, importTime time.Duration
	var textBytes int64
	for done := 0; done < opts.articles; done += opts.batch {
		size := min(opts.batch, opts.articles-done)
		start := time.Now()
		records := scaleRecords(gen, opts, done, size)
		for _, r := range records {
			textBytes += int64(len(r.Text))
		}
		genTime += time.Since(start)
		start = time.Now()
		res, err := d.Import(ctx, ingest.SliceReader(records), desk.ImportOptions{Mode: desk.ModeStrict, Workers: opts.workers, Unlimited: true})
		if err != nil {
			return nil, fmt.Errorf("import batch at article %d: %w", done, err)
		}
		took := time.Since(start)
		importTime += took
		if res.Added != size {
			return nil, fmt.Errorf("import batch at article %d: stored %d of %d", done, res.Added, size)
		}
		for _, e := range res.Events {
			if e.Created {
				events = append(events, e.ID)
			}
		}
		fmt.Fprintf(stderr, "imported %d/%d: batch of %d in %s (%.0f/s), %.0f/s overall\n",
			done+size, opts.articles, size, took.Round(time.Millisecond), float64(size)/took.Seconds(), float64(done+size)/importTime.Seconds())
	}
	fmt.Fprintf(stdout, "## Import\n\n")
	fmt.Fprintf(stdout, "- %d articles in %d events, %.1f MB of text, in batches of %d (one transaction each)\n", opts.articles, len(events), float64(textBytes)/1e6, opts.batch)
	fmt.Fprintf(stdout, "- import, analysis included: %s, %.0f articles/s (generating the texts took another %s, not counted)\n\n",
		importTime.Round(time.Millisecond), float64(opts.articles)/importTime.Seconds(), genTime.Round(time.Millisecond))
	return events, nil
}

// scaleRecords generates the size articles from number done on: each
// event's opts.perEvent articles come from different outlets, one event a
// day through 2025.
func scaleRecords(gen *textGenerator, opts scaleOptions, done, size int) []ingest.Record {
	published := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	records := make([]ingest.Record, size)
	for i := range records {
		idx := done + i
		ev, k := idx/opts.perEvent, idx%opts.perEvent
		outlet := (ev*7 + k) % scaleOutlets
		day := published.AddDate(0, 0, ev%365)
		records[i] = ingest.Record{
			Line:        i + 1,
			Event:       fmt.Sprintf("Scale event %06d", ev),
			Outlet:      fmt.Sprintf("Scale Outlet %02d", outlet),
			Title:       fmt.Sprintf("Event %d as told by outlet %d", ev, outlet),
			URL:         fmt.Sprintf("https://outlet%02d.example/%d", outlet, idx),
			PublishedAt: &day,
			Text:        gen.article(fmt.Sprintf("Report %d on event %d.", idx, ev), opts.words),
		}
	}
	return records
}

// eventPages are the event pages of the API served on loopback.
type eventPages struct {
	base   string
	client *http.Client
}

// event is the URL of an event as the page reads it: with its texts and
// reports.
func (p eventPages) event(id int64) string {
	return fmt.Sprintf("%s/api/v1/events/%d?include=text,report", p.base, id)
}

// comparison is the URL of an event's comparison.
func (p eventPages) comparison(id int64) string {
	return fmt.Sprintf("%s/api/v1/events/%d/comparison", p.base, id)
}

// timeLatency writes the latency table: one request at a time, the event
// in the middle of the import repeated, and first visits of events spread
// over the whole database (which miss the caches).
func (p eventPages) timeLatency(ctx context.Context, events []int64, requests int, stdout io.Writer) error {
	target := events[len(events)/2]
	sample := spread(events, requests)
	repeat := func(url string) []string { return slices.Repeat([]string{url}, requests) }
	mapURLs := func(ids []int64, f func(int64) string) []string {
		out := make([]string, len(ids))
		for i, id := range ids {
			out[i] = f(id)
		}
		return out
	}

	fmt.Fprintf(stdout, "## Latency over HTTP on loopback, one client, one request at a time\n\n")
	fmt.Fprintf(stdout, "The event in the middle of the import (id %d) for the repeated rows; %d events spread over the whole database for the first-visit rows.\n\n", target, len(sample))
	fmt.Fprintf(stdout, "| request | n | p50 | p90 | p99 | max |\n|---|---|---|---|---|---|\n")
	rows := []struct {
		name string
		urls []string
	}{
		{"GET event, first visit of each event", mapURLs(sample, p.event)},
		{"GET comparison, first visit (built, cache miss)", mapURLs(sample, p.comparison)},
		{"GET comparison, second visit (cache hit)", mapURLs(sample, p.comparison)},
		{"GET event, one event repeated", repeat(p.event(target))},
		{"GET comparison, one event repeated", repeat(p.comparison(target))},
		{"GET events list, newest 20", repeat(p.base + "/api/v1/events?limit=20")},
		{"GET events search (q=event 050000)", repeat(p.base + "/api/v1/events?q=event+050000")},
	}
	for _, row := range rows {
		lat, err := timeSequential(ctx, p.client, row.urls)
		if err != nil {
			return fmt.Errorf("%s: %w", row.name, err)
		}
		fmt.Fprintf(stdout, "| %s | %d | %s | %s | %s | %s |\n", row.name, len(lat),
			ms(percentile(lat, 50)), ms(percentile(lat, 90)), ms(percentile(lat, 99)), ms(lat[len(lat)-1]))
	}
	return nil
}

// timeUnderLoad writes the event and its comparison under conc
// connections for dur each, closed loop, on the event in the middle of
// the import; a failed request fails the run.
func (p eventPages) timeUnderLoad(ctx context.Context, events []int64, conc int, dur time.Duration, stdout io.Writer) error {
	target := events[len(events)/2]
	fmt.Fprintf(stdout, "\n## Under load: %d connections for %s each, closed loop\n\n", conc, dur)
	for _, r := range []struct {
		name string
		url  string
	}{{"event", p.event(target)}, {"comparison", p.comparison(target)}} {
		res := runLoad(ctx, p.client, r.name, request{method: "GET", url: r.url}, loadOptions{Concurrency: conc, Duration: dur, Warmup: time.Second})
		fmt.Fprintf(stdout, "- %s\n", res)
		if res.Errors > 0 {
			return fmt.Errorf("%s: %d requests failed (%s)", r.name, res.Errors, statusSummary(res.Statuses))
		}
	}
	return nil
}

// spread picks up to n ids evenly over ids.
func spread(ids []int64, n int) []int64 {
	if n >= len(ids) {
		return slices.Clone(ids)
	}
	out := make([]int64, n)
	for i := range out {
		out[i] = ids[i*len(ids)/n]
	}
	return out
}

// timeSequential GETs each URL in turn and returns the latencies, sorted.
// Anything but 200 is an error.
func timeSequential(ctx context.Context, client *http.Client, urls []string) ([]time.Duration, error) {
	lat := make([]time.Duration, 0, len(urls))
	for _, u := range urls {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if err != nil {
			return nil, err
		}
		start := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			return nil, err
		}
		_, err = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		lat = append(lat, time.Since(start))
		if err != nil {
			return nil, err
		}
		if resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("GET %s: %d", u, resp.StatusCode)
		}
	}
	slices.Sort(lat)
	return lat, nil
}

// reportSize writes the database's size on disk: the SQLite file after a
// checkpoint folds the write-ahead log into it, or PostgreSQL's own count
// of the database and its tables (indexes and TOAST included).
func reportSize(ctx context.Context, w io.Writer, driver, dsn string) error {
	switch driver {
	case models.DriverSQLite:
		path, _, _ := strings.Cut(dsn, "?")
		db, err := sql.Open("sqlite3", path)
		if err != nil {
			return err
		}
		defer db.Close()
		if _, err := db.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
			return fmt.Errorf("checkpoint: %w", err)
		}
		var total int64
		for _, suffix := range []string{"", "-wal", "-shm"} {
			if info, err := os.Stat(path + suffix); err == nil {
				total += info.Size()
			}
		}
		fmt.Fprintf(w, "- SQLite file after a checkpoint: %.1f MB (%s and its -wal/-shm)\n\n", float64(total)/1e6, path)
	case models.DriverPostgres:
		db, err := sql.Open("pgx", dsn)
		if err != nil {
			return err
		}
		defer db.Close()
		var total int64
		if err := db.QueryRowContext(ctx, "SELECT pg_database_size(current_database())").Scan(&total); err != nil {
			return fmt.Errorf("database size: %w", err)
		}
		fmt.Fprintf(w, "- PostgreSQL database: %.1f MB (pg_database_size)\n", float64(total)/1e6)
		for _, table := range []string{"articles", "analyses", "events", "outlets"} {
			var size int64
			if err := db.QueryRowContext(ctx, "SELECT pg_total_relation_size($1::regclass)", table).Scan(&size); err != nil {
				return fmt.Errorf("size of %s: %w", table, err)
			}
			fmt.Fprintf(w, "  - %s: %.1f MB with indexes and TOAST\n", table, float64(size)/1e6)
		}
		fmt.Fprintln(w)
	}
	return nil
}
