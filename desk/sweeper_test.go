package desk

import (
	"log/slog"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSweeperSweepsWithTheLatestLexicon(t *testing.T) {
	store := newStore(t)
	old, current := analyzers(t)
	seed(t, store, old, 12)
	d := New(store, old, Config{Logger: slog.New(slog.DiscardHandler)})
	// The first sweep (with the old lexicon, in force) is cancelled or
	// finds nothing to do; the second leaves every report made with the
	// new one.
	r := d.KeepCurrent(t.Context(), SweepOptions{Workers: 2, Batch: 3})
	defer r.Stop()
	r.Start(current)
	r.Wait()
	n, err := store.CountStaleArticles(t.Context(), current.Version())
	require.NoError(t, err)
	assert.Zero(t, n)

	// And back: a change of lexicon again makes them stale, and the next
	// sweep redoes them.
	r.Start(old)
	r.Wait()
	n, err = store.CountStaleArticles(t.Context(), old.Version())
	require.NoError(t, err)
	assert.Zero(t, n)
}

func TestSweeperStop(t *testing.T) {
	store := newStore(t)
	old, current := analyzers(t)
	seed(t, store, old, 3)
	d := New(store, current, Config{Logger: slog.New(slog.DiscardHandler)})
	r := &Sweeper{parent: t.Context(), desk: d}
	r.Stop() // before any sweep: nothing to wait for
	r.Start(current)
	r.Wait() // nothing was started after Stop
	n, err := store.CountStaleArticles(t.Context(), current.Version())
	require.NoError(t, err)
	assert.EqualValues(t, 4, n, "no sweep ran after Stop")
}
