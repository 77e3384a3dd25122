package evaluation

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

// WriteJSON writes the result as indented JSON. Map keys are sorted, so
// two runs differ only in Throughput.
func (r *Result) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(r); err != nil {
		return fmt.Errorf("encode evaluation result: %w", err)
	}
	return nil
}

// WriteTable writes the result for people: a Markdown table of the
// metrics beside the field's published figures (ready to paste into the
// docs), then the counts behind them and the analysis speed.
func (r *Result) WriteTable(w io.Writer) error {
	var b strings.Builder
	limit := "all records"
	if r.Limit > 0 {
		limit = fmt.Sprintf("first %d records per dataset", r.Limit)
	}
	fmt.Fprintf(&b, "Slant evaluation: lexicon %s, split %s, %s\n\n", r.LexiconVersion, r.Split, limit)
	b.WriteString("| dataset | metric | Slant | P | R | over | field (published, for orientation) |\n")
	b.WriteString("|---|---|---:|---:|---:|---|---|\n")
	for _, d := range r.Datasets {
		for _, m := range d.Metrics {
			_, name, _ := strings.Cut(m.Key, ".")
			fmt.Fprintf(&b, "| %s | %s | %.3f | %s | %s | %s %s | %s |\n",
				d.Name, name, m.Value, optional(m.Precision), optional(m.Recall), thousands(m.N), m.Unit, m.Field)
		}
	}
	b.WriteString("\n")
	for _, d := range r.Datasets {
		for _, m := range d.Metrics {
			if m.Note != "" {
				fmt.Fprintf(&b, "- %s: %s\n", m.Key, m.Note)
			}
		}
	}
	if r.Model != "" {
		fmt.Fprintf(&b, "- sentence model %s, threshold %.2f (analysis/model/PROVENANCE.md)\n", r.Model, r.ModelThreshold)
	}
	b.WriteString("\n")
	for _, d := range r.Datasets {
		fmt.Fprintf(&b, "%s: %s", d.Name, countsLine(d.Counts))
		for _, m := range d.Metrics {
			for _, k := range sortedKeys(m.Parts) {
				fmt.Fprintf(&b, ", %s %.3f", k, m.Parts[k])
			}
		}
		b.WriteString("\n")
	}
	t := r.Throughput
	fmt.Fprintf(&b, "analysis: %s texts, %.2f MB in %.2f s: %.2f MB/s on %d workers (%.2f MB/s per worker)\n",
		thousands(t.Texts), float64(t.Bytes)/1e6, t.Seconds, t.MBPerSecond, t.Workers, t.MBPerSecondPerWorker)
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteExplain writes, for each dataset run with Explain, the most
// frequent false-positive forms (with the lexicon terms that flagged them)
// and the most frequently missed gold forms.
func (r *Result) WriteExplain(w io.Writer) error {
	var b strings.Builder
	for _, d := range r.Datasets {
		if d.FrameExplain != nil {
			writeFrameExplain(&b, d.Name, d.FrameExplain)
		}
		if d.Explain == nil {
			continue
		}
		fmt.Fprintf(&b, "\n%s: top false positives (flagged in the outlet's voice, not gold), by count\n", d.Name)
		writeTerms(&b, d.Explain.FalsePositives)
		fmt.Fprintf(&b, "\n%s: top missed gold words (gold, not flagged), by count\n", d.Name)
		writeTerms(&b, d.Explain.Missed)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// writeFrameExplain writes the confusion of gold and predicted primary
// frames, or each frame's precision and recall over the predicted sets.
func writeFrameExplain(b *strings.Builder, name Dataset, d *FrameDiagnostics) {
	if len(d.Confusion) > 0 {
		fmt.Fprintf(b, "\n%s: gold primary frame → predicted primary frame, by count\n", name)
		for _, c := range d.Confusion {
			got := c.Predicted
			if got == "" {
				got = "(no frame cue)"
			}
			fmt.Fprintf(b, "  %5d  %s → %s\n", c.Count, c.Gold, got)
		}
	}
	if len(d.PerFrame) > 0 {
		fmt.Fprintf(b, "\n%s: per frame over the predicted sets\n", name)
		b.WriteString("  frame                                           gold  predicted     P      R     F1\n")
		for _, f := range d.PerFrame {
			fmt.Fprintf(b, "  %-46s %5d  %9d  %.3f  %.3f  %.3f\n", f.Frame, f.TP+f.FN, f.TP+f.FP, f.Precision(), f.Recall(), f.F1())
		}
	}
}

func writeTerms(b *strings.Builder, terms []TermCount) {
	if len(terms) == 0 {
		b.WriteString("  (none)\n")
		return
	}
	width := 0
	for _, t := range terms {
		width = max(width, len([]rune(t.Form)))
	}
	for _, t := range terms {
		fmt.Fprintf(b, "  %5d  %s", t.Count, t.Form)
		if len(t.Terms) > 0 {
			fmt.Fprintf(b, "%s  lexicon: %s", strings.Repeat(" ", width-len([]rune(t.Form))), strings.Join(t.Terms, ", "))
		}
		b.WriteString("\n")
	}
}

func optional(x *float64) string {
	if x == nil {
		return ""
	}
	return fmt.Sprintf("%.3f", *x)
}

func countsLine(counts map[string]int) string {
	parts := make([]string, 0, len(counts))
	for _, k := range sortedKeys(counts) {
		parts = append(parts, k+" "+thousands(counts[k]))
	}
	return strings.Join(parts, ", ")
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// thousands formats n with commas between groups of three digits.
func thousands(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		s = "-" + s
	}
	return s
}
