package desk

import (
	"container/list"
	"sync"
	"sync/atomic"

	"slant/models"
)

// Caching by an event's state.
//
// An event changes rarely and is read often (a class opens the same
// page), and both reading it (every report decoded) and comparing it
// (alignment, labels, frames, tone over every article) cost far more than
// a query. So the desk keeps the last reading and the last encoded
// comparison of each event, keyed by its state: the event, a change stamp
// read from the database (models.EventStamp: its update time and its
// articles' count, highest id, latest analysis time and outlets' domains)
// and the analysis version. Every request still makes one small query for
// the stamp; anything that changes the answer (an article added or
// deleted, a report redone, the event edited, another lexicon) changes
// the key, so nothing has to be invalidated, and instances sharing one
// PostgreSQL database stay right without telling each other anything. The
// stamp never returns to an earlier value (deleting an article moves the
// event's updated_at forward), so an entry built from data newer than its
// key's stamp is never served for a later state.
//
// A cache is bounded by entries and by bytes, and forgets the least
// recently used event first. It holds one entry per event: an older state
// is never asked for again once the data has moved on.

// Bounds of the caches.
const (
	// maxComparisonCacheEntries caps how many events' comparisons are
	// kept.
	maxComparisonCacheEntries = 1024
	// maxComparisonCacheBytes caps their total size (a 6-outlet event of
	// 1,000-word articles is about 100 KB of JSON).
	maxComparisonCacheBytes = 64 << 20
	// maxReadingCacheEntries caps how many events' readings are kept: the
	// events being looked at now, not the archive.
	maxReadingCacheEntries = 128
	// maxReadingCacheBytes caps their total size, counted as the stored
	// reports' and texts' bytes (a decoded report takes a few times more
	// memory): some 25 events of six 1,000-word articles.
	maxReadingCacheBytes = 16 << 20
)

// stateKey names one state of an event as read with one analysis
// version.
type stateKey struct {
	eventID int64
	stamp   models.EventStamp
	version string
}

// stateEntry is a cached value with its key and size.
type stateEntry[V any] struct {
	key   stateKey
	value V
	size  int
}

// stateCache is a size-bounded LRU of values by event state, one per
// event. It is safe for concurrent use.
type stateCache[V any] struct {
	maxEntries, maxBytes int
	off                  bool

	mu      sync.Mutex
	byEvent map[int64]*list.Element // of *stateEntry[V]
	order   list.List               // most recently used first
	bytes   int

	hits, misses atomic.Int64
}

func newStateCache[V any](maxEntries, maxBytes int, off bool) *stateCache[V] {
	return &stateCache[V]{maxEntries: maxEntries, maxBytes: maxBytes, off: off, byEvent: map[int64]*list.Element{}}
}

// get returns the value stored for key, if any.
func (c *stateCache[V]) get(key stateKey) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.byEvent[key.eventID]; ok && !c.off {
		entry := el.Value.(*stateEntry[V])
		if entry.key == key {
			c.order.MoveToFront(el)
			c.hits.Add(1)
			return entry.value, true
		}
	}
	c.misses.Add(1)
	var zero V
	return zero, false
}

// put stores value (of about size bytes) for key, replacing the event's
// earlier entry, and forgets the least recently used events until the
// bounds hold. A value larger than an eighth of the byte bound is not
// kept: a few of them would push everything else out.
func (c *stateCache[V]) put(key stateKey, value V, size int) {
	if c.off || size > c.maxBytes/8 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.byEvent[key.eventID]; ok {
		c.remove(el)
	}
	c.byEvent[key.eventID] = c.order.PushFront(&stateEntry[V]{key: key, value: value, size: size})
	c.bytes += size
	for c.order.Len() > c.maxEntries || c.bytes > c.maxBytes {
		c.remove(c.order.Back())
	}
}

// remove drops one entry; the caller holds mu.
func (c *stateCache[V]) remove(el *list.Element) {
	entry := c.order.Remove(el).(*stateEntry[V])
	delete(c.byEvent, entry.key.eventID)
	c.bytes -= entry.size
}

// len reports how many entries and bytes are held.
func (c *stateCache[V]) len() (entries, bytes int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len(), c.bytes
}

// stats reports the hits and misses so far.
func (c *stateCache[V]) stats() (hits, misses int64) { return c.hits.Load(), c.misses.Load() }
