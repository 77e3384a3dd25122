package analysis

// Tone is an article's sentiment and subjectivity. Placeholder: being
// written for the deeper-analysis issue.
type Tone struct{}

func (a *Analyzer) tone(doc Document, tokens []token, sentences []Span, findings, titleFindings []Finding) Tone {
	return Tone{}
}
