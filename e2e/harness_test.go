package e2e

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3" // database/sql driver for the checks below
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slant/analysis"
	"slant/cli"
	"slant/demo"
)

// The harness every end-to-end test shares: the real program started in
// this process on 127.0.0.1:0 with a fresh SQLite file (startServer), the
// command line run in-process (runCLI), HTTP helpers, the demo event as
// the API shows it, generated article text and import bodies, and the
// database checks every fault test ends with. The browser's half is in
// browser_harness_test.go.

// demoSentences are the sentences of the demo event's articles: neutral
// and slanted reporting, quotations and attributions, so that generated
// texts give the analysis realistic work.
var demoSentences = sync.OnceValues(func() ([]string, error) {
	ev, err := demo.Load()
	if err != nil {
		return nil, err
	}
	re := regexp.MustCompile(`[^.!?]+[.!?]+["”’]?`)
	var out []string
	for _, a := range ev.Articles {
		for _, s := range re.FindAllString(a.Text, -1) {
			if s = strings.Join(strings.Fields(s), " "); len(strings.Fields(s)) >= 3 {
				out = append(out, s)
			}
		}
	}
	return out, nil
})

// genText returns a text of at least words words that starts with lead
// (make it unique: an event refuses the same text twice), the rest drawn
// from the demo sentences with a generator seeded by seed.
func genText(t testing.TB, seed uint64, lead string, words int) string {
	t.Helper()
	sentences, err := demoSentences()
	require.NoError(t, err)
	r := rand.New(rand.NewPCG(seed, 7))
	var b strings.Builder
	b.WriteString(lead)
	for n, count := 1, len(strings.Fields(lead)); count < words; n++ {
		s := sentences[r.IntN(len(sentences))]
		if n%5 == 0 {
			b.WriteString("\n\n")
		} else {
			b.WriteByte(' ')
		}
		b.WriteString(s)
		count += len(strings.Fields(s))
	}
	return b.String()
}

// importBody is a JSON Lines import of n generated articles of about 400
// words, perEvent to an event, the events keyed "<prefix> NNNN".
func importBody(t testing.TB, prefix string, n, perEvent int) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	for i := range n {
		require.NoError(t, enc.Encode(map[string]string{
			"event":  fmt.Sprintf("%s %04d", prefix, i/perEvent),
			"outlet": fmt.Sprintf("Outlet %d", i%perEvent),
			"title":  fmt.Sprintf("%s story %d", prefix, i),
			"text":   genText(t, uint64(i), fmt.Sprintf("%s report %d.", prefix, i), 400),
		}))
	}
	return buf.Bytes()
}

// importView is the part of POST /api/v1/import's answer the tests read.
type importView struct {
	Added             int `json:"added"`
	SkippedDuplicates int `json:"skipped_duplicates"`
}

// postImport sends a JSON Lines import in strict mode.
func postImport(ctx context.Context, client *http.Client, base string, body io.Reader, size int) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/api/v1/import?mode=strict", body)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-ndjson")
	req.ContentLength = int64(size)
	return client.Do(req)
}

// dbCounts is what checkDatabase finds.
type dbCounts struct {
	Events, Articles, Analyses int
}

// checkDatabase opens a SQLite file the way a restarted server would
// (recovering its write-ahead log) and checks what must hold after any
// fault: the file is intact, foreign keys hold, every article has its
// analysis and no analysis has lost its article.
func checkDatabase(t *testing.T, path string) dbCounts {
	t.Helper()
	db, err := sql.Open("sqlite3", path)
	require.NoError(t, err)
	defer db.Close()
	var check string
	require.NoError(t, db.QueryRow("PRAGMA integrity_check").Scan(&check))
	assert.Equal(t, "ok", check, "PRAGMA integrity_check")
	rows, err := db.Query("PRAGMA foreign_key_check")
	require.NoError(t, err)
	assert.False(t, rows.Next(), "PRAGMA foreign_key_check finds a broken reference")
	require.NoError(t, rows.Close())

	scalar := func(query string) int {
		var n int
		require.NoError(t, db.QueryRow(query).Scan(&n), query)
		return n
	}
	assert.Zero(t, scalar(`SELECT COUNT(*) FROM articles a LEFT JOIN analyses an ON an.article_id = a.id WHERE an.article_id IS NULL`),
		"articles without their analysis")
	assert.Zero(t, scalar(`SELECT COUNT(*) FROM analyses an LEFT JOIN articles a ON a.id = an.article_id WHERE a.id IS NULL`),
		"analyses without their article")
	return dbCounts{
		Events:   scalar("SELECT COUNT(*) FROM events"),
		Articles: scalar("SELECT COUNT(*) FROM articles"),
		Analyses: scalar("SELECT COUNT(*) FROM analyses"),
	}
}

// sqliteScalar runs one query returning one number on a SQLite file.
func sqliteScalar(t *testing.T, path, query string, args ...any) int {
	t.Helper()
	db, err := sql.Open("sqlite3", path)
	require.NoError(t, err)
	defer db.Close()
	var n int
	require.NoError(t, db.QueryRow(query, args...).Scan(&n), query)
	return n
}

