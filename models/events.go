package models

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"
)

// Limits on event fields, checked before anything is written.
const (
	// MaxEventTitle is the longest event title accepted, in characters.
	MaxEventTitle = 300
	// DefaultEventLimit is the page size ListEvents uses when none is given.
	DefaultEventLimit = 100
	// MaxEventLimit is the largest page ListEvents returns, so that one
	// request cannot pull the whole table.
	MaxEventLimit = 500
)

// EventFilter narrows and pages ListEvents. Query matches title or
// description as a case-insensitive substring (non-ASCII letters fold only on
// PostgreSQL, because SQLite's LOWER knows ASCII alone). Limit defaults to
// DefaultEventLimit and is capped at MaxEventLimit.
type EventFilter struct {
	Query  string
	Limit  int
	Offset int
}

// EventSummary is an event as shown in a list: the event itself, how many
// articles it has, and the names of the outlets that covered it, sorted.
type EventSummary struct {
	Event
	ArticleCount int64    `json:"article_count"`
	Outlets      []string `json:"outlets"`
}

// validateEvent checks and tidies the fields a person types in. It trims
// surrounding space so that "  " does not count as a title.
func validateEvent(e *Event) error {
	e.Title = strings.TrimSpace(e.Title)
	e.Description = strings.TrimSpace(e.Description)
	switch {
	case e.Title == "":
		return &ValidationError{Field: "title", Problem: "is required"}
	case utf8.RuneCountInString(e.Title) > MaxEventTitle:
		return &ValidationError{Field: "title", Problem: fmt.Sprintf("must be at most %d characters", MaxEventTitle)}
	}
	return firstError(checkControls("title", e.Title, false), checkControls("description", e.Description, true))
}

// CreateEvent stores a new event and fills in its ID and timestamps.
func (s *Store) CreateEvent(ctx context.Context, e *Event) error {
	if err := validateEvent(e); err != nil {
		return fmt.Errorf("create event: %w", err)
	}
	e.Date = utcPtr(e.Date)
	if !e.CreatedAt.IsZero() {
		e.CreatedAt = utc(e.CreatedAt)
	}
	if !e.UpdatedAt.IsZero() {
		e.UpdatedAt = utc(e.UpdatedAt)
	}
	// Articles are added through AddArticle, which checks them; never let
	// gorm save them here as a side effect.
	err := s.db.WithContext(ctx).Omit("Articles").Create(e).Error
	return wrap(err, "create event")
}

// GetEvent returns one event, without its articles.
func (s *Store) GetEvent(ctx context.Context, id int64) (Event, error) {
	var e Event
	if err := s.db.WithContext(ctx).Where("id = ?", id).Take(&e).Error; err != nil {
		return Event{}, wrap(err, "get event %d", id)
	}
	normalizeEvent(&e)
	return e, nil
}

