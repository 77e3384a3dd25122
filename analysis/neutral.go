package analysis

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The neutral version of a text: what it would read like with its loaded
// words in the outlet's own voice taken out. A word is swapped only where
// the lexicon marks a replacement as a drop-in for that very form (same
// part of speech, same slot), or left out only where the lexicon marks the
// form as droppable; every other finding keeps its words and gets advice
// beside them. The edits are computed here, once, so that every client
// shows the same neutral version and none has to guess at grammar.

// The kinds of neutral edit.
const (
	// NeutralReplace puts Text in place of the span.
	NeutralReplace = "replace"
	// NeutralDrop takes the loaded words out; Text is what stays in the
	// span, often nothing ("" for "so-called "), sometimes a word whose
	// capital or article changes with the words gone ("Nobody").
	NeutralDrop = "drop"
	// NeutralAdvice keeps the words and shows Text beside them.
	NeutralAdvice = "advice"
)

// NeutralEdit is one change the neutral version makes, for one own-voice
// finding. Start and End are byte offsets into the text; for a replace or
// a drop they may reach past the finding to take in what the change
// carries with it: an article that becomes "an", the comma after a phrase
// left out, the next word when it starts a sentence. For advice they are
// the finding's own.
type NeutralEdit struct {
	Start int `json:"start"`
	End   int `json:"end"`
	// Finding is the index of the finding in the report's findings (or
	// title_findings, for a title's edits).
	Finding int    `json:"finding"`
	Kind    string `json:"kind"`
	Text    string `json:"text"`
}

// neutralKey is the form under which drop_in and droppable list a finding's
// words: lower case, straight apostrophes, one space between words.
func neutralKey(s string) string {
	return strings.Join(strings.Fields(foldWord(strings.Map(func(r rune) rune {
		if r == '\u2010' || r == '\u2011' {
			return '-'
		}
		return r
	}, s))), " ")
}

// coversForm reports whether text is the words of one of the entry's forms
// as a finding would hold them (context words in parentheses left out).
func (e Entry) coversForm(text string) bool {
	keys := wordKeys(text, e.Exact)
	if len(keys) == 0 {
		return false
	}
	for _, form := range append([]string{e.Term}, e.Also...) {
		lead, trail, err := formFocus(form)
		if err != nil {
			continue
		}
		fk := wordKeys(form, e.Exact)
		if slices.Equal(fk[lead:len(fk)-trail], keys) {
			return true
		}
	}
	return false
}

// splitNextWord splits a drop_in or droppable key into the finding's
// words and the word that must follow them, if the key names one in
// parentheses: "bragged (that)" swaps "bragged" for "said" only before
// "that", where "said" fits the slot ("bragged about" needs another verb).
func splitNextWord(key string) (words, next string) {
	if i := strings.LastIndex(key, " ("); i > 0 && strings.HasSuffix(key, ")") {
		return key[:i], key[i+2 : len(key)-1]
	}
	return key, ""
}

// checkNeutralForms checks the entry's drop_in and droppable: each names a
// form of the entry, in neutralKey form, and a drop-in has words.
func (e Entry) checkNeutralForms() error {
	for form, words := range e.DropIn {
		if err := e.checkNeutralForm("drop_in", form); err != nil {
			return err
		}
		switch {
		case strings.TrimSpace(words) == "":
			return fmt.Errorf("drop_in %q has no words; list the form under droppable to leave it out", form)
		case slices.Contains(e.Droppable, form):
			return fmt.Errorf("%q is both in drop_in and in droppable", form)
		}
	}
	for _, form := range e.Droppable {
		if err := e.checkNeutralForm("droppable", form); err != nil {
			return err
		}
	}
	return nil
}

// checkNeutralForm checks one form named under field (drop_in or
// droppable): written in neutralKey form, at most one following word in
// parentheses, and a form of the entry.
func (e Entry) checkNeutralForm(field, form string) error {
	base, next := splitNextWord(form)
	switch {
	case neutralKey(form) != form:
		return fmt.Errorf("%s %q: write it in lower case with single spaces, as %q", field, form, neutralKey(form))
	case strings.ContainsAny(base, "()") || strings.Contains(next, " "):
		return fmt.Errorf("%s %q: only one following word may stand in parentheses, at the end", field, form)
	case !e.coversForm(base):
		return fmt.Errorf("%s %q is not a form of this entry", field, form)
	}
	return nil
}

