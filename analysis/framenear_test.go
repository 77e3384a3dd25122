package analysis

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// handFrames compiles the hand-written cue lists alone, as the near words
// are computed from them.
func handFrames(t testing.TB) *cueSet {
	t.Helper()
	groups, err := readFrameGroups(builtinFramesFS, "frames")
	require.NoError(t, err)
	set, err := compileCues(groups)
	require.NoError(t, err)
	return set
}

// TestFrameNearWords checks frames/near.tsv against the cue lists and the
// vectors: every listed word is recomputed, and so is every 25th candidate
// word, which must be listed exactly when it qualifies. A cue list edited
// without regenerating the file fails here; -update rewrites the file from
// all candidates (a few seconds).
func TestFrameNearWords(t *testing.T) {
	set := handFrames(t)
	vt, err := builtinVectors()
	require.NoError(t, err)
	path := filepath.Join("frames", "near.tsv")
	if *update {
		var buf bytes.Buffer
		require.NoError(t, writeNearWords(&buf, computeNearWords(set, vt)))
		require.NoError(t, os.WriteFile(path, buf.Bytes(), 0o644))
	}
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	listed, err := readNearWords(data)
	require.NoError(t, err)

	check := map[int]bool{}
	total := 0
	for g := range listed {
		total += len(listed[g])
		for _, n := range listed[g] {
			check[vt.index(n.Word)] = true
		}
	}
	assert.Greater(t, total, 1000, "the vectors find words for the lists")
	// Every listed word is in the sample, so the sample's result is the
	// list itself; a sampled word that qualifies but is not listed, or a
	// listed word that no longer qualifies, means the file is stale.
	got := nearWordsAmong(set, vt, func(rank int) bool { return check[rank] || rank%25 == 0 })
	for g := range got {
		require.Equal(t, frameNames(listed[g]), frameNames(got[g]), "%s: near.tsv is stale: run go test ./analysis -run TestFrameNearWords -update", frameDimensions[g].Frame)
		for i, n := range got[g] {
			assert.Equal(t, listed[g][i].Cue, n.Cue, n.Word)
			assert.InDelta(t, listed[g][i].Closeness, n.Closeness, 0.0005, n.Word)
		}
	}
	// Every near word is one the lists lack, and the header says how the
	// file is made.
	for g := range listed {
		for _, n := range listed[g] {
			for _, p := range set.first[stemWord(n.Word)] {
				if len(p.keys) == 1 && !p.exception {
					t.Errorf("%s: near word %q is already a cue (%s)", frameDimensions[g].Frame, n.Word, set.terms[p.group][p.entry])
				}
			}
		}
	}
	assert.True(t, strings.HasPrefix(string(data), nearFileHeader))
}

func frameNames(ns []nearWord) []string {
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = n.Word
	}
	return out
}

func TestReadNearWordsRejectsBadLines(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"fields", "firearm\tsecurity-and-defense\tweapon\n", "want 4 tab-separated fields"},
		{"frame", "firearm\tsports\tweapon\t0.6\n", `unknown frame "sports"`},
		{"other", "firearm\tother\tweapon\t0.6\n", `unknown frame "other"`},
		{"two words", "fire arm\tsecurity-and-defense\tweapon\t0.6\n", "is not one lower-case word"},
		{"capital", "Firearm\tsecurity-and-defense\tweapon\t0.6\n", "is not one lower-case word"},
		{"closeness", "firearm\tsecurity-and-defense\tweapon\t1.6\n", "is not a number in (0, 1]"},
		{"no cue", "firearm\tsecurity-and-defense\t \t0.6\n", "no closest cue"},
		{"twice", "firearm\tsecurity-and-defense\tweapon\t0.6\nfirearm\tpolicy\tban\t0.6\n", `line 3: "firearm" already listed on line 2`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := readNearWords([]byte("# header\n" + tt.in))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
	near, err := readNearWords([]byte("# header\n\nrifle\tsecurity-and-defense\tweapon\t0.61\nfirearm\tsecurity-and-defense\tweapon\t0.6\n"))
	require.NoError(t, err)
	assert.Equal(t, []nearWord{{"firearm", "weapon", 0.6}, {"rifle", "weapon", 0.61}}, near[7])
}

// TestNearWordsCountInTheLeadOnly: a near word counts in the headline and
// the lead, at nearCueWeight, and not in the body; it names the cue it
// resembles.
func TestNearWordsCountInTheLeadOnly(t *testing.T) {
	fsys := fstest.MapFS{}
	for i, h := range frameDimensions {
		if i == otherFrame {
			continue
		}
		fsys["frames/"+h.Frame+".yaml"] = &fstest.MapFile{Data: []byte("frame: " + h.Frame + "\ndescription: d\nsource: s\ncues: [cue" + strings.Repeat("x", i+1) + "]\n")}
	}
	fsys["frames/security-and-defense.yaml"].Data = []byte("frame: security-and-defense\ndescription: d\nsource: s\ncues: [weapon, troops]\n")
	fsys["frames/economic.yaml"].Data = []byte("frame: economic\ndescription: d\nsource: s\ncues: [budget]\nweak: [money]\n")
	fsys["frames/near.tsv"] = &fstest.MapFile{Data: []byte("firearm\tsecurity-and-defense\tweapon\t0.6\n")}
	set, err := loadFrames(fsys, "frames")
	require.NoError(t, err)

	a := testAnalyzer(t)
	text := "Firearm sales\n\nA firearm was found. The budget held. Money was short.\nA firearm again, in the body."
	p := frameProfile(set, text, tokenize(text, a.stems), a.sentenceSpans(text), nil)
	sec, eco := p.Scores[7], p.Scores[0]
	assert.Equal(t, 2, sec.Hits, "the near word counts in the headline and the lead, not in the fourth sentence")
	assert.Equal(t, []FrameTerm{{Term: "firearm", Near: "weapon", Count: 2}}, sec.Terms)
	// Headline 5 × 0.35 + lead 2 × 0.35; budget in the lead 2, money in the
	// body 1 × 0.5.
	assert.InDelta(t, 5*nearCueWeight+frameLeadWeight*nearCueWeight, sec.Weight, 0.001)
	assert.InDelta(t, frameLeadWeight+weakCueWeight, eco.Weight, 0.001)
	assert.InDelta(t, sec.Weight/(sec.Weight+eco.Weight), sec.Share, 0.001)
	assert.Equal(t, 4, p.Hits)
	for _, c := range p.Cues {
		if c.Frame == "security-and-defense" {
			assert.Equal(t, "weapon", c.Near)
			assert.Less(t, c.Start, strings.Index(text, "again"), "no near cue in the body")
		}
	}
}
