package evaluation

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"slices"
	"strings"
)

// DefaultMargin is how far below the measured figures WriteFloors sets the
// floors, so that small, honest changes to the lexicon do not fail CI.
const DefaultMargin = 0.02

// Floors maps a metric key (such as "babe.word_F1") to the lowest value CI
// accepts.
type Floors map[string]float64

// Shortfall is a metric measured below its floor.
type Shortfall struct {
	Key   string  `json:"key"`
	Value float64 `json:"value"`
	Floor float64 `json:"floor"`
}

// Error says which metric fell, by how much.
func (s Shortfall) Error() string {
	return fmt.Sprintf("%s is %.4f, below its floor %.4f", s.Key, s.Value, s.Floor)
}

// splitKey is the floors file's entry naming the split the floors were
// set on. A file without it is from before it was written, when floors
// could only be set on the whole data: SplitAll.
const splitKey = "split"

// ReadFloors reads a floors file: one JSON object of metric key to
// minimum, and "split", the split the floors were set on (SplitAll when
// the file does not say). An unknown key or a value outside [0, 1] is an
// error. Figures measured on another split do not compare with the
// floors: the caller refuses to check them.
func ReadFloors(path string) (Floors, Split, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, "", fmt.Errorf("read floors: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	var entries map[string]json.RawMessage
	if err := dec.Decode(&entries); err != nil {
		return nil, "", fmt.Errorf("read floors %s: %w", path, err)
	}
	if dec.More() {
		return nil, "", fmt.Errorf("read floors %s: data after the JSON object", path)
	}
	split := SplitAll
	if raw, ok := entries[splitKey]; ok {
		var name string
		if err := json.Unmarshal(raw, &name); err != nil {
			return nil, "", fmt.Errorf("read floors %s: %q must be a string (all, dev or test)", path, splitKey)
		}
		if split, err = ParseSplit(name); err != nil {
			return nil, "", fmt.Errorf("read floors %s: %w", path, err)
		}
		delete(entries, splitKey)
	}
	f := Floors{}
	for _, k := range sortedKeys(entries) {
		if !slices.Contains(MetricKeys(), k) {
			return nil, "", fmt.Errorf("read floors %s: unknown metric %q (known: %s)", path, k, strings.Join(MetricKeys(), ", "))
		}
		var v float64
		if err := json.Unmarshal(entries[k], &v); err != nil {
			return nil, "", fmt.Errorf("read floors %s: floor for %s must be a number", path, k)
		}
		if math.IsNaN(v) || v < 0 || v > 1 {
			return nil, "", fmt.Errorf("read floors %s: floor %v for %s is outside [0, 1]", path, v, k)
		}
		f[k] = v
	}
	return f, split, nil
}

// FloorsFrom sets a floor for every metric of the result at its value less
// margin, rounded down to three decimals and never below 0.
func FloorsFrom(r *Result, margin float64) Floors {
	f := Floors{}
	for _, m := range r.Metrics() {
		// The small epsilon keeps 0.58 - 0.02 from flooring to 0.559.
		f[m.Key] = max(0, math.Floor((m.Value-margin)*1000+1e-9)/1000)
	}
	return f
}

// WriteFloors writes floors as indented JSON: first the split they were
// set on, then the metrics in sorted order.
func WriteFloors(path string, split Split, f Floors) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "{\n  %q: %q", splitKey, split)
	for _, k := range sortedKeys(f) {
		v, err := json.Marshal(f[k])
		if err != nil {
			return fmt.Errorf("encode floors: %s: %w", k, err)
		}
		fmt.Fprintf(&b, ",\n  %q: %s", k, v)
	}
	b.WriteString("\n}\n")
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		return fmt.Errorf("write floors: %w", err)
	}
	return nil
}

// Check returns the metrics of r that are below their floors, in report
// order. A floor whose dataset was not part of the run is not checked: it
// is returned in skipped.
func (f Floors) Check(r *Result) (short []Shortfall, skipped []string) {
	for _, k := range MetricKeys() {
		floor, ok := f[k]
		if !ok {
			continue
		}
		m, measured := r.Metric(k)
		if !measured {
			skipped = append(skipped, k)
			continue
		}
		if m.Value < floor {
			short = append(short, Shortfall{Key: k, Value: m.Value, Floor: floor})
		}
	}
	return short, skipped
}
