package main

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"strings"

	"slant/demo"
)

// sentenceRE cuts the demo texts into sentences: good enough to shuffle
// them into new articles, which is all the generator needs.
var sentenceRE = regexp.MustCompile(`[^.!?]+[.!?]+["”’]?`)

// textGenerator makes article texts of a given length from the sentences
// of the demo event (neutral and slanted reporting, quotations and
// attributions), shuffled with a seeded generator, so that a run of the
// load or scale tool always sends the same texts and the analysis meets
// realistic density.
type textGenerator struct {
	sentences []string
	rnd       *rand.Rand
}

func newTextGenerator(seed uint64) (*textGenerator, error) {
	ev, err := demo.Load()
	if err != nil {
		return nil, fmt.Errorf("load the demo texts: %w", err)
	}
	g := &textGenerator{rnd: rand.New(rand.NewPCG(seed, 0x5eed))}
	for _, a := range ev.Articles {
		for _, s := range sentenceRE.FindAllString(a.Text, -1) {
			if s = strings.Join(strings.Fields(s), " "); len(strings.Fields(s)) >= 3 {
				g.sentences = append(g.sentences, s)
			}
		}
	}
	if len(g.sentences) == 0 {
		return nil, fmt.Errorf("the demo texts have no sentences")
	}
	return g, nil
}

// article returns a text of at least words words that starts with lead (a
// unique first sentence, so that no two generated texts are equal), in
// paragraphs of about five sentences.
func (g *textGenerator) article(lead string, words int) string {
	var b strings.Builder
	b.WriteString(lead)
	count := len(strings.Fields(lead))
	for n := 1; count < words; n++ {
		s := g.sentences[g.rnd.IntN(len(g.sentences))]
		if n%5 == 0 {
			b.WriteString("\n\n")
		} else {
			b.WriteByte(' ')
		}
		b.WriteString(s)
		count += len(strings.Fields(s))
	}
	return b.String()
}
