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
		return db.Omit("body").Preload("Outlet").
			Preload("Analysis", func(tx *gorm.DB) *gorm.DB {
				return tx.Select("article_id", "lexicon_version", "analyzed_at")
			})
	})
}
