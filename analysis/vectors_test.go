package analysis

import (
	"encoding/binary"
	"math"
	"runtime"
	"strings"
	"testing"
)

func TestBuiltinVectorsLoad(t *testing.T) {
	table, err := builtinVectors()
	if err != nil {
		t.Fatal(err)
	}
	if table.len() != 100000 {
		t.Errorf("table has %d words, want the 100,000 of vectors/PROVENANCE.md", table.len())
	}
	for _, w := range []string{"the", "council", "shelter", "regime", "reportedly", "g20"} {
		v, scale, ok := table.vector(w)
		if !ok || len(v) != vectorDims || scale <= 0 {
			t.Errorf("vector(%q) = %d values, scale %v, ok %v; want %d values and a positive scale", w, len(v), scale, ok, vectorDims)
		}
	}
	for _, w := range []string{"", "The", "xqzzyvvk", ",", strings.Repeat("a", 300)} {
		if _, _, ok := table.vector(w); ok {
			t.Errorf("vector(%q) found a vector; the table holds lower-case words only", w)
		}
	}
	// The vectors carry meaning: near words are nearer than unrelated ones.
	near := []struct{ a, b, far string }{
		{"good", "great", "tuesday"},
		{"shelter", "homeless", "volcano"},
		{"slammed", "blasted", "rainfall"},
	}
	for _, c := range near {
		ab, af := vectorCosine(t, table, c.a, c.b), vectorCosine(t, table, c.a, c.far)
		if ab <= af {
			t.Errorf("cos(%s, %s) = %.3f is not above cos(%s, %s) = %.3f", c.a, c.b, ab, c.a, c.far, af)
		}
	}
}

func vectorCosine(t *testing.T, table *vectorTable, a, b string) float64 {
	t.Helper()
	va, sa, okA := table.vector(a)
	vb, sb, okB := table.vector(b)
	if !okA || !okB {
		t.Fatalf("no vector for %q or %q", a, b)
	}
	var dot, na, nb float64
	for i := range va {
		x, y := float64(va[i])*float64(sa), float64(vb[i])*float64(sb)
		dot, na, nb = dot+x*y, na+x*x, nb+y*y
	}
	return dot / math.Sqrt(na*nb)
}

// TestVectorTableLoadMemory holds loading the built-in table under 30 MB
// of allocation (issue 16); the time is BenchmarkVectorTableLoad's.
func TestVectorTableLoadMemory(t *testing.T) {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	table, err := parseVectorTable(builtinVectorData)
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	allocated := after.TotalAlloc - before.TotalAlloc
	t.Logf("loading %d words allocates %.1f MB", table.len(), float64(allocated)/1e6)
	if allocated > 30e6 {
		t.Errorf("loading the vector table allocates %.1f MB, want under 30 MB", float64(allocated)/1e6)
	}
}

func BenchmarkVectorTableLoad(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := parseVectorTable(builtinVectorData); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVectorLookup(b *testing.B) {
	table, err := builtinVectors()
	if err != nil {
		b.Fatal(err)
	}
	words := strings.Fields("the council voted on tuesday to close the riverside camp and open a shelter reportedly slammed xqzzy")
	b.ReportAllocs()
	for b.Loop() {
		for _, w := range words {
			table.vector(w)
		}
	}
}

// vectorTableBytes writes a table in the format parseVectorTable reads.
func vectorTableBytes(words []string, scales []float32, values []int8) []byte {
	b := []byte(vectorMagic)
	b = binary.LittleEndian.AppendUint32(b, vectorDims)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(words)))
	for _, w := range words {
		b = append(b, byte(len(w)))
		b = append(b, w...)
	}
	for _, s := range scales {
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(s))
	}
	for _, v := range values {
		b = append(b, byte(v))
	}
	return b
}

func TestParseVectorTable(t *testing.T) {
	values := make([]int8, 2*vectorDims)
	for i := range values {
		values[i] = int8(i%255 - 127)
	}
	good := vectorTableBytes([]string{"calm", "furious"}, []float32{0.5, 0.25}, values)
	table, err := parseVectorTable(good)
	if err != nil {
		t.Fatal(err)
	}
	v, scale, ok := table.vector("furious")
	if !ok || scale != 0.25 || v[0] != values[vectorDims] || v[vectorDims-1] != values[2*vectorDims-1] {
		t.Errorf("vector(furious) = %v…, %v, %v; want the second vector with scale 0.25", v[:3], scale, ok)
	}
	if _, _, ok := table.vector("angry"); ok {
		t.Error("vector(angry) found a word the table lacks")
	}

	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "bad magic"},
		{"other file", []byte("hello, world, this is not a table"), "bad magic"},
		{"short", good[:len(good)-1], "want"},
		{"long", append(append([]byte{}, good...), 0), "want"},
		{"too many words", func() []byte {
			b := append([]byte{}, good...)
			binary.LittleEndian.PutUint32(b[len(vectorMagic)+4:], 1<<31)
			return b
		}(), "claims"},
		{"other dimensions", func() []byte {
			b := append([]byte{}, good...)
			binary.LittleEndian.PutUint32(b[len(vectorMagic):], 50)
			return b
		}(), "dimensions"},
		{"repeated word", vectorTableBytes([]string{"calm", "calm"}, []float32{0.5, 0.25}, values), "twice"},
		{"bad scale", vectorTableBytes([]string{"calm", "furious"}, []float32{0.5, float32(math.NaN())}, values), "scale"},
		{"empty word", vectorTableBytes([]string{"calm", ""}, []float32{0.5, 0.25}, values), "length"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseVectorTable(tt.data)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("parseVectorTable = %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

// FuzzParseVectorTable: no input panics the parser, and what it accepts
// answers lookups.
func FuzzParseVectorTable(f *testing.F) {
	f.Add(vectorTableBytes([]string{"calm"}, []float32{0.5}, make([]int8, vectorDims)))
	f.Add([]byte(vectorMagic + "\x64\x00\x00\x00\x01\x00\x00\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		table, err := parseVectorTable(data)
		if err != nil {
			return
		}
		for i := range table.len() {
			if _, _, ok := table.vector(string(table.word(i))); !ok {
				t.Fatalf("word %d (%q) is in the table but not found", i, table.word(i))
			}
		}
	})
}
