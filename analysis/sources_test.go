package analysis

import (
	"fmt"
	"strings"
	"testing"
	"unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sourcesOf runs the whole analysis on text and returns its source profile.
func sourcesOf(t *testing.T, a *Analyzer, text string) SourceProfile {
	t.Helper()
	return a.Analyze(Document{Text: text}).Sources
}

// describeAttribution writes an attribution as "mode source-type speaker-name verb
// grade", for compact table tests.
func describeAttribution(p SourceProfile, at Attribution) string {
	name := "-"
	for _, s := range p.Speakers {
		if s.ID == at.Speaker {
			name = s.Name
		}
	}
	verb := at.Verb
	if verb == "" {
		verb = "-"
	}
	return fmt.Sprintf("%s %s %s %s %s", at.Mode, at.SourceType, name, verb, at.Grade)
}

func describeAttributions(p SourceProfile) []string {
	out := []string{}
	for _, at := range p.Attributions {
		out = append(out, describeAttribution(p, at))
	}
	return out
}

func TestSpeakerPatterns(t *testing.T) {
	a := testAnalyzer(t)
	tests := []struct {
		name string
		text string
		want []string
		role string // the first speaker's role, when checked
	}{
		{"X said", "Rocha said the plan would fail.",
			[]string{"indirect named Rocha said neutral"}, ""},
		{"said X after a quotation", "“We will win,” said Maria Lopez.",
			[]string{"direct named Maria Lopez said neutral"}, ""},
		{"said X, the Y", "“Enough,” said Walter Prynne, chair of the association.",
			[]string{"direct named Walter Prynne said neutral"}, "chair of the association"},
		{"X, the Y, said", "Maria Lopez, the city's mayor, said the vote was fair.",
			[]string{"indirect named Maria Lopez said neutral"}, "the city's mayor"},
		{"X, who ..., said", "Arturo Rocha, who resigned last year from the ministry, said the order was unwise.",
			[]string{"indirect named Arturo Rocha said neutral"}, "who resigned last year from the ministry"},
		{"title before the name", "Mexican President Claudia Sheinbaum told reporters the answer was no.",
			[]string{"indirect named Claudia Sheinbaum told neutral"}, "Mexican President"},
		{"X of Y", "economist Samuel Breck of Halvern College told the council the cost was normal.",
			[]string{"indirect named Samuel Breck told neutral"}, "economist of Halvern College"},
		{"according to X", "The plan will fail, according to John Smith.",
			[]string{"indirect named John Smith according to neutral"}, ""},
		{"quotation, X added", "“This has always been our fear,” Rocha added.",
			[]string{"direct named Rocha added neutral"}, ""},
		{"X said, quotation", "Sheinbaum said, “There will be no invasion.”",
			[]string{"direct named Sheinbaum said neutral"}, ""},
		{"pronoun before a quotation", "Claudia Sheinbaum spoke first. She emphasized, “It is not part of any agreement.”",
			[]string{"direct named Claudia Sheinbaum emphasized neutral"}, ""},
		{"pronoun after a quotation", "Greta Hollis runs a bakery on the square. “It's a nightmare,” she said.",
			[]string{"direct named Greta Hollis said neutral"}, ""},
		{"surname and honorific later", "Mayor Ruth Calloway said the plan was sound. Later, Ms. Calloway said it would pass.",
			[]string{"indirect named Ruth Calloway said neutral", "indirect named Ruth Calloway said neutral"}, "Mayor"},
		{"participle", "Mexico's president Claudia Sheinbaum rejected the idea, saying troops would not enter.",
			[]string{"indirect named Claudia Sheinbaum saying neutral"}, "Mexico's president"},
		{"quotation going on in the paragraph", "“We are spending reserve money,” he said. “We have no plan.” Councillor Marcus Fenwick said so twice.",
			[]string{"direct unknown - said neutral", "direct unknown - - none", "indirect named Marcus Fenwick said neutral"}, ""},
		{"continuation", "Rocha spoke to us. “It would have major implications,” Rocha added. “Our sovereignty is a redline.”",
			[]string{"direct named Rocha added neutral", "direct named Rocha - none"}, ""},
		{"caption under a quotation", "Officials met on Monday.\n\"This to me is the next logical step.\"\nJack Riley on expanding tools against cartels\n",
			[]string{"direct named Jack Riley - none"}, ""},
		{"caption with a verb", "\"It would have very serious consequences.\"\nFarfan-Mendez warns of potential backlash\n",
			[]string{"direct named Farfan-Mendez warns neutral"}, ""},
		{"relayed report", "Following a New York Times report that the order was signed, officials met. Here is more from NYT’s report: the talks stalled.",
			[]string{"indirect named New York Times report neutral", "indirect named New York Times report neutral"}, ""},
		{"reported speech inside reported speech", "Smith said officials had told her the plan was dead.",
			[]string{"indirect named Smith said neutral"}, ""},
		{"partial quotation inside a clause", "Ms. Sheinbaum said officials had told her that the directive “was coming,” three people familiar with the matter said.",
			[]string{"indirect anonymous - said neutral", "direct named Sheinbaum said neutral"}, ""},
		{"they after an anonymous source", "Officials said the road would close. They added that it would reopen in May.",
			[]string{"indirect anonymous - said neutral", "indirect anonymous - added neutral"}, ""},
		{"they with nobody to refer to", "The talks ended. They said nothing.", []string{}, ""},
		{"a participle sharing a they with nobody to refer to", "The talks ended. They said nothing, adding that the vote was close.", []string{}, ""},
		{"not a verb of saying: a noun", "The crisis claims more than 100,000 lives each year.", []string{}, ""},
		{"not a verb of saying: a name", "The United States will act. LEAVE A REPLY", []string{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := sourcesOf(t, a, tt.text)
			assert.Equal(t, tt.want, describeAttributions(p), "attributions of %q", tt.text)
			if tt.role != "" && assert.NotEmpty(t, p.Speakers) {
				assert.Equal(t, tt.role, p.Speakers[0].Role)
			}
			checkSourceProfile(t, tt.text, p)
		})
	}
}

func TestSourceTypes(t *testing.T) {
	a := testAnalyzer(t)
	tests := []struct {
		text   string
		source string // the wanted source type of the one attribution
		words  string // the words naming the source
	}{
		{"Three people familiar with the matter said the talks had stalled.", SourceAnonymous, "Three people familiar with the matter"},
		{"Officials said the road would close.", SourceAnonymous, "Officials"},
		{"Mexican officials claim they had no warning.", SourceAnonymous, "Mexican officials"},
		{"A senior official, who spoke on condition of anonymity, said the deal was off.", SourceAnonymous, "A senior official"},
		{"The deal is off, according to people familiar with the plans.", SourceAnonymous, "people familiar with the plans"},
		{"Mexico could pull back its cooperation, those people said.", SourceAnonymous, "those people"},
		{"Critics warn the plan could backfire.", SourceGroup, "Critics"},
		{"Supporters say the move will help.", SourceGroup, "Supporters"},
		{"Analysts note that the shift is large.", SourceGroup, "Analysts"},
		{"Many residents believe the river will flood.", SourceGroup, "Many residents"},
		{"Some believe the vote was rigged.", SourceUnattributed, "Some"},
		{"It amounts to what some believe is hybrid warfare.", SourceUnattributed, "some"},
		{"Reports say a secret order exists.", SourceUnattributed, "Reports"},
		{"It is widely thought that the mayor will resign.", SourceUnattributed, "It is widely thought"},
		{"The mayor reportedly plans to resign.", SourceUnattributed, ""},
		{"People say the bridge is unsafe.", SourceUnattributed, "People"},
		{"City staff told the council that beds were ready.", SourceInstitution, "City staff"},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			p := sourcesOf(t, a, tt.text)
			require.Len(t, p.Attributions, 1, "%v", describeAttributions(p))
			at := p.Attributions[0]
			assert.Equal(t, tt.source, at.SourceType)
			assert.Equal(t, tt.words, at.Source)
			switch tt.source {
			case SourceAnonymous:
				assert.Equal(t, 1, p.AnonymousSources)
			case SourceGroup:
				assert.Equal(t, 1, p.GroupAttributions)
			case SourceUnattributed:
				assert.Equal(t, 1, p.UnattributedClaims)
			}
			assert.Zero(t, p.NamedSources)
			checkSourceProfile(t, tt.text, p)
		})
	}
}

