package analysis

import (
	"cmp"
	"embed"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"
)

const (
	// labelEntitiesMax bounds the named entities a comparison lists.
	labelEntitiesMax = 25
	// descriptorMaxWords bounds a descriptor before a name.
	descriptorMaxWords = 4
	// labelSummaryLines bounds the summary's sentences about labels.
	labelSummaryLines = 4
)

//go:embed labels/*.yaml
var builtinLabelsFS embed.FS

// LabelComparison compares the words outlets use to name the same people,
// groups and places: for each concept several outlets mention ("the
// government"), which labels each uses ("administration", "regime"); and
// for each named person or place several outlets mention, the descriptors
// each attaches ("Mexican President", "the ... regime").
type LabelComparison struct {
	// Concepts are those at least two outlets mention: those with a
	// loaded label only some outlets use first, then those whose labels
	// differ, then by mentions.
	Concepts []ConceptLabels `json:"concepts"`
	// Entities are names at least two outlets mention that some outlet
	// describes, in the same order as Concepts (at most 25).
	Entities []EntityLabels `json:"entities"`
	// Summary puts the main differences in plain sentences.
	Summary []string `json:"summary"`
}

// ConceptLabels is one concept and the labels each outlet gives it.
type ConceptLabels struct {
	Concept     string `json:"concept"`
	Description string `json:"description"`
	// Differs is true when some outlet uses a label that another outlet
	// mentioning the concept does not.
	Differs bool `json:"differs"`
	// Loaded is true when one of those distinct labels is flagged by the
	// loaded-language lexicon.
	Loaded bool `json:"loaded"`
	// Outlets are the outlets that mention the concept, by name.
	Outlets []OutletLabels `json:"outlets"`
	// Distinct lists the labels not every outlet mentioning the concept
	// uses, with who uses them.
	Distinct []DistinctLabel `json:"distinct"`
}

// OutletLabels is the labels one outlet gives a concept.
type OutletLabels struct {
	ArticleID int64  `json:"article_id"`
	Outlet    string `json:"outlet"`
	Mentions  int    `json:"mentions"`
	// Labels are sorted by count, most used first.
	Labels []LabelUse `json:"labels"`
}

// LabelUse is one label as one outlet uses it.
type LabelUse struct {
	Label string `json:"label"`
	Count int    `json:"count"`
	// Loaded is true when the lexicon flags the words in this outlet.
	Loaded bool `json:"loaded"`
	// Examples are the distinct forms found, in text order.
	Examples []string `json:"examples"`
	// Spans point at each use in the article's text, or in its title.
	Spans []LabelSpan `json:"spans"`
}

// LabelSpan is a byte range in an article's text, or in its title when
// InTitle is set.
type LabelSpan struct {
	Start   int  `json:"start"`
	End     int  `json:"end"`
	InTitle bool `json:"in_title"`
}

// DistinctLabel is a label only some of the outlets use.
type DistinctLabel struct {
	Label   string   `json:"label"`
	Outlets []string `json:"outlets"`
	Loaded  bool     `json:"loaded"`
}

// EntityLabels is one named person, group or place and how each outlet
// describes it.
type EntityLabels struct {
	Name string `json:"name"`
	// Differs is true when two outlets describe the name with different
	// role words in the same position ("the Biden administration" against
	// "the Biden regime"); courtesy titles such as "Ms." do not count.
	Differs bool `json:"differs"`
	// Loaded is true when a descriptor is flagged by the lexicon.
	Loaded  bool           `json:"loaded"`
	Outlets []EntityOutlet `json:"outlets"`
}

// EntityOutlet is how one outlet names an entity.
type EntityOutlet struct {
	ArticleID int64  `json:"article_id"`
	Outlet    string `json:"outlet"`
	Mentions  int    `json:"mentions"`
	// Descriptors are sorted by count, most used first.
	Descriptors []Descriptor `json:"descriptors"`
}

// Descriptor is a word or phrase an outlet puts next to a name.
type Descriptor struct {
	// Text is the descriptor as written ("Mexico's president").
	Text string `json:"text"`
	// Head is its role word, lower-cased ("president").
	Head string `json:"head"`
	// Position is "before" or "after" the name.
	Position string      `json:"position"`
	Count    int         `json:"count"`
	Loaded   bool        `json:"loaded"`
	Spans    []LabelSpan `json:"spans"`
}

