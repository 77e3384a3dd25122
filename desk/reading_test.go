package desk

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slant/models"
)

// TestReadEventCachesByState reads an event twice, then changes it in
// every way its page shows: each change is read at once, and an unchanged
// event is read from the cache without touching its articles.
func TestReadEventCachesByState(t *testing.T) {
	store := newStore(t)
	_, current := analyzers(t)
	d := New(store, current, Config{})
	ctx := t.Context()
	ev := models.Event{Title: "Flood"}
	require.NoError(t, store.CreateEvent(ctx, &ev))
	add := func(outlet, domain, text string) {
		t.Helper()
		_, err := d.AddArticle(ctx, ev.ID, Submission{Outlet: outlet, OutletDomain: domain, Text: text}, nil)
		require.NoError(t, err)
	}
	add("Courier", "", "Critics slam the council over the hellhole.")

	first, err := d.ReadEvent(ctx, ev.ID, SaveRedone)
	require.NoError(t, err)
	require.Len(t, first.Articles, 1)
	before := d.Counts()
	again, err := d.ReadEvent(ctx, ev.ID, SaveRedone)
	require.NoError(t, err)
	assert.Same(t, first, again, "an unchanged event comes from the cache")
	after := d.Counts()
	assert.Equal(t, before.EventReads, after.EventReads)
	assert.Equal(t, before.ReportDecodes, after.ReportDecodes)
	assert.Equal(t, before.ReadingHits+1, after.ReadingHits)

	add("Planet", "", "The council met after the flood.")
	r, err := d.ReadEvent(ctx, ev.ID, SaveRedone)
	require.NoError(t, err)
	assert.Len(t, r.Articles, 2, "an added article")

	// The outlet's domain, filled in by an article of another event.
	other := models.Event{Title: "Budget"}
	require.NoError(t, store.CreateEvent(ctx, &other))
	_, err = d.AddArticle(ctx, other.ID, Submission{Outlet: "Courier", OutletDomain: "courier.example", Text: "The budget passed."}, nil)
	require.NoError(t, err)
	r, err = d.ReadEvent(ctx, ev.ID, SaveRedone)
	require.NoError(t, err)
	assert.Equal(t, "courier.example", r.Articles[0].Article.Outlet.Domain)

	edited := r.Event
	edited.Title = "Flood, updated"
	require.NoError(t, store.UpdateEvent(ctx, &edited))
	r, err = d.ReadEvent(ctx, ev.ID, SaveRedone)
	require.NoError(t, err)
	assert.Equal(t, "Flood, updated", r.Event.Title)

	_, err = d.ReadEvent(ctx, ev.ID+1000, SaveRedone)
	assert.ErrorIs(t, err, models.ErrNotFound)
}

// TestReadModes reads an event whose reports are stale: a read-only read
// redoes them and writes nothing; a read that may save keeps them.
func TestReadModes(t *testing.T) {
	store := newStore(t)
	old, current := analyzers(t)
	eventID := seed(t, store, old, 3)
	d := New(store, current, Config{})
	ctx := context.Background()
	staleCount := func() int64 {
		n, err := store.CountStaleArticles(ctx, current.Version())
		require.NoError(t, err)
		return n
	}

	filed, err := d.Articles(ctx, current, eventID, ReadOnly)
	require.NoError(t, err)
	for _, f := range filed {
		assert.Equal(t, current.Version(), f.Report.LexiconVersion)
		assert.Equal(t, current.Version(), f.Analysis.LexiconVersion)
	}
	assert.EqualValues(t, 4, staleCount(), "a read-only read writes nothing")

	r, err := d.ReadEvent(ctx, eventID, SaveRedone)
	require.NoError(t, err)
	assert.Len(t, r.Articles, 4)
	assert.Zero(t, staleCount(), "a read that may save keeps what it redid")
}