func TestVerbGrades(t *testing.T) {
	a := testAnalyzer(t)
	tests := []struct {
		verb   string
		loaded bool
	}{
		{"said", false}, {"told reporters", false}, {"added", false}, {"noted", false}, {"explained", false},
		{"claimed", true}, {"admitted", true}, {"insisted", true}, {"conceded", true},
		{"boasted", true}, {"alleged", true}, {"revealed", true}, {"slammed", true},
	}
	for _, tt := range tests {
		t.Run(tt.verb, func(t *testing.T) {
			p := sourcesOf(t, a, "Councillor Jane Okafor "+tt.verb+" that the budget was wrong.")
			require.Len(t, p.Attributions, 1, "%v", describeAttributions(p))
			at := p.Attributions[0]
			assert.Equal(t, strings.Fields(tt.verb)[0], at.Verb)
			if tt.loaded {
				assert.Equal(t, GradeLoaded, at.Grade)
				assert.NotEmpty(t, at.Reason, "a loaded verb needs a reason")
				assert.Equal(t, 1, p.LoadedVerbs)
				assert.Equal(t, []string{at.Verb}, p.Speakers[0].LoadedVerbs)
			} else {
				assert.Equal(t, GradeNeutral, at.Grade)
				assert.Empty(t, at.Reason)
				assert.Zero(t, p.LoadedVerbs)
			}
		})
	}
	// Every loaded verb in the table carries a reason.
	for _, v := range sayVerbs {
		if v.verb.loaded {
			assert.NotEmpty(t, v.verb.reason, v.verb.lemma)
		}
	}
}

