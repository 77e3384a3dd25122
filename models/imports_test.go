package models

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// importItem is a valid item for event key with the given outlet and body.
func importItem(line int, key, outlet, body string) ImportItem {
	return ImportItem{
		Line: line, EventKey: key, Outlet: outlet, OutletDomain: "",
		Title: "Title " + body, Body: body,
		Analysis: Analysis{Report: []byte(`{"findings":[]}`), LexiconVersion: "v1"},
	}
}

func TestImportBatchStoresEventsOutletsArticlesAndAnalyses(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		published := time.Date(2025, 8, 10, 14, 5, 0, 0, time.FixedZone("CEST", 2*60*60))
		items := []ImportItem{
			importItem(1, "Flood", "Courier", "The river rose."),
			importItem(2, "Flood", "Planet", "The river rose fast."),
			importItem(3, " Election ", "Courier", "The count went on."),
		}
		items[0].OutletDomain = "Courier.Example"
		items[0].URL = "https://courier.example/flood"
		items[0].PublishedAt = &published
		var calls [][2]int
		res, err := s.ImportBatch(ctx, items, ImportOptions{ChunkSize: 2, Progress: func(stored, total int) {
			calls = append(calls, [2]int{stored, total})
		}})
		require.NoError(t, err)
		assert.Equal(t, 3, res.Added)
		assert.Empty(t, res.Duplicates)
		assert.Empty(t, res.Refused)
		assert.Equal(t, 2, res.OutletsCreated)
		require.Len(t, res.Events, 2)
		assert.Equal(t, ImportedEvent{ID: res.Events[0].ID, Key: "Flood", Title: "Flood", Created: true, Added: 2}, res.Events[0])
		assert.Equal(t, "Election", res.Events[1].Key, "keys are trimmed")
		assert.Equal(t, [][2]int{{2, 3}, {3, 3}}, calls, "progress after each chunk")

		articles, err := s.ListArticles(ctx, res.Events[0].ID)
		require.NoError(t, err)
		require.Len(t, articles, 2)
		a := articles[0]
		assert.Equal(t, "Courier", a.Outlet.Name)
		assert.Equal(t, "courier.example", a.Outlet.Domain)
		assert.Equal(t, "https://courier.example/flood", a.URL)
		require.NotNil(t, a.PublishedAt)
		assert.True(t, a.PublishedAt.Equal(published))
		assert.Equal(t, ContentHash("The river rose."), a.ContentHash)
		require.NotNil(t, a.Analysis)
		assert.Equal(t, "v1", a.Analysis.LexiconVersion)
		assert.JSONEq(t, `{"findings":[]}`, string(a.Analysis.Report))

		ev, err := s.GetEvent(ctx, res.Events[1].ID)
		require.NoError(t, err)
		require.NotNil(t, ev.ImportKey)
		assert.Equal(t, "Election", *ev.ImportKey)
	})
}

func TestImportBatchTwiceAddsNothing(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		items := []ImportItem{
			importItem(1, "Flood", "Courier", "The river rose."),
			importItem(2, "Flood", "Planet", "The river rose fast."),
			importItem(3, "Flood", "Planet", "The river rose."), // same text, same event
		}
		first, err := s.ImportBatch(ctx, items, ImportOptions{})
		require.NoError(t, err)
		assert.Equal(t, 2, first.Added)
		assert.Equal(t, []int{3}, first.Duplicates, "a repeat inside the batch is a duplicate")

		second, err := s.ImportBatch(ctx, items, ImportOptions{AllOrNothing: true})
		require.NoError(t, err, "duplicates are not refusals")
		assert.Zero(t, second.Added)
		assert.Equal(t, []int{1, 2, 3}, second.Duplicates)
		require.Len(t, second.Events, 1)
		assert.False(t, second.Events[0].Created)
		assert.Equal(t, 3, second.Events[0].Duplicates)
		assert.EqualValues(t, 2, countRows(t, s, &Article{}))
		assert.EqualValues(t, 2, countRows(t, s, &Analysis{}))
		assert.EqualValues(t, 1, countRows(t, s, &Event{}))
	})
}

func TestImportBatchEventKeys(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		handMade := createEvent(t, s, "Flood in Riverside", "")
		createEvent(t, s, "Flood in Riverside", "a later event with the same title")

		res, err := s.ImportBatch(ctx, []ImportItem{importItem(1, "Flood in Riverside", "Courier", "One.")}, ImportOptions{})
		require.NoError(t, err)
		require.Len(t, res.Events, 1)
		assert.Equal(t, handMade.ID, res.Events[0].ID, "the oldest event with the key as title")
		assert.False(t, res.Events[0].Created)

		// Renamed, the event is still found by the key it claimed.
		handMade.Title = "Riverside flood, day one"
		require.NoError(t, s.UpdateEvent(ctx, &handMade))
		res, err = s.ImportBatch(ctx, []ImportItem{importItem(1, "Flood in Riverside", "Courier", "Two.")}, ImportOptions{})
		require.NoError(t, err)
		assert.Equal(t, handMade.ID, res.Events[0].ID)

		// Title matches are exact.
		res, err = s.ImportBatch(ctx, []ImportItem{importItem(1, "flood in riverside", "Courier", "Three.")}, ImportOptions{})
		require.NoError(t, err)
		assert.True(t, res.Events[0].Created)

		// A session finds the stored texts of the event a key names,
		// without changing anything.
		stop := errors.New("stop")
		_, _, err = s.Import(ctx, ImportOptions{}, func(sess *ImportSession) error {
			adm, err := sess.Admit(1, "Flood in Riverside", ContentHash("Two."), "")
			require.NoError(t, err)
			assert.Equal(t, Duplicate, adm.Verdict)
			assert.Contains(t, adm.Reason, "already holds the same text")
			adm, err = sess.Admit(2, "Nothing", ContentHash("Two."), "")
			require.NoError(t, err)
			assert.Equal(t, Admitted, adm.Verdict)
			return stop
		})
		require.ErrorIs(t, err, stop)
		assert.EqualValues(t, 3, countRows(t, s, &Event{}), "nothing created")
	})
}

