package llm

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"slant/analysis"
)

// sentenceOverhead is the estimated tokens of the JSON around each
// sentence in the data block: {"id":12,"text":""},
const sentenceOverhead = 8

// EstimateTokens guesses how many tokens a text costs: one per four
// bytes, rounded up. It is rough on purpose; budgets leave room for it.
func EstimateTokens(s string) int { return (len(s) + 3) / 4 }

// chunk is a run of consecutive sentences sent in one request.
type chunk struct {
	First int      // index of its first sentence in the article
	Texts []string // the sentence texts, in order
}

// checkSpans verifies that the spans lie inside text, are non-empty, in
// order and do not overlap, and fall on character boundaries.
func checkSpans(text string, spans []analysis.Span) error {
	prev := 0
	for i, s := range spans {
		switch {
		case s.Start < 0 || s.End > len(text) || s.Start >= s.End:
			return fmt.Errorf("sentence %d: span [%d, %d) is empty or outside the text's %d bytes", i, s.Start, s.End, len(text))
		case s.Start < prev:
			return fmt.Errorf("sentence %d: span [%d, %d) starts before the previous one ends (%d)", i, s.Start, s.End, prev)
		case !boundary(text, s.Start) || !boundary(text, s.End):
			return fmt.Errorf("sentence %d: span [%d, %d) cuts a character", i, s.Start, s.End)
		}
		prev = s.End
	}
	return nil
}

func boundary(s string, i int) bool { return i == len(s) || utf8.RuneStart(s[i]) }

// chunkSentences cuts the sentences into runs whose estimated tokens stay
// within budget, never splitting a sentence (a sentence over the budget
// goes alone) and never putting more than maxChunkSentences in one run.
// The runs cover every sentence once, in order.
func chunkSentences(text string, spans []analysis.Span, budget int) []chunk {
	var out []chunk
	var cur chunk
	used := 0
	for i, s := range spans {
		t := text[s.Start:s.End]
		cost := EstimateTokens(t) + sentenceOverhead
		if len(cur.Texts) > 0 && (used+cost > budget || len(cur.Texts) == maxChunkSentences) {
			out = append(out, cur)
			cur, used = chunk{}, 0
		}
		if len(cur.Texts) == 0 {
			cur.First = i
		}
		cur.Texts = append(cur.Texts, t)
		used += cost
	}
	if len(cur.Texts) > 0 {
		out = append(out, cur)
	}
	return out
}

// fitArticles cuts each article's text to an equal share of a budget of
// tokens, at the end of a sentence or line where possible (news puts the
// agreed facts first), and says how many were cut.
func fitArticles(arts []EventArticle, budget int) ([]EventArticle, int) {
	if len(arts) == 0 {
		return arts, 0
	}
	share := max(budget/len(arts), 1) * 4 // bytes
	out := make([]EventArticle, len(arts))
	cut := 0
	for i, a := range arts {
		out[i] = a
		if len(a.Text) > share {
			out[i].Text = cutText(a.Text, share)
			cut++
		}
	}
	return out, cut
}

// cutText returns the longest prefix of s of at most n bytes that ends a
// sentence or line, else one that ends a word, else the bytes that fit on
// a character boundary.
func cutText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	head := s[:n]
	best := -1
	for _, end := range []string{". ", "! ", "? ", ".\n", "!\n", "?\n", "\n", ".\u201d ", ".\" "} {
		if k := strings.LastIndex(head, end); k >= 0 {
			best = max(best, k+len(strings.TrimRight(end, " \n")))
		}
	}
	if best < n/2 {
		if k := strings.LastIndexAny(head, " \t\n"); k > n/2 {
			best = k
		}
	}
	if best <= 0 {
		best = n
		for best > 0 && !utf8.RuneStart(s[best]) {
			best--
		}
	}
	return strings.TrimSpace(s[:best])
}
