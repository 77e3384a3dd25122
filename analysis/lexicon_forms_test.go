package analysis

import (
	"strings"
	"testing"
)

// TestEveryFormFlagsItself: each form of each built-in entry, written out
// on its own (context words included), is flagged, and by its own entry or
// a longer one. An except phrase that stems to the same words as a form
// would silently switch that form off ("bulldozers" once hid "bulldoze").
func TestEveryFormFlagsItself(t *testing.T) {
	a := builtinTestAnalyzer(t)
	for _, c := range a.Lexicon().Categories() {
		for _, e := range c.Entries {
			for _, form := range append([]string{e.Term}, e.Also...) {
				text := strings.NewReplacer("(", "", ")", "").Replace(form)
				toks := tokenize(text, nil)
				matches := a.lexicon.matcher.find(text, toks)
				ok := false
				for _, m := range matches {
					if !m.pattern.exception {
						ok = true
					}
				}
				if !ok {
					var got []string
					for _, m := range matches {
						got = append(got, m.pattern.String())
					}
					t.Errorf("%s/%s: the form %q is not flagged on its own (matches: %v)", c.Name, e.Term, form, got)
				}
			}
		}
	}
}
