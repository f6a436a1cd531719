//go:build !linux

package interp

import (
	"syscall"
	"time"
)

// setDataLimit has no hard cap to set outside Linux: other systems do not
// apply RLIMIT_DATA to mmap. The soft limit and the stack limit still hold.
func setDataLimit(int64) {}

// cpuTime is not measured here: the watchdog looks every time.
func cpuTime() time.Duration { return 0 }

// workerAttr has nothing to add outside Linux.
func workerAttr() *syscall.SysProcAttr { return nil }
