package reanalysis

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slant/analysis"
	"slant/models"
)

const baseLexicon = `category: pejorative-label
label: Pejorative label
description: Names that insult a group or place instead of describing it.
severity: 3
source: project
entries:
  - term: hellhole
    alternatives: [high-crime area]
    reason: Paints a whole place as hellish.
`

const extraLexicon = `category: loaded-action-verb
label: Loaded verb
description: Verbs that dramatise.
severity: 2
source: project
entries:
  - term: slam
    alternatives: [criticise]
    reason: Makes criticism sound violent.
`

// analyzers returns an analyzer with the base lexicon and one whose
// lexicon has a category more, and so another version.
func analyzers(t *testing.T) (old, current *analysis.Analyzer) {
	t.Helper()
	base := analysis.LexiconFile{Name: "pejorative-label.yaml", Data: []byte(baseLexicon)}
	lexOld, err := analysis.ParseLexicon([]analysis.LexiconFile{base})
	require.NoError(t, err)
	lexNew, err := analysis.ParseLexicon([]analysis.LexiconFile{base, {Name: "loaded-action-verb.yaml", Data: []byte(extraLexicon)}})
	require.NoError(t, err)
	require.NotEqual(t, lexOld.Version(), lexNew.Version())
	old, err = analysis.NewAnalyzer(lexOld)
	require.NoError(t, err)
	current, err = analysis.NewAnalyzer(lexNew)
	require.NoError(t, err)
	return old, current
}

// seed stores n articles analyzed with analyzer, and one without analysis.
func seed(t *testing.T, store *models.Store, analyzer *analysis.Analyzer, n int) int64 {
	t.Helper()
	ctx := t.Context()
	e := models.Event{Title: "Flood"}
	require.NoError(t, store.CreateEvent(ctx, &e))
	for i := range n {
		body := fmt.Sprintf("Critics slam the council over the hellhole, report %d.", i)
		an, _, err := Analyze(analyzer, 0, "", body, time.Now())
		require.NoError(t, err)
		a := models.Article{EventID: e.ID, Outlet: models.Outlet{Name: "Courier"}, Body: body}
		require.NoError(t, store.AddArticle(ctx, &a, "", &an))
	}
	a := models.Article{EventID: e.ID, Outlet: models.Outlet{Name: "Courier"}, Body: "No analysis yet: slammed."}
	require.NoError(t, store.AddArticle(ctx, &a, "", nil))
	return e.ID
}

func openStore(t *testing.T) *models.Store {
	t.Helper()
	store, err := models.Open(t.Context(), models.Config{Driver: models.DriverSQLite, DSN: filepath.Join(t.TempDir(), "s.db")})
	require.NoError(t, err)
	t.Cleanup(func() { _ = store.Close() })
	return store
}

func TestSweepRedoesStaleAnalyses(t *testing.T) {
	store := openStore(t)
	old, current := analyzers(t)
	eventID := seed(t, store, old, 25)
	logs := &bytes.Buffer{}
	at := time.Date(2026, 2, 3, 4, 5, 6, 0, time.UTC)
	sweep := NewSweep(store, current, Options{
		Workers: 2, Batch: 7, LogEvery: time.Nanosecond,
		Logger: slog.New(slog.NewTextHandler(logs, nil)), Now: func() time.Time { return at },
	})
	stats, err := sweep.Run(t.Context())
	require.NoError(t, err)
	assert.EqualValues(t, 26, stats.Stale)
	assert.Equal(t, 26, stats.Redone)

	articles, err := store.ListArticles(t.Context(), eventID)
	require.NoError(t, err)
	for _, a := range articles {
		require.NotNil(t, a.Analysis, "article %d", a.ID)
		assert.Equal(t, current.Version(), a.Analysis.LexiconVersion)
		assert.True(t, a.Analysis.AnalyzedAt.Equal(at))
		var report analysis.Report
		require.NoError(t, json.Unmarshal(a.Analysis.Report, &report))
		assert.Contains(t, categories(report), "loaded-action-verb", "made with the new lexicon")
	}
	assert.Contains(t, logs.String(), "re-analysis started")
	assert.Contains(t, logs.String(), "re-analysis progress")
	assert.Contains(t, logs.String(), "re-analysis finished")

	again, err := sweep.Run(t.Context())
	require.NoError(t, err)
	assert.Zero(t, again.Stale, "nothing left to do")
}

func categories(r analysis.Report) []string {
	var out []string
	for _, f := range r.Findings {
		out = append(out, f.Category)
	}
	return out
}

func TestSweepStopsWhenCancelled(t *testing.T) {
	store := openStore(t)
	old, current := analyzers(t)
	seed(t, store, old, 30)
	ctx, cancel := context.WithCancel(t.Context())
	calls := 0
	sweep := NewSweep(store, current, Options{Batch: 5, Logger: slog.New(slog.DiscardHandler), Now: func() time.Time {
		calls++
		if calls == 8 {
			cancel()
		}
		return time.Now()
	}})
	stats, err := sweep.Run(ctx)
	require.ErrorIs(t, err, context.Canceled)
	assert.Less(t, stats.Redone, 31)
	n, err := store.CountStaleArticles(t.Context(), current.Version())
	require.NoError(t, err)
	assert.EqualValues(t, 31-stats.Redone, n, "what was saved stays saved, the rest is still stale")
}

func TestCurrent(t *testing.T) {
	store := openStore(t)
	old, current := analyzers(t)
	eventID := seed(t, store, old, 1)
	articles, err := store.ListArticles(t.Context(), eventID)
	require.NoError(t, err)
	stored := articles[0]

	an, report, fresh, err := Current(old, stored, time.Now())
	require.NoError(t, err)
	assert.False(t, fresh)
	assert.Equal(t, stored.Analysis.AnalyzedAt, an.AnalyzedAt, "a current report is used as stored")
	assert.Equal(t, old.Version(), report.LexiconVersion)

	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	an, report, fresh, err = Current(current, stored, at)
	require.NoError(t, err)
	assert.True(t, fresh)
	assert.Equal(t, current.Version(), report.LexiconVersion)
	assert.Equal(t, current.Version(), an.LexiconVersion)
	assert.Equal(t, stored.ID, an.ArticleID)
	assert.True(t, an.AnalyzedAt.Equal(at))

	stored.Analysis.Report = []byte("not json")
	_, _, fresh, err = Current(old, stored, at)
	require.NoError(t, err)
	assert.True(t, fresh, "an unreadable report is made again")
}
