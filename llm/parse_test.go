package llm

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestExtractJSONIsTolerant(t *testing.T) {
	cases := map[string]string{
		`{"a":1}`:                         `{"a":1}`,
		"```json\n{\"a\":1}\n```":         `{"a":1}`,
		"```\n[1,2]\n```\ntrailing words": `[1,2]`,
		"Sure! Here is the JSON:\n{\"a\":{\"b\":[1]}} Hope": `{"a":{"b":[1]}}`,
		"<think>maybe {\"a\":0}</think>\n{\"a\":2}":         `{"a":2}`,
		"use {braces} like {\"a\":3}":                       `{"a":3}`,
		"```json\n{broken\n```\n{\"a\":4}":                  `{"a":4}`,
	}
	for in, want := range cases {
		got, err := extractJSON(in)
		require.NoError(t, err, in)
		assert.JSONEq(t, want, string(got), in)
	}
	for _, in := range []string{"", "no json here", "{\"a\": ", "<think>{\"a\":1}", "Roses are red,\nviolets are blue"} {
		_, err := extractJSON(in)
		assert.ErrorIs(t, err, errNotJSON, in)
	}
}

func TestParseSentencesValidates(t *testing.T) {
	texts := []string{"The mayor slammed the plan.", "The council met.", "It was a catastrophe."}
	answer := `{"sentences":[
		{"id":0,"type":"word_choice_labelling","strength":0.7,"explanation":"Slammed\n dramatises.","rewrite":"The mayor criticised the plan."},
		{"id":1,"type":"none","strength":0,"explanation":"Plain fact.","rewrite":""},
		{"id":2,"type":"sensationalism","strength":1,"explanation":"Overstates.","rewrite":"It was a failure."},
		{"id":3,"type":"none","strength":0,"explanation":"Out of range.","rewrite":""},
		{"id":-1,"type":"none","strength":0,"explanation":"Negative.","rewrite":""},
		{"id":0.5,"type":"none","strength":0,"explanation":"Fraction.","rewrite":""},
		{"id":"1","type":"none","strength":0,"explanation":"String id.","rewrite":""},
		{"id":1,"type":"poem","strength":0.1,"explanation":"Unknown type.","rewrite":""},
		{"id":1,"type":"none","strength":3,"explanation":"Too strong.","rewrite":""},
		{"id":1,"type":"none","strength":"0.5","explanation":"String strength.","rewrite":""},
		{"id":1,"type":"none","strength":0,"explanation":"   ","rewrite":""},
		{"id":1,"type":"none","strength":0,"explanation":"Rewrite for none.","rewrite":"Something else."},
		{"id":1,"type":"none","strength":0,"explanation":"` + strings.Repeat("x", maxExplanationRunes+1) + `","rewrite":""},
		"not an object"
	]}`
	got, drops, err := parseSentences(answer, texts)
	require.NoError(t, err)
	require.Len(t, got.Judgements, 3)
	assert.Equal(t, 11, got.Dropped)
	assert.Len(t, drops, 11)
	assert.Equal(t, "Slammed dramatises.", got.Judgements[0].Explanation, "white space collapsed")
	assert.Equal(t, TypeNone, got.Judgements[1].Type)
	assert.Equal(t, 1.0, got.Judgements[2].Strength)
	reasons := ""
	for _, d := range drops {
		reasons += d.Reason + "\n"
	}
	for _, want := range []string{"not a sentence of this chunk", "whole number", "unknown bias type \"poem\"", "strength", "explanation is empty", "rewrite given for a sentence typed none", "characters long", "not a JSON object"} {
		assert.Contains(t, reasons, want)
	}
}

