package analysis

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slant/demo"
)

// TestGoldenNeutralDemo pins the neutral version of the demo event, as
// plain text (advice in brackets after the words it is about), so that a
// person can read it in review: it must read as English. The demo is
// invented, so its text may live in the repository. The wire report has
// no loaded words and must come through unchanged.
func TestGoldenNeutralDemo(t *testing.T) {
	a := builtinTestAnalyzer(t)
	ev, err := demo.Load()
	require.NoError(t, err)
	var b strings.Builder
	for i, art := range ev.Articles {
		r := a.Analyze(Document{Title: art.Title, Text: art.Text})
		checkNeutralEdits(t, art.Title, r.TitleFindings, r.TitleNeutralEdits)
		checkNeutralEdits(t, art.Text, r.Findings, r.NeutralEdits)
		if i == 0 {
			assert.Empty(t, r.NeutralEdits, "the neutral wire report has nothing to change")
			assert.Empty(t, r.TitleNeutralEdits)
		}
		b.WriteString("== " + art.Outlet + "\n\n")
		b.WriteString(NeutralText(art.Title, r.TitleNeutralEdits) + "\n\n")
		b.WriteString(NeutralText(art.Text, r.NeutralEdits) + "\n\n")
	}
	checkGoldenText(t, filepath.Join("testdata", "golden", "demo-neutral.txt"), b.String())
}

// seedNeutral is what the golden file keeps of a seed's neutral version:
// the edits with the few words each one changes, and a hash of the whole
// neutral text. The seeds are real articles, so their text stays out of
// the repository.
type seedNeutral struct {
	File          string         `json:"file"`
	NeutralSHA256 string         `json:"neutral_sha256"`
	Edits         []seedEdit     `json:"edits"`
	Counts        map[string]int `json:"counts"`
}

type seedEdit struct {
	Start    int    `json:"start"`
	End      int    `json:"end"`
	Original string `json:"original"`
	Kind     string `json:"kind"`
	Text     string `json:"text"`
}

// TestGoldenNeutralSeeds pins the neutral version of the two seed articles
// (../shared/seeds; skipped when absent) by its edits and the hash of its
// text. To read the full neutral texts, run with -v and SLANT_SHOW_NEUTRAL=1.
func TestGoldenNeutralSeeds(t *testing.T) {
	a := builtinTestAnalyzer(t)
	var out []seedNeutral
	for _, name := range []string{"outlet-a_t4k3-news.txt", "outlet-b_newszed.txt"} {
		text := readSeed(t, name)
		r := a.Analyze(Document{Text: text})
		checkNeutralEdits(t, text, r.Findings, r.NeutralEdits)
		neutral := NeutralText(text, r.NeutralEdits)
		if os.Getenv("SLANT_SHOW_NEUTRAL") != "" {
			t.Logf("%s, neutral version:\n%s", name, neutral)
		}
		sum := sha256.Sum256([]byte(neutral))
		s := seedNeutral{File: name, NeutralSHA256: hex.EncodeToString(sum[:]), Edits: []seedEdit{}, Counts: map[string]int{}}
		for _, e := range r.NeutralEdits {
			s.Edits = append(s.Edits, seedEdit{Start: e.Start, End: e.End, Original: text[e.Start:e.End], Kind: e.Kind, Text: e.Text})
			s.Counts[e.Kind]++
		}
		out = append(out, s)
	}
	checkGolden(t, filepath.Join("testdata", "golden", "seeds-neutral.json"), out)
}

func checkGoldenText(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "golden file missing: run go test ./analysis -run Golden -update")
	if !bytes.Equal(want, []byte(got)) {
		t.Errorf("%s differs from the current output; inspect with -update and git diff", path)
	}
}