func TestSourceCounts(t *testing.T) {
	a := testAnalyzer(t)
	text := "Mayor Ruth Calloway said the plan was sound. “It gives people a bed,” she said. " +
		"Critics warn it could fail. Officials said the money was there. Some believe it is too late."
	p := sourcesOf(t, a, text)
	require.Len(t, p.Speakers, 1)
	s := p.Speakers[0]
	assert.Equal(t, "ruth-calloway", s.ID)
	assert.Equal(t, "Ruth Calloway", s.Name)
	assert.Equal(t, KindPerson, s.Kind)
	assert.Equal(t, 1, s.Quotes)
	assert.Equal(t, 1, s.Paraphrases)
	assert.Equal(t, 5, s.QuotedWords)
	assert.Equal(t, []string{"said"}, s.Verbs)
	assert.Equal(t, []string{"she"}, s.Aliases)
	assert.Equal(t, 1, p.NamedSources)
	assert.Equal(t, 1, p.DirectQuotes)
	assert.Equal(t, 1, p.Paraphrases)
	assert.Equal(t, 1, p.AnonymousSources)
	assert.Equal(t, 1, p.GroupAttributions)
	assert.Equal(t, 1, p.UnattributedClaims)
	assert.Equal(t, 5, p.QuotedWords)
	assert.InDelta(t, float64(p.QuotedWords)/float64(p.Words), p.QuotedShare, 0.001)
	checkSourceProfile(t, text, p)

	empty := sourcesOf(t, a, "")
	assert.NotNil(t, empty.Speakers)
	assert.NotNil(t, empty.Attributions)
}

