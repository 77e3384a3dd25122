package analysis

import (
	"cmp"
	"fmt"
	"slices"
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
	// The same edges by word number (matcher.stemIDs, foldIDs), sorted,
	// for tokens that carry their numbers: no string is hashed.
	stemEdges, foldEdges []matchEdge
}

type matchEdge struct {
	id   int32
	next *matchNode
}

// matcher finds lexicon terms in a token stream, leftmost-longest, in one
// pass over the tokens: no regular expressions, no rescans per term.
type matcher struct {
	root     *matchNode
	patterns int
	// stemIDs and foldIDs number every key of the trie, at any depth,
	// from 1; rootStems and rootFolds are the root's edges by number.
	stemIDs, foldIDs     map[string]int32
	rootStems, rootFolds []*matchNode
}

func compileMatcher(categories []Category) (*matcher, error) {
	m := &matcher{root: &matchNode{}, stemIDs: map[string]int32{}, foldIDs: map[string]int32{}}
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
	m.numberEdges()
	return m, nil
}

// numberEdges gives every node its edges by word number.
func (m *matcher) numberEdges() {
	var walk func(n *matchNode)
	walk = func(n *matchNode) {
		for k, next := range n.byStem {
			n.stemEdges = append(n.stemEdges, matchEdge{m.stemIDs[k], next})
			walk(next)
		}
		for k, next := range n.byFold {
			n.foldEdges = append(n.foldEdges, matchEdge{m.foldIDs[k], next})
			walk(next)
		}
		slices.SortFunc(n.stemEdges, func(a, b matchEdge) int { return cmp.Compare(a.id, b.id) })
		slices.SortFunc(n.foldEdges, func(a, b matchEdge) int { return cmp.Compare(a.id, b.id) })
	}
	walk(m.root)
	m.rootStems = make([]*matchNode, len(m.stemIDs)+1)
	for _, e := range m.root.stemEdges {
		m.rootStems[e.id] = e.next
	}
	m.rootFolds = make([]*matchNode, len(m.foldIDs)+1)
	for _, e := range m.root.foldEdges {
		m.rootFolds[e.id] = e.next
	}
}

// edge follows the edge of number id among edges, or returns nil.
func edge(edges []matchEdge, id int32) *matchNode {
	if id == 0 {
		return nil
	}
	if len(edges) <= 8 {
		for _, e := range edges {
			if e.id == id {
				return e.next
			}
		}
		return nil
	}
	if k, ok := slices.BinarySearchFunc(edges, id, func(e matchEdge, id int32) int { return cmp.Compare(e.id, id) }); ok {
		return edges[k].next
	}
	return nil
}

// wordIDs numbers a word for this matcher: its stem's and its fold's
// numbers as keys of the trie, 0 for none.
func (m *matcher) wordIDs(fold, stem string) (stemID, foldID int32) {
	return m.stemIDs[stem], m.foldIDs[fold]
}

func (m *matcher) add(keys []string, exact bool, p *pattern, categories []Category) error {
	if len(keys) == 0 {
		return fmt.Errorf("%s: form %q has no words", categories[p.category].Name, p.form)
	}
	node := m.root
	for _, k := range keys {
		edges, ids := &node.byStem, m.stemIDs
		if exact {
			edges, ids = &node.byFold, m.foldIDs
		}
		if ids[k] == 0 {
			ids[k] = int32(len(ids) + 1)
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
	return m.findAll(text, tokens, 0, 0, false, nil)
}

// findAll is find counting its work on w: one unit per token looked at,
// from each token as many as the longest form has words at most. Tokens
// whose starts bits say they begin no form are passed over, and a form
// goes on no further than a token its in bit says is in none. When the
// tokens carry their numbers for this matcher (numbered), edges are
// followed by number.
func (m *matcher) findAll(text string, tokens []token, bit, in uint8, numbered bool, w *work) []match {
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
			if j > i && (tokens[j].startsNothing(in) || !joinable(text, tokens[j-1], tokens[j])) {
				break
			}
			next = next[:0]
			switch {
			case numbered && j == i:
				if c := m.rootStems[tokens[j].stemID]; c != nil {
					next = append(next, c)
				}
				if c := m.rootFolds[tokens[j].foldID]; c != nil {
					next = append(next, c)
				}
			case numbered:
				for _, n := range frontier {
					if c := edge(n.stemEdges, tokens[j].stemID); c != nil {
						next = append(next, c)
					}
					if c := edge(n.foldEdges, tokens[j].foldID); c != nil {
						next = append(next, c)
					}
				}
			default:
				for _, n := range frontier {
					if c, ok := n.byStem[tokens[j].stem]; ok {
						next = append(next, c)
					}
					if c, ok := n.byFold[tokens[j].fold]; ok {
						next = append(next, c)
					}
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

// holds reports whether any form of the matcher has a word of this fold
// and stem, anywhere in it.
func (m *matcher) holds(fold, stem string) bool {
	return m.stemIDs[stem] != 0 || m.foldIDs[fold] != 0
}

// String names the pattern, for error messages and tests.
func (p *pattern) String() string {
	kind := "term"
	if p.exception {
		kind = "exception"
	}
	return strings.Join([]string{kind, p.form}, ":")
}
