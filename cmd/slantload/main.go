// Command slantload measures a running Slant over HTTP: throughput and
// latency percentiles of the event comparison and of the analysis of
// pasted text, and, with `scale`, what a database of many generated
// articles costs in import time, size and page latency.
//
//	slantload comparison [flags]   GET /api/v1/events/{id}/comparison of a 4-outlet event
//	slantload analyze [flags]      POST /api/v1/analyze with 1,000-word articles
//	slantload scale [flags]        import N generated articles, then time the event pages
//	slantload corpus [flags]       write a generated import file (JSON Lines) to standard output
//
// The comparison run creates its own event (four outlets, 1,000-word
// articles) through the API unless -event names one; the server must let
// it write (-token, or SLANT_ADMIN_TOKEN in the environment, when it needs
// the admin token). The analyze run needs SLANT_RATE_ANALYZE=0 on the
// server and the comparison run SLANT_RATE_READ=0, or the per-client rate
// limits answer 429. See docs/performance.md
// and docs/scale.md for the commands behind the published figures.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"slant/internal/synthetic"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(2)
		}
		fmt.Fprintln(os.Stderr, "slantload:", err)
		os.Exit(1)
	}
}

const usage = `usage:
  slantload comparison [-url U] [-event ID] [-c N] [-d 10s] [-rate R] [-min-rps X] [-max-p99 D]
  slantload analyze    [-url U] [-words 1000] [-c N] [-d 10s] [-rate R] [-min-rps X] [-max-p99 D]
  slantload scale      -driver sqlite|postgres -dsn PATH|URL [-articles 100000] [-per-event 6]
  slantload corpus     [-articles 10000] [-words 400] [-plain] > corpus.jsonl
run "slantload COMMAND -h" for the flags of one command`

// errTargetMissed is returned when a run is below -min-rps or above
// -max-p99, so that scripts can tell.
var errTargetMissed = errors.New("target missed")

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprintln(stderr, usage)
		return flag.ErrHelp
	}
	cmd, args := args[0], args[1:]
	switch cmd {
	case "comparison", "analyze":
		return loadCommand(ctx, cmd, args, getenv, stdout, stderr)
	case "scale":
		return scaleCommand(ctx, args, stdout, stderr)
	case "corpus":
		return corpusCommand(args, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprintln(stdout, usage)
		return nil
	}
	fmt.Fprintln(stderr, usage)
	return fmt.Errorf("unknown command %q", cmd)
}

// loadCommand runs one of the HTTP load measurements.
func loadCommand(ctx context.Context, cmd string, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("slantload "+cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	base := fs.String("url", "http://127.0.0.1:8080", "base URL of the Slant server")
	token := fs.String("token", getenv("SLANT_ADMIN_TOKEN"), "admin token for the setup writes and, on a Slant with a token, the reads (default $SLANT_ADMIN_TOKEN)")
	eventID := fs.Int64("event", 0, "comparison: an existing event to compare instead of creating one")
	outlets := fs.Int("outlets", 4, "comparison: outlets (articles) of the created event")
	words := fs.Int("words", 1000, "words per generated article")
	texts := fs.Int("texts", 64, "analyze: distinct texts sent in turn")
	conc := fs.Int("c", 8, "connections, each with one request in flight")
	dur := fs.Duration("d", 10*time.Second, "measured duration")
	warmup := fs.Duration("warmup", 2*time.Second, "unmeasured warm-up before the measurement")
	rate := fs.Float64("rate", 0, "open loop: send this many requests a second on a fixed schedule (0: as fast as possible)")
	minRPS := fs.Float64("min-rps", 0, "fail (exit 1) below this many requests a second")
	maxP99 := fs.Duration("max-p99", 0, "fail (exit 1) when the 99th percentile is above this")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%s takes no arguments, got %q", cmd, fs.Args())
	}
	api := newAPIClient(*base, *token)
	if err := api.health(ctx); err != nil {
		return err
	}
	gen, err := newTextGenerator(uint64(*words))
	if err != nil {
		return err
	}
	var req request
	switch cmd {
	case "comparison":
		req, err = comparisonRequest(ctx, api, gen, *eventID, *outlets, *words, stderr)
	case "analyze":
		req, err = analyzeRequest(api, gen, *texts, *words)
	}
	if err != nil {
		return err
	}
	if *token != "" {
		// With a token set, reads are the token holder's too.
		if req.header == nil {
			req.header = map[string][]string{}
		}
		req.header["Authorization"] = []string{"Bearer " + *token}
	}
	res := runLoad(ctx, newClient(*conc), cmd, req, loadOptions{Concurrency: *conc, Duration: *dur, Warmup: *warmup, Rate: *rate})
	if err := printLoad(stdout, res, *asJSON); err != nil {
		return err
	}
	if res.Statuses[429] > 0 {
		fmt.Fprintln(stderr, "note: 429 answers: start the server with SLANT_RATE_ANALYZE=0, SLANT_RATE_READ=0 (and SLANT_RATE_WRITE=0) for load runs")
	}
	if missed := missedTargets(res, *minRPS, *maxP99); len(missed) > 0 {
		return fmt.Errorf("%w: %v", errTargetMissed, missed)
	}
	return nil
}

