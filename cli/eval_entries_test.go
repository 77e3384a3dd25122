package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEvalEntries(t *testing.T) {
	dir := t.TempDir()
	// Hand-made sentences in the BABE record shape.
	babe := `{"id":"a","text":"The regime jailed its critics.","biased":true,"biased_words":["regime"]}
{"id":"c","text":"The council met on Tuesday.","biased":false,"biased_words":[]}
`
	require.NoError(t, os.WriteFile(filepath.Join(dir, "babe.jsonl"), []byte(babe), 0o644))
	env := func(string) string { return "" }

	var out bytes.Buffer
	require.NoError(t, Run(context.Background(), []string{"eval", "--entries", "--split", "all", "--data", dir}, env, &out, io.Discard))
	assert.Contains(t, out.String(), "BABE split all (all records): 1 biased and 1 neutral sentences; wire: Riverlands Wire (demo)")
	assert.Contains(t, out.String(), "| pejorative-label | regime | 2 | 1 | 0 | 1 | 0 | few hits | regime 1/0 |")

	out.Reset()
	require.NoError(t, Run(context.Background(), []string{"eval", "--entries", "--json", "--data", dir}, env, &out, io.Discard))
	var got struct {
		Split   string `json:"split"`
		Entries []struct {
			Term string `json:"term"`
		} `json:"entries"`
	}
	require.NoError(t, json.Unmarshal(out.Bytes(), &got))
	assert.Equal(t, "dev", got.Split, "--entries reads the dev half unless --split says otherwise")
	assert.NotEmpty(t, got.Entries)

	for _, args := range [][]string{
		{"eval", "--entries", "--explain", "babe", "--data", dir},
		{"eval", "--entries", "--check-floors", "floors.json", "--data", dir},
		{"eval", "--entries", "--dataset", "babe", "--data", dir},
	} {
		var usage UsageError
		require.ErrorAs(t, Run(context.Background(), args, env, io.Discard, io.Discard), &usage, "%v", args)
		assert.Contains(t, usage.Error(), "does not go with --entries")
	}
}
