package desk

import (
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// throughputEnv sets the size of the throughput test's generated file;
// unset, the test imports 1,000 articles and only reports the rate.
const throughputEnv = "SLANT_IMPORT_THROUGHPUT"

// minThroughput is the rate, analysis included, an import must reach when
// throughputEnv asks for the full measurement.
const minThroughput = 200.0

// TestImportThroughput generates a file of articles in a temp dir and
// imports it into a fresh SQLite database, timing everything after the
// file is written: reading, extraction, analysis on the worker pool and
// the one write transaction, which overlap as the file streams through.
// SLANT_IMPORT_THROUGHPUT=10000 runs the full measurement and fails below
// 200 articles/s. (Peak memory is measured by the command's own test,
// cli TestImportMemory.)
func TestImportThroughput(t *testing.T) {
	n, strictRate := 1000, false
	if v := os.Getenv(throughputEnv); v != "" {
		var err error
		n, err = strconv.Atoi(v)
		require.NoError(t, err, "%s must be a number of articles", throughputEnv)
		strictRate = true
	} else if testing.Short() {
		t.Skip("skipping the throughput test in -short mode")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "generated.jsonl")
	writeGenerated(t, path, n)
	info, err := os.Stat(path)
	require.NoError(t, err)
	store := openStore(t, filepath.Join(dir, "slant.db"))
	analyzer := builtinAnalyzer(t)

	start := time.Now()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	src, err := OpenRecords(f, FormatJSONL, "")
	require.NoError(t, err)
	res, err := New(store, analyzer, Config{}).Import(t.Context(), src, ImportOptions{Mode: ModeStrict})
	elapsed := time.Since(start)
	require.NoError(t, err)
	require.Equal(t, n, res.Added)

	rate := float64(n) / elapsed.Seconds()
	t.Logf("imported %d articles (%.1f MB of JSON Lines) in %s: %.0f articles/s on %d CPUs",
		n, float64(info.Size())/1e6, elapsed.Round(time.Millisecond), rate, runtime.GOMAXPROCS(0))
	if strictRate {
		assert.GreaterOrEqual(t, rate, minThroughput, "import throughput in articles/s")
	}
}
