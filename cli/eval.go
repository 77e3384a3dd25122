package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"slant/analysis"
	"slant/evaluation"
	"slant/internal/workspace"
	"slant/llm"
)

// evalCommand is `slant eval`: it measures the analysis on the labelled
// public data in the shared eval folder and prints the metrics of
// eval/README.md as a table (or JSON), optionally checking them against a
// floors file or writing a new one.
func evalCommand(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	req, err := parseEvalFlags(args, stdout)
	if err != nil || req.helped {
		return err
	}
	if req.useLLM {
		return evalLLMCommand(ctx, req.flags, llmRun{
			dataDir: req.dataDir, datasets: req.datasets, split: req.split, limit: req.llmLimit, asJSON: req.asJSON,
		}, getenv, stdout, stderr)
	}
	if isSet(req.flags, "llm-limit") {
		return UsageError{"eval: --llm-limit needs --llm"}
	}
	if req.useEntries {
		return evalEntriesCommand(ctx, req.flags, entriesRun{
			dataDir: req.dataDir, split: req.split, limit: req.limit, workers: req.workers, asJSON: req.asJSON,
		}, getenv, stdout, stderr)
	}
	var floors evaluation.Floors
	if req.checkFloors != "" {
		var split evaluation.Split
		if floors, split, err = evaluation.ReadFloors(req.checkFloors); err != nil {
			return err
		}
		if split != req.split {
			// A half of the data gives other figures than the whole: checked
			// against floors set on another split, a run fails or passes for
			// no reason of its own.
			return UsageError{fmt.Sprintf("eval: the floors in %s were set on --split %s, and this run is --split %s: figures on other records do not compare with them; run with --split %s, or write floors for this split with --write-floors FILE --split %s",
				req.checkFloors, split, req.split, split, req.split)}
		}
	}
	result, err := runEval(ctx, req, getenv, stderr)
	if err != nil {
		return err
	}
	if err := writeEvalResult(stdout, result, req.asJSON); err != nil {
		return err
	}
	if req.writeFloors != "" {
		if err := evaluation.WriteFloors(req.writeFloors, req.split, evaluation.FloorsFrom(result, req.margin)); err != nil {
			return err
		}
		fmt.Fprintf(stderr, "eval: wrote floors for --split %s (figures less %.3f) to %s\n", req.split, req.margin, req.writeFloors)
	}
	if floors != nil {
		return checkEvalFloors(stderr, floors, result, req.checkFloors)
	}
	return nil
}

// evalRequest is what `slant eval` was asked to do, its flags read and
// checked.
type evalRequest struct {
	flags                    *flag.FlagSet
	helped                   bool // --help was asked for and printed
	dataDir                  string
	datasets, explain        []evaluation.Dataset
	split                    evaluation.Split
	limit, workers, top      int
	checkFloors, writeFloors string
	margin                   float64
	asJSON, useLLM           bool
	useEntries               bool
	llmLimit                 int
}

// parseEvalFlags reads and checks the flags of `slant eval`; --help prints
// the usage on stdout.
func parseEvalFlags(args []string, stdout io.Writer) (evalRequest, error) {
	var req evalRequest
	flags := flag.NewFlagSet("eval", flag.ContinueOnError)
	flags.SetOutput(io.Discard)
	req.flags = flags
	flags.StringVar(&req.dataDir, "data", "", "folder holding basil.jsonl, babe.jsonl, wnc.jsonl, allsides.jsonl, framing_gvfc.jsonl, framing_semeval23.jsonl (default: the shared eval folder); the cross-fitted WNC models train on its wnc.jsonl and the shared folder's word lists")
	datasetList := flags.String("dataset", "all", "comma-separated datasets: basil,babe,wnc,allsides,framing_gvfc,framing_semeval23")
	flags.BoolVar(&req.asJSON, "json", false, "print the result as JSON")
	splitName := flags.String("split", "all", "dev, test or all: the FNV-hashed half of each dataset")
	flags.IntVar(&req.limit, "limit", 0, "evaluate only the first N records of each dataset (0: all)")
	flags.IntVar(&req.workers, "workers", 0, "analysis workers (0: GOMAXPROCS)")
	flags.StringVar(&req.checkFloors, "check-floors", "", "fail, naming each metric, when a metric is below its floor in FILE (written for the same --split)")
	flags.StringVar(&req.checkFloors, "floors", "", "same as --check-floors")
	flags.StringVar(&req.writeFloors, "write-floors", "", "write FILE with the current figures less --margin, for this --split")
	flags.Float64Var(&req.margin, "margin", evaluation.DefaultMargin, "how far below the measured figures --write-floors sets the floors")
	explainList := flags.String("explain", "", "basil, babe, framing_gvfc, framing_semeval23 or all: list top false-positive and missed words, or the frames confused")
	flags.IntVar(&req.top, "top", 20, "how many words --explain lists")
	flags.BoolVar(&req.useLLM, "llm", false, "measure the LLM layer (SLANT_LLM_*) on babe and wnc, beside the word lists on the same sentences")
	flags.IntVar(&req.llmLimit, "llm-limit", evaluation.DefaultLLMLimit, "with --llm: the most sentences per dataset sent to the model")
	flags.BoolVar(&req.useEntries, "entries", false, "list every lexicon entry's own-voice hits in biased and neutral BABE sentences (--split, default dev) and in the neutral demo wire")
	if err := flags.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(stdout, "usage: slant eval [flags]\n\nMeasures the analysis on the labelled public data (metrics defined in the eval folder's README.md).\n\nflags:")
			flags.SetOutput(stdout)
			flags.PrintDefaults()
			req.helped = true
			return req, nil
		}
		return req, UsageError{fmt.Sprintf("eval: %v", err)}
	}
	if flags.NArg() > 0 {
		return req, UsageError{fmt.Sprintf("eval: unexpected argument %q", flags.Arg(0))}
	}
	var err error
	if req.datasets, err = evaluation.ParseDatasets(*datasetList); err != nil {
		return req, UsageError{"eval: " + err.Error()}
	}
	if req.split, err = evaluation.ParseSplit(*splitName); err != nil {
		return req, UsageError{"eval: " + err.Error()}
	}
	if req.explain, err = explainDatasets(*explainList, req.datasets); err != nil {
		return req, UsageError{"eval: " + err.Error()}
	}
	return req, req.check()
}

