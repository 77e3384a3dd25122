package analysis

import (
	"errors"
	"fmt"
)

// Context words: a lexicon form may put words at its start or end in
// parentheses, "(he) claims" or "(the) myth (that)". They must be present
// for the form to match, which keeps the loaded sense apart from the plain
// one ("the claim that" casts doubt, "insurance claims" do not), but the
// finding covers only the words outside the parentheses, so a highlight
// points at the loaded words and not at the glue around them.

// formFocus returns how many words at the start (lead) and at the end
// (trail) of form are context words in parentheses, or why form cannot be
// a lexicon form.
func formFocus(form string) (lead, trail int, err error) {
	tokens := tokenize(form, nil)
	if len(tokens) == 0 {
		return 0, 0, errors.New("has no words")
	}
	inContext := make([]bool, len(tokens))
	depth, t := 0, 0
	for i := 0; i < len(form); i++ {
		for t < len(tokens) && tokens[t].start == i {
			inContext[t] = depth > 0
			t++
		}
		switch form[i] {
		case '(':
			if depth > 0 {
				return 0, 0, errors.New("parentheses inside parentheses")
			}
			depth++
		case ')':
			if depth == 0 {
				return 0, 0, errors.New("a closing parenthesis without an opening one")
			}
			depth--
		}
	}
	if depth > 0 {
		return 0, 0, errors.New("an opening parenthesis is not closed")
	}
	for lead < len(tokens) && inContext[lead] {
		lead++
	}
	for trail < len(tokens)-lead && inContext[len(tokens)-1-trail] {
		trail++
	}
	if lead == len(tokens) {
		return 0, 0, errors.New("every word is in parentheses; at least one word must be outside them")
	}
	for i := lead; i < len(tokens)-trail; i++ {
		if inContext[i] {
			return 0, 0, fmt.Errorf("%q is in parentheses in the middle; only words at the start or the end can be context", form[tokens[i].start:tokens[i].end])
		}
	}
	return lead, trail, nil
}

// CheckForm reports whether form can be a lexicon form: it has words, and
// its parentheses, if any, mark context words at its start or end.
func CheckForm(form string) error {
	_, _, err := formFocus(form)
	return err
}

// FormStems is the stem of each word of form as the matcher compares it
// (folded: lower case, NFKC, straight apostrophes; then Porter2, which
// also drops a possessive "'s"). Two forms whose stems are equal match
// the same words: "the's" and full-width "ｔｈｅ" match every "the".
func FormStems(form string) []string {
	return wordKeys(form, false)
}
