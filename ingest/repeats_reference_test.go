package ingest

// The repeat search as it was before it was made linear (a scan of every
// kept line for each new line, within fixed budgets), kept as the
// reference the linear search must agree with: on the seeds, the
// evaluation articles and anything the fuzzer finds that fits in the old
// budgets (TestRepeatsMatchReference, FuzzRepeatsMatchReference).

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"

	"slant/internal/workspace"
)

// Budgets of the reference search, as they were.
const (
	refLCSBudget     = 16_000_000
	refContainBudget = 200_000
	refScanBudget    = 256 << 20
)

// refClean is clean with the reference repeat search.
func refClean(input string, knownTitle string) Cleaned {
	lines := splitLines(input, nil)
	if len(lines) == 0 {
		return Cleaned{}
	}
	applyLineRules(lines, nil)
	applySectionRules(lines)
	applyPositionRules(lines)

	var out Cleaned
	titleNo := 0
	knownTitle = strings.TrimSpace(knownTitle)
	if knownTitle != "" {
		out.Title = knownTitle
		budget := int64(refLCSBudget)
		dropKnownTitle(lines, knownTitle, &budget, nil)
	} else if i := detectTitle(lines); i >= 0 {
		out.Title = strings.Join(strings.Fields(lines[i].text), " ")
		titleNo = lines[i].no
		lines[i].why = "headline (moved to Title)"
	}
	refDedupe(lines, out.Title, titleNo)
	assemble(lines, &out)
	return out
}

// refKept is a kept line (or the title) as the repeat search sees it.
type refKept struct {
	idx   int // index into lines, -1 for the title
	no    int // line number, 0 when the title did not come from a line
	norm  string
	words []string
	bag   []uint64 // sorted word hashes, for the near-copy prefilter
}

// dedupe drops exact, contained and near refRepeats; see Clean. Each kept
// line is checked against those kept before it, in three ways from the
// cheapest, and once kept it drops the earlier shorter lines whose words
// it refRepeats.
func refDedupe(lines []cline, title string, titleNo int) {
	r := &refRepeats{lines: lines, exact: map[string]int{}, byFirst: map[string][]int{},
		lcsLeft: refLCSBudget, containLeft: refContainBudget, scanLeft: refScanBudget}
	if title != "" {
		tn := foldText(title)
		tw := strings.Fields(tn)
		r.add(refKept{idx: -1, no: titleNo, norm: tn, words: tw, bag: wordBag(tw)})
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
		r.add(refKept{idx: i, no: l.no, norm: l.norm, words: l.words, bag: bag})
	}
}

// refRepeats is what dedupe knows of the lines kept so far, with the budgets
// that keep its work linear in the text whatever the text.
type refRepeats struct {
	lines   []cline
	kept    []refKept
	exact   map[string]int   // norm → index into kept
	byFirst map[string][]int // first word → indexes into kept
	corpus  strings.Builder  // " norm \x00" per kept entry
	starts  []int            // corpus offset of each kept entry

	lcsLeft, containLeft, scanLeft int
}

// alive reports whether a kept entry is still kept (a later, longer line
// may have dropped it).
func (r *refRepeats) alive(k int) bool {
	return r.kept[k].idx < 0 || r.lines[r.kept[k].idx].why == ""
}

