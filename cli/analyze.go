package cli

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"slant/analysis"
)

// analyzeFiles is `slant analyze`: the findings and scores of each file,
// for a person (default) or, with --json, one report per line in the API's
// shape.
func analyzeFiles(args []string, getenv func(string) string, stdin io.Reader, stdout io.Writer) error {
	flags := flag.NewFlagSet("analyze", flag.ContinueOnError)
	flags.SetOutput(io.Discard)
	asJSON := flags.Bool("json", false, "print each report as JSON, one per line")
	if err := flags.Parse(args); err != nil {
		return UsageError{fmt.Sprintf("analyze: %v", err)}
	}
	if flags.NArg() == 0 {
		return UsageError{"analyze needs at least one file (or - for standard input)"}
	}
	lex, err := baseLexicon(getenv)
	if err != nil {
		return err
	}
	analyzer, err := analysis.NewAnalyzer(lex)
	if err != nil {
		return err
	}
	out := bufio.NewWriter(stdout)
	defer out.Flush()
	enc := json.NewEncoder(out)
	for _, name := range flags.Args() {
		text, err := readInput(name, stdin)
		if err != nil {
			return err
		}
		report := analyzer.Analyze(analysis.Document{Text: text})
		if *asJSON {
			if err := enc.Encode(report); err != nil {
				return fmt.Errorf("encode report for %s: %w", name, err)
			}
			continue
		}
		printReport(out, name, text, report)
	}
	return out.Flush()
}

func readInput(name string, stdin io.Reader) (string, error) {
	var data []byte
	var err error
	if name == "-" {
		data, err = io.ReadAll(stdin)
	} else {
		data, err = os.ReadFile(name)
	}
	if err != nil {
		return "", fmt.Errorf("read %s: %w", name, err)
	}
	return string(data), nil
}

func printReport(w io.Writer, name, text string, r analysis.Report) {
	s := r.Scores
	fmt.Fprintf(w, "%s\n", name)
	fmt.Fprintf(w, "  loaded index %.1f in the outlet's own voice (%d findings, weight %d, %d words); %.1f inside quotations (%d findings, %d words)\n",
		s.LoadedIndex, s.OwnFindings, s.OwnWeight, s.OwnWords, s.QuotedIndex, s.QuotedFindings, s.QuotedWords)
	fmt.Fprintf(w, "  %d of %d sentences read as biased; lexicon %s\n", s.BiasedSentences, len(r.Sentences), r.LexiconVersion)
	for _, f := range r.Findings {
		line, col := lineColumn(text, f.Start)
		voice := ""
		if f.InQuote {
			voice = " [in quote]"
		}
		fmt.Fprintf(w, "  %d:%d  %q  %s, severity %d%s\n", line, col, f.Text, f.Category, f.Severity, voice)
		fmt.Fprintf(w, "        why: %s\n", f.Reason)
		if len(f.Alternatives) > 0 {
			fmt.Fprintf(w, "        try: %s\n", strings.Join(f.Alternatives, "; "))
		}
	}
	fmt.Fprintln(w)
}

// lineColumn converts a byte offset to 1-based line and column (in runes),
// the way editors count.
func lineColumn(text string, offset int) (line, col int) {
	before := text[:offset]
	line = strings.Count(before, "\n") + 1
	lineStart := strings.LastIndexByte(before, '\n') + 1
	col = len([]rune(before[lineStart:])) + 1
	return line, col
}
