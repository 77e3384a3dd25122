package analysis

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNominalAlpha(t *testing.T) {
	tests := []struct {
		name  string
		units [][]int
		want  float64 // ignored when undefined
		ok    bool
	}{
		// Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability",
		// section C: four observers, twelve units, values 1..5, with
		// missing data (unit 12 has one value and cannot be paired). The
		// published nominal alpha is 0.743.
		{"Krippendorff 2011 nominal example", [][]int{
			{1, 1, 1},    // A B D (C missing)
			{2, 2, 3, 2}, // A B C D
			{3, 3, 3, 3},
			{3, 3, 3, 3},
			{2, 2, 2, 2},
			{1, 2, 3, 4},
			{4, 4, 4, 4},
			{1, 1, 2, 1},
			{2, 2, 2, 2},
			{5, 5, 5}, // B C D
			{1, 1},    // C D
			{3},       // B only: not pairable
		}, 0.743, true},
		// Two coders, four word tokens; they disagree on one. n = 8,
		// n_0 = 5, n_1 = 3, o_01 = o_10 = 1: alpha = 1 - 7*2/30 = 8/15.
		{"two coders, one disagreement", [][]int{{1, 1}, {0, 0}, {1, 0}, {0, 0}}, 8.0 / 15, true},
		// Three coders, one missing value, one unit coded once (dropped).
		// Unit 1 adds 1 to o_11, o_10 and o_01; unit 2 adds 2 to o_00.
		// n = 5, n_0 = 3, n_1 = 2: alpha = 1 - 4*2/12 = 1/3.
		{"missing values", [][]int{{1, 1, 0}, {0, 0}, {1}}, 1.0 / 3, true},
		{"perfect agreement", [][]int{{1, 1}, {0, 0}, {1, 1, 1}}, 1, true},
		// Always opposite: o_01 = o_10 = 2, n_0 = n_1 = 2:
		// alpha = 1 - 3*4/8 = -0.5.
		{"systematic disagreement", [][]int{{1, 0}, {0, 1}}, -0.5, true},
		{"no variation", [][]int{{1, 1}, {1, 1, 1}}, 0, false},
		{"one coder per unit", [][]int{{1}, {0}, {1}}, 0, false},
		{"no units", nil, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := NominalAlpha(tt.units)
			require.Equal(t, tt.ok, ok)
			if ok {
				assert.InDelta(t, tt.want, got, 0.0005)
			}
		})
	}
}

func TestNominalAlphaKrippendorffExactly(t *testing.T) {
	// The same example worked by hand, so that the test does not rest on a
	// rounded figure: alpha = 1 - (n-1) * D / (n^2 - sum n_c^2), with D
	// the sum of the off-diagonal coincidences.
	units := [][]int{
		{1, 1, 1}, {2, 2, 3, 2}, {3, 3, 3, 3}, {3, 3, 3, 3}, {2, 2, 2, 2}, {1, 2, 3, 4},
		{4, 4, 4, 4}, {1, 1, 2, 1}, {2, 2, 2, 2}, {5, 5, 5}, {1, 1}, {3},
	}
	// Off-diagonal coincidences: unit 2 (m=4, values 2,2,3,2) gives
	// (16-10)/3 = 2; unit 6 (1,2,3,4) gives (16-4)/3 = 4; unit 8
	// (1,1,2,1) gives 2. D = 8. Marginals: 1:9, 2:13, 3:10, 4:5, 5:3
	// (sum 40), sum of squares 81+169+100+25+9 = 384.
	want := 1 - 39.0*8/(1600-384)
	got, ok := NominalAlpha(units)
	require.True(t, ok)
	assert.InDelta(t, want, got, 1e-12)
	assert.InDelta(t, 0.743, got, 0.0005)
}

func TestWordSpans(t *testing.T) {
	text := "Café owners' “thugs” don't-stop, 42!"
	var words []string
	for _, s := range WordSpans(text) {
		words = append(words, text[s.Start:s.End])
	}
	assert.Equal(t, []string{"Café", "owners", "thugs", "don't", "stop", "42"}, words)
	assert.Empty(t, WordSpans(" — ... "))

	// A number with a decimal point or thousands separator is one word;
	// the same marks between words, or at a number's end, still split.
	for _, tt := range []struct {
		text string
		want []string
	}{
		{"Fares rose to $2.75 from $2.50.", []string{"Fares", "rose", "to", "2.75", "from", "2.50"}},
		{"About 1,200,000 people, 3.5% of them", []string{"About", "1,200,000", "people", "3.5", "of", "them"}},
		{"In 2024.Then 7,a", []string{"In", "2024", "Then", "7", "a"}},
		{"v2.0b and 4. 5", []string{"v2", "0b", "and", "4", "5"}},
	} {
		var got []string
		for _, s := range WordSpans(tt.text) {
			got = append(got, tt.text[s.Start:s.End])
		}
		assert.Equal(t, tt.want, got, tt.text)
	}
}

