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
		// Plain senses found by reading `slant eval --entries` hits, each
		// beside its loaded sense.
		{"The bill passed on Tuesday after a long debate.", nil},
		{"She passed on the offer and stayed in Leeds.", nil},
		{"The firm passed on the savings to its customers.", nil},
		{"The measure passed on March 3 by one vote.", nil},
		{"His grandmother passed on peacefully last week.", []string{"passed on"}},
		{"Her grandfather passed away in May.", []string{"passed away"}},
		{"Doctors changed her treatment regime twice.", nil},
		{"The regime jailed its critics.", []string{"regime"}},
		{"The minister made it clear that talks would go on.", nil},
		{"It's clear that the plan failed.", []string{"It's clear that"}},
		{"The decision was a change of course for the government.", nil},
		{"Of course, the plan failed.", []string{"Of course"}},
		{"Jobless claims fell to a new low last week.", nil},
		{"Shares hit a new low on Friday.", nil},
		{"The attack ad is a new low for the campaign.", []string{"a new low"}},
		{"Hospitals are in a desperate situation.", nil},
		{"The desperate mayor begged for votes.", []string{"desperate"}},
		{"Climbers were caught in dangerous situations on the ridge.", nil},
		{"Migrants set out on the dangerous journey north.", nil},
		{"His dangerous ideas threaten us all.", []string{"dangerous"}},
		{"The number of children who go completely unvaccinated is rising.", nil},
		{"The plan completely failed.", []string{"completely"}},
		{"The engineer must have a good working relationship with the driver.", nil},
		{"It was a must-have gadget this winter.", []string{"must-have"}},
		{"He pleaded guilty to lying to federal agents.", nil},
		{"Regulators want tighter rules on Big Tech firms.", nil},
		{"Big Pharma raised prices again.", []string{"Big Pharma"}},
		{"The House Un-American Activities Committee called him in 1951.", nil},
		{"Critics called the senator un-American.", []string{"un-American"}},
		{"Several communist governments fell in 1989.", nil},
		{"He called his rival a communist.", []string{"communist"}},
		{"Sufferers believe they are infested with insects.", nil},
		{"The mayor spoke of an infestation of migrants.", []string{"infestation"}},
		{"Republicans promised big savings for everyday Americans.", nil},
		{"Real Americans know the truth.", []string{"Real Americans"}},
		// Issue 16, a teacher's reading: plain senses beside loaded ones.
		{"Simplify the radical before adding the two terms.", nil},
		{"Draw the radical sign over the nine.", nil},
		{"The boatyard showed a radical new design for the keel.", nil},
		{"The radical wants to abolish the courts.", []string{"radical"}},
		{"The baker claimed a tax deduction for the oven.", nil},
		{"She claimed the world title in Lyon.", nil},
		{"The baker claimed the oven was faulty.", []string{"claimed"}},
		{"The ferry company admitted liability for the crash.", nil},
		{"The ferry company admitted it had cut corners.", []string{"admitted"}},
		{"The alderman insisted on a recorded vote.", nil},
		{"The alderman insisted the vote was fair.", []string{"insisted"}},
		{"The regime of the river changes with the snowmelt.", nil},
		{"A regime of tariffs protected the mills until 1990.", nil},
		{"The regime silenced the newspapers.", []string{"regime"}},
		// An intensifier before a verb that already says "total" is
		// still an intensifier: the verb alone tells the same.
		{"The storm completely destroyed the pier.", []string{"completely"}},
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

// TestBuiltinLexiconFormEntries checks that a form is reported under the
// entry whose reason and alternatives fit it: a verb of saying under the
// verb, not under the noun its stem shares; a reaction word, a cost phrase,
// doubled intensifiers and a campaign phrase under entries of their own.
func TestBuiltinLexiconFormEntries(t *testing.T) {
	lex, err := BuiltinLexicon()
	require.NoError(t, err)
	a, err := NewAnalyzer(lex)
	require.NoError(t, err)
	tests := []struct {
		text, words, category, term, firstAlternative string
	}{
		{"He claimed that the ledger was forged.", "claimed", "loaded-verb-of-saying", "claimed", "said"},
		{"The clerk kept claiming that nobody had told her.", "claiming", "loaded-verb-of-saying", "claimed", "said"},
		{"She claims that the ledger was forged.", "claims", "loaded-verb-of-saying", "(he) claims", "says"},
		{"The firm now claims that the ledger was forged.", "claims", "loaded-verb-of-saying", "(he) claims", "says"},
		{"It is wrong to claim that the ledger was forged.", "claim", "loaded-verb-of-saying", "(he) claims", "says"},
		{"The mayor repeated his claim that the ledger was forged.", "claim", "judgement", "(the) claim (that)", "the statement that"},
		{"The firm denied claims that the ledger was forged.", "claims", "judgement", "(the) claim (that)", "the statement that"},
		{"Terrified pupils hid in the gym.", "Terrified", "sensationalism", "terrified", "frightened"},
		{"Neighbours were horrified by the noise.", "horrified", "sensationalism", "terrified", "frightened"},
		{"It was a horrific crash.", "horrific", "sensationalism", "horrific", "serious"},
		{"Ratepayers were left holding the bag for the new arena.", "left holding the bag", "loaded-action-verb", "left holding the bag", "left to pay"},
		{"The aide was thrown under the bus by the minister.", "thrown under the bus", "loaded-action-verb", "threw under the bus", "blamed"},
		{"The timetable was totally and completely wrong.", "totally and completely", "intensifier-absolute", "complete and total", "drop the doubled words"},
		{"The reopening was an utter disaster.", "utter disaster", "intensifier-absolute", "total disaster", "failure"},
		{"The levy hits hardworking families hardest.", "hardworking families", "presupposition", "hardworking families", "families"},
		{"Only real Americans know the truth.", "real Americans", "presupposition", "silent majority", "voters"},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			findings := a.Analyze(Document{Text: tt.text}).Findings
			require.Len(t, findings, 1)
			f := findings[0]
			assert.Equal(t, tt.words, f.Text)
			assert.Equal(t, tt.category, f.Category)
			assert.Equal(t, tt.term, f.Term)
			require.NotEmpty(t, f.Alternatives)
			assert.Equal(t, tt.firstAlternative, f.Alternatives[0])
		})
	}
}
