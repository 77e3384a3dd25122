package evaluation

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSplitHalvesAreDisjointAndStable(t *testing.T) {
	dev := 0
	for i := range 2000 {
		id := fmt.Sprintf("babe-sg2-%d", i)
		d, tst := SplitDev.Contains(id), SplitTest.Contains(id)
		require.NotEqual(t, d, tst, "each id is in exactly one half")
		require.True(t, SplitAll.Contains(id))
		if d {
			dev++
		}
	}
	assert.InDelta(t, 1000, dev, 100, "the halves are about equal")
	// FNV-1a 64 of "a" is 0xaf63dc4c8601ec8c: even, so dev.
	assert.True(t, SplitDev.Contains("a"))
}

func TestSelectKeepsBasilEventsTogether(t *testing.T) {
	var arts []BasilArticle
	for e := range 20 {
		for o := range 3 {
			arts = append(arts, BasilArticle{ID: fmt.Sprintf("e%d_%d", e, o), Event: fmt.Sprintf("e%d", e)})
		}
	}
	d := Data{Basil: arts}
	devArts, testArts := d.Select(SplitDev, 0).Basil, d.Select(SplitTest, 0).Basil
	assert.Len(t, append(devArts, testArts...), 60)
	perEvent := map[string]int{}
	for _, a := range devArts {
		perEvent[a.Event]++
	}
	for ev, n := range perEvent {
		assert.Equal(t, 3, n, "event %s is split", ev)
	}
	assert.Len(t, d.Select(SplitAll, 7).Basil, 7)
	assert.Nil(t, d.Select(SplitAll, 0).Babe, "a dataset not loaded stays nil")
}

func TestParseSplit(t *testing.T) {
	for in, want := range map[string]Split{"": SplitAll, "all": SplitAll, "Dev": SplitDev, "test": SplitTest} {
		got, err := ParseSplit(in)
		require.NoError(t, err)
		assert.Equal(t, want, got)
	}
	_, err := ParseSplit("train")
	assert.Error(t, err)
}
