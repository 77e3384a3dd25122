package reanalysis

import (
	"context"
	"sync"

	"slant/analysis"
	"slant/models"
)

// Runner runs sweeps in the background, one at a time. `slant serve`
// starts one when it starts and another each time the lexicon changes (a
// teacher edits the class word list): a new sweep cancels the one running,
// whose lexicon is no longer in force, and begins once it has stopped.
// It is safe for concurrent use.
type Runner struct {
	parent  context.Context
	store   *models.Store
	opts    Options
	mu      sync.Mutex
	cancel  context.CancelFunc
	done    chan struct{}
	stopped bool
}

// NewRunner returns a Runner whose sweeps run over store with opts until
// ctx ends or Stop is called.
func NewRunner(ctx context.Context, store *models.Store, opts Options) *Runner {
	return &Runner{parent: ctx, store: store, opts: opts}
}

// Start begins a sweep with analyzer's lexicon in the background, after
// cancelling the sweep in progress. It returns at once. After Stop it does
// nothing.
func (r *Runner) Start(analyzer *analysis.Analyzer) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.stopped {
		return
	}
	if r.cancel != nil {
		r.cancel()
	}
	prev := r.done
	ctx, cancel := context.WithCancel(r.parent)
	done := make(chan struct{})
	r.cancel, r.done = cancel, done
	sweep := NewSweep(r.store, analyzer, r.opts)
	go func() {
		defer close(done)
		defer cancel()
		if prev != nil {
			<-prev
		}
		if ctx.Err() != nil {
			return
		}
		// Run logs its own progress and failures.
		_, _ = sweep.Run(ctx)
	}()
}

// Stop cancels the sweep in progress and waits for it, so that the store
// can be closed afterwards.
func (r *Runner) Stop() {
	r.mu.Lock()
	r.stopped = true
	cancel, done := r.cancel, r.done
	r.mu.Unlock()
	if cancel != nil {
		cancel()
		<-done
	}
}

// Wait waits for the sweeps started so far to end, for tests and for
// commands that want the reports current before they go on.
func (r *Runner) Wait() {
	r.mu.Lock()
	done := r.done
	r.mu.Unlock()
	if done != nil {
		<-done
	}
}
