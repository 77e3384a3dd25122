package ingest

import (
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// RemovedLine is one line of the input that Clean dropped, so a reader can
// check what went and why.
type RemovedLine struct {
	// Line is the 1-based line number in the text given to Clean.
	Line int `json:"line"`
	// Text is the line as it was, without surrounding white space.
	Text string `json:"text"`
	// Why names the rule that dropped it, in plain words.
	Why string `json:"why"`
}

// Cleaned is the result of Clean: the headline, the story text and the
// lines that were taken out.
type Cleaned struct {
	// Title is the headline found near the top, white space collapsed, or
	// "" when none was plain. Its line is not repeated in Text.
	Title string `json:"title"`
	// Text is the story: the kept lines, trimmed, in their original order.
	// Kept lines that had a blank line between them in the input are
	// separated by one blank line, others by a single newline.
	Text string `json:"text"`
	// Removed lists the dropped non-blank lines in line order.
	Removed []RemovedLine `json:"removed"`
}

// Clean strips page furniture from pasted article text and keeps the story
// whole.
//
// It works line by line; every line of Text is a trimmed line of the input,
// in order, and Text is never longer than the input. The rules, in order:
//
//  1. Line rules drop lines that are never prose: site-chrome labels
//     ("Site-Header-Logo", image file names), a bare site name or web
//     address, breadcrumb runs ("Home › World", "HomeWorldHeadline..."),
//     lines made only of digits and separators (timestamps, image captions),
//     lines with no words at all, short UI prompts (share buttons, "Enjoyed
//     this? Let your friends know!", comment forms, "Loading…", "Source
//     link", subscribe and sign-up calls, cookie notices, advertisement
//     labels, navigation words, photo credits, tag lists, copyright lines,
//     inline "Read more: …" links) and the headings of summary boxes ("Key
//     Takeaways", "Highlights", "Key points"); the box content stays and is
//     deduplicated below.
//  2. Section rules drop the headings of link lists ("Related News",
//     "Related Articles", "Most Popular", "Recent Comments", "More from …",
//     "Read more", "You may also like", …) and the short headline lines that
//     follow them, up to the end or the next real paragraph.
//  3. Position rules drop date-only lines and bylines above the first
//     paragraph, and date-only lines below the last one.
//  4. Title: the first short line near the top with no final period that is
//     repeated later or followed by a paragraph becomes Title.
//  5. Repeats: lines are compared after folding case, accents, quotes and
//     punctuation. A line is dropped when it equals an earlier kept line
//     (three words or more), when its words appear in order inside an
//     earlier kept line (five words or more, e.g. a "Highlights" bullet
//     repeating a quote), or when it is a near copy of one (word overlap of
//     80% or more, six words or more, e.g. a standfirst printed twice with
//     one word changed). An earlier kept line of six words or more whose
//     words appear inside a later line is dropped in favour of the longer
//     one, so each piece of content is counted once.
func Clean(pasted string) Cleaned {
	return clean(pasted, "")
}

// Limits that keep Clean's repeat search bounded on very long input.
const (
	// lcsBudget is the number of word-pair comparisons the near-copy search
	// may spend on one text; beyond it only exact and contained repeats are
	// found.
	lcsBudget = 16_000_000
	// containBudget caps the earlier-line containment checks per text.
	containBudget = 200_000
	// scanBudget caps the bytes of kept text searched for contained
	// repeats per text (the search is quadratic on very long pastes).
	scanBudget = 256 << 20
	// maxFuzzyWords is the longest line the near-copy search looks at.
	maxFuzzyWords = 200
)

// Thresholds of the repeat rules, in words.
const (
	minExactWords   = 3
	minContainWords = 5
	minRetroWords   = 6
	minFuzzyWords   = 6
	fuzzyRatio      = 0.8
)

// cline is one input line with what the rules need to know about it.
type cline struct {
	no    int    // 1-based line number
	text  string // trimmed text
	key   string // lower-cased, straightened form for the line rules
	kwc   int    // words in key
	norm  string // folded form for repeat detection
	words []string
	blank bool
	why   string // set when the line is dropped
}

func (l *cline) kept() bool { return !l.blank && l.why == "" }

// clean is Clean with an optional headline already known (from page
// metadata): when knownTitle is set, lines near the top matching it are
// dropped instead of guessing a title.
func clean(input string, knownTitle string) Cleaned {
	lines := splitLines(input)
	if len(lines) == 0 {
		return Cleaned{}
	}
	applyLineRules(lines)
	applySectionRules(lines)
	applyPositionRules(lines)

	var out Cleaned
	titleNo := 0
	knownTitle = strings.TrimSpace(knownTitle)
	if knownTitle != "" {
		out.Title = knownTitle
		dropKnownTitle(lines, knownTitle)
	} else if i := detectTitle(lines); i >= 0 {
		out.Title = strings.Join(strings.Fields(lines[i].text), " ")
		titleNo = lines[i].no
		lines[i].why = "headline (moved to Title)"
	}
	dedupe(lines, out.Title, titleNo)

	var b strings.Builder
	prev := -1
	for i := range lines {
		l := &lines[i]
		if l.blank {
			continue
		}
		if l.why != "" {
			out.Removed = append(out.Removed, RemovedLine{Line: l.no, Text: l.text, Why: l.why})
			continue
		}
		if prev >= 0 {
			b.WriteByte('\n')
			for j := prev + 1; j < i; j++ {
				if lines[j].blank {
					b.WriteByte('\n')
					break
				}
			}
		}
		b.WriteString(l.text)
		prev = i
	}
	out.Text = b.String()
	return out
}

// splitLines splits on \n, \r\n and lone \r and prepares each line.
func splitLines(s string) []cline {
	if s == "" {
		return nil
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	raw := strings.Split(s, "\n")
	lines := make([]cline, len(raw))
	for i, r := range raw {
		t := strings.TrimSpace(r)
		l := cline{no: i + 1, text: t, blank: t == ""}
		if !l.blank {
			l.key = ruleKey(t)
			l.kwc = len(strings.Fields(l.key))
			l.norm = foldText(t)
			l.words = strings.Fields(l.norm)
		}
		lines[i] = l
	}
	return lines
}

// quoteStraightener maps typographic quotes to ASCII ones.
var quoteStraightener = strings.NewReplacer(
	"\u2018", "'", "\u2019", "'", "\u201a", "'", "\u201b", "'", "\u02bc", "'", "\u2032", "'",
	"\u201c", `"`, "\u201d", `"`, "\u201e", `"`, "\u201f", `"`, "\u00ab", `"`, "\u00bb", `"`,
)

// ruleKey is the form the line rules match: NFKC, lower case, straight
// quotes, single spaces, no leading bullet and no trailing punctuation.
func ruleKey(s string) string {
	s = strings.ToLower(norm.NFKC.String(s))
	s = quoteStraightener.Replace(s)
	s = strings.Join(strings.Fields(s), " ")
	s = strings.TrimLeft(s, "-–—•*·›▶►▪◦>| ")
	s = strings.TrimRight(s, " .!?:;…,|-–—»›>")
	return s
}

// foldText is the form repeats are compared in: accents removed, lower
// case, apostrophes dropped inside words, every other non-letter non-digit
// a word break, words separated by single spaces.
func foldText(s string) string {
	s = norm.NFKD.String(s)
	var b strings.Builder
	b.Grow(len(s))
	space := true
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Mn, r):
			// combining accent: drop
		case r == '\'' || r == '\u2019' || r == '\u2018' || r == '\u02bc' || r == '`' || r == '\u2032':
			// apostrophe: "it’s" and "its" compare equal
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
			space = false
		default:
			if !space {
				b.WriteByte(' ')
				space = true
			}
		}
	}
	return strings.TrimRight(b.String(), " ")
}

