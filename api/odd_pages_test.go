package api

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slant/desk"
	"slant/ingest"
)

// Pages nested deeper than the HTML parser takes (512 elements) answered
// 500 "internal error", uploaded or fetched. They are flattened now; a
// page the parser refuses even flattened is the page's problem, 422.

// deepStory is a page whose story sits under depth nested divs.
func deepStory(depth int) string {
	return "<html><head><title>Footbridge vote</title></head><body>" + strings.Repeat("<div>", depth) +
		"<p>Councillors in Riverside voted seven to two on Tuesday to build a footbridge across the Mill Stream.</p>" +
		"<p>Opponents said the money belonged elsewhere and promised to raise the matter again next year.</p>"
}

// unreadablePage leaves four formatting elements open in every
// paragraph; the parser opens them again in the next one until it refuses
// the page, however its tags are flattened.
func unreadablePage() string {
	var b strings.Builder
	b.WriteString("<html><body>")
	for i := range 400 {
		fmt.Fprintf(&b, "<p><b id=%d><i id=%d><u id=%d><s id=%d>Councillors voted on the footbridge.</p>", i, i, i, i)
	}
	return b.String()
}

func TestOddPages(t *testing.T) {
	srv, _ := site(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		switch r.URL.Path {
		case "/deep":
			fmt.Fprint(w, deepStory(5000)+"<p>The vote was fetched from the council site.</p>")
		case "/unreadable":
			fmt.Fprint(w, unreadablePage())
		default:
			http.NotFound(w, r)
		}
	})
	env := newDeskEnv(t, Config{}, desk.Config{Fetcher: loopbackFetcher(ingest.FetcherOptions{})}, nil)
	articles := env.newEvent(t)

	t.Run("a deep page uploaded is flattened", func(t *testing.T) {
		rec := env.call(t, http.MethodPost, articles, map[string]any{"outlet": "Deep Upload", "html": deepStory(5000)})
		require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
		assert.Contains(t, decode[ArticleView](t, rec).Text, "voted seven to two")
	})
	t.Run("a deep page fetched is flattened", func(t *testing.T) {
		rec := env.call(t, http.MethodPost, articles, map[string]any{"url": srv.URL + "/deep", "outlet": "Deep Fetch"})
		require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
		assert.Contains(t, decode[ArticleView](t, rec).Text, "voted seven to two")
	})
	t.Run("an unreadable page uploaded is 422", func(t *testing.T) {
		rec := env.call(t, http.MethodPost, articles, map[string]any{"outlet": "Odd Upload", "html": unreadablePage()})
		require.Equal(t, http.StatusUnprocessableEntity, rec.Code, rec.Body.String())
		assert.Equal(t, unreadablePageMessage, decode[ErrorBody](t, rec).Error)
	})
	t.Run("an unreadable page fetched is 422", func(t *testing.T) {
		rec := env.call(t, http.MethodPost, articles, map[string]any{"url": srv.URL + "/unreadable", "outlet": "Odd Fetch"})
		require.Equal(t, http.StatusUnprocessableEntity, rec.Code, rec.Body.String())
		assert.Equal(t, unreadablePageMessage, decode[ErrorBody](t, rec).Error)
	})
	t.Run("an unreadable page imported is a bad line", func(t *testing.T) {
		line := fmt.Sprintf(`{"event":"Footbridge vote","outlet":"Odd Import","html":%q}`, unreadablePage())
		rec := env.postImport(t, "/api/v1/import", "application/x-ndjson", line+"\n", nil)
		// Its only line is bad, so nothing is stored: 422 with the line's error.
		require.Equal(t, http.StatusUnprocessableEntity, rec.Code, rec.Body.String())
		assert.Contains(t, rec.Body.String(), "could not be read as a page")
	})
	assert.NotContains(t, env.logs.String(), "level=ERROR", "no internal error on any page")
}
