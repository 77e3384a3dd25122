package api

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestPasteCost counts the work of pasting one article and drawing the
// page again, as the page does: POST the article, then GET the event and
// GET its comparison. It costs one analysis (of the new article) and one
// read of the event's articles, each report decoded once: the comparison
// compares the reading the event page just made.
func TestPasteCost(t *testing.T) {
	env := newEnv(t, Config{}, nil)
	eventID, _, _ := env.seed(t)
	event := fmt.Sprintf("/api/v1/events/%d", eventID)
	for n := 3; n <= 5; n++ {
		before := env.server.desk.Counts()
		rec := env.call(t, http.MethodPost, event+"/articles", map[string]any{
			"outlet": fmt.Sprintf("Outlet %d", n), "text": fmt.Sprintf("Story %d: the thugs left the hellhole.", n),
		})
		require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
		posted := env.server.desk.Counts()
		require.Equal(t, http.StatusOK, env.call(t, http.MethodGet, event+"?include=text,report", nil).Code)
		require.Equal(t, http.StatusOK, env.call(t, http.MethodGet, event+"/comparison", nil).Code)
		after := env.server.desk.Counts()

		assert.EqualValues(t, 1, posted.Analyses-before.Analyses, "the POST analyzes the article")
		assert.EqualValues(t, 0, posted.EventReads-before.EventReads, "the POST reads no articles")
		assert.EqualValues(t, 1, after.Analyses-before.Analyses, "one analysis in all")
		assert.EqualValues(t, 1, after.EventReads-before.EventReads, "one read of the event's articles")
		assert.EqualValues(t, n, after.ReportDecodes-before.ReportDecodes, "each of the %d reports decoded once", n)
		t.Logf("event of %d articles: paste + page = %d analysis, %d event read, %d report decodes",
			n, after.Analyses-before.Analyses, after.EventReads-before.EventReads, after.ReportDecodes-before.ReportDecodes)
	}
}
