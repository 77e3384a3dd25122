package llm

import (
	"time"

	"slant/analysis"
)

// PromptVersion names the prompts, schemas and validation rules in this
// package. It is part of every cache key and of every result's Meta, and
// must change whenever any of them changes, so that old answers are
// neither served from the cache nor mistaken for new ones.
const PromptVersion = "2026-11-21.1"

// Article is what AnalyzeSentences reads: the headline (context only) and
// the body with its sentence spans, usually the analysis.Report's own
// (SpansOf), so that judgements map back to the same byte offsets.
type Article struct {
	Title     string
	Text      string
	Sentences []analysis.Span
}

// SpansOf returns the sentence spans of a word-list report, in order: the
// spans to put in Article.Sentences so that judgement indexes match
// report.Sentences.
func SpansOf(r analysis.Report) []analysis.Span {
	out := make([]analysis.Span, len(r.Sentences))
	for i, v := range r.Sentences {
		out[i] = analysis.Span{Start: v.Start, End: v.End}
	}
	return out
}

// SentenceJudgement is the model's validated verdict on one sentence.
type SentenceJudgement struct {
	// Index is the sentence's position in Article.Sentences; Start and
	// End are its byte offsets into Article.Text.
	Index int      `json:"index"`
	Start int      `json:"start"`
	End   int      `json:"end"`
	Type  BiasType `json:"type"`
	// Strength is how strongly the sentence shows Type, from 0 (not at
	// all) to 1 (blatantly).
	Strength float64 `json:"strength"`
	// Explanation says in one sentence why the type was chosen.
	Explanation string `json:"explanation"`
	// Rewrite is a neutral version of the sentence; it is empty when Type
	// is none, and may be empty when no rewrite of the one sentence helps
	// (one-sided sourcing, say).
	Rewrite string `json:"rewrite"`
}

// Biased reports whether the model found any bias in the sentence.
func (j SentenceJudgement) Biased() bool { return j.Type.Biased() }

// Score is the judgement as one number: Strength for a bias type, 0 for
// none.
func (j SentenceJudgement) Score() float64 {
	if !j.Biased() {
		return 0
	}
	return j.Strength
}

// Meta records where a result came from and what it cost.
type Meta struct {
	Model         string `json:"model"`
	PromptVersion string `json:"prompt_version"`
	// Chunks is how many requests the input was cut into, Cached how many
	// of them were answered from the cache.
	Chunks int `json:"chunks"`
	Cached int `json:"cached"`
	// FailedChunks were answered with output that was not JSON even when
	// asked again; their sentences are left unjudged.
	FailedChunks int `json:"failed_chunks"`
	// Dropped is how many answered items failed validation.
	Dropped int `json:"dropped"`
	// Unjudged is how many sentences have no judgement (AnalyzeSentences).
	Unjudged int `json:"unjudged"`
	// Truncated is how many articles were cut to fit the token budget
	// (AgreedFacts).
	Truncated int `json:"truncated"`
	// Fallback is true when the server rejected the JSON-schema response
	// format and plain prompting was used.
	Fallback         bool          `json:"fallback"`
	PromptTokens     int           `json:"prompt_tokens"`
	CompletionTokens int           `json:"completion_tokens"`
	Duration         time.Duration `json:"duration_ns"`
}

// EventInput is what AgreedFacts reads: the event's title and each
// outlet's article.
type EventInput struct {
	Title    string
	Articles []EventArticle
}

// EventArticle is one outlet's article on an event. Outlet names must be
// distinct within an event: facts are attributed by them.
type EventArticle struct {
	Outlet string
	Title  string
	Text   string
}

// AgreedFacts is a neutral account of what every outlet reports.
type AgreedFacts struct {
	// Summary is a short neutral paragraph built only from the facts.
	Summary string `json:"summary"`
	Facts   []Fact `json:"facts"`
}

// Fact is one statement the outlets share, with the outlets that state
// it: after validation, every outlet of the event.
type Fact struct {
	Text    string   `json:"text"`
	Outlets []string `json:"outlets"`
}
