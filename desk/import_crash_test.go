package desk

import (
	"bufio"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3" // the driver behind gorm's sqlite dialector
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The crash test runs an import in a child process (this test binary run
// again) and kills it with SIGKILL while it is inside its write
// transaction. These variables tell the child what to do.
const (
	crashDBEnv   = "SLANT_BULK_CRASH_DB"
	crashFileEnv = "SLANT_BULK_CRASH_FILE"
	// crashMarker is what the child prints on stderr once it has written
	// part of the batch inside the transaction; it then waits to be killed.
	crashMarker = "IMPORT-MID-TRANSACTION"
)

// crashArticles is the size of the crash test's batch: large enough that
// the transaction's pages overflow SQLite's page cache and spill into the
// WAL file before the kill, so the test sees uncommitted data on disk.
const crashArticles = 1500

// TestImportCrashChild is the child of TestImportSurvivesKill; it does
// nothing unless that test started it.
func TestImportCrashChild(t *testing.T) {
	dbPath, file := os.Getenv(crashDBEnv), os.Getenv(crashFileEnv)
	if dbPath == "" || file == "" {
		t.Skip("run by TestImportSurvivesKill only")
	}
	store := openStore(t, dbPath)
	f, err := os.Open(file)
	require.NoError(t, err)
	defer f.Close()
	src, err := OpenRecords(f, FormatJSONL, "")
	require.NoError(t, err)
	_, err = New(store, builtinAnalyzer(t), Config{}).Import(t.Context(), src, ImportOptions{Mode: ModeStrict, Progress: func(p Progress) {
		if p.Done >= crashArticles/2 {
			fmt.Fprintln(os.Stderr, crashMarker, p.Done, crashArticles)
			time.Sleep(time.Hour) // inside the transaction, until killed
		}
	}})
	t.Fatalf("the import should have been killed, it returned %v", err)
}

// TestImportSurvivesKill kills an import part-way through its write
// transaction and checks that the database is intact and holds none of the
// batch, then imports the same file again and finds all of it: a batch is
// stored whole or not at all.
func TestImportSurvivesKill(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping the crash test in -short mode")
	}
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "slant.db")
	file := filepath.Join(dir, "batch.jsonl")
	writeGenerated(t, file, crashArticles)

	cmd := exec.Command(os.Args[0], "-test.run=^TestImportCrashChild$", "-test.count=1", "-test.timeout=5m")
	cmd.Env = append(os.Environ(), crashDBEnv+"="+dbPath, crashFileEnv+"="+file)
	stderr, err := cmd.StderrPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })

	marked := make(chan string, 1)
	go func() {
		lines := bufio.NewScanner(stderr)
		for lines.Scan() {
			if strings.HasPrefix(lines.Text(), crashMarker) {
				marked <- lines.Text()
			}
		}
		close(marked)
	}()
	select {
	case line, ok := <-marked:
		require.True(t, ok, "the child ended without reaching the transaction")
		t.Logf("child: %s", line)
	case <-time.After(2 * time.Minute):
		t.Fatal("the child did not reach its transaction within 2 minutes")
	}
	require.NoError(t, cmd.Process.Kill()) // SIGKILL: no deferred cleanup, no rollback
	_ = cmd.Wait()

	wal, err := os.Stat(dbPath + "-wal")
	require.NoError(t, err, "the killed import left its write-ahead log")
	t.Logf("write-ahead log at the kill: %.1f MB of uncommitted pages", float64(wal.Size())/1e6)
	assert.Greater(t, wal.Size(), int64(1<<20), "the transaction had reached the disk before the kill")

	db, err := sql.Open("sqlite3", dbPath)
	require.NoError(t, err)
	var check string
	require.NoError(t, db.QueryRow("PRAGMA integrity_check").Scan(&check))
	assert.Equal(t, "ok", check)
	for _, table := range []string{"articles", "analyses", "events", "outlets"} {
		var n int
		require.NoError(t, db.QueryRow("SELECT COUNT(*) FROM "+table).Scan(&n))
		assert.Zero(t, n, "no partial batch in %s", table)
	}
	require.NoError(t, db.Close())

	store := openStore(t, dbPath)
	f, err := os.Open(file)
	require.NoError(t, err)
	defer f.Close()
	src, err := OpenRecords(f, FormatJSONL, "")
	require.NoError(t, err)
	res, err := New(store, builtinAnalyzer(t), Config{}).Import(t.Context(), src, ImportOptions{Mode: ModeStrict})
	require.NoError(t, err)
	assert.Equal(t, crashArticles, res.Added, "all of the batch, once it is not killed")
}
