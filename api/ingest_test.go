package api

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slant/desk"
	"slant/ingest"
	"slant/internal/workspace"
)

// newsPage is the HTML fixture shared with the ingest tests: a news page
// with a cookie banner, navigation, share buttons, scripts, a related list
// and comments around the story.
func newsPage(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "ingest", "testdata", "news.html"))
	require.NoError(t, err)
	return string(b)
}

// loopbackFetcher is the production fetcher with loopback allowed, as
// SLANT_FETCH_ALLOW_LOOPBACK=1 gives, so that httptest servers answer.
func loopbackFetcher(opts ingest.FetcherOptions) *ingest.Fetcher {
	opts.AllowLoopback = true
	return ingest.NewFetcher(opts)
}

// site starts a loopback web server and counts its requests.
func site(t *testing.T, handler http.HandlerFunc) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		handler(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, &hits
}

// newEvent creates an event through the API and returns its articles URL.
func (e *testEnv) newEvent(t *testing.T) string {
	t.Helper()
	rec := e.call(t, http.MethodPost, "/api/v1/events", map[string]string{"title": "Footbridge vote"})
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	return fmt.Sprintf("/api/v1/events/%d/articles", decode[EventView](t, rec).ID)
}

// assertInert checks that no markup or script reached a stored field.
func assertInert(t *testing.T, values ...string) {
	t.Helper()
	for _, v := range values {
		low := strings.ToLower(v)
		for _, bad := range []string{"<script", "<style", "<img", "<iframe", "javascript:", "onerror", "alert("} {
			assert.NotContains(t, low, bad)
		}
	}
}

func TestAddPastedTextIsCleaned(t *testing.T) {
	env := newEnv(t, Config{}, nil)
	articles := env.newEvent(t)
	pasted := "Share on Facebook\n" +
		"Council approves footbridge\n\n" +
		"Councillors in Riverside voted seven to two on Tuesday to build a footbridge across the Mill Stream, ending a long debate.\n\n" +
		"Opponents said the hellhole of a car park would only get worse, and that the money belonged elsewhere.\n\n" +
		"Related News\n" +
		"Market square redesign goes out to consultation\n" +
		"Station car park charges to rise in June\n"

	t.Run("cleaned by default", func(t *testing.T) {
		rec := env.call(t, http.MethodPost, articles, map[string]any{"outlet": "Courier", "text": pasted})
		require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
		got := decode[ArticleView](t, rec)
		require.NotNil(t, got.Ingest)
		assert.Equal(t, "text", got.Ingest.Source)
		assert.True(t, got.Ingest.Cleaned)
		assert.Equal(t, "Council approves footbridge", got.Ingest.DetectedTitle)
		assert.Equal(t, "Council approves footbridge", got.Title, "the detected title fills an empty title")
		assert.True(t, strings.HasPrefix(got.Text, "Councillors in Riverside"), got.Text)
		for _, gone := range []string{"Share on Facebook", "Related News", "Market square", "Station car park"} {
			assert.NotContains(t, got.Text, gone)
		}
		removed := map[string]string{}
		for _, r := range got.Ingest.Removed {
			removed[r.Text] = r.Why
			assert.Positive(t, r.Line)
		}
		for _, line := range []string{"Share on Facebook", "Related News", "Station car park charges to rise in June"} {
			assert.NotEmpty(t, removed[line], "%q is reported as removed, with why", line)
		}
		require.NotEmpty(t, got.Report.Findings)
		f := got.Report.Findings[0]
		assert.Equal(t, f.Text, got.Text[f.Start:f.End], "offsets point into the stored, cleaned text")

		stored, err := env.store.GetArticle(t.Context(), got.EventID, got.ID)
		require.NoError(t, err)
		assert.Equal(t, got.Text, stored.Body)
		list := decode[ArticleListView](t, env.call(t, http.MethodGet, articles, nil))
		for _, a := range list.Articles {
			assert.Nil(t, a.Ingest, "only the answer to adding carries ingest")
		}
	})

	t.Run("kept as sent with clean false", func(t *testing.T) {
		rec := env.call(t, http.MethodPost, articles, map[string]any{"outlet": "Planet", "text": pasted, "clean": false, "title": "Mine"})
		require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
		got := decode[ArticleView](t, rec)
		assert.Equal(t, pasted, got.Text)
		assert.Equal(t, "Mine", got.Title)
		assert.False(t, got.Ingest.Cleaned)
		assert.Empty(t, got.Ingest.Removed)
	})

	t.Run("nothing left", func(t *testing.T) {
		rec := env.call(t, http.MethodPost, articles, map[string]any{"outlet": "Planet", "text": "Share on Facebook\nShare on X\n"})
		assert.Equal(t, http.StatusUnprocessableEntity, rec.Code, rec.Body.String())
		assert.Contains(t, decode[ErrorBody](t, rec).Error, `"clean": false`)
	})
}

