package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slant/analysis"
	"slant/api"
	"slant/cli"
	"slant/internal/testdb"
	"slant/internal/workspace"
	"slant/models"
)

// TestOneAnalysisEverywhere holds the three ways to analyze a text to one
// report, for each seed article as it was copied from the web, page
// furniture and all: `slant analyze --clean`, POST /api/v1/analyze with
// "clean": true, and the article stored from the same text on the page's
// route (cleaned by default), read back through GET /api/v1/events/{id}
// as the page reads it. The first two say what they analyzed, which is
// what was stored; and the stored text, analyzed again as it is, gives
// the stored report once more.
func TestOneAnalysisEverywhere(t *testing.T) {
	seeds := workspace.Require(t, "seeds")
	files, err := filepath.Glob(filepath.Join(seeds, "*.txt"))
	require.NoError(t, err)
	require.NotEmpty(t, files, "no seed articles in %s", seeds)
	testdb.Each(t, func(t *testing.T, cfg models.Config) {
		env := testdb.Env(cfg)
		env["SLANT_DEMO"] = "0"
		srv := startServer(t, env)
		vars := map[string]string{"SLANT_LOG_LEVEL": "warn"}
		for k, v := range env {
			vars[k] = v
		}
		getenv := func(k string) string { return vars[k] }

		for _, file := range files {
			t.Run(filepath.Base(file), func(t *testing.T) {
				raw, err := os.ReadFile(file)
				require.NoError(t, err)
				text := string(raw)

				// 1. The command line.
				var stdout, stderr bytes.Buffer
				require.NoError(t, cli.Run(t.Context(), []string{"analyze", "--clean", "--json", file}, getenv, &stdout, &stderr), stderr.String())
				var fromCLI api.AnalyzeView
				require.NoError(t, json.Unmarshal(stdout.Bytes(), &fromCLI))
				require.True(t, fromCLI.Ingest.Cleaned, "the output says the furniture was removed")
				assert.NotEmpty(t, fromCLI.Ingest.Removed, "a seed copied from the web has furniture to remove")

				// 2. The analyze route.
				var fromAPI api.AnalyzeView
				require.Equal(t, 200, postJSON(t, srv.base+"/api/v1/analyze", map[string]any{"text": text, "clean": true}, &fromAPI))
				require.True(t, fromAPI.Ingest.Cleaned)

				// 3. The page: the article stored from the same text, as
				// the page reads it.
				var ev struct{ ID int64 }
				require.Equal(t, 201, postJSON(t, srv.base+"/api/v1/events", map[string]any{"title": "Seed " + filepath.Base(file)}, &ev))
				require.Equal(t, 201, postJSON(t, fmt.Sprintf("%s/api/v1/events/%d/articles", srv.base, ev.ID), map[string]any{"outlet": "Seed outlet", "text": text}, nil))
				var page struct{ Articles []api.ArticleView }
				require.Equal(t, 200, getJSON(t, fmt.Sprintf("%s/api/v1/events/%d?include=text,report", srv.base, ev.ID), &page))
				require.Len(t, page.Articles, 1)
				stored := page.Articles[0]

				assert.Equal(t, stored.Text, fromCLI.AnalyzedText, "the command analyzed the text the page stored")
				assert.Equal(t, stored.Title, fromCLI.AnalyzedTitle)
				assert.Equal(t, stored.Text, fromAPI.AnalyzedText)
				assert.Equal(t, stored.Title, fromAPI.AnalyzedTitle)
				assert.Equal(t, reportJSON(t, stored.Report), reportJSON(t, fromCLI.Report), "command line and page")
				assert.Equal(t, reportJSON(t, stored.Report), reportJSON(t, fromAPI.Report), "analyze route and page")
				assert.NotEmpty(t, stored.Report.Findings)

				// The stored text, analyzed as it is, with its title.
				stdout.Reset()
				storedFile := filepath.Join(t.TempDir(), "stored.txt")
				require.NoError(t, os.WriteFile(storedFile, []byte(stored.Text), 0o644))
				require.NoError(t, cli.Run(t.Context(), []string{"analyze", "--json", "--title", stored.Title, storedFile}, getenv, &stdout, &stderr))
				var again api.AnalyzeView
				require.NoError(t, json.Unmarshal(stdout.Bytes(), &again))
				assert.False(t, again.Ingest.Cleaned)
				assert.Equal(t, reportJSON(t, stored.Report), reportJSON(t, again.Report), "the same stored text, the same report")

				// The person's output says it too.
				stdout.Reset()
				require.NoError(t, cli.Run(t.Context(), []string{"analyze", file}, getenv, &stdout, &stderr))
				assert.Contains(t, stdout.String(), "page furniture not removed")
				stdout.Reset()
				require.NoError(t, cli.Run(t.Context(), []string{"analyze", "--clean", file}, getenv, &stdout, &stderr))
				assert.True(t, strings.Contains(stdout.String(), "page furniture removed: "), stdout.String())
			})
		}
	})
}

