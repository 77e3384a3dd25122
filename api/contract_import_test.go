package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slant/desk"
	"slant/ingest"
)

// TestContractIngestImportExport runs the routes of getting articles in
// (text, html, url; bulk import) and results out (exports) against
// openapi.yaml, with the same checks as TestContract: every request and
// response must match the document, undocumented fields and statuses fail.
func TestContractIngestImportExport(t *testing.T) {
	// JSON Lines bodies are checked as the plain strings the document says
	// they are.
	openapi3filter.RegisterBodyDecoder("application/x-ndjson", openapi3filter.FileBodyDecoder)
	doc := loadSpec(t)
	forbidUndocumentedFields(doc)
	router, err := gorillamux.NewRouter(doc)
	require.NoError(t, err)

	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/story" {
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, strings.Replace(newsPage(t), "seven to two", "six to three", 1))
			return
		}
		http.NotFound(w, r)
	}))
	t.Cleanup(srv.Close)
	env := newDeskEnv(t, Config{MaxBodyBytes: 1 << 20}, desk.Config{Fetcher: loopbackFetcher(ingest.FetcherOptions{})}, nil)

	var eventID, corpusID int64
	path := func(p string) func() string { return func() string { return p } }
	corpusPath := func(suffix string) func() string {
		return func() string { return fmt.Sprintf("/api/v1/events/%d%s", corpusID, suffix) }
	}
	eventPath := func(suffix string) func() string {
		return func() string { return fmt.Sprintf("/api/v1/events/%d%s", eventID, suffix) }
	}
	body := func(v any) string {
		data, err := json.Marshal(v)
		require.NoError(t, err)
		return string(data)
	}
	ndjson := map[string]string{"Content-Type": "application/x-ndjson"}
	csvType := map[string]string{"Content-Type": "text/csv"}
	lineErrors := func(n int) func(*testing.T, *httptest.ResponseRecorder) {
		return func(t *testing.T, rec *httptest.ResponseRecorder) {
			assert.Len(t, decode[ImportRejectionView](t, rec).LineErrors, n)
		}
	}

	runContract(t, router, env, []contractStep{
		{name: "create event", method: "POST", target: path("/api/v1/events"), body: `{"title":"Footbridge vote"}`, status: 201,
			save: func(t *testing.T, b []byte) {
				var v struct{ ID int64 }
				require.NoError(t, json.Unmarshal(b, &v))
				eventID = v.ID
			}},
		{name: "add pasted text, cleaned", method: "POST", target: eventPath("/articles"), status: 201,
			body: body(map[string]any{"outlet": "Courier", "text": "Share on Facebook\nCouncil approves footbridge\n\nCouncillors voted seven to two on Tuesday to build the footbridge, ending years of debate.\n"})},
		{name: "add pasted text as it is", method: "POST", target: eventPath("/articles"), status: 201,
			body: body(map[string]any{"outlet": "Planet", "text": "The footbridge was approved.", "clean": false})},
		{name: "add html", method: "POST", target: eventPath("/articles"), status: 201, body: body(map[string]any{"html": newsPage(t)})},
		{name: "add from url", method: "POST", target: eventPath("/articles"), status: 201, body: body(map[string]any{"url": srv.URL + "/story", "outlet": "Fetched"})},
		{name: "url the site does not have", method: "POST", target: eventPath("/articles"), status: 502, body: body(map[string]any{"url": srv.URL + "/missing"})},
		{name: "url at a blocked address", method: "POST", target: eventPath("/articles"), status: 422, body: body(map[string]any{"url": "http://169.254.169.254/latest"})},
		{name: "text and html", method: "POST", target: eventPath("/articles"), status: 422, body: body(map[string]any{"outlet": "X", "text": "x", "html": "<p>x</p>"})},

		{name: "import", method: "POST", target: path("/api/v1/import"), header: ndjson, status: 200, body: importFile},
		{name: "import again", method: "POST", target: path("/api/v1/import?mode=skip"), header: ndjson, status: 200, body: importFile},
		{name: "strict import with bad lines", method: "POST", target: path("/api/v1/import?mode=strict"), header: ndjson, status: 422, body: importFile, check: lineErrors(2)},
		{name: "csv import", method: "POST", target: path("/api/v1/import"), header: csvType, status: 200,
			body: "event,outlet,text\nBudget vote,Courier,\"The budget passed, narrowly.\"\n"},
		{name: "import with ids and metadata", method: "POST", target: path("/api/v1/import"), header: ndjson, status: 200,
			body: `{"id":"doc-1","event":"Corpus","outlet":"Courier","text":"The council met on Monday.","section":"=Local","wordcount":5,"paywalled":false}` + "\n" +
				`{"id":"doc-2","event":"Corpus","outlet":"Planet","text":"The council met again.","section":"Politics"}` + "\n",
			save: func(t *testing.T, b []byte) {
				var v ImportView
				require.NoError(t, json.Unmarshal(b, &v))
				corpusID = v.Events[0].ID
			}},
		{name: "the same ids again", method: "POST", target: path("/api/v1/import"), header: ndjson, status: 200,
			body: `{"id":"doc-1","event":"Corpus","outlet":"Courier","text":"A changed text."}` + "\n",
			check: func(t *testing.T, rec *httptest.ResponseRecorder) {
				v := decode[ImportView](t, rec)
				assert.Zero(t, v.Added)
				assert.Equal(t, 1, v.SkippedKnownIDs, "nothing updated, and said so")
				assert.Equal(t, 1, v.ChangedTextCount, "the changed text is told apart")
				require.Len(t, v.ChangedTexts, 1)
				changed := v.ChangedTexts[0]
				assert.Equal(t, ChangedTextView{Line: 1, ID: "doc-1", EventID: corpusID, ArticleID: changed.ArticleID, Reason: changed.Reason}, changed)
				assert.NotZero(t, changed.ArticleID)
				assert.Contains(t, changed.Reason, "with another text")
			}},
		{name: "the same ids, same text", method: "POST", target: path("/api/v1/import"), header: ndjson, status: 200,
			body: `{"id":"doc-2","event":"Corpus","outlet":"Planet","text":"The council met again."}` + "\n",
			check: func(t *testing.T, rec *httptest.ResponseRecorder) {
				v := decode[ImportView](t, rec)
				assert.Equal(t, 1, v.SkippedKnownIDs)
				assert.Zero(t, v.ChangedTextCount)
				assert.NotNil(t, v.ChangedTexts, "an empty list, not null")
				assert.Contains(t, rec.Body.String(), `"changed_texts":[]`)
			}},
		{name: "event with ids and metadata", method: "GET", target: corpusPath(""), status: 200,
			check: func(t *testing.T, rec *httptest.ResponseRecorder) {
				ev := decode[EventDetailView](t, rec)
				require.Len(t, ev.Articles, 2)
				require.NotNil(t, ev.Articles[0].ExternalID)
				assert.Equal(t, "doc-1", *ev.Articles[0].ExternalID)
				assert.Equal(t, "=Local", ev.Articles[0].Metadata["section"])
				assert.InDelta(t, 5, ev.Articles[0].Metadata["wordcount"], 0, "a number stays a number")
			}},
		{name: "import of bad lines only", method: "POST", target: path("/api/v1/import"), header: ndjson, status: 422,
			body: strings.Repeat("not json\n", 150),
			check: func(t *testing.T, rec *httptest.ResponseRecorder) {
				v := decode[ImportRejectionView](t, rec)
				assert.Len(t, v.LineErrors, desk.MaxLineErrors)
				assert.Equal(t, 150, v.LineErrorCount)
			}},
		{name: "import in windows-1252", method: "POST", target: path("/api/v1/import"), status: 200,
			header: map[string]string{"Content-Type": "text/csv; charset=windows-1252"},
			body:   "event,outlet,text\nCorpus,Courier,Caf\xe9 owners met.\n"},
		{name: "import in an unknown charset", method: "POST", target: path("/api/v1/import"), status: 415,
			header: map[string]string{"Content-Type": "text/csv; charset=klingon"}, body: "event,outlet,text\n"},
		{name: "analyze, cleaned", method: "POST", target: path("/api/v1/analyze"), status: 200,
			body: body(map[string]any{"text": "Share on Facebook\nCouncil approves footbridge\n\nCouncillors voted on Tuesday.\n", "clean": true}),
			check: func(t *testing.T, rec *httptest.ResponseRecorder) {
				v := decode[AnalyzeView](t, rec)
				assert.True(t, v.Ingest.Cleaned)
				assert.NotEmpty(t, v.Ingest.Removed)
				assert.NotContains(t, v.AnalyzedText, "Share on Facebook")
			}},
		{name: "empty import", method: "POST", target: path("/api/v1/import"), header: ndjson, status: 422, body: "\n"},
		{name: "import as json", method: "POST", target: path("/api/v1/import"), status: 415, body: `{"event":"E"}`, invalidRequest: true,
			header: map[string]string{"Content-Type": "application/xml"}},
		{name: "import mode unknown", method: "POST", target: path("/api/v1/import?mode=maybe"), header: ndjson, status: 400, body: importFile, invalidRequest: true},

		{name: "export event", method: "GET", target: eventPath("/export"), status: 200},
		{name: "export event csv", method: "GET", target: eventPath("/export?format=csv"), status: 200},
		{name: "export event findings", method: "GET", target: eventPath("/export?format=csv&table=findings"), status: 200},
		{name: "export all", method: "GET", target: path("/api/v1/export"), status: 200},
		{name: "export all csv", method: "GET", target: path("/api/v1/export?format=csv&table=articles"), status: 200},
		{name: "export unknown event", method: "GET", target: path("/api/v1/events/4242/export"), status: 404},
		{name: "export bad format", method: "GET", target: path("/api/v1/export?format=xlsx"), status: 400, invalidRequest: true},
		{name: "export table with json", method: "GET", target: path("/api/v1/export?format=json&table=findings"), status: 400},
		{name: "export jsonl", method: "GET", target: corpusPath("/export?format=jsonl"), status: 200,
			check: func(t *testing.T, rec *httptest.ResponseRecorder) {
				lines := strings.Split(strings.TrimSpace(rec.Body.String()), "\n")
				require.Len(t, lines, 3)
				assert.Contains(t, lines[0], `"external_id":"doc-1"`)
				assert.Contains(t, lines[0], `"metadata":{"paywalled":false,"section":"=Local","wordcount":5}`)
			}},
		{name: "export codebook csv", method: "GET", target: corpusPath("/export?format=csv&table=codebook"), status: 200,
			check: func(t *testing.T, rec *httptest.ResponseRecorder) {
				assert.True(t, strings.HasPrefix(rec.Body.String(), "column,table,type,meaning\n"))
				assert.Contains(t, rec.Body.String(), "meta_wordcount,articles,number,")
				assert.Contains(t, rec.Header().Get("Content-Disposition"), "-codebook.csv")
			}},
		{name: "export csv, safe", method: "GET", target: corpusPath("/export?format=csv"), status: 200,
			check: func(t *testing.T, rec *httptest.ResponseRecorder) {
				assert.Contains(t, rec.Body.String(), ",'=Local,")
			}},
		{name: "export csv, raw", method: "GET", target: corpusPath("/export?format=csv&csv=raw"), status: 200,
			check: func(t *testing.T, rec *httptest.ResponseRecorder) {
				assert.Contains(t, rec.Body.String(), ",=Local,")
			}},
		{name: "export codebook as json", method: "GET", target: path("/api/v1/export?format=json&table=codebook"), status: 400},
		{name: "export raw json", method: "GET", target: path("/api/v1/export?csv=raw"), status: 400},
	})
}
