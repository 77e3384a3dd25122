package desk

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slant/analysis"
	"slant/ingest"
	"slant/models"
)

// openStore opens a fresh SQLite store in the test's temp dir.
func openStore(t testing.TB, path string) *models.Store {
	t.Helper()
	return openConfigStore(t, models.Config{Driver: models.DriverSQLite, DSN: path})
}

// builtinAnalyzer is the analyzer with the built-in lexicon.
func builtinAnalyzer(t testing.TB) *analysis.Analyzer {
	t.Helper()
	lex, err := analysis.BuiltinLexicon()
	require.NoError(t, err)
	a, err := analysis.NewAnalyzer(lex)
	require.NoError(t, err)
	return a
}

// importString parses a JSONL import and runs it on a desk over store.
func importString(t *testing.T, store *models.Store, analyzer *analysis.Analyzer, jsonl string, opts ImportOptions) (ImportResult, error) {
	t.Helper()
	return importStringWith(t, New(store, analyzer, Config{}), jsonl, opts)
}

// importStringWith parses a JSONL import and runs it on d.
func importStringWith(t *testing.T, d *Desk, jsonl string, opts ImportOptions) (ImportResult, error) {
	t.Helper()
	src, err := OpenRecords(strings.NewReader(jsonl), FormatJSONL, "")
	require.NoError(t, err)
	return d.Import(t.Context(), src, opts)
}

func TestParseModeAndFormat(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Mode
		bad  bool
	}{
		{"", ModeSkip, false}, {"skip", ModeSkip, false}, {"skip-bad", ModeSkip, false},
		{"strict", ModeStrict, false}, {"All-Or-Nothing", ModeStrict, false}, {"maybe", "", true},
	} {
		got, err := ParseMode(tc.in)
		if tc.bad {
			assert.Error(t, err, tc.in)
			continue
		}
		assert.NoError(t, err, tc.in)
		assert.Equal(t, tc.want, got, tc.in)
	}
	for _, tc := range []struct {
		name string
		want Format
		bad  bool
	}{
		{"a.jsonl", FormatJSONL, false}, {"a.NDJSON", FormatJSONL, false}, {"dir/a.csv", FormatCSV, false},
		{"a.txt", "", true}, {"noext", "", true},
	} {
		got, err := FormatOf(tc.name)
		if tc.bad {
			assert.Error(t, err, tc.name)
			continue
		}
		assert.NoError(t, err, tc.name)
		assert.Equal(t, tc.want, got, tc.name)
	}
}