func TestCompareSources(t *testing.T) {
	a := testAnalyzer(t)
	articles := []ComparedArticle{
		{ArticleID: 1, Outlet: "Plain Post", Text: "Mexican President Claudia Sheinbaum said there would be no invasion. Jack Riley said it was the next step."},
		{ArticleID: 2, Outlet: "Loud Ledger", Text: "“No invasion,” Sheinbaum insisted. Three people familiar with the matter said talks had stalled. Arturo Rocha said Mexico was afraid."},
	}
	for i := range articles {
		articles[i].Report = a.Analyze(Document{Text: articles[i].Text})
	}
	c := compareSources(articles, nil)
	require.Len(t, c.Outlets, 2)
	assert.Equal(t, "Loud Ledger", c.Outlets[0].Outlet, "outlets in name order")
	assert.Equal(t, []string{"claudia-sheinbaum"}, c.Shared)
	require.NotEmpty(t, c.Speakers)
	sh := c.Speakers[0]
	assert.Equal(t, "Claudia Sheinbaum", sh.Name)
	assert.Equal(t, []string{"Loud Ledger", "Plain Post"}, sh.Outlets)
	require.Len(t, sh.Uses, 2)
	assert.Equal(t, []string{"insisted"}, sh.Uses[0].LoadedVerbs)
	assert.Equal(t, "Mexican President", sh.Uses[1].Role)
	assert.Equal(t, []string{"arturo-rocha"}, c.Outlets[0].Unique)
	assert.Equal(t, []string{"jack-riley"}, c.Outlets[1].Unique)
	assert.Equal(t, 1, c.Outlets[0].AnonymousSources)
	assert.Equal(t, "More than one outlet quotes Claudia Sheinbaum.", c.Summary[0])
	assert.Equal(t, "Only Loud Ledger quotes or cites Arturo Rocha. It cites unnamed sources once. "+
		"It uses 1 loaded verb of saying (words like “bragged” in place of “said”).", c.Summary[1])

	// The input order does not matter.
	assert.Equal(t, c, compareSources([]ComparedArticle{articles[1], articles[0]}, nil))
	assert.NotNil(t, compareSources(nil, nil).Outlets)
}

func TestSourceSummaryWords(t *testing.T) {
	assert.Equal(t, "A", namesAndMore([]string{"A"}, 3))
	assert.Equal(t, "A, B and C", namesAndMore([]string{"A", "B", "C"}, 3))
	assert.Equal(t, "A, B, C and 1 other", namesAndMore([]string{"A", "B", "C", "D"}, 3))
	assert.Equal(t, "A, B, C and 2 others", namesAndMore([]string{"A", "B", "C", "D", "E"}, 3))
	assert.Equal(t, []string{"once", "twice", "3 times"}, []string{times(1), times(2), times(3)})
	lines := summarizeSources(SourceComparison{Outlets: []OutletSources{{Outlet: "the Post", GroupAttributions: 2, UnattributedClaims: 1}}})
	assert.Equal(t, []string{"The Post puts 2 views on a whole group, not a named person. It makes 1 claim without saying who says so."}, lines,
		"the first sentence starts with a capital")
}

