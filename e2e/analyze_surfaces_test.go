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
