package analysis

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBuiltinLabelsLoad(t *testing.T) {
	d, err := builtinLabels()
	require.NoError(t, err)
	assert.GreaterOrEqual(t, len(d.concepts), 10)
	assert.True(t, d.roles["president"])
	assert.True(t, d.after["regime"])
}

func TestParseLabelsRejectsBadFiles(t *testing.T) {
	descriptors := "source: s\nroles: [mayor, mr]\nhonorifics: [mr]\nmodifiers: [former]\nafter: [regime]\nconnectors: [of]\nstopwords: [the]\n"
	concepts := "source: s\nconcepts:\n  - concept: government\n    description: d\n    labels:\n      - label: government\n      - label: regime\n"
	_, err := parseLabels([]byte(concepts), []byte(descriptors))
	require.NoError(t, err, "the fixture itself is valid")
	tests := []struct {
		name, concepts, descriptors, want string
	}{
		{"unknown key", concepts + "    colour: red\n", descriptors, "concepts.yaml: yaml: unmarshal errors:\n  line 8"},
		{"concept twice", concepts + "  - concept: government\n    description: d\n    labels: [{label: a}, {label: b}]\n", descriptors, `concept "government" listed twice`},
		{"one label", "concepts:\n  - concept: c\n    description: d\n    labels: [{label: a}]\n", descriptors, "needs at least two labels"},
		{"same word twice", concepts + "  - concept: state\n    description: d\n    labels: [{label: regimes}, {label: b}]\n", descriptors, `"regimes"`},
		{"honorific not a role", concepts, strings.Replace(descriptors, "honorifics: [mr]", "honorifics: [dr]", 1), `honorific "dr" is not among the roles`},
		{"empty list", concepts, strings.Replace(descriptors, "after: [regime]", "after: []", 1), "after is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseLabels([]byte(tt.concepts), []byte(tt.descriptors))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

// labelTestEvent is a small invented event: three outlets name the same
// mayor, government, newcomers and protesters in different words. The
// test lexicon flags "regime".
func labelTestEvent(t *testing.T) []ComparedArticle {
	a := testAnalyzer(t)
	texts := []struct{ outlet, title, text string }{
		{"Riverside Record", "Council houses newcomers", "The Calloway administration said the migrants would be housed in the shelter. " +
			"Mayor Ruth Calloway met protesters outside the hall. Agents of the Drug Enforcement Administration were not there."},
		{"Harbour Herald", "Regime dumps illegals", "The Calloway regime dumped the illegals in a flophouse. " +
			"Ruth Calloway, who runs the city, ignored the rioters. Critics say the plan failed."},
		{"Civic Courier", "", "City Hall Votes On Shelter Plan For New Arrivals\n" +
			"The city government said asylum seekers would be housed in the shelter. Mayor Calloway met demonstrators on Tuesday."},
	}
	var out []ComparedArticle
	for i, x := range texts {
		out = append(out, ComparedArticle{ArticleID: int64(i + 1), Outlet: x.outlet, Title: x.title, Text: x.text,
			Report: a.Analyze(Document{Title: x.title, Text: x.text})})
	}
	return out
}

func conceptNamed(c LabelComparison, name string) (ConceptLabels, bool) {
	for _, cl := range c.Concepts {
		if cl.Concept == name {
			return cl, true
		}
	}
	return ConceptLabels{}, false
}

// labelsOf lists an outlet's labels for a concept as "label×count".
func labelsOf(cl ConceptLabels, outlet string) []string {
	var out []string
	for _, o := range cl.Outlets {
		if o.Outlet == outlet {
			for _, u := range o.Labels {
				out = append(out, fmt.Sprintf("%s×%d", u.Label, u.Count))
			}
		}
	}
	return out
}

func TestCompareLabels(t *testing.T) {
	articles := labelTestEvent(t)
	c := compareLabels(articles)

	gov, ok := conceptNamed(c, "government")
	require.True(t, ok)
	assert.Equal(t, "government", c.Concepts[0].Concept, "a loaded distinct label comes first")
	assert.True(t, gov.Differs)
	assert.True(t, gov.Loaded)
	assert.Equal(t, []string{"Civic Courier", "Harbour Herald", "Riverside Record"}, []string{gov.Outlets[0].Outlet, gov.Outlets[1].Outlet, gov.Outlets[2].Outlet})
	assert.Equal(t, []string{"administration×1"}, labelsOf(gov, "Riverside Record"), "the Drug Enforcement Administration is a name, not a label")
	assert.Equal(t, []string{"regime×2"}, labelsOf(gov, "Harbour Herald"))
	assert.Equal(t, []string{"government×1"}, labelsOf(gov, "Civic Courier"))
	require.NotEmpty(t, gov.Distinct)
	assert.Equal(t, DistinctLabel{Label: "regime", Outlets: []string{"Harbour Herald"}, Loaded: true}, gov.Distinct[0])
	regime := gov.Outlets[1].Labels[0]
	assert.True(t, regime.Loaded)
	assert.Equal(t, []string{"regime", "Regime"}, regime.Examples, "the text first, then the title")
	require.Len(t, regime.Spans, 2)
	assert.Equal(t, LabelSpan{Start: 13, End: 19, InTitle: false}, regime.Spans[0])
	assert.Equal(t, LabelSpan{Start: 0, End: 6, InTitle: true}, regime.Spans[1])

	migrants, ok := conceptNamed(c, "migrants")
	require.True(t, ok)
	assert.True(t, migrants.Differs)
	assert.False(t, migrants.Loaded, "the test lexicon does not flag any of these")
	assert.Equal(t, []string{"illegals×2"}, labelsOf(migrants, "Harbour Herald"))
	assert.Equal(t, []string{"asylum seekers×1"}, labelsOf(migrants, "Civic Courier"))

	protesters, ok := conceptNamed(c, "protesters")
	require.True(t, ok)
	assert.Equal(t, []string{"rioters×1"}, labelsOf(protesters, "Harbour Herald"))
	assert.Equal(t, []string{"demonstrators×1"}, labelsOf(protesters, "Civic Courier"))

	require.NotEmpty(t, c.Entities)
	e := c.Entities[0]
	assert.Equal(t, "Ruth Calloway", e.Name, "“Calloway” and “Ruth Calloway” are one person")
	assert.True(t, e.Differs, "administration against regime")
	assert.True(t, e.Loaded)
	require.Len(t, e.Outlets, 3)
	descriptors := map[string][]string{}
	for _, o := range e.Outlets {
		for _, d := range o.Descriptors {
			descriptors[o.Outlet] = append(descriptors[o.Outlet], d.Position+":"+d.Text)
		}
	}
	assert.Equal(t, []string{"after:administration", "before:Mayor"}, descriptors["Riverside Record"])
	assert.Equal(t, []string{"after:regime"}, descriptors["Harbour Herald"])
	assert.Equal(t, []string{"before:Mayor"}, descriptors["Civic Courier"])
	for _, x := range c.Entities {
		assert.NotEqual(t, "Critics", x.Name, "a word that only starts sentences is not a name")
		assert.NotContains(t, x.Name, "Votes", "headline lines are skipped")
	}

	summary := strings.Join(c.Summary, "\n")
	assert.Contains(t, summary, "Words for government: Civic Courier says “government”. Harbour Herald says “regime” (a loaded word). Riverside Record says “administration”.")
	assert.Contains(t, summary, "Words for Ruth Calloway: Civic Courier writes “Mayor”.")

	reversed := compareLabels([]ComparedArticle{articles[2], articles[0], articles[1]})
	assert.Equal(t, c, reversed, "input order does not matter")
}

func TestEntityDescriptors(t *testing.T) {
	a := testAnalyzer(t)
	d := mustLabels()
	tests := []struct {
		name string
		text string
		want []string // key [position:descriptor ...]
	}{
		{"title before a name", "Yesterday Mexican President Claudia Sheinbaum spoke.", []string{"claudia sheinbaum [before:Mexican President]"}},
		{"labelPossessive and lower-case role", "In the end Mexico's president Claudia Sheinbaum spoke.", []string{"mexico", "claudia sheinbaum [before:Mexico's president]"}},
		{"abbreviated title", "He met Ms. Sheinbaum and Gen. Ruiz.", []string{"sheinbaum [before:Ms]", "ruiz [before:Gen]"}},
		{"government noun after a hyphenated name", "He blamed the Biden-Harris regime’s policies.", []string{"biden harris [after:regime]"}},
		{"connectors inside names", "They named Tren de Aragua and the Department of Defense.", []string{"tren de aragua", "department of defense"}},
		{"modifiers", "Then former Prime Minister Tony Blair arrived.", []string{"tony blair [before:former Prime Minister]"}},
		{"a lone role is no name", "The President spoke.", nil},
		{"sentence starts", "Supporters say so. Officials agree. Rubio said it. Then Rubio left.", []string{"rubio", "rubio"}},
		{"single letters are not names", "The U.S. acted.", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := a.Analyze(Document{Text: tt.text})
			var got []string
			for _, m := range d.entityMentions(tt.text, tokenize(tt.text, nil), r.Sentences, r.Findings) {
				s := m.key
				var ds []string
				for _, du := range m.descriptors {
					ds = append(ds, du.position+":"+du.text)
					assert.Equal(t, du.text, tt.text[du.span.Start:du.span.End])
				}
				if len(ds) > 0 {
					s += " [" + strings.Join(ds, " ") + "]"
				}
				got = append(got, s)
			}
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestIsDemonymLike(t *testing.T) {
	for _, w := range []string{"mexican", "chinese", "british", "canadian", "korean"} {
		assert.True(t, labelDemonymLike(w), w)
	}
	for _, w := range []string{"iran", "sheinbaum", "trump", "claudia sheinbaum", "ian", "fish"} {
		assert.False(t, labelDemonymLike(w), w)
	}
}

func TestCompareLabelsEdgeCases(t *testing.T) {
	empty := compareLabels(nil)
	assert.Equal(t, []ConceptLabels{}, empty.Concepts)
	assert.Equal(t, []EntityLabels{}, empty.Entities)
	assert.Equal(t, []string{}, empty.Summary)

	a := testAnalyzer(t)
	one := compareLabels([]ComparedArticle{{Outlet: "Solo", Text: "The regime fell.", Report: a.Analyze(Document{Text: "The regime fell."})}})
	assert.Empty(t, one.Concepts, "a concept needs two outlets to compare")
}

// TestSeedLabels checks the label difference the seeds show: outlet B
// calls an administration a "regime" (flagged by the lexicon), which
// outlet A never does.
func TestSeedLabels(t *testing.T) {
	a := builtinTestAnalyzer(t)
	articles := []ComparedArticle{
		{ArticleID: 1, Outlet: "A", Title: "Trump order to target cartels faces Mexican pushback", Text: readSeed(t, "outlet-a_t4k3-news.txt")},
		{ArticleID: 2, Outlet: "B", Title: "Mexico’s President Draws Red Line: US Kinetic Operations Against Drug Cartels Not Welcome On Her Soil", Text: readSeed(t, "outlet-b_newszed.txt")},
	}
	for i := range articles {
		articles[i].Report = a.Analyze(Document{Title: articles[i].Title, Text: articles[i].Text})
	}
	c := compareLabels(articles)
	for _, line := range c.Summary {
		t.Log(line)
	}
	gov, ok := conceptNamed(c, "government")
	require.True(t, ok, "both outlets name a government")
	assert.True(t, gov.Differs)
	assert.True(t, gov.Loaded)
	assert.Contains(t, gov.Distinct, DistinctLabel{Label: "regime", Outlets: []string{"B"}, Loaded: true})
	assert.NotContains(t, strings.Join(labelsOf(gov, "A"), " "), "regime")
	t.Logf("government: A %v, B %v", labelsOf(gov, "A"), labelsOf(gov, "B"))

	action, ok := conceptNamed(c, "military action")
	require.True(t, ok)
	var kinetic *DistinctLabel
	for i, dl := range action.Distinct {
		if dl.Label == "kinetic operations" {
			kinetic = &action.Distinct[i]
		}
	}
	require.NotNil(t, kinetic, "only B calls it “kinetic operations”")
	assert.Equal(t, []string{"B"}, kinetic.Outlets)
	assert.True(t, kinetic.Loaded, "the lexicon flags the euphemism")

	var sheinbaum *EntityLabels
	for i, e := range c.Entities {
		if strings.Contains(e.Name, "Sheinbaum") {
			sheinbaum = &c.Entities[i]
		}
	}
	require.NotNil(t, sheinbaum, "both outlets describe Sheinbaum")
	assert.Equal(t, "Claudia Sheinbaum", sheinbaum.Name)
	assert.False(t, sheinbaum.Differs, "“Mexico's president” and “Mexican President” name the same office")
}

func BenchmarkCompareLabels(b *testing.B) {
	articles := sixOutletEvent(b)
	b.ReportAllocs()
	for b.Loop() {
		compareLabels(articles)
	}
}

// BenchmarkCompareDeeper times the three comparisons of this file set
// together on six 1,000-word articles; the whole comparison has 50 ms.
func BenchmarkCompareDeeper(b *testing.B) {
	articles := sixOutletEvent(b)
	b.ReportAllocs()
	for b.Loop() {
		compareFrames(articles)
		compareLabels(articles)
		compareTone(articles)
	}
}
