package analysis

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slant/demo"
)

// TestAnalysisVersionFollowsOutput holds the analysis version to what the
// analysis makes: when the demo's reports or comparison change (with the
// version fields left out), the version must change too, or the reports
// stored by the older code would be taken for current. A change of data
// changes the version by itself; a change of code that changes reports
// needs analysisRevision bumped. testdata/golden/VERSION records the
// version and the output's hash; -update rewrites it.
func TestAnalysisVersionFollowsOutput(t *testing.T) {
	a := builtinTestAnalyzer(t)
	ev, err := demo.Load()
	require.NoError(t, err)
	h := sha256.New()
	var compared []ComparedArticle
	for i, art := range ev.Articles {
		r := a.Analyze(Document{Title: art.Title, Text: art.Text})
		compared = append(compared, ComparedArticle{ArticleID: int64(i + 1), Outlet: art.Outlet, Title: art.Title, Text: art.Text, Report: r})
		r.LexiconVersion = ""
		require.NoError(t, json.NewEncoder(h).Encode(r))
	}
	c := Compare(compared)
	c.LexiconVersion = ""
	require.NoError(t, json.NewEncoder(h).Encode(c))
	output := "output sha256:" + hex.EncodeToString(h.Sum(nil))
	version := "version " + a.Version()

	path := filepath.Join("testdata", "golden", "VERSION")
	if *update {
		require.NoError(t, os.WriteFile(path, []byte(version+"\n"+output+"\n"), 0o644))
		return
	}
	data, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./analysis -run AnalysisVersion -update")
	recorded := strings.Split(strings.TrimSpace(string(data)), "\n")
	require.Len(t, recorded, 2, "%s holds a version line and an output line", path)
	if recorded[1] != output && recorded[0] == version {
		t.Errorf("the analysis output changed but its version did not (%s): bump analysisRevision in analysis/version.go, then run -update", a.Version())
	}
	assert.Equal(t, recorded, []string{version, output}, "%s is out of date: run go test ./analysis -run 'Golden|AnalysisVersion' -update and read the diff", path)
}
