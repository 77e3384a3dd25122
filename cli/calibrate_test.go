package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCalibrateThenOverlay runs `slant calibrate` on a small labelled file
// and loads what it wrote through SLANT_LEXICON_OVERLAY: the analysis then
// reports the overlay in its lexicon version.
func TestCalibrateThenOverlay(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "labelled.jsonl")
	var lines []string
	for i := range 4 {
		lines = append(lines,
			fmt.Sprintf(`{"id": "b%d", "text": "The regime lied again.", "biased": true}`, i),
			fmt.Sprintf(`{"id": "n%d", "text": "The council met on Monday.", "biased": false}`, i))
	}
	require.NoError(t, os.WriteFile(data, []byte(strings.Join(lines, "\n")+"\n"), 0o644))
	overlay := filepath.Join(dir, "overlay.yaml")

	var out bytes.Buffer
	env := func(string) string { return "" }
	require.NoError(t, Run(context.Background(), []string{"calibrate", "--data", data, "--out", overlay}, env, &out, io.Discard))
	assert.Contains(t, out.String(), "calibrated on 8 sentences (4 labelled biased)")
	assert.Contains(t, out.String(), "SLANT_LEXICON_OVERLAY="+overlay)

	base, err := baseLexicon(env)
	require.NoError(t, err)
	tuned, err := baseLexicon(func(k string) string {
		if k == "SLANT_LEXICON_OVERLAY" {
			return overlay
		}
		return ""
	})
	require.NoError(t, err)
	assert.Equal(t, base.Version()+tuned.Version()[len(base.Version()):], tuned.Version())
	assert.Contains(t, tuned.Version(), "+overlay:")

	_, err = baseLexicon(func(string) string { return filepath.Join(dir, "missing.yaml") })
	require.Error(t, err)
	assert.Contains(t, err.Error(), "SLANT_LEXICON_OVERLAY")

	err = Run(context.Background(), []string{"calibrate", "--data", data}, env, io.Discard, io.Discard)
	var usage UsageError
	assert.ErrorAs(t, err, &usage)
}
