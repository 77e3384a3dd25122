package cli

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestImportSaysWhenAKnownIDComesWithAnotherText holds `slant import` to
// telling on the console, not only in --report, that ids already stored
// came again with another text and that nothing was updated: how many,
// and the first few by line and id; --quiet keeps it quiet.
func TestImportSaysWhenAKnownIDComesWithAnotherText(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"DB_PATH": filepath.Join(dir, "slant.db"), "SLANT_LOG_LEVEL": "warn"}
	getenv := func(k string) string { return env[k] }
	file := func(name string, texts func(i int) string) string {
		var b strings.Builder
		for i := 1; i <= 8; i++ {
			fmt.Fprintf(&b, `{"id":"sp-%d","event":"Flood","outlet":"Bugle","title":"Report %d","text":%q}`+"\n", i, i, texts(i))
		}
		path := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(path, []byte(b.String()), 0o644))
		return path
	}
	first := file("first.jsonl", func(i int) string { return fmt.Sprintf("The council met on day %d to discuss the flood.", i) })
	// Lines 1 and 2 are the same; lines 3 to 8 have another text.
	second := file("second.jsonl", func(i int) string {
		if i <= 2 {
			return fmt.Sprintf("The council met on day %d to discuss the flood.", i)
		}
		return fmt.Sprintf("The council met again on day %d, and the text was corrected.", i)
	})

	run := func(args ...string) (int, string, string) {
		var stdout, stderr bytes.Buffer
		status := Main(t.Context(), args, getenv, &stdout, &stderr)
		return status, stdout.String(), stderr.String()
	}
	status, _, stderr := run("import", first)
	require.Equal(t, exitOK, status, stderr)
	assert.NotContains(t, stderr, "another text", "a first import changes nothing")

	tests := []struct {
		name   string
		args   []string
		stderr []string
		absent []string
	}{
		{"on the console", []string{"import", second},
			[]string{
				"6 ids already stored came again with another text; the new text was not stored and nothing was updated",
				second + `:3: id "sp-3" is already stored in event`,
				second + `:7: id "sp-7" is already stored in event`,
				"… and 1 more (--report FILE lists them all)",
			},
			[]string{`"sp-1"`, `"sp-8"`}},
		{"with a report", []string{"import", "--report", filepath.Join(dir, "report.json"), second},
			[]string{"6 ids already stored", "… and 1 more (" + filepath.Join(dir, "report.json") + " lists them all)"}, nil},
		{"quiet", []string{"import", "--quiet", second}, nil, []string{"another text"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, stdout, stderr := run(tt.args...)
			assert.Equal(t, exitOK, status, "a duplicate is not an error: %s", stderr)
			for _, want := range tt.stderr {
				assert.Contains(t, stderr, want)
			}
			for _, not := range tt.absent {
				assert.NotContains(t, stderr, not)
			}
			if !strings.Contains(strings.Join(tt.args, " "), "--quiet") {
				assert.Contains(t, stdout, "8 articles skipped as duplicates (8 of them by an id already stored: nothing was updated)")
			}
		})
	}
}
