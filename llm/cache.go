package llm

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"maps"
	"slices"
	"strings"
	"sync"
)

// Cache stores validated model answers by CacheKey. Implementations must
// be safe for concurrent use. A Get or Put error is logged and the call
// carries on without the cache: the cache saves money, it is never needed
// for a correct answer.
type Cache interface {
	// Get returns the value stored under key, and false when there is
	// none.
	Get(ctx context.Context, key string) ([]byte, bool, error)
	// Put stores value under key, replacing any value there.
	Put(ctx context.Context, key string, value []byte) error
}

// Task names what a cached answer is for; it is the first part of a cache
// key.
type Task string

// The tasks.
const (
	TaskSentences   Task = "sentences"
	TaskAgreedFacts Task = "agreed_facts"
)

// CacheKey is the key under which the answer to one request is cached:
// "task|prompt version|model|SHA-256 of data" with the hash in hex, where
// data is exactly the data block sent (so it covers the text, the title
// and how the sentences were cut). A new model or prompt version never
// reads an old answer, and keys of one prompt version share a prefix, so
// they can be purged together. Keys are at most 64 bytes plus the model
// name's length plus 40.
func CacheKey(task Task, model string, data []byte) string {
	sum := sha256.Sum256(data)
	return strings.Join([]string{string(task), PromptVersion, model, hex.EncodeToString(sum[:])}, "|")
}

// MemoryCache is a Cache in a map, for tests and single runs such as
// `slant eval --llm`. Its zero value is ready to use.
type MemoryCache struct {
	mu     sync.Mutex
	values map[string][]byte
}

// NewMemoryCache returns an empty MemoryCache.
func NewMemoryCache() *MemoryCache { return &MemoryCache{} }

// Get returns a copy of the value stored under key.
func (m *MemoryCache) Get(_ context.Context, key string) ([]byte, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	v, ok := m.values[key]
	if !ok {
		return nil, false, nil
	}
	return slices.Clone(v), true, nil
}

// Put stores a copy of value under key.
func (m *MemoryCache) Put(_ context.Context, key string, value []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.values == nil {
		m.values = map[string][]byte{}
	}
	m.values[key] = slices.Clone(value)
	return nil
}

// Keys returns the stored keys, sorted.
func (m *MemoryCache) Keys() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Sorted(maps.Keys(m.values))
}
