package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"slant/analysis"
	"slant/evaluation"
)

// calibrateCommand is `slant calibrate`: it learns entry severities and the
// sentence threshold from a researcher's labelled sentences and writes them
// as a lexicon overlay for SLANT_LEXICON_OVERLAY.
func calibrateCommand(args []string, stdout io.Writer) error {
	flags := flag.NewFlagSet("calibrate", flag.ContinueOnError)
	flags.SetOutput(io.Discard)
	data := flags.String("data", "", "labelled sentences, JSON Lines of {\"text\": ..., \"biased\": true|false}")
	out := flags.String("out", "", "where to write the overlay YAML")
	if err := flags.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return helpFor(flags, "calibrate --data labelled.jsonl --out overlay.yaml", "Fits each lexicon category's weight and the sentence threshold to your labelled sentences.")
		}
		return UsageError{fmt.Sprintf("calibrate: %v", err)}
	}
	if *data == "" || *out == "" || flags.NArg() > 0 {
		return UsageError{"calibrate needs --data FILE and --out FILE"}
	}
	f, err := os.Open(*data)
	if err != nil {
		return fmt.Errorf("calibrate: %w", err)
	}
	defer f.Close()
	sentences, err := evaluation.ReadLabelledSentences(f)
	if err != nil {
		return fmt.Errorf("calibrate %s: %w", *data, err)
	}
	lex, err := analysis.BuiltinLexicon()
	if err != nil {
		return err
	}
	cal, err := evaluation.Calibrate(lex, sentences)
	if err != nil {
		return err
	}
	cal.Overlay.Description = fmt.Sprintf("calibrated on %d labelled sentences from %s against lexicon %s", cal.Sentences, *data, lex.Version())
	encoded, err := analysis.MarshalOverlay(cal.Overlay)
	if err != nil {
		return err
	}
	if err := os.WriteFile(*out, encoded, 0o644); err != nil {
		return fmt.Errorf("calibrate: write overlay: %w", err)
	}
	fmt.Fprintf(stdout, "calibrated on %d sentences (%d labelled biased)\n", cal.Sentences, cal.BiasedLabelled)
	fmt.Fprintf(stdout, "sentence threshold %.2f; macro-F1 on these sentences %.3f before, %.3f after\n", cal.Threshold, cal.MacroF1Before, cal.MacroF1After)
	for _, c := range cal.Changes {
		fmt.Fprintf(stdout, "  %-24s %-40q severity %d -> %d  (biased in %d of %d)\n", c.Category, c.Term, c.From, c.To, c.Biased, c.Fired)
	}
	fmt.Fprintf(stdout, "wrote %s; load it with SLANT_LEXICON_OVERLAY=%s\n", *out, *out)
	return nil
}