// endsSentence reports whether s ends like a sentence: with . ! ? or …,
// possibly followed by closing quotes or brackets.
func endsSentence(s string) bool {
	s = strings.TrimRightFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(`"'”’»)]`, r)
	})
	r, _ := utf8.DecodeLastRuneInString(s)
	return r == '.' || r == '!' || r == '?' || r == '…'
}

// isParagraph reports whether a line reads as a real paragraph of prose:
// a sentence of eight words or more, or a long line of any ending.
func isParagraph(l *cline) bool {
	if l.blank {
		return false
	}
	n := len(l.words)
	return (n >= 8 && endsSentence(l.text)) || n >= 25
}

// applyLineRules drops lines that match a furniture rule on their own.
func applyLineRules(lines []cline) {
	for i := range lines {
		l := &lines[i]
		if l.blank {
			continue
		}
		if len(l.words) == 0 {
			l.why = "no words (decoration)"
			continue
		}
		for _, r := range lineRules {
			if r.match(l) {
				l.why = r.why
				break
			}
		}
	}
}

// applySectionRules drops link-list headings and the headline lines under
// them, up to the end of the text or the next real paragraph.
func applySectionRules(lines []cline) {
	heading := ""
	for i := range lines {
		l := &lines[i]
		if l.blank {
			continue
		}
		if isListHeading(l) {
			heading = l.text
			if l.why == "" {
				l.why = "heading of a link list (" + quoteShort(heading) + ")"
			}
			continue
		}
		if heading == "" {
			continue
		}
		if isParagraph(l) {
			heading = ""
			continue
		}
		if l.why == "" {
			l.why = "headline list under " + quoteShort(heading)
		}
	}
}

