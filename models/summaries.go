package models

import (
	"context"

	"gorm.io/gorm"
)

// ListArticleSummaries returns an event's articles in the order they were
// added, each with its outlet and the version and time of its stored
// analysis, but without the text (Body is empty) or the report (the
// Analysis's Report is nil): what a list of articles needs, read in a
// time and memory that do not grow with the articles' size. It fails with
// ErrNotFound when the event does not exist.
func (s *Store) ListArticleSummaries(ctx context.Context, eventID int64) ([]Article, error) {
	return s.listArticles(ctx, eventID, func(db *gorm.DB) *gorm.DB {
		return withoutReports(db.Omit("body"))
	})
}

// ListArticleTexts returns an event's articles as ListArticleSummaries
// does but with their texts: what a page that shows the texts and not
// their analyses needs (a student's exercise), without reading reports
// several times the texts' size.
func (s *Store) ListArticleTexts(ctx context.Context, eventID int64) ([]Article, error) {
	return s.listArticles(ctx, eventID, withoutReports)
}

// withoutReports preloads each article's outlet and the version and time
// of its stored analysis, leaving the report out.
func withoutReports(db *gorm.DB) *gorm.DB {
	return db.Preload("Outlet").Preload("Analysis", func(tx *gorm.DB) *gorm.DB {
		return tx.Select("article_id", "lexicon_version", "analyzed_at")
	})
}
