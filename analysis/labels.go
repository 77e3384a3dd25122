package analysis

// LabelComparison compares how outlets name the same people, groups and
// places. Placeholder: being written for the deeper-analysis issue.
type LabelComparison struct{}

func compareLabels(articles []ComparedArticle) LabelComparison { return LabelComparison{} }
