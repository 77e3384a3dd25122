package analysis

import (
	"bufio"
	"bytes"
	"cmp"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Near words: the words the frame cue lists lack whose GloVe vectors lie
// close to one frame's cues, so that "firearm" counts for security and
// defense beside "weapon". They are computed once from the vector table and
// the hand-written lists, written to frames/near.tsv with the cue each one
// resembles, and read with the lists: a person can read every one of them,
// and analysing a text costs no vector arithmetic. TestFrameNearWords checks
// that the file is what the lists and vectors give, and rewrites it with
// -update after a list changes.

// The rules that choose near words, set on the dev half of the framing
// datasets (docs/quality.md, "Framing").
const (
	// nearVocabulary: the candidates are the most frequent words of the
	// vector table, less the nearSkipCommon most frequent (function words
	// and words of every topic).
	nearVocabulary = 50000
	nearSkipCommon = 300
	// nearTopCues: a word's closeness to a frame is its mean cosine to the
	// frame's nearTopCues closest one-word cues, so one odd neighbour is
	// not enough.
	nearTopCues = 3
	// A word is near a frame when its closeness reaches nearMinCloseness
	// and leads the next frame's by nearMinLead.
	nearMinCloseness = 0.55
	nearMinLead      = 0.03
	// nearMaxGenerality drops words close to the centroid of the
	// nearGeneralityWords most frequent words ("actually", "goes"): words
	// of every topic that happen to sit near one frame's cues.
	nearMaxGenerality   = 0.6
	nearGeneralityWords = 1000
)

// nearWord is one near word of a frame: the word, the frame's listed cue
// it is closest to, and its closeness to the frame (mean cosine).
type nearWord struct {
	Word      string
	Cue       string
	Closeness float64
}

// nearFileHeader opens frames/near.tsv.
const nearFileHeader = `# Near words: words the frame cue lists lack whose GloVe vectors (analysis/vectors) lie
# close to one frame's cues. Generated from frames/*.yaml and the vectors by
# go test ./analysis -run TestFrameNearWords -update
# and not edited by hand (framenear.go says how they are chosen).
# word	frame	closest cue	closeness (mean cosine to the frame's 3 closest cues)
`

// cueVector is one one-word cue's vector, as integers, with its squared
// length.
type cueVector struct {
	group int
	term  string
	v     []int8
	norm2 int64
}

// computeNearWords finds the near words of each group of a hand-written cue
// set, in the vector table's frequency order. All arithmetic on vectors is
// integer or explicitly rounded, so every platform gets the same list.
func computeNearWords(set *cueSet, vt *vectorTable) [][]nearWord {
	return nearWordsAmong(set, vt, func(int) bool { return true })
}

// nearWordsAmong is computeNearWords over the candidates for which keep is
// true (a test recomputes a sample).
func nearWordsAmong(set *cueSet, vt *vectorTable, keep func(rank int) bool) [][]nearWord {
	cues, covered := oneWordCues(set, vt)
	centroid := generalCentroid(vt)
	out := make([][]nearWord, len(set.terms))
	// Per candidate, the closest cues and the closeness of each group.
	perGroup := make([]closestCues, len(set.terms))
	scores := make([]float64, len(set.terms))
	for rank := nearSkipCommon; rank < min(nearVocabulary, vt.len()); rank++ {
		if !keep(rank) {
			continue
		}
		w, v, n2, ok := nearCandidate(vt, rank, covered, centroid)
		if !ok {
			continue
		}
		clear(perGroup)
		for _, c := range cues {
			perGroup[c.group].add(cosine(v, n2, c.v, c.norm2), c.term)
		}
		first, second := closestGroups(perGroup, scores)
		if first < 0 || scores[first] < nearMinCloseness || second >= 0 && scores[first]-scores[second] < nearMinLead {
			continue
		}
		out[first] = append(out[first], nearWord{Word: w, Cue: perGroup[first].term, Closeness: scores[first]})
	}
	for g := range out {
		slices.SortFunc(out[g], func(a, b nearWord) int { return strings.Compare(a.Word, b.Word) })
	}
	return out
}

// oneWordCues returns the vectors of the set's one-word cues, and the
// folded forms and stems of all of them, vector or not, which are no
// candidates: they are listed already.
func oneWordCues(set *cueSet, vt *vectorTable) ([]cueVector, map[string]bool) {
	var cues []cueVector
	covered := map[string]bool{}
	for g := range set.terms {
		for _, term := range set.terms[g] {
			toks := tokenize(term, nil)
			if len(toks) != 1 {
				continue
			}
			covered[toks[0].stem] = true
			covered[toks[0].fold] = true
			if v, _, ok := vt.vector(toks[0].fold); ok {
				cues = append(cues, cueVector{group: g, term: term, v: v, norm2: norm2(v)})
			}
		}
	}
	return cues, covered
}

// nearCandidate returns the word of the given rank in the vector table,
// its vector and squared length, or false when it cannot be a near word:
// it is not one lower-case token, a cue covers it, or it has no direction
// or one too close to every topic's (nearMaxGenerality).
func nearCandidate(vt *vectorTable, rank int, covered map[string]bool, centroid []float64) (string, []int8, int64, bool) {
	w := string(vt.word(rank))
	toks := tokenize(w, nil)
	if len(toks) != 1 || toks[0].fold != w || covered[w] || covered[toks[0].stem] {
		return "", nil, 0, false
	}
	v := vt.row(rank)
	n2 := norm2(v)
	if n2 == 0 || generality(v, n2, centroid) > nearMaxGenerality {
		return "", nil, 0, false
	}
	return w, v, n2, true
}

// closestCues keeps, for one candidate word and one group, the
// nearTopCues largest cosines to the group's cues, largest first, out of
// n seen, and the term of the closest cue.
type closestCues struct {
	cos  [nearTopCues]float64
	n    int
	term string
}

// add counts the cosine to one more cue of the group, whose term it is.
func (b *closestCues) add(cos float64, term string) {
	if b.n == 0 || cos > b.cos[0] {
		b.term = term
	}
	k := min(b.n, nearTopCues)
	switch {
	case k < nearTopCues:
		b.cos[k] = cos
		k++
	case cos > b.cos[k-1]:
		b.cos[k-1] = cos
	}
	for i := k - 1; i > 0 && b.cos[i] > b.cos[i-1]; i-- {
		b.cos[i], b.cos[i-1] = b.cos[i-1], b.cos[i]
	}
	b.n++
}

// closeness is the mean of the kept cosines.
func (b *closestCues) closeness() float64 {
	k := min(b.n, nearTopCues)
	sum := 0.0
	for _, c := range b.cos[:k] {
		sum += c
	}
	return sum / float64(k)
}

// closestGroups sets scores[g] to the word's closeness to each group g
// with cues (0 for the others) and returns the closest group and the
// runner-up, -1 for none; a tie goes to the earlier group.
func closestGroups(perGroup []closestCues, scores []float64) (first, second int) {
	clear(scores)
	first, second = -1, -1
	for g := range perGroup {
		if perGroup[g].n == 0 {
			continue
		}
		scores[g] = perGroup[g].closeness()
		switch {
		case first < 0 || scores[g] > scores[first]:
			first, second = g, first
		case second < 0 || scores[g] > scores[second]:
			second = g
		}
	}
	return first, second
}

func norm2(v []int8) int64 {
	var n int64
	for _, x := range v {
		n += int64(x) * int64(x)
	}
	return n
}

// cosine of two integer vectors: the dot product is exact, the one
// division and square root are correctly rounded.
func cosine(a []int8, na int64, b []int8, nb int64) float64 {
	var dot int64
	for i := range a {
		dot += int64(a[i]) * int64(b[i])
	}
	return float64(dot) / math.Sqrt(float64(na)*float64(nb))
}

// generalCentroid is the normalised sum of the unit vectors of the most
// frequent words: the direction of "any topic".
func generalCentroid(vt *vectorTable) []float64 {
	c := make([]float64, vectorDims)
	for i := range min(nearGeneralityWords, vt.len()) {
		v := vt.row(i)
		n := math.Sqrt(float64(norm2(v)))
		if n == 0 {
			continue
		}
		for j, x := range v {
			c[j] += float64(x) / n
		}
	}
	var n float64
	for _, x := range c {
		n += float64(x * x) // the conversion keeps the sum from being fused
	}
	n = math.Sqrt(n)
	for j := range c {
		c[j] /= n
	}
	return c
}

// generality is a word's cosine to the general centroid.
func generality(v []int8, n2 int64, centroid []float64) float64 {
	var dot float64
	for j, x := range v {
		dot += float64(float64(x) * centroid[j])
	}
	return dot / math.Sqrt(float64(n2))
}

// writeNearWords writes the near words of every frame, in the codebook's
// order and then by word.
func writeNearWords(w io.Writer, near [][]nearWord) error {
	bw := bufio.NewWriter(w)
	bw.WriteString(nearFileHeader)
	for g, words := range near {
		for _, n := range words {
			fmt.Fprintf(bw, "%s\t%s\t%s\t%.3f\n", n.Word, frameDimensions[g].Frame, n.Cue, n.Closeness)
		}
	}
	return bw.Flush()
}

// readNearWords parses frames/near.tsv into the near words of each frame.
// A line that is not four tab-separated fields, an unknown frame ("other"
// included), a word that is not one lower-case token, a closeness outside
// (0, 1] or a word listed twice is an error naming the line.
func readNearWords(data []byte) ([][]nearWord, error) {
	out := make([][]nearWord, len(frameDimensions))
	seen := map[string]int{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Split(line, "\t")
		if len(fields) != 4 {
			return nil, fmt.Errorf("near.tsv line %d: want 4 tab-separated fields, got %d", n, len(fields))
		}
		word, frame, cue := fields[0], fields[1], fields[2]
		g := slices.IndexFunc(frameDimensions, func(h FrameHeader) bool { return h.Frame == frame })
		if g < 0 || g == otherFrame {
			return nil, fmt.Errorf("near.tsv line %d: unknown frame %q", n, frame)
		}
		if toks := tokenize(word, nil); len(toks) != 1 || toks[0].fold != word {
			return nil, fmt.Errorf("near.tsv line %d: %q is not one lower-case word", n, word)
		}
		closeness, err := strconv.ParseFloat(fields[3], 64)
		if err != nil || !(closeness > 0 && closeness <= 1) {
			return nil, fmt.Errorf("near.tsv line %d: closeness %q is not a number in (0, 1]", n, fields[3])
		}
		if strings.TrimSpace(cue) == "" {
			return nil, fmt.Errorf("near.tsv line %d: no closest cue", n)
		}
		if first, dup := seen[word]; dup {
			return nil, fmt.Errorf("near.tsv line %d: %q already listed on line %d", n, word, first)
		}
		seen[word] = n
		out[g] = append(out[g], nearWord{Word: word, Cue: cue, Closeness: closeness})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("near.tsv: %w", err)
	}
	for g := range out {
		slices.SortStableFunc(out[g], func(a, b nearWord) int { return cmp.Compare(a.Word, b.Word) })
	}
	return out, nil
}
