package e2e

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slant/analysis"
	"slant/cli"
	"slant/desk"
	"slant/models"
)

// cliImportFile has three good records in two events and a bad line 3.
const cliImportFile = `{"event":"Flood","outlet":"Daily Bugle","title":"Thugs loot hellhole","text":"Thugs looted the flooded hellhole, residents said."}
{"event":"Flood","outlet":"The Planet","text":"Shops in the flooded district were looted, residents said."}
{"event":"Flood","text":"no outlet"}
{"event":"Budget","outlet":"Daily Bugle","url":"https://bugle.example/budget","text":"The council passed the budget on Tuesday."}
`

func TestImportCommand(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "slant.db")
	file := filepath.Join(dir, "articles.jsonl")
	require.NoError(t, os.WriteFile(file, []byte(cliImportFile), 0o644))
	env := cliEnv(db)

	out, errOut, err := runCLI(t, env, "import", file, "--event-mode", "all-or-nothing")
	require.Error(t, err, "strict: the bad line refuses the file")
	assert.Contains(t, err.Error(), "nothing stored")
	assert.Contains(t, errOut, file+":3: outlet is required")
	assert.Empty(t, out)

	out, errOut, err = runCLI(t, env, "import", "--mode", "skip", file)
	var partial *cli.PartialError
	require.ErrorAs(t, err, &partial, "stored in part: exit status 2")
	assert.Contains(t, out, "3 articles added, 0 articles skipped as duplicates, 1 bad line left out")
	assert.Contains(t, out, "2 events (2 new)")
	assert.Contains(t, errOut, file+":3: outlet is required (left out)")
	assert.NotContains(t, errOut, "\r", "no progress bar when stderr is not a terminal")

	out, _, err = runCLI(t, env, "import", file)
	require.ErrorAs(t, err, &partial, "the bad line is still bad")
	assert.Contains(t, out, "0 articles added, 3 articles skipped as duplicates", "importing twice adds nothing")

	store, err := models.Open(t.Context(), models.Config{DSN: db})
	require.NoError(t, err)
	defer store.Close()
	events, err := store.AllEvents(t.Context())
	require.NoError(t, err)
	require.Len(t, events, 2)
	articles, err := store.ListArticles(t.Context(), events[0].ID)
	require.NoError(t, err)
	require.Len(t, articles, 2)
	require.NotNil(t, articles[0].Analysis)

	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"no file", []string{"import"}, "exactly one file"},
		{"two files", []string{"import", file, file}, "exactly one file"},
		{"unknown extension", []string{"import", filepath.Join(dir, "a.txt")}, "cannot tell the format"},
		{"stdin without format", []string{"import", "-"}, "needs --format"},
		{"bad mode", []string{"import", file, "--mode", "maybe"}, "not skip"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := runCLI(t, env, tc.args...)
			var usage cli.UsageError
			require.ErrorAs(t, err, &usage)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestExportCommand(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "slant.db")
	file := filepath.Join(dir, "articles.jsonl")
	require.NoError(t, os.WriteFile(file, []byte(cliImportFile), 0o644))
	env := cliEnv(db)
	_, _, err := runCLI(t, env, "import", file)
	require.ErrorAs(t, err, new(*cli.PartialError), "its line 3 is bad")

	t.Run("csv into a directory: both tables, the codebook and README.txt", func(t *testing.T) {
		out := filepath.Join(dir, "csv")
		stdout, _, err := runCLI(t, env, "export", "--format", "csv", "--out", out)
		require.NoError(t, err)
		for table, rows := range map[string]int{"articles": 3, "findings": 4} {
			name := filepath.Join(out, "slant-export-"+table+".csv")
			assert.Contains(t, stdout, "wrote "+name)
			f, err := os.Open(name)
			require.NoError(t, err)
			records, err := csv.NewReader(f).ReadAll()
			f.Close()
			require.NoError(t, err, table)
			assert.Equal(t, []string{"lexicon_version", "slant_version", "analyzed_at"}, records[0][:3])
			if table == "articles" {
				assert.Len(t, records, rows+1)
			} else {
				assert.GreaterOrEqual(t, len(records), rows)
			}
			assert.Equal(t, cli.Version(), records[1][1])
			info, err := os.Stat(name)
			require.NoError(t, err)
			assert.Equal(t, os.FileMode(0o644), info.Mode().Perm())
		}
		for _, name := range []string{"slant-export-codebook.csv", "README.txt"} {
			assert.Contains(t, stdout, "wrote "+filepath.Join(out, name))
		}
		entries, err := os.ReadDir(out)
		require.NoError(t, err)
		assert.Len(t, entries, 4, "no temporary files left behind")
	})

	t.Run("json of one event to a file", func(t *testing.T) {
		name := filepath.Join(dir, "event.json")
		_, _, err := runCLI(t, env, "export", "--event", "1", "--out", name)
		require.NoError(t, err)
		data, err := os.ReadFile(name)
		require.NoError(t, err)
		var doc struct {
			Scope        string           `json:"scope"`
			SlantVersion string           `json:"slant_version"`
			Codebook     map[string]any   `json:"codebook"`
			Articles     []map[string]any `json:"articles"`
		}
		require.NoError(t, json.Unmarshal(data, &doc))
		assert.Equal(t, "event", doc.Scope)
		assert.Equal(t, cli.Version(), doc.SlantVersion)
		assert.Len(t, doc.Articles, 2)
		assert.NotEmpty(t, doc.Codebook["categories"])
	})

	t.Run("to standard output", func(t *testing.T) {
		stdout, _, err := runCLI(t, env, "export", "--format", "csv", "--table", "findings", "--event", "1")
		require.NoError(t, err)
		assert.True(t, strings.HasPrefix(stdout, "lexicon_version,slant_version,analyzed_at,event_id,article_id"))
		stdout, _, err = runCLI(t, env, "export")
		require.NoError(t, err)
		assert.True(t, json.Valid([]byte(stdout)))
	})

	t.Run("refusals", func(t *testing.T) {
		_, _, err := runCLI(t, env, "export", "--event", "42")
		require.Error(t, err)
		assert.Equal(t, "export: there is no event 42", err.Error())
		var usage cli.UsageError
		_, _, err = runCLI(t, env, "export", "--table", "findings")
		require.ErrorAs(t, err, &usage)
		_, _, err = runCLI(t, env, "export", "--format", "xlsx")
		require.ErrorAs(t, err, &usage)
	})
}