func TestAddUploadedHTML(t *testing.T) {
	env := newEnv(t, Config{}, nil)
	articles := env.newEvent(t)

	rec := env.call(t, http.MethodPost, articles, map[string]any{"html": newsPage(t)})
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	got := decode[ArticleView](t, rec)
	assert.Equal(t, "The Valley Courier", got.Outlet.Name, "the site name names the outlet")
	assert.Equal(t, "courier.example.org", got.Outlet.Domain)
	assert.Equal(t, "Riverside council approves new footbridge", got.Title)
	assert.Equal(t, "https://courier.example.org/local/riverside-footbridge", got.URL, "the canonical URL fills the url")
	require.NotNil(t, got.PublishedAt)
	assert.True(t, got.PublishedAt.Equal(time.Date(2024, 5, 14, 8, 30, 0, 0, time.UTC)))
	assert.Contains(t, got.Text, "Councillors in Riverside voted seven to two")
	assert.NotContains(t, got.Text, "cookie policy")
	assert.NotContains(t, got.Text, "Please enter your comment")
	assertInert(t, got.Text, got.Title, got.URL, got.Outlet.Name)
	require.NotNil(t, got.Ingest)
	assert.Equal(t, "html", got.Ingest.Source)
	assert.Equal(t, "Priya Okafor", got.Ingest.Byline)
	assert.Equal(t, "The Valley Courier", got.Ingest.SiteName)

	// What was sent wins over what the page says.
	rec = env.call(t, http.MethodPost, articles, map[string]any{
		"html": strings.Replace(newsPage(t), "seven to two", "six to three", 1), "outlet": "Courier Online",
		"outlet_domain": "courier.example", "title": "My title", "url": "https://example.org/x", "published_at": "2024-05-15",
	})
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	got = decode[ArticleView](t, rec)
	assert.Equal(t, "Courier Online", got.Outlet.Name)
	assert.Equal(t, "courier.example", got.Outlet.Domain)
	assert.Equal(t, "My title", got.Title)
	assert.Equal(t, "https://example.org/x", got.URL)
	assert.True(t, got.PublishedAt.Equal(time.Date(2024, 5, 15, 0, 0, 0, 0, time.UTC)))

	for _, tc := range []struct {
		name string
		body map[string]any
		want string
	}{
		{"text and html", map[string]any{"outlet": "X", "text": "Some text.", "html": "<p>x</p>"}, "html cannot be sent with text: send one of them"},
		{"no article in the page", map[string]any{"html": "<html><body><nav>Home</nav></body></html>", "outlet": "X"}, "no article text was found in the page"},
		{"nothing at all", map[string]any{"outlet": "X"}, "text is required"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := env.call(t, http.MethodPost, articles, tc.body)
			assert.Equal(t, http.StatusUnprocessableEntity, rec.Code)
			assert.Equal(t, tc.want, decode[ErrorBody](t, rec).Error)
		})
	}
}

