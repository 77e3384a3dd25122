package models

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Limits on article and outlet fields, checked before anything is written.
const (
	// MaxOutletName is the longest outlet name accepted, in characters.
	MaxOutletName = 200
	// MaxOutletDomain is the longest outlet domain accepted: the DNS limit.
	MaxOutletDomain = 253
	// MaxArticleURL is the longest article URL accepted, in bytes.
	MaxArticleURL = 2048
	// MaxArticleTitle is the longest article title (headline) accepted,
	// in characters: a long headline is some 150.
	MaxArticleTitle = 500
)

// errEventMissing and errArticleMissing are the answers when a write refers
// to a parent that is not there. They are validation errors rather than
// ErrNotFound because the thing asked for (the new row) is what is wrong.
var (
	errEventMissing   = &ValidationError{Field: "event", Problem: "does not exist"}
	errArticleMissing = &ValidationError{Field: "article", Problem: "does not exist"}
)

// validateArticle checks and tidies the fields of an article about to be
// added. The body is kept exactly as given, since analysis offsets point
// into it.
func validateArticle(a *Article) error {
	a.Outlet.Name = strings.TrimSpace(a.Outlet.Name)
	a.Title = strings.TrimSpace(a.Title)
	a.URL = strings.TrimSpace(a.URL)
	switch {
	case a.Outlet.Name == "":
		return &ValidationError{Field: "outlet", Problem: "is required"}
	case utf8.RuneCountInString(a.Outlet.Name) > MaxOutletName:
		return &ValidationError{Field: "outlet", Problem: fmt.Sprintf("must be at most %d characters", MaxOutletName)}
	case utf8.RuneCountInString(a.Title) > MaxArticleTitle:
		return &ValidationError{Field: "title", Problem: fmt.Sprintf("must be at most %d characters", MaxArticleTitle)}
	case strings.TrimSpace(a.Body) == "":
		return &ValidationError{Field: "text", Problem: "is required"}
	}
	if err := firstError(checkControls("outlet", a.Outlet.Name, false), checkControls("title", a.Title, false),
		checkControls("text", a.Body, true)); err != nil {
		return err
	}
	return validateURL(a.URL)
}

// validateURL accepts an empty URL (pasted text has none) or an absolute
// http or https URL with a host.
func validateURL(raw string) error {
	if raw == "" {
		return nil
	}
	if len(raw) > MaxArticleURL {
		return &ValidationError{Field: "url", Problem: fmt.Sprintf("must be at most %d characters", MaxArticleURL)}
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return &ValidationError{Field: "url", Problem: "must be an http or https URL"}
	}
	return nil
}

// validateAnalysis checks a report about to be stored. The lexicon version is
// required because without it a stored score cannot be reproduced.
func validateAnalysis(an *Analysis) error {
	an.LexiconVersion = strings.TrimSpace(an.LexiconVersion)
	switch {
	case len(an.Report) == 0:
		return &ValidationError{Field: "report", Problem: "is required"}
	case an.LexiconVersion == "":
		return &ValidationError{Field: "lexicon_version", Problem: "is required"}
	}
	return nil
}

// AddArticle stores an article in its event, in one transaction. The outlet
// is found by a.Outlet.Name or created with outletDomain; an existing
// outlet without a domain gets this one. ContentHash is computed from the body
// when empty. If an is not nil it is stored as the article's analysis.
//
// It fails with a ValidationError on bad input or when the event does not
// exist (Field "event"), and with ErrConflict when the event already has the
// same text. On success a and an carry their IDs, a.Outlet the stored outlet.
func (s *Store) AddArticle(ctx context.Context, a *Article, outletDomain string, an *Analysis) error {
	domain, err := validateAddition(a, outletDomain, an)
	if err != nil {
		return fmt.Errorf("add article: %w", err)
	}

	// Work on copies so that a failed transaction leaves no half-filled IDs
	// in the caller's values.
	art := *a
	art.Analysis = nil
	if art.ContentHash == "" {
		art.ContentHash = ContentHash(art.Body)
	}
	art.PublishedAt = utcPtr(art.PublishedAt)
	if !art.CreatedAt.IsZero() {
		art.CreatedAt = utc(art.CreatedAt)
	}
	var report *Analysis
	if an != nil {
		report = new(*an)
		report.AnalyzedAt = analyzedAt(report)
	}

	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if ok, err := exists(tx, &Event{}, "id = ?", art.EventID); err != nil {
			return err
		} else if !ok {
			return errEventMissing
		}
		outlet, _, err := findOrCreateOutlet(tx, art.Outlet.Name, domain)
		if err != nil {
			return err
		}
		art.OutletID, art.Outlet = outlet.ID, outlet
		if err := tx.Omit(clause.Associations).Create(&art).Error; err != nil {
			if errors.Is(err, gorm.ErrForeignKeyViolated) {
				// The event went away after the check above (PostgreSQL
				// lets that happen between two statements).
				return errEventMissing
			}
			return err
		}
		if report != nil {
			report.ArticleID = art.ID
			if err := tx.Omit(clause.Associations).Create(report).Error; err != nil {
				return err
			}
			art.Analysis = report
		}
		return nil
	})
	if err != nil {
		return wrap(err, "add article to event %d", art.EventID)
	}
	*a = art
	if an != nil {
		*an = *report
	}
	return nil
}

