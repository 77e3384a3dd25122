package main

import (
	"encoding/binary"
	"fmt"
	"math"
	"strings"
	"testing"
)

// fakePackage writes JSON shaped like the package's: the words most
// frequent first, then the vectors with their norm and index appended.
func fakePackage(words []string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `{"precision":8,"dimensions":%d,"words":[`, dims)
	for i, w := range words {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, "%q", w)
	}
	b.WriteString(`],"vectors":{`)
	for i, w := range words {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, "%q:[", w)
		for d := range dims {
			fmt.Fprintf(&b, "%g,", float64((i+1)*(d-50))/100)
		}
		fmt.Fprintf(&b, "1.5,%d]", i)
	}
	b.WriteString(`},"unkVector":[0]}`)
	return b.String()
}

func TestDecodeEmbeddingsKeepsTheMostFrequentWords(t *testing.T) {
	e, err := decodeEmbeddings(strings.NewReader(fakePackage([]string{"the", ",", "n't", "council", "e-mail", "shelter", "camp"})), 3)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(e.words, " "); got != "the council shelter" {
		t.Errorf("kept %q, want the three most frequent words: the council shelter", got)
	}
	if e.skipped != 3 || e.lastRank != 5 || e.total != 7 {
		t.Errorf("skipped %d, last rank %d, total %d; want 3, 5, 7", e.skipped, e.lastRank, e.total)
	}
	// "council" is the package's fourth entry: value (4)(d-50)/100, so
	// its largest magnitude is 2.0 at d = 0 and the scale is 2/127.
	if q, s := e.vectors[1], e.scales[1]; q[0] != -127 || math.Abs(float64(s)-2.0/127) > 1e-7 {
		t.Errorf("council: q[0] = %d, scale %v; want -127 and %v", q[0], s, 2.0/127)
	}
	if e.minCosine < 0.9999 {
		t.Errorf("quantised vectors reach cosine %.5f with the originals, want at least 0.9999", e.minCosine)
	}

	b := encode(e)
	if !strings.HasPrefix(string(b), magic) || binary.LittleEndian.Uint32(b[len(magic):]) != dims || binary.LittleEndian.Uint32(b[len(magic)+4:]) != 3 {
		t.Fatalf("header = %q, want the magic, %d dimensions and 3 words", b[:len(magic)+8], dims)
	}
	words := 3 + len("the") + len("council") + len("shelter")
	if want := len(magic) + 8 + words + 3*4 + 3*dims; len(b) != want {
		t.Errorf("table is %d bytes, want %d", len(b), want)
	}
}

func TestDecodeEmbeddingsRefusesOtherShapes(t *testing.T) {
	for name, doc := range map[string]string{
		"vectors first":  `{"vectors":{"the":[1]},"words":["the"]}`,
		"50 dimensions":  `{"dimensions":50,"words":["the"]}`,
		"short vector":   `{"words":["the"],"vectors":{"the":[1,2,3]}}`,
		"missing vector": `{"words":["the","camp"],"vectors":{"the":[` + strings.Repeat("1,", dims) + `1]}}`,
		"not an object":  `["the"]`,
	} {
		if _, err := decodeEmbeddings(strings.NewReader(doc), 10); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestWordlike(t *testing.T) {
	for w, want := range map[string]bool{
		"the": true, "g20": true, "o'brien": false, ",": false, "'s": false, "n't": false,
		"e-mail": false, "The": false, "": false, "rock'": false,
	} {
		if got := wordlike(w); got != want {
			t.Errorf("wordlike(%q) = %v, want %v", w, got, want)
		}
	}
}
