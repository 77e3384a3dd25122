package analysis

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFormFocus(t *testing.T) {
	tests := []struct {
		form        string
		lead, trail int
		err         string
	}{
		{"claims", 0, 0, ""},
		{"(he) claims", 1, 0, ""},
		{"(the) myth (that)", 1, 1, ""},
		{"(in an) apparent attempt", 2, 0, ""},
		{"lash out (at)", 0, 1, ""},
		{"( the ) claim", 1, 0, ""},
		{"big (bad) wolf", 0, 0, `"bad" is in parentheses in the middle; only words at the start or the end can be context`},
		{"(the) (claim)", 0, 0, "every word is in parentheses; at least one word must be outside them"},
		{"((the)) claim", 0, 0, "parentheses inside parentheses"},
		{"the) claim", 0, 0, "a closing parenthesis without an opening one"},
		{"(the claim", 0, 0, "an opening parenthesis is not closed"},
		{"!!!", 0, 0, "has no words"},
	}
	for _, tt := range tests {
		t.Run(tt.form, func(t *testing.T) {
			lead, trail, err := formFocus(tt.form)
			if tt.err != "" {
				require.EqualError(t, err, tt.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, [2]int{tt.lead, tt.trail}, [2]int{lead, trail})
		})
	}
}

// TestContextWordsAreMatchedButNotFlagged checks that the words in
// parentheses decide whether a form matches but stay outside the finding.
func TestContextWordsAreMatchedButNotFlagged(t *testing.T) {
	lex, err := ParseLexicon([]LexiconFile{{Name: "doubt.yaml", Data: []byte(`category: doubt
label: Doubt
description: Casting doubt.
severity: 1
entries:
  - term: (the) myth (that)
    alternatives: [the belief that]
    reason: Dismisses a belief before any evidence.
`)}})
	require.NoError(t, err)
	a, err := NewAnalyzer(lex)
	require.NoError(t, err)
	text := "They repeated the myth that taxes fall. A myth is a story."
	r := a.Analyze(Document{Text: text})
	require.Len(t, r.Findings, 1, "the myth without its context words does not match")
	f := r.Findings[0]
	assert.Equal(t, "myth", f.Text)
	assert.Equal(t, "myth", text[f.Start:f.End])
	assert.Equal(t, "(the) myth (that)", f.Term)
}

func TestLexiconRejectsMisplacedContextWords(t *testing.T) {
	_, err := ParseLexicon([]LexiconFile{{Name: "bad.yaml", Data: []byte(`category: bad
label: Bad
description: Bad forms.
severity: 1
entries:
  - term: big (bad) wolf
    alternatives: [wolf]
    reason: A test.
`)}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `"bad" is in parentheses in the middle`)
}

// FuzzCheckForm feeds arbitrary forms, as a teacher's word list may hold,
// to the form checker: it must not panic, and a form it accepts must leave
// at least one word outside the parentheses for the finding.
func FuzzCheckForm(f *testing.F) {
	for _, s := range []string{"(he) claims", "(the) myth (that)", "big (bad) wolf", "((x))", ")(", "(é) ñ", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, form string) {
		if CheckForm(form) != nil {
			return
		}
		lead, trail, err := formFocus(form)
		require.NoError(t, err)
		words := len(tokenize(form, nil))
		require.Less(t, lead+trail, words, "no word left to highlight in %q", form)
	})
}
