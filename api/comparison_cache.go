package api

import (
	"container/list"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"

	"github.com/gin-gonic/gin"

	"slant/models"
)

// Caching comparisons.
//
// Building an event's comparison (alignment, labels, frames, tone, over
// every article) takes tens of milliseconds, and the answer is some 60 KB
// of JSON, while the event it describes changes rarely. So the encoded
// answer is kept, keyed by the event, a change stamp of the event read
// from the database (models.EventStamp: its update time and its articles'
// count, highest id and latest analysis time) and the lexicon version.
// Every request still makes one small read query for the stamp; anything
// that changes the comparison (an article added or deleted, a report
// redone, the event edited, another lexicon) changes the key, so nothing
// has to be invalidated, and instances sharing one PostgreSQL database
// stay right without telling each other anything.
//
// The cache is bounded by entries and by bytes, and forgets the least
// recently used event first. It holds one answer per event: an older
// stamp is never asked for again once the data has moved on.

// Bounds of the comparison cache.
const (
	// maxComparisonCacheEntries caps how many events' answers are kept.
	maxComparisonCacheEntries = 1024
	// maxComparisonCacheBytes caps their total size (a 6-outlet event of
	// 1,000-word articles is about 100 KB).
	maxComparisonCacheBytes = 64 << 20
	// maxComparisonEntryBytes leaves out answers so large that a few of
	// them would push everything else out.
	maxComparisonEntryBytes = maxComparisonCacheBytes / 8
)

// jsonContentType is what gin's c.JSON sends; cached answers say the same.
const jsonContentType = "application/json; charset=utf-8"

// comparisonKey names one state of an event's comparison.
type comparisonKey struct {
	eventID int64
	stamp   models.EventStamp
	lexicon string
}

// comparisonEntry is a cached, encoded ComparisonView.
type comparisonEntry struct {
	key  comparisonKey
	body []byte
}

// comparisonCache is a size-bounded LRU of encoded comparisons, one per
// event. Its zero value is ready to use; it is safe for concurrent use
// and must not be copied.
type comparisonCache struct {
	mu      sync.Mutex
	byEvent map[int64]*list.Element // of *comparisonEntry
	order   list.List               // most recently used first
	bytes   int
	// off turns the cache off (tests and benchmarks measure without it).
	off bool

	hits, misses atomic.Uint64
}

// get returns the answer stored for key, if any.
func (cc *comparisonCache) get(key comparisonKey) ([]byte, bool) {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	if el, ok := cc.byEvent[key.eventID]; ok && !cc.off {
		entry := el.Value.(*comparisonEntry)
		if entry.key == key {
			cc.order.MoveToFront(el)
			cc.hits.Add(1)
			return entry.body, true
		}
	}
	cc.misses.Add(1)
	return nil, false
}

// put stores body as the answer for key, replacing the event's earlier
// answer, and forgets the least recently used events until the bounds hold.
func (cc *comparisonCache) put(key comparisonKey, body []byte) {
	if len(body) > maxComparisonEntryBytes {
		return
	}
	cc.mu.Lock()
	defer cc.mu.Unlock()
	if cc.off {
		return
	}
	if cc.byEvent == nil {
		cc.byEvent = map[int64]*list.Element{}
	}
	if el, ok := cc.byEvent[key.eventID]; ok {
		cc.remove(el)
	}
	cc.byEvent[key.eventID] = cc.order.PushFront(&comparisonEntry{key: key, body: body})
	cc.bytes += len(body)
	for cc.order.Len() > maxComparisonCacheEntries || cc.bytes > maxComparisonCacheBytes {
		cc.remove(cc.order.Back())
	}
}

// remove drops one entry; the caller holds mu.
func (cc *comparisonCache) remove(el *list.Element) {
	entry := cc.order.Remove(el).(*comparisonEntry)
	delete(cc.byEvent, entry.key.eventID)
	cc.bytes -= len(entry.body)
}

// len reports how many answers and bytes are held.
func (cc *comparisonCache) len() (entries, bytes int) {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	return cc.order.Len(), cc.bytes
}

// cachedComparison reads the event's stamp and, when the answer for it and
// the lexicon version the request compares with is cached, sends it. It returns the key to store a freshly built answer
// under, and whether the request has been answered: from the cache, or with
// an error (404 for an unknown event).
func (s *Server) cachedComparison(c *gin.Context, eventID int64, lexiconVersion string) (comparisonKey, bool) {
	stamp, err := s.store.EventStamp(c.Request.Context(), eventID)
	if err != nil {
		s.fail(c, err)
		return comparisonKey{}, true
	}
	key := comparisonKey{eventID: eventID, stamp: stamp, lexicon: lexiconVersion}
	if body, ok := s.comparisons.get(key); ok {
		c.Data(http.StatusOK, jsonContentType, body)
		return key, true
	}
	return key, false
}

// sendComparison answers with a freshly built comparison and caches it
// under key, but only if the stamp read again now is still the same and
// the comparison was made with the key's lexicon, so that a write landing
// while it was being built is not cached under the stamp from before it.
// The stamp never returns to an earlier value: deleting an article moves
// the event's updated_at forward (models.Store.DeleteArticle), so an
// article added and deleted during the build cannot recreate the old key.
func (s *Server) sendComparison(c *gin.Context, key comparisonKey, view ComparisonView) {
	body, err := json.Marshal(view)
	if err != nil {
		s.fail(c, fmt.Errorf("encode comparison of event %d: %w", view.EventID, err))
		return
	}
	if view.LexiconVersion == key.lexicon {
		if after, err := s.store.EventStamp(c.Request.Context(), key.eventID); err == nil && after == key.stamp {
			s.comparisons.put(key, body)
		}
	}
	c.Data(http.StatusOK, jsonContentType, body)
}
