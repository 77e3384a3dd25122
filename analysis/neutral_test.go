package analysis

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestNeutralVersion checks, with the built-in lexicon, that the neutral
// version swaps a word only where the lexicon gives a drop-in for that
// form, leaves out only droppable words, keeps every other flagged word
// with advice beside it, and reads as English: capitals, "a" and "an",
// commas, no doubled words.
func TestNeutralVersion(t *testing.T) {
	a := builtinTestAnalyzer(t)
	tests := []struct {
		name, text, want string
	}{
		{"a noun swapped", "The regime jailed its critics.", "The government jailed its critics."},
		{"a plural", "Both regimes jailed critics.", "Both governments jailed critics."},
		{"a capital at the start", "Regime officials met on Monday.", "Government officials met on Monday."},
		{"a possessive kept", "The Calloway regime’s plan failed.", "The Calloway government’s plan failed."},
		{"a capital in the drop-in kept", "The Biden regime signed it.", "The Biden administration signed it."},
		{"a/an follows the new word", "He made a bizarre claim.", "He made an unusual claim."},
		{"a/an after a dropped word", "It was an utterly baffling delay.", "It was a baffling delay."},
		{"a dropped modifier", "The so-called shelter opened.", "The shelter opened."},
		{"a dropped phrase that began a sentence", "For some reason, nobody came.", "Nobody came."},
		{"a dropped phrase between commas", "It was a crisis that, for some reason, grew.", "It was a crisis that grew."},
		{"a dropped modifier after a dropped phrase", "It was a crisis that, for some reason, globalist bankers ignored.",
			"It was a crisis that bankers ignored."},
		{"no doubled word", "It became a high-crime hellhole.", "It became a high-crime area."},
		{"no doubled word across two edits", "They live in crime-ridden hellholes.", "They live in high-crime areas."},
		{"a verb of saying before that", "The mayor bragged that the plan works.", "The mayor said that the plan works."},
		{"a verb of saying before about", "The mayor bragged about the plan.", "The mayor talked about the plan."},
		{"a participle that fits has", "She has railed against the plan.", "She has criticised the plan."},
		{"title case in a headline", "US Kinetic Operations Against Cartels", "US Military Strikes Against Cartels"},
		{"a name in the middle of a sentence keeps its place",
			"Voters reject Sleepy Joe again.", "Voters reject Joe Biden again."},
		{"an abbreviation is not shouting", "He called him a RINO.", "He called him a moderate Republican."},
		{"advice where no drop-in fits the slot", "He claims to be a doctor.",
			"He claims [try “says” or “said”] to be a doctor."},
		{"advice where a modifier stands alone", "The area is crime-ridden and poor.",
			"The area is crime-ridden [try “high-crime” or “with high crime rates”, or give the crime figures] and poor."},
		{"advice after a clause's comma", "Prices rose, so-called core inflation too.",
			"Prices rose, so-called [try “what (named person) calls”, or drop the word] core inflation too."},
		{"advice between joined modifiers", "An accomplished and esteemed general spoke.",
			"An accomplished and esteemed [try “well-known” or “long-established”, or drop the word] general spoke."},
		{"quoted words are the speaker's", `She said "the regime lied" on Monday.`, `She said "the regime lied" on Monday.`},
		{"plain senses stay plain", "The bill passed on Tuesday after a long debate.", "The bill passed on Tuesday after a long debate."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := a.Analyze(Document{Text: tt.text})
			assert.Equal(t, tt.want, NeutralText(tt.text, r.NeutralEdits))
			checkNeutralEdits(t, tt.text, r.Findings, r.NeutralEdits)
		})
	}
}

