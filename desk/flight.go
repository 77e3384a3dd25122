package desk

import (
	"context"
	"errors"
	"sync"
)

// Shared builds. A big event is not cached (its reading is over the
// cache's bound for one entry), so a class opening its page at once would
// decode every report once per reader, and as many copies would sit in
// memory together. Callers asking for the same state of an event while
// one of them builds it wait for that build and share it instead: ten
// readers at once cost one reading.

// flights runs one build per key at a time and hands its result to every
// caller that asked meanwhile.
type flights[V any] struct {
	mu    sync.Mutex
	calls map[stateKey]*flight[V]
}

// flight is one build in progress.
type flight[V any] struct {
	done  chan struct{}
	value V
	saved bool
	err   error
}

func newFlights[V any]() *flights[V] { return &flights[V]{calls: map[stateKey]*flight[V]{}} }

// do returns build's result for key, building it unless a build of the
// same key is running, whose result it then shares. A shared build that
// ended with its own caller's deadline or cancellation is not the
// waiting caller's answer: that caller builds again with its own context.
func (f *flights[V]) do(ctx context.Context, key stateKey, build func() (V, bool, error)) (V, bool, error) {
	for {
		f.mu.Lock()
		if call, ok := f.calls[key]; ok {
			f.mu.Unlock()
			select {
			case <-call.done:
			case <-ctx.Done():
				var zero V
				return zero, false, ctx.Err()
			}
			if isContextError(call.err) && ctx.Err() == nil {
				continue
			}
			return call.value, call.saved, call.err
		}
		call := &flight[V]{done: make(chan struct{})}
		f.calls[key] = call
		f.mu.Unlock()

		call.value, call.saved, call.err = build()
		f.mu.Lock()
		delete(f.calls, key)
		f.mu.Unlock()
		close(call.done)
		return call.value, call.saved, call.err
	}
}

// isContextError reports whether err is a context's deadline or
// cancellation.
func isContextError(err error) bool {
	return errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled)
}