// checkSourceProfile checks the invariants of a profile: offsets inside
// the text on rune boundaries, attributions sorted, references resolved.
func checkSourceProfile(t *testing.T, text string, p SourceProfile) {
	t.Helper()
	require.NotNil(t, p.Speakers)
	require.NotNil(t, p.Attributions)
	ids := map[string]bool{}
	for _, s := range p.Speakers {
		if ids[s.ID] || s.ID == "" {
			t.Fatalf("speaker id %q empty or repeated", s.ID)
		}
		ids[s.ID] = true
		if s.Roles == nil || s.Aliases == nil || s.Verbs == nil || s.LoadedVerbs == nil {
			t.Fatalf("speaker %q has a nil list", s.ID)
		}
	}
	prev := Attribution{Start: -1}
	for i, at := range p.Attributions {
		checkSpan(t, text, Span{at.Start, at.End}, "attribution")
		if at.SourceSpan != (Span{}) {
			checkSpan(t, text, at.SourceSpan, "attribution source")
			if text[at.SourceSpan.Start:at.SourceSpan.End] != at.Source {
				t.Fatalf("attribution %d: source %q does not match its span", i, at.Source)
			}
		}
		if at.VerbSpan != (Span{}) {
			checkSpan(t, text, at.VerbSpan, "attribution verb")
		}
		if at.Start < prev.Start || at.Start == prev.Start && at.End < prev.End {
			t.Fatalf("attribution %d at %d is out of order", i, at.Start)
		}
		prev = at
		if at.Speaker != "" && !ids[at.Speaker] {
			t.Fatalf("attribution %d names unknown speaker %q", i, at.Speaker)
		}
		if at.Grade == GradeLoaded && at.Reason == "" {
			t.Fatalf("attribution %d: loaded verb %q without a reason", i, at.Verb)
		}
	}
}

// TestSourceScratchStartsClean: the source analysis reuses its buffers and
// maps from one analysis to the next, and one stopped by its context
// leaves them as they were. Whatever they hold, the next analysis reports
// what it would with new ones.
func TestSourceScratchStartsClean(t *testing.T) {
	a := testAnalyzer(t)
	text := "“We will not back down,” said Mayor Ana Ruiz, who leads the council. Ruiz added that the plan “works”. " +
		"Critics said it would fail. “It is a disaster,” said Tom Ruiz, a former aide."
	tokens := tokenize(text, a.stems)
	quotes := findQuotes(text)
	sentences := a.sentenceSpans(text)
	want := a.sources(text, tokens, quotes, sentences, nil, nil)
	require.NotEmpty(t, want.Speakers)

	stale := &srcEntity{kind: KindPerson, words: []string{"Ana", "Ruiz"}, surname: "ruiz", given: "ana", roles: []string{"stale role"}, first: -1}
	sc := &sourceScratch{
		index:     map[entityKey][]*srcEntity{{KindPerson, "ruiz"}: {stale}},
		filed:     map[filing]bool{{entityKey{KindPerson, "ruiz"}, stale}: true},
		startCand: map[int]int{0: 7, 3: 5, 9: 1},
	}
	for range 2 {
		assert.Equal(t, want, a.sources(text, tokens, quotes, sentences, sc, nil))
	}
}

func TestOnlySpaceAndPunct(t *testing.T) {
	spaceOrPunct := func(r rune) bool { return unicode.IsSpace(r) || unicode.IsPunct(r) }
	for _, s := range []string{"", " ", "\t\n", `""`, "”.", " — ", "$", "+", "a", " ,a", "\u00a0\u2019", "\xff", "“”«»", "~", "-- x"} {
		assert.Equal(t, strings.TrimFunc(s, spaceOrPunct) == "", onlySpaceAndPunct(s), "%q", s)
	}
	for c := 0; c < 256; c++ {
		s := string(rune(c))
		assert.Equal(t, strings.TrimFunc(s, spaceOrPunct) == "", onlySpaceAndPunct(s), "%q", s)
	}
}