// reportJSON is a report's encoding, the form every surface sends.
func reportJSON(t *testing.T, r analysis.Report) string {
	t.Helper()
	data, err := json.Marshal(r)
	require.NoError(t, err)
	return string(data)
}

// TestOneAnalysisOfPastedHTML holds the three ways to analyze a text to
// one report for an HTML page pasted as text: the command line and the
// analyze route read it as the page's route reads it, as an uploaded page
// (its scripts, styles and menus are not analysed), and say so.
func TestOneAnalysisOfPastedHTML(t *testing.T) {
	page := `<!DOCTYPE html><html><head><title>Ferry fares rise | Harbour Gazette</title>
<style>.menu { color: red } /* radical thugs */</style>
<script>var slogan = "shameless regime";</script></head>
<body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
<!-- the radical left wrote this comment -->
<article><h1>Ferry fares rise</h1>
<p>The island ferry company raised its fares by six percent on Monday, citing fuel costs.</p>
<p>Commuters slammed the increase at a packed meeting, and one called it a shameless cash grab.</p>
<p>The company said it would review discounts for students and pensioners next year.</p>
</article><footer>Copyright Harbour Gazette</footer></body></html>`
	env := testdb.Env(models.Config{Driver: "sqlite", DSN: filepath.Join(t.TempDir(), "slant.db")})
	env["SLANT_DEMO"] = "0"
	srv := startServer(t, env)
	vars := map[string]string{"SLANT_LOG_LEVEL": "warn"}
	for k, v := range env {
		vars[k] = v
	}
	file := filepath.Join(t.TempDir(), "page.html")
	require.NoError(t, os.WriteFile(file, []byte(page), 0o644))

	var stdout, stderr bytes.Buffer
	require.NoError(t, cli.Run(t.Context(), []string{"analyze", "--clean", "--json", file}, func(k string) string { return vars[k] }, &stdout, &stderr), stderr.String())
	var fromCLI api.AnalyzeView
	require.NoError(t, json.Unmarshal(stdout.Bytes(), &fromCLI))

	var fromAPI api.AnalyzeView
	require.Equal(t, 200, postJSON(t, srv.base+"/api/v1/analyze", map[string]any{"text": page, "clean": true}, &fromAPI))

	var ev struct{ ID int64 }
	require.Equal(t, 201, postJSON(t, srv.base+"/api/v1/events", map[string]any{"title": "Ferry fares"}, &ev))
	require.Equal(t, 201, postJSON(t, fmt.Sprintf("%s/api/v1/events/%d/articles", srv.base, ev.ID), map[string]any{"outlet": "Harbour Gazette", "text": page}, nil))
	var stored struct{ Articles []api.ArticleView }
	require.Equal(t, 200, getJSON(t, fmt.Sprintf("%s/api/v1/events/%d?include=text,report", srv.base, ev.ID), &stored))
	require.Len(t, stored.Articles, 1)
	article := stored.Articles[0]

	for name, view := range map[string]api.AnalyzeView{"command line": fromCLI, "analyze route": fromAPI} {
		assert.True(t, view.Ingest.HTMLInText, "%s: says the text was a page", name)
		assert.Equal(t, article.Text, view.AnalyzedText, name)
		assert.Equal(t, reportJSON(t, article.Report), reportJSON(t, view.Report), name)
		assert.NotContains(t, view.AnalyzedText, "regime", "%s: the script is not read", name)
		assert.NotContains(t, view.AnalyzedText, "radical", "%s: the style and comment are not read", name)
	}
	assert.NotEmpty(t, article.Report.Findings, "the article's own words are analysed")
}
