package ingest

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"slant/internal/workspace"
)

// evalArticles reads the titles and texts of the clean, furniture-free
// articles in the shared evaluation data (basil and allsides).
func evalArticles(t *testing.T) [][2]string {
	t.Helper()
	dir := workspace.Require(t, "eval")
	var out [][2]string
	read := func(name string, each func([]byte)) {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			t.Skipf("skipping: %v", err)
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 16<<20)
		for sc.Scan() {
			each(sc.Bytes())
		}
		if err := sc.Err(); err != nil {
			t.Fatalf("read %s: %v", name, err)
		}
	}
	type art struct{ Title, Text string }
	read("basil.jsonl", func(b []byte) {
		var a art
		if json.Unmarshal(b, &a) == nil {
			out = append(out, [2]string{a.Title, a.Text})
		}
	})
	read("allsides.jsonl", func(b []byte) {
		var s struct {
			Articles []art
			Neutral  art
		}
		if json.Unmarshal(b, &s) == nil {
			for _, a := range append(s.Articles, s.Neutral) {
				out = append(out, [2]string{a.Title, a.Text})
			}
		}
	})
	return out
}

// TestCleanKeepsCleanArticles runs Clean over some 1,600 published articles
// that carry no page furniture: the furniture rules must not fire on real
// prose. Only repeats (mostly the headline printed again as the first
// line) may go.
func TestCleanKeepsCleanArticles(t *testing.T) {
	arts := evalArticles(t)
	if len(arts) < 100 {
		t.Skip("skipping: evaluation data too small")
	}
	lines, furniture := 0, 0
	for _, a := range arts {
		in := a[0] + "\n\n" + a[1]
		lines += len(strings.Split(in, "\n"))
		for _, r := range Clean(in).Removed {
			if strings.Contains(r.Why, "headline") || strings.Contains(r.Why, "repeat") || strings.Contains(r.Why, "copy of line") {
				continue
			}
			furniture++
			t.Logf("furniture rule fired on prose: %.80q (%s)", r.Text, r.Why)
		}
	}
	t.Logf("%d articles, %d lines, %d removed by furniture rules", len(arts), lines, furniture)
	if furniture > lines/1000 {
		t.Errorf("%d lines of clean prose removed as furniture (limit %d)", furniture, lines/1000)
	}
}
