package desk

import (
	"log/slog"
	"sync"
	"time"
)

// Stage names a step of a long piece of work, for progress reports.
type Stage string

// The stages: an import reads, checks, analyzes and stores a file as it
// streams (its total is not known until the end); a sweep re-analyzes.
const (
	StageImport    Stage = "importing"
	StageReanalyze Stage = "re-analysis"
)

// Progress says how far a stage has got. Imports and sweeps report it
// through a func(Progress), called from one goroutine at a time; the
// command line draws it as a bar, the server logs it (LogProgress).
type Progress struct {
	Stage Stage
	Done  int
	Total int
}

// LogProgress returns a progress report that logs a line at most every
// interval, and when a stage is done, for work nobody watches on a
// terminal (the background sweep).
func LogProgress(log *slog.Logger, every time.Duration) func(Progress) {
	var mu sync.Mutex
	var last time.Time
	return func(p Progress) {
		mu.Lock()
		defer mu.Unlock()
		if p.Done < p.Total && time.Since(last) < every {
			return
		}
		last = time.Now()
		log.Info(string(p.Stage)+" progress", "done", p.Done, "total", p.Total)
	}
}