// labelConceptsFile is labels/concepts.yaml.
type labelConceptsFile struct {
	Source   string         `yaml:"source"`
	Concepts []labelConcept `yaml:"concepts"`
}

type labelConcept struct {
	Concept     string       `yaml:"concept"`
	Description string       `yaml:"description"`
	Labels      []labelEntry `yaml:"labels"`
}

// labelEntry is one label. It matches its own word by stem, plus the Also
// forms; when Exact is given, the Exact forms replace the label's own word
// and match as written.
type labelEntry struct {
	Label  string   `yaml:"label"`
	Also   []string `yaml:"also"`
	Exact  []string `yaml:"exact"`
	Except []string `yaml:"except"`
}

// descriptorsFile is labels/descriptors.yaml.
type descriptorsFile struct {
	Source     string   `yaml:"source"`
	Roles      []string `yaml:"roles"`
	Honorifics []string `yaml:"honorifics"`
	Modifiers  []string `yaml:"modifiers"`
	After      []string `yaml:"after"`
	Connectors []string `yaml:"connectors"`
	Stopwords  []string `yaml:"stopwords"`
}

// labelData is the compiled label data; immutable once built.
type labelData struct {
	concepts                                                   []labelConcept
	entryLabel                                                 [][]int // entryLabel[concept][matcher entry] = label index
	matcher                                                    *matcher
	roles, honorifics, modifiers, after, connectors, stopwords map[string]bool
}

// builtinLabels parses and compiles labels/*.yaml once;
// TestBuiltinLabelsLoad checks it loads.
var builtinLabels = sync.OnceValues(func() (*labelData, error) {
	concepts, err := builtinLabelsFS.ReadFile("labels/concepts.yaml")
	if err != nil {
		return nil, fmt.Errorf("load labels: %w", err)
	}
	descriptors, err := builtinLabelsFS.ReadFile("labels/descriptors.yaml")
	if err != nil {
		return nil, fmt.Errorf("load labels: %w", err)
	}
	return parseLabels(concepts, descriptors)
})

// compareStems caches stems for the texts tokenized at comparison time.
var compareStems = sync.OnceValue(func() *stemCache { return newStemCache(builtinInfo) })

// mustLabels returns data NewAnalyzer has already loaded without error, so
// the panic is unreachable for any caller holding an Analyzer.
func mustLabels() *labelData {
	d, err := builtinLabels()
	if err != nil {
		panic("analysis: built-in label data is broken: " + err.Error())
	}
	return d
}