// validateAddition checks and tidies what AddArticle is given: the
// article, the outlet's domain (returned tidied) and the analysis, if any.
func validateAddition(a *Article, outletDomain string, an *Analysis) (string, error) {
	if err := validateArticle(a); err != nil {
		return "", err
	}
	domain := strings.ToLower(strings.TrimSpace(outletDomain))
	if len(domain) > MaxOutletDomain {
		return "", &ValidationError{Field: "outlet_domain", Problem: fmt.Sprintf("must be at most %d characters", MaxOutletDomain)}
	}
	if err := checkControls("outlet_domain", domain, false); err != nil {
		return "", err
	}
	if an != nil {
		if err := validateAnalysis(an); err != nil {
			return "", err
		}
	}
	return domain, nil
}

// findOrCreateOutlet returns the outlet with this name, creating it first if
// needed, and whether it was created. INSERT .. ON CONFLICT DO NOTHING
// followed by a SELECT stays correct when two requests add the same new
// outlet at once, where "select, then insert if missing" would fail one of
// them with a duplicate key.
func findOrCreateOutlet(tx *gorm.DB, name, domain string) (Outlet, bool, error) {
	candidate := Outlet{Name: name, Domain: domain}
	res := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "name"}}, DoNothing: true}).
		Create(&candidate)
	if res.Error != nil {
		return Outlet{}, false, fmt.Errorf("outlet %q: %w", name, res.Error)
	}
	created := res.RowsAffected == 1
	var outlet Outlet
	if err := tx.Where("name = ?", name).Take(&outlet).Error; err != nil {
		return Outlet{}, false, fmt.Errorf("outlet %q: %w", name, err)
	}
	if outlet.Domain == "" && domain != "" {
		if err := tx.Model(&outlet).Update("domain", domain).Error; err != nil {
			return Outlet{}, false, fmt.Errorf("outlet %q: %w", name, err)
		}
		outlet.Domain = domain
	}
	return outlet, created, nil
}

// exists reports whether a row of model's table matches the condition.
func exists(tx *gorm.DB, model any, query string, args ...any) (bool, error) {
	var n int64
	if err := tx.Model(model).Where(query, args...).Limit(1).Count(&n).Error; err != nil {
		return false, err
	}
	return n > 0, nil
}

// analyzedAt is the time to store for an analysis: the one given, or now.
func analyzedAt(an *Analysis) time.Time {
	if an.AnalyzedAt.IsZero() {
		return now()
	}
	return utc(an.AnalyzedAt)
}

// ListArticles returns an event's articles in the order they were added,
// each with its outlet and analysis (nil when none is stored). It fails with
// ErrNotFound when the event does not exist, so that an empty list always
// means an event without articles.
func (s *Store) ListArticles(ctx context.Context, eventID int64) ([]Article, error) {
	return s.listArticles(ctx, eventID, func(db *gorm.DB) *gorm.DB {
		return db.Preload("Outlet").Preload("Analysis")
	})
}

// listArticles reads an event's articles in the order they were added,
// with what columns picks (the associations to preload, the columns to
// leave out), after checking that the event exists.
func (s *Store) listArticles(ctx context.Context, eventID int64, columns func(*gorm.DB) *gorm.DB) ([]Article, error) {
	db := s.db.WithContext(ctx)
	if ok, err := exists(db, &Event{}, "id = ?", eventID); err != nil {
		return nil, wrap(err, "list articles of event %d", eventID)
	} else if !ok {
		return nil, wrap(ErrNotFound, "list articles of event %d", eventID)
	}
	articles := []Article{}
	err := columns(db).Where("event_id = ?", eventID).Order("id").Find(&articles).Error
	if err != nil {
		return nil, wrap(err, "list articles of event %d", eventID)
	}
	for i := range articles {
		normalizeArticle(&articles[i])
	}
	return articles, nil
}