// TestOrdinaryRolesNameTheSpeaker: a quotation's speaker introduced by the
// role an ordinary person has in the story ("said parent Maria Gomez") is
// named as one introduced by an office ("said mayor Tom Lee"), not left
// without a speaker.
func TestOrdinaryRolesNameTheSpeaker(t *testing.T) {
	a := testAnalyzer(t)
	tests := []struct{ text, speaker, source string }{
		{"\u201cWe need the shelter before winter,\u201d said parent Maria Gomez.", "maria-gomez", "parent Maria Gomez"},
		{"\u201cWe need the shelter before winter,\u201d said mayor Tom Lee.", "tom-lee", "mayor Tom Lee"},
		{"\u201cThe ward is full,\u201d said nurse Ann Marsh, 45.", "ann-marsh", "nurse Ann Marsh"},
		{"\u201cThe buses are late again,\u201d commuter Joe Sands said.", "joe-sands", "commuter Joe Sands"},
		{"\u201cThe river rose overnight,\u201d said resident Tom Lee, who lives nearby.", "tom-lee", "resident Tom Lee"},
	}
	for _, tt := range tests {
		r := a.Analyze(Document{Text: tt.text})
		require.Len(t, r.Sources.Attributions, 1, tt.text)
		got := r.Sources.Attributions[0]
		assert.Equal(t, "named", got.SourceType, tt.text)
		assert.Equal(t, tt.speaker, got.Speaker, tt.text)
		assert.Equal(t, tt.source, got.Source, tt.text)
	}
}

// TestVerbsOfNaming: a quotation naming the object of "called",
// "described … as", "labelled", "branded", "dubbed" or "termed" is the
// words of the verb's subject; the same verbs without a quotation after
// their object, in the passive or as another verb ("called for a vote")
// attribute nothing.
func TestVerbsOfNaming(t *testing.T) {
	a := testAnalyzer(t)
	tests := []struct {
		name  string
		text  string
		want  []string
		lemma string // the first attribution's lemma, when checked
	}{
		{"called X “Y”", "Resident Tom Hale called the increase “daylight robbery”.",
			[]string{"direct named Tom Hale called neutral"}, "call"},
		{"calls, present tense", "Teacher Ana Ruiz calls the new timetable “a maze”.",
			[]string{"direct named Ana Ruiz calls neutral"}, "call"},
		{"described X as “Y”", "Councillor Dev Patel described the budget as “a patch on a leak”.",
			[]string{"direct named Dev Patel described neutral"}, "describe"},
		{"labelled", "The council labelled the offer “an insult”.",
			[]string{"direct institution council labelled neutral"}, "label"},
		{"labeled", "Senator Kim Ode labeled the bill “a blank cheque”.",
			[]string{"direct named Kim Ode labeled neutral"}, "label"},
		{"branded", "Opposition leader Sam Vale branded the plan “a fantasy” on Tuesday.",
			[]string{"direct named Sam Vale branded neutral"}, "brand"},
		{"dubbed", "Fans dubbed the striker “the Cat”.",
			[]string{"direct group - dubbed neutral"}, "dub"},
		{"termed", "Dr. Lena Fox termed the results “encouraging”.",
			[]string{"direct named Lena Fox termed neutral"}, "term"},
		{"long object", "Mayor Ruth Calloway called the nine percent rise in household water rates “fair”.",
			[]string{"direct named Ruth Calloway called neutral"}, "call"},
		{"pronoun subject", "Greta Hollis runs a bakery on the square. She called the parking plan “a disaster”.",
			[]string{"direct named Greta Hollis called neutral"}, "call"},
		{"participle", "Resident Tom Hale rejected the rise, calling it “daylight robbery”.",
			[]string{"direct named Tom Hale calling neutral"}, "call"},
		{"what X called", "The rise is what resident Tom Hale called “daylight robbery”.",
			[]string{"direct named Tom Hale called neutral"}, "call"},
		{"two quotations", "Councillor Dev Patel called the report “late” and “thin”.",
			[]string{"direct named Dev Patel called neutral", "direct named Dev Patel called neutral"}, "call"},
		{"no quotation: called to order", "Board chair Anita Rowe called the meeting to order.", []string{}, ""},
		{"no quotation: called for", "Board chair Anita Rowe called for a vote.", []string{}, ""},
		{"no quotation: called on", "Resident Tom Hale called on the council to think again.", []string{}, ""},
		{"called for, then a quotation", "Resident Tom Hale called for a “rethink”.",
			[]string{"direct unknown - - none"}, ""},
		{"no object: a name", "A company called “Aqua Pipes” won the contract.",
			[]string{"direct unknown - - none"}, ""},
		{"passive", "The council was branded “a disgrace” by residents.",
			[]string{"direct unknown - - none"}, ""},
		{"passive of describe", "The board was described as “secretive”.",
			[]string{"direct unknown - - none"}, ""},
		{"quotation after another clause", "Resident Tom Hale called the meeting and the council said “it went well”.",
			[]string{"direct institution council said neutral"}, "say"},
		{"so-called", "The so-called “reform” passed.",
			[]string{"direct unknown - - none"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := sourcesOf(t, a, tt.text)
			assert.Equal(t, tt.want, describeAttributions(p), "attributions of %q", tt.text)
			if tt.lemma != "" && assert.NotEmpty(t, p.Attributions) {
				assert.Equal(t, tt.lemma, p.Attributions[0].Lemma)
			}
			checkSourceProfile(t, tt.text, p)
		})
	}
}