func parseLabels(conceptsYAML, descriptorsYAML []byte) (*labelData, error) {
	var cf labelConceptsFile
	if err := decodeCueYAML("concepts.yaml", conceptsYAML, &cf); err != nil {
		return nil, fmt.Errorf("load labels %w", err)
	}
	var df descriptorsFile
	if err := decodeCueYAML("descriptors.yaml", descriptorsYAML, &df); err != nil {
		return nil, fmt.Errorf("load labels %w", err)
	}
	d := &labelData{concepts: cf.Concepts, entryLabel: make([][]int, len(cf.Concepts))}
	categories := make([]Category, len(cf.Concepts))
	seen := map[string]bool{}
	for ci, c := range cf.Concepts {
		switch {
		case strings.TrimSpace(c.Concept) == "":
			return nil, fmt.Errorf("load labels concepts.yaml: concept %d has no name", ci+1)
		case seen[c.Concept]:
			return nil, fmt.Errorf("load labels concepts.yaml: concept %q listed twice", c.Concept)
		case strings.TrimSpace(c.Description) == "":
			return nil, fmt.Errorf("load labels concepts.yaml: concept %q has no description", c.Concept)
		case len(c.Labels) < 2:
			return nil, fmt.Errorf("load labels concepts.yaml: concept %q needs at least two labels", c.Concept)
		}
		seen[c.Concept] = true
		cat := Category{Name: c.Concept}
		for li, l := range c.Labels {
			if strings.TrimSpace(l.Label) == "" {
				return nil, fmt.Errorf("load labels concepts.yaml: concept %q label %d is empty", c.Concept, li+1)
			}
			stemmed := l.Also
			if len(l.Exact) == 0 {
				stemmed = append([]string{l.Label}, l.Also...)
			}
			if len(stemmed) > 0 {
				cat.Entries = append(cat.Entries, Entry{Term: stemmed[0], Also: stemmed[1:], Except: l.Except})
				d.entryLabel[ci] = append(d.entryLabel[ci], li)
			}
			if len(l.Exact) > 0 {
				e := Entry{Term: l.Exact[0], Also: l.Exact[1:], Exact: true}
				if len(stemmed) == 0 {
					e.Except = l.Except
				}
				cat.Entries = append(cat.Entries, e)
				d.entryLabel[ci] = append(d.entryLabel[ci], li)
			}
		}
		categories[ci] = cat
	}
	m, err := compileMatcher(categories)
	if err != nil {
		return nil, fmt.Errorf("load labels concepts.yaml: %w", err)
	}
	d.matcher = m
	for _, list := range []struct {
		name  string
		words []string
		set   *map[string]bool
	}{
		{"roles", df.Roles, &d.roles}, {"honorifics", df.Honorifics, &d.honorifics}, {"modifiers", df.Modifiers, &d.modifiers},
		{"after", df.After, &d.after}, {"connectors", df.Connectors, &d.connectors}, {"stopwords", df.Stopwords, &d.stopwords},
	} {
		if len(list.words) == 0 {
			return nil, fmt.Errorf("load labels descriptors.yaml: %s is empty", list.name)
		}
		*list.set = make(map[string]bool, len(list.words))
		for _, w := range list.words {
			(*list.set)[foldWord(strings.TrimSpace(w))] = true
		}
	}
	for h := range d.honorifics {
		if !d.roles[h] {
			return nil, fmt.Errorf("load labels descriptors.yaml: honorific %q is not among the roles", h)
		}
	}
	return d, nil
}

// labelHit is one use of a concept's label in one article.
type labelHit struct {
	concept, label int
	span           LabelSpan
	text           string
	loaded         bool
}

// entityMention is one mention of a name in one article.
type entityMention struct {
	key         string // folded name words, labelPossessive dropped
	words       int
	name        string
	descriptors []descriptorUse
}

type descriptorUse struct {
	text, head, position string
	span                 LabelSpan
	loaded               bool
}

// articleLabels is what compareLabels reads from one article.
type articleLabels struct {
	article  ComparedArticle
	hits     []labelHit
	mentions []entityMention
	// byConcept are the hits of each concept, in text order (title last).
	byConcept [][]labelHit
}

func compareLabels(articles []ComparedArticle) LabelComparison {
	sorted := articlesByOutlet(articles)
	return compareLabelsFrom(sorted, tokenizeArticles(sorted, nil), nil)
}

// compareLabelsFrom is compareLabels over articles sorted by outlet, with
// their tokens.
func compareLabelsFrom(sorted []ComparedArticle, texts []articleTokens, w *work) LabelComparison {
	d := mustLabels()
	read := make([]articleLabels, len(sorted))
	for i, a := range sorted {
		tokens := texts[i].text
		read[i] = articleLabels{article: a}
		read[i].hits = append(d.labelHits(a.Text, tokens, a.Report.Findings, false, w),
			d.labelHits(a.Title, texts[i].title, a.Report.TitleFindings, true, w)...)
		read[i].mentions = d.entityMentions(a.Text, tokens, a.Report.Sentences, a.Report.Findings)
		w.tick(len(tokens))
	}
	c := LabelComparison{
		Concepts: d.compareConcepts(read),
		Entities: compareEntities(d, read),
	}
	c.Summary = labelSummary(c)
	return c
}