// CountArticles returns how many articles an event holds: 0 for an event
// without articles and for one that does not exist.
func (s *Store) CountArticles(ctx context.Context, eventID int64) (int64, error) {
	var n int64
	if err := s.db.WithContext(ctx).Model(&Article{}).Where("event_id = ?", eventID).Count(&n).Error; err != nil {
		return 0, wrap(err, "count articles of event %d", eventID)
	}
	return n, nil
}

// GetArticle returns one article of an event with its outlet and analysis.
// An article that exists but belongs to another event is ErrNotFound too, so
// that URLs cannot mix events and articles.
func (s *Store) GetArticle(ctx context.Context, eventID, articleID int64) (Article, error) {
	var a Article
	err := s.db.WithContext(ctx).Preload("Outlet").Preload("Analysis").
		Where("id = ? AND event_id = ?", articleID, eventID).Take(&a).Error
	if err != nil {
		return Article{}, wrap(err, "get article %d of event %d", articleID, eventID)
	}
	normalizeArticle(&a)
	return a, nil
}

// DeleteArticle removes an article with its analysis, the exercise
// submissions made on it and its answer lists, and the LLM jobs about
// it, in one transaction.
// The outlet stays. The event's updated_at moves forward in the same
// transaction: without it, adding and deleting an article would leave the
// event's change stamp (EventStamp) exactly as it was before the add, and
// a comparison built in between could be cached as current.
func (s *Store) DeleteArticle(ctx context.Context, eventID, articleID int64) error {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		article := tx.Model(&Article{}).Select("id").Where("id = ? AND event_id = ?", articleID, eventID)
		if err := tx.Where("article_id IN (?)", article).Delete(&Analysis{}).Error; err != nil {
			return err
		}
		if err := tx.Where("article_id IN (?)", article).Delete(&Submission{}).Error; err != nil {
			return err
		}
		if err := tx.Where("article_id IN (?)", article).Delete(&ExerciseAnswers{}).Error; err != nil {
			return err
		}
		if err := tx.Where("kind = ? AND target_id IN (?)", LLMJobArticle, article).Delete(&LLMJob{}).Error; err != nil {
			return err
		}
		res := tx.Where("id = ? AND event_id = ?", articleID, eventID).Delete(&Article{})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrNotFound
		}
		return tx.Model(&Event{}).Where("id = ?", eventID).Update("updated_at", now()).Error
	})
	return wrap(err, "delete article %d of event %d", articleID, eventID)
}

// SaveAnalysis stores an article's analysis, replacing any earlier one (for
// example after the lexicon changed). It fails with a ValidationError
// (Field "article") when the article does not exist.
func (s *Store) SaveAnalysis(ctx context.Context, an *Analysis) error {
	if err := validateAnalysis(an); err != nil {
		return fmt.Errorf("save analysis of article %d: %w", an.ArticleID, err)
	}
	report := *an
	report.AnalyzedAt = analyzedAt(&report)
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if ok, err := exists(tx, &Article{}, "id = ?", report.ArticleID); err != nil {
			return err
		} else if !ok {
			return errArticleMissing
		}
		err := tx.Clauses(clause.OnConflict{
			Columns:   []clause.Column{{Name: "article_id"}},
			DoUpdates: clause.AssignmentColumns([]string{"report", "lexicon_version", "analyzed_at"}),
		}).Create(&report).Error
		if errors.Is(err, gorm.ErrForeignKeyViolated) {
			return errArticleMissing
		}
		return err
	})
	if err != nil {
		return wrap(err, "save analysis of article %d", report.ArticleID)
	}
	*an = report
	return nil
}

// ListOutlets returns every outlet, in the order they were first seen.
func (s *Store) ListOutlets(ctx context.Context) ([]Outlet, error) {
	outlets := []Outlet{}
	if err := s.db.WithContext(ctx).Order("id").Find(&outlets).Error; err != nil {
		return nil, wrap(err, "list outlets")
	}
	return outlets, nil
}

// normalizeArticle puts read times in UTC, as normalizeEvent does for events.
func normalizeArticle(a *Article) {
	a.PublishedAt = utcPtr(a.PublishedAt)
	a.CreatedAt = a.CreatedAt.UTC()
	if a.Analysis != nil {
		a.Analysis.AnalyzedAt = a.Analysis.AnalyzedAt.UTC()
	}
}
