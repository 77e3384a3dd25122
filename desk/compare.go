package desk

import (
	"context"
	"encoding/json"
	"fmt"

	"slant/analysis"
)

// EventComparison is the comparison of an event's articles: the
// analysis.Comparison with the event's id, its fields at the top level.
// It is what GET /api/v1/events/{id}/comparison sends.
type EventComparison struct {
	EventID int64 `json:"event_id"`
	analysis.Comparison
	// NotScored lists the articles left out of the comparison: those
	// found to be in a language other than English (see language.go).
	NotScored []Unscored `json:"not_scored"`
}

// compareReading compares the scored articles of a reading, and lists the
// others.
func compareReading(r *Reading) EventComparison {
	compared := make([]analysis.ComparedArticle, 0, len(r.Articles))
	unscored := []Unscored{}
	for _, f := range r.Articles {
		if !Scored(f.Article) {
			unscored = append(unscored, Unscored{ArticleID: f.Article.ID, Outlet: f.Article.Outlet.Name,
				Language: f.Article.Language, LanguageName: LanguageName(f.Article), Reason: NotScoredMessage})
			continue
		}
		compared = append(compared, analysis.ComparedArticle{
			ArticleID: f.Article.ID,
			Outlet:    f.Article.Outlet.Name,
			Title:     f.Article.Title,
			Text:      f.Article.Body,
			Report:    f.Report,
		})
	}
	cmp := analysis.Compare(compared)
	if cmp.LexiconVersion == "" {
		// No articles yet: say which version the empty comparison is for.
		cmp.LexiconVersion = r.Version
	}
	return EventComparison{EventID: r.Event.ID, Comparison: cmp, NotScored: unscored}
}

// CompareEvent compares an event's articles, with their current reports
// made with the lexicon in force; mode says whether a redone report is
// saved. An event that does not exist is models.ErrNotFound.
func (d *Desk) CompareEvent(ctx context.Context, eventID int64, mode ReadMode) (EventComparison, error) {
	r, err := d.ReadEvent(ctx, eventID, mode)
	if err != nil {
		return EventComparison{}, err
	}
	return compareReading(r), nil
}

// ComparisonJSON returns an event's comparison (EventComparison) encoded
// as JSON. The encoded answer is kept, keyed by the event's state (see
// cache.go), so asking again for an unchanged event costs one small
// query. An event that does not exist is models.ErrNotFound.
func (d *Desk) ComparisonJSON(ctx context.Context, eventID int64, mode ReadMode) ([]byte, error) {
	analyzer := d.Analyzer()
	key, err := d.stateOf(ctx, analyzer, eventID)
	if err != nil {
		return nil, err
	}
	if body, ok := d.comparisons.get(key); ok {
		return body, nil
	}
	r, saved, err := d.readEventAt(ctx, analyzer, key, mode)
	if err != nil {
		return nil, err
	}
	body, err := json.Marshal(compareReading(r))
	if err != nil {
		return nil, fmt.Errorf("encode comparison of event %d: %w", eventID, err)
	}
	// Kept only when the event is still in the state it was read in: not
	// when this read saved a redone report, nor when a write landed
	// meanwhile (belt and braces: the stamp never returns to an earlier
	// value, so such an entry would never be served anyway).
	if !saved {
		if after, err := d.stateOf(ctx, analyzer, eventID); err == nil && after == key {
			d.comparisons.put(key, body, len(body))
		}
	}
	return body, nil
}
