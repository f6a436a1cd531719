package interp

import (
	"syscall"
	"time"
)

// setDataLimit caps the process's data mappings (RLIMIT_DATA, which Linux
// applies to anonymous mmap since 4.7): the Go heap and goroutine stacks
// live there, so an allocation past the cap fails at once and the runtime
// ends the process with "out of memory" instead of the machine swapping or
// the kernel's OOM killer choosing a victim. RLIMIT_AS would count the
// runtime's address-space reservations too (1.6 GiB before the first
// allocation).
func setDataLimit(n int64) {
	lim := syscall.Rlimit{Cur: uint64(n), Max: uint64(n)}
	var cur syscall.Rlimit
	if syscall.Getrlimit(syscall.RLIMIT_DATA, &cur) == nil && cur.Max < lim.Max {
		lim.Cur, lim.Max = min(lim.Cur, cur.Max), cur.Max
	}
	_ = syscall.Setrlimit(syscall.RLIMIT_DATA, &lim)
}

// cpuTime is the CPU time this process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
