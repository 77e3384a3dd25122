package models

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// StaleArticle is an article whose stored analysis was made with another
// lexicon version, or is missing: the text to analyze again.
type StaleArticle struct {
	ID    int64
	Title string
	Body  string
}

// staleCondition selects, on articles LEFT JOIN analyses, the articles
// without an analysis made with the given lexicon version.
const staleCondition = "(analyses.article_id IS NULL OR analyses.lexicon_version <> ?)"

// StaleArticles returns up to limit articles with an id above afterID whose
// analysis is missing or was made with a lexicon version other than
// version, in id order, so that a sweep can page through them.
func (s *Store) StaleArticles(ctx context.Context, version string, afterID int64, limit int) ([]StaleArticle, error) {
	out := []StaleArticle{}
	err := s.db.WithContext(ctx).Table("articles").
		Select("articles.id AS id, articles.title AS title, articles.body AS body").
		Joins("LEFT JOIN analyses ON analyses.article_id = articles.id").
		Where("articles.id > ? AND "+staleCondition, afterID, version).
		Order("articles.id").Limit(limit).Scan(&out).Error
	if err != nil {
		return nil, wrap(err, "list stale analyses")
	}
	return out, nil
}

// CountStaleArticles counts the articles StaleArticles would return over
// all pages.
func (s *Store) CountStaleArticles(ctx context.Context, version string) (int64, error) {
	var n int64
	err := s.db.WithContext(ctx).Table("articles").
		Joins("LEFT JOIN analyses ON analyses.article_id = articles.id").
		Where(staleCondition, version).Count(&n).Error
	if err != nil {
		return 0, wrap(err, "count stale analyses")
	}
	return n, nil
}

// SaveAnalyses stores several analyses in one transaction, each replacing
// its article's earlier one. Analyses of articles that no longer exist
// (deleted while they were being made) are skipped; the number saved is
// returned.
func (s *Store) SaveAnalyses(ctx context.Context, analyses []Analysis) (int, error) {
	if len(analyses) == 0 {
		return 0, nil
	}
	rows := make([]Analysis, 0, len(analyses))
	ids := make([]int64, 0, len(analyses))
	for _, an := range analyses {
		if err := validateAnalysis(&an); err != nil {
			return 0, fmt.Errorf("save analyses: article %d: %w", an.ArticleID, err)
		}
		an.AnalyzedAt = analyzedAt(&an)
		rows = append(rows, an)
		ids = append(ids, an.ArticleID)
	}
	saved := 0
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		saved = 0
		var present []int64
		for start := 0; start < len(ids); start += hashQueryChunk {
			var part []int64
			if err := tx.Model(&Article{}).Where("id IN ?", ids[start:min(start+hashQueryChunk, len(ids))]).Pluck("id", &part).Error; err != nil {
				return err
			}
			present = append(present, part...)
		}
		exists := make(map[int64]bool, len(present))
		for _, id := range present {
			exists[id] = true
		}
		keep := rows[:0:0]
		for _, an := range rows {
			if exists[an.ArticleID] {
				keep = append(keep, an)
			}
		}
		for start := 0; start < len(keep); start += defaultImportChunk {
			part := keep[start:min(start+defaultImportChunk, len(keep))]
			err := tx.Clauses(clause.OnConflict{
				Columns:   []clause.Column{{Name: "article_id"}},
				DoUpdates: clause.AssignmentColumns([]string{"report", "lexicon_version", "analyzed_at"}),
			}).Create(&part).Error
			if errors.Is(err, gorm.ErrForeignKeyViolated) {
				return errArticleMissing
			}
			if err != nil {
				return err
			}
			saved += len(part)
		}
		return nil
	})
	if err != nil {
		return 0, wrap(err, "save %d analyses", len(analyses))
	}
	return saved, nil
}
