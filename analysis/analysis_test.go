package analysis

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testLexicon loads the small lexicon in testdata/lexicon, whose entries
// the table tests below rely on.
func testLexicon(t testing.TB) *Lexicon {
	t.Helper()
	paths, err := filepath.Glob("testdata/lexicon/*.yaml")
	require.NoError(t, err)
	var files []LexiconFile
	for _, p := range paths {
		data, err := os.ReadFile(p)
		require.NoError(t, err)
		files = append(files, LexiconFile{Name: filepath.Base(p), Data: data})
	}
	lex, err := ParseLexicon(files)
	require.NoError(t, err)
	return lex
}

func testAnalyzer(t testing.TB) *Analyzer {
	t.Helper()
	a, err := NewAnalyzer(testLexicon(t))
	require.NoError(t, err)
	return a
}

func TestTokenize(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string // folded forms
	}{
		{"plain", "The cat sat.", []string{"the", "cat", "sat"}},
		{"hyphen splits", "crime-ridden streets", []string{"crime", "ridden", "streets"}},
		{"straight apostrophe kept", "don't stop", []string{"don't", "stop"}},
		{"curly apostrophe normalised", "Trump’s order", []string{"trump's", "order"}},
		{"trailing apostrophe dropped", "the students' books", []string{"the", "students", "books"}},
		{"accents", "Mérida Initiative", []string{"mérida", "initiative"}},
		{"digits", "100,000 lives in 2025", []string{"100", "000", "lives", "in", "2025"}},
		{"emoji and CJK", "🙂 东京 ok", []string{"东京", "ok"}},
		{"empty", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, tok := range tokenize(tt.text, nil) {
				got = append(got, tok.fold)
			}
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestTokenizeOffsetsPointAtTheOriginalText(t *testing.T) {
	text := "“Crime-ridden” HELLHOLES, they’re called — café."
	for _, tok := range tokenize(text, nil) {
		assert.Equal(t, foldWord(text[tok.start:tok.end]), tok.fold)
	}
}

func TestFindQuotes(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string
	}{
		{"straight", `He said "no way" and left.`, []string{`"no way"`}},
		{"curly", "She said “there will be none.” Then she left.", []string{"“there will be none.”"}},
		{"across sentences", "“One. Two. Three,” he said.", []string{"“One. Two. Three,”"}},
		{"guillemets", "Il a dit «non».", []string{"«non»"}},
		{"single curly", "He called it ‘a farce’ today.", []string{"‘a farce’"}},
		{"apostrophes are not quotes", "It’s the students’ turn, don’t worry.", nil},
		{"two quotes", `"a" and "b"`, []string{`"a"`, `"b"`}},
		{"unclosed ends at paragraph", "He said \"this never ends\n\nNext paragraph.", []string{"\"this never ends"}},
		{"paragraph continuation", "“First part.\n\n“Second part,” she said.", []string{"“First part.\n\n“Second part,”"}},
		{"unclosed at end", `He said "unfinished`, []string{`"unfinished`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, s := range findQuotes(tt.text) {
				got = append(got, tt.text[s.Start:s.End])
			}
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestMatcher(t *testing.T) {
	a := testAnalyzer(t)
	tests := []struct {
		name    string
		text    string
		want    []string // term matched, in order
		inQuote []bool
	}{
		{"stem matches plural", "Those hellholes again.", []string{"hellhole"}, []bool{false}},
		{"case-insensitive", "HELLHOLE", []string{"hellhole"}, []bool{false}},
		{"multi-word also form", "a hell hole", []string{"hellhole"}, []bool{false}},
		{"longest wins", "crime-ridden hellholes", []string{"crime-ridden hellhole"}, []bool{false}},
		{"hyphen or space", "crime ridden hellhole", []string{"crime-ridden hellhole"}, []bool{false}},
		{"plural phrase", "open-borders policy and open borders", []string{"open border", "open border"}, []bool{false, false}},
		{"punctuation breaks a phrase", "crime, ridden hellhole", []string{"hellhole"}, []bool{false}},
		{"exception wins", "the sanctions regime and the regime", []string{"regime"}, []bool{false}},
		{"exact does not stem", "a claim; he claimed; she claims", []string{"claimed", "claimed"}, []bool{false, false}},
		{"stemmed verb forms", "slams, slammed, slamming", []string{"slam", "slam", "slam"}, []bool{false, false, false}},
		{"phrase", "For some reason, nobody asked.", []string{"for some reason"}, []bool{false}},
		{"in quote", `He called it "a hellhole" twice.`, []string{"hellhole"}, []bool{true}},
		{"curly apostrophe in text", "the regime’s plan", []string{"regime"}, []bool{false}},
		{"no match", "The council met on Tuesday.", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := a.Analyze(Document{Text: tt.text})
			var got []string
			var quoted []bool
			for _, f := range r.Findings {
				got = append(got, f.Term)
				quoted = append(quoted, f.InQuote)
				assert.Equal(t, tt.text[f.Start:f.End], f.Text)
				assert.NotEmpty(t, f.Reason)
			}
			assert.Equal(t, tt.want, got)
			assert.Equal(t, tt.inQuote, quoted)
		})
	}
}

func TestParseLexiconRejectsBadFiles(t *testing.T) {
	valid := "category: c\nlabel: C\ndescription: d\nseverity: 2\nsource: project\nentries:\n  - term: foo\n    alternatives: [bar]\n    reason: r\n"
	tests := []struct {
		name  string
		files []LexiconFile
		want  string
	}{
		{"unknown key names file and line", []LexiconFile{{"c.yaml", []byte(valid + "    colour: red\n")}}, "c.yaml: yaml: unmarshal errors:\n  line 10"},
		{"missing reason", []LexiconFile{{"c.yaml", []byte(strings.Replace(valid, "    reason: r\n", "", 1))}}, "reason is missing"},
		{"bad severity", []LexiconFile{{"c.yaml", []byte(strings.Replace(valid, "severity: 2", "severity: 5", 1))}}, "severity 5"},
		{"empty file", []LexiconFile{{"c.yaml", nil}}, "c.yaml: file is empty"},
		{"duplicate category", []LexiconFile{{"a.yaml", []byte(valid)}, {"b.yaml", []byte(valid)}}, `category "c" already defined in a.yaml`},
		{"duplicate term across stems", []LexiconFile{{"a.yaml", []byte(valid + "  - term: foos\n    alternatives: []\n    reason: r\n")}}, `matches the same words as "foo"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseLexicon(tt.files)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

func TestLexiconVersionFollowsContent(t *testing.T) {
	base := "category: c\nlabel: C\ndescription: d\nseverity: 2\nsource: project\nentries:\n  - term: foo\n    alternatives: [bar]\n    reason: r\n"
	a, err := ParseLexicon([]LexiconFile{{"c.yaml", []byte(base)}})
	require.NoError(t, err)
	b, err := ParseLexicon([]LexiconFile{{"c.yaml", []byte(base)}})
	require.NoError(t, err)
	c, err := ParseLexicon([]LexiconFile{{"c.yaml", []byte(strings.Replace(base, "reason: r", "reason: s", 1))}})
	require.NoError(t, err)
	assert.Equal(t, a.Version(), b.Version())
	assert.NotEqual(t, a.Version(), c.Version())
}

func TestScoresCountOwnVoiceAndQuotesApart(t *testing.T) {
	a := testAnalyzer(t)
	text := `The regime slammed critics. "This hellhole is ours," one said.`
	r := a.Analyze(Document{Text: text})
	s := r.Scores
	assert.Equal(t, 10, s.Words)
	assert.Equal(t, 4, s.QuotedWords)
	assert.Equal(t, 6, s.OwnWords)
	assert.Equal(t, 2, s.OwnFindings) // regime (3) + slammed (1)
	assert.Equal(t, 4, s.OwnWeight)
	assert.Equal(t, 1, s.QuotedFindings)
	assert.InDelta(t, 666.67, s.LoadedIndex, 0.001) // weight 4 per 6 own words
	assert.InDelta(t, 750.0, s.QuotedIndex, 0.001)  // weight 3 per 4 quoted words
	assert.Equal(t, map[string]int{"labels": 1, "verbs": 1}, s.Categories)
	require.Len(t, r.Sentences, 2)
	assert.True(t, r.Sentences[0].Biased)
	assert.Equal(t, []int{0, 1}, r.Sentences[0].Findings)
	assert.InDelta(t, 1-(1-0.75)*(1-0.25), r.Sentences[0].Score, 0.001)
	assert.False(t, r.Sentences[1].Biased, "a strong word inside a quotation alone does not make the outlet's sentence biased")
}

func TestSentencesBreakAtLines(t *testing.T) {
	a := testAnalyzer(t)
	text := "Headline Without Full Stop\nFirst sentence here. Mr. Smith said so.\n\n  Last one"
	var got []string
	for _, s := range a.Analyze(Document{Text: text}).Sentences {
		got = append(got, text[s.Start:s.End])
	}
	assert.Equal(t, []string{"Headline Without Full Stop", "First sentence here.", "Mr. Smith said so.", "Last one"}, got)
}

func TestTitleFindingsCountIntoTitle(t *testing.T) {
	a := testAnalyzer(t)
	r := a.Analyze(Document{Title: "Regime slams critics", Text: "Nothing here."})
	require.Len(t, r.TitleFindings, 2)
	assert.Equal(t, "Regime", r.TitleFindings[0].Text)
	assert.Empty(t, r.Findings)
	assert.Zero(t, r.Scores.LoadedIndex)
}

func TestOverlay(t *testing.T) {
	base := testLexicon(t)
	a, err := NewAnalyzer(base)
	require.NoError(t, err)
	text := "The regime slammed critics."
	before := a.Analyze(Document{Text: text})
	require.Len(t, before.Findings, 2)

	overlay := []byte("description: test\nthreshold: 0.6\nentries:\n  - {category: labels, term: regime, severity: 1}\n  - {category: verbs, term: slam, severity: 0}\n")
	lex, err := base.WithOverlay("o.yaml", overlay)
	require.NoError(t, err)
	assert.Equal(t, 0.6, lex.Threshold())
	assert.True(t, strings.HasPrefix(lex.Version(), base.Version()+"+overlay:"), lex.Version())
	b, err := NewAnalyzer(lex)
	require.NoError(t, err)
	after := b.Analyze(Document{Text: text})
	require.Len(t, after.Findings, 1, "severity 0 switches slam off")
	assert.Equal(t, 1, after.Findings[0].Severity)
	// The overlay's threshold is the word lists'; the sentence model keeps
	// its own.
	v := after.Sentences[0]
	assert.Equal(t, v.ModelScore >= b.SentenceModel().Threshold(), v.Biased, "0.25 is under the overlay's threshold of 0.6: only the model can mark it")
	assert.Len(t, a.Analyze(Document{Text: text}).Findings, 2, "the base lexicon is unchanged")

	encoded, err := MarshalOverlay(Overlay{Description: "round trip", Threshold: 0.4, Entries: []OverlayEntry{{Category: "labels", Term: "regime", Severity: 2}}})
	require.NoError(t, err)
	_, err = base.WithOverlay("rt.yaml", encoded)
	require.NoError(t, err)

	for _, bad := range []struct{ data, want string }{
		{"entries:\n  - {category: labels, term: nope, severity: 1}\n", `no term "nope" in category labels`},
		{"entries:\n  - {category: nope, term: regime, severity: 1}\n", `no category "nope"`},
		{"colour: red\n", "line 1"},
		{"threshold: 2\n", "threshold 2 is outside"},
		{"entries:\n  - {category: labels, term: regime, severity: 7}\n", "severity 7"},
	} {
		_, err := base.WithOverlay("bad.yaml", []byte(bad.data))
		require.Error(t, err, bad.data)
		assert.Contains(t, err.Error(), bad.want)
		assert.Contains(t, err.Error(), "bad.yaml")
	}
}

func TestWithCustom(t *testing.T) {
	base := testLexicon(t)
	custom := []CustomEntry{
		{Category: "labels", Term: "Flophouse", Alternatives: []string{"shelter"}, Reason: "Sneers at a shelter."},
		{Category: "verbs", Term: "regime", Reason: "Our class files it under verbs, at severity 1.", Severity: 1, Override: true},
	}

	// A term the built-in lexicon has is a collision, named, unless the
	// class says to override it.
	plain := custom[1]
	plain.Override = false
	_, err := base.WithCustom([]CustomEntry{plain})
	var collision *CollisionError
	require.ErrorAs(t, err, &collision)
	assert.Equal(t, "regime", collision.Entry.Term)
	assert.Equal(t, "labels", collision.Category)
	assert.Equal(t, 3, collision.Entry.Severity)
	assert.NotEmpty(t, collision.Entry.Reason)
	assert.Contains(t, err.Error(), `"regime" is already in the built-in lexicon as "regime" (labels, severity 3: `)
	for _, tt := range []struct {
		entry CustomEntry
		want  string // the built-in term it collides with, "" for none
	}{
		{CustomEntry{Category: "verbs", Term: "Regimes", Reason: "r"}, "regime"},
		{CustomEntry{Category: "verbs", Term: "dictators", Also: []string{"the regimes"}, Reason: "r"}, ""},
		{CustomEntry{Category: "verbs", Term: "autocrats", Also: []string{"regime"}, Reason: "r"}, "regime"},
		{CustomEntry{Category: "verbs", Term: "flophouse", Reason: "r"}, ""},
	} {
		got := base.Collisions(tt.entry)
		if tt.want == "" {
			assert.Empty(t, got, tt.entry.Term)
			continue
		}
		require.Len(t, got, 1, tt.entry.Term)
		assert.Equal(t, tt.want, got[0].Entry.Term)
	}

	lex, err := base.WithCustom(custom)
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(lex.Version(), base.Version()+"+custom:"), lex.Version())
	a, err := NewAnalyzer(lex)
	require.NoError(t, err)
	r := a.Analyze(Document{Text: "The regime opened a flophouse."})
	require.Len(t, r.Findings, 2)
	assert.Equal(t, "verbs", r.Findings[0].Category, "a custom entry replaces the built-in entry with the same term")
	assert.Equal(t, 1, r.Findings[0].Severity)
	assert.Equal(t, "flophouse", r.Findings[1].Term)
	assert.Equal(t, 3, r.Findings[1].Severity, "severity 0 takes the category's")
	assert.True(t, r.Findings[0].Custom && r.Findings[1].Custom, "the class's own terms are marked")
	builtin, err := NewAnalyzer(base)
	require.NoError(t, err)
	for _, f := range builtin.Analyze(Document{Text: "The regime opened a flophouse."}).Findings {
		assert.False(t, f.Custom, "%s is a built-in term", f.Term)
	}

	same, err := base.WithCustom(custom)
	require.NoError(t, err)
	assert.Equal(t, lex.Version(), same.Version())
	unchanged, err := base.WithCustom(nil)
	require.NoError(t, err)
	assert.Equal(t, base.Version(), unchanged.Version())

	for _, bad := range []struct {
		entry CustomEntry
		want  string
	}{
		{CustomEntry{Category: "nope", Term: "x", Reason: "r"}, `no category "nope"`},
		{CustomEntry{Category: "labels", Term: "  ", Reason: "r"}, "term is missing"},
		{CustomEntry{Category: "labels", Term: "x"}, "reason is missing"},
		{CustomEntry{Category: "labels", Term: "x", Reason: "r", Severity: 4}, "severity 4"},
		{CustomEntry{Category: "labels", Term: "slams", Reason: "r"}, `"slams" is already in the built-in lexicon as "slam"`},
	} {
		_, err := base.WithCustom([]CustomEntry{bad.entry})
		require.Error(t, err, bad.entry.Term)
		assert.Contains(t, err.Error(), bad.want)
	}
	// Two class entries that match the same words cannot both stand.
	_, err = base.WithCustom([]CustomEntry{
		{Category: "labels", Term: "doom pile", Reason: "r"},
		{Category: "verbs", Term: "doom piles", Reason: "r"},
	})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "matches the same words")
}