// neutralEdits computes the neutral version's edits for the own-voice
// findings of text, in text order. entryOf returns the lexicon entry
// behind a finding and the advice its alternatives give (adviceText).
func neutralEdits(text string, findings []Finding, quotes []Span, entryOf func(Finding) (*Entry, string, bool)) []NeutralEdit {
	out := make([]NeutralEdit, 0, len(findings))
	n := neutralWriter{text: text, findings: findings, quotes: quotes}
	for i, f := range findings {
		if f.InQuote {
			continue
		}
		e, advice, ok := entryOf(f)
		if !ok {
			advice = adviceText(f.Alternatives)
		}
		edit := NeutralEdit{Start: f.Start, End: f.End, Finding: i, Kind: NeutralAdvice, Text: advice}
		if ok {
			if ed, ok := n.swap(i, e); ok {
				edit = ed
			}
		}
		n.done = append(n.done, edit)
		out = append(out, edit)
	}
	return out
}

// neutralWriter remembers the edits made so far, so that the next one can
// see the words the neutral version puts before it.
type neutralWriter struct {
	text     string
	findings []Finding
	quotes   []Span
	done     []NeutralEdit
	// capitalNext asks the next edit, when it starts right at nextAt, to
	// start with a capital: the words before it, which began a sentence,
	// were left out.
	capitalNext bool
	nextAt      int
}

// swap returns the replace or drop edit for finding i, or false when the
// lexicon offers neither for its words.
func (n *neutralWriter) swap(i int, e *Entry) (NeutralEdit, bool) {
	f := n.findings[i]
	key, possessive := neutralKey(f.Text), ""
	next, _ := n.wordAfter(f.End)
	withNext := key + " (" + neutralKey(next) + ")"
	words, replace := e.DropIn[withNext]
	if !replace {
		words, replace = e.DropIn[key]
	}
	drop := !replace && (slices.Contains(e.Droppable, withNext) || slices.Contains(e.Droppable, key))
	if !replace && !drop {
		// "regime's": the drop-in for "regime", with the possessive kept.
		for _, s := range []string{"'s", "’s"} {
			if strings.HasSuffix(f.Text, s) {
				if w, ok := e.DropIn[neutralKey(strings.TrimSuffix(f.Text, s))]; ok {
					words, replace, possessive = w, true, s
				}
			}
		}
	}
	switch {
	case replace:
		return n.replace(i, words+possessive), true
	case drop:
		return n.drop(i, false)
	}
	return NeutralEdit{}, false
}

// replace builds the edit that puts words in place of finding i, with the
// capitals of its place, without repeating the word before or after it,
// and with "a" or "an" before it as its first word needs.
func (n *neutralWriter) replace(i int, words string) NeutralEdit {
	f := n.findings[i]
	edit := NeutralEdit{Start: f.Start, End: f.End, Finding: i, Kind: NeutralReplace}
	switch {
	case isShouting(f.Text):
		words = strings.ToUpper(words)
	case isCapitalised(f.Text) && n.inTitleCase(f.Start, f.End):
		words = titleCase(words)
	case n.capitalNext && n.nextAt == f.Start, n.startsSentence(f.Start):
		words = upperFirst(words)
	}
	n.capitalNext = false
	// No doubled words: "high-crime" before "high-crime areas", or
	// "areas" after "high-crime areas".
	if prev, _ := n.wordBefore(f.Start); prev != "" && strings.EqualFold(prev, firstWord(words)) {
		words = strings.TrimSpace(strings.TrimPrefix(words, firstWord(words)))
	}
	if next, at := n.wordAfter(f.End); next != "" && words != "" && strings.EqualFold(next, lastWord(words)) && !n.findingAt(at) {
		words = strings.TrimSpace(strings.TrimSuffix(words, lastWord(words)))
	}
	if words == "" {
		edit, _ := n.drop(i, true)
		return edit
	}
	edit.Text = words
	// "a ploy" becomes "an idea": the article joins the edit.
	if art, at := n.wordBefore(f.Start); at >= 0 && isArticle(art) && n.canExtend(at, f.Start) {
		if want, change := fitArticle(art, firstWord(words)); change {
			edit.Start, edit.Text = at, want+n.text[at+len(art):f.Start]+words
		}
	}
	return edit
}

