package analysis

import "testing"

// FuzzSources checks the quotation and speaker extraction on any input: no
// panic; quotations, attributions, source words and verbs inside the text
// on rune boundaries; quotations sorted and apart; attributions sorted;
// every speaker an attribution names is listed.
func FuzzSources(f *testing.F) {
	for _, seed := range []string{
		"",
		"“We will win,” said Maria Lopez, the mayor. She added, “Soon.”",
		"\"This to me is the next logical step.\"\nJack Riley on expanding tools\n",
		"Three people familiar with the matter said. Critics warn. Some believe. It is widely thought that.",
		"Arturo Rocha, who resigned, commented, stating, “They need Mexico’s cooperation.",
		"Ms. Sheinbaum said U.S. officials had told her the directive “was coming,” those people said.",
		"NYT’s report: a New York Times report. according to\u00a0officials familiar",
		"\xff\xfe said \xe2\x80 “\xff” she said",
		"He said, ", "said", "“", "'a' said 'b'", "X,,, said", "Mr. . said",
	} {
		f.Add(seed)
	}
	a := testAnalyzer(f)
	f.Fuzz(func(t *testing.T, text string) {
		r := a.Analyze(Document{Text: text})
		prevEnd := 0
		for i, q := range r.Quotes {
			checkSpan(t, text, q, "quote")
			if q.Start < prevEnd {
				t.Fatalf("quote %d at %d overlaps the one before (end %d)", i, q.Start, prevEnd)
			}
			prevEnd = q.End
		}
		checkSourceProfile(t, text, r.Sources)
		p := r.Sources
		if p.DirectQuotes != len(r.Quotes) || p.QuotedWords > p.Words || p.NamedSources > len(p.Speakers) {
			t.Fatalf("source counts do not add up: %+v", p)
		}
	})
}

// FuzzAlignContent checks the alignment of two texts: no panic, member and
// unique spans inside each outlet's text on rune boundaries, indexes in
// range.
func FuzzAlignContent(f *testing.F) {
	f.Add("The Elm Street bridge will close on Monday for repairs costing $4.2 million.", "Repairs to the Elm Street bridge, costing $4.2 million, will close it from Monday.")
	f.Add("", "\xff\xfe 6.8 100,000 Cartel de los Soles.\nRelated News")
	f.Add("A. B. C.\n\n\n", "“Quote,” she said. “More.”")
	a := testAnalyzer(f)
	f.Fuzz(func(t *testing.T, one, two string) {
		articles := []ComparedArticle{
			{ArticleID: 1, Outlet: "One", Text: one, Report: a.Analyze(Document{Text: one})},
			{ArticleID: 2, Outlet: "Two", Text: two, Report: a.Analyze(Document{Text: two})},
		}
		text := map[string]string{"One": one, "Two": two}
		c := alignContent(articles)
		for _, u := range c.Units {
			for _, m := range u.Members {
				checkSpans(t, text[m.Outlet], m.Spans, "unit member")
			}
		}
		for _, o := range c.Outlets {
			checkSpans(t, text[o.Outlet], o.UniqueSpans, "unique passage")
			for _, k := range append(append([]int{}, o.OnlyHere...), o.LeftOut...) {
				if k < 0 || k >= len(c.Units) {
					t.Fatalf("%s points at unit %d of %d", o.Outlet, k, len(c.Units))
				}
			}
			if o.Units != o.Shared+o.Unique {
				t.Fatalf("%s: units do not add up: %+v", o.Outlet, o)
			}
		}
	})
}
