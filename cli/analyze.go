package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"slant/analysis"
	"slant/api"
	"slant/desk"
	"slant/ingest"
)

// analyzeFiles is `slant analyze`: the findings and scores of each file,
// for a person (default) or, with --json, one report per line in the
// shape of POST /api/v1/analyze. The recipe is the page's
// (desk.AnalyzeDraft): --clean removes page furniture first, as adding
// pasted text does, and the output says whether it was removed, so that
// the same text and choice give the page's report. It reads the built-in
// lexicon (with SLANT_LEXICON_OVERLAY), not a class word list stored in a
// database.
func analyzeFiles(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout io.Writer) error {
	flags := flag.NewFlagSet("analyze", flag.ContinueOnError)
	flags.SetOutput(io.Discard)
	asJSON := flags.Bool("json", false, "print each report as JSON, one per line")
	clean := flags.Bool("clean", false, "remove page furniture (share prompts, related-article lists, repeated headlines) first, as the page does")
	title := flags.String("title", "", "the headline to analyze with each text (a detected headline fills it with --clean)")
	files, err := parseInterspersed(flags, args)
	if errors.Is(err, flag.ErrHelp) {
		return helpFor(flags, "analyze [flags] FILE... (- for standard input)", "Prints the findings and scores of each text file, as the page would show them.")
	}
	if err != nil {
		return UsageError{fmt.Sprintf("analyze: %v", err)}
	}
	if len(files) == 0 {
		return UsageError{"analyze needs at least one file (or - for standard input)"}
	}
	if n := utf8.RuneCountInString(strings.TrimSpace(*title)); n > desk.MaxArticleTitle {
		return UsageError{fmt.Sprintf("analyze: --title must be at most %d characters, as a stored headline (it has %d)", desk.MaxArticleTitle, n)}
	}
	// Every file is read before any is analyzed, so that one missing or
	// not in UTF-8 fails the command (status 1) before it has printed
	// anything.
	texts := make([]string, len(files))
	for i, name := range files {
		if texts[i], err = readInput(name, stdin); err != nil {
			return err
		}
	}
	analyzer, err := baseAnalyzer(getenv)
	if err != nil {
		return err
	}
	out := bufio.NewWriter(stdout)
	defer out.Flush()
	enc := json.NewEncoder(out)
	for i, name := range files {
		analyzed, err := desk.AnalyzeDraft(ctx, analyzer, nil, desk.Draft{Title: *title, Text: texts[i], Clean: *clean})
		if err != nil {
			return fmt.Errorf("analyze %s: %w", name, err)
		}
		if *asJSON {
			if err := enc.Encode(api.NewAnalyzeView(analyzed)); err != nil {
				return fmt.Errorf("encode report for %s: %w", name, err)
			}
			continue
		}
		printReport(out, name, analyzed)
	}
	return out.Flush()
}

// readInput reads a text file (or standard input for "-") as UTF-8, as
// slant import reads one: a UTF-8 byte order mark is dropped and a UTF-16
// one obeyed; a file that is still not UTF-8 text is refused, rather than
// analyzed as replacement characters with every position wrong.
func readInput(name string, stdin io.Reader) (string, error) {
	var src io.Reader = stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return "", fmt.Errorf("read %s: %w", name, err)
		}
		defer f.Close()
		src = f
	}
	decoded, err := ingest.DecodeText(src, "")
	if err != nil {
		return "", fmt.Errorf("read %s: %w", name, err)
	}
	data, err := io.ReadAll(decoded)
	if err != nil {
		return "", fmt.Errorf("read %s: %w", name, err)
	}
	if i := bytes.IndexByte(data, 0); i >= 0 {
		return "", fmt.Errorf("read %s: a NUL byte at byte %d: the file may be UTF-16 without a byte order mark; save it as UTF-8", name, i+1)
	}
	if !utf8.Valid(data) {
		i := ingest.FirstInvalidUTF8(data)
		return "", fmt.Errorf("read %s: not UTF-8 text (byte 0x%02X at byte %d); save it as UTF-8", name, data[i], i+1)
	}
	return string(data), nil
}

func printReport(w io.Writer, name string, a desk.Analyzed) {
	r, text := a.Report, a.Text
	s := r.Scores
	fmt.Fprintf(w, "%s\n", name)
	if a.Intake.Cleaned {
		fmt.Fprintf(w, "  page furniture removed: %s (--clean, as the page does); positions count in the cleaned text\n", plural(len(a.Intake.Removed), "line"))
		if a.Title != "" {
			fmt.Fprintf(w, "  headline: %q\n", a.Title)
		}
	} else {
		fmt.Fprintf(w, "  page furniture not removed: the text is analyzed as it is (--clean removes it, as the page does)\n")
	}
	fmt.Fprintf(w, "  loaded index %.1f in the outlet's own voice (%d findings, weight %d, %d words); %.1f inside quotations (%d findings, %d words)\n",
		s.LoadedIndex, s.OwnFindings, s.OwnWeight, s.OwnWords, s.QuotedIndex, s.QuotedFindings, s.QuotedWords)
	fmt.Fprintf(w, "  %d of %d sentences read as biased; lexicon %s\n", s.BiasedSentences, len(r.Sentences), r.LexiconVersion)
	for _, f := range r.TitleFindings {
		printFinding(w, "headline", f)
	}
	for _, f := range r.Findings {
		line, col := lineColumn(text, f.Start)
		printFinding(w, fmt.Sprintf("%d:%d", line, col), f)
	}
	fmt.Fprintln(w)
}

// printFinding writes one finding where it is (line:column, or
// "headline"), with why and what to try.
func printFinding(w io.Writer, where string, f analysis.Finding) {
	voice := ""
	if f.InQuote {
		voice = " [in quote]"
	}
	fmt.Fprintf(w, "  %s  %q  %s, severity %d%s\n", where, f.Text, f.Category, f.Severity, voice)
	fmt.Fprintf(w, "        why: %s\n", f.Reason)
	if len(f.Alternatives) > 0 {
		fmt.Fprintf(w, "        try: %s\n", strings.Join(f.Alternatives, "; "))
	}
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
