package analysis

import (
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"sync"
)

// Word vectors: GloVe 6B, 100 dimensions, the 100,000 most frequent words,
// each quantised to int8 with one float32 scale (vectors/PROVENANCE.md
// says where they come from and how cmd/slantvectors made them). The table
// is embedded, so nothing is read or downloaded at run time.

// vectorDims is the length of every word vector.
const vectorDims = 100

// vectorMagic opens a vector table; its last byte is the format version.
const vectorMagic = "SLANTVEC\x01"

//go:embed vectors/glove-100d.bin
var builtinVectorData []byte

// vectorTable maps lower-case words to their quantised vectors. It is
// read-only once built and safe for concurrent use.
type vectorTable struct {
	data []byte // the table as stored; words are looked up in place
	// words[i] is the offset in data of word i's length byte.
	words  []uint32
	scales []float32
	// values holds the int8 vectors, vectorDims per word.
	values []int8
	// slots is an open-addressing hash table of word numbers plus one (0
	// is empty), a power of two at least twice the word count.
	slots []uint32
}

// builtinVectors parses the embedded table once for the process;
// NewAnalyzer calls it so that broken data is an error at start.
var builtinVectors = sync.OnceValues(func() (*vectorTable, error) {
	t, err := parseVectorTable(builtinVectorData)
	if err != nil {
		return nil, fmt.Errorf("load word vectors: %w", err)
	}
	return t, nil
})

// parseVectorTable checks and indexes a table in the format
// cmd/slantvectors writes: the magic, uint32 dimensions and word count
// (little-endian), each word as a length byte and its bytes, a float32
// scale per word, then the int8 vectors word after word.
func parseVectorTable(data []byte) (*vectorTable, error) {
	const header = len(vectorMagic) + 8
	if len(data) < header || string(data[:len(vectorMagic)]) != vectorMagic {
		return nil, errors.New("not a vector table (bad magic)")
	}
	dims := binary.LittleEndian.Uint32(data[len(vectorMagic):])
	count := binary.LittleEndian.Uint32(data[len(vectorMagic)+4:])
	if dims != vectorDims {
		return nil, fmt.Errorf("table has %d dimensions, want %d", dims, vectorDims)
	}
	// Each word takes at least 2 + 4 + vectorDims bytes; this bounds count
	// before anything is allocated from it.
	if uint64(count)*(2+4+vectorDims) > uint64(len(data)-header) {
		return nil, fmt.Errorf("table claims %d words but holds %d bytes", count, len(data))
	}
	t := &vectorTable{data: data, words: make([]uint32, count)}
	pos := header
	for i := range t.words {
		if pos >= len(data) {
			return nil, fmt.Errorf("word %d: table ends early", i)
		}
		n := int(data[pos])
		if n == 0 || pos+1+n > len(data) {
			return nil, fmt.Errorf("word %d: bad length %d", i, n)
		}
		t.words[i] = uint32(pos)
		pos += 1 + n
	}
	if want := pos + int(count)*(4+vectorDims); len(data) != want {
		return nil, fmt.Errorf("table is %d bytes, want %d for %d words", len(data), want, count)
	}
	t.scales = make([]float32, count)
	for i := range t.scales {
		s := math.Float32frombits(binary.LittleEndian.Uint32(data[pos:]))
		if math.IsNaN(float64(s)) || math.IsInf(float64(s), 0) || s < 0 {
			return nil, fmt.Errorf("word %q: bad scale %v", t.word(i), s)
		}
		t.scales[i] = s
		pos += 4
	}
	t.values = make([]int8, int(count)*vectorDims)
	for i, b := range data[pos:] {
		t.values[i] = int8(b)
	}
	size := 1
	for size < 2*int(count) {
		size *= 2
	}
	t.slots = make([]uint32, size)
	mask := uint64(size - 1)
	for i := range t.words {
		w := t.word(i)
		for h := vectorHash(w) & mask; ; h = (h + 1) & mask {
			if t.slots[h] == 0 {
				t.slots[h] = uint32(i + 1)
				break
			}
			if string(t.word(int(t.slots[h]-1))) == string(w) {
				return nil, fmt.Errorf("word %q listed twice", w)
			}
		}
	}
	return t, nil
}

// word returns word i's bytes, in place in the table.
func (t *vectorTable) word(i int) []byte {
	p := t.words[i]
	return t.data[p+1 : p+1+uint32(t.data[p])]
}

// len is the number of words in the table.
func (t *vectorTable) len() int { return len(t.words) }

// index returns the word number of a lower-case word, or -1.
func (t *vectorTable) index(word string) int {
	if len(word) == 0 || len(word) > 255 {
		return -1
	}
	mask := uint64(len(t.slots) - 1)
	for h := vectorHashString(word) & mask; ; h = (h + 1) & mask {
		s := t.slots[h]
		if s == 0 {
			return -1
		}
		if string(t.word(int(s-1))) == word {
			return int(s - 1)
		}
	}
}

// vector returns the quantised vector of a lower-case word: a value of the
// word's vector is v[i] times scale. v is shared with the table and must
// not be changed. ok is false for a word the table lacks.
func (t *vectorTable) vector(word string) (v []int8, scale float32, ok bool) {
	i := t.index(word)
	if i < 0 {
		return nil, 0, false
	}
	return t.row(i), t.scales[i], true
}

// row returns the quantised vector of the word at index i, shared with
// the table: it must not be changed.
func (t *vectorTable) row(i int) []int8 {
	return t.values[i*vectorDims : (i+1)*vectorDims : (i+1)*vectorDims]
}

// vectorHash is 64-bit FNV-1a: fixed, so the table is laid out the same in
// every process.
func vectorHash(b []byte) uint64 {
	h := uint64(14695981039346656037)
	for _, c := range b {
		h ^= uint64(c)
		h *= 1099511628211
	}
	return h
}

func vectorHashString(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}
