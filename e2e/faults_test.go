package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slant/cli"
	"slant/models"
)

// Sizes of the graceful-shutdown test: enough stale analyses that the
// background sweep is still at work when the server is told to stop, and
// an import large enough that it is still being analyzed and stored then
// (some 3 MB: two seconds or so on two cores, well within the 10 s
// shutdown grace).
const (
	shutdownStale   = 1500
	shutdownImport  = 1200
	staleLexVersion = "sha256:old-lexicon"
)

// notifyingReader passes a request body through and closes eof once the
// client has sent all of it.
type notifyingReader struct {
	r   io.Reader
	eof chan struct{}
}

func (n *notifyingReader) Read(p []byte) (int, error) {
	k, err := n.r.Read(p)
	if err == io.EOF && n.eof != nil {
		close(n.eof)
		n.eof = nil
	}
	return k, err
}

// seedStale stores n articles whose analyses were made with another
// lexicon version, as after an upgrade, so that serve's background sweep
// has work to do.
func seedStale(t *testing.T, path string, n int) {
	t.Helper()
	store, err := models.Open(t.Context(), models.Config{Driver: models.DriverSQLite, DSN: path})
	require.NoError(t, err)
	defer store.Close()
	items := make([]models.ImportItem, n)
	for i := range items {
		items[i] = models.ImportItem{
			Line:     i + 1,
			EventKey: fmt.Sprintf("Stale event %04d", i/10),
			Outlet:   fmt.Sprintf("Outlet %d", i%10),
			Title:    fmt.Sprintf("Stale story %d", i),
			Body:     genText(t, uint64(1_000_000+i), fmt.Sprintf("Stale report %d.", i), 400),
			Analysis: models.Analysis{
				Report:         []byte(`{"lexicon_version":"` + staleLexVersion + `"}`),
				LexiconVersion: staleLexVersion,
			},
		}
	}
	res, err := store.ImportBatch(t.Context(), items, models.ImportOptions{AllOrNothing: true})
	require.NoError(t, err)
	require.Equal(t, n, res.Added)
}

// TestGracefulShutdownFinishesInFlightWork stops the real server while an
// import of 1,200 articles is in flight and the background re-analysis
// sweep is redoing 1,500 stale reports: the listener closes at once, the
// import still completes with 200 and everything in it stored, the sweep
// stops (or finishes) without an error, and run returns nil.
func TestGracefulShutdownFinishesInFlightWork(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping the shutdown test in -short mode")
	}
	dbPath := filepath.Join(t.TempDir(), "slant.db")
	seedStale(t, dbPath, shutdownStale)
	srv := startServer(t, map[string]string{
		"DB_PATH":                 dbPath,
		"SLANT_REANALYZE_WORKERS": "1",
		"SLANT_RATE_WRITE":        "0",
	})
	require.Eventually(t, func() bool { return strings.Contains(srv.logs.String(), "re-analysis started") },
		10*time.Second, 10*time.Millisecond, "the background sweep starts")

	body := importBody(t, "Shutdown event", shutdownImport, 10)
	sent := make(chan struct{})
	type answer struct {
		status int
		body   []byte
		at     time.Time
		err    error
	}
	answered := make(chan answer, 1)
	go func() {
		resp, err := postImport(t.Context(), &http.Client{Timeout: time.Minute}, srv.base,
			&notifyingReader{r: bytes.NewReader(body), eof: sent}, len(body))
		if err != nil {
			answered <- answer{err: err, at: time.Now()}
			return
		}
		defer resp.Body.Close()
		data, err := io.ReadAll(resp.Body)
		answered <- answer{status: resp.StatusCode, body: data, at: time.Now(), err: err}
	}()
	select {
	case <-sent:
	case a := <-answered:
		t.Fatalf("the import was answered before it was sent in full: %d %s %v", a.status, a.body, a.err)
	case <-time.After(30 * time.Second):
		t.Fatal("the import body was not sent within 30 s")
	}
	// The whole body has left the client, so the server has read the
	// request's headers: the connection is active, and Shutdown waits for
	// it.
	time.Sleep(50 * time.Millisecond)
	cancelledAt := time.Now()
	srv.cancel()

	addr := strings.TrimPrefix(srv.base, "http://")
	require.Eventually(t, func() bool {
		conn, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			conn.Close()
		}
		return err != nil
	}, 5*time.Second, 10*time.Millisecond, "the listener closes as soon as the server is told to stop")

	var a answer
	select {
	case a = <-answered:
	case <-time.After(cli.ShutdownGrace + 5*time.Second):
		t.Fatal("the in-flight import was not answered within the shutdown grace")
	}
	require.NoError(t, a.err)
	require.Equal(t, http.StatusOK, a.status, "%s", a.body)
	assert.True(t, a.at.After(cancelledAt), "the import was still in flight when the server was told to stop")
	var view importView
	require.NoError(t, json.Unmarshal(a.body, &view))
	assert.Equal(t, shutdownImport, view.Added)
	t.Logf("import answered %s after the stop was asked for", a.at.Sub(cancelledAt).Round(time.Millisecond))

	select {
	case <-srv.done:
		require.NoError(t, srv.err, "run returns nil after a graceful shutdown")
	case <-time.After(cli.ShutdownGrace + 5*time.Second):
		t.Fatal("run did not return after the shutdown")
	}

	logs := srv.logs.String()
	assert.NotContains(t, logs, "re-analysis failed")
	assert.NotContains(t, logs, "level=ERROR")
	counts := checkDatabase(t, dbPath)
	assert.Equal(t, shutdownStale+shutdownImport, counts.Articles)
	stale := sqliteScalar(t, dbPath, "SELECT COUNT(*) FROM analyses WHERE lexicon_version = ?", staleLexVersion)
	if stale > 0 {
		assert.Contains(t, logs, "re-analysis stopped", "a sweep cut short says so")
	} else {
		assert.Contains(t, logs, "re-analysis finished")
	}
	t.Logf("the sweep redid %d of %d stale reports before the server stopped", shutdownStale-stale, shutdownStale)
}
