package analysis

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"slant/demo"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden from the current output")

// TestGoldenDemo pins the full analysis of the demo event: every article's
// report and the comparison. A change in the lexicon or the analyzer shows
// up here as a readable diff; rerun with -update after checking it.
func TestGoldenDemo(t *testing.T) {
	a := builtinTestAnalyzer(t)
	ev, err := demo.Load()
	require.NoError(t, err)
	var compared []ComparedArticle
	for i, art := range ev.Articles {
		report := a.Analyze(Document{Title: art.Title, Text: art.Text})
		checkGolden(t, filepath.Join("testdata", "golden", "demo-"+slug(art.Outlet)+".json"), report)
		compared = append(compared, ComparedArticle{ArticleID: int64(i + 1), Outlet: art.Outlet, Title: art.Title, Text: art.Text, Report: report})
	}
	checkGolden(t, filepath.Join("testdata", "golden", "demo-comparison.json"), Compare(compared))
}

func checkGolden(t *testing.T, path string, v any) {
	t.Helper()
	got, err := json.MarshalIndent(v, "", "  ")
	require.NoError(t, err)
	got = append(got, '\n')
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, got, 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "golden file missing: run go test ./analysis -run Golden -update")
	if !bytes.Equal(want, got) {
		t.Errorf("%s differs from the current output; inspect with -update and git diff", path)
	}
}

func slug(s string) string {
	var b []byte
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b = append(b, byte(r))
		case r >= 'A' && r <= 'Z':
			b = append(b, byte(r-'A'+'a'))
		case len(b) > 0 && b[len(b)-1] != '-':
			b = append(b, '-')
		}
	}
	return string(bytes.TrimRight(b, "-"))
}

// TestAnalyzeIsDeterministic runs the same text many times, concurrently,
// and expects identical reports: no map order, no shared state effects.
func TestAnalyzeIsDeterministic(t *testing.T) {
	a := builtinTestAnalyzer(t)
	ev, err := demo.Load()
	require.NoError(t, err)
	doc := Document{Title: ev.Articles[1].Title, Text: ev.Articles[1].Text}
	first, err := json.Marshal(a.Analyze(doc))
	require.NoError(t, err)
	results := make(chan []byte, 8)
	for range 8 {
		go func() {
			b, _ := json.Marshal(a.Analyze(doc))
			results <- b
		}()
	}
	for range 8 {
		require.Equal(t, string(first), string(<-results))
	}
}
