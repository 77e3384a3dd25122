package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slant/cli"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The kill tests run the real server in a child process (this test binary
// run again, see TestServeCrashChild), write to it over HTTP on loopback,
// kill it with SIGKILL in the middle of the writes (no deferred cleanup,
// no rollback, no graceful anything), and then check the SQLite file:
// intact, every article with its analysis, every acknowledged write kept,
// an import batch stored whole or not at all, and a restarted server on
// the same file working normally.

// crashChildEnv tells the child to serve; crashChildDB is its database.
const (
	crashChildEnv = "SLANT_TEST_SERVE_CHILD"
	crashChildDB  = "SLANT_TEST_SERVE_CHILD_DB"
)

// TestServeCrashChild is the server of the kill tests; it does nothing
// unless one of them started it. It serves until SIGTERM (graceful) or
// SIGKILL.
func TestServeCrashChild(t *testing.T) {
	if os.Getenv(crashChildEnv) != "1" {
		t.Skip("run by the kill tests only")
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	vars := map[string]string{
		"SLANT_ADDR":                   "127.0.0.1:0",
		"DB_PATH":                      os.Getenv(crashChildDB),
		"SLANT_DEMO":                   "0",
		"SLANT_LOG_LEVEL":              "warn",
		"SLANT_RATE_WRITE":             "0",
		"SLANT_MAX_ARTICLES_PER_EVENT": "1000",
	}
	// Only these variables: a developer's own SLANT_ADMIN_TOKEN or
	// DB_DRIVER must not change what the test runs.
	if err := cli.Run(ctx, []string{"serve"}, func(k string) string { return vars[k] }, os.Stdout, os.Stderr); err != nil {
		t.Fatalf("serve: %v", err)
	}
}

// serverProcess is a child server.
type serverProcess struct {
	cmd    *exec.Cmd
	base   string
	stderr *lockedBuffer
	waited sync.Once
	state  *os.ProcessState
}

// startServerProcess starts a child server on dbPath and waits until it
// listens. It is killed when the test ends if it is still running.
func startServerProcess(t *testing.T, dbPath string) *serverProcess {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestServeCrashChild$", "-test.count=1", "-test.timeout=5m")
	cmd.Env = append(os.Environ(), crashChildEnv+"=1", crashChildDB+"="+dbPath)
	p := &serverProcess{cmd: cmd, stderr: &lockedBuffer{}}
	cmd.Stderr = p.stderr
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		p.wait()
	})
	addr := make(chan string, 1)
	go func() {
		lines := bufio.NewScanner(stdout)
		for lines.Scan() {
			if _, rest, ok := strings.Cut(lines.Text(), "listening on "); ok {
				addr <- strings.Fields(rest)[0]
			}
		}
		close(addr)
	}()
	select {
	case base, ok := <-addr:
		require.True(t, ok, "the child ended before listening: %s", p.stderr.String())
		p.base = base
		return p
	case <-time.After(60 * time.Second):
		t.Fatalf("the child did not listen within 60 s: %s", p.stderr.String())
	}
	return nil
}

func (p *serverProcess) wait() {
	p.waited.Do(func() {
		_ = p.cmd.Wait()
		p.state = p.cmd.ProcessState
	})
}

// kill sends SIGKILL and waits for the process to be gone.
func (p *serverProcess) kill(t *testing.T) {
	t.Helper()
	require.NoError(t, p.cmd.Process.Signal(syscall.SIGKILL))
	p.wait()
}

// stop sends SIGTERM and checks that the server shuts down cleanly.
func (p *serverProcess) stop(t *testing.T) {
	t.Helper()
	require.NoError(t, p.cmd.Process.Signal(syscall.SIGTERM))
	done := make(chan struct{})
	go func() { p.wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("the child did not stop within 30 s of SIGTERM")
	}
	assert.True(t, p.state.Success(), "a server stopped with SIGTERM exits 0; stderr: %s", p.stderr.String())
}

// acked collects the ids of the articles the server acknowledged with 201.
type acked struct {
	mu  sync.Mutex
	ids []int64
}