// serveToken is the admin token of the end-to-end access test.
const serveToken = "e2e-admin-token-0123456789abcdef"

// lockedBuffer is a bytes.Buffer that the server's logger and the test may
// use at once.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// startLoggedServer runs the real program like startTestServer, without
// the demo, with the log at debug level kept in logs. The server stops
// when the test ends.
func startLoggedServer(t *testing.T, env map[string]string) (base string, logs *lockedBuffer) {
	t.Helper()
	srv := startServer(t, withDefaults(env, map[string]string{"SLANT_LOG_LEVEL": "debug"}))
	return srv.base, srv.logs
}

// send makes one request to the running server and returns the status and
// the body.
func send(t *testing.T, method, url, token, body string) (int, http.Header, string) {
	t.Helper()
	return sendWith(t, http.DefaultClient, method, url, token, body)
}

// sendWith is send through the client c (one that connects from another
// address, say).
func sendWith(t *testing.T, c *http.Client, method, url, token, body string) (int, http.Header, string) {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, url, r)
	require.NoError(t, err)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := c.Do(req)
	require.NoError(t, err, "%s %s", method, url)
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, resp.Header, string(data)
}

// startTestServer runs the real program (run "serve") on 127.0.0.1, port
// 0, with a fresh SQLite file and the demo event (unless env turns it
// off), and returns its base URL. The server stops, and run's error is
// checked, when the test ends.
func startTestServer(t *testing.T, env map[string]string) string {
	t.Helper()
	return startServer(t, withDefaults(env, map[string]string{"SLANT_DEMO": "1", "SLANT_LOG_LEVEL": "warn"})).base
}

// withDefaults is env with defaults filled in where env says nothing.
func withDefaults(env, defaults map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range defaults {
		out[k] = v
	}
	for k, v := range env {
		out[k] = v
	}
	return out
}

// testServer is the real program (run "serve") in this process, with its
// context, its end and its log in the test's hands.
type testServer struct {
	base   string
	cancel context.CancelFunc
	done   chan struct{} // closed when run has returned, with its result in err
	err    error
	logs   *lockedBuffer
}

// startServer starts run "serve" on 127.0.0.1:0 with env over the test
// defaults (a fresh SQLite file, no demo, log at info) and waits until it
// listens. When the test ends the server is stopped if the test has not
// stopped it, and run must have returned without error.
func startServer(t *testing.T, env map[string]string) *testServer {
	t.Helper()
	vars := map[string]string{
		"SLANT_ADDR":      "127.0.0.1:0",
		"DB_PATH":         filepath.Join(t.TempDir(), "slant.db"),
		"SLANT_LOG_LEVEL": "info",
		"SLANT_DEMO":      "0",
	}
	for k, v := range env {
		vars[k] = v
	}
	ctx, cancel := context.WithCancel(context.Background())
	srv := &testServer{cancel: cancel, done: make(chan struct{}), logs: &lockedBuffer{}}
	stdoutReader, stdoutWriter := io.Pipe()
	go func() {
		srv.err = cli.Run(ctx, []string{"serve"}, func(k string) string { return vars[k] }, stdoutWriter, srv.logs)
		close(srv.done)
		stdoutWriter.Close()
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-srv.done:
			assert.NoError(t, srv.err, "run should stop cleanly")
		case <-time.After(15 * time.Second):
			t.Error("server did not stop within 15 s")
		}
	})
	addr := make(chan string, 1)
	go func() {
		lines := bufio.NewScanner(stdoutReader)
		for lines.Scan() {
			if _, rest, ok := strings.Cut(lines.Text(), "listening on "); ok {
				addr <- strings.Fields(rest)[0]
			}
		}
	}()
	select {
	case srv.base = <-addr:
		return srv
	case <-srv.done:
		t.Fatalf("server exited before listening: %v", srv.err)
	case <-time.After(60 * time.Second):
		t.Fatal("server did not start listening within 60 s")
	}
	return nil
}

func getJSON(t *testing.T, url string, into any) int {
	t.Helper()
	resp, err := http.Get(url)
	require.NoError(t, err)
	defer resp.Body.Close()
	if into != nil {
		require.NoError(t, json.NewDecoder(resp.Body).Decode(into), "decode %s", url)
	}
	return resp.StatusCode
}

func postJSON(t *testing.T, url string, body any, into any) int {
	t.Helper()
	encoded, err := json.Marshal(body)
	require.NoError(t, err)
	resp, err := http.Post(url, "application/json", strings.NewReader(string(encoded)))
	require.NoError(t, err)
	defer resp.Body.Close()
	if into != nil {
		require.NoError(t, json.NewDecoder(resp.Body).Decode(into), "decode %s", url)
	}
	return resp.StatusCode
}

// demoArticle is what the tests need to know of a demo article.
type demoArticle struct {
	ID     int64
	Outlet string
	Domain string
	Text   string
	Own    []demoFinding // findings in the outlet's own voice, in the body
	Quoted []demoFinding
	// Findings are all the body's findings in report order, and Neutral
	// the report's neutral edits of the body (their Finding indexes
	// Findings).
	Findings []demoFinding
	Neutral  []analysis.NeutralEdit
}

