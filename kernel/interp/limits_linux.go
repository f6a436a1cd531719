package interp

import (
	"os"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// setDataLimit caps the process's memory with two limits of Linux's.
// RLIMIT_DATA caps data mappings (the Go heap, goroutine stacks), so that
// an allocation past it fails at once and the runtime ends the process
// with "out of memory", instead of the machine swapping or the kernel's
// OOM killer choosing a victim. It alone leaks: mapping memory over
// address space the runtime reserved earlier counts as no growth, and a
// 1 GiB string then went through a 1 GiB limit (1.8 GiB resident).
// RLIMIT_AS caps the address space, reservations included; the runtime
// reserves 1.6 GiB before the first allocation, so that cap is what is
// mapped already plus the limit. Threads' stacks are data too, 8 MiB each
// but barely touched: both caps leave room for one per P and 16 more.
func setDataLimit(n int64) {
	stack := int64(8 << 20)
	var rs syscall.Rlimit
	if syscall.Getrlimit(syscall.RLIMIT_STACK, &rs) == nil && rs.Cur > 0 && rs.Cur < 1<<30 {
		stack = int64(rs.Cur)
	}
	n += stack * int64(runtime.GOMAXPROCS(0)+16)
	setLimit(syscall.RLIMIT_DATA, n)
	if size := mappedNow(); size > 0 {
		setLimit(syscall.RLIMIT_AS, size+n)
	}
}

// setLimit lowers a resource limit to n, hard and soft.
func setLimit(resource int, n int64) {
	lim := syscall.Rlimit{Cur: uint64(n), Max: uint64(n)}
	var cur syscall.Rlimit
	if syscall.Getrlimit(resource, &cur) == nil && cur.Max < lim.Max {
		lim.Cur, lim.Max = min(lim.Cur, cur.Max), cur.Max
	}
	_ = syscall.Setrlimit(resource, &lim)
}

// mappedNow is the process's address space in bytes (/proc/self/statm),
// or 0 when it cannot be read.
func mappedNow() int64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return 0
	}
	pages, err := strconv.ParseInt(f[0], 10, 64)
	if err != nil {
		return 0
	}
	return pages * int64(os.Getpagesize())
}

// cpuTime is the CPU time this process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// workerAttr makes a worker die with the process that started it (killed
// by timeout(1), say), rather than run on unseen.
func workerAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
