package llm

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slant/analysis"
)

func TestChunkSentencesKeepsSentencesWholeAndInOrder(t *testing.T) {
	var sents []string
	for i := range 30 {
		sents = append(sents, "Sentence number "+strings.Repeat("x", i*7)+" ends here.")
	}
	sents = append(sents, strings.Repeat("long ", 400)+"sentence.") // ~500 tokens on its own
	a := article("", sents...)
	budget := 120
	chunks := chunkSentences(a.Text, a.Sentences, budget)
	next := 0
	for _, ch := range chunks {
		assert.Equal(t, next, ch.First, "chunks follow each other")
		cost := 0
		for k, text := range ch.Texts {
			span := a.Sentences[ch.First+k]
			assert.Equal(t, a.Text[span.Start:span.End], text, "a chunk holds whole sentences")
			cost += EstimateTokens(text) + sentenceOverhead
		}
		if len(ch.Texts) > 1 {
			assert.LessOrEqual(t, cost, budget)
		}
		next += len(ch.Texts)
	}
	assert.Equal(t, len(sents), next, "every sentence is in one chunk")
	assert.Len(t, chunks[len(chunks)-1].Texts, 1, "an oversized sentence goes alone")
}

func TestChunkSentencesCapsSentencesPerChunk(t *testing.T) {
	var sents []string
	for range 2*maxChunkSentences + 1 {
		sents = append(sents, "Hi.")
	}
	a := article("", sents...)
	chunks := chunkSentences(a.Text, a.Sentences, maxTokenBudget)
	require.Len(t, chunks, 3)
	assert.Len(t, chunks[0].Texts, maxChunkSentences)
	assert.Len(t, chunks[2].Texts, 1)
}

func TestCheckSpans(t *testing.T) {
	text := "Über alles. Zwei."
	assert.NoError(t, checkSpans(text, []analysis.Span{{Start: 0, End: 12}, {Start: 13, End: 18}}))
	for _, spans := range [][]analysis.Span{
		{{Start: 0, End: 40}},
		{{Start: 3, End: 3}},
		{{Start: -1, End: 3}},
		{{Start: 5, End: 9}, {Start: 0, End: 3}},
		{{Start: 1, End: 5}}, // inside the Ü
	} {
		assert.Error(t, checkSpans(text, spans), spans)
	}
}

func TestFitArticlesCutsAtSentenceEnds(t *testing.T) {
	long := strings.Repeat("The council met on Monday. ", 40)
	arts, cut := fitArticles([]EventArticle{{Outlet: "A", Text: long}, {Outlet: "B", Text: "Short."}}, 100)
	assert.Equal(t, 1, cut)
	assert.LessOrEqual(t, len(arts[0].Text), 200)
	assert.True(t, strings.HasSuffix(arts[0].Text, "Monday."), arts[0].Text)
	assert.Equal(t, "Short.", arts[1].Text)

	assert.Equal(t, "aaaa bbbb", cutText("aaaa bbbb cccc", 11), "else at a word end")
	assert.Equal(t, "ééé", cutText("éééééé", 7), "else on a character boundary")
}