func TestAddFromURL(t *testing.T) {
	page := newsPage(t)
	srv, hits := site(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/story":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, page)
		case "/plain":
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			fmt.Fprint(w, "Share on Facebook\nCouncillors in Riverside voted seven to two on Tuesday to build a footbridge across the stream.\n")
		default:
			http.NotFound(w, r)
		}
	})

	t.Run("fetched with loopback allowed", func(t *testing.T) {
		env := newDeskEnv(t, Config{}, desk.Config{Fetcher: loopbackFetcher(ingest.FetcherOptions{})}, nil)
		articles := env.newEvent(t)
		rec := env.call(t, http.MethodPost, articles, map[string]any{"url": srv.URL + "/story"})
		require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
		got := decode[ArticleView](t, rec)
		assert.Equal(t, "The Valley Courier", got.Outlet.Name)
		assert.Equal(t, "127.0.0.1", got.Outlet.Domain, "the domain the page came from")
		assert.Equal(t, srv.URL+"/story", got.URL, "the url asked for is kept")
		assert.Equal(t, "url", got.Ingest.Source)
		assert.Equal(t, srv.URL+"/story", got.Ingest.FetchedURL)
		assert.Contains(t, got.Text, "Councillors in Riverside voted seven to two")
		assertInert(t, got.Text, got.Title)

		rec = env.call(t, http.MethodPost, articles, map[string]any{"url": srv.URL + "/plain", "outlet": "Wire"})
		require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
		got = decode[ArticleView](t, rec)
		assert.Equal(t, "Wire", got.Outlet.Name)
		assert.NotContains(t, got.Text, "Share on Facebook", "plain text is cleaned like pasted text")
		assert.True(t, got.Ingest.Cleaned)
	})

	t.Run("loopback refused by default", func(t *testing.T) {
		env := newEnv(t, Config{}, nil)
		articles := env.newEvent(t)
		before := hits.Load()
		rec := env.call(t, http.MethodPost, articles, map[string]any{"url": srv.URL + "/story"})
		assert.Equal(t, http.StatusUnprocessableEntity, rec.Code)
		assert.Equal(t, "that address is not allowed", decode[ErrorBody](t, rec).Error)
		assert.Equal(t, before, hits.Load(), "the site was never asked")
	})

	t.Run("no fetch for an event that cannot take it", func(t *testing.T) {
		env := newDeskEnv(t, Config{}, desk.Config{Fetcher: loopbackFetcher(ingest.FetcherOptions{})}, nil)
		before := hits.Load()
		rec := env.call(t, http.MethodPost, "/api/v1/events/999/articles", map[string]any{"url": srv.URL + "/story"})
		assert.Equal(t, http.StatusUnprocessableEntity, rec.Code)
		assert.Equal(t, "event does not exist", decode[ErrorBody](t, rec).Error)
		assert.Equal(t, before, hits.Load())
	})
}

func TestFetchFailuresThroughTheAPI(t *testing.T) {
	slow := make(chan struct{})
	t.Cleanup(func() { close(slow) })
	srv, _ := site(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/missing":
			http.NotFound(w, r)
		case "/image":
			w.Header().Set("Content-Type", "image/png")
			w.Write([]byte("\x89PNG\r\n\x1a\n"))
		case "/big":
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte("<html><body><p>" + strings.Repeat("word ", 2000) + "</p></body></html>"))
		case "/loop":
			http.Redirect(w, r, "/loop", http.StatusFound)
		case "/slow":
			select {
			case <-slow:
			case <-r.Context().Done():
			}
		case "/blocked":
			http.Redirect(w, r, "http://0.0.0.0/admin", http.StatusFound)
		}
	})
	closed := httptest.NewServer(http.NotFoundHandler())
	closedURL := closed.URL
	closed.Close()

	env := newDeskEnv(t, Config{}, desk.Config{Fetcher: loopbackFetcher(ingest.FetcherOptions{MaxBytes: 4096, Timeout: 300 * time.Millisecond})}, nil)
	articles := env.newEvent(t)
	for _, tc := range []struct {
		name, url string
		status    int
		message   string
	}{
		{"not found", srv.URL + "/missing", 502, "the site answered 404 Not Found"},
		{"not a page", srv.URL + "/image", 422, "that address does not serve a web page (HTML or plain text)"},
		{"too large", srv.URL + "/big", 413, "the page is larger than this Slant fetches"},
		{"redirect loop", srv.URL + "/loop", 502, "the site redirected too many times"},
		{"too slow", srv.URL + "/slow", 502, "the site did not answer in time"},
		{"unreachable", closedURL + "/story", 502, "the page could not be fetched: the site could not be reached"},
		{"redirect to a blocked address", srv.URL + "/blocked", 422, "that address is not allowed"},
		{"metadata address", "http://169.254.169.254/latest/meta-data/", 422, "that address is not allowed"},
		{"not http", "ftp://example.org/story", 422, "only http and https addresses can be fetched"},
		{"user info", "http://user:secret@example.org/", 422, "that URL is not valid"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := env.call(t, http.MethodPost, articles, map[string]any{"url": tc.url, "outlet": "X"})
			assert.Equal(t, tc.status, rec.Code, rec.Body.String())
			msg := decode[ErrorBody](t, rec).Error
			assert.Equal(t, tc.message, msg)
			assert.NotContains(t, msg, "127.0.0.1", "no internal detail in the answer")
		})
	}
	logs := env.logs.String()
	assert.Contains(t, logs, "404", "the detail is logged")
	// A failed or refused fetch is the client's address, not Slant's
	// fault: never an error in the log, which is kept for internals.
	assert.NotContains(t, logs, "level=ERROR")
	assert.Contains(t, logs, `level=WARN msg="page fetch failed"`)
	assert.Contains(t, logs, `level=WARN msg=request method=POST`, "the request line of a 502 from a fetch is a warning")
	assert.Contains(t, logs, `level=INFO msg="page fetch refused"`)
	assert.Contains(t, logs, "169.254.169.254 is a cloud metadata address", "the refusal's detail is logged")
}