// TestServeFetchesURLsOnlyWhenAllowed adds an article by URL through the
// running program: a page on 127.0.0.1 is refused by default and fetched
// with SLANT_FETCH_ALLOW_LOOPBACK=1.
func TestServeFetchesURLsOnlyWhenAllowed(t *testing.T) {
	page := `<html><head><title>Footbridge approved</title><meta property="og:site_name" content="Valley Courier"></head>
<body><article><h1>Footbridge approved</h1><p>Councillors in Riverside voted seven to two on Tuesday evening to build a pedestrian footbridge across the Mill Stream, ending a long debate.</p>
<p>Opponents said the money should be spent on repairing pavements across the town centre instead.</p></article></body></html>`
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, page)
	}))
	defer site.Close()

	add := func(base string) (int, map[string]any) {
		resp, err := http.Post(base+"/api/v1/events", "application/json", strings.NewReader(`{"title":"Footbridge"}`))
		require.NoError(t, err)
		var ev struct{ ID int64 }
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&ev))
		resp.Body.Close()
		resp, err = http.Post(fmt.Sprintf("%s/api/v1/events/%d/articles", base, ev.ID), "application/json",
			strings.NewReader(fmt.Sprintf(`{"url":%q}`, site.URL+"/story")))
		require.NoError(t, err)
		defer resp.Body.Close()
		var body map[string]any
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&body))
		return resp.StatusCode, body
	}

	status, body := add(startTestServer(t, map[string]string{"SLANT_DEMO": "0"}))
	assert.Equal(t, http.StatusUnprocessableEntity, status)
	assert.Equal(t, "that address is not allowed", body["error"])

	status, body = add(startTestServer(t, map[string]string{"SLANT_DEMO": "0", "SLANT_FETCH_ALLOW_LOOPBACK": "1"}))
	require.Equal(t, http.StatusCreated, status, body)
	assert.Equal(t, "Valley Courier", body["outlet"].(map[string]any)["name"])
}

// TestServeReanalyzesInTheBackground imports articles with the built-in
// lexicon, then serves with a lexicon overlay (another lexicon version):
// the background sweep redoes every stored analysis without any request.
func TestServeReanalyzesInTheBackground(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "slant.db")
	file := filepath.Join(dir, "articles.jsonl")
	require.NoError(t, os.WriteFile(file, []byte(cliImportFile), 0o644))
	_, _, err := runCLI(t, cliEnv(db), "import", file)
	require.ErrorAs(t, err, new(*cli.PartialError), "its line 3 is bad")

	overlay := filepath.Join(dir, "overlay.yaml")
	require.NoError(t, os.WriteFile(overlay, []byte("description: test overlay\nthreshold: 0.4\nentries: []\n"), 0o644))
	lex, err := desk.BaseLexicon(overlay)
	require.NoError(t, err)
	analyzer, err := analysis.NewAnalyzer(lex)
	require.NoError(t, err)
	version := analyzer.Version() // the lexicon with its overlay, and the sentence model
	store, err := models.Open(t.Context(), models.Config{DSN: db})
	require.NoError(t, err)
	defer store.Close()
	stale, err := store.CountStaleArticles(t.Context(), version)
	require.NoError(t, err)
	require.EqualValues(t, 3, stale, "the imported analyses were made with the built-in lexicon")

	startTestServer(t, map[string]string{"DB_PATH": db, "SLANT_DEMO": "0", "SLANT_LEXICON_OVERLAY": overlay, "SLANT_REANALYZE_WORKERS": "1"})
	deadline := time.Now().Add(30 * time.Second)
	for stale > 0 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
		stale, err = store.CountStaleArticles(context.Background(), version)
		require.NoError(t, err)
	}
	assert.Zero(t, stale, "every stored analysis is remade with the overlay's version")

	events, err := store.AllEvents(t.Context())
	require.NoError(t, err)
	articles, err := store.ListArticles(t.Context(), events[0].ID)
	require.NoError(t, err)
	var report analysis.Report
	require.NoError(t, json.Unmarshal(articles[0].Analysis.Report, &report))
	assert.Equal(t, version, report.LexiconVersion)
}
