package ingest

import (
	"math/bits"
	"slices"
	"strconv"
	"strings"
)

// The repeat search of Clean (rule 5): each kept line is checked against
// the lines kept before it, in three ways from the cheapest, and once kept
// it drops the earlier shorter lines whose words it repeats. A line is
// never compared with every line before it: each way looks its candidates
// up in an index of the kept lines, so that the work grows with the text,
// not with its square.
//
//   - An exact repeat is a look-up of the line's folded form.
//   - A line contained in a kept line shares every run of minContainWords
//     words with it: the kept lines are indexed by each such run, and only
//     those holding the line's rarest run are searched.
//   - A near copy shares at least 40% of its words with the line (the
//     bag-of-words bound of the common subsequence that fuzzyRatio asks
//     for). With the words of every line in one fixed order, rarest
//     first, two lines sharing that many words share a word among the
//     first third or so of each (prefix filtering, as in set-similarity
//     joins): the kept lines are indexed by those first words only.
//   - A shorter kept line contained in the new one starts at one of its
//     words: the kept lines are indexed by their first minRetroWords
//     words.
//
// Within a text's budget (searchBudget) the result is exactly that of
// comparing every pair (repeats_reference_test.go checks it against the
// old pairwise search). Only text built to defeat the indexes (thousands
// of lines sharing their words) can run out of budget, and then it loses
// only the repeats not found yet.

// Bounds of the near-copy search for one line, so that its work is a
// constant times the line's length whatever came before it: an index
// entry hands a line its maxPostingScan most recent kept lines, and at
// most maxNearChecks candidates are compared with it, oldest first. Real
// articles come nowhere near either: in the 1,600 evaluation articles no
// index entry held more than 2 lines, and no line had more than 7
// candidates.
const (
	maxPostingScan = 16
	maxNearChecks  = 16
)

// keptRef is a kept line (or the title) as the repeat search sees it.
type keptRef struct {
	idx    int // index into lines, -1 for the title
	no     int // line number, 0 when the title did not come from a line
	norm   string
	padded string // " " + norm + " ", to find whole-word runs
	words  []string
	hashes []uint64 // one per word
	bag    []uint64 // sorted word hashes, for the near-copy prefilter
}

// repeats is what dedupe knows of the lines kept so far, with their
// indexes and the budget that keeps its work linear in the text whatever
// the text.
type repeats struct {
	lines []cline
	kept  []keptRef
	exact map[string]int // norm → index into kept

	runs     map[uint64][]int32 // hash of minContainWords words → kept entries holding that run
	heads    map[uint64][]int32 // hash of the first minRetroWords words → kept entries
	prefixes map[uint64][]int32 // near-copy token → kept entries with it in their prefix
	rarity   map[uint64]int32   // near-copy token → lines holding it

	seen  []int32 // per kept entry: the stamp of the last search that met it
	stamp int32

	left int64 // budget left
	w    *work
}

// dedupe drops exact, contained and near repeats; see Clean and the
// comment at the top of this file.
func dedupe(lines []cline, title string, titleNo int, budget int64, w *work) {
	r := &repeats{lines: lines, exact: map[string]int{}, runs: map[uint64][]int32{},
		heads: map[uint64][]int32{}, prefixes: map[uint64][]int32{}, left: budget, w: w}
	var titleRef keptRef
	if title != "" {
		tn := foldText(title)
		titleRef = newKeptRef(-1, titleNo, tn, strings.Fields(tn))
	}
	r.countRarity(lines, titleRef.words)
	if title != "" {
		r.add(titleRef)
	}
	for i := range lines {
		l := &lines[i]
		if !l.kept() {
			continue
		}
		e := newKeptRef(i, l.no, l.norm, l.words)
		w.tick(len(l.norm))
		if why := r.repeatOf(&e); why != "" {
			l.why = why
			continue
		}
		if k := r.nearCopy(&e); k >= 0 {
			l.why = "near repeat of " + r.ref(k)
			continue
		}
		r.dropShorterCopies(&e, l.no)
		r.add(e)
	}
}

// newKeptRef prepares a line (or the title) for the search.
func newKeptRef(idx, no int, norm string, words []string) keptRef {
	e := keptRef{idx: idx, no: no, norm: norm, padded: " " + norm + " ", words: words, hashes: make([]uint64, len(words))}
	for i, w := range words {
		e.hashes[i] = wordHash(w)
	}
	if n := len(words); n >= minFuzzyWords && n <= maxFuzzyWords {
		e.bag = slices.Clone(e.hashes)
		slices.Sort(e.bag)
	}
	return e
}

// nearCopyCandidate reports whether a line of n words takes part in the
// near-copy search.
func nearCopyCandidate(n int) bool { return n >= minFuzzyWords && n <= maxFuzzyWords }

// spend takes n units from the budget and counts them as work; it reports
// whether any budget is left.
func (r *repeats) spend(n int) bool {
	r.left -= int64(n)
	r.w.tick(n)
	return r.left > 0
}