func TestCovered(t *testing.T) {
	units := []Span{{0, 4}, {5, 9}, {10, 14}, {15, 19}}
	tests := []struct {
		name  string
		spans []Span
		want  []bool
	}{
		{"none", nil, []bool{false, false, false, false}},
		{"inside one", []Span{{6, 7}}, []bool{false, true, false, false}},
		{"touching is not overlapping", []Span{{4, 5}, {14, 15}}, []bool{false, false, false, false}},
		{"across two", []Span{{3, 11}}, []bool{true, true, true, false}},
		{"unsorted, a long one first", []Span{{16, 17}, {0, 1}}, []bool{true, false, false, true}},
		{"a long span hides behind a short one", []Span{{0, 18}, {1, 2}}, []bool{true, true, true, true}},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, Covered(units, tt.spans), tt.name)
	}
}

func TestScoreSpotting(t *testing.T) {
	// "Thugs wrecked the hellhole, "these vandals" said the mayor."
	// Slant finds thugs [0,5) and hellhole [18,26) in the outlet's voice
	// and vandals [35,42) inside the quotation.
	thugs := Finding{Start: 0, End: 5, Text: "Thugs", Category: "pejorative-label"}
	hellhole := Finding{Start: 18, End: 26, Text: "hellhole", Category: "pejorative-label"}
	vandals := Finding{Start: 35, End: 42, Text: "vandals", Category: "pejorative-label", InQuote: true}
	findings := []Finding{thugs, hellhole, vandals}

	tests := []struct {
		name     string
		findings []Finding
		picks    []Span
		matches  []Finding
		misses   []Finding
		extras   []Span
		quoted   []Span
		counts   SpotCounts
		p, r, f1 float64
	}{
		{"no picks", findings, nil, []Finding{}, []Finding{thugs, hellhole}, []Span{}, []Span{},
			SpotCounts{Found: 0, Total: 2}, 1, 0, 0},
		{"all found exactly", findings, []Span{{18, 26}, {0, 5}}, []Finding{thugs, hellhole}, []Finding{}, []Span{}, []Span{},
			SpotCounts{Found: 2, Total: 2, MatchedPicks: 2}, 1, 1, 1},
		// A pick of part of a word still overlaps; two picks on one finding
		// both match and find it once.
		{"partial overlaps and a double pick", findings, []Span{{1, 3}, {3, 5}}, []Finding{thugs}, []Finding{hellhole}, []Span{}, []Span{},
			SpotCounts{Found: 1, Total: 2, MatchedPicks: 2}, 1, 0.5, 2.0 / 3},
		// "wrecked" is an extra; "vandals" only overlaps a quoted finding.
		// P = 1/2, R = 1/2, F1 = 1/2.
		{"extra and quoted", findings, []Span{{6, 13}, {0, 5}, {35, 42}}, []Finding{thugs}, []Finding{hellhole}, []Span{{6, 13}}, []Span{{35, 42}},
			SpotCounts{Found: 1, Total: 2, MatchedPicks: 1, Extra: 1}, 0.5, 0.5, 0.5},
		// One long pick across both own-voice findings matches both.
		{"one long pick", findings, []Span{{0, 26}}, []Finding{thugs, hellhole}, []Finding{}, []Span{}, []Span{},
			SpotCounts{Found: 2, Total: 2, MatchedPicks: 1}, 1, 1, 1},
		{"nothing to find, nothing picked", []Finding{vandals}, nil, []Finding{}, []Finding{}, []Span{}, []Span{},
			SpotCounts{}, 1, 1, 1},
		{"nothing to find, an extra", nil, []Span{{6, 13}}, []Finding{}, []Finding{}, []Span{{6, 13}}, []Span{},
			SpotCounts{Extra: 1}, 0, 1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ScoreSpotting(tt.findings, tt.picks)
			assert.Equal(t, tt.matches, got.Matches)
			assert.Equal(t, tt.misses, got.Misses)
			assert.Equal(t, tt.extras, got.Extras)
			assert.Equal(t, tt.quoted, got.Quoted)
			assert.Equal(t, tt.counts, got.SpotCounts)
			assert.InDelta(t, tt.p, got.Precision(), 1e-12, "precision")
			assert.InDelta(t, tt.r, got.Recall(), 1e-12, "recall")
			assert.InDelta(t, tt.f1, got.F1(), 1e-12, "f1")
		})
	}
}

func TestSpotCountsAdd(t *testing.T) {
	a := SpotCounts{Found: 1, Total: 2, MatchedPicks: 1, Extra: 1}
	b := SpotCounts{Found: 2, Total: 2, MatchedPicks: 3, Extra: 0}
	sum := a.Add(b)
	assert.Equal(t, SpotCounts{Found: 3, Total: 4, MatchedPicks: 4, Extra: 1}, sum)
	// P = 4/5, R = 3/4, F1 = 2*0.8*0.75/1.55 = 24/31.
	assert.InDelta(t, 24.0/31, sum.F1(), 1e-12)
}
