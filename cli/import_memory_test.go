package cli

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slant/internal/synthetic"
	"slant/internal/testdb"
	"slant/models"
)

// The memory of `slant import`: a generated corpus (ids and three extra
// fields per article, some 2.8 KB each) is imported by a child process,
// whose peak resident set the kernel reports when it ends. It is a
// measurement, reported with -v; the one assertion is the bound,
// not a time.
const (
	// importMemoryEnv sets the size of the generated file in MB; unset,
	// 8 MB. SLANT_IMPORT_MEMORY_MB=100 is the measure.
	importMemoryEnv = "SLANT_IMPORT_MEMORY_MB"
	// The child's file and database.
	importMemoryFileEnv   = "SLANT_IMPORT_MEMORY_FILE"
	importMemoryDriverEnv = "SLANT_IMPORT_MEMORY_DRIVER"
	importMemoryDBEnv     = "SLANT_IMPORT_MEMORY_DB"
	// maxImportRSS is the bound: under 300 MB for a 100 MB file.
	maxImportRSS = 300 << 20
	// bytesPerArticle is about what a generated corpus article takes.
	bytesPerArticle = 2850
)

// TestImportMemoryChild is the child of TestImportMemory: `slant import`
// of the file, nothing else. It does nothing unless that test started it.
func TestImportMemoryChild(t *testing.T) {
	file, db := os.Getenv(importMemoryFileEnv), os.Getenv(importMemoryDBEnv)
	if file == "" || db == "" {
		t.Skip("run by TestImportMemory only")
	}
	env := testdb.Env(models.Config{Driver: os.Getenv(importMemoryDriverEnv), DSN: db})
	env["SLANT_LOG_LEVEL"] = "warn"
	getenv := func(k string) string { return env[k] }
	var stdout, stderr bytes.Buffer
	code := Main(context.Background(), []string{"import", file}, getenv, &stdout, &stderr)
	os.Stdout.Write(stdout.Bytes())
	os.Stderr.Write(stderr.Bytes())
	if code != 0 {
		t.Fatalf("import exited %d", code)
	}
}

// TestImportMemory imports a generated corpus in a child process and
// reports its peak resident memory (and, for the record, its rate, which
// on a shared machine is only an indication), into SQLite and, when
// SLANT_TEST_POSTGRES_URL is set, PostgreSQL.
func TestImportMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping the import memory measurement in -short mode")
	}
	mb := 8
	if v := os.Getenv(importMemoryEnv); v != "" {
		var err error
		mb, err = strconv.Atoi(v)
		require.NoError(t, err, "%s must be a number of MB", importMemoryEnv)
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "corpus.jsonl")
	f, err := os.Create(file)
	require.NoError(t, err)
	articles := mb << 20 / bytesPerArticle
	require.NoError(t, synthetic.WriteJSONL(f, synthetic.Options{Articles: articles, Corpus: true}))
	require.NoError(t, f.Close())
	info, err := os.Stat(file)
	require.NoError(t, err)
	testdb.Each(t, func(t *testing.T, cfg models.Config) {
		importInChild(t, cfg, file, articles, info.Size())
	})
}

// importInChild runs `slant import` of the file in a child process and
// reports and bounds its peak resident memory.
func importInChild(t *testing.T, cfg models.Config, file string, articles int, size int64) {
	cmd := exec.Command(os.Args[0], "-test.run=^TestImportMemoryChild$", "-test.count=1", "-test.timeout=1h")
	cmd.Env = append(os.Environ(), importMemoryFileEnv+"="+file, importMemoryDriverEnv+"="+cfg.Driver, importMemoryDBEnv+"="+cfg.DSN)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err := cmd.Run()
	elapsed := time.Since(start)
	require.NoError(t, err, "%s", out.String())
	assert.Contains(t, out.String(), strconv.Itoa(articles)+" articles added")

	usage, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	require.True(t, ok, "the peak resident set is read from the kernel's rusage")
	peak := usage.Maxrss << 10 // Linux reports kilobytes
	t.Logf("slant import of %d articles (%.1f MB, ids and 3 extra fields each) into %s: peak RSS %.0f MB, %s, %.0f articles/s with the process start",
		articles, float64(size)/1e6, cfg.Driver, float64(peak)/(1<<20), elapsed.Round(time.Millisecond), float64(articles)/elapsed.Seconds())
	assert.Less(t, peak, int64(maxImportRSS), "peak resident memory of slant import")
}
