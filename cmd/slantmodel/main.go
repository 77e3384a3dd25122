// Command slantmodel trains the sentence model that package analysis
// embeds (analysis/model/sentence.json), from licence-clean data in the
// shared folder only: the Wiki Neutrality Corpus pairs (MIT) and MIT
// word lists (evaluation/training.go names every file). BABE's
// development half is read for one number, the decision threshold; the
// model never learns from it. Training is deterministic: the same data
// gives the same file.
//
//	go run ./cmd/slantmodel                  # ../shared beside the module, or $SLANT_SHARED
//	go run ./cmd/slantmodel -shared /path/to/shared
//
// It writes the model and analysis/model/PROVENANCE.md (the data's
// SHA-256s, the settings, the command, the threshold and how it was
// chosen). The model's hash joins the analysis version, so every report
// made after records which model scored it.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"slant/analysis"
	"slant/evaluation"
	"slant/internal/workspace"
)

func main() {
	if err := run(os.Args[1:], os.Getenv, os.Stdout); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(2)
		}
		fmt.Fprintln(os.Stderr, "slantmodel:", err)
		os.Exit(1)
	}
}

func run(args []string, getenv func(string) string, stdout io.Writer) error {
	flags := flag.NewFlagSet("slantmodel", flag.ContinueOnError)
	shared := flags.String("shared", "", "the shared folder holding eval/ and lexicons/ (default $SLANT_SHARED, or ../shared beside the module)")
	out := flags.String("out", "analysis/model/sentence.json", "the model file to write")
	provenance := flags.String("provenance", "analysis/model/PROVENANCE.md", "the provenance file to write")
	if err := flags.Parse(args); err != nil {
		return err
	}
	if flags.NArg() > 0 {
		flags.Usage()
		return flag.ErrHelp
	}
	dir := *shared
	if dir == "" {
		dir = getenv("SLANT_SHARED")
	}
	if dir == "" {
		var err error
		if dir, err = workspace.SharedDir(); err != nil {
			return fmt.Errorf("%w; or pass -shared DIR", err)
		}
	}
	set, files, err := evaluation.LoadTrainingSet(dir)
	if err != nil {
		return err
	}
	lex, err := analysis.BuiltinLexicon()
	if err != nil {
		return err
	}
	trainer, err := analysis.NewSentenceTrainer(lex, set)
	if err != nil {
		return err
	}
	model, err := trainer.Train(nil)
	if err != nil {
		return err
	}

	// The threshold: on the BABE development half, with this model.
	data, err := evaluation.Load(filepath.Join(dir, "eval"), []evaluation.Dataset{evaluation.Babe})
	if err != nil {
		return err
	}
	dev := data.Select(evaluation.SplitDev, 0).Babe
	analyzer, err := analysis.NewAnalyzer(lex)
	if err != nil {
		return fmt.Errorf("%w (an analyzer whose built-in model is out of date cannot choose the threshold: train once more after fixing it)", err)
	}
	threshold, devF1, err := evaluation.ChooseModelThreshold(analyzer.WithSentenceModel(model), dev)
	if err != nil {
		return err
	}
	if model, err = model.WithThreshold(threshold); err != nil {
		return err
	}
	encoded, err := model.Marshal()
	if err != nil {
		return err
	}
	if err := os.WriteFile(*out, encoded, 0o644); err != nil {
		return fmt.Errorf("write model: %w", err)
	}
	text := provenanceText(model, files, threshold, devF1, len(dev))
	if err := os.WriteFile(*provenance, []byte(text), 0o644); err != nil {
		return fmt.Errorf("write provenance: %w", err)
	}
	fmt.Fprintf(stdout, "wrote %s (model %s, %d bytes): threshold %.2f, BABE dev macro-F1 %.4f with the word lists\n",
		*out, model.Hash(), len(encoded), threshold, devF1)
	return nil
}

func provenanceText(m *analysis.SentenceModel, files []evaluation.TrainingFile, threshold, devF1 float64, devSentences int) string {
	var b strings.Builder
	b.WriteString("# Sentence model: provenance\n\n")
	b.WriteString("`sentence.json` is made by `cmd/slantmodel`; this file is written by the same run. The model's\n")
	b.WriteString("hash (the first 8 hex digits of the file's SHA-256) is part of the analysis version.\n\n")
	fmt.Fprintf(&b, "- model: `%s`\n", m.Hash())
	b.WriteString("- command: `go run ./cmd/slantmodel` from the repository root, with the shared folder at `../shared`\n")
	b.WriteString("- what it is: a logistic model of one sentence over its pooled GloVe vector (SIF-weighted mean of\n")
	b.WriteString("  the outlet's own words, `../vectors/`) and the lexicon's signals (loaded words, subjectivity cues,\n")
	b.WriteString("  quotation share, VADER strength, length, unknown words), plus a word model (a logistic model from\n")
	b.WriteString("  a word's vector to \"a published list calls it loaded\") whose highest and mean word scores are two\n")
	b.WriteString("  more inputs. Newton's method from zero, L2 penalty, fixed settings, data in file order: no seed is\n")
	b.WriteString("  needed because nothing is random.\n")
	fmt.Fprintf(&b, "- threshold: %.2f, chosen on the BABE development half (%d sentences; BABE is AGPL and the test set,\n", threshold, devSentences)
	fmt.Fprintf(&b, "  so it is read for this number only) as the best macro-F1 of \"a listed word or a model score at or\n")
	fmt.Fprintf(&b, "  above the threshold\": %.4f there.\n\n", devF1)
	b.WriteString("## Training data (licence-clean only)\n\n| file (in the shared folder) | SHA-256 | licence | used |\n|---|---|---|---|\n")
	for _, f := range files {
		fmt.Fprintf(&b, "| `%s` | `%s` | %s | %s |\n", f.Path, f.SHA256, f.Licence, f.Use)
	}
	b.WriteString("\nNot used, on purpose: BABE (AGPL; the test set), CheckThat (non-commercial), the propaganda corpus\n")
	b.WriteString("(no licence), and the research-use lists (Riloff and Wiebe, Hu and Liu, MFD 2.0).\n\n")
	var settings map[string]any
	if err := json.Unmarshal(m.Training(), &settings); err == nil {
		delete(settings, "provenance")
		keys := make([]string, 0, len(settings))
		for k := range settings {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		b.WriteString("## Settings and counts (also in `sentence.json` under `training`)\n\n")
		for _, k := range keys {
			fmt.Fprintf(&b, "- `%s`: %v\n", k, settings[k])
		}
	}
	return b.String()
}