// alive reports whether a kept entry is still kept (a later, longer line
// may have dropped it).
func (r *repeats) alive(k int) bool {
	return r.kept[k].idx < 0 || r.lines[r.kept[k].idx].why == ""
}

// add keeps an entry and indexes it.
func (r *repeats) add(e keptRef) {
	k := len(r.kept)
	r.kept = append(r.kept, e)
	r.seen = append(r.seen, 0)
	if k0, ok := r.exact[e.norm]; !ok || !r.alive(k0) {
		r.exact[e.norm] = k
	}
	n := len(e.hashes)
	r.w.tick(n)
	for i := 0; i+minContainWords <= n; i++ {
		h := runHash(e.hashes[i : i+minContainWords])
		if p := r.runs[h]; len(p) == 0 || p[len(p)-1] != int32(k) {
			r.runs[h] = append(p, int32(k))
		}
	}
	if n >= minRetroWords {
		h := runHash(e.hashes[:minRetroWords])
		r.heads[h] = append(r.heads[h], int32(k))
	}
	if e.bag != nil {
		for _, t := range r.prefix(e.hashes) {
			r.prefixes[t] = append(r.prefixes[t], int32(k))
		}
	}
}

// ref names a kept entry in a Why message.
func (r *repeats) ref(k int) string { return keptName(r.kept[k].idx, r.kept[k].no) }

// keptName names a kept entry in a Why message by its index into the
// lines (-1 for the title) and its line number (0 when the title did not
// come from a line).
func keptName(idx, no int) string {
	switch {
	case idx >= 0:
		return "line " + strconv.Itoa(no)
	case no > 0:
		return "the headline (line " + strconv.Itoa(no) + ")"
	default:
		return "the headline"
	}
}

// repeatOf says why a line repeats a kept one exactly, or is contained in
// one (the first such line still kept); "" when it does neither.
func (r *repeats) repeatOf(l *keptRef) string {
	n := len(l.words)
	if k, ok := r.exact[l.norm]; ok && n >= minExactWords && r.alive(k) {
		return "repeat of " + r.ref(k)
	}
	if n < minContainWords || r.left <= 0 {
		return ""
	}
	// A kept line holding the whole line holds each of its runs: search
	// the lines holding the rarest.
	var best []int32
	for i := 0; i+minContainWords <= n; i++ {
		p := r.runs[runHash(l.hashes[i:i+minContainWords])]
		if len(p) == 0 {
			r.w.tick(i + 1)
			return ""
		}
		if best == nil || len(p) < len(best) {
			best = p
		}
	}
	r.w.tick(n)
	for _, k := range best {
		if !r.spend(1) {
			return ""
		}
		e := &r.kept[k]
		if len(e.words) < n || !r.alive(int(k)) {
			continue
		}
		r.spend(len(e.padded))
		if strings.Contains(e.padded, l.padded) {
			return "its words repeat " + r.ref(int(k))
		}
	}
	return ""
}

// nearCopy returns the first kept entry a line nearly copies, or -1.
func (r *repeats) nearCopy(l *keptRef) int {
	n := len(l.words)
	if l.bag == nil || r.left <= 0 {
		return -1
	}
	r.stamp++
	var candidates []int
	for _, t := range r.prefix(l.hashes) {
		p := r.prefixes[t]
		for _, k := range p[max(0, len(p)-maxPostingScan):] {
			if !r.spend(1) {
				return -1
			}
			if r.seen[k] != r.stamp {
				r.seen[k] = r.stamp
				candidates = append(candidates, int(k))
			}
		}
	}
	slices.Sort(candidates)
	checks := 0
	for _, k := range candidates {
		e := &r.kept[k]
		m := len(e.words)
		if !r.alive(k) || !nearCopyCandidate(m) || 3*min(n, m) < 2*max(n, m) {
			continue
		}
		if checks++; checks > maxNearChecks {
			return -1
		}
		// Shared words bound the common subsequence from above.
		r.spend(n + m)
		if 10*bagOverlap(l.bag, e.bag) < 8*(n+m)/2 {
			continue
		}
		if !r.spend(lcsCost(n, m)) {
			return -1
		}
		if float64(2*lcsLength(l.hashes, e.hashes)) >= fuzzyRatio*float64(n+m) {
			return k
		}
	}
	return -1
}

// maxInt is the largest int, for budgets handed to similar.
const maxInt = int(^uint(0) >> 1)

// lcsCost is the work of lcsLength on sequences of n and m words.
func lcsCost(n, m int) int { return m + n*((m+63)/64) }

