package ingest

import (
	"slices"
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
//
// Its work grows linearly with the text, whatever the text: see
// repeats.go for how the repeat search avoids comparing every pair of
// lines.
func Clean(pasted string) Cleaned {
	return clean(pasted, "", nil)
}

// maxFuzzyWords is the longest line the near-copy search looks at.
const maxFuzzyWords = 200

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
// dropped instead of guessing a title. w counts the work.
func clean(input string, knownTitle string, w *work) Cleaned {
	lines := splitLines(input, w)
	if len(lines) == 0 {
		return Cleaned{}
	}
	budget := searchBudget(len(input))
	applyLineRules(lines, w)
	applySectionRules(lines)
	applyPositionRules(lines)

	var out Cleaned
	titleNo := 0
	knownTitle = strings.TrimSpace(knownTitle)
	if knownTitle != "" {
		out.Title = knownTitle
		dropKnownTitle(lines, knownTitle, &budget, w)
	} else if i := detectTitle(lines); i >= 0 {
		out.Title = strings.Join(strings.Fields(lines[i].text), " ")
		titleNo = lines[i].no
		lines[i].why = "headline (moved to Title)"
	}
	dedupe(lines, out.Title, titleNo, budget, w)
	assemble(lines, &out)
	return out
}

// assemble sets out's Text to the kept lines, one blank line wherever
// blank lines stood between two of them, and appends the dropped ones to
// out.Removed in line order.
func assemble(lines []cline, out *Cleaned) {
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
}

// splitLines splits on \n, \r\n and lone \r and prepares each line.
func splitLines(s string, w *work) []cline {
	if s == "" {
		return nil
	}
	w.tick(len(s))
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	raw := strings.Split(s, "\n")
	lines := make([]cline, len(raw))
	for i, r := range raw {
		t := strings.TrimSpace(r)
		l := cline{no: i + 1, text: t, blank: t == ""}
		if !l.blank {
			w.tick(3 * len(t)) // the key, its words and the folded form
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
func applyLineRules(lines []cline, w *work) {
	for i := range lines {
		l := &lines[i]
		if l.blank {
			continue
		}
		w.tick(len(l.key)) // each rule is a regular expression or a scan: linear in the line
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
// The comparisons are paid from the repeat search's budget.
func dropKnownTitle(lines []cline, title string, budget *int64, w *work) {
	tn := strings.Fields(foldText(title))
	if len(tn) == 0 {
		return
	}
	joined := strings.Join(tn, " ")
	for i := range lines {
		l := &lines[i]
		if !l.kept() {
			continue
		}
		if isParagraph(l) {
			return
		}
		w.tick(len(l.norm))
		left := int(min(*budget, int64(maxInt)))
		before := left
		if l.norm == joined || similar(l.words, tn, &left) {
			l.why = "headline (already in Title)"
		}
		*budget -= int64(before - left)
		w.tick(before - left)
	}
}

// wordBag returns the sorted FNV-1a hashes of words.
func wordBag(words []string) []uint64 {
	bag := wordHashes(words)
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
