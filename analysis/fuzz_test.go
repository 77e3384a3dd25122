package analysis

import "testing"

// FuzzAnalyze checks the analyzer's invariants on any input: no panic,
// offsets inside the text and on rune boundaries, findings sorted and
// non-overlapping, quotations and sentences well formed, model scores and
// their words consistent.
func FuzzAnalyze(f *testing.F) {
	for _, seed := range []string{
		"",
		"Those crime-ridden hellholes, the regime slammed.",
		`He said "a hellhole" and “left.”`,
		"“Open\n\n“borders,” she said. ‘for some reason’",
		"don’t 'quote' students' \"",
		"\xff\xfe invalid utf8 regime",
		"Mr. U.S. regime\n\n\n",
		"For some reason,\n\nnobody came. It was an utterly baffling, so-called plan; a high-crime hellhole.",
	} {
		f.Add(seed, "Regime slams")
	}
	a := testAnalyzer(f)
	f.Fuzz(func(t *testing.T, text, title string) {
		r := a.Analyze(Document{Title: title, Text: text})
		checkFindings(t, text, r.Findings)
		checkFindings(t, title, r.TitleFindings)
		checkSpans(t, text, r.Quotes, "quote")
		prevEnd := 0
		for i, s := range r.Sentences {
			checkSpan(t, text, Span{s.Start, s.End}, "sentence")
			if s.Start < prevEnd {
				t.Fatalf("sentence %d overlaps the one before", i)
			}
			prevEnd = s.End
			for _, fi := range s.Findings {
				if fi < 0 || fi >= len(r.Findings) {
					t.Fatalf("sentence %d points at finding %d of %d", i, fi, len(r.Findings))
				}
			}
			if s.Score < 0 || s.Score > 1 {
				t.Fatalf("sentence score %v outside [0,1]", s.Score)
			}
			checkModelVerdict(t, text, s, a.SentenceModel().Threshold(), a.Lexicon().Threshold())
		}
		if m := r.Scores.ModelSlant; m < 0 || m > 1 {
			t.Fatalf("model_slant %v outside [0,1]", m)
		}
		if sc := r.Scores; sc.OwnWords+sc.QuotedWords != sc.Words || sc.OwnFindings+sc.QuotedFindings > len(r.Findings) {
			t.Fatalf("scores do not add up: %+v", sc)
		}
		checkNeutralEdits(t, text, r.Findings, r.NeutralEdits)
		checkNeutralEdits(t, title, r.TitleFindings, r.TitleNeutralEdits)
		for _, e := range r.NeutralEdits {
			checkSpan(t, text, Span{e.Start, e.End}, "neutral edit")
		}
		_ = NeutralText(text, r.NeutralEdits)
	})
}

func checkFindings(t *testing.T, text string, findings []Finding) {
	t.Helper()
	prevEnd := 0
	for i, f := range findings {
		checkSpan(t, text, Span{f.Start, f.End}, "finding")
		if f.Start < prevEnd {
			t.Fatalf("finding %d at %d overlaps or precedes the one before (end %d)", i, f.Start, prevEnd)
		}
		prevEnd = f.End
		if f.Text != text[f.Start:f.End] || f.Reason == "" {
			t.Fatalf("finding %d: text %q does not match its offsets or has no reason", i, f.Text)
		}
	}
}

func checkSpans(t *testing.T, text string, spans []Span, what string) {
	t.Helper()
	for _, s := range spans {
		checkSpan(t, text, s, what)
	}
}

func checkSpan(t *testing.T, text string, s Span, what string) {
	t.Helper()
	if s.Start < 0 || s.End > len(text) || s.Start >= s.End {
		t.Fatalf("%s [%d,%d) outside text of %d bytes", what, s.Start, s.End, len(text))
	}
	if !boundary(text, s.Start) || !boundary(text, s.End) {
		t.Fatalf("%s [%d,%d) splits a rune", what, s.Start, s.End)
	}
}

// boundary reports whether i is where a rune starts when the text is
// decoded the way Go ranges over strings: an invalid byte counts as a rune
// of its own.
func boundary(text string, i int) bool {
	if i == 0 || i == len(text) {
		return true
	}
	for j := range text {
		if j >= i {
			return j == i
		}
	}
	return false
}
