package cli

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slant/internal/workspace"
)

// TestCheckFloorsRefusesAnotherSplit holds --check-floors to the split
// its file was written for: figures on another split are refused as a
// wrong call (64) before anything is measured, with the way out; a file
// from before the split was recorded counts as --split all. A --limit
// run is refused the same way: its figures are of other records too.
func TestCheckFloorsRefusesAnotherSplit(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		path := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(path, []byte(body), 0o644))
		return path
	}
	all := write("all.json", `{"split": "all", "babe.word_F1": 0.1}`)
	old := write("old.json", `{"babe.word_F1": 0.1}`)
	test := write("test.json", `{"split": "test", "babe.word_F1": 0.1}`)
	// No data folder: a refused call measures nothing.
	env := map[string]string{"SLANT_SHARED": filepath.Join(dir, "nothere")}

	tests := []struct {
		name   string
		args   []string
		stderr string
	}{
		{"a half against floors of the whole", []string{"eval", "--split", "test", "--check-floors", all},
			"the floors in " + all + " were set on --split all, and this run is --split test: figures on other records do not compare with them; run with --split all, or write floors for this split with --write-floors FILE --split test"},
		{"a file from before the split was recorded", []string{"eval", "--split", "dev", "--check-floors", old}, "were set on --split all, and this run is --split dev"},
		{"the whole against floors of a half", []string{"eval", "--check-floors", test}, "were set on --split test, and this run is --split all"},
		{"a few records against the floors", []string{"eval", "--split", "test", "--limit", "50", "--check-floors", test},
			"eval: --check-floors compares the whole split with its floors, and --limit measures only the first records of each dataset: drop --limit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			status := Main(context.Background(), tt.args, func(k string) string { return env[k] }, &stdout, &stderr)
			assert.Equal(t, exitUsage, status, stderr.String())
			assert.Contains(t, stderr.String(), tt.stderr)
			assert.Empty(t, stdout.String())
		})
	}
	// The same split goes on to the run (and fails here only for want of data).
	var stderr bytes.Buffer
	status := Main(context.Background(), []string{"eval", "--split", "test", "--check-floors", test}, func(k string) string { return env[k] }, io.Discard, &stderr)
	assert.Equal(t, exitFailed, status)
	assert.NotContains(t, stderr.String(), "were set on")
}

// TestEvalDataDirTrainsOnItsOwnWNC holds `slant eval --data DIR` to the
// WNC pairs in DIR for its cross-fitted models (not DIR/../eval), with the
// word lists of the shared folder.
func TestEvalDataDirTrainsOnItsOwnWNC(t *testing.T) {
	shared := workspace.Require(t, "eval")
	dir := filepath.Join(t.TempDir(), "mine") // no DIR/../eval here
	require.NoError(t, os.MkdirAll(dir, 0o755))
	// The first 200 pairs of the shared file, in a folder of one's own.
	f, err := os.Open(filepath.Join(shared, "wnc.jsonl"))
	require.NoError(t, err)
	defer f.Close()
	var b strings.Builder
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for n := 0; n < 200 && sc.Scan(); n++ {
		b.WriteString(sc.Text() + "\n")
	}
	require.NoError(t, sc.Err())
	require.NoError(t, os.WriteFile(filepath.Join(dir, "wnc.jsonl"), []byte(b.String()), 0o644))

	env := map[string]string{"SLANT_SHARED": filepath.Dir(shared)}
	var stdout, stderr bytes.Buffer
	status := Main(context.Background(), []string{"eval", "--dataset", "wnc", "--data", dir}, func(k string) string { return env[k] }, &stdout, &stderr)
	require.Equal(t, exitOK, status, stderr.String())
	assert.NotContains(t, stderr.String(), "not measured")
	assert.Contains(t, stdout.String(), "| wnc | biased_above_neutral_model |")
	assert.Contains(t, stdout.String(), "200 pairs")
}
