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

// ReadFloors reads a floors file: one JSON object of metric key to
// minimum. An unknown key or a value outside [0, 1] is an error.
func ReadFloors(path string) (Floors, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read floors: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	var f Floors
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("read floors %s: %w", path, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("read floors %s: data after the JSON object", path)
	}
	for _, k := range sortedKeys(f) {
		if !slices.Contains(MetricKeys(), k) {
			return nil, fmt.Errorf("read floors %s: unknown metric %q (known: %s)", path, k, strings.Join(MetricKeys(), ", "))
		}
		if v := f[k]; math.IsNaN(v) || v < 0 || v > 1 {
			return nil, fmt.Errorf("read floors %s: floor %v for %s is outside [0, 1]", path, v, k)
		}
	}
	return f, nil
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

// WriteFloors writes floors as indented JSON with sorted keys.
func WriteFloors(path string, f Floors) error {
	data, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return fmt.Errorf("encode floors: %w", err)
	}
	if err := os.WriteFile(path, append(data, '\n'), 0o644); err != nil {
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