// check refuses flags that do not go together.
func (req evalRequest) check() error {
	switch {
	case req.limit < 0 || req.workers < 0 || req.top <= 0:
		return UsageError{"eval: --limit and --workers must not be negative, --top must be positive"}
	case req.margin < 0 || req.margin >= 1:
		return UsageError{"eval: --margin must be in [0, 1)"}
	case req.writeFloors != "" && req.checkFloors != "":
		return UsageError{"eval: use --check-floors or --write-floors, not both"}
	case req.writeFloors != "" && (req.limit > 0 || len(req.datasets) != len(evaluation.AllDatasets())):
		return UsageError{"eval: --write-floors needs the full run (every dataset, no --limit); the file records the --split it was set on"}
	case req.checkFloors != "" && req.limit > 0:
		// Floors are figures of every record of the split; the first N
		// records give other figures, which pass or fail by chance.
		return UsageError{"eval: --check-floors compares the whole split with its floors, and --limit measures only the first records of each dataset: drop --limit"}
	}
	return nil
}

// runEval analyzes the datasets with the base lexicon, drawing a progress
// bar on a terminal.
func runEval(ctx context.Context, req evalRequest, getenv func(string) string, stderr io.Writer) (*evaluation.Result, error) {
	dir, err := evalDataDir(req.dataDir, getenv)
	if err != nil {
		return nil, err
	}
	analyzer, err := baseAnalyzer(getenv)
	if err != nil {
		return nil, err
	}
	opts := evaluation.Options{Split: req.split, Limit: req.limit, Workers: req.workers, Explain: req.explain, Top: req.top}
	if slices.Contains(req.datasets, evaluation.WNC) {
		// The shipped model was trained on every WNC pair, so its WNC
		// figure is measured with models that never saw the pair they
		// score, trained from the same files by the same code.
		set, err := crossFitTrainingSet(req.dataDir, dir, getenv)
		if err != nil {
			fmt.Fprintf(stderr, "eval: wnc.biased_above_neutral_model not measured: %v\n", err)
		} else if opts.CrossFit, err = evaluation.TrainCrossFit(analyzer.Lexicon(), set); err != nil {
			return nil, fmt.Errorf("eval: %w", err)
		}
	}
	bar := &progressBar{w: stderr}
	opts.Progress = bar.onTerminal()
	result, err := evaluation.Run(ctx, analyzer, dir, req.datasets, opts)
	bar.clear() // before anything else reaches the terminal
	if err != nil {
		return nil, fmt.Errorf("eval: %w", err)
	}
	return result, nil
}

// writeEvalResult prints the result as JSON, or as a table followed by
// the words --explain asked for.
func writeEvalResult(stdout io.Writer, result *evaluation.Result, asJSON bool) error {
	return writeResult(stdout, explained{result}, asJSON)
}

// writableResult is what each kind of `slant eval` run produces: a table
// for people and JSON for scripts.
type writableResult interface {
	WriteJSON(io.Writer) error
	WriteTable(io.Writer) error
}

// explained is the main evaluation's result, whose table is followed by
// the words (or frames) behind its misses when --explain asked for them.
type explained struct{ *evaluation.Result }

func (r explained) WriteTable(w io.Writer) error {
	if err := r.Result.WriteTable(w); err != nil {
		return err
	}
	return r.WriteExplain(w)
}