func TestImportSkipAndStrict(t *testing.T) {
	const file = `{"event":"Flood","outlet":"Courier","title":"Thugs loot the hellhole","text":"Thugs looted the flooded hellhole, residents said."}
{"event":"Flood","outlet":"Planet","text":"Shops in the flooded district were looted."}
{"event":"Flood","text":"no outlet"}
not json

{"event":"Budget","outlet":"Courier","published_at":"2025-13-01","text":"A bad date."}
{"event":"Budget","outlet":"Courier","url":"https://courier.example/budget","text":"The budget passed."}
`
	analyzer := builtinAnalyzer(t)

	t.Run("strict rejects the whole batch", func(t *testing.T) {
		store := openStore(t, filepath.Join(t.TempDir(), "s.db"))
		_, err := importString(t, store, analyzer, file, ImportOptions{Mode: ModeStrict})
		require.ErrorIs(t, err, models.ErrInvalid)
		var rejected *RejectedError
		require.ErrorAs(t, err, &rejected)
		lines := []int{}
		for _, le := range rejected.LineErrors {
			lines = append(lines, le.Line)
		}
		assert.Equal(t, []int{3, 4, 6}, lines, "bad lines by number; blank lines count")
		n, err := store.CountEvents(t.Context())
		require.NoError(t, err)
		assert.Zero(t, n, "nothing stored")
	})

	t.Run("skip stores the good lines and reports the bad", func(t *testing.T) {
		store := openStore(t, filepath.Join(t.TempDir(), "s.db"))
		res, err := importString(t, store, analyzer, file, ImportOptions{Mode: ModeSkip, Workers: 2})
		require.NoError(t, err)
		assert.Equal(t, 3, res.Added)
		assert.Equal(t, 6, res.Records)
		require.Len(t, res.LineErrors, 3)
		assert.Equal(t, 3, res.LineErrors[0].Line)
		assert.Contains(t, res.LineErrors[0].Err, "outlet is required")
		assert.Equal(t, 2, res.OutletsCreated)
		require.Len(t, res.Events, 2)
		assert.Equal(t, "Flood", res.Events[0].Key)
		assert.Equal(t, 2, res.Events[0].Added)
		assert.Equal(t, analyzer.Version(), res.LexiconVersion)

		articles, err := store.ListArticles(t.Context(), res.Events[0].ID)
		require.NoError(t, err)
		require.Len(t, articles, 2)
		assert.Equal(t, "Thugs loot the hellhole", articles[0].Title)
		require.NotNil(t, articles[0].Analysis)
		var report analysis.Report
		require.NoError(t, json.Unmarshal(articles[0].Analysis.Report, &report))
		assert.NotEmpty(t, report.Findings, "the analysis is stored with the article")
		assert.NotEmpty(t, report.TitleFindings)

		budget, err := store.ListArticles(t.Context(), res.Events[1].ID)
		require.NoError(t, err)
		require.Len(t, budget, 1)
		assert.Equal(t, "courier.example", budget[0].Outlet.Domain, "the outlet's domain comes from the URL")
	})
}

func TestImportTwiceAddsNothing(t *testing.T) {
	store := openStore(t, filepath.Join(t.TempDir(), "s.db"))
	analyzer := builtinAnalyzer(t)
	path := filepath.Join(t.TempDir(), "gen.jsonl")
	writeGenerated(t, path, 40)
	d := New(store, analyzer, Config{})
	run := func() ImportResult {
		f, err := os.Open(path)
		require.NoError(t, err)
		defer f.Close()
		src, err := OpenRecords(f, FormatJSONL, "")
		require.NoError(t, err)
		res, err := d.Import(t.Context(), src, ImportOptions{Mode: ModeStrict})
		require.NoError(t, err)
		return res
	}
	first := run()
	assert.Equal(t, 40, first.Added)
	assert.Zero(t, first.SkippedDuplicates)
	assert.Len(t, first.Events, 4)

	second := run()
	assert.Zero(t, second.Added)
	assert.Equal(t, 40, second.SkippedDuplicates)
	require.Len(t, second.Events, 4, "the events are still reported")
	for _, ev := range second.Events {
		assert.False(t, ev.Created)
		assert.Equal(t, 10, ev.Duplicates)
	}
	n, err := store.CountEvents(t.Context())
	require.NoError(t, err)
	assert.EqualValues(t, 4, n)
}

func TestImportHTMLRecords(t *testing.T) {
	page, err := os.ReadFile("../ingest/testdata/news.html")
	require.NoError(t, err)
	line, err := json.Marshal(map[string]string{"event": "Footbridge", "outlet": "Valley Courier", "html": string(page)})
	require.NoError(t, err)
	empty, err := json.Marshal(map[string]string{"event": "Footbridge", "outlet": "Other", "html": "<html><body><nav>Home</nav></body></html>"})
	require.NoError(t, err)

	store := openStore(t, filepath.Join(t.TempDir(), "s.db"))
	res, err := importString(t, store, builtinAnalyzer(t), string(line)+"\n"+string(empty)+"\n", ImportOptions{})
	require.NoError(t, err)
	assert.Equal(t, 1, res.Added)
	require.Len(t, res.LineErrors, 1)
	assert.Equal(t, ingest.LineError{Line: 2, Err: "html has no article text that could be found"}, res.LineErrors[0])

	articles, err := store.ListArticles(t.Context(), res.Events[0].ID)
	require.NoError(t, err)
	require.Len(t, articles, 1)
	a := articles[0]
	assert.Equal(t, "Riverside council approves new footbridge", a.Title)
	assert.Equal(t, "https://courier.example.org/local/riverside-footbridge", a.URL, "the canonical URL fills an empty url")
	require.NotNil(t, a.PublishedAt)
	assert.True(t, a.PublishedAt.Equal(time.Date(2024, 5, 14, 8, 30, 0, 0, time.UTC)))
	assert.Contains(t, a.Body, "Councillors in Riverside voted seven to two")
	for _, bad := range []string{"<script", "alert(", "cookie policy", "Share on Facebook"} {
		assert.NotContains(t, a.Body, bad)
	}
}