// labelHits finds the concepts' labels in text. A labelCapitalised label after
// two labelCapitalised words is part of a name ("Drug Enforcement
// Administration"), not a label.
func (d *labelData) labelHits(text string, tokens []token, findings []Finding, inTitle bool, w *work) []labelHit {
	var hits []labelHit
	for _, m := range d.matcher.findAll(text, tokens, startsLabel, inLabels, true, w) {
		if m.pattern.exception {
			continue
		}
		if labelCapitalised(text, tokens[m.first]) && m.first >= 2 &&
			labelCapitalised(text, tokens[m.first-1]) && labelNameGap(text, tokens[m.first-1], tokens[m.first]) &&
			labelCapitalised(text, tokens[m.first-2]) && labelNameGap(text, tokens[m.first-2], tokens[m.first-1]) {
			continue
		}
		start, end := tokens[m.first].start, tokens[m.last].end
		hits = append(hits, labelHit{
			concept: m.pattern.category,
			label:   d.entryLabel[m.pattern.category][m.pattern.entry],
			span:    LabelSpan{Start: start, End: end, InTitle: inTitle},
			text:    text[start:end],
			loaded:  overlapsAnyFinding(findings, start, end),
		})
	}
	return hits
}

// overlapsAnyFinding reports whether [start, end) overlaps a finding; the
// findings are in text order and do not overlap each other.
func overlapsAnyFinding(findings []Finding, start, end int) bool {
	i := sort.Search(len(findings), func(i int) bool { return findings[i].End > start })
	return i < len(findings) && findings[i].Start < end
}

func (d *labelData) compareConcepts(read []articleLabels) []ConceptLabels {
	out := []ConceptLabels{}
	for i := range read {
		read[i].byConcept = make([][]labelHit, len(d.concepts))
		for _, h := range read[i].hits {
			read[i].byConcept[h.concept] = append(read[i].byConcept[h.concept], h)
		}
	}
	for ci, concept := range d.concepts {
		cl := ConceptLabels{Concept: concept.Concept, Description: concept.Description, Outlets: []OutletLabels{}, Distinct: []DistinctLabel{}}
		usedBy := make([][]string, len(concept.Labels))
		loaded := make([]bool, len(concept.Labels))
		for _, r := range read {
			uses := make([]*LabelUse, len(concept.Labels))
			examples := make([]distinctStrings, len(concept.Labels))
			ol := OutletLabels{ArticleID: r.article.ArticleID, Outlet: r.article.Outlet, Labels: []LabelUse{}}
			for _, h := range r.byConcept[ci] {
				u := uses[h.label]
				if u == nil {
					u = &LabelUse{Label: concept.Labels[h.label].Label, Examples: []string{}, Spans: []LabelSpan{}}
					uses[h.label] = u
				}
				u.Count++
				u.Loaded = u.Loaded || h.loaded
				u.Spans = append(u.Spans, h.span)
				examples[h.label].add(h.text)
				ol.Mentions++
			}
			if ol.Mentions == 0 {
				continue
			}
			for li, u := range uses {
				if u != nil {
					u.Examples = examples[li].list
					ol.Labels = append(ol.Labels, *u)
					usedBy[li] = append(usedBy[li], r.article.Outlet)
					loaded[li] = loaded[li] || u.Loaded
				}
			}
			slices.SortStableFunc(ol.Labels, func(a, b LabelUse) int { return cmp.Compare(b.Count, a.Count) })
			cl.Outlets = append(cl.Outlets, ol)
		}
		if len(cl.Outlets) < 2 {
			continue
		}
		for li, outlets := range usedBy {
			if len(outlets) == 0 || len(outlets) == len(cl.Outlets) {
				continue
			}
			cl.Differs = true
			cl.Loaded = cl.Loaded || loaded[li]
			cl.Distinct = append(cl.Distinct, DistinctLabel{Label: concept.Labels[li].Label, Outlets: outlets, Loaded: loaded[li]})
		}
		slices.SortStableFunc(cl.Distinct, func(a, b DistinctLabel) int {
			return cmp.Or(trueFirst(a.Loaded, b.Loaded), cmp.Compare(len(a.Outlets), len(b.Outlets)))
		})
		out = append(out, cl)
	}
	slices.SortStableFunc(out, func(a, b ConceptLabels) int {
		return cmp.Or(
			trueFirst(a.Loaded, b.Loaded),
			trueFirst(a.Differs, b.Differs),
			cmp.Compare(conceptMentions(b), conceptMentions(a)),
			strings.Compare(a.Concept, b.Concept),
		)
	})
	return out
}

// trueFirst orders true before false.
func trueFirst(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return -1
	}
	return 1
}

func conceptMentions(c ConceptLabels) int {
	n := 0
	for _, o := range c.Outlets {
		n += o.Mentions
	}
	return n
}

