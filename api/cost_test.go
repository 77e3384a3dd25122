package api

import (
	"fmt"
	"net/http"
	"runtime"
	"strings"
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

// TestStudentPageReadsNoReports holds the student's exercise page to
// reading the texts it shows, not the stored reports beside them, which
// are several times larger: with 12 articles of 25 KB it allocated 10.5 MB
// a request (34 times its 306 KB answer) and now 1.1 MB (3.6 times).
// Allocated bytes are counted, not time, so a busy machine does not move
// the figure.
func TestStudentPageReadsNoReports(t *testing.T) {
	env := newEnv(t, Config{}, nil)
	rec := env.call(t, http.MethodPost, "/api/v1/events", map[string]any{"title": "Council budget"})
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	id := decode[EventView](t, rec).ID
	para := "The council said the thugs ruined a crime-ridden hellhole, critics claimed, and the mayor slammed the radical plan on Tuesday. "
	for i := range 12 {
		rec := env.call(t, http.MethodPost, fmt.Sprintf("/api/v1/events/%d/articles", id), map[string]any{
			"outlet": fmt.Sprintf("Outlet %d", i), "text": fmt.Sprintf("Story %d. ", i) + strings.Repeat(para, 200)})
		require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	}
	rec = env.call(t, http.MethodPost, fmt.Sprintf("/api/v1/events/%d/exercises", id), map[string]bool{"blind": false})
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	page := rec.Header().Get("Location")
	answer := env.call(t, http.MethodGet, page, nil)
	require.Equal(t, http.StatusOK, answer.Code, answer.Body.String())

	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	const requests = 10
	for range requests {
		require.Equal(t, http.StatusOK, env.call(t, http.MethodGet, page, nil).Code)
	}
	runtime.ReadMemStats(&after)
	perRequest := float64(after.TotalAlloc-before.TotalAlloc) / requests
	ratio := perRequest / float64(answer.Body.Len())
	t.Logf("student page: %.2f MB allocated a request, %.1f times its %d-byte answer", perRequest/1e6, ratio, answer.Body.Len())
	assert.Less(t, ratio, 10.0, "the page should read the texts, not the reports")
}