// drop builds the edit that leaves finding i out, with the space or
// commas around it, a capital for the word after it when it began a
// sentence, and "a" or "an" before it as the word after it needs. Within a
// sentence a droppable word is a modifier ("utterly baffling", "so-called
// shelter"), so it goes only before the word it modifies: not before a
// comma, a stop or a joining word, where leaving it out would break the
// sentence ("the area is crime-ridden and poor"); then drop says no, unless
// always is set.
func (n *neutralWriter) drop(i int, always bool) (NeutralEdit, bool) {
	f := &n.findings[i]
	edit := NeutralEdit{Start: f.Start, End: f.End, Finding: i, Kind: NeutralDrop}
	sentenceStart := n.startsSentence(f.Start) || n.capitalNext && n.nextAt == f.Start
	n.capitalNext = false
	switch {
	case sentenceStart:
		return n.dropOpening(f, edit, always)
	case n.commaBefore(f.Start) && f.End < len(n.text) && n.text[f.End] == ',' && n.canExtend(f.Start-2, f.Start) && n.canExtend(f.End, f.End+1):
		// "a crisis that, for some reason, grew" gives "a crisis that grew".
		edit.Start, edit.End = f.Start-2, f.End+1
		return edit, true
	}
	if !always && !n.modifierCanGo(f) {
		return NeutralEdit{}, false
	}
	if n.commaBefore(f.Start) && !n.editCovers(f.Start-2) {
		// The last of a list of loaded modifiers: "an outrageous,
		// scandal-ridden man" gives "an outrageous man". After any other
		// comma (the end of a clause) the modifier stays, with advice.
		if n.findingEndsAt(f.Start-2) && n.canExtend(f.Start-2, f.Start) {
			edit.Start = f.Start - 2
			return edit, true
		}
		if !always {
			return NeutralEdit{}, false
		}
	}
	return n.dropModifier(edit, always)
}

// commaBefore reports whether a comma and a space stand just before
// offset at.
func (n *neutralWriter) commaBefore(at int) bool {
	return at >= 2 && n.text[at-2:at] == ", "
}

// dropOpening is drop for a finding that begins a sentence: the word after
// it, and the comma between, take its place. "For some reason, nobody
// came." gives "Nobody came."; but "The truth is that it failed" cannot
// lose "The truth is".
func (n *neutralWriter) dropOpening(f *Finding, edit NeutralEdit, always bool) (NeutralEdit, bool) {
	text, end := n.text, f.End
	if next, _ := n.wordAfter(f.End); strings.EqualFold(next, "that") && !always {
		return NeutralEdit{}, false
	}
	if end < len(text) && text[end] == ',' {
		end++
	}
	after := skipSpaces(text, end)
	if strings.ContainsRune(text[end:after], '\n') || !n.canExtend(f.End, after) {
		// The sentence goes on in another line or paragraph: leave
		// the words after it as they are.
		if n.canExtend(f.End, end) {
			edit.End = end
		}
		return edit, true
	}
	end = after
	word, wordEnd := wordAt(text, end)
	switch {
	case word == "":
		edit.End = end
	case n.findingAt(end):
		// The next word is a finding, which may keep its words (with
		// advice) and so its small letter: leave this one in.
		if !always {
			return NeutralEdit{}, false
		}
		edit.End = end
		n.capitalNext, n.nextAt = true, end
	case n.canExtend(end, wordEnd):
		edit.End, edit.Text = wordEnd, upperFirst(word)
	default:
		edit.End = end
	}
	return edit, true
}

// modifierCanGo reports whether the sentence stays whole without the
// modifier f, which stands in the middle of it.
func (n *neutralWriter) modifierCanGo(f *Finding) bool {
	next, _ := n.wordAfter(f.End)
	prev, _ := n.textWordBefore(f.Start)
	switch {
	case next == "" || slices.Contains(joiningWords, strings.ToLower(next)):
		return false
	case slices.Contains([]string{"and", "or", "but", "nor"}, strings.ToLower(prev)):
		// "accomplished and esteemed general": leaving one of two
		// joined modifiers out leaves "and" hanging.
		return false
	case isCapitalised(f.Text):
		// Part of a name in the middle of a sentence ("Pulitzer
		// Prize-winning").
		return false
	}
	return true
}

