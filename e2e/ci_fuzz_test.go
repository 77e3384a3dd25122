package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestFuzzScriptTellsDeadlineFromFinding runs .ci/fuzz's classifier on the
// logs `go test -fuzz` prints: the coordinator's bare deadline stop
// (go.dev/issue/75804) is let through to a corpus replay, while a written
// failing input, a crashed worker or a t.Error still fails CI.
func TestFuzzScriptTellsDeadlineFromFinding(t *testing.T) {
	script, err := filepath.Abs("../.ci/fuzz")
	require.NoError(t, err)
	cases := []struct {
		name, log string
		deadline  bool
	}{
		{"bare deadline", "fuzz: elapsed: 10s, execs: 139277 (11791/sec)\n--- FAIL: FuzzParseJSONL (10.14s)\n    context deadline exceeded\nFAIL\nexit status 1\nFAIL\tslant/ingest\t10.155s\n", true},
		{"failing input", "--- FAIL: FuzzParseJSONL (3.14s)\n    --- FAIL: FuzzParseJSONL (0.00s)\n        parse_test.go:40: bad\n    \n    Failing input written to testdata/fuzz/FuzzParseJSONL/abc\n    To re-run:\n    go test -run=FuzzParseJSONL/abc\nFAIL\n", false},
		{"deadline with a crashed worker", "--- FAIL: FuzzParseJSONL (10.14s)\n    context deadline exceeded\n    fuzzing process hung or terminated unexpectedly: exit status 2\nFAIL\n", false},
		{"build failure", "# slant/ingest\ningest/parse.go:1:1: syntax error\nFAIL\tslant/ingest [build failed]\n", false},
		{"passed", "ok  \tslant/ingest\t10.2s\n", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			log := filepath.Join(t.TempDir(), "fuzz.log")
			require.NoError(t, os.WriteFile(log, []byte(c.log), 0o600))
			// Load only the function from the script, then call it.
			cmd := exec.Command("bash", "-c",
				`source <(sed -n '/^stopped_at_deadline()/,/^}/p' "$0") && stopped_at_deadline "$1"`, script, log)
			err := cmd.Run()
			if c.deadline {
				require.NoError(t, err, "a bare deadline stop should go to the corpus replay")
			} else {
				require.Error(t, err, "this log should fail the fuzz run")
			}
		})
	}
}
