package analysis

import (
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestWordSyllables checks the syllable counter against the counts a
// pronouncing dictionary gives, word by word, with the hard cases of
// English spelling: silent endings, vowel pairs said apart, y as a vowel,
// abbreviations, contractions and hyphens.
func TestWordSyllables(t *testing.T) {
	tests := map[string]int{
		// one vowel group, silent endings
		"the": 1, "a": 1, "cat": 1, "make": 1, "makes": 1, "whole": 1, "large": 1, "charge": 1,
		"jumped": 1, "called": 1, "killed": 1, "mocked": 1, "named": 1, "based": 1, "changed": 1,
		"used": 1, "caused": 1, "lives": 1, "clothes": 1, "urged": 1, "fired": 1, "shocked": 1,
		"tried": 1, "piece": 1, "field": 1, "true": 1, "blue": 1, "does": 1, "goes": 1, "shoe": 1,
		"year": 1, "they": 1, "play": 1, "eye": 1, "quick": 1, "three": 1, "free": 1, "prove": 1,
		"proof": 1, "sneer": 1, "false": 1, "else": 1, "shown": 1, "fire": 1, "sure": 1,
		// kept endings
		"wanted": 2, "added": 2, "hated": 2, "table": 2, "little": 2, "tables": 2, "troubled": 2,
		"boxes": 2, "races": 2, "pages": 2, "uses": 2, "judges": 2, "losses": 2, "pushes": 2,
		"issue": 2, "issues": 2, "argue": 2, "hatred": 2, "hundred": 2, "heroes": 2,
		"controlled": 2, "misled": 2,
		// vowel pairs said apart, and not
		"media": 3, "radio": 3, "video": 3, "actual": 3, "usual": 3, "stadium": 3, "period": 3,
		"theory": 3, "ideal": 3, "poem": 2, "influence": 3, "society": 4, "easier": 3, "client": 2,
		"audience": 3, "fluid": 2, "situation": 4, "negotiate": 4, "ideology": 5, "embryo": 3,
		"nation": 2, "national": 3, "social": 2, "special": 2, "region": 2, "religion": 3,
		"million": 2, "opinion": 3, "patient": 2, "ancient": 2, "quarter": 2, "language": 2,
		"equal": 2, "real": 1, "deal": 1, "reveal": 2, "beating": 2, "treated": 2, "threaten": 2,
		"creature": 2, "create": 2, "creation": 3, "coal": 1, "coalition": 4, "righteous": 2,
		"courageous": 3, "religious": 3, "anxious": 2, "obvious": 3, "serious": 3, "various": 3,
		"suspicious": 3, "contentious": 3, "dangerous": 3, "ridiculous": 4, "neutral": 2,
		"biased": 2, "bias": 2, "violence": 3, "science": 2, "quiet": 2,
		// y
		"happy": 2, "my": 1, "why": 1, "beyond": 2, "player": 2, "mayor": 2, "yes": 1,
		"employee": 3, "bullying": 3, "denying": 3, "terrifying": 4, "multiplying": 4,
		// -ism, suffixes after a silent e
		"racism": 3, "sarcasm": 3, "euphemism": 4, "criticism": 4, "hopeless": 2, "homeless": 2,
		"statement": 2, "movement": 2, "careful": 2, "lonely": 2, "safely": 2, "likely": 2,
		"completely": 3, "entirely": 3, "immediately": 5, "awareness": 3, "freely": 2,
		// longer words
		"government": 3, "administration": 5, "international": 5, "supporter": 3, "opponents": 3,
		"vaccine": 2, "illegitimate": 5, "dictatorship": 4, "judgement": 2, "judgment": 2,
		"readers": 2, "reporter": 3, "describe": 2, "description": 3, "criticised": 3,
		"criticized": 3, "suggests": 2, "loaded": 2, "exaggerates": 4, "exaggerated": 5,
		"hellhole": 2, "neighbourhood": 3, "neighborhood": 3, "communist": 3, "protesters": 3,
		"immigrant": 3, "immigration": 4, "alternatives": 4, "questionable": 4, "billionaire": 3,
		"compassionate": 4, "consequences": 4, "businesses": 4, "volunteer": 3, "recipient": 4,
		"agreeing": 3, "disagreeing": 4, "everywhere": 3,
		// abbreviations, contractions, hyphens, numbers
		"FBI": 3, "US": 2, "U.S": 2, "F.B.I": 3, "NATO": 2, "isn't": 2, "didn't": 2, "don't": 1, "can't": 1,
		"won't": 1, "Trump's": 1, "people’s": 2, "crime-ridden": 3, "tax-and-spend": 3,
		"anti-vaxxer": 4, "so-called": 2, "2026": 1,
	}
	for word, want := range tests {
		assert.Equal(t, want, wordSyllables(word), word)
	}
}

func TestReadingCounts(t *testing.T) {
	tests := []struct {
		text                        string
		words, sentences, syllables int
	}{
		{"", 0, 0, 0},
		{"The cat sat.", 3, 1, 3},
		{"The cat sat. The dog ran!", 6, 2, 6},
		{"Is it true? Yes.", 4, 2, 4},
		{"No full stop at the end", 6, 1, 6},
		{"The U.S. spent $6.8 million on it.", 7, 1, 9},             // neither "U.S." nor "6.8" ends a sentence
		{`He said "it is over." Then he left.`, 8, 2, 9},            // a stop before a closing quotation mark
		{"Wait... what?! Fine.", 3, 2, 3},                           // runs of stops count once; a lower-case word goes on
		{"A crime-ridden area, they say; don't.", 6, 1, 10},         // hyphenated and contracted words are one word
		{"Headline without a stop\n\nAnd a second line.", 8, 2, 11}, // a line break ends a sentence
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			w, s, syl := readingCounts(tt.text)
			assert.Equal(t, [3]int{tt.words, tt.sentences, tt.syllables}, [3]int{w, s, syl})
		})
	}
}

func TestFleschKincaid(t *testing.T) {
	tests := []struct {
		text string
		want float64
	}{
		// 0.39 × 3/1 + 11.8 × 3/3 − 15.59 = −2.62
		{"The cat sat.", -2.62},
		// 10 words, 1 sentence, 11 syllables: 3.9 + 12.98 − 15.59 = 1.29
		{"The mayor spoke to the crowd and then went home.", 1.29},
		// 9 words, 18 syllables: 3.51 + 23.6 − 15.59 = 11.52
		{"Calling a government a regime suggests it is illegitimate.", 11.52},
		// 11 words in 2 sentences, 11 syllables: 2.145 + 11.8 − 15.59 = −1.645
		{"He said no to the plan. She said yes to it.", -1.645},
		{"", 0},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			assert.InDelta(t, tt.want, fleschKincaid(tt.text), 0.005, fmt.Sprint(readingCounts(tt.text)))
		})
	}
	assert.False(t, math.IsNaN(fleschKincaid("...")))
}
