package jsonstream

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

type inner struct {
	A int    `json:"a"`
	B string `json:"b,omitempty"`
}

type Embedded struct {
	E1 string `json:"e1"`
	E2 []int  `json:"e2"`
}

type outer struct {
	Embedded
	*inner     `json:"-"`
	ID         int64             `json:"id"`
	Name       string            `json:"name"`
	Untagged   float64           //
	Skip       string            `json:"-"`
	Empty      string            `json:"empty,omitempty"`
	Zero       inner             `json:"zero,omitzero"`
	NotZero    inner             `json:"not_zero,omitzero"`
	When       time.Time         `json:"when"`
	WhenPtr    *time.Time        `json:"when_ptr"`
	Raw        json.RawMessage   `json:"raw"`
	Bytes      []byte            `json:"bytes"`
	Map        map[string]int    `json:"map"`
	NilSlice   []inner           `json:"nil_slice"`
	EmptySlice []inner           `json:"empty_slice"`
	Items      []inner           `json:"items"`
	Nested     [][]string        `json:"nested"`
	Any        any               `json:"any"`
	AnyNil     any               `json:"any_nil"`
	Array      [2]bool           `json:"array"`
	Ptr        *inner            `json:"ptr"`
	NilPtr     *inner            `json:"nil_ptr,omitempty"`
	Escapes    string            `json:"escapes"`
	StringOpt  map[string]string `json:"string_opt"`
	unexported int
}

// withString has a ",string" option, which jsonstream leaves to
// encoding/json.
type withString struct {
	N int `json:"n,string"`
}

func TestWriteIsMarshal(t *testing.T) {
	when := time.Date(2026, 3, 4, 5, 6, 7, 8, time.UTC)
	for _, v := range []any{
		nil, 1, "x", []int(nil), []int{}, map[string]any{"b": 1, "a": []int{2}},
		outer{
			Embedded: Embedded{E1: "e", E2: []int{1, 2}}, ID: 7, Name: "n", Untagged: 1.5e-7,
			NotZero: inner{A: 1}, When: when, WhenPtr: &when, Raw: json.RawMessage(`{"x": [1, 2]}`),
			Bytes: []byte("hello"), Map: map[string]int{"z": 1, "a": 2}, EmptySlice: []inner{},
			Items: []inner{{A: 1, B: "b"}, {A: 2}}, Nested: [][]string{{"a"}, nil, {}},
			Any: inner{A: 3}, Array: [2]bool{true, false}, Ptr: &inner{A: 4},
			Escapes: "<script>&\u2028\"\\ é \x01", unexported: 9,
		},
		&outer{},
		[]any{withString{N: 3}, map[int]string{2: "b", 1: "a"}, 3.0, float32(0.1), true},
	} {
		want, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		if err := Write(&got, v); err != nil {
			t.Fatal(err)
		}
		if got.String() != string(want) {
			t.Errorf("Write(%T)\ngot  %s\nwant %s", v, got.String(), want)
		}
	}
}

// FuzzWriteIsMarshal writes any JSON document, decoded into Go values,
// and checks the bytes against json.Marshal.
func FuzzWriteIsMarshal(f *testing.F) {
	f.Add(`{"a":[1,2,{"b":null}],"c":"<&>"}`)
	f.Add(`[[],[[]],{},"x",1e300,-0.0]`)
	f.Fuzz(func(t *testing.T, doc string) {
		var v any
		if json.Unmarshal([]byte(doc), &v) != nil {
			return
		}
		want, err := json.Marshal(v)
		if err != nil {
			return
		}
		var got bytes.Buffer
		if err := Write(&got, v); err != nil {
			t.Fatal(err)
		}
		if got.String() != string(want) {
			t.Fatalf("got %s, want %s", got.String(), want)
		}
	})
}

// biggestWrite records the largest single write it is given.
type biggestWrite struct {
	total, max int
}

func (w *biggestWrite) Write(p []byte) (int, error) {
	w.total += len(p)
	w.max = max(w.max, len(p))
	return len(p), nil
}

// TestWriteIsInPieces checks that a large value reaches the writer in
// pieces no larger than the buffer, never whole.
func TestWriteIsInPieces(t *testing.T) {
	items := make([]inner, 100_000)
	for i := range items {
		items[i] = inner{A: i, B: strings.Repeat("b", i%50)}
	}
	w := &biggestWrite{}
	if err := Write(w, outer{Items: items}); err != nil {
		t.Fatal(err)
	}
	if w.total < 4<<20 || w.max > bufferSize {
		t.Fatalf("%d bytes written, %d at most at once; want over 4 MB in writes of at most %d", w.total, w.max, bufferSize)
	}
}

// failingWriter fails after n bytes.
type failingWriter struct{ n int }

func (w *failingWriter) Write(p []byte) (int, error) {
	if w.n -= len(p); w.n < 0 {
		return 0, errors.New("gone")
	}
	return len(p), nil
}

func TestWriteStopsAtTheFirstError(t *testing.T) {
	items := make([]inner, 100_000)
	if err := Write(&failingWriter{n: 100}, items); err == nil || err.Error() != "gone" {
		t.Fatalf("got %v, want the writer's error", err)
	}
}
