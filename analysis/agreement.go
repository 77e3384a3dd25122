package analysis

import (
	"cmp"
	"slices"
)

// This file holds the arithmetic of the spot-the-loaded-words exercise:
// how a student's picks score against Slant's findings, and how far
// students (and Slant) agree with each other, by Krippendorff's alpha.
// Like the rest of the package it is pure: spans in, numbers out.

// WordSpans returns the byte spans of the words of text: the tokens the
// lexicon is matched on (runs of letters, digits and combining marks,
// with inner apostrophes; hyphens split words), except that a number
// written with a decimal point or thousands separator ("2.75", "1,200")
// is one word, as a student reads it, not two.
func WordSpans(text string) []Span {
	tokens := tokenize(text, nil)
	out := make([]Span, 0, len(tokens))
	for _, t := range tokens {
		if n := len(out); n > 0 && t.start == out[n-1].End+1 && joinsNumber(text, out[n-1], t) {
			out[n-1].End = t.end
			continue
		}
		out = append(out, Span{Start: t.start, End: t.end})
	}
	return out
}

// joinsNumber reports whether word w and the token t one byte after it are
// the two sides of one number: digits, a '.' or ',', then digits.
func joinsNumber(text string, w Span, t token) bool {
	sep := text[w.End]
	return (sep == '.' || sep == ',') && isDigitByte(text[w.End-1]) && isDigitByte(text[t.start]) &&
		allDigits(text[t.start:t.end])
}

// Overlaps reports whether two half-open byte ranges share at least one
// byte. Ranges that only touch do not overlap.
func Overlaps(a, b Span) bool { return a.Start < b.End && b.Start < a.End }

// Covered reports, for each of units, whether any of spans overlaps it.
// Neither list needs to be sorted.
func Covered(units, spans []Span) []bool {
	out := make([]bool, len(units))
	if len(spans) == 0 {
		return out
	}
	sorted := slices.Clone(spans)
	slices.SortFunc(sorted, func(a, b Span) int { return cmp.Compare(a.Start, b.Start) })
	// ends[i] is the furthest end among sorted[:i+1], so that a binary
	// search finds whether any span starting before a unit's end reaches
	// past its start.
	ends := make([]int, len(sorted))
	for i, s := range sorted {
		ends[i] = s.End
		if i > 0 {
			ends[i] = max(ends[i], ends[i-1])
		}
	}
	for i, u := range units {
		// n spans start before u ends.
		n, _ := slices.BinarySearchFunc(sorted, u.End, func(s Span, end int) int {
			if s.Start < end {
				return -1
			}
			return 1
		})
		out[i] = n > 0 && ends[n-1] > u.Start && u.Start < u.End
	}
	return out
}

// Spotting is how one student's picks in one text compare with Slant's
// findings there.
type Spotting struct {
	// Matches are the own-voice findings some pick overlaps, Misses those
	// no pick overlaps, both in text order.
	Matches []Finding
	Misses  []Finding
	// Extras are the picks that overlap no finding at all; Quoted the picks
	// that overlap only findings inside quotations (the speaker's words,
	// not the outlet's), which count neither way.
	Extras []Span
	Quoted []Span
	// Counts behind the score: MatchedPicks is the number of picks that
	// overlap an own-voice finding.
	SpotCounts
}

// SpotCounts are the tallies a spotting score is made from. They add up
// over texts, so that one student's score can cover several articles.
type SpotCounts struct {
	Found        int // own-voice findings some pick overlaps
	Total        int // own-voice findings
	MatchedPicks int // picks overlapping an own-voice finding
	Extra        int // picks overlapping no finding
}

// Add returns the sum of two tallies.
func (c SpotCounts) Add(o SpotCounts) SpotCounts {
	return SpotCounts{Found: c.Found + o.Found, Total: c.Total + o.Total,
		MatchedPicks: c.MatchedPicks + o.MatchedPicks, Extra: c.Extra + o.Extra}
}

// Precision is the share of counted picks (matched and extra; quoted ones
// are left out) that hit an own-voice finding: 1 when there are none,
// since no pick was wrong.
func (c SpotCounts) Precision() float64 {
	if n := c.MatchedPicks + c.Extra; n > 0 {
		return float64(c.MatchedPicks) / float64(n)
	}
	return 1
}