// writeResult writes a result as JSON or as a table, buffered.
func writeResult(stdout io.Writer, result writableResult, asJSON bool) error {
	out := bufio.NewWriter(stdout)
	var err error
	if asJSON {
		err = result.WriteJSON(out)
	} else {
		err = result.WriteTable(out)
	}
	if err == nil {
		err = out.Flush()
	}
	if err != nil {
		return fmt.Errorf("eval: write result: %w", err)
	}
	return nil
}

// checkEvalFloors fails, naming each metric, when the result is below the
// floors read from file.
func checkEvalFloors(stderr io.Writer, floors evaluation.Floors, result *evaluation.Result, file string) error {
	short, skipped := floors.Check(result)
	if len(skipped) > 0 {
		fmt.Fprintf(stderr, "eval: not checked (dataset not run): %s\n", strings.Join(skipped, ", "))
	}
	if len(short) > 0 {
		msgs := make([]string, len(short))
		for i, s := range short {
			msgs[i] = s.Error()
		}
		return fmt.Errorf("eval: %d metric(s) below their floors in %s: %s", len(short), file, strings.Join(msgs, "; "))
	}
	fmt.Fprintf(stderr, "eval: every checked metric is at or above its floor in %s\n", file)
	return nil
}

// llmRun is what `slant eval --llm` was asked to do.
type llmRun struct {
	dataDir  string
	datasets []evaluation.Dataset
	split    evaluation.Split
	limit    int
	asJSON   bool
}

