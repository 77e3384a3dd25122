package models

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEventStampChangesWithTheComparison checks that every change a
// comparison depends on changes the event's stamp, that an untouched event
// keeps its stamp, and that a missing event is ErrNotFound.
func TestEventStampChangesWithTheComparison(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		ev := createEvent(t, s, "Flood", "")
		other := createEvent(t, s, "Storm", "")
		report := func() *Analysis {
			return &Analysis{Report: []byte(`{}`), LexiconVersion: "v1"}
		}

		empty, err := s.EventStamp(ctx, ev.ID)
		require.NoError(t, err)
		assert.Zero(t, empty.Articles)
		assert.Zero(t, empty.MaxArticleID)
		assert.NotEmpty(t, empty.UpdatedAt)

		first := addArticle(t, s, ev.ID, "Daily Bugle", "First text.", report())
		one, err := s.EventStamp(ctx, ev.ID)
		require.NoError(t, err)
		assert.NotEqual(t, empty, one, "adding an article")
		assert.EqualValues(t, 1, one.Articles)
		assert.EqualValues(t, 1, one.Analyses)
		assert.Equal(t, first.ID, one.MaxArticleID)

		again, err := s.EventStamp(ctx, ev.ID)
		require.NoError(t, err)
		assert.Equal(t, one, again, "nothing changed")

		// Another event's article leaves this stamp alone.
		addArticle(t, s, other.ID, "Daily Bugle", "Other text.", report())
		again, err = s.EventStamp(ctx, ev.ID)
		require.NoError(t, err)
		assert.Equal(t, one, again, "a change to another event")

		second := addArticle(t, s, ev.ID, "The Planet", "Second text.", report())
		two, err := s.EventStamp(ctx, ev.ID)
		require.NoError(t, err)
		assert.NotEqual(t, one, two, "adding a second article")

		// A re-analysis changes the latest analysis time.
		time.Sleep(2 * time.Millisecond)
		require.NoError(t, s.SaveAnalysis(ctx, &Analysis{ArticleID: first.ID, Report: []byte(`{}`), LexiconVersion: "v2"}))
		reanalyzed, err := s.EventStamp(ctx, ev.ID)
		require.NoError(t, err)
		assert.NotEqual(t, two, reanalyzed, "re-analyzing an article")

		// Editing the event changes its update time.
		time.Sleep(2 * time.Millisecond)
		edited := ev
		edited.Title = "Flood, updated"
		require.NoError(t, s.UpdateEvent(ctx, &edited))
		afterEdit, err := s.EventStamp(ctx, ev.ID)
		require.NoError(t, err)
		assert.NotEqual(t, reanalyzed, afterEdit, "editing the event")

		require.NoError(t, s.DeleteArticle(ctx, ev.ID, second.ID))
		afterDelete, err := s.EventStamp(ctx, ev.ID)
		require.NoError(t, err)
		assert.NotEqual(t, afterEdit, afterDelete, "deleting an article")
		assert.EqualValues(t, 1, afterDelete.Articles)

		// Adding an article and deleting it again must not bring the stamp
		// back to where it was: a comparison built in between would then be
		// cached under a key that looks current.
		time.Sleep(2 * time.Millisecond)
		brief := addArticle(t, s, ev.ID, "Passing Post", "Here and gone.", report())
		require.NoError(t, s.DeleteArticle(ctx, ev.ID, brief.ID))
		afterAddAndDelete, err := s.EventStamp(ctx, ev.ID)
		require.NoError(t, err)
		assert.NotEqual(t, afterDelete, afterAddAndDelete, "an article added and deleted again")

		// An outlet's domain, filled in by an article of another event,
		// shows on this event's page too.
		beforeDomain := afterAddAndDelete
		late := Article{EventID: other.ID, Outlet: Outlet{Name: "Daily Bugle"}, Body: "Late text."}
		require.NoError(t, s.AddArticle(ctx, &late, "bugle.example", report()))
		afterDomain, err := s.EventStamp(ctx, ev.ID)
		require.NoError(t, err)
		assert.NotEqual(t, beforeDomain, afterDomain, "an outlet's domain filled in")
		assert.EqualValues(t, 1, afterDomain.OutletDomains)

		_, err = s.EventStamp(ctx, ev.ID+1000)
		assert.ErrorIs(t, err, ErrNotFound)
	})
}
