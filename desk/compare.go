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
// others; it stops when ctx is done, with an error wrapping ctx's.
func compareReading(ctx context.Context, r *Reading) (EventComparison, error) {
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
	cmp, err := analysis.CompareContext(ctx, compared)
	if err != nil {
		return EventComparison{}, fmt.Errorf("compare event %d: %w", r.Event.ID, err)
	}
	if cmp.LexiconVersion == "" {
		// No articles yet: say which version the empty comparison is for.
		cmp.LexiconVersion = r.Version
	}
	return EventComparison{EventID: r.Event.ID, Comparison: cmp, NotScored: unscored}, nil
}

// CompareEvent compares an event's articles, with their current reports
// made with the lexicon in force; mode says whether a redone report is
// saved. An event that does not exist is models.ErrNotFound.
func (d *Desk) CompareEvent(ctx context.Context, eventID int64, mode ReadMode) (EventComparison, error) {
	r, err := d.ReadEvent(ctx, eventID, mode)
	if err != nil {
		return EventComparison{}, err
	}
	return compareReading(ctx, r)
}

// ComparisonAnswer is an event's comparison as an answer: the encoded
// comparison when it was kept (Body), else the comparison to encode
// (Value), which the caller may offer back to the cache once encoded
// (Keep). The API encodes Value onto the response a piece at a time, so
// that a comparison too big to keep is never held encoded whole.
type ComparisonAnswer struct {
	Body  []byte
	Value EventComparison
	keep  func(ctx context.Context, body []byte)
}

// KeepLimit is the size of the largest encoded comparison Keep keeps: an
// encoder need capture no more.
func (a *ComparisonAnswer) KeepLimit() int { return maxComparisonCacheBytes / 8 }

// Keep offers the encoding of Value to the cache. It is kept only when
// the event is still in the state it was read in: not when the read
// saved a redone report, nor when a write landed meanwhile (belt and
// braces: the stamp never returns to an earlier value, so such an entry
// would never be served anyway).
func (a *ComparisonAnswer) Keep(ctx context.Context, body []byte) {
	if a.keep != nil && len(body) <= a.KeepLimit() {
		a.keep(ctx, body)
	}
}

// Comparison compares an event's articles, with their current reports
// made with the lexicon in force, or finds the encoded comparison kept
// for the event's state (see cache.go): asking again for an unchanged
// event costs one small query. Callers asking for the same state at once
// share one comparison. mode says whether a redone report is saved. An
// event that does not exist is models.ErrNotFound.
func (d *Desk) Comparison(ctx context.Context, eventID int64, mode ReadMode) (*ComparisonAnswer, error) {
	analyzer := d.Analyzer()
	key, err := d.stateOf(ctx, analyzer, eventID)
	if err != nil {
		return nil, err
	}
	if body, ok := d.comparisons.get(key); ok {
		return &ComparisonAnswer{Body: body}, nil
	}
	compare := func() (EventComparison, bool, error) {
		r, saved, err := d.readEventAt(ctx, analyzer, key, mode)
		if err != nil {
			return EventComparison{}, false, err
		}
		cmp, err := compareReading(ctx, r)
		return cmp, saved, err
	}
	var cmp EventComparison
	var saved bool
	if mode == ReadOnly {
		cmp, saved, err = compare()
	} else {
		cmp, saved, err = d.comparisonBuilds.do(ctx, key, compare)
	}
	if err != nil {
		return nil, err
	}
	answer := &ComparisonAnswer{Value: cmp}
	if !saved {
		answer.keep = func(ctx context.Context, body []byte) {
			if after, err := d.stateOf(ctx, analyzer, eventID); err == nil && after == key {
				d.comparisons.put(key, body, len(body))
			}
		}
	}
	return answer, nil
}

// ComparisonJSON returns an event's comparison (EventComparison) encoded
// as JSON, kept as Comparison keeps it. An event that does not exist is
// models.ErrNotFound.
func (d *Desk) ComparisonJSON(ctx context.Context, eventID int64, mode ReadMode) ([]byte, error) {
	answer, err := d.Comparison(ctx, eventID, mode)
	if err != nil {
		return nil, err
	}
	if answer.Body != nil {
		return answer.Body, nil
	}
	body, err := json.Marshal(answer.Value)
	if err != nil {
		return nil, fmt.Errorf("encode comparison of event %d: %w", eventID, err)
	}
	answer.Keep(ctx, body)
	return body, nil
}
