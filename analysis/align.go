package analysis

// ContentComparison aligns an event's articles and shows what each outlet
// carries alone. Placeholder: being written for the deeper-analysis issue.
type ContentComparison struct{}

func alignContent(articles []ComparedArticle) ContentComparison { return ContentComparison{} }
