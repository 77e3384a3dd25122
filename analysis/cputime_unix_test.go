//go:build unix

package analysis

import (
	"syscall"
	"time"
)

// processCPUTime is the CPU time this process has used, in all its
// threads (the collector's included): unlike the clock, it does not count
// the time other programs on a shared machine take the processor away.
func processCPUTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return time.Duration(time.Now().UnixNano())
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
