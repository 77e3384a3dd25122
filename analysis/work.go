package analysis

import (
	"context"
	"fmt"
)

// work counts what an analysis or a comparison does, in units of about
// one token, one sentence or one pair of passages looked at, and stops it
// when its context is done. The loops that carry the work call tick;
// every checkEvery units it asks the context whether to go on, which
// costs far less than the work between two asks. The count is also how
// the tests tell that no input makes the work grow faster than its size
// (hostile_test.go): it is the same for the same input on every run.
type work struct {
	ctx  context.Context // nil: never stopped
	done int64
	next int64
}

// checkEvery is how many units pass between two looks at the context:
// a few thousand tokens, well under a millisecond of work.
const checkEvery = 4096

// stopped is the panic that unwinds an analysis whose context is done;
// the exported entry points recover it and return its error.
type stopped struct{ err error }

func newWork(ctx context.Context) *work {
	return &work{ctx: ctx, next: checkEvery}
}

// unstoppableWork counts work that nothing stops: Analyze and Compare,
// which take no context.
func unstoppableWork() *work {
	return &work{next: checkEvery}
}

// tick adds n units of work. A nil *work counts nothing, for the callers
// that tokenize a lexicon form or a test string.
func (w *work) tick(n int) {
	if w == nil {
		return
	}
	w.done += int64(n)
	if w.done >= w.next {
		w.check()
	}
}

// check asks the context whether to go on, and stops the work if not.
func (w *work) check() {
	if w == nil {
		return
	}
	w.next = w.done + checkEvery
	if w.ctx == nil {
		return
	}
	if err := w.ctx.Err(); err != nil {
		panic(stopped{err})
	}
}

// recoverStop turns the stop of a cancelled analysis into an error for
// what, with the context's error inside; any other panic goes on.
func recoverStop(what string, err *error) {
	switch p := recover().(type) {
	case nil:
	case stopped:
		*err = fmt.Errorf("%s: stopped: %w", what, p.err)
	default:
		panic(p)
	}
}
