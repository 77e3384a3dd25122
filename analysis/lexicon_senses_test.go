package analysis

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestBuiltinLexiconSenses checks that the built-in lexicon flags the
// loaded sense of a word and leaves its literal sense alone: the "except"
// phrases are what keep plain news from being flagged.
func TestBuiltinLexiconSenses(t *testing.T) {
	lex, err := BuiltinLexicon()
	require.NoError(t, err)
	a, err := NewAnalyzer(lex)
	require.NoError(t, err)
	tests := []struct {
		text string
		want []string // the words flagged, in order
	}{
		{"The senator lies about the budget.", []string{"lies"}},
		{"He claims the vote was rigged.", []string{"claims"}},
		{"The problem lies in the budget.", nil},
		{"The town lies north of the river.", nil},
		{"He was charged with lying to the FBI.", nil},
		{"The mayor repeated the claim that crime had doubled.", []string{"claim"}},
		{"Insurers paid the claims on Monday.", nil},
		{"The tax cut is a ploy to win votes.", []string{"ploy"}},
		{"They pushed their ideology on schools.", []string{"ideology"}},
		{"Voters across the political ideology spectrum agreed.", nil},
		{"Police aggressively pursued the protesters.", []string{"aggressively"}},
		{"She has an aggressive form of cancer.", nil},
		{"Governor blasts the new plan.", []string{"blasts"}},
		{"Two blasts rocked the harbour.", nil},
		{"A mob gathered outside the court.", []string{"mob"}},
		{"An angry mob gathered outside.", []string{"angry mob"}},
		{"A flash mob danced in the square.", nil},
		{"Regulators fined the firm for predatory lending.", nil},
		{"It was a predatory scheme.", []string{"predatory"}},
		{"Inflation stayed stubbornly high.", nil},
		{"The council stubbornly refused.", []string{"stubbornly"}},
		{"The group ran a dirty campaign.", []string{"dirty"}},
		{"Workers found a dirty bomb.", nil},
		{"The report says the danger was exaggerated.", []string{"exaggerated"}},
		{"The council met on Tuesday and approved the budget.", nil},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			var got []string
			for _, f := range a.Analyze(Document{Text: tt.text}).Findings {
				got = append(got, f.Text)
			}
			assert.Equal(t, tt.want, got)
		})
	}
}