// dropModifier finishes the edit that leaves out a modifier in the middle
// of a sentence: it takes the spaces after it (or, before a stop, those
// before it) and, when an article comes before it, makes the article fit
// the word after: "an utterly baffling delay" gives "a baffling delay".
func (n *neutralWriter) dropModifier(edit NeutralEdit, always bool) (NeutralEdit, bool) {
	text, end := n.text, edit.End
	after := skipSpaces(text, end)
	if after > end && n.canExtend(end, after) && !strings.ContainsRune(text[end:after], '\n') {
		end = after
	} else if before := skipSpacesBack(text, edit.Start); before < edit.Start && n.canExtend(before, edit.Start) && !strings.ContainsRune(text[before:edit.Start], '\n') {
		edit.Start = before
	}
	edit.End = end
	art, at := n.wordBefore(edit.Start)
	if at < 0 || !isArticle(art) || !n.canExtend(at, edit.Start) {
		return edit, true
	}
	if n.findingAt(end) {
		// The next word may be swapped in turn, and its article is
		// this edit's to fix: leave this one in (or, when it must go,
		// leave the article to that word's edit).
		if !always {
			return NeutralEdit{}, false
		}
		return edit, true
	}
	if next, _ := wordAt(text, end); next != "" {
		if want, change := fitArticle(art, next); change {
			edit.Text = want + text[at+len(art):edit.Start]
			edit.Start = at
		}
	}
	return edit, true
}

// joiningWords are words before which a modifier cannot be left out: the
// modifier stood alone ("is crime-ridden and poor", "was utterly in
// vain").
var joiningWords = []string{
	"and", "or", "but", "nor", "than", "as", "because", "since", "so", "yet", "if", "when", "while",
	"in", "on", "at", "for", "to", "of", "by", "with", "from", "about", "into", "without", "after", "before",
}

// canExtend reports whether an edit may take in text[from:to] besides its
// finding: no other finding or edit lies there and no quotation starts or
// ends inside it (a page shows quotations as elements of their own).
//
// Findings, edits and quotations are each sorted and do not overlap, so
// every look-up here is a binary search: the neutral version of a text
// costs O(n log n) in its findings, never more.
func (n *neutralWriter) canExtend(from, to int) bool {
	if from > to {
		from, to = to, from
	}
	// The first edit, finding and quotation that end after from.
	if i := sort.Search(len(n.done), func(i int) bool { return n.done[i].End > from }); i < len(n.done) && n.done[i].Start < to {
		return false
	}
	if i := sort.Search(len(n.findings), func(i int) bool { return n.findings[i].End > from }); i < len(n.findings) && n.findings[i].Start < to {
		return false
	}
	for i := sort.Search(len(n.quotes), func(i int) bool { return n.quotes[i].End > from }); i < len(n.quotes) && n.quotes[i].Start < to; i++ {
		if q := n.quotes[i]; (q.Start > from && q.Start < to) || (q.End > from && q.End < to) {
			return false
		}
	}
	return true
}

// inTitleCase reports whether the words on either side of [start, end),
// on its line, start with capitals, as in a headline written in title
// case ("US Kinetic Operations Against Drug Cartels"); a word in the middle
// of a sentence that is a name ("Big Pharma raised prices") has small
// words around it.
func (n *neutralWriter) inTitleCase(start, end int) bool {
	// The small words a headline leaves in lower case do not count: "Makes
	// a Bizarre Claim".
	before, after := "", ""
	for at := start; at > 0; {
		w, wat := n.textWordBefore(at)
		if w == "" || !isSmallWord(w) {
			before = w
			break
		}
		at = wat
	}
	for at := end; at < len(n.text); {
		w, wat := n.wordAfter(at)
		if w == "" || !isSmallWord(w) {
			after = w
			break
		}
		at = wat + len(w)
	}
	if before == "" && after == "" {
		return false
	}
	return (before == "" || isCapitalised(before)) && (after == "" || isCapitalised(after))
}

// textWordBefore is the text's own word before offset at, with spaces
// between, and where it starts ("" when there is none on the line).
func (n *neutralWriter) textWordBefore(at int) (string, int) {
	end := skipSpacesBack(n.text, at)
	if end == at || strings.ContainsRune(n.text[end:at], '\n') {
		return "", -1
	}
	start := end
	for start > 0 {
		r, size := utf8.DecodeLastRuneInString(n.text[:start])
		if !isWordRune(r) && !isApostrophe(r) && r != '-' {
			break
		}
		start -= size
	}
	if start == end {
		return "", -1
	}
	return n.text[start:end], start
}

// isSmallWord reports whether w is one of the short words a headline in
// title case leaves in lower case.
func isSmallWord(w string) bool {
	switch strings.ToLower(w) {
	case "a", "an", "the", "and", "or", "of", "in", "on", "to", "for", "with", "by", "at", "as":
		return true
	}
	return false
}

// editCovers reports whether an edit made so far covers offset at (a
// comma it has already taken out, say).
func (n *neutralWriter) editCovers(at int) bool {
	i := sort.Search(len(n.done), func(i int) bool { return n.done[i].End > at })
	return i < len(n.done) && n.done[i].Start <= at
}