func labelCapitalised(text string, t token) bool { return t.capitalised(text) }

// labelNameGap reports whether only spaces or a hyphen stand between two
// tokens on one line: the gaps inside a name ("Claudia Sheinbaum",
// "Farfan-Mendez").
func labelNameGap(text string, prev, next token) bool {
	gap := text[prev.end:next.start]
	if gap == "" {
		return false
	}
	for _, r := range gap {
		if r != ' ' && r != '\u00a0' && r != '-' && r != '\u2010' && r != '\u2011' {
			return false
		}
	}
	return true
}

// labelPossessive reports whether a token ends in "'s" (straightened by
// foldWord), and returns the word without it.
func labelPossessive(fold string) (string, bool) {
	if w, ok := strings.CutSuffix(fold, "'s"); ok && w != "" {
		return w, true
	}
	return fold, false
}

// entityMentions finds the labelCapitalised names in text and the descriptors
// attached to them. Headline-like lines (mostly labelCapitalised words) are
// skipped, because capitals there do not mark names; a labelCapitalised word
// that only ever starts a sentence ("Critics say") is not a name.
func (d *labelData) entityMentions(text string, tokens []token, sentences []SentenceVerdict, findings []Finding) []entityMention {
	skip := labelHeadlineLines(text, tokens, d)
	initial := sentenceInitial(text, tokens, sentences)
	midCaps := map[string]bool{}
	for i, tok := range tokens {
		if !skip[i] && !initial[i] && labelCapitalised(text, tok) {
			w, _ := labelPossessive(tok.fold)
			midCaps[w] = true
		}
	}
	// joined reports whether tokens i-1 and i may belong to one phrase:
	// a name gap, or the full stop of an abbreviated title ("Ms. Sheinbaum").
	joined := func(i int) bool {
		if labelNameGap(text, tokens[i-1], tokens[i]) {
			return true
		}
		return d.roles[tokens[i-1].fold] && len(tokens[i-1].fold) <= 4 && labelCapitalised(text, tokens[i-1]) &&
			text[tokens[i-1].end:tokens[i].start] == ". "
	}
	nameWord := func(i int) bool {
		return !skip[i] && labelCapitalised(text, tokens[i]) && !d.stopwords[tokens[i].fold] && tokens[i].hasLetter(text)
	}
	// nameRunEnd returns the end of the run of capitalised words starting
	// at token i, with connectors inside it ("Department of Defense").
	nameRunEnd := func(i int) int {
		end := i + 1
		for end < len(tokens) {
			if _, ok := labelPossessive(tokens[end-1].fold); ok || !joined(end) {
				break
			}
			if nameWord(end) {
				end++
				continue
			}
			if d.connectors[tokens[end].fold] && !labelCapitalised(text, tokens[end]) && end+1 < len(tokens) && labelNameGap(text, tokens[end], tokens[end+1]) && nameWord(end+1) {
				end += 2
				continue
			}
			break
		}
		return end
	}
	var out []entityMention
	for i := 0; i < len(tokens); {
		if !nameWord(i) {
			i++
			continue
		}
		end := nameRunEnd(i)
		out = append(out, d.mention(text, tokens, i, end, initial, midCaps, joined, findings)...)
		i = end
	}
	return out
}

// sentenceInitial marks the tokens that open a sentence or a line, whose
// capital says nothing about a name.
func sentenceInitial(text string, tokens []token, sentences []SentenceVerdict) []bool {
	initial := make([]bool, len(tokens))
	t := 0
	for _, s := range sentences {
		for t < len(tokens) && tokens[t].start < s.Start {
			t++
		}
		if t < len(tokens) {
			initial[t] = true
		}
	}
	for i := range tokens {
		if i == 0 || strings.Contains(text[tokens[i-1].end:tokens[i].start], "\n") {
			initial[i] = true
		}
	}
	return initial
}