func TestImportLimits(t *testing.T) {
	store := openStore(t, filepath.Join(t.TempDir(), "s.db"))
	var b strings.Builder
	for i := range 4 {
		fmt.Fprintf(&b, `{"event":"Flood","outlet":"Outlet %d","text":"Text number %d."}`+"\n", i, i)
	}
	fmt.Fprintf(&b, `{"event":"Flood","outlet":"Long","text":%q}`+"\n", strings.Repeat("word ", 100))
	d := New(store, builtinAnalyzer(t), Config{Limits: Limits{MaxArticlesPerEvent: 3, MaxTextBytes: 200}})
	res, err := importStringWith(t, d, b.String(), ImportOptions{})
	require.NoError(t, err)
	assert.Equal(t, 3, res.Added)
	require.Len(t, res.LineErrors, 2)
	assert.Equal(t, 4, res.LineErrors[0].Line)
	assert.Contains(t, res.LineErrors[0].Err, "already holds 3 articles")
	assert.Equal(t, 5, res.LineErrors[1].Line)
	assert.Contains(t, res.LineErrors[1].Err, "(200 bytes)")
}

func TestImportReportsProgressAndStopsWhenCancelled(t *testing.T) {
	store := openStore(t, filepath.Join(t.TempDir(), "s.db"))
	path := filepath.Join(t.TempDir(), "gen.jsonl")
	writeGenerated(t, path, 600)
	open := func() ingest.RecordReader {
		f, err := os.Open(path)
		require.NoError(t, err)
		t.Cleanup(func() { f.Close() })
		src, err := OpenRecords(f, FormatJSONL, "")
		require.NoError(t, err)
		return src
	}

	var last Progress
	var outcomes []LineOutcome
	res, err := New(store, builtinAnalyzer(t), Config{}).Import(t.Context(), open(), ImportOptions{
		Progress: func(p Progress) {
			assert.GreaterOrEqual(t, p.Done, last.Done)
			last = p
		},
		Outcome: func(o LineOutcome) { outcomes = append(outcomes, o) },
	})
	require.NoError(t, err)
	assert.Equal(t, Progress{Stage: StageImport, Done: 600}, last)
	require.Len(t, outcomes, 600)
	for i, o := range outcomes {
		assert.Equal(t, i+1, o.Line, "outcomes come in line order")
		assert.Equal(t, OutcomeAdded, o.Outcome)
		assert.NotZero(t, o.ArticleID)
	}
	assert.Equal(t, 600, res.Added)

	other := openStore(t, filepath.Join(t.TempDir(), "other.db"))
	ctx, cancel := context.WithCancel(t.Context())
	_, err = New(other, builtinAnalyzer(t), Config{}).Import(ctx, open(), ImportOptions{Progress: func(p Progress) {
		if p.Done >= 256 {
			cancel()
		}
	}})
	require.ErrorIs(t, err, context.Canceled)
	n, err := other.CountEvents(t.Context())
	require.NoError(t, err)
	assert.Zero(t, n)
}
