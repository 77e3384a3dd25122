package analysis

// ComparedArticle is one outlet's article on an event, with its report, as
// handed to Compare.
type ComparedArticle struct {
	ArticleID int64  `json:"article_id"`
	Outlet    string `json:"outlet"`
	Title     string `json:"title"`
	// Text is the article body the report was made from; the content
	// alignment and the labels need the words themselves.
	Text   string `json:"-"`
	Report Report `json:"-"`
}

// TermUse counts how often an outlet used one lexicon term in its own voice.
type TermUse struct {
	Term     string `json:"term"`
	Category string `json:"category"`
	Severity int    `json:"severity"`
	Count    int    `json:"count"`
	// Examples are the distinct surface forms found, in text order.
	Examples []string `json:"examples"`
	// ExampleCounts says how often each of Examples was found, in the same
	// order: one entry can be written several ways ("rammed through",
	// "bulldozed through"), and Count is their sum.
	ExampleCounts []int `json:"example_counts"`
}

// OutletScore is one article's standing in a comparison.
type OutletScore struct {
	ArticleID   int64   `json:"article_id"`
	Outlet      string  `json:"outlet"`
	Title       string  `json:"title"`
	Rank        int     `json:"rank"`
	LoadedIndex float64 `json:"loaded_index"`
	QuotedIndex float64 `json:"quoted_index"`
	Words       int     `json:"words"`
	OwnFindings int     `json:"own_findings"`
	// QuotedFindings counts the findings inside quotations, which the
	// loaded index leaves out: an outlet can be plain in its own voice and
	// still quote loaded words.
	QuotedFindings int            `json:"quoted_findings"`
	Categories     map[string]int `json:"categories"`
	// ModelSlant is the sentence model's mean own-voice score
	// (Scores.ModelSlant), shown beside the loaded index; the ranking
	// stays the loaded index's.
	ModelSlant float64 `json:"model_slant"`
	// TopTerms are the outlet's strongest own-voice terms, by severity then
	// count.
	TopTerms []TermUse `json:"top_terms"`
}

// Comparison sets an event's articles side by side.
type Comparison struct {
	// Outlets are ranked by loaded index, most loaded first.
	Outlets []OutletScore `json:"outlets"`
	// Categories lists every category that occurs in any outlet, sorted.
	Categories []string `json:"categories"`
	// Frames sets the outlets' frame profiles side by side (framing.go).
	Frames FrameComparison `json:"frames"`
	// Sources compares who each outlet quotes (sources.go).
	Sources SourceComparison `json:"sources"`
	// Content aligns the articles sentence by sentence and shows what each
	// outlet carries that the others leave out (align.go).
	Content ContentComparison `json:"content"`
	// Labels compares the words outlets use to name the same people,
	// groups and places (labels.go).
	Labels LabelComparison `json:"labels"`
	// Tone sets the outlets' sentiment and subjectivity side by side
	// (tone.go).
	Tone ToneComparison `json:"tone"`
	// Summary is a plain-language account built from the figures above.
	Summary        []string `json:"summary"`
	LexiconVersion string   `json:"lexicon_version"`
}