// findingEndsAt reports whether a finding ends at offset at.
func (n *neutralWriter) findingEndsAt(at int) bool {
	i := sort.Search(len(n.findings), func(i int) bool { return n.findings[i].End >= at })
	return i < len(n.findings) && n.findings[i].End == at
}

// findingAt reports whether a finding starts at offset at.
func (n *neutralWriter) findingAt(at int) bool {
	i := sort.Search(len(n.findings), func(i int) bool { return n.findings[i].Start >= at })
	return i < len(n.findings) && n.findings[i].Start == at
}

// wordBefore returns the word that ends just before offset at (spaces
// between), as the neutral version reads it: the last word of an edit
// that ends there, or the text's own word. at is where that word starts
// in the text, or -1 when it is an edit's.
func (n *neutralWriter) wordBefore(at int) (string, int) {
	end := skipSpacesBack(n.text, at)
	if end == at && at > 0 {
		return "", -1 // no space between: punctuation or the middle of a word
	}
	if strings.ContainsRune(n.text[end:at], '\n') {
		return "", -1
	}
	// Edits come in text order: only the last one can end here.
	if k := len(n.done); k > 0 && n.done[k-1].End == end && n.done[k-1].Kind != NeutralAdvice {
		return lastWord(n.done[k-1].Text), -1
	}
	return n.textWordBefore(at)
}

// wordAfter returns the word that starts just after offset at (spaces
// between) and where it starts.
func (n *neutralWriter) wordAfter(at int) (string, int) {
	start := skipSpaces(n.text, at)
	if start == at || strings.ContainsRune(n.text[at:start], '\n') {
		return "", -1
	}
	word, _ := wordAt(n.text, start)
	return word, start
}

// startsSentence reports whether offset at begins a sentence, a line or
// the text: only spaces, opening quotation marks or brackets stand between
// it and a full stop, question or exclamation mark, a line break or the
// start.
func (n *neutralWriter) startsSentence(at int) bool {
	text := n.text
	for at > 0 {
		r, size := utf8.DecodeLastRuneInString(text[:at])
		switch {
		case r == '\n':
			return true
		case r == '.' || r == '!' || r == '?':
			return true
		case unicode.IsSpace(r) || strings.ContainsRune("\"“‘'([", r):
			at -= size
		default:
			return false
		}
	}
	return true
}

// wordAt returns the word that starts at offset at (letters, digits,
// inner apostrophes and hyphens) and where it ends.
func wordAt(text string, at int) (string, int) {
	end := at
	for end < len(text) {
		r, size := utf8.DecodeRuneInString(text[end:])
		if !isWordRune(r) && !((isApostrophe(r) || r == '-') && end > at) {
			break
		}
		end += size
	}
	word := strings.TrimRight(text[at:end], "'’-")
	return word, at + len(word)
}

func skipSpaces(text string, at int) int {
	for at < len(text) && isSpaceByte(text[at]) {
		at++
	}
	return at
}

func skipSpacesBack(text string, at int) int {
	for at > 0 && isSpaceByte(text[at-1]) {
		at--
	}
	return at
}

func firstWord(s string) string {
	if f := strings.Fields(s); len(f) > 0 {
		return strings.Trim(f[0], ",.;:!?")
	}
	return ""
}

func lastWord(s string) string {
	if f := strings.Fields(s); len(f) > 0 {
		return strings.Trim(f[len(f)-1], ",.;:!?")
	}
	return ""
}

func isArticle(w string) bool { return strings.EqualFold(w, "a") || strings.EqualFold(w, "an") }

// fitArticle returns the article ("a" or "an") that word needs, with the
// capital of art, the article written before it, and whether it differs
// from art.
func fitArticle(art, word string) (string, bool) {
	want := articleFor(word)
	if strings.EqualFold(art, want) {
		return art, false
	}
	if isCapitalised(art) {
		want = upperFirst(want)
	}
	return want, true
}

