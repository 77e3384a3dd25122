package e2e

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEndToEnd runs the real server on a free port and walks the main
// path: the demo event is there and compared, the page is served, a new
// event with two articles is compared, and bad input gets a JSON error.
func TestEndToEnd(t *testing.T) {
	base := startTestServer(t, nil)

	var health struct {
		Status         string `json:"status"`
		Database       string `json:"database"`
		LexiconVersion string `json:"lexicon_version"`
	}
	require.Equal(t, http.StatusOK, getJSON(t, base+"/healthz", &health))
	assert.Equal(t, "ok", health.Status)
	assert.Equal(t, "sqlite", health.Database)
	assert.True(t, strings.HasPrefix(health.LexiconVersion, "sha256:"))

	var events struct {
		Events []struct {
			ID           int64    `json:"id"`
			Title        string   `json:"title"`
			ArticleCount int      `json:"article_count"`
			Outlets      []string `json:"outlets"`
		} `json:"events"`
	}
	require.Equal(t, http.StatusOK, getJSON(t, base+"/api/v1/events", &events))
	require.Len(t, events.Events, 1, "the demo event is loaded into an empty database")
	assert.Equal(t, 3, events.Events[0].ArticleCount)

	var comparison struct {
		Outlets []struct {
			Outlet      string  `json:"outlet"`
			LoadedIndex float64 `json:"loaded_index"`
		} `json:"outlets"`
		Summary []string `json:"summary"`
	}
	require.Equal(t, http.StatusOK, getJSON(t, fmt.Sprintf("%s/api/v1/events/%d/comparison", base, events.Events[0].ID), &comparison))
	require.Len(t, comparison.Outlets, 3)
	assert.Equal(t, "Riverlands Wire", comparison.Outlets[2].Outlet, "the neutral wire report is least loaded")
	assert.Greater(t, comparison.Outlets[1].LoadedIndex, 3*comparison.Outlets[2].LoadedIndex)
	require.NotEmpty(t, comparison.Summary)

	page, err := http.Get(base + "/")
	require.NoError(t, err)
	body, _ := io.ReadAll(page.Body)
	page.Body.Close()
	assert.Equal(t, http.StatusOK, page.StatusCode)
	assert.Contains(t, string(body), "/static/app.js")

	var event struct {
		ID int64 `json:"id"`
	}
	require.Equal(t, http.StatusCreated, postJSON(t, base+"/api/v1/events", map[string]string{"title": "Bridge reopens"}, &event))
	articles := []map[string]string{
		{"outlet": "Calm Courier", "text": "The bridge reopened on Monday after repairs, the city said."},
		{"outlet": "Shouting Sentinel", "text": "The so-called repairs on the bridge were an utterly shameful disaster, critics slammed."},
	}
	for _, a := range articles {
		require.Equal(t, http.StatusCreated, postJSON(t, fmt.Sprintf("%s/api/v1/events/%d/articles", base, event.ID), a, nil))
	}
	var errBody struct {
		Error string `json:"error"`
	}
	assert.Equal(t, http.StatusConflict, postJSON(t, fmt.Sprintf("%s/api/v1/events/%d/articles", base, event.ID), articles[0], &errBody))
	assert.NotEmpty(t, errBody.Error)
	assert.Equal(t, http.StatusUnprocessableEntity, postJSON(t, base+"/api/v1/analyze", map[string]string{"text": "  "}, &errBody))

	require.Equal(t, http.StatusOK, getJSON(t, fmt.Sprintf("%s/api/v1/events/%d/comparison", base, event.ID), &comparison))
	require.Len(t, comparison.Outlets, 2)
	assert.Equal(t, "Shouting Sentinel", comparison.Outlets[0].Outlet)
	assert.Zero(t, comparison.Outlets[1].LoadedIndex)
}

func TestDemoCanBeTurnedOff(t *testing.T) {
	base := startTestServer(t, map[string]string{"SLANT_DEMO": "0"})
	var events struct {
		Events []json.RawMessage `json:"events"`
	}
	require.Equal(t, http.StatusOK, getJSON(t, base+"/api/v1/events", &events))
	assert.Empty(t, events.Events)
}
