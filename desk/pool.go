package desk

import (
	"context"
	"sync"
	"sync/atomic"
)

// forEach runs do(0..n-1) on at most workers goroutines (the one worker
// pool of imports and sweeps) and calls done with the number finished
// after each, never from two goroutines at once. It stops handing out
// work when ctx ends and returns ctx's error then.
func forEach(ctx context.Context, workers, n int, do func(i int), done func(finished int)) error {
	if workers <= 0 {
		workers = defaultWorkers()
	}
	var mu sync.Mutex
	report := func(finished int) {
		if done != nil {
			mu.Lock()
			defer mu.Unlock()
			done(finished)
		}
	}
	if n == 0 {
		report(0)
		return ctx.Err()
	}
	var next, finished atomic.Int64
	var wg sync.WaitGroup
	for range min(workers, n) {
		wg.Go(func() {
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				do(i)
				report(int(finished.Add(1)))
			}
		})
	}
	wg.Wait()
	return ctx.Err()
}