func (a *acked) add(id int64) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.ids = append(a.ids, id)
}

func (a *acked) count() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return len(a.ids)
}

// TestKillDuringArticleCreation kills the server three times while eight
// clients add articles as fast as it takes them, restarting it on the same
// file each time. After every kill: the file is intact, every article has
// its analysis (article and analysis are one transaction), and every
// article the server acknowledged is there (SQLite in WAL mode keeps a
// committed transaction through a crash of the process).
func TestKillDuringArticleCreation(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping the kill test in -short mode")
	}
	const (
		writers  = 8
		rounds   = 3
		perRound = 40 // acknowledged articles before the kill
	)
	dbPath := filepath.Join(t.TempDir(), "slant.db")
	var all acked
	var events []int64
	for round := range rounds {
		srv := startServerProcess(t, dbPath)
		if round == 0 {
			for i := range 4 {
				var ev struct {
					ID int64 `json:"id"`
				}
				require.Equal(t, http.StatusCreated, call(t, "POST", srv.base+"/api/v1/events", map[string]string{"title": fmt.Sprintf("Kill event %d", i)}, &ev))
				events = append(events, ev.ID)
			}
		}
		ctx, cancel := context.WithCancel(context.Background())
		client := &http.Client{Timeout: 30 * time.Second}
		var wg sync.WaitGroup
		before := all.count()
		for w := range writers {
			wg.Go(func() {
				for i := 0; ctx.Err() == nil; i++ {
					body, _ := json.Marshal(map[string]any{
						"outlet": fmt.Sprintf("Outlet %d", w),
						"title":  fmt.Sprintf("Round %d writer %d story %d", round, w, i),
						"text":   genText(t, uint64(round*1_000_000+w*10_000+i), fmt.Sprintf("Round %d, writer %d, story %d.", round, w, i), 300),
						"clean":  false,
					})
					req, _ := http.NewRequestWithContext(ctx, "POST", fmt.Sprintf("%s/api/v1/events/%d/articles", srv.base, events[(w+i)%len(events)]), bytes.NewReader(body))
					req.Header.Set("Content-Type", "application/json")
					resp, err := client.Do(req)
					if err != nil {
						time.Sleep(10 * time.Millisecond) // the server is gone; the loop ends with ctx
						continue
					}
					var view struct {
						ID int64 `json:"id"`
					}
					if resp.StatusCode == http.StatusCreated && json.NewDecoder(resp.Body).Decode(&view) == nil {
						all.add(view.ID)
					}
					resp.Body.Close()
				}
			})
		}
		deadline := time.Now().Add(60 * time.Second)
		for all.count() < before+perRound && time.Now().Before(deadline) {
			time.Sleep(5 * time.Millisecond)
		}
		require.GreaterOrEqual(t, all.count(), before+perRound, "the writers made progress before the kill")
		srv.kill(t) // with writes in flight
		cancel()
		wg.Wait()

		counts := checkDatabase(t, dbPath)
		assert.GreaterOrEqual(t, counts.Articles, all.count(), "every acknowledged article survived the kill")
		for _, id := range all.ids {
			assert.Equal(t, 1, sqliteScalar(t, dbPath, "SELECT COUNT(*) FROM articles a JOIN analyses an ON an.article_id = a.id WHERE a.id = ?", id),
				"acknowledged article %d is stored with its analysis", id)
		}
		t.Logf("round %d: killed with %d articles acknowledged, %d stored", round, all.count(), counts.Articles)
	}

	// A server restarted on the same file reads and writes normally, and
	// stops cleanly.
	srv := startServerProcess(t, dbPath)
	stored := sqliteScalar(t, dbPath, "SELECT COUNT(*) FROM articles")
	listed := 0
	for _, id := range events {
		var cmp struct {
			Outlets []json.RawMessage `json:"outlets"`
		}
		require.Equal(t, http.StatusOK, call(t, "GET", fmt.Sprintf("%s/api/v1/events/%d/comparison", srv.base, id), nil, &cmp))
		listed += len(cmp.Outlets)
	}
	assert.Equal(t, stored, listed, "the comparisons show every stored article")
	require.Equal(t, http.StatusCreated, call(t, "POST", fmt.Sprintf("%s/api/v1/events/%d/articles", srv.base, events[0]),
		map[string]any{"outlet": "After the crash", "text": "The council met again on Tuesday, officials said."}, nil))
	srv.stop(t)
	checkDatabase(t, dbPath)
}