// add keeps an entry.
func (r *refRepeats) add(e refKept) {
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
func (r *refRepeats) ref(k int) string { return keptName(r.kept[k].idx, r.kept[k].no) }

// repeatOf says why a line refRepeats a kept one exactly, or is contained in
// one; "" when it does neither.
func (r *refRepeats) repeatOf(l *cline) string {
	n := len(l.words)
	if k, ok := r.exact[l.norm]; ok && n >= minExactWords && r.alive(k) {
		return "repeat of " + r.ref(k)
	}
	if n >= minContainWords && r.scanLeft > 0 {
		r.scanLeft -= r.corpus.Len()
		if k := refFindContaining(r.corpus.String(), r.starts, " "+l.norm+" ", r.alive); k >= 0 {
			return "its words repeat " + r.ref(k)
		}
	}
	return ""
}

// nearCopy returns the kept entry a line nearly copies, or -1.
func (r *refRepeats) nearCopy(l *cline, bag []uint64) int {
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
func (r *refRepeats) dropShorterCopies(l *cline) {
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

// refFindContaining returns the kept entry whose text contains needle (a
// padded folded line), preferring the first one still kept, or -1.
func refFindContaining(corpus string, starts []int, needle string, alive func(int) bool) int {
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

// referenceInputs are texts whose repeats the reference search finds
// within its budgets: the seeds, the evaluation articles, the test
// fixtures and small texts full of every kind of repeat.
func referenceInputs(t *testing.T) []string {
	ins := []string{
		"", "a\nb", para1 + "\n" + para1, benchText(50), benchText(300),
		strings.Repeat("one two three four five six seven\n", 40),
		"Ferry strike halts crossings\n" + para1 + "\nFerry strike halts crossings\n" + para2,
	}
	// Lines that nearly copy, contain and are contained in each other.
	words := strings.Fields(para1 + " " + para2 + " " + para3)
	for i := 0; i < 200; i++ {
		a := (i * 7) % len(words)
		b := min(len(words), a+6+(i*13)%30)
		line := strings.Join(words[a:b], " ")
		if i%3 == 0 {
			line = strings.Replace(line, words[a], "changed", 1)
		}
		ins[len(ins)-1] += "\n" + line
	}
	// Lines drawn from a dozen words: near copies and runs in common
	// everywhere.
	rng := rand.New(rand.NewPCG(15, 15))
	vocab := strings.Fields("the council voted to close camp and open a shelter on monday")
	for range 4 {
		var b strings.Builder
		for range 300 {
			for j, n := 0, 4+rng.IntN(24); j < n; j++ {
				b.WriteString(vocab[rng.IntN(len(vocab))] + " ")
			}
			b.WriteString("\n")
		}
		ins = append(ins, b.String())
	}
	shared, err := workspace.SharedDir()
	if err != nil {
		t.Logf("no seeds or evaluation articles: %v", err)
		return ins
	}
	for _, name := range []string{"outlet-a_t4k3-news.txt", "outlet-b_newszed.txt"} {
		if b, err := os.ReadFile(filepath.Join(shared, "seeds", name)); err == nil {
			ins = append(ins, string(b))
		}
	}
	for _, a := range evalArticles(t) {
		ins = append(ins, a[0]+"\n\n"+a[1])
	}
	return ins
}

// TestRepeatsMatchReference checks that the indexed repeat search finds
// exactly what comparing every pair of lines found, with a headline known
// and without.
func TestRepeatsMatchReference(t *testing.T) {
	for i, in := range referenceInputs(t) {
		for _, title := range []string{"", "Ferry strike halts crossings"} {
			want, got := refClean(in, title), clean(in, title, nil)
			if !reflect.DeepEqual(want, got) {
				t.Fatalf("input %d (title %q): the indexed search differs from the reference\nwant removed %v\ngot  removed %v", i, title, want.Removed, got.Removed)
			}
		}
	}
}

// FuzzRepeatsMatchReference checks the same on any text: lines are made
// of a few words so that repeats of every kind are common.
func FuzzRepeatsMatchReference(f *testing.F) {
	f.Add("a b c d e f g\na b c d e f\nb c d e f g h\nx a b c d e f g y\n")
	f.Add("one two three four five six\none two three four five seven\n\n" + para1)
	f.Fuzz(func(t *testing.T, in string) {
		if len(in) > 4096 {
			return
		}
		for _, title := range []string{"", "a b c d e f"} {
			want, got := refClean(in, title), clean(in, title, nil)
			if !reflect.DeepEqual(want, got) {
				t.Fatalf("the indexed search differs from the reference\nwant %+v\ngot  %+v", want, got)
			}
		}
	})
}

// FuzzLCSLength holds the bit-parallel common subsequence to the table
// that similar fills row by row.
func FuzzLCSLength(f *testing.F) {
	f.Add("a b c d", "b d a c")
	f.Add(strings.Repeat("x y ", 70), strings.Repeat("y x z ", 50))
	f.Fuzz(func(t *testing.T, a, b string) {
		wa, wb := strings.Fields(a), strings.Fields(b)
		if len(wa) > 300 || len(wb) > 300 {
			return
		}
		if got, want := lcsLength(wordHashes(wa), wordHashes(wb)), tableLCS(wa, wb); got != want {
			t.Fatalf("lcsLength %d, table %d", got, want)
		}
	})
}

// tableLCS is the common subsequence's length by the row-by-row table.
func tableLCS(a, b []string) int {
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
	return prev[len(b)]
}
