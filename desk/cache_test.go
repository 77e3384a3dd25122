package desk

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestStateCacheBounds fills a cache past its bounds: it keeps within
// them and forgets the least recently used event first.
func TestStateCacheBounds(t *testing.T) {
	const maxEntries, maxBytes = 1024, 64 << 20
	cc := newStateCache[[]byte](maxEntries, maxBytes, false)
	key := func(id int64) stateKey { return stateKey{eventID: id, version: "v"} }
	put := func(k stateKey, body []byte) { cc.put(k, body, len(body)) }
	for id := range int64(maxEntries + 10) {
		if id == maxEntries {
			_, ok := cc.get(key(0)) // the oldest event is used again: it stays
			require.True(t, ok)
		}
		put(key(id), []byte("{}"))
	}
	entries, _ := cc.len()
	assert.Equal(t, maxEntries, entries)
	_, ok := cc.get(key(0))
	assert.True(t, ok, "recently used")
	_, ok = cc.get(key(1))
	assert.False(t, ok, "least recently used, forgotten")

	big := make([]byte, maxBytes/8)
	for id := range int64(20) {
		put(key(1000+id), big)
		_, size := cc.len()
		require.LessOrEqual(t, size, maxBytes)
	}
	put(key(5000), make([]byte, maxBytes/8+1))
	_, ok = cc.get(key(5000))
	assert.False(t, ok, "a value too large to keep")

	// One entry per event: a newer stamp replaces the older.
	newer := key(1019)
	newer.stamp.Articles = 7
	put(newer, []byte("{}"))
	_, ok = cc.get(key(1019))
	assert.False(t, ok, "the older stamp is gone")
	_, ok = cc.get(newer)
	assert.True(t, ok)

	hits, misses := cc.stats()
	assert.Positive(t, hits)
	assert.Positive(t, misses)

	off := newStateCache[[]byte](maxEntries, maxBytes, true)
	off.put(key(1), []byte("{}"), 2)
	_, ok = off.get(key(1))
	assert.False(t, ok, "a cache turned off keeps nothing")
}