// articleFor returns "a" or "an" for the word that follows it, by its
// first sound: "an idea", "a union", "an hour", "an MP", "a one-off".
func articleFor(word string) string {
	w := strings.ToLower(word)
	if w == "" {
		return "a"
	}
	for _, p := range []string{"hour", "honest", "honor", "honour", "heir"} {
		if strings.HasPrefix(w, p) {
			return "an"
		}
	}
	for _, p := range []string{"uni", "use", "usu", "uti", "ura", "ure", "euro", "eu", "one", "once", "ubiq", "uk"} {
		if strings.HasPrefix(w, p) {
			return "a"
		}
	}
	// An abbreviation said letter by letter: "an MP", "an FBI agent", "a UN vote".
	if len(word) > 1 && strings.ToUpper(word) == word && !strings.ContainsAny(word[:1], "0123456789") {
		if strings.ContainsRune("AEFHILMNORSX", rune(word[0])) {
			return "an"
		}
		return "a"
	}
	if strings.ContainsRune("aeiou", rune(w[0])) {
		return "an"
	}
	if strings.HasPrefix(w, "8") || strings.HasPrefix(w, "11") || strings.HasPrefix(w, "18") {
		return "an"
	}
	return "a"
}

func upperFirst(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	return string(unicode.ToUpper(r)) + s[size:]
}

// isCapitalised reports whether the word's first letter is a capital.
func isCapitalised(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return unicode.IsUpper(r)
		}
	}
	return false
}

// isShouting reports whether s is written in capitals throughout: more
// than one word, or one word longer than an abbreviation ("RINO", "MSM"
// are names, not shouting).
func isShouting(s string) bool {
	letters := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			if !unicode.IsUpper(r) {
				return false
			}
			letters++
		}
	}
	return letters > 5 || letters >= 2 && len(strings.Fields(s)) > 1
}

// titleCase capitalises every word but the short joining words, as a
// headline does.
func titleCase(s string) string {
	words := strings.Fields(s)
	for i, w := range words {
		switch strings.ToLower(w) {
		case "a", "an", "the", "and", "or", "of", "in", "on", "to", "for", "with", "by", "at":
			if i > 0 {
				continue
			}
		}
		words[i] = upperFirst(w)
	}
	return strings.Join(words, " ")
}

// adviceWords are the verbs an alternative starts with when it is advice
// to the writer rather than words to put in the text.
var adviceWords = []string{
	"name", "describe", "state", "say", "give", "use", "cite", "explain", "leave", "quote",
	"ask", "check", "specify", "report", "show", "add", "tell", "avoid", "attribute", "drop",
}

// isAdvice reports whether an alternative is advice ("name the group")
// rather than words ("government").
func isAdvice(alt string) bool {
	words := strings.Fields(strings.ToLower(alt))
	// "use of force" is a noun; "use the name" is advice.
	return len(words) > 0 && slices.Contains(adviceWords, words[0]) && !(len(words) > 1 && words[1] == "of")
}

// adviceText says what to write instead, from the alternatives: the words
// in quotation marks ("try “government” or “administration”"), then the
// first piece of advice ("or say what the policy is").
func adviceText(alternatives []string) string {
	var words []string
	advice := ""
	for _, a := range alternatives {
		a = strings.TrimSpace(a)
		switch {
		case a == "":
		case isAdvice(a):
			if advice == "" {
				advice = a
			}
		case len(words) < 3:
			words = append(words, "“"+a+"”")
		}
	}
	var b strings.Builder
	if len(words) > 0 {
		b.WriteString("try ")
		for i, w := range words {
			switch {
			case i == 0:
			case i == len(words)-1:
				b.WriteString(" or ")
			default:
				b.WriteString(", ")
			}
			b.WriteString(w)
		}
	}
	if advice != "" {
		if b.Len() > 0 {
			b.WriteString(", or ")
		}
		b.WriteString(advice)
	}
	if b.Len() == 0 {
		return "say what happened in plain words"
	}
	return b.String()
}

// NeutralText applies a text's neutral edits: replacements and drops take
// the place of their spans, and advice follows its words in brackets. It
// is what the page's neutral version reads like, as plain text.
func NeutralText(text string, edits []NeutralEdit) string {
	edits = slices.Clone(edits)
	slices.SortStableFunc(edits, func(a, b NeutralEdit) int { return a.Start - b.Start })
	var b strings.Builder
	at := 0
	for _, e := range edits {
		if e.Start < at || e.End > len(text) || e.Start > e.End {
			continue // overlapping or out of range: not from neutralEdits
		}
		b.WriteString(text[at:e.Start])
		switch e.Kind {
		case NeutralAdvice:
			b.WriteString(text[e.Start:e.End])
			b.WriteString(" [")
			b.WriteString(e.Text)
			b.WriteString("]")
		default:
			b.WriteString(e.Text)
		}
		at = e.End
	}
	b.WriteString(text[at:])
	return b.String()
}