// checkNeutralEdits checks the invariants every client relies on: one
// edit per own-voice finding, in text order, never overlapping, each
// covering its finding, advice only on the finding's own words.
func checkNeutralEdits(t *testing.T, text string, findings []Finding, edits []NeutralEdit) {
	t.Helper()
	own := 0
	for _, f := range findings {
		if !f.InQuote {
			own++
		}
	}
	require.Len(t, edits, own, "one edit per own-voice finding")
	end := 0
	for _, e := range edits {
		f := findings[e.Finding]
		assert.False(t, f.InQuote, "no edit for a quoted finding")
		assert.GreaterOrEqual(t, e.Start, end, "edits are in order and do not overlap")
		assert.LessOrEqual(t, e.Start, f.Start, "an edit covers its finding")
		assert.GreaterOrEqual(t, e.End, f.End, "an edit covers its finding")
		assert.LessOrEqual(t, e.End, len(text))
		switch e.Kind {
		case NeutralAdvice:
			assert.Equal(t, [2]int{f.Start, f.End}, [2]int{e.Start, e.End}, "advice sits on the finding's own words")
			assert.NotEmpty(t, e.Text)
		case NeutralReplace:
			assert.NotEmpty(t, e.Text)
		case NeutralDrop:
		default:
			t.Errorf("unknown kind %q", e.Kind)
		}
		end = e.End
	}
}

func TestArticleFor(t *testing.T) {
	tests := map[string]string{
		"idea": "an", "unusual": "an", "hour": "an", "honest": "an", "MP": "an", "FBI": "an",
		"union": "a", "university": "a", "one-off": "a", "European": "a", "UN": "a", "plan": "a",
		"surprise": "a", "8": "an", "11th": "an", "1990s": "a",
	}
	for word, want := range tests {
		assert.Equal(t, want, articleFor(word), word)
	}
}

func TestAdviceText(t *testing.T) {
	assert.Equal(t, "try “government”, “administration” or “leadership”",
		adviceText([]string{"government", "administration", "leadership"}))
	assert.Equal(t, "try “border policies”, or say what the policy is",
		adviceText([]string{"border policies", "say what the policy is", "name the law"}))
	assert.Equal(t, "try “use of force”", adviceText([]string{"use of force"}), "“use of” is words, not advice")
	assert.Equal(t, "drop the word", adviceText([]string{"drop the word"}))
	assert.Equal(t, "say what happened in plain words", adviceText(nil))
}

func TestNeutralTextIgnoresBrokenEdits(t *testing.T) {
	text := "one two three"
	edits := []NeutralEdit{
		{Start: 4, End: 7, Kind: NeutralReplace, Text: "2"},
		{Start: 5, End: 9, Kind: NeutralReplace, Text: "overlapping"},
		{Start: 8, End: 99, Kind: NeutralReplace, Text: "out of range"},
		{Start: 0, End: 3, Kind: NeutralAdvice, Text: "count"},
	}
	assert.Equal(t, "one [count] 2 three", NeutralText(text, edits))
}

// TestLexiconNeutralFormsAreChecked: a drop_in or droppable that names no
// form of its entry, or is not written in lower case, is an error at load
// time that names the entry.
func TestLexiconNeutralFormsAreChecked(t *testing.T) {
	base := "category: test\nlabel: Test\ndescription: A test category.\nseverity: 1\nentries:\n  - term: regime\n    alternatives: [government]\n    reason: A reason.\n"
	tests := []struct {
		name, extra, want string
	}{
		{"a form of the entry", "    drop_in: {regime: government, regimes: governments}\n", ""},
		{"with the next word", "    drop_in: {regime (of): government}\n", ""},
		{"not a form", "    drop_in: {dictatorship: government}\n", `drop_in "dictatorship" is not a form of this entry`},
		{"capitals", "    drop_in: {Regime: government}\n", `write it in lower case`},
		{"no words", "    drop_in: {regime: \"\"}\n", `has no words`},
		{"both", "    drop_in: {regime: government}\n    droppable: [regime]\n", `both in drop_in and in droppable`},
		{"droppable not a form", "    droppable: [junta]\n", `droppable "junta" is not a form of this entry`},
		{"two next words", "    drop_in: {regime (of the): government}\n", `only one following word`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseLexicon([]LexiconFile{{Name: "test.yaml", Data: []byte(base + tt.extra)}})
			if tt.want == "" {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			assert.True(t, strings.Contains(err.Error(), "regime"), "the error names the entry: %v", err)
		})
	}
}
