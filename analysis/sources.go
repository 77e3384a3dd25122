package analysis

// SourceProfile is who an article lets speak, and how. Placeholder: being
// written for the deeper-analysis issue.
type SourceProfile struct{}

// SourceComparison compares who each outlet quotes. Placeholder.
type SourceComparison struct{}

func (a *Analyzer) sources(text string, tokens []token, quotes []Span, sentences []Span) SourceProfile {
	return SourceProfile{}
}

func compareSources(articles []ComparedArticle) SourceComparison { return SourceComparison{} }