// mention turns the run tokens[first:end] into a name mention with its
// descriptors, or nothing when the run is not a name.
func (d *labelData) mention(text string, tokens []token, first, end int, initial []bool, midCaps map[string]bool, joined func(int) bool, findings []Finding) []entityMention {
	// A role word inside the run starts the name after it: "Mexican
	// President | Claudia Sheinbaum".
	nameStart := first
	for k := end - 1; k >= first; k-- {
		if d.roles[tokens[k].fold] {
			nameStart = k + 1
			break
		}
	}
	nameEnd := end
	var descs []descriptorUse
	// A trailing "after" noun in capitals ("Trump Administration") is a
	// descriptor, not part of the name.
	if nameEnd-nameStart >= 2 && d.after[tokens[nameEnd-1].fold] {
		nameEnd--
		descs = append(descs, d.descriptor(text, tokens, nameEnd, nameEnd+1, tokens[nameEnd].fold, "after", findings))
	} else if end < len(tokens) && joined(end) {
		w, _ := labelPossessive(tokens[end].fold)
		if _, ok := labelPossessive(tokens[end-1].fold); !ok && d.after[w] {
			descs = append(descs, d.descriptor(text, tokens, end, end+1, w, "after", findings))
		}
	}
	if nameStart >= nameEnd {
		return nil
	}
	var key []string
	letters := 0
	for k := nameStart; k < nameEnd; k++ {
		w, _ := labelPossessive(tokens[k].fold)
		key = append(key, w)
		letters += utf8.RuneCountInString(w)
	}
	if letters < 2 {
		return nil
	}
	if nameEnd-nameStart == 1 && nameStart == first && initial[first] && !midCaps[key[0]] {
		return nil
	}
	from := d.descriptorStart(text, tokens, nameStart, initial, midCaps, joined)
	// The descriptor ends at its last role word, right before the name.
	if from < nameStart && d.roles[tokens[nameStart-1].fold] {
		head := tokens[nameStart-1].fold
		descs = append([]descriptorUse{d.descriptor(text, tokens, from, nameStart, head, "before", findings)}, descs...)
	}
	nameText := text[tokens[nameStart].start:tokens[nameEnd-1].end]
	if _, ok := labelPossessive(tokens[nameEnd-1].fold); ok {
		nameText = strings.TrimSuffix(strings.TrimSuffix(nameText, "'s"), "\u2019s")
	}
	return []entityMention{{key: strings.Join(key, " "), words: len(key), name: nameText, descriptors: descs}}
}

// descriptorStart walks back from the name starting at token nameStart
// over what may describe it: the run's part up to its role word, role
// words, modifiers, possessives and capitalised words, a few at most.
func (d *labelData) descriptorStart(text string, tokens []token, nameStart int, initial []bool, midCaps map[string]bool, joined func(int) bool) int {
	from := nameStart
	for from > 0 && nameStart-from < descriptorMaxWords && joined(from) {
		p := tokens[from-1]
		w, poss := labelPossessive(p.fold)
		if !(d.roles[p.fold] || d.modifiers[p.fold] || poss || labelCapitalised(text, p) && !d.stopwords[w]) {
			break
		}
		// A sentence's first word is capitalised anyway ("Yesterday",
		// "Then"): it belongs to the descriptor only if it would on its own.
		if initial[from-1] && !(d.roles[p.fold] || poss || !d.stopwords[w] && (d.modifiers[p.fold] || midCaps[w])) {
			break
		}
		from--
	}
	return from
}

func (d *labelData) descriptor(text string, tokens []token, from, to int, head, position string, findings []Finding) descriptorUse {
	start, end := tokens[from].start, tokens[to-1].end
	if _, ok := labelPossessive(tokens[to-1].fold); ok {
		end = len(strings.TrimSuffix(strings.TrimSuffix(text[:end], "'s"), "\u2019s"))
	}
	return descriptorUse{
		text: text[start:end], head: head, position: position,
		span:   LabelSpan{Start: start, End: end},
		loaded: overlapsAnyFinding(findings, start, end),
	}
}