func TestURLFetchesAreRateLimited(t *testing.T) {
	srv, _ := site(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		fmt.Fprintf(w, "Councillors voted on the footbridge at %s, the clerk said in a statement on Tuesday.", r.URL.Path)
	})
	env := newDeskEnv(t, Config{
		FetchRate: Rate{Events: 1, Per: time.Hour, Burst: 1},
	}, desk.Config{Fetcher: loopbackFetcher(ingest.FetcherOptions{})}, nil)
	articles := env.newEvent(t)
	require.Equal(t, http.StatusCreated, env.call(t, http.MethodPost, articles, map[string]any{"url": srv.URL + "/1", "outlet": "A"}).Code)
	rec := env.call(t, http.MethodPost, articles, map[string]any{"url": srv.URL + "/2", "outlet": "A"})
	assert.Equal(t, http.StatusTooManyRequests, rec.Code)
	assert.NotEmpty(t, rec.Header().Get("Retry-After"))
	assert.Equal(t, http.StatusCreated,
		env.call(t, http.MethodPost, articles, map[string]any{"text": "Pasted text does not count as a fetch.", "outlet": "B"}).Code)
}

func TestFetchStatus(t *testing.T) {
	timeout := &net.OpError{Op: "dial", Err: timeoutError{}}
	for _, tc := range []struct {
		err    error
		status int
	}{
		{fmt.Errorf("fetch: %w: 10.0.0.1 is a private address", ingest.ErrBlockedAddress), 422},
		{ingest.ErrScheme, 422},
		{ingest.ErrInvalidURL, 422},
		{ingest.ErrUnsupportedContentType, 422},
		{ingest.ErrTooLarge, 413},
		{ingest.ErrTooManyRedirects, 502},
		{&ingest.HTTPStatusError{StatusCode: 503, URL: "http://example.org"}, 502},
		{context.DeadlineExceeded, 502},
		{timeout, 502},
		{errors.New("dial tcp: connection refused"), 502},
	} {
		status, message := fetchStatus(tc.err)
		assert.Equal(t, tc.status, status, "%v", tc.err)
		assert.NotContains(t, message, "10.0.0.1")
		code, _ := classify(&desk.FetchError{Err: tc.err})
		assert.Equal(t, status, code, "classify uses the same table")
	}
}

// timeoutError is a net.Error that timed out.
type timeoutError struct{}

func (timeoutError) Error() string   { return "i/o timeout" }
func (timeoutError) Timeout() bool   { return true }
func (timeoutError) Temporary() bool { return true }