// TestCoordinatedVerbs: "X called … “…” and said <clause>" puts the clause
// to X as "X said <clause>" would; the quotation stays X's.
func TestCoordinatedVerbs(t *testing.T) {
	a := testAnalyzer(t)
	tests := []struct {
		name string
		text string
		want []string
	}{
		{"called … and said", "Resident Tom Hale called the increase “daylight robbery” and said families could not afford it.",
			[]string{"indirect named Tom Hale said neutral", "direct named Tom Hale called neutral"}},
		{"said “…” and added", "Mayor Ruth Calloway said the plan was “sound” and added that it would pass.",
			[]string{"indirect named Ruth Calloway added neutral", "direct named Ruth Calloway said neutral"}},
		{"but with a loaded verb", "Councillor Dev Patel called the report “late” but claimed the figures were right.",
			[]string{"indirect named Dev Patel claimed loaded", "direct named Dev Patel called neutral"}},
		{"and also", "Resident Tom Hale called the rise “robbery” and also said he would appeal.",
			[]string{"indirect named Tom Hale said neutral", "direct named Tom Hale called neutral"}},
		{"a second quotation", "Resident Tom Hale called the rise “robbery” and said “we will fight it”.",
			[]string{"direct named Tom Hale called neutral", "direct named Tom Hale said neutral"}},
		{"without a quotation, one attribution a sentence", "Mayor Ruth Calloway said the plan was sound and added that it would pass.",
			[]string{"indirect named Ruth Calloway said neutral"}},
		{"another subject after and", "Resident Tom Hale called the rise “robbery” and the council said it was fair.",
			[]string{"indirect institution council said neutral", "direct named Tom Hale called neutral"}},
		{"no subject to share", "The rise came in July and said nothing.", []string{}},
		{"they with nobody to refer to", "The talks ended. They said nothing and added that the vote was close.", []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := sourcesOf(t, a, tt.text)
			assert.Equal(t, tt.want, describeAttributions(p), "attributions of %q", tt.text)
			checkSourceProfile(t, tt.text, p)
		})
	}
}

// TestNamedSpeakerEndsContinuation: a quotation put by a verb of naming
// to the person named before it is not the continuation of another
// speaker's quotation earlier in the paragraph (it used to go to the
// water board quoted first).
func TestNamedSpeakerEndsContinuation(t *testing.T) {
	a := testAnalyzer(t)
	text := "The water board said the rise was “unavoidable”. Resident Tom Hale called it “daylight robbery”."
	p := sourcesOf(t, a, text)
	assert.Equal(t, []string{"direct institution board said neutral", "direct named Tom Hale called neutral"}, describeAttributions(p))
	require.Len(t, p.Attributions, 2)
	assert.Equal(t, viaClause, p.Attributions[1].Via)
	assert.Equal(t, "Resident Tom Hale", p.Attributions[1].Source)
	checkSourceProfile(t, text, p)
}