// lcsLength returns the length of the longest common subsequence of two
// sequences of word hashes, 64 positions of b at a time (the
// bit-parallel algorithm of Allison and Dix, as Hyyrö writes it): the
// same number as the row-by-row table of similar, for a 64th of the
// work.
func lcsLength(a, b []uint64) int {
	m := len(b)
	if len(a) == 0 || m == 0 {
		return 0
	}
	blocks := (m + 63) / 64
	masks := make(map[uint64][]uint64, m)
	for j, h := range b {
		mask := masks[h]
		if mask == nil {
			mask = make([]uint64, blocks)
			masks[h] = mask
		}
		mask[j/64] |= 1 << (j % 64)
	}
	v := make([]uint64, blocks)
	for i := range v {
		v[i] = ^uint64(0)
	}
	for _, h := range a {
		mask := masks[h]
		if mask == nil {
			continue
		}
		var carry uint64
		for i := range v {
			u := v[i] & mask[i]
			sum, c := bits.Add64(v[i], u, carry)
			v[i] = sum | (v[i] &^ mask[i])
			carry = c
		}
	}
	zeros := 0
	for i, x := range v {
		valid := 64
		if i == blocks-1 && m%64 != 0 {
			valid = m % 64
		}
		zeros += valid - bits.OnesCount64(x&(^uint64(0)>>(64-valid)))
	}
	return zeros
}

// dropShorterCopies drops the earlier, shorter kept lines whose words a
// line about to be kept (line number no) contains.
func (r *repeats) dropShorterCopies(l *keptRef, no int) {
	n := len(l.words)
	if n <= minRetroWords || r.left <= 0 {
		return
	}
	r.stamp++
	for i := 0; i+minRetroWords <= n; i++ {
		for _, k := range r.heads[runHash(l.hashes[i:i+minRetroWords])] {
			if !r.spend(1) {
				return
			}
			if r.seen[k] == r.stamp {
				continue
			}
			r.seen[k] = r.stamp
			e := &r.kept[k]
			if e.idx < 0 || len(e.words) >= n || !r.alive(int(k)) {
				continue
			}
			r.spend(len(l.padded))
			if strings.Contains(l.padded, e.padded) {
				r.lines[e.idx].why = "shorter copy of line " + strconv.Itoa(no)
			}
		}
	}
}

// The near-copy tokens. A word's k-th occurrence in a line is a token of
// its own, so that shared tokens count shared words with multiplicity, as
// bagOverlap does.

// countRarity counts, for every token, the lines of the near-copy search
// holding it (the title included): the order that puts rare tokens first.
func (r *repeats) countRarity(lines []cline, titleWords []string) {
	r.rarity = map[uint64]int32{}
	count := func(words []string) {
		if !nearCopyCandidate(len(words)) {
			return
		}
		r.w.tick(len(words))
		for _, t := range tokens(wordHashes(words)) {
			r.rarity[t]++
		}
	}
	count(titleWords)
	for i := range lines {
		if lines[i].kept() {
			count(lines[i].words)
		}
	}
}

// prefix returns the tokens of a line under which it is indexed and
// looked up: the first prefixLen of them, rarest first.
func (r *repeats) prefix(hashes []uint64) []uint64 {
	toks := tokens(hashes)
	r.w.tick(len(toks))
	slices.SortFunc(toks, func(a, b uint64) int {
		if ra, rb := r.rarity[a], r.rarity[b]; ra != rb {
			return int(ra - rb)
		}
		switch {
		case a < b:
			return -1
		case a > b:
			return 1
		}
		return 0
	})
	return toks[:prefixLen(len(toks))]
}

// prefixLen is how many of its tokens, rarest first, a line of n words
// shares with any near copy. A near copy has m words with 3·min(n,m) ≥
// 2·max(n,m) and shares at least ⌈2(n+m)/5⌉ tokens (10·shared ≥ 4(n+m)),
// so at least t = ⌈2(n+⌈2n/3⌉)/5⌉; two sets of n and m tokens sharing t
// share one among the first n−t+1 of one and the first m−t+1 of the
// other.
func prefixLen(n int) int {
	m := (2*n + 2) / 3
	t := (2*(n+m) + 4) / 5
	return n - t + 1
}

// tokens returns a line's near-copy tokens: each word hash mixed with its
// occurrence number in the line.
func tokens(hashes []uint64) []uint64 {
	seen := make(map[uint64]uint64, len(hashes))
	out := make([]uint64, len(hashes))
	for i, h := range hashes {
		seen[h]++
		out[i] = h ^ (seen[h]-1)*0x9e3779b97f4a7c15
	}
	return out
}

// wordHashes returns the hash of every word.
func wordHashes(words []string) []uint64 {
	out := make([]uint64, len(words))
	for i, w := range words {
		out[i] = wordHash(w)
	}
	return out
}

// wordHash is the FNV-1a hash of a word.
func wordHash(w string) uint64 {
	h := uint64(14695981039346656037)
	for j := 0; j < len(w); j++ {
		h ^= uint64(w[j])
		h *= 1099511628211
	}
	return h
}

// runHash hashes a run of word hashes.
func runHash(hashes []uint64) uint64 {
	h := uint64(14695981039346656037)
	for _, x := range hashes {
		h = (h ^ x) * 1099511628211
		h ^= h >> 29
	}
	return h
}