// TestSeedFurnitureThroughTheAPI pastes the seed articles, page furniture
// and all, and checks that the stored text keeps the story and drops the
// furniture listed in the seeds' EXPECTATIONS.md.
func TestSeedFurnitureThroughTheAPI(t *testing.T) {
	dir := workspace.Require(t, "seeds")
	env := newDeskEnv(t, Config{MaxBodyBytes: 2 << 20}, desk.Config{Limits: desk.Limits{MaxTextBytes: 1 << 20}}, nil)
	articles := env.newEvent(t)
	for _, tc := range []struct {
		file      string
		furniture []string
		kept      []string
	}{
		{"outlet-a_t4k3-news.txt",
			[]string{"T4K3.news", "Key Takeaways", "Enjoyed this?", "Let your friends know", "Related News"},
			[]string{"Mérida Initiative", "Farfan-Mendez", "Jack Riley"}},
		{"outlet-b_newszed.txt",
			[]string{"Newszed-Header-Logo", "HomeGlobal Economy", "Loading recommendations", "Source link", "LEAVE A REPLY", "Please enter your comment!", "Most Popular", "Recent Comments"},
			[]string{"Cartel de los Soles", "Arturo Rocha", "hybrid warfare"}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join(dir, tc.file))
			require.NoError(t, err)
			rec := env.call(t, http.MethodPost, articles, map[string]any{"outlet": tc.file, "text": string(raw)})
			require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
			got := decode[ArticleView](t, rec)
			for _, f := range tc.furniture {
				assert.NotContains(t, got.Text, f, "furniture %q is dropped", f)
			}
			for _, k := range tc.kept {
				assert.Contains(t, got.Text, k, "story phrase %q is kept", k)
			}
			assert.NotEmpty(t, got.Title, "the headline is detected")
			assert.NotEmpty(t, got.Ingest.Removed)
			for _, r := range got.Ingest.Removed {
				assert.NotEmpty(t, r.Why)
			}
		})
	}
}

// TestPastedPageNamesItsOutlet: a page pasted as text with no outlet is
// read as an upload is, so the site the page names fills the outlet, the
// same as when the page is uploaded; prose with no outlet, and a page that
// names no site, are still refused.
func TestPastedPageNamesItsOutlet(t *testing.T) {
	env := newEnv(t, Config{}, nil)
	articles := env.newEvent(t)
	story := func(n int) string {
		return fmt.Sprintf(`<article><h1>Pool reopens after repairs %d</h1>
<p>The town pool opened again on Friday after four months of repairs to its roof, story %d.</p>
<p>Swimmers queued at the gate before eight, and the manager said the water was warm.</p>
<p>The council said the repairs came in under budget and on time.</p></article>`, n, n)
	}
	for _, tc := range []struct {
		name, page, outlet string
	}{
		{"site name", `<!DOCTYPE html><html><head><title>Pool reopens | Valley Herald</title>
<meta property="og:site_name" content="Valley Herald"></head><body>` + story(1) + `</body></html>`, "Valley Herald"},
		{"publisher in JSON-LD", `<html><head><title>Pool reopens</title>
<script type="application/ld+json">{"@type":"NewsArticle","headline":"Pool reopens","publisher":{"@type":"Organization","name":"Hill Gazette"}}</script>
</head><body>` + story(2) + `</body></html>`, "Hill Gazette"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			uploaded := env.call(t, http.MethodPost, articles, map[string]any{"html": tc.page})
			pasted := env.call(t, http.MethodPost, articles, map[string]any{"text": strings.Replace(tc.page, "Friday", "Saturday", 1)})
			require.Equal(t, http.StatusCreated, uploaded.Code, uploaded.Body.String())
			require.Equal(t, http.StatusCreated, pasted.Code, pasted.Body.String())
			up, got := decode[ArticleView](t, uploaded), decode[ArticleView](t, pasted)
			assert.Equal(t, tc.outlet, got.Outlet.Name)
			assert.Equal(t, up.Outlet.Name, got.Outlet.Name, "a pasted page names its outlet as the uploaded page does")
			assert.Equal(t, up.Title, got.Title)
			require.NotNil(t, got.Ingest)
			assert.True(t, got.Ingest.HTMLInText)
			assert.Equal(t, tc.outlet, got.Ingest.SiteName)
		})
	}

	for _, tc := range []struct {
		name string
		body map[string]any
		want string
	}{
		{"prose", map[string]any{"text": "The town pool opened again on Friday after four months of repairs."}, "outlet is required"},
		{"a page kept as sent", map[string]any{"text": `<html><head><meta property="og:site_name" content="Valley Herald"></head><body>` + story(3) + `</body></html>`, "clean": false}, "outlet is required"},
		{"a page that names no site", map[string]any{"text": story(4)}, "outlet is required: the page does not say which outlet published it"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := env.call(t, http.MethodPost, articles, tc.body)
			assert.Equal(t, http.StatusUnprocessableEntity, rec.Code, rec.Body.String())
			assert.Equal(t, tc.want, decode[ErrorBody](t, rec).Error)
		})
	}
}