// ListEvents returns events newest first, each with its article count and
// outlet names.
func (s *Store) ListEvents(ctx context.Context, filter EventFilter) ([]EventSummary, error) {
	limit := filter.Limit
	if limit <= 0 {
		limit = DefaultEventLimit
	}
	limit = min(limit, MaxEventLimit)
	offset := max(filter.Offset, 0)

	q := s.db.WithContext(ctx).Model(&Event{})
	if query := strings.TrimSpace(filter.Query); query != "" {
		// LOWER(..) LIKE works the same on SQLite and PostgreSQL, unlike
		// ILIKE (PostgreSQL only) or SQLite's case-insensitive LIKE.
		pattern := "%" + escapeLike(strings.ToLower(query)) + "%"
		q = q.Where(`LOWER(title) LIKE ? ESCAPE '\' OR LOWER(description) LIKE ? ESCAPE '\'`, pattern, pattern)
	}
	var events []Event
	err := q.Order("created_at DESC").Order("id DESC").Limit(limit).Offset(offset).Find(&events).Error
	if err != nil {
		return nil, wrap(err, "list events")
	}

	summaries := make([]EventSummary, len(events))
	if len(events) == 0 {
		return summaries, nil
	}
	ids := make([]int64, len(events))
	index := make(map[int64]int, len(events))
	for i := range events {
		normalizeEvent(&events[i])
		summaries[i] = EventSummary{Event: events[i], Outlets: []string{}}
		ids[i] = events[i].ID
		index[events[i].ID] = i
	}

	// One grouped query for the whole page instead of two per event.
	var rows []struct {
		EventID  int64
		Name     string
		Articles int64
	}
	err = s.db.WithContext(ctx).Table("articles").
		Select("articles.event_id AS event_id, outlets.name AS name, COUNT(*) AS articles").
		Joins("JOIN outlets ON outlets.id = articles.outlet_id").
		Where("articles.event_id IN ?", ids).
		Group("articles.event_id, outlets.name").
		Scan(&rows).Error
	if err != nil {
		return nil, wrap(err, "list events: count articles")
	}
	for _, r := range rows {
		sum := &summaries[index[r.EventID]]
		sum.ArticleCount += r.Articles
		sum.Outlets = append(sum.Outlets, r.Name)
	}
	// Sort in Go, not with ORDER BY: PostgreSQL sorts text by the server's
	// locale and SQLite by bytes, and the list must not depend on that.
	for i := range summaries {
		sort.Strings(summaries[i].Outlets)
	}
	return summaries, nil
}

// escapeLike makes every character of s match itself in a LIKE pattern with
// ESCAPE '\', so that a search for "50%" does not act as a wildcard.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// UpdateEvent changes an event's title, description and date, and fills e
// with what is stored afterwards (including its creation time).
func (s *Store) UpdateEvent(ctx context.Context, e *Event) error {
	if err := validateEvent(e); err != nil {
		return fmt.Errorf("update event %d: %w", e.ID, err)
	}
	var stored Event
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&Event{}).Where("id = ?", e.ID).Updates(map[string]any{
			"title":       e.Title,
			"description": e.Description,
			"date":        utcPtr(e.Date),
			"updated_at":  now(),
		})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrNotFound
		}
		return tx.Where("id = ?", e.ID).Take(&stored).Error
	})
	if err != nil {
		return wrap(err, "update event %d", e.ID)
	}
	normalizeEvent(&stored)
	*e = stored
	return nil
}

// DeleteEvent removes an event with its articles and their analyses, its
// exercises with their submissions, and the LLM jobs about the event or
// its articles, all in one transaction. Outlets stay: other events may use
// them. The rows are deleted explicitly, children first, rather than
// trusting ON DELETE CASCADE, so the outcome does not depend on which
// constraints a driver's migration happened to create.
func (s *Store) DeleteEvent(ctx context.Context, id int64) error {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := deleteExercisesOfEvent(tx, id); err != nil {
			return err
		}
		articleIDs := tx.Model(&Article{}).Select("id").Where("event_id = ?", id)
		if err := tx.Where("(kind = ? AND target_id = ?) OR (kind = ? AND target_id IN (?))", LLMJobEvent, id, LLMJobArticle, articleIDs).Delete(&LLMJob{}).Error; err != nil {
			return err
		}
		if err := tx.Where("article_id IN (?)", articleIDs).Delete(&Analysis{}).Error; err != nil {
			return err
		}
		if err := tx.Where("event_id = ?", id).Delete(&Article{}).Error; err != nil {
			return err
		}
		res := tx.Where("id = ?", id).Delete(&Event{})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrNotFound
		}
		return nil
	})
	return wrap(err, "delete event %d", id)
}

// CountEvents returns how many events are stored.
func (s *Store) CountEvents(ctx context.Context) (int64, error) {
	var n int64
	if err := s.db.WithContext(ctx).Model(&Event{}).Count(&n).Error; err != nil {
		return 0, wrap(err, "count events")
	}
	return n, nil
}

// normalizeEvent puts read times in UTC: PostgreSQL hands them back in the
// server process's local zone.
func normalizeEvent(e *Event) {
	e.Date = utcPtr(e.Date)
	e.CreatedAt = e.CreatedAt.UTC()
	e.UpdatedAt = e.UpdatedAt.UTC()
}
