package desk

import (
	"context"

	"slant/analysis"
	"slant/models"
)

// Reading is an event as the page shows it: the event, and its articles
// in the order they were added, each with its report made with one
// analyzer. A reading may be shared with other callers (it is cached):
// never modify it.
type Reading struct {
	Event    models.Event
	Articles []Filed
	// Version is the analysis version of every report in the reading.
	Version string
	size    int
}

// ReadEvent reads an event with its articles and their current reports,
// made with the lexicon in force; mode says whether a redone report is
// saved. The reading is kept, keyed by the event's state (see cache.go):
// reading an unchanged event again costs one small query, so the event
// page and its comparison, read one after the other, read the articles
// and decode their reports once. An event that does not exist is
// models.ErrNotFound.
func (d *Desk) ReadEvent(ctx context.Context, eventID int64, mode ReadMode) (*Reading, error) {
	return d.readEventWith(ctx, d.Analyzer(), eventID, mode)
}

// readEventWith is ReadEvent with the given analyzer, for a caller that
// must read the event with the same analyzer it used before.
func (d *Desk) readEventWith(ctx context.Context, analyzer *analysis.Analyzer, eventID int64, mode ReadMode) (*Reading, error) {
	key, err := d.stateOf(ctx, analyzer, eventID)
	if err != nil {
		return nil, err
	}
	r, _, err := d.readEventAt(ctx, analyzer, key, mode)
	return r, err
}

// stateOf reads the event's stamp: the key of its state as read with
// analyzer.
func (d *Desk) stateOf(ctx context.Context, analyzer *analysis.Analyzer, eventID int64) (stateKey, error) {
	stamp, err := d.store.EventStamp(ctx, eventID)
	if err != nil {
		return stateKey{}, err
	}
	return stateKey{eventID: eventID, stamp: stamp, version: analyzer.Version()}, nil
}

// readEventAt returns the reading of the event in state key, from the
// cache or from the store; saved says whether the read saved a redone
// report (which moved the event to a new state: the reading is then not
// cached under the old one).
//
// Callers reading the same state at once share one build (flight.go).
func (d *Desk) readEventAt(ctx context.Context, analyzer *analysis.Analyzer, key stateKey, mode ReadMode) (*Reading, bool, error) {
	if r, ok := d.readings.get(key); ok {
		return r, false, nil
	}
	if mode == ReadOnly {
		// A read-only build may not save, and a saving one may: only
		// builds alike are shared (the page reads with SaveRedone).
		return d.buildReading(ctx, analyzer, key, mode)
	}
	return d.readingBuilds.do(ctx, key, func() (*Reading, bool, error) {
		return d.buildReading(ctx, analyzer, key, mode)
	})
}

// buildReading reads the event in state key from the store and keeps it.
func (d *Desk) buildReading(ctx context.Context, analyzer *analysis.Analyzer, key stateKey, mode ReadMode) (*Reading, bool, error) {
	event, err := d.store.GetEvent(ctx, key.eventID)
	if err != nil {
		return nil, false, err
	}
	articles, saved, err := d.articles(ctx, analyzer, key.eventID, mode)
	if err != nil {
		return nil, false, err
	}
	r := &Reading{Event: event, Articles: articles, Version: key.version}
	for _, f := range articles {
		r.size += f.size
	}
	if !saved {
		d.readings.put(key, r, r.size)
	}
	return r, saved, nil
}

// Summaries reads an event with its articles as a list shows them: each
// article with its outlet and the version and time of its stored report,
// without its text or the report itself, so that the read costs the same
// however long the articles are. A stale report is not redone (reading
// the reports does that). An event that does not exist is
// models.ErrNotFound.
func (d *Desk) Summaries(ctx context.Context, eventID int64) (models.Event, []models.Article, error) {
	event, err := d.store.GetEvent(ctx, eventID)
	if err != nil {
		return models.Event{}, nil, err
	}
	articles, err := d.store.ListArticleSummaries(ctx, eventID)
	if err != nil {
		return models.Event{}, nil, err
	}
	return event, articles, nil
}