// labelHeadlineLines marks the tokens on lines whose words are mostly
// labelCapitalised and that do not end with a full stop: headlines, menus and
// captions, where capitals do not mark names.
func labelHeadlineLines(text string, tokens []token, d *labelData) []bool {
	skip := make([]bool, len(tokens))
	for start := 0; start < len(tokens); {
		end := start + 1
		for end < len(tokens) && !strings.Contains(text[tokens[end-1].end:tokens[end].start], "\n") {
			end++
		}
		words, caps := 0, 0
		for k := start; k < end; k++ {
			if !tokens[k].hasLetter(text) || d.connectors[tokens[k].fold] {
				continue
			}
			words++
			if labelCapitalised(text, tokens[k]) {
				caps++
			}
		}
		if words >= 2 && 10*caps >= 6*words && !labelLineEndsProse(text[tokens[start].start:tokens[end-1].end+labelLineRest(text[tokens[end-1].end:])]) {
			for k := start; k < end; k++ {
				skip[k] = true
			}
		}
		start = end
	}
	return skip
}

// labelLineRest is the length of what follows the last word up to the end of
// its line.
func labelLineRest(rest string) int {
	if i := strings.IndexByte(rest, '\n'); i >= 0 {
		return i
	}
	return len(rest)
}

// labelLineEndsProse reports whether a line ends with a full stop (before any
// closing quotation marks or brackets): prose, not a headline.
func labelLineEndsProse(line string) bool {
	line = strings.TrimRight(line, " \t\r\"'\u201d\u2019)]")
	return strings.HasSuffix(line, ".")
}

// labelDemonymLike reports single words that read as adjectives of
// nationality ("Mexican", "Chinese"); alone they are not names.
func labelDemonymLike(key string) bool {
	if strings.Contains(key, " ") {
		return false
	}
	for _, suffix := range []string{"ican", "ian", "ean", "ese", "ish"} {
		if strings.HasSuffix(key, suffix) && len(key) > len(suffix)+2 {
			return true
		}
	}
	return false
}

// entityAgg gathers one entity's mentions across outlets.
type entityAgg struct {
	name    string
	outlets []EntityOutlet
}

// compareEntities merges the mentions into entities: a single word is the
// same entity as the one longer name ending in it ("Sheinbaum", "Claudia
// Sheinbaum"), within an article and across them.
func compareEntities(d *labelData, read []articleLabels) []EntityLabels {
	aggs, order := aggregateEntities(read, entityCanonical(read))
	out := []EntityLabels{}
	for _, key := range order {
		agg := aggs[key]
		if len(agg.outlets) < 2 {
			continue
		}
		e := EntityLabels{Name: agg.name, Outlets: agg.outlets}
		described := false
		for _, o := range agg.outlets {
			for _, desc := range o.Descriptors {
				described = true
				e.Loaded = e.Loaded || desc.Loaded
			}
		}
		if !described {
			continue
		}
		e.Differs = d.descriptorsDiffer(agg.outlets)
		if e.Name == "" {
			e.Name = key
		}
		out = append(out, e)
	}
	slices.SortStableFunc(out, func(a, b EntityLabels) int {
		return cmp.Or(
			trueFirst(a.Loaded, b.Loaded),
			trueFirst(a.Differs, b.Differs),
			cmp.Compare(entityMentionCount(b), entityMentionCount(a)),
			strings.Compare(a.Name, b.Name),
		)
	})
	return out[:min(len(out), labelEntitiesMax)]
}

// entityCanonical maps a one-word name to the one longer name ending in
// it, if there is exactly one across the articles, and any other name to
// itself.
func entityCanonical(read []articleLabels) func(key string) string {
	longer := map[string]map[string]bool{} // last word -> multi-word keys
	for _, r := range read {
		for _, m := range r.mentions {
			if m.words > 1 {
				last := m.key[strings.LastIndexByte(m.key, ' ')+1:]
				if longer[last] == nil {
					longer[last] = map[string]bool{}
				}
				longer[last][m.key] = true
			}
		}
	}
	return func(key string) string {
		if full := longer[key]; len(full) == 1 {
			for k := range full {
				return k
			}
		}
		return key
	}
}