func TestImportBatchRefusals(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		bad := importItem(2, "Flood", "", "No outlet.")
		noReport := importItem(3, "Flood", "Courier", "No report.")
		noReport.Analysis = Analysis{}
		items := []ImportItem{importItem(1, "Flood", "Courier", "Fine."), bad, noReport, importItem(4, "", "Courier", "No event.")}

		_, err := s.ImportBatch(ctx, items, ImportOptions{AllOrNothing: true})
		require.ErrorIs(t, err, ErrInvalid)
		var refused *ImportRefusedError
		require.ErrorAs(t, err, &refused)
		assert.Equal(t, []ImportRefusal{
			{Line: 2, Problem: "outlet is required"},
			{Line: 3, Problem: "report is required"},
			{Line: 4, Problem: "event is required"},
		}, refused.Refused)
		assert.EqualValues(t, 0, countRows(t, s, &Article{}), "all or nothing")
		assert.EqualValues(t, 0, countRows(t, s, &Event{}))

		res, err := s.ImportBatch(ctx, items, ImportOptions{})
		require.NoError(t, err)
		assert.Equal(t, 1, res.Added)
		assert.Len(t, res.Refused, 3)
	})
}

func TestImportBatchPerEventLimit(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		var items []ImportItem
		for i := 1; i <= 4; i++ {
			items = append(items, importItem(i, "Flood", fmt.Sprintf("Outlet %d", i), fmt.Sprintf("Text %d.", i)))
		}
		_, err := s.ImportBatch(ctx, items, ImportOptions{MaxArticlesPerEvent: 3, AllOrNothing: true})
		require.ErrorIs(t, err, ErrInvalid)
		assert.EqualValues(t, 0, countRows(t, s, &Event{}), "the event created inside the batch is rolled back too")
		assert.EqualValues(t, 0, countRows(t, s, &Outlet{}))

		res, err := s.ImportBatch(ctx, items, ImportOptions{MaxArticlesPerEvent: 3})
		require.NoError(t, err)
		assert.Equal(t, 3, res.Added)
		require.Len(t, res.Refused, 1)
		assert.Equal(t, 4, res.Refused[0].Line)
		assert.Contains(t, res.Refused[0].Problem, "already holds 3 articles")
	})
}

func TestStaleArticlesAndSaveAnalyses(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		e := createEvent(t, s, "Flood", "")
		old := addArticle(t, s, e.ID, "A", "Old.", &Analysis{Report: []byte(`{}`), LexiconVersion: "v1"})
		current := addArticle(t, s, e.ID, "B", "Current.", &Analysis{Report: []byte(`{}`), LexiconVersion: "v2"})
		missing := addArticle(t, s, e.ID, "C", "Missing.", nil)
		gone := addArticle(t, s, e.ID, "D", "Gone.", &Analysis{Report: []byte(`{}`), LexiconVersion: "v1"})

		n, err := s.CountStaleArticles(ctx, "v2")
		require.NoError(t, err)
		assert.EqualValues(t, 3, n)
		page, err := s.StaleArticles(ctx, "v2", 0, 2)
		require.NoError(t, err)
		assert.Equal(t, []StaleArticle{{ID: old.ID, Body: "Old."}, {ID: missing.ID, Body: "Missing."}}, page)
		page, err = s.StaleArticles(ctx, "v2", missing.ID, 2)
		require.NoError(t, err)
		assert.Equal(t, []StaleArticle{{ID: gone.ID, Body: "Gone."}}, page)

		require.NoError(t, s.DeleteArticle(ctx, e.ID, gone.ID))
		at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
		saved, err := s.SaveAnalyses(ctx, []Analysis{
			{ArticleID: old.ID, Report: []byte(`{"new":1}`), LexiconVersion: "v2", AnalyzedAt: at},
			{ArticleID: missing.ID, Report: []byte(`{"new":2}`), LexiconVersion: "v2", AnalyzedAt: at},
			{ArticleID: gone.ID, Report: []byte(`{"new":3}`), LexiconVersion: "v2", AnalyzedAt: at},
		})
		require.NoError(t, err)
		assert.Equal(t, 2, saved, "the deleted article is skipped")
		n, err = s.CountStaleArticles(ctx, "v2")
		require.NoError(t, err)
		assert.Zero(t, n)
		got, err := s.GetArticle(ctx, e.ID, old.ID)
		require.NoError(t, err)
		assert.JSONEq(t, `{"new":1}`, string(got.Analysis.Report))
		assert.True(t, got.Analysis.AnalyzedAt.Equal(at))
		_ = current
	})
}

func TestAllEvents(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		for i := range 3 {
			createEvent(t, s, fmt.Sprintf("Event %d", i), "")
		}
		events, err := s.AllEvents(t.Context())
		require.NoError(t, err)
		require.Len(t, events, 3)
		for i, e := range events {
			assert.Equal(t, fmt.Sprintf("Event %d", i), e.Title)
		}
	})
}
