package analysis

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slant/demo"
	"slant/internal/workspace"
)

func TestBuiltinSubjectivityLoads(t *testing.T) {
	set, err := builtinSubjectivity()
	require.NoError(t, err)
	require.Len(t, set.groups, len(subjectivityKinds))
}

func TestParseSubjectivityRejectsBadFiles(t *testing.T) {
	tests := []struct {
		name, yaml, want string
	}{
		{"unknown key", "kinds:\n  - kind: hedge\n    source: x\n    exact: [may]\n    colour: red\n", "line 5"},
		{"unknown kind", "kinds:\n  - kind: shouting\n    source: x\n    exact: [loud]\n", `unknown kind "shouting"`},
		{"missing kind", "kinds:\n  - kind: hedge\n    source: x\n    exact: [may]\n", `kind "intensifier" is missing`},
		{"no source", "kinds:\n  - kind: hedge\n    exact: [may]\n", "no source"},
		{"empty", "", "file is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseSubjectivity("test.yaml", []byte(tt.yaml))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

// vaderReference collects sentences to compare the fast VADER path with
// govader's own PolarityScores: hand-written cases for each of VADER's
// rules, the demo articles and, when present, the seed articles.
func vaderReference(t *testing.T) []string {
	cases := []string{
		"",
		"   ",
		"The council met on Tuesday.",
		"The plan is a great success.",
		"The plan is NOT good at all!!!",
		"The plan is not good.",
		"GREAT news for everyone, the project is a SUCCESS",
		"ALL CAPS ONLY GOOD",
		"It was kind of good, but the ending was terrible.",
		"He was sort of happy and just enough good.",
		"This is the shit.",
		"The kiss of death for the proposal was sad.",
		"Yeah right, that is great.",
		"At least it is good; the very least good; least happy; not the least bit happy.",
		"Least happy people.",
		"There is no doubt the food was good, without doubt good.",
		"It is never so good, never this bad.",
		"No problem with the good plan, no good, no one is happy, no or nor sad.",
		"He isn't happy, nor sad, and doesn't cry.",
		"Is it good?? Is it bad???? Really?",
		"  double  spaces  good  and   bad  ",
		"I don't like it :) but :( is sad",
		"(good) [bad] 'great' \"awful\" --terrible-- ok.",
		"Naïve résumé is GOOD; İstanbul is lovely.",
		"I love it 😀 and hate it 😡",
		"bad \xff good",
		"The extremely bad, very very good, incredibly AWFUL day.",
		"Crime-ridden hellholes are a disaster for everyone.",
		"kind of",
		"so so so good",
		"It is to die for, a bad ass day, the bomb.",
		"It\tis\tgood",
	}
	ev, err := demo.Load()
	require.NoError(t, err)
	var texts []string
	for _, a := range ev.Articles {
		texts = append(texts, a.Title, a.Text)
	}
	if dir, err := workspace.SharedDir(); err == nil {
		for _, name := range []string{"outlet-a_t4k3-news.txt", "outlet-b_newszed.txt"} {
			if data, err := os.ReadFile(filepath.Join(dir, "seeds", name)); err == nil {
				texts = append(texts, string(data))
			}
		}
	}
	a := testAnalyzer(t)
	for _, text := range texts {
		for _, s := range a.sentenceSpans(text) {
			cases = append(cases, text[s.Start:s.End])
		}
	}
	return cases
}

func TestVaderMatchesGovader(t *testing.T) {
	v := vaderScorer()
	var scratch vaderScratch
	cases := vaderReference(t)
	nonzero := 0
	for _, s := range cases {
		want := v.sia.PolarityScores(s).Compound
		got := v.compound(s, &scratch)
		assert.InDelta(t, want, got, 1e-12, "sentence %q", s)
		if want != 0 {
			nonzero++
		}
	}
	t.Logf("%d sentences, %d with a non-zero score", len(cases), nonzero)
	assert.Greater(t, nonzero, 50, "the reference should exercise the scoring, not just neutral text")
}

func TestToneSentences(t *testing.T) {
	a := testAnalyzer(t)
	text := "The new park is a wonderful success.\nThe fire killed three people and injured many.\nThe council met on Tuesday.\n\"This is a terrible, cruel decision,\" she said."
	r := a.Analyze(Document{Text: text})
	tone := r.Tone
	require.Len(t, tone.Sentences, 4)
	assert.Greater(t, tone.Sentences[0].Compound, tonePositive, "praise reads positive")
	assert.Less(t, tone.Sentences[1].Compound, toneNegative, "deaths read negative")
	assert.Equal(t, 0.0, tone.Sentences[2].Compound, "a plain fact is neutral")
	assert.Less(t, tone.Sentences[3].Compound, toneNegative)
	assert.True(t, tone.Sentences[3].Quoted, "the last sentence is her words")
	assert.False(t, tone.Sentences[0].Quoted)
	assert.Equal(t, 0.25, tone.Positive)
	assert.Equal(t, 0.5, tone.Negative)
	assert.Equal(t, 0.25, tone.Neutral)
	for i, s := range tone.Sentences {
		assert.Equal(t, r.Sentences[i].Start, s.Start, "tone follows Report.Sentences")
		assert.Equal(t, r.Sentences[i].End, s.End)
	}
	// The own-voice mean leaves out the quoted sentence.
	own := (tone.Sentences[0].Compound + tone.Sentences[1].Compound + tone.Sentences[2].Compound) / 3
	assert.InDelta(t, own, tone.OwnCompound, 0.002)
	assert.Less(t, tone.Compound, tone.OwnCompound)
}

func TestSubjectivity(t *testing.T) {
	a := testAnalyzer(t)
	tests := []struct {
		name string
		text string
		want []string // kind:text in order
	}{
		{"plain report", "The council voted 5-4 on Tuesday.", nil},
		{"hedge and intensifier", "The plan could reportedly cost an extremely large sum.", []string{"hedge:could", "hedge:reportedly", "intensifier:extremely"}},
		{"absolutes", "Nobody ever asked, and the mayor never answered. Everyone knows.", []string{"absolute:Nobody", "absolute:never", "absolute:Everyone"}},
		{"opinion markers", "Unfortunately, the council should have waited. Of course it did not.", []string{"opinion:Unfortunately", "opinion:should", "opinion:Of course"}},
		{"quoted words are the speaker's", "\"We will never give up, it is clearly wrong,\" she said.", nil},
		{"a capital inside a sentence is a name", "The vote on 3 May was close.", nil},
		{"multi-word cues", "There is no doubt the council acted, at least in some cases.", []string{"opinion:There is no doubt", "hedge:in some cases"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := a.Analyze(Document{Text: tt.text}).Tone.Subjectivity
			var got []string
			for _, c := range s.Cues {
				got = append(got, c.Kind+":"+c.Text)
				assert.Equal(t, c.Text, tt.text[c.Start:c.End])
			}
			assert.Equal(t, tt.want, got)
			assert.Equal(t, len(tt.want), s.Intensifiers+s.Hedges+s.Absolutes+s.OpinionMarkers)
		})
	}
}

func TestSubjectivityRates(t *testing.T) {
	s := testAnalyzer(t).Analyze(Document{Text: "The plan could reportedly cost an extremely large sum, \"obviously\" she said."}).Tone.Subjectivity
	assert.Equal(t, 11, s.OwnWords, "the quoted word is not the outlet's")
	assert.Equal(t, 2, s.Hedges)
	assert.Equal(t, 1, s.Intensifiers)
	assert.Equal(t, 0, s.OpinionMarkers, "“obviously” is quoted")
	assert.Equal(t, 90.91, s.PerThousand, "stance words: one in eleven")
	assert.Equal(t, 181.82, s.HedgesPerThousand, "hedges are counted apart")
}

func TestHeadlineAgainstBody(t *testing.T) {
	a := testAnalyzer(t)
	body := strings.Repeat("The council met and voted on the plan for the riverside. ", 10) + "Critics slammed it."
	loud := a.Analyze(Document{Title: "Regime turns town into a hellhole", Text: body})
	h := loud.Tone.Headline
	assert.Equal(t, 6, h.Words)
	assert.Equal(t, 2, h.Findings)
	assert.Equal(t, 1000.0, h.LoadedIndex, "two severity-3 terms in six words")
	assert.Equal(t, loud.Scores.LoadedIndex, h.BodyLoadedIndex, "the body figure is the report's loaded index")
	assert.True(t, h.MoreLoaded)
	assert.Zero(t, h.Compound, "VADER knows neither word: loaded is not the same as negative")

	calm := a.Analyze(Document{Title: "Council votes on riverside plan", Text: body + " What a regime, a hellhole."})
	assert.False(t, calm.Tone.Headline.MoreLoaded)
	assert.Equal(t, 0, calm.Tone.Headline.Findings)

	none := a.Analyze(Document{Text: body})
	assert.Equal(t, HeadlineTone{BodyLoadedIndex: none.Scores.LoadedIndex}, none.Tone.Headline)
}

func TestToneEmptyText(t *testing.T) {
	r := testAnalyzer(t).Analyze(Document{})
	assert.Equal(t, []SentenceTone{}, r.Tone.Sentences)
	assert.Equal(t, []SubjectivityCue{}, r.Tone.Subjectivity.Cues)
	assert.Zero(t, r.Tone.Compound)
}

func TestCompareTone(t *testing.T) {
	a := testAnalyzer(t)
	articles := []ComparedArticle{
		{ArticleID: 2, Outlet: "Loud Ledger", Report: a.Analyze(Document{Title: "Regime wrecks town, a hellhole", Text: "The terrible regime destroyed the town. Everyone suffers and nobody cares. It is a disaster."})},
		{ArticleID: 1, Outlet: "Plain Post", Report: a.Analyze(Document{Title: "Council votes on plan", Text: "The council met on Tuesday. It approved the plan, which residents welcomed as a good step."})},
	}
	c := compareTone(articles)
	require.Len(t, c.Outlets, 2)
	assert.Equal(t, "Loud Ledger", c.Outlets[0].Outlet, "sorted by outlet name")
	assert.Less(t, c.Outlets[0].OwnCompound, c.Outlets[1].OwnCompound)
	assert.True(t, c.Outlets[0].HeadlineMoreLoaded)
	assert.Equal(t, "When it speaks for itself, Loud Ledger sounds the most negative: -0.47 on a scale from -1 (negative) to +1 (positive). Plain Post sounds the most positive: +0.40.", c.Summary[0])
	assert.Equal(t, "Loud Ledger uses the most stance words (words like “very”, “never” or “should”) when it speaks for itself. It has 133.3 for every 1,000 words, against 0 for Plain Post.", c.Summary[1])
	assert.Equal(t, c, compareTone([]ComparedArticle{articles[1], articles[0]}), "input order does not matter")
}

// TestToneSeeds logs the seeds' tone; VADER is not a bias detector, so
// the test only pins what the texts plainly show: outlet B's headline is
// loaded and outlet B's body is more loaded than A's.
func TestToneSeeds(t *testing.T) {
	a := builtinTestAnalyzer(t)
	ra := a.Analyze(Document{Title: "Trump order to target cartels faces Mexican pushback", Text: readSeed(t, "outlet-a_t4k3-news.txt")})
	rb := a.Analyze(Document{Title: "Mexico’s President Draws Red Line: US Kinetic Operations Against Drug Cartels Not Welcome On Her Soil", Text: readSeed(t, "outlet-b_newszed.txt")})
	for _, r := range []Report{ra, rb} {
		t.Logf("compound %.3f own %.3f pos/neg/neu %.2f/%.2f/%.2f subjectivity %.1f per 1,000 (%d hedges) headline %+v",
			r.Tone.Compound, r.Tone.OwnCompound, r.Tone.Positive, r.Tone.Negative, r.Tone.Neutral,
			r.Tone.Subjectivity.PerThousand, r.Tone.Subjectivity.Hedges, r.Tone.Headline)
	}
	assert.Greater(t, rb.Tone.Headline.Findings, 0, "“kinetic operations” in B's headline is flagged")
	assert.Greater(t, rb.Tone.Headline.BodyLoadedIndex, 3*ra.Tone.Headline.BodyLoadedIndex)
}

func BenchmarkTone(b *testing.B) {
	a := builtinAnalyzer(b)
	doc := Document{Title: "Council votes to close the camp", Text: thousandWords(b)}
	tokens := tokenize(doc.Text, a.stems)
	sentences := a.sentenceSpans(doc.Text)
	r := a.Analyze(doc)
	b.SetBytes(int64(len(doc.Text)))
	b.ReportAllocs()
	for b.Loop() {
		a.tone(doc, tokens, tokenize(doc.Title, a.stems), r.Quotes, sentences, r.Findings, r.TitleFindings, &vaderScratch{}, nil)
	}
}

func BenchmarkVader(b *testing.B) {
	a := builtinAnalyzer(b)
	text := thousandWords(b)
	sentences := a.sentenceSpans(text)
	v := vaderScorer()
	b.Run("fast", func(b *testing.B) {
		var scratch vaderScratch
		b.SetBytes(int64(len(text)))
		for b.Loop() {
			for _, s := range sentences {
				v.compound(text[s.Start:s.End], &scratch)
			}
		}
	})
	b.Run("govader", func(b *testing.B) {
		b.SetBytes(int64(len(text)))
		for b.Loop() {
			for _, s := range sentences {
				v.sia.PolarityScores(text[s.Start:s.End])
			}
		}
	})
}

// FuzzVader checks the fast VADER path against govader on any text.
func FuzzVader(f *testing.F) {
	for _, seed := range []string{"", "The plan is NOT good at all!!!", "no or nor bad", "kind of the shit :) 😀", "\xff bad", "At least  it is  GOOD but bad??"} {
		f.Add(seed)
	}
	v := vaderScorer()
	f.Fuzz(func(t *testing.T, text string) {
		var scratch vaderScratch
		want := v.sia.PolarityScores(text).Compound
		if got := v.compound(text, &scratch); math.Abs(got-want) > 1e-9 {
			t.Fatalf("compound(%q) = %v, govader says %v", text, got, want)
		}
	})
}

// FuzzTone checks the tone, frame and subjectivity figures on any input:
// no panic, offsets inside the text, scores in range.
func FuzzTone(f *testing.F) {
	f.Add("Troops “never” crossed the border.\nIt is a disaster!", "Regime slams plan")
	f.Add("\xff\xfe regime \"could", "")
	a := testAnalyzer(f)
	f.Fuzz(func(t *testing.T, text, title string) {
		r := a.Analyze(Document{Title: title, Text: text})
		for _, c := range r.Frames.Cues {
			checkSpan(t, text, Span{c.Start, c.End}, "frame cue")
		}
		sum := 0.0
		for _, s := range r.Frames.Scores {
			sum += s.Share
			for _, e := range s.Evidence {
				checkSpan(t, text, Span{e.Start, e.End}, "frame evidence")
			}
		}
		if math.Abs(sum-1) > 0.01 {
			t.Fatalf("frame shares add up to %v", sum)
		}
		for _, s := range r.Tone.Sentences {
			checkSpan(t, text, Span{s.Start, s.End}, "tone sentence")
			if s.Compound < -1 || s.Compound > 1 {
				t.Fatalf("compound %v outside [-1,1]", s.Compound)
			}
		}
		for _, c := range r.Tone.Subjectivity.Cues {
			checkSpan(t, text, Span{c.Start, c.End}, "subjectivity cue")
		}
		if x := r.Tone.Positive + r.Tone.Negative + r.Tone.Neutral; len(r.Tone.Sentences) > 0 && math.Abs(x-1) > 0.01 {
			t.Fatalf("sentence shares add up to %v", x)
		}
		c := compareLabels([]ComparedArticle{
			{ArticleID: 1, Outlet: "A", Title: title, Text: text, Report: r},
			{ArticleID: 2, Outlet: "B", Title: title, Text: text, Report: r},
		})
		for _, cl := range c.Concepts {
			for _, o := range cl.Outlets {
				for _, u := range o.Labels {
					for _, sp := range u.Spans {
						src := text
						if sp.InTitle {
							src = title
						}
						checkSpan(t, src, Span{sp.Start, sp.End}, "label")
					}
				}
			}
		}
		for _, e := range c.Entities {
			for _, o := range e.Outlets {
				for _, d := range o.Descriptors {
					for _, sp := range d.Spans {
						checkSpan(t, text, Span{sp.Start, sp.End}, "descriptor")
					}
				}
			}
		}
	})
}
