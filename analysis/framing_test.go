package analysis

import (
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slant/demo"
	"slant/internal/workspace"
)

func TestBuiltinFramesLoad(t *testing.T) {
	set, err := builtinFrames()
	require.NoError(t, err)
	require.Len(t, set.groups, len(frameDimensions))
	for i, g := range set.groups {
		assert.Equal(t, frameDimensions[i].Frame, g.Name)
		assert.NotEmpty(t, g.Description, g.Name)
		if i != otherFrame {
			assert.GreaterOrEqual(t, len(set.terms[i]), 20, "%s needs a cue list general enough for any news", g.Name)
		}
	}
	assert.Empty(t, set.terms[otherFrame], "other has no cues: it is the residual")
	headers := frameHeaders()
	require.Len(t, headers, 15)
	assert.Equal(t, "economic", headers[0].Frame)
	assert.Equal(t, "other", headers[14].Frame)
}

func TestLoadFramesRejectsBadFiles(t *testing.T) {
	valid := func() fstest.MapFS {
		fsys := fstest.MapFS{}
		for i, h := range frameDimensions {
			if i == otherFrame {
				continue
			}
			fsys["frames/"+h.Frame+".yaml"] = &fstest.MapFile{Data: []byte("frame: " + h.Frame + "\ndescription: d\nsource: s\ncues: [cue" + strings.Repeat("x", i+1) + "]\n")}
		}
		return fsys
	}
	_, err := loadFrames(valid(), "frames")
	require.NoError(t, err, "the fixture itself is valid")

	tests := []struct {
		name   string
		change func(fstest.MapFS)
		want   string
	}{
		{"unknown key", func(f fstest.MapFS) {
			f["frames/economic.yaml"].Data = []byte("frame: economic\ndescription: d\nsource: s\ncues: [money]\nweight: 2\n")
		}, "economic.yaml: yaml: unmarshal errors:\n  line 5"},
		{"unknown frame", func(f fstest.MapFS) {
			f["frames/zzz.yaml"] = &fstest.MapFile{Data: []byte("frame: sports\ndescription: d\nsource: s\ncues: [goal]\n")}
		}, `unknown frame "sports"`},
		{"other has no file", func(f fstest.MapFS) {
			f["frames/zzz.yaml"] = &fstest.MapFile{Data: []byte("frame: other\ndescription: d\nsource: s\ncues: [misc]\n")}
		}, `unknown frame "other"`},
		{"frame twice", func(f fstest.MapFS) {
			f["frames/zzz.yaml"] = &fstest.MapFile{Data: []byte("frame: economic\ndescription: d\nsource: s\ncues: [money]\n")}
		}, `frame "economic" already defined in economic.yaml`},
		{"frame missing", func(f fstest.MapFS) { delete(f, "frames/morality.yaml") }, `no file for frame "morality"`},
		{"no source", func(f fstest.MapFS) {
			f["frames/economic.yaml"].Data = []byte("frame: economic\ndescription: d\ncues: [money]\n")
		}, "source is missing"},
		{"one cue in two frames", func(f fstest.MapFS) {
			f["frames/economic.yaml"].Data = []byte("frame: economic\ndescription: d\nsource: s\ncues: [taxes]\n")
			f["frames/political.yaml"].Data = []byte("frame: political\ndescription: d\nsource: s\ncues: [tax]\n")
		}, `"tax" (entry "tax") matches the same words as "taxes"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := valid()
			tt.change(fsys)
			_, err := loadFrames(fsys, "frames")
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

// TestFrameCues checks how the listed cues match: on stems, longest phrase
// first, exact forms, exceptions, hyphens. Near words are left out here
// (TestNearWordsCountInTheLeadOnly covers them).
func TestFrameCues(t *testing.T) {
	a := testAnalyzer(t)
	tests := []struct {
		name string
		text string
		want []string // frame:text in text order
	}{
		{"nothing", "Nothing to see on Tuesday.", nil},
		{"stems follow plurals and verb forms", "Troops invaded; the invasions continued.",
			[]string{"security-and-defense:Troops", "security-and-defense:invaded", "security-and-defense:invasions"}},
		{"a phrase wins over its words", "Drug cartels and law enforcement clashed over money laundering.",
			[]string{"crime-and-punishment:Drug cartels", "crime-and-punishment:law enforcement", "crime-and-punishment:money laundering"}},
		{"a phrase can move a word to another frame", "The drug deaths rose; a trade war began.",
			[]string{"health-and-safety:drug deaths", "economic:trade war"}},
		{"exact cues do not follow stems", "He was fired after the fire.", []string{"health-and-safety:fire"}},
		{"a stem shared with another sense is not a cue", "The court ruled it out; new rules came.", []string{"legality:court ruled", "policy:rules"}},
		{"imports is not important", "It is important that imports fell.", []string{"economic:imports"}},
		{"exceptions", "Talks on the West Bank; the bank failed.", []string{"economic:bank"}},
		{"hyphenated words", "A crime-ridden district; cross-border raids.",
			[]string{"crime-and-punishment:crime-ridden", "security-and-defense:border", "security-and-defense:raids"}},
		{"case and curly apostrophes do not matter", "TARIFFS hit the Nation’s economy.", []string{"economic:TARIFFS", "public-opinion:the Nation’s", "economic:economy"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := a.Analyze(Document{Text: tt.text}).Frames
			var got []string
			for _, c := range p.Cues {
				assert.Equal(t, c.Text, tt.text[c.Start:c.End], "offsets point at the words")
				if c.Near == "" {
					got = append(got, c.Frame+":"+c.Text)
				}
			}
			assert.Equal(t, tt.want, got)
		})
	}
}

// TestCueIndexMatchesMatcher checks the one-lookup cue index against the
// lexicon's trie matcher, which it replaces for speed, on real text.
func TestCueIndexMatchesMatcher(t *testing.T) {
	frames, err := builtinFrames()
	require.NoError(t, err)
	subjectivity, err := builtinSubjectivity()
	require.NoError(t, err)
	ev, err := demo.Load()
	require.NoError(t, err)
	texts := []string{"A crime-ridden district; cross-border raids. Talks on the West Bank; the bank failed. He was fired after the fire."}
	for _, a := range ev.Articles {
		texts = append(texts, a.Text)
	}
	if dir, err := workspace.SharedDir(); err == nil {
		for _, name := range []string{"outlet-a_t4k3-news.txt", "outlet-b_newszed.txt"} {
			if data, err := os.ReadFile(filepath.Join(dir, "seeds", name)); err == nil {
				texts = append(texts, string(data))
			}
		}
	}
	total := 0
	for _, set := range []*cueSet{frames, subjectivity} {
		for _, text := range texts {
			tokens := tokenize(text, nil)
			var want []cueMatch
			for _, m := range set.matcher.find(text, tokens) {
				if !m.pattern.exception {
					want = append(want, cueMatch{first: m.first, last: m.last, group: m.pattern.category, entry: m.pattern.entry})
				}
			}
			assert.Equal(t, want, set.find(text, tokens))
			total += len(want)
		}
	}
	assert.Greater(t, total, 100)
}

func TestFrameProfile(t *testing.T) {
	a := testAnalyzer(t)
	text := "Troops crossed the border at dawn.\nSoldiers and troops attacked; the army fired missiles.\nThe budget will cost taxpayers dearly.\nThe weather was fine."
	p := a.Analyze(Document{Text: text}).Frames
	require.Len(t, p.Scores, 15)
	sum := 0.0
	for i, s := range p.Scores {
		assert.Equal(t, frameDimensions[i].Frame, s.Frame, "scores keep the codebook's order")
		sum += s.Share
	}
	assert.InDelta(t, 1, sum, 0.002)
	sec, eco := p.Scores[7], p.Scores[0]
	assert.Equal(t, "security-and-defense", sec.Frame)
	assert.Equal(t, 7, sec.Hits)
	assert.Equal(t, 3, eco.Hits)
	assert.Equal(t, 10, p.Hits)
	// Troops and border in the headline; soldiers, troops, army, missiles
	// and the weak "attacked" in the lead; budget, taxpayers and the weak
	// "cost" in the lead too.
	wantSec := 2*frameHeadlineWeight + 4*frameLeadWeight + frameLeadWeight*weakCueWeight
	wantEco := 2*frameLeadWeight + frameLeadWeight*weakCueWeight
	assert.InDelta(t, wantSec, sec.Weight, 0.001)
	assert.InDelta(t, wantEco, eco.Weight, 0.001)
	assert.InDelta(t, wantSec/(wantSec+wantEco), sec.Share, 0.001, "shares are weights over the total")
	assert.Equal(t, 1, sec.Rank)
	assert.Equal(t, 2, eco.Rank)
	assert.Equal(t, 3, p.Scores[1].Rank, "ties keep the codebook's order")
	assert.Equal(t, []string{"security-and-defense", "economic"}, p.Top)
	assert.Equal(t, FrameTerm{Term: "troops", Count: 2}, sec.Terms[0], "most frequent cue first")
	require.Len(t, sec.Evidence, 2)
	assert.Equal(t, "Soldiers and troops attacked; the army fired missiles.", text[sec.Evidence[1].Start:sec.Evidence[1].End])
	assert.Equal(t, 5, sec.Evidence[1].Hits)
	assert.Equal(t, 0.0, p.Scores[otherFrame].Share)

	none := a.Analyze(Document{Text: "Nothing to see."}).Frames
	assert.Equal(t, 1.0, none.Scores[otherFrame].Share, "other takes the whole profile when no cue fires")
	assert.Equal(t, 1, none.Scores[otherFrame].Rank)
	assert.Equal(t, []string{"other"}, none.Top)
	assert.Equal(t, []FrameCue{}, none.Cues)
	assert.Equal(t, []FrameTerm{}, none.Scores[0].Terms)
	assert.Equal(t, []FrameSentence{}, none.Scores[0].Evidence)
}

func TestJSDivergence(t *testing.T) {
	tests := []struct {
		name string
		p, q []float64
		want float64
	}{
		{"identical", []float64{0.2, 0.3, 0.5}, []float64{0.2, 0.3, 0.5}, 0},
		{"disjoint", []float64{0.5, 0.5, 0, 0}, []float64{0, 0, 0.25, 0.75}, 1},
		{"one point against two", []float64{1, 0}, []float64{0.5, 0.5}, 0.5 * (math.Log2(4.0/3) + 0.5*math.Log2(2.0/3) + 0.5)},
		{"uniform against skewed", []float64{0.5, 0.5}, []float64{0.9, 0.1}, 0.147},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.InDelta(t, tt.want, jsDivergence(tt.p, tt.q), 0.001)
			assert.InDelta(t, jsDivergence(tt.p, tt.q), jsDivergence(tt.q, tt.p), 1e-12, "symmetric")
		})
	}
}

func frameTestEvent(t *testing.T) []ComparedArticle {
	a := testAnalyzer(t)
	texts := []struct{ outlet, text string }{
		{"Money Matters", "The budget will cost taxpayers a fortune. Prices and jobs are at stake. Troops guard the border."},
		{"Border Watch", "Troops and soldiers guard the border against invasion. The army deployed drones. The budget rose."},
		{"Ward Weekly", "The budget and taxes grew, and jobs too. Troops guard the border. Soldiers patrol."},
	}
	var out []ComparedArticle
	for i, x := range texts {
		out = append(out, ComparedArticle{ArticleID: int64(i + 1), Outlet: x.outlet, Text: x.text, Report: a.Analyze(Document{Text: x.text})})
	}
	return out
}

func TestCompareFrames(t *testing.T) {
	articles := frameTestEvent(t)
	c := compareFrames(articles)
	require.Len(t, c.Frames, 15)
	require.Len(t, c.Outlets, 3)
	assert.Equal(t, []string{"Border Watch", "Money Matters", "Ward Weekly"}, []string{c.Outlets[0].Outlet, c.Outlets[1].Outlet, c.Outlets[2].Outlet})
	for _, o := range c.Outlets {
		assert.Len(t, o.Shares, 15)
	}
	require.Len(t, c.Pairs, 3)
	mean := (c.Pairs[0].Divergence + c.Pairs[1].Divergence + c.Pairs[2].Divergence) / 3
	assert.InDelta(t, mean, c.Divergence, 0.001)
	assert.Greater(t, c.Divergence, 0.0)
	assert.Less(t, c.Divergence, 1.0)

	require.NotEmpty(t, c.Stressed)
	byOutlet := map[string][]string{}
	for _, s := range c.Stressed {
		byOutlet[s.Outlet] = append(byOutlet[s.Outlet], s.Frame)
		assert.Greater(t, s.Share, s.OthersShare)
		assert.NotEmpty(t, s.Terms)
	}
	assert.Equal(t, []string{"security-and-defense"}, byOutlet["Border Watch"])
	assert.Equal(t, []string{"economic"}, byOutlet["Money Matters"])
	assert.Contains(t, strings.Join(c.Summary, " "), "Border Watch talks about threats and defense more than the others do")

	// The most divergent outlet sits furthest from the mean profile.
	assert.Greater(t, c.Outlets[0].DivergenceFromMean, c.Outlets[2].DivergenceFromMean)

	reversed := compareFrames([]ComparedArticle{articles[2], articles[1], articles[0]})
	assert.Equal(t, c, reversed, "input order does not matter")
}

func TestCompareFramesEdgeCases(t *testing.T) {
	empty := compareFrames(nil)
	assert.Equal(t, []OutletFrames{}, empty.Outlets)
	assert.Equal(t, []FramePair{}, empty.Pairs)
	assert.Equal(t, []StressedFrame{}, empty.Stressed)
	assert.Equal(t, []string{}, empty.Summary)

	a := testAnalyzer(t)
	same := []ComparedArticle{
		{ArticleID: 1, Outlet: "One", Report: a.Analyze(Document{Text: "Troops and the budget."})},
		{ArticleID: 2, Outlet: "Two", Report: a.Analyze(Document{Text: "The budget and troops."})},
		{ArticleID: 3, Outlet: "Three", Report: a.Analyze(Document{Text: "Nothing to see."})},
	}
	c := compareFrames(same)
	require.Len(t, c.Pairs, 3)
	assert.Equal(t, []string{"One", "Three"}, []string{c.Pairs[0].OutletA, c.Pairs[0].OutletB})
	assert.Equal(t, 1.0, c.Pairs[0].Divergence, "One and Three share no frame")
	assert.Equal(t, []string{"One", "Two"}, []string{c.Pairs[1].OutletA, c.Pairs[1].OutletB})
	assert.Equal(t, 0.0, c.Pairs[1].Divergence, "One and Two frame alike")
	assert.Contains(t, c.Summary, "Three uses none of the frame words: the words that show which side of a story it talks about.")
}

// TestSeedFrames is the framing part of ../shared/seeds/EXPECTATIONS.md:
// outlet A leans on security and defense, legality and external relations;
// outlet B on security and defense, crime and punishment, health and
// safety, and politics. The expected frames must rank in the upper part
// of each profile, and the comparison must name the frames that set the
// outlets apart.
func TestSeedFrames(t *testing.T) {
	a := builtinTestAnalyzer(t)
	ta, tb := readSeed(t, "outlet-a_t4k3-news.txt"), readSeed(t, "outlet-b_newszed.txt")
	ra, rb := a.Analyze(Document{Text: ta}), a.Analyze(Document{Text: tb})
	rank := func(p FrameProfile, frame string) int {
		for _, s := range p.Scores {
			if s.Frame == frame {
				return s.Rank
			}
		}
		return 0
	}
	for _, tt := range []struct {
		outlet string
		p      FrameProfile
		want   []string
	}{
		{"A", ra.Frames, []string{"security-and-defense", "legality", "external-regulation"}},
		{"B", rb.Frames, []string{"security-and-defense", "crime-and-punishment", "health-and-safety", "political"}},
	} {
		for _, s := range tt.p.Scores {
			if s.Hits > 0 {
				t.Logf("outlet %s: %2d %-22s %.3f %v", tt.outlet, s.Rank, s.Frame, s.Share, s.Terms[:min(4, len(s.Terms))])
			}
		}
		assert.Equal(t, "security-and-defense", tt.p.Top[0], "outlet %s leads with security", tt.outlet)
		for _, f := range tt.want {
			r := rank(tt.p, f)
			assert.LessOrEqual(t, r, 6, "outlet %s: %s ranks %d of 15", tt.outlet, f, r)
			assert.Positive(t, tt.p.Scores[slices.IndexFunc(tt.p.Scores, func(s FrameScore) bool { return s.Frame == f })].Hits)
		}
	}
	c := compareFrames([]ComparedArticle{
		{ArticleID: 1, Outlet: "A", Report: ra},
		{ArticleID: 2, Outlet: "B", Report: rb},
	})
	stressed := map[string][]string{}
	for _, s := range c.Stressed {
		stressed[s.Outlet] = append(stressed[s.Outlet], s.Frame)
	}
	t.Logf("stressed: %v; divergence %.3f", stressed, c.Divergence)
	assert.Contains(t, stressed["A"], "legality", "A leans on legality more than B")
	assert.Contains(t, stressed["B"], "health-and-safety", "only B writes about overdose deaths")
	assert.Contains(t, stressed["B"], "political", "B blames political opponents")
	assert.NotContains(t, stressed["A"], "political")
	assert.NotContains(t, stressed["A"], "health-and-safety")
	for _, line := range c.Summary {
		t.Log(line)
	}
}

func BenchmarkFrames(b *testing.B) {
	a := builtinAnalyzer(b)
	text := thousandWords(b)
	tokens := tokenize(text, a.stems)
	sentences := a.sentenceSpans(text)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	var scratch frameScratch
	for b.Loop() {
		a.frames(text, tokens, sentences, &scratch)
	}
}

func BenchmarkCompareFrames(b *testing.B) {
	articles := sixOutletEvent(b)
	b.ReportAllocs()
	for b.Loop() {
		compareFrames(articles)
	}
}