// Recall is the share of own-voice findings found: 1 when there are none,
// since there was nothing to miss.
func (c SpotCounts) Recall() float64 {
	if c.Total > 0 {
		return float64(c.Found) / float64(c.Total)
	}
	return 1
}

// F1 is the harmonic mean of precision and recall, 0 when both are 0.
func (c SpotCounts) F1() float64 {
	p, r := c.Precision(), c.Recall()
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

// ScoreSpotting compares picks (byte spans a student marked in a text)
// with the findings Slant made in the same text. The targets are the
// findings in the outlet's own voice; a finding is found when any pick
// overlaps it. A pick that overlaps an own-voice finding is a match; one
// that overlaps only quoted findings is set apart in Quoted; any other
// pick is an extra. Picks are reported in text order.
func ScoreSpotting(findings []Finding, picks []Span) Spotting {
	own := make([]Finding, 0, len(findings))
	var quoted []Span
	for _, f := range findings {
		if f.InQuote {
			quoted = append(quoted, Span{Start: f.Start, End: f.End})
		} else {
			own = append(own, f)
		}
	}
	slices.SortStableFunc(own, func(a, b Finding) int { return cmp.Compare(a.Start, b.Start) })
	ownSpans := make([]Span, len(own))
	for i, f := range own {
		ownSpans[i] = Span{Start: f.Start, End: f.End}
	}
	sortedPicks := slices.Clone(picks)
	slices.SortStableFunc(sortedPicks, func(a, b Span) int { return cmp.Compare(a.Start, b.Start) })

	out := Spotting{Matches: []Finding{}, Misses: []Finding{}, Extras: []Span{}, Quoted: []Span{}}
	found := Covered(ownSpans, sortedPicks)
	for i, f := range own {
		if found[i] {
			out.Matches = append(out.Matches, f)
		} else {
			out.Misses = append(out.Misses, f)
		}
	}
	hitsOwn := Covered(sortedPicks, ownSpans)
	hitsQuoted := Covered(sortedPicks, quoted)
	for i, p := range sortedPicks {
		switch {
		case hitsOwn[i]:
			out.MatchedPicks++
		case hitsQuoted[i]:
			out.Quoted = append(out.Quoted, p)
		default:
			out.Extras = append(out.Extras, p)
		}
	}
	out.Found, out.Total, out.Extra = len(out.Matches), len(own), len(out.Extras)
	return out
}

// NominalAlpha is Krippendorff's alpha for nominal data, which may have
// missing values. Each unit lists the values given to it by the coders
// who coded it (a coder who did not code a unit is simply absent), so
// units may have different numbers of values. Units with fewer than two
// values cannot be paired and are left out, as Krippendorff prescribes.
//
// With n the number of pairable values, o the coincidence matrix and n_c
// its marginals,
//
//	alpha = 1 - (n - 1) * sum_{c != k} o_ck / sum_{c != k} n_c * n_k
//
// ok is false when alpha is undefined: when no unit has two values, or
// when every pairable value is the same, so that the expected
// disagreement is zero.
func NominalAlpha(units [][]int) (alpha float64, ok bool) {
	// Only the marginals and the total of the off-diagonal coincidences
	// are needed: sum_{c != k} o_ck = sum_u (m_u^2 - sum_c m_uc^2)/(m_u - 1).
	marginals := map[int]float64{}
	var n, disagree float64
	for _, unit := range units {
		m := len(unit)
		if m < 2 {
			continue
		}
		counts := map[int]int{}
		for _, v := range unit {
			counts[v]++
		}
		same := 0
		for v, k := range counts {
			same += k * k
			marginals[v] += float64(k)
		}
		disagree += float64(m*m-same) / float64(m-1)
		n += float64(m)
	}
	if n < 2 {
		return 0, false
	}
	var sumSquares float64
	for _, nc := range marginals {
		sumSquares += nc * nc
	}
	expected := n*n - sumSquares // sum_{c != k} n_c n_k
	if expected == 0 {
		return 0, false
	}
	return 1 - (n-1)*disagree/expected, true
}
