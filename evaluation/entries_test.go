package evaluation

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slant/analysis"
	"slant/internal/workspace"
)

func entryHits(t *testing.T, r *EntriesResult, category, term string) EntryHits {
	t.Helper()
	for _, e := range r.Entries {
		if e.Category == category && e.Term == term {
			return e
		}
	}
	t.Fatalf("no entry %s/%s in the result", category, term)
	return EntryHits{}
}

func TestEntriesCountsHitsByLabel(t *testing.T) {
	a := builtinAnalyzer(t)
	babe := []BabeSentence{
		{ID: "1", Text: "The regime jailed its critics.", Biased: true, BiasedWords: []string{"regime"}},
		{ID: "2", Text: "Officials said the regime would hold talks.", Biased: false},
		{ID: "3", Text: "The regimes of both countries met.", Biased: false},
		{ID: "4", Text: "He said \"the regime is cruel\" on Monday.", Biased: false}, // quoted: not counted
		{ID: "5", Text: "The council met on Tuesday.", Biased: false},
	}
	r, err := Entries(context.Background(), a, babe, Options{})
	require.NoError(t, err)
	assert.Equal(t, 1, r.BiasedSentences)
	assert.Equal(t, 4, r.NeutralSentences)
	assert.Equal(t, "Riverlands Wire", r.Wire)
	assert.Equal(t, a.Lexicon().EntryCount(), len(r.Entries), "every entry is listed, fired or not")

	regime := entryHits(t, r, "pejorative-label", "regime")
	assert.Equal(t, 1, regime.Biased)
	assert.Equal(t, 2, regime.Neutral)
	assert.Equal(t, 1, regime.Gold)
	assert.Equal(t, 0, regime.Wire)
	assert.Equal(t, []FormHits{{Text: "regime", Biased: 1, Neutral: 1}, {Text: "regimes", Neutral: 1}}, regime.Forms)
	assert.False(t, regime.Unexplained(), "three hits are too few for the rule")

	for _, e := range r.Entries {
		assert.Zero(t, e.Wire, "%s/%s fires in the neutral demo wire", e.Category, e.Term)
	}
	// Worst first: more neutral than biased hits comes before the rest.
	assert.Equal(t, "regime", r.Entries[0].Term)

	var table bytes.Buffer
	require.NoError(t, r.WriteTable(&table))
	assert.Contains(t, table.String(), "| pejorative-label | regime | 2 | 1 | 2 | 1 | 0 | few hits | regime 1/1, regimes 0/1 |")
	assert.Contains(t, table.String(), "did not.")
	var js bytes.Buffer
	require.NoError(t, r.WriteJSON(&js))
	var back EntriesResult
	require.NoError(t, json.Unmarshal(js.Bytes(), &back))
	assert.Equal(t, r.Entries, back.Entries)
}

func TestEntryRule(t *testing.T) {
	tests := []struct {
		e    EntryHits
		want bool
	}{
		{EntryHits{Biased: 2, Neutral: 3}, true},
		{EntryHits{Biased: 2, Neutral: 3, KeptBecause: "a written reason"}, false},
		{EntryHits{Biased: 2, Neutral: 3, KeptBecause: "  "}, true},
		{EntryHits{Biased: 1, Neutral: 3}, false}, // four hits: too few to judge
		{EntryHits{Biased: 3, Neutral: 3}, false}, // as often in both
		{EntryHits{Biased: 9, Neutral: 1}, false},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d/%d %q", tt.e.Biased, tt.e.Neutral, tt.e.KeptBecause), func(t *testing.T) {
			assert.Equal(t, tt.want, tt.e.Unexplained())
			var b strings.Builder
			require.NoError(t, (&EntriesResult{Entries: []EntryHits{tt.e}}).WriteTable(&b))
			assert.Equal(t, tt.want, strings.Contains(b.String(), "UNEXPLAINED"))
		})
	}
}

// TestLexiconPrecisionRule holds the lexicon to the rule of issue 16: on
// the BABE development half, no entry with at least EntryMinHits hits
// fires more often in sentences the experts call neutral than in biased
// ones unless its kept_because says why, and nothing fires in the neutral
// demo wire.
func TestLexiconPrecisionRule(t *testing.T) {
	dir := workspace.Require(t, "eval")
	lex, err := analysis.BuiltinLexicon()
	require.NoError(t, err)
	a, err := analysis.NewAnalyzer(lex)
	require.NoError(t, err)
	r, err := RunEntries(context.Background(), a, dir, Options{Split: SplitDev})
	require.NoError(t, err)
	require.Positive(t, r.BiasedSentences)
	require.Positive(t, r.NeutralSentences)
	for _, e := range r.Unexplained() {
		t.Errorf("%s/%s: %d neutral against %d biased hits on the BABE dev half, and no kept_because (matched: %s)",
			e.Category, e.Term, e.Neutral, e.Biased, formsNote(e.Forms, 6))
	}
	for _, e := range r.Entries {
		if e.Wire > 0 {
			t.Errorf("%s/%s fires %d times in the neutral demo wire (%s)", e.Category, e.Term, e.Wire, formsNote(e.Forms, 6))
		}
	}
}
