package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slant/internal/workspace"
)

// TestCommittedModelIsWhatTheCommandTrains trains the sentence model as
// the README says and compares it with the committed files: the model's
// inputs include the lexicon's signals, so a lexicon edited without
// training again would ship a model that no one can reproduce from the
// repository. Training is deterministic, so the files must be
// byte-identical. Skipped without the shared folder.
func TestCommittedModelIsWhatTheCommandTrains(t *testing.T) {
	if testing.Short() {
		t.Skip("training the sentence model takes a few seconds")
	}
	shared := workspace.Require(t, "eval")
	dir := t.TempDir()
	out, provenance := filepath.Join(dir, "sentence.json"), filepath.Join(dir, "PROVENANCE.md")
	var stdout bytes.Buffer
	require.NoError(t, run([]string{"-shared", filepath.Dir(shared), "-out", out, "-provenance", provenance}, func(string) string { return "" }, &stdout))
	for _, f := range []struct{ trained, committed string }{
		{out, "../../analysis/model/sentence.json"},
		{provenance, "../../analysis/model/PROVENANCE.md"},
	} {
		trained, err := os.ReadFile(f.trained)
		require.NoError(t, err)
		committed, err := os.ReadFile(f.committed)
		require.NoError(t, err)
		assert.True(t, bytes.Equal(trained, committed), "%s is not what `go run ./cmd/slantmodel` trains from this lexicon (%s): train it again and commit it", f.committed, stdout.String())
	}
}
