// Package analysis finds loaded language in news text and compares how
// several outlets cover one event. It is pure: text in, Report out, with no
// database, network or clock, so the same input always gives the same output.
package analysis

// Span is a half-open byte range [Start, End) into the UTF-8 text as it was
// submitted.
type Span struct {
	Start int `json:"start"`
	End   int `json:"end"`
}

// Finding is one stretch of loaded language: the words, why they are loaded
// and what a neutral report would say instead.
type Finding struct {
	Start        int      `json:"start"`
	End          int      `json:"end"`
	Text         string   `json:"text"`
	Term         string   `json:"term"`
	Category     string   `json:"category"`
	Severity     int      `json:"severity"`
	Alternatives []string `json:"alternatives"`
	Reason       string   `json:"reason"`
	// InQuote marks words inside quotation marks: the speaker's words, not
	// the outlet's. They are reported but counted apart.
	InQuote bool `json:"in_quote"`
	// Custom marks a finding of the class word list: a term the teacher
	// added, not one of Slant's built-in lists.
	Custom bool `json:"custom,omitempty"`
}

// SentenceVerdict says whether one sentence reads as slanted, and how
// strongly: from the findings inside it (Score) and from the sentence model
// (ModelScore). It is biased when either reaches its threshold.
type SentenceVerdict struct {
	Start  int     `json:"start"`
	End    int     `json:"end"`
	Biased bool    `json:"biased"`
	Score  float64 `json:"score"`
	// Findings holds the indexes into Report.Findings of the findings that
	// lie inside this sentence, so a verdict can be traced to its words.
	Findings []int `json:"findings"`
	// ModelScore is the sentence model's chance (0 to 1) that the
	// sentence is slanted; at or above the model's threshold the sentence
	// is biased even without a listed word.
	ModelScore float64 `json:"model_score"`
	// ModelWords are, for a sentence the model scores at or above its
	// threshold, the words that pushed its score most, highest first.
	ModelWords []ModelWord `json:"model_words,omitempty"`
}

// Scores condenses a report into figures that can be compared across
// outlets. Every figure is derived from Report.Findings.
type Scores struct {
	// LoadedIndex is severity-weighted findings in the outlet's own voice
	// per 1,000 words of the outlet's own voice.
	LoadedIndex float64 `json:"loaded_index"`
	// QuotedIndex is the same measure over the words inside quotations.
	QuotedIndex    float64 `json:"quoted_index"`
	Words          int     `json:"words"`
	OwnWords       int     `json:"own_words"`
	QuotedWords    int     `json:"quoted_words"`
	OwnFindings    int     `json:"own_findings"`
	QuotedFindings int     `json:"quoted_findings"`
	// OwnWeight is the sum of severities of own-voice findings: the
	// numerator of LoadedIndex.
	OwnWeight       int `json:"own_weight"`
	BiasedSentences int `json:"biased_sentences"`
	// Categories counts own-voice findings per category.
	Categories map[string]int `json:"categories"`
	// ModelSlant is the sentence model's mean score over the sentences in
	// the outlet's own voice (not mostly inside quotation marks), 0 to 1.
	// It sits beside LoadedIndex, which stays the ranking: LoadedIndex can
	// be traced to listed words, ModelSlant to each sentence's model_words.
	ModelSlant float64 `json:"model_slant"`
}

// Report is the analysis of one text.
type Report struct {
	Findings  []Finding         `json:"findings"`
	Sentences []SentenceVerdict `json:"sentences"`
	Quotes    []Span            `json:"quotes"`
	Scores    Scores            `json:"scores"`
	// TitleFindings are findings in the headline; their offsets count
	// into the title, not the text.
	TitleFindings []Finding `json:"title_findings"`
	// Frames is the article's policy-frame profile (framing.go).
	Frames FrameProfile `json:"frames"`
	// Sources is who the article lets speak, and how (sources.go).
	Sources SourceProfile `json:"sources"`
	// Tone is sentiment and subjectivity, headline against body (tone.go).
	Tone Tone `json:"tone"`
	// NeutralEdits make the neutral version of the text from its own-voice
	// findings (neutral.go); TitleNeutralEdits do it for the headline.
	NeutralEdits      []NeutralEdit `json:"neutral_edits"`
	TitleNeutralEdits []NeutralEdit `json:"title_neutral_edits"`
	LexiconVersion    string        `json:"lexicon_version"`
}

// Document is what the analyzer reads: an optional headline and the body.
type Document struct {
	Title string
	Text  string
}
