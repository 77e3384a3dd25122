package reanalysis

import (
	"log/slog"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRunnerSweepsWithTheLatestLexicon(t *testing.T) {
	store := openStore(t)
	old, current := analyzers(t)
	seed(t, store, old, 12)
	r := NewRunner(t.Context(), store, Options{Workers: 2, Batch: 3, Logger: slog.New(slog.DiscardHandler)})
	defer r.Stop()

	// The first sweep (with the old lexicon) is cancelled or finds
	// nothing to do; the second leaves every report made with the new one.
	r.Start(old)
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

func TestRunnerStop(t *testing.T) {
	store := openStore(t)
	old, current := analyzers(t)
	seed(t, store, old, 3)
	r := NewRunner(t.Context(), store, Options{Logger: slog.New(slog.DiscardHandler)})
	r.Stop() // before any sweep: nothing to wait for
	r.Start(current)
	r.Wait() // nothing was started after Stop
	n, err := store.CountStaleArticles(t.Context(), current.Version())
	require.NoError(t, err)
	assert.EqualValues(t, 4, n, "no sweep ran after Stop")
}