func TestParseSentencesDropsDuplicatesAndKeepsOrder(t *testing.T) {
	texts := []string{"a.", "b.", "c."}
	answer := `[{"id":2,"type":"none","strength":0,"explanation":"x."},
		{"id":0,"type":"none","strength":0,"explanation":"x.","rewrite":null},
		{"id":1,"type":"none","strength":0,"explanation":"one."},
		{"id":1,"type":"speculation","strength":0.4,"explanation":"two.","rewrite":"b?"}]`
	got, drops, err := parseSentences(answer, texts)
	require.NoError(t, err)
	require.Len(t, got.Judgements, 2)
	assert.Equal(t, 0, got.Judgements[0].ID)
	assert.Equal(t, 2, got.Judgements[1].ID)
	assert.Len(t, drops, 2, "both answers for sentence 1 go")
	assert.Contains(t, drops[0].Reason, "answered 2 times")
}

func TestParseSentencesClearsARewriteThatIsTheSentence(t *testing.T) {
	got, _, err := parseSentences(`{"sentences":[{"id":0,"type":"speculation","strength":0.3,"explanation":"Guesses.","rewrite":" He  may resign. "}]}`, []string{"He may resign."})
	require.NoError(t, err)
	require.Len(t, got.Judgements, 1)
	assert.Empty(t, got.Judgements[0].Rewrite)
}

func TestParseSentencesNeedsAList(t *testing.T) {
	for _, in := range []string{`{"poem":"roses"}`, `{"a":[1],"b":[2]}`, `{"sentences":"none"}`, `Roses are red`} {
		_, _, err := parseSentences(in, []string{"x."})
		assert.Error(t, err, in)
	}
	got, _, err := parseSentences(`{"results":[{"id":0,"type":"none","strength":0,"explanation":"ok."}]}`, []string{"x."})
	require.NoError(t, err, "a lone list under another name is read")
	assert.Len(t, got.Judgements, 1)
}

func TestCleanDropsControlCharacters(t *testing.T) {
	assert.Equal(t, "a b c", clean(" a\u0000 \n\t b\u200b c\u0007 "))
	assert.Equal(t, "", clean("\n\t "))
}

func TestParseFactsValidates(t *testing.T) {
	outlets := []string{"Daily A", "Daily B"}
	answer := "```json\n" + `{"summary":" The council met on Monday. ","facts":[
		{"text":"The council met on Monday.","outlets":["Daily A","daily b"]},
		{"text":"the council met on monday.","outlets":["Daily A","Daily B"]},
		{"text":"Only one says this.","outlets":["Daily A"]},
		{"text":"Unknown outlet.","outlets":["Daily A","Daily B","Daily C"]},
		{"text":"","outlets":["Daily A","Daily B"]},
		{"outlets":["Daily A","Daily B"]}
	]}` + "\n```"
	got, drops, err := parseFacts(answer, outlets)
	require.NoError(t, err)
	assert.Equal(t, "The council met on Monday.", got.Summary)
	require.Len(t, got.Facts, 1)
	assert.Equal(t, []string{"Daily A", "Daily B"}, got.Facts[0].Outlets, "names are the event's own")
	assert.Len(t, drops, 5)

	for _, bad := range []string{`{"facts":[]}`, `{"summary":"","facts":[]}`, `{"summary":"` + strings.Repeat("s", maxSummaryRunes+1) + `"}`, `{"summary":"ok","facts":"x"}`, `a poem`} {
		_, _, err := parseFacts(bad, outlets)
		assert.Error(t, err, bad)
	}
	got, _, err = parseFacts(`{"summary":"They agree on nothing."}`, outlets)
	require.NoError(t, err)
	assert.Empty(t, got.Facts)
	assert.NotNil(t, got.Facts)
}

func TestFactsAreCapped(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"summary":"s","facts":[`)
	for i := range maxFacts + 3 {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(`{"text":"fact ` + strings.Repeat("i", i+1) + `","outlets":["A","B"]}`)
	}
	b.WriteString("]}")
	got, drops, err := parseFacts(b.String(), []string{"A", "B"})
	require.NoError(t, err)
	assert.Len(t, got.Facts, maxFacts)
	assert.Len(t, drops, 3)
}