// aggregateEntities gathers the mentions by canonical name, per article,
// with their descriptors counted; order is the names in order of first
// mention.
func aggregateEntities(read []articleLabels, canonical func(string) string) (map[string]*entityAgg, []string) {
	aggs := map[string]*entityAgg{}
	var order []string
	for _, r := range read {
		perKey := map[string]*EntityOutlet{}
		descIndex := map[string]int{}
		var keys []string
		for _, m := range r.mentions {
			key := canonical(m.key)
			if labelDemonymLike(key) {
				continue
			}
			agg := aggs[key]
			if agg == nil {
				agg = &entityAgg{}
				aggs[key] = agg
				order = append(order, key)
			}
			if key == m.key && (agg.name == "" || m.words > 1 && !strings.Contains(agg.name, " ")) {
				agg.name = m.name
			}
			eo := perKey[key]
			if eo == nil {
				eo = &EntityOutlet{ArticleID: r.article.ArticleID, Outlet: r.article.Outlet, Descriptors: []Descriptor{}}
				perKey[key] = eo
				keys = append(keys, key)
			}
			eo.Mentions++
			for _, du := range m.descriptors {
				id := key + "\x00" + du.position + "\x00" + du.text
				if i, ok := descIndex[id]; ok {
					eo.Descriptors[i].Count++
					eo.Descriptors[i].Loaded = eo.Descriptors[i].Loaded || du.loaded
					eo.Descriptors[i].Spans = append(eo.Descriptors[i].Spans, du.span)
					continue
				}
				descIndex[id] = len(eo.Descriptors)
				eo.Descriptors = append(eo.Descriptors, Descriptor{Text: du.text, Head: du.head, Position: du.position, Count: 1, Loaded: du.loaded, Spans: []LabelSpan{du.span}})
			}
		}
		for _, key := range keys {
			eo := perKey[key]
			slices.SortStableFunc(eo.Descriptors, func(a, b Descriptor) int { return cmp.Compare(b.Count, a.Count) })
			aggs[key].outlets = append(aggs[key].outlets, *eo)
		}
	}
	return aggs, order
}

// descriptorsDiffer compares, for each position, the role words of the
// outlets that use a descriptor there.
func (d *labelData) descriptorsDiffer(outlets []EntityOutlet) bool {
	for _, position := range []string{"before", "after"} {
		var sets []string
		for _, o := range outlets {
			var heads []string
			for _, desc := range o.Descriptors {
				if desc.Position == position && !d.honorifics[desc.Head] && !slices.Contains(heads, desc.Head) {
					heads = append(heads, desc.Head)
				}
			}
			if len(heads) > 0 {
				slices.Sort(heads)
				sets = append(sets, strings.Join(heads, "\x00"))
			}
		}
		for _, s := range sets[min(1, len(sets)):] {
			if s != sets[0] {
				return true
			}
		}
	}
	return false
}

func entityMentionCount(e EntityLabels) int {
	n := 0
	for _, o := range e.Outlets {
		n += o.Mentions
	}
	return n
}

// labelSummary names the clearest differences in plain words, a short
// sentence per outlet, held to a 14-year-old's reading like every summary
// (TestSummaryReadsAtGrade8).
func labelSummary(c LabelComparison) []string {
	lines := []string{}
	for _, cl := range c.Concepts {
		if len(lines) == labelSummaryLines || !cl.Differs {
			break
		}
		var parts []string
		for _, o := range cl.Outlets {
			var words []string
			for _, u := range o.Labels[:min(3, len(o.Labels))] {
				w := "“" + u.Examples[0] + "”"
				if u.Loaded {
					w += " (a loaded word)"
				}
				words = append(words, w)
			}
			parts = append(parts, o.Outlet+" says "+labelJoinOr(words)+".")
		}
		lines = append(lines, fmt.Sprintf("Words for %s: %s", cl.Concept, strings.Join(parts, " ")))
	}
	for _, e := range c.Entities {
		if len(lines) == labelSummaryLines+2 || !e.Differs && !e.Loaded {
			break
		}
		var parts []string
		for _, o := range e.Outlets {
			var words []string
			for _, desc := range o.Descriptors[:min(2, len(o.Descriptors))] {
				w := "“" + desc.Text + "”"
				if desc.Loaded {
					w += " (a loaded word)"
				}
				words = append(words, w)
			}
			if len(words) > 0 {
				parts = append(parts, o.Outlet+" writes "+labelJoinOr(words)+".")
			}
		}
		lines = append(lines, fmt.Sprintf("Words for %s: %s", e.Name, strings.Join(parts, " ")))
	}
	return lines
}

func labelJoinOr(items []string) string {
	if len(items) < 2 {
		return joinList(items)
	}
	return strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
}