// evalLLMCommand is `slant eval --llm`: it measures the LLM layer's
// sentence verdicts on BABE and WNC, and the word lists' on the same
// sentences. Without SLANT_LLM_BASE_URL and SLANT_LLM_MODEL it fails,
// saying so.
func evalLLMCommand(ctx context.Context, flags *flag.FlagSet, run llmRun, getenv func(string) string, stdout, stderr io.Writer) error {
	datasets, err := run.check(flags)
	if err != nil {
		return err
	}
	cfg, err := evaluation.LLMFromEnv(getenv)
	if err != nil {
		return fmt.Errorf("eval: %w", err)
	}
	dir, err := evalDataDir(run.dataDir, getenv)
	if err != nil {
		return err
	}
	analyzer, err := baseAnalyzer(getenv)
	if err != nil {
		return err
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	client, err := llm.New(cfg, llm.WithLogger(logger))
	if err != nil {
		return fmt.Errorf("eval: %w", err)
	}
	fmt.Fprintf(stderr, "eval: asking %s about at most %d sentences per dataset\n", client.Describe(), run.limit)
	opts := evaluation.LLMOptions{Split: run.split, Limit: run.limit}
	bar := &progressBar{w: stderr}
	opts.Progress = bar.onTerminal()
	result, err := evaluation.RunLLM(ctx, analyzer, client, dir, datasets, opts)
	bar.clear()
	if err != nil {
		return fmt.Errorf("eval: %w", err)
	}
	return writeResult(stdout, result, run.asJSON)
}

// check refuses the flags that do not go with --llm and returns the
// datasets the model is measured on.
func (run llmRun) check(flags *flag.FlagSet) ([]evaluation.Dataset, error) {
	for _, name := range []string{"limit", "check-floors", "floors", "write-floors", "explain"} {
		if isSet(flags, name) {
			return nil, UsageError{fmt.Sprintf("eval: --%s does not go with --llm (use --llm-limit to bound the run)", name)}
		}
	}
	if run.limit <= 0 {
		return nil, UsageError{"eval: --llm-limit must be positive"}
	}
	var datasets []evaluation.Dataset
	for _, ds := range run.datasets {
		if slices.Contains(evaluation.LLMDatasets(), ds) {
			datasets = append(datasets, ds)
		}
	}
	if len(datasets) == 0 {
		return nil, UsageError{"eval: --llm measures babe and wnc: put one of them in --dataset"}
	}
	return datasets, nil
}

// entriesRun is what `slant eval --entries` was asked to do.
type entriesRun struct {
	dataDir        string
	split          evaluation.Split
	limit, workers int
	asJSON         bool
}

// evalEntriesCommand is `slant eval --entries`: the precision of the word
// list, entry by entry, on BABE (the dev half unless --split says
// otherwise, since that is the half the lexicon is tuned on) and the
// neutral demo wire.
func evalEntriesCommand(ctx context.Context, flags *flag.FlagSet, run entriesRun, getenv func(string) string, stdout, stderr io.Writer) error {
	for _, name := range []string{"dataset", "check-floors", "floors", "write-floors", "explain", "top"} {
		if isSet(flags, name) {
			return UsageError{fmt.Sprintf("eval: --%s does not go with --entries", name)}
		}
	}
	if !isSet(flags, "split") {
		run.split = evaluation.SplitDev
	}
	dir, err := evalDataDir(run.dataDir, getenv)
	if err != nil {
		return err
	}
	analyzer, err := baseAnalyzer(getenv)
	if err != nil {
		return err
	}
	opts := evaluation.Options{Split: run.split, Limit: run.limit, Workers: run.workers}
	bar := &progressBar{w: stderr}
	opts.Progress = bar.onTerminal()
	result, err := evaluation.RunEntries(ctx, analyzer, dir, opts)
	bar.clear()
	if err != nil {
		return fmt.Errorf("eval: %w", err)
	}
	return writeResult(stdout, result, run.asJSON)
}

// isSet reports whether the flag was given on the command line.
func isSet(flags *flag.FlagSet, name string) bool {
	set := false
	flags.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// explainable are the datasets --explain works on: token labels (basil,
// babe) and frame labels.
var explainable = []evaluation.Dataset{evaluation.Basil, evaluation.Babe, evaluation.FramingGVFC, evaluation.FramingSemEval}

// explainDatasets reads --explain: a list of explainable datasets, or all
// (which means those of them being run).
func explainDatasets(list string, running []evaluation.Dataset) ([]evaluation.Dataset, error) {
	if strings.TrimSpace(list) == "" {
		return nil, nil
	}
	if list == "all" {
		var out []evaluation.Dataset
		for _, ds := range explainable {
			if slices.Contains(running, ds) {
				out = append(out, ds)
			}
		}
		return out, nil
	}
	wanted, err := evaluation.ParseDatasets(list)
	if err != nil {
		return nil, fmt.Errorf("--explain: %w", err)
	}
	for _, ds := range wanted {
		if !slices.Contains(explainable, ds) {
			return nil, fmt.Errorf("--explain works on basil and babe (token labels) and the framing datasets, not %s", ds)
		}
		if !slices.Contains(running, ds) {
			return nil, fmt.Errorf("--explain %s: %s is not in --dataset", ds, ds)
		}
	}
	return wanted, nil
}

// crossFitTrainingSet reads what the cross-fitted WNC models train on: the
// WNC pairs of the data folder the run scores (dataDir/wnc.jsonl, --data
// or the shared eval folder) and the word lists of the shared folder
// ($SLANT_SHARED, or ../shared beside the module; the data folder's parent
// when --data is not given, as the data folder is then shared/eval).
func crossFitTrainingSet(flagDir, dataDir string, getenv func(string) string) (analysis.TrainingSet, error) {
	shared := filepath.Dir(dataDir)
	if flagDir != "" {
		shared = getenv("SLANT_SHARED")
		if shared == "" {
			var err error
			if shared, err = workspace.SharedDir(); err != nil {
				return analysis.TrainingSet{}, fmt.Errorf("the word lists it trains on are in the shared folder: %w", err)
			}
		}
	}
	set, _, err := evaluation.LoadTrainingSetWith(shared, filepath.Join(dataDir, "wnc.jsonl"))
	return set, err
}

// evalDataDir is --data, or else the eval folder inside the shared folder
// ($SLANT_SHARED, or ../shared beside the module).
func evalDataDir(flagDir string, getenv func(string) string) (string, error) {
	dir := flagDir
	if dir == "" {
		shared := getenv("SLANT_SHARED")
		if shared == "" {
			var err error
			if shared, err = workspace.SharedDir(); err != nil {
				return "", fmt.Errorf("eval: %w; or pass --data DIR", err)
			}
		}
		dir = filepath.Join(shared, "eval")
	}
	if _, err := os.Stat(dir); err != nil {
		return "", fmt.Errorf("eval: data folder: %w", err)
	}
	return dir, nil
}

// isTerminal reports whether w is a character device (a terminal), where
// a progress bar helps; redirected output gets none.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}

// progressBar draws one line, redrawn in place with \r, at most ten times
// a second.
type progressBar struct {
	w     io.Writer
	last  time.Time
	drawn bool
}

// onTerminal is the bar's update when it writes to a terminal, nil (no
// bar) otherwise.
func (p *progressBar) onTerminal() func(done, total int) {
	if !isTerminal(p.w) {
		return nil
	}
	return p.update
}

func (p *progressBar) update(done, total int) {
	if done < total && time.Since(p.last) < 100*time.Millisecond {
		return
	}
	p.last = time.Now()
	const width = 30
	filled := width * done / max(total, 1)
	fmt.Fprintf(p.w, "\reval: [%s%s] %3d%%  %d/%d texts", strings.Repeat("#", filled), strings.Repeat("-", width-filled), 100*done/max(total, 1), done, total)
	p.drawn = true
}

func (p *progressBar) clear() {
	if p.drawn {
		fmt.Fprintf(p.w, "\r%s\r", strings.Repeat(" ", 70))
		p.drawn = false
	}
}