// comparisonRequest is the GET of an event's comparison: eventID's, or,
// when it is 0, that of an event created with outlets articles of words
// words each.
func comparisonRequest(ctx context.Context, api *apiClient, gen *textGenerator, eventID int64, outlets, words int, stderr io.Writer) (request, error) {
	id := eventID
	if id == 0 {
		var err error
		if id, err = api.createEvent(ctx, gen, outlets, words); err != nil {
			return request{}, err
		}
		fmt.Fprintf(stderr, "created event %d with %d outlets of %d words\n", id, outlets, words)
	}
	return request{method: "GET", url: fmt.Sprintf("%s/api/v1/events/%d/comparison", api.base, id)}, nil
}

// analyzeRequest is the POST of pasted text, with texts distinct articles
// of words words sent in turn, so that no cache answers for the analysis.
func analyzeRequest(api *apiClient, gen *textGenerator, texts, words int) (request, error) {
	req := request{method: "POST", url: api.base + "/api/v1/analyze", header: map[string][]string{"Content-Type": {"application/json"}}}
	for i := range texts {
		body, err := json.Marshal(map[string]string{
			"title": fmt.Sprintf("Load test article %d", i),
			"text":  gen.article(fmt.Sprintf("Report %d from the load test.", i), words),
		})
		if err != nil {
			return request{}, err
		}
		req.bodies = append(req.bodies, body)
	}
	return req, nil
}

// printLoad writes a run's result: as JSON, or as its line and the
// status counts.
func printLoad(stdout io.Writer, res loadResult, asJSON bool) error {
	if asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	fmt.Fprintln(stdout, res)
	fmt.Fprintln(stdout, "            statuses:", statusSummary(res.Statuses))
	return nil
}

// missedTargets lists how a run fell short: no request done, failed
// requests, or below -min-rps or above -max-p99 when they are set.
func missedTargets(res loadResult, minRPS float64, maxP99 time.Duration) []string {
	var missed []string
	if res.Requests == 0 {
		missed = append(missed, "no request completed")
	}
	if res.Errors > 0 {
		missed = append(missed, fmt.Sprintf("%d requests failed", res.Errors))
	}
	if minRPS > 0 && res.RPS < minRPS {
		missed = append(missed, fmt.Sprintf("%.0f req/s is below %.0f", res.RPS, minRPS))
	}
	if maxP99 > 0 && res.P99 > maxP99 {
		missed = append(missed, fmt.Sprintf("p99 %s is above %s", ms(res.P99), ms(maxP99)))
	}
	return missed
}

// corpusCommand writes a generated import file: a researcher's corpus
// (an id and three fields per article: section, stance, wordcount) or,
// with -plain, the articles alone. The same flags always give the same
// file; docs/scale.md and docs/research.md use it.
func corpusCommand(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("slantload corpus", flag.ContinueOnError)
	fs.SetOutput(stderr)
	articles := fs.Int("articles", 10000, "articles to write, ten per event")
	words := fs.Int("words", 400, "words per article")
	plain := fs.Bool("plain", false, "no id and no extra fields")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("corpus takes no arguments, got %q", fs.Args())
	}
	return synthetic.WriteJSONL(stdout, synthetic.Options{Articles: *articles, Words: *words, Corpus: !*plain})
}
