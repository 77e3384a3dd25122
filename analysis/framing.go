package analysis

// FrameProfile is an article's policy-frame profile. Placeholder: being
// written for the deeper-analysis issue.
type FrameProfile struct{}

// FrameComparison sets frame profiles side by side. Placeholder.
type FrameComparison struct{}

func (a *Analyzer) frames(text string, tokens []token, sentences []Span) FrameProfile {
	return FrameProfile{}
}

func compareFrames(articles []ComparedArticle) FrameComparison { return FrameComparison{} }