// TestKillDuringImport kills the server while it is writing an import of
// 1,500 articles in its single transaction (seen by the write-ahead log
// growing past what the earlier writes left), then checks that nothing of
// the batch is stored, or all of it should the commit have won the race
// with the kill, never a part; that an earlier import is intact; and that
// the restarted server takes the same file again.
func TestKillDuringImport(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping the kill test in -short mode")
	}
	const (
		small, big = 20, 1500
		perEvent   = 10
	)
	dbPath := filepath.Join(t.TempDir(), "slant.db")
	srv := startServerProcess(t, dbPath)
	client := &http.Client{Timeout: 2 * time.Minute}

	first := importBody(t, "Batch A", small, perEvent)
	resp, err := postImport(context.Background(), client, srv.base, bytes.NewReader(first), len(first))
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	resp.Body.Close()

	walPath := dbPath + "-wal"
	walBefore := fileSize(walPath)
	batch := importBody(t, "Batch B", big, perEvent)
	answered := make(chan error, 1)
	go func() {
		resp, err := postImport(context.Background(), client, srv.base, bytes.NewReader(batch), len(batch))
		if err == nil {
			resp.Body.Close()
			err = fmt.Errorf("answered %d", resp.StatusCode)
		}
		answered <- err
	}()
	deadline := time.Now().Add(2 * time.Minute)
	for fileSize(walPath) < walBefore+2<<20 && time.Now().Before(deadline) {
		select {
		case err := <-answered:
			t.Fatalf("the import ended before the kill: %v", err)
		default:
		}
		time.Sleep(2 * time.Millisecond)
	}
	walAtKill := fileSize(walPath)
	require.Greater(t, walAtKill, walBefore+int64(2<<20), "the import's transaction reached the disk")
	srv.kill(t)
	err = <-answered
	var answeredErr bool
	if err != nil && strings.HasPrefix(err.Error(), "answered") {
		answeredErr = true
	}
	assert.False(t, answeredErr, "the import was still in flight at the kill: %v", err)
	t.Logf("killed with %.1f MB in the write-ahead log (%.1f MB before the import)", float64(walAtKill)/1e6, float64(walBefore)/1e6)

	checkDatabase(t, dbPath)
	batchArticles := func(prefix string) int {
		return sqliteScalar(t, dbPath, "SELECT COUNT(*) FROM articles a JOIN events e ON e.id = a.event_id WHERE e.import_key LIKE ?", prefix+"%")
	}
	batchEvents := func(prefix string) int {
		return sqliteScalar(t, dbPath, "SELECT COUNT(*) FROM events WHERE import_key LIKE ?", prefix+"%")
	}
	assert.Equal(t, small, batchArticles("Batch A"), "the earlier import is intact")
	stored := batchArticles("Batch B")
	assert.Contains(t, []int{0, big}, stored, "an import batch is stored whole or not at all")
	assert.Contains(t, []int{0, big / perEvent}, batchEvents("Batch B"), "and so are the events it creates")
	t.Logf("after the kill %d of the batch's %d articles are stored", stored, big)

	srv = startServerProcess(t, dbPath)
	resp, err = postImport(context.Background(), client, srv.base, bytes.NewReader(batch), len(batch))
	require.NoError(t, err)
	var view importView
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&view))
	resp.Body.Close()
	assert.Equal(t, big, view.Added+view.SkippedDuplicates, "the restarted server takes the whole batch")
	srv.stop(t)
	checkDatabase(t, dbPath)
	assert.Equal(t, big, batchArticles("Batch B"))
}

// fileSize is a file's size, 0 when it does not exist.
func fileSize(path string) int64 {
	info, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) || err != nil {
		return 0
	}
	return info.Size()
}
