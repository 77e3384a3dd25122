package desk

import (
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"slant/internal/synthetic"
)

// writeGenerated writes n generated import records as JSON Lines to path
// (synthetic.WriteJSONL): ten articles per event, each from a different
// outlet, each text unique and some 400 words long. The same n always
// gives the same file.
func writeGenerated(t testing.TB, path string, n int) {
	t.Helper()
	writeSynthetic(t, path, synthetic.Options{Articles: n})
}

// writeSynthetic writes a generated import file to path.
func writeSynthetic(t testing.TB, path string, opts synthetic.Options) {
	t.Helper()
	f, err := os.Create(path)
	require.NoError(t, err)
	defer f.Close()
	require.NoError(t, synthetic.WriteJSONL(f, opts))
}