type demoFinding struct {
	Start, End   int
	Text         string
	Alternatives []string
}

// demoEvent reads the demo event from the API, as the teacher on the
// machine Slant runs on.
func demoEvent(t *testing.T, base string) (int64, map[string]demoArticle) {
	t.Helper()
	return demoEventAs(t, base, "")
}

// getJSONAs is getJSON with the admin token (none when token is empty);
// it decodes only an answer of 200.
func getJSONAs(t *testing.T, url, token string, into any) int {
	t.Helper()
	status, _, body := send(t, http.MethodGet, url, token, "")
	if into != nil && status == http.StatusOK {
		require.NoError(t, json.Unmarshal([]byte(body), into), "decode %s", url)
	}
	return status
}

// demoEventAs reads the demo event from the API with the admin token (on a
// Slant that has one, the teacher is whoever holds it).
func demoEventAs(t *testing.T, base, token string) (int64, map[string]demoArticle) {
	t.Helper()
	var events struct {
		Events []struct {
			ID int64 `json:"id"`
		} `json:"events"`
	}
	if code := getJSONAs(t, base+"/api/v1/events", token, &events); code != http.StatusOK || len(events.Events) == 0 {
		t.Fatalf("no demo event (status %d)", code)
	}
	id := events.Events[0].ID
	var ev struct {
		Articles []struct {
			ID     int64 `json:"id"`
			Text   string
			Outlet struct {
				Name   string `json:"name"`
				Domain string `json:"domain"`
			} `json:"outlet"`
			Report struct {
				Findings []struct {
					Start        int      `json:"start"`
					End          int      `json:"end"`
					Text         string   `json:"text"`
					Alternatives []string `json:"alternatives"`
					InQuote      bool     `json:"in_quote"`
				} `json:"findings"`
				NeutralEdits []analysis.NeutralEdit `json:"neutral_edits"`
			} `json:"report"`
		} `json:"articles"`
	}
	if code := getJSONAs(t, fmt.Sprintf("%s/api/v1/events/%d?include=text,report", base, id), token, &ev); code != http.StatusOK {
		t.Fatalf("demo event: status %d", code)
	}
	out := map[string]demoArticle{}
	for _, a := range ev.Articles {
		d := demoArticle{ID: a.ID, Outlet: a.Outlet.Name, Domain: a.Outlet.Domain, Text: a.Text, Neutral: a.Report.NeutralEdits}
		for _, f := range a.Report.Findings {
			df := demoFinding{f.Start, f.End, f.Text, f.Alternatives}
			d.Findings = append(d.Findings, df)
			if f.InQuote {
				d.Quoted = append(d.Quoted, df)
			} else {
				d.Own = append(d.Own, df)
			}
		}
		out[a.Outlet.Name] = d
	}
	for _, name := range []string{"Riverlands Wire", "The Halvern Beacon", "The Commons Dispatch"} {
		if _, ok := out[name]; !ok {
			t.Fatalf("the demo event has no article from %s", name)
		}
	}
	return id, out
}

// span finds word in text (as a whole word) and returns its byte range.
func span(t *testing.T, text, word string) (int, int) {
	t.Helper()
	loc := regexp.MustCompile(`\b` + regexp.QuoteMeta(word) + `\b`).FindStringIndex(text)
	if loc == nil {
		t.Fatalf("%q is not in the text", word)
	}
	return loc[0], loc[1]
}

// sendJSON sends a JSON body with any method and decodes the answer.
func sendJSON(t *testing.T, method, url string, body, into any) int {
	t.Helper()
	var r *bytes.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		r = bytes.NewReader(b)
	} else {
		r = bytes.NewReader(nil)
	}
	req, err := http.NewRequest(method, url, r)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if into != nil && resp.StatusCode != http.StatusNoContent {
		if err := json.NewDecoder(resp.Body).Decode(into); err != nil {
			t.Fatalf("decode %s %s: %v", method, url, err)
		}
	}
	return resp.StatusCode
}

// call makes one JSON request to a child and decodes a JSON answer.
func call(t *testing.T, method, url string, body, into any) int {
	t.Helper()
	var r io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		require.NoError(t, err)
		r = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, url, r)
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	if into != nil && resp.StatusCode < 300 {
		require.NoError(t, json.Unmarshal(data, into), "%s", data)
	}
	return resp.StatusCode
}

// cliEnv is the environment of a CLI run against the SQLite file db.
func cliEnv(db string, extra ...string) func(string) string {
	vars := map[string]string{"DB_PATH": db, "SLANT_LOG_LEVEL": "warn"}
	for i := 0; i+1 < len(extra); i += 2 {
		vars[extra[i]] = extra[i+1]
	}
	return func(k string) string { return vars[k] }
}

// runCLI runs slant with args and returns stdout and stderr.
func runCLI(t *testing.T, getenv func(string) string, args ...string) (string, string, error) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	err := cli.Run(t.Context(), args, getenv, &stdout, &stderr)
	return stdout.String(), stderr.String(), err
}