// applyPositionRules drops date-only lines and bylines above the first
// paragraph, and date-only lines below the last one.
func applyPositionRules(lines []cline) {
	first, last := -1, -1
	for i := range lines {
		if lines[i].kept() && isParagraph(&lines[i]) {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	for i := range lines {
		l := &lines[i]
		if !l.kept() {
			continue
		}
		top := first < 0 || i < first
		bottom := last >= 0 && i > last
		switch {
		case (top || bottom) && isDateLine(l.key):
			l.why = "date line"
		case top && isByline(l.text):
			l.why = "byline"
		}
	}
}

// titleShape reports whether a line looks like a headline: 2 to 25 words,
// at most 200 characters, no final comma, colon or semicolon, and no final
// period unless it closes an abbreviation ("… From the I.R.S.").
func titleShape(l *cline) bool {
	n := len(l.words)
	if n < 2 || n > 25 || utf8.RuneCountInString(l.text) > 200 {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(l.text)
	if r == '.' {
		last := l.text[strings.LastIndexFunc(l.text, unicode.IsSpace)+1:]
		return strings.Count(last, ".") >= 2
	}
	return !strings.ContainsRune(",;:…", r)
}

// startsBody reports whether a line can open the story under a headline:
// a paragraph, or a sentence of four words or more.
func startsBody(l *cline) bool {
	return isParagraph(l) || (len(l.words) >= 4 && endsSentence(l.text))
}

// detectTitle returns the index of the headline line, or -1. It looks at
// the first three kept lines, stopping at the first paragraph, and takes the
// first that has a headline's shape and is either followed by the start of
// the story or repeated later.
func detectTitle(lines []cline) int {
	seen := 0
	for i := range lines {
		l := &lines[i]
		if !l.kept() {
			continue
		}
		if seen == 3 {
			return -1
		}
		seen++
		if titleShape(l) {
			for j := i + 1; j < len(lines); j++ {
				if lines[j].kept() {
					if startsBody(&lines[j]) {
						return i
					}
					break
				}
			}
			for j := i + 1; j < len(lines); j++ {
				if lines[j].kept() && lines[j].norm == l.norm {
					return i
				}
			}
		}
		if isParagraph(l) {
			return -1
		}
	}
	return -1
}

// dropKnownTitle drops lines above the first paragraph that repeat a
// headline known from page metadata.
func dropKnownTitle(lines []cline, title string) {
	tn := strings.Fields(foldText(title))
	if len(tn) == 0 {
		return
	}
	budget := lcsBudget
	for i := range lines {
		l := &lines[i]
		if !l.kept() {
			continue
		}
		if isParagraph(l) {
			return
		}
		if l.norm == strings.Join(tn, " ") || similar(l.words, tn, &budget) {
			l.why = "headline (already in Title)"
		}
	}
}

// keptRef is a kept line (or the title) as the repeat search sees it.
type keptRef struct {
	idx   int // index into lines, -1 for the title
	no    int // line number, 0 when the title did not come from a line
	norm  string
	words []string
	bag   []uint64 // sorted word hashes, for the near-copy prefilter
}

// dedupe drops exact, contained and near repeats; see Clean. Each kept
// line is checked against those kept before it, in three ways from the
// cheapest, and once kept it drops the earlier shorter lines whose words
// it repeats.
func dedupe(lines []cline, title string, titleNo int) {
	r := &repeats{lines: lines, exact: map[string]int{}, byFirst: map[string][]int{},
		lcsLeft: lcsBudget, containLeft: containBudget, scanLeft: scanBudget}
	if title != "" {
		tn := foldText(title)
		tw := strings.Fields(tn)
		r.add(keptRef{idx: -1, no: titleNo, norm: tn, words: tw, bag: wordBag(tw)})
	}
	for i := range lines {
		l := &lines[i]
		if !l.kept() {
			continue
		}
		if why := r.repeatOf(l); why != "" {
			l.why = why
			continue
		}
		var bag []uint64
		if n := len(l.words); n >= minFuzzyWords && n <= maxFuzzyWords {
			bag = wordBag(l.words)
			if k := r.nearCopy(l, bag); k >= 0 {
				l.why = "near repeat of " + r.ref(k)
				continue
			}
		}
		r.dropShorterCopies(l)
		r.add(keptRef{idx: i, no: l.no, norm: l.norm, words: l.words, bag: bag})
	}
}

// repeats is what dedupe knows of the lines kept so far, with the budgets
// that keep its work linear in the text whatever the text.
type repeats struct {
	lines   []cline
	kept    []keptRef
	exact   map[string]int   // norm → index into kept
	byFirst map[string][]int // first word → indexes into kept
	corpus  strings.Builder  // " norm \x00" per kept entry
	starts  []int            // corpus offset of each kept entry

	lcsLeft, containLeft, scanLeft int
}

// alive reports whether a kept entry is still kept (a later, longer line
// may have dropped it).
func (r *repeats) alive(k int) bool {
	return r.kept[k].idx < 0 || r.lines[r.kept[k].idx].why == ""
}

// add keeps an entry.
func (r *repeats) add(e keptRef) {
	k := len(r.kept)
	r.kept = append(r.kept, e)
	if k0, ok := r.exact[e.norm]; !ok || !r.alive(k0) {
		r.exact[e.norm] = k
	}
	if len(e.words) > 0 {
		r.byFirst[e.words[0]] = append(r.byFirst[e.words[0]], k)
	}
	r.starts = append(r.starts, r.corpus.Len())
	r.corpus.WriteString(" ")
	r.corpus.WriteString(e.norm)
	r.corpus.WriteString(" \x00")
}

// ref names a kept entry in a Why message.
func (r *repeats) ref(k int) string {
	switch {
	case r.kept[k].idx >= 0:
		return "line " + strconv.Itoa(r.kept[k].no)
	case r.kept[k].no > 0:
		return "the headline (line " + strconv.Itoa(r.kept[k].no) + ")"
	default:
		return "the headline"
	}
}

// repeatOf says why a line repeats a kept one exactly, or is contained in
// one; "" when it does neither.
func (r *repeats) repeatOf(l *cline) string {
	n := len(l.words)
	if k, ok := r.exact[l.norm]; ok && n >= minExactWords && r.alive(k) {
		return "repeat of " + r.ref(k)
	}
	if n >= minContainWords && r.scanLeft > 0 {
		r.scanLeft -= r.corpus.Len()
		if k := findContaining(r.corpus.String(), r.starts, " "+l.norm+" ", r.alive); k >= 0 {
			return "its words repeat " + r.ref(k)
		}
	}
	return ""
}

// nearCopy returns the kept entry a line nearly copies, or -1.
func (r *repeats) nearCopy(l *cline, bag []uint64) int {
	n := len(l.words)
	for k := range r.kept {
		if !r.alive(k) {
			continue
		}
		m := len(r.kept[k].words)
		if m < minFuzzyWords || m > maxFuzzyWords || 3*min(n, m) < 2*max(n, m) {
			continue
		}
		// Shared words bound the common subsequence from above.
		if 10*bagOverlap(bag, r.kept[k].bag) < 8*(n+m)/2 {
			continue
		}
		if similar(l.words, r.kept[k].words, &r.lcsLeft) {
			return k
		}
	}
	return -1
}

// dropShorterCopies drops the earlier, shorter kept lines whose words a
// line about to be kept contains.
func (r *repeats) dropShorterCopies(l *cline) {
	n := len(l.words)
	if n <= minRetroWords {
		return
	}
	padded := " " + l.norm + " "
	seenWord := map[string]bool{}
	for _, w := range l.words {
		if seenWord[w] {
			continue
		}
		seenWord[w] = true
		for _, k := range r.byFirst[w] {
			if r.containLeft <= 0 {
				break
			}
			e := r.kept[k]
			if e.idx < 0 || !r.alive(k) || len(e.words) < minRetroWords || len(e.words) >= n {
				continue
			}
			r.containLeft--
			if strings.Contains(padded, " "+e.norm+" ") {
				r.lines[e.idx].why = "shorter copy of line " + strconv.Itoa(l.no)
			}
		}
	}
}

// wordBag returns the sorted FNV-1a hashes of words.
func wordBag(words []string) []uint64 {
	bag := make([]uint64, len(words))
	for i, w := range words {
		h := uint64(14695981039346656037)
		for j := 0; j < len(w); j++ {
			h ^= uint64(w[j])
			h *= 1099511628211
		}
		bag[i] = h
	}
	slices.Sort(bag)
	return bag
}

// bagOverlap counts the words two sorted bags share, with multiplicity.
func bagOverlap(a, b []uint64) int {
	n, i, j := 0, 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			n++
			i++
			j++
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	return n
}

// findContaining returns the kept entry whose text contains needle (a
// padded folded line), preferring the first one still kept, or -1.
func findContaining(corpus string, starts []int, needle string, alive func(int) bool) int {
	from := 0
	for from < len(corpus) {
		j := strings.Index(corpus[from:], needle)
		if j < 0 {
			return -1
		}
		at := from + j
		k := sort.Search(len(starts), func(i int) bool { return starts[i] > at }) - 1
		if k >= 0 && alive(k) {
			return k
		}
		from = at + 1
	}
	return -1
}

// similar reports whether two word sequences share at least fuzzyRatio of
// their words in order (2·LCS / (len a + len b)). It spends from budget and
// answers false once the budget is gone.
func similar(a, b []string, budget *int) bool {
	if len(a) == 0 || len(b) == 0 {
		return false
	}
	cost := len(a) * len(b)
	if cost > *budget {
		return false
	}
	*budget -= cost
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			switch {
			case a[i-1] == b[j-1]:
				cur[j] = prev[j-1] + 1
			case prev[j] >= cur[j-1]:
				cur[j] = prev[j]
			default:
				cur[j] = cur[j-1]
			}
		}
		prev, cur = cur, prev
	}
	lcs := prev[len(b)]
	return float64(2*lcs) >= fuzzyRatio*float64(len(a)+len(b))
}

// quoteShort quotes a heading for a Why message, shortened to 60 runes.
func quoteShort(s string) string {
	if utf8.RuneCountInString(s) > 60 {
		r := []rune(s)
		s = string(r[:60]) + "…"
	}
	return "“" + s + "”"
}
