package analysis

import (
	"fmt"
	"strings"
)

// pattern is one compiled lexicon form. An exception pattern matches like
// any other but yields no finding: it exists to win, by being longer, over
// a term inside it ("sanctions regime" over "regime").
type pattern struct {
	category, entry int // indexes into Lexicon.categories and its entries
	form            string
	exception       bool
	// lead and trail count the context words at the form's start and end
	// (form.go): matched, but left out of the finding.
	lead, trail int
}

// matchNode is a node of a trie over word keys. Each edge is either a stem
// or an exact folded form, so stemmed and exact terms share one walk.
type matchNode struct {
	byStem  map[string]*matchNode
	byFold  map[string]*matchNode
	pattern *pattern
}

// matcher finds lexicon terms in a token stream, leftmost-longest, in one
// pass over the tokens: no regular expressions, no rescans per term.
type matcher struct {
	root     *matchNode
	patterns int
}

func compileMatcher(categories []Category) (*matcher, error) {
	m := &matcher{root: &matchNode{}}
	for ci, c := range categories {
		for ei, e := range c.Entries {
			for _, form := range append([]string{e.Term}, e.Also...) {
				lead, trail, err := formFocus(form)
				if err != nil {
					return nil, fmt.Errorf("%s: form %q: %w", c.Name, form, err)
				}
				p := &pattern{category: ci, entry: ei, form: form, lead: lead, trail: trail}
				if err := m.add(wordKeys(form, e.Exact), e.Exact, p, categories); err != nil {
					return nil, err
				}
			}
			for _, form := range e.Except {
				p := &pattern{category: ci, entry: ei, form: form, exception: true}
				if err := m.add(wordKeys(form, false), false, p, categories); err != nil {
					return nil, err
				}
			}
		}
	}
	return m, nil
}

func (m *matcher) add(keys []string, exact bool, p *pattern, categories []Category) error {
	if len(keys) == 0 {
		return fmt.Errorf("%s: form %q has no words", categories[p.category].Name, p.form)
	}
	node := m.root
	for _, k := range keys {
		edges := &node.byStem
		if exact {
			edges = &node.byFold
		}
		if *edges == nil {
			*edges = map[string]*matchNode{}
		}
		next, ok := (*edges)[k]
		if !ok {
			next = &matchNode{}
			(*edges)[k] = next
		}
		node = next
	}
	if prev := node.pattern; prev != nil {
		if prev.exception && p.exception {
			return nil // two entries may share an exception phrase
		}
		if prev.category == p.category && prev.entry == p.entry && prev.exception == p.exception {
			return nil // two spellings of one entry that read alike ("blood-bath", "blood bath")
		}
		pc, pe := categories[prev.category], categories[prev.category].Entries[prev.entry]
		return fmt.Errorf("%s: %q (entry %q) matches the same words as %q (entry %q in %s)",
			categories[p.category].Name, p.form, categories[p.category].Entries[p.entry].Term,
			prev.form, pe.Term, pc.Name)
	}
	node.pattern = p
	m.patterns++
	return nil
}

// match is a span of tokens [first, last] covered by one pattern.
type match struct {
	first, last int
	pattern     *pattern
}

// find returns the leftmost-longest matches in token order, exceptions
// included (the caller drops them).
func (m *matcher) find(text string, tokens []token) []match {
	return m.findAll(text, tokens, 0, nil)
}

// findAll is find counting its work on w: one unit per token looked at,
// from each token as many as the longest form has words at most. Tokens
// whose starts bit says they begin no form are passed over.
func (m *matcher) findAll(text string, tokens []token, bit uint8, w *work) []match {
	var out []match
	// frontier holds the trie nodes reached by the current run of tokens;
	// it rarely holds more than two.
	var frontier, next []*matchNode
	for i := 0; i < len(tokens); {
		if tokens[i].startsNothing(bit) {
			i++
			continue
		}
		best := -1
		var bestPattern *pattern
		frontier = append(frontier[:0], m.root)
		for j := i; j < len(tokens) && len(frontier) > 0; j++ {
			w.tick(1)
			if j > i && !joinable(text, tokens[j-1], tokens[j]) {
				break
			}
			next = next[:0]
			for _, n := range frontier {
				if c, ok := n.byStem[tokens[j].stem]; ok {
					next = append(next, c)
				}
				if c, ok := n.byFold[tokens[j].fold]; ok {
					next = append(next, c)
				}
			}
			for _, n := range next {
				if n.pattern != nil {
					best, bestPattern = j, n.pattern
					break
				}
			}
			frontier, next = next, frontier
		}
		if best < 0 {
			i++
			continue
		}
		out = append(out, match{first: i, last: best, pattern: bestPattern})
		i = best + 1
	}
	return out
}

// startsWith reports whether a form of the matcher starts with a word of
// this fold and stem.
func (m *matcher) startsWith(fold, stem string) bool {
	_, byStem := m.root.byStem[stem]
	_, byFold := m.root.byFold[fold]
	return byStem || byFold
}

// String names the pattern, for error messages and tests.
func (p *pattern) String() string {
	kind := "term"
	if p.exception {
		kind = "exception"
	}
	return strings.Join([]string{kind, p.form}, ":")
}
