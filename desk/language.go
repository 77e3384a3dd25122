package desk

import (
	"slant/ingest"
	"slant/models"
)

// Slant's word lists are English. The intake tells every article's
// language, whichever door it comes through (takeIn, ingest.DetectLanguage),
// and the article keeps it (models.Article.Language). An article found to
// be in another language is stored and analyzed like any other, but it is
// not scored: the comparison (ranking, summary, frames, passages) leaves
// it out, an exercise does not offer it, the page shows it with "not
// scored: Slant's word lists are English" instead of its figures, and the
// exports mark it (scored false). An article whose language could not be
// told (a short text), or stored before the language was recorded, is
// scored as before.

// NotScoredMessage is what the page and the API say of an article in
// another language.
const NotScoredMessage = "not scored: Slant's word lists are English"

// Scored reports whether an article's scores count: its language is
// English or unknown.
func Scored(a models.Article) bool {
	return ingest.LanguageOf(a.Language).English()
}

// LanguageName is the name of an article's language ("Spanish"), "" when
// unknown.
func LanguageName(a models.Article) string {
	return ingest.LanguageOf(a.Language).Name
}

// Unscored is an article a comparison leaves out, with why.
type Unscored struct {
	ArticleID    int64  `json:"article_id"`
	Outlet       string `json:"outlet"`
	Language     string `json:"language"`
	LanguageName string `json:"language_name"`
	Reason       string `json:"reason"`
}
