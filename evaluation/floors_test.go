package evaluation

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func resultWith(values map[string]float64) *Result {
	r := &Result{}
	for _, ds := range AllDatasets() {
		d := DatasetResult{Name: ds}
		for _, k := range MetricKeys() {
			if v, ok := values[k]; ok && strings.HasPrefix(k, string(ds)+".") {
				d.Metrics = append(d.Metrics, Metric{Key: k, Value: v})
			}
		}
		if len(d.Metrics) > 0 {
			r.Datasets = append(r.Datasets, d)
		}
	}
	return r
}

func TestFloorsRoundTripAndCheck(t *testing.T) {
	r := resultWith(map[string]float64{KeyBabeWordF1: 0.58, KeyWNCAbove: 0.5519, KeyBasilTokenF1: 0.01})
	f := FloorsFrom(r, DefaultMargin)
	assert.Equal(t, Floors{KeyBabeWordF1: 0.56, KeyWNCAbove: 0.531, KeyBasilTokenF1: 0}, f)

	for _, split := range []Split{SplitAll, SplitDev, SplitTest} {
		path := filepath.Join(t.TempDir(), "floors.json")
		require.NoError(t, WriteFloors(path, split, f))
		data, err := os.ReadFile(path)
		require.NoError(t, err)
		assert.True(t, strings.HasPrefix(string(data), "{\n  \"split\": \""+string(split)+"\",\n"), "the split first: %s", data)
		back, backSplit, err := ReadFloors(path)
		require.NoError(t, err)
		assert.Equal(t, f, back)
		assert.Equal(t, split, backSplit, "the file records the split it was set on")
	}

	short, skipped := Floors{KeyBabeWordF1: 0.6, KeyWNCAbove: 0.5, KeyAllSidesBelow: 0.3}.Check(r)
	assert.Equal(t, []Shortfall{{Key: KeyBabeWordF1, Value: 0.58, Floor: 0.6}}, short)
	assert.Equal(t, []string{KeyAllSidesBelow}, skipped)
	assert.Contains(t, short[0].Error(), "babe.word_F1 is 0.5800, below its floor 0.6000")
}

func TestReadFloorsRejectsBadFiles(t *testing.T) {
	dir := t.TempDir()
	for name, body := range map[string]string{
		"unknown.json":  `{"babe.word_f1": 0.3}`,
		"range.json":    `{"babe.word_F1": 1.3}`,
		"syntax.json":   `{"babe.word_F1": }`,
		"extra.json":    `{"babe.word_F1": 0.3} {}`,
		"split.json":    `{"split": "half", "babe.word_F1": 0.3}`,
		"splitnum.json": `{"split": 1, "babe.word_F1": 0.3}`,
		"string.json":   `{"babe.word_F1": "0.3"}`,
	} {
		path := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(path, []byte(body), 0o644))
		_, _, err := ReadFloors(path)
		assert.Error(t, err, name)
	}
}

// TestReadFloorsOfBefore reads a floors file written before the split was
// recorded: floors then could only be set on the whole data.
func TestReadFloorsOfBefore(t *testing.T) {
	path := filepath.Join(t.TempDir(), "floors.json")
	require.NoError(t, os.WriteFile(path, []byte(`{"babe.word_F1": 0.3, "wnc.biased_above_neutral": 0.5}`), 0o644))
	f, split, err := ReadFloors(path)
	require.NoError(t, err)
	assert.Equal(t, SplitAll, split)
	assert.Equal(t, Floors{KeyBabeWordF1: 0.3, KeyWNCAbove: 0.5}, f)
}

// TestFloorsFileIsValid checks the committed floors: every metric has one,
// and each is a valid minimum.
func TestFloorsFileIsValid(t *testing.T) {
	f, split, err := ReadFloors("floors.json")
	require.NoError(t, err)
	assert.Equal(t, SplitAll, split, "CI checks the whole data")
	for _, k := range MetricKeys() {
		assert.Contains(t, f, k)
	}
}
