package interp

import (
	"fmt"
	"math"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
)

// Limits bound what a script's process may use. A worker process (see
// Supervise and NewSession) enforces them: the Go runtime ends a process
// that runs out of stack or memory with a fatal error that no code can
// recover from, so scripts run in a process that may die in their place.
type Limits struct {
	// Memory is the most memory the worker may map for data: the heap,
	// goroutine stacks and the runtime's own (about 150 MiB of it), but
	// not the threads' stacks. Zero means DefaultMemory.
	Memory int64
}

const (
	// DefaultMemory is the memory limit unless -mem or DSIM_MEM say
	// otherwise: three times what the lessons need (the largest script, a
	// sweep of 245 runs, peaks near 340 MiB, on any number of cores) while
	// a runaway script stops long before it troubles a laptop.
	DefaultMemory int64 = 1 << 30
	// MinMemory is the least limit accepted: below it the Go runtime and
	// the interpreter do not start.
	MinMemory int64 = 256 << 20
	// MemoryEnv names the variable that sets the memory limit when no
	// flag does.
	MemoryEnv = "DSIM_MEM"
)

// Mem returns the memory limit, the default when unset.
func (l Limits) Mem() int64 {
	if l.Memory == 0 {
		return DefaultMemory
	}
	return l.Memory
}

// Stack is the most stack one goroutine may have: an eighth of the memory
// limit, at most Go's own 1 GiB. An interpreted call takes about 1.1 KiB,
// so the default allows some 115,000 nested calls.
func (l Limits) Stack() int64 {
	return min(l.Mem()/8, 1<<30)
}

// Validate checks the memory limit.
func (l Limits) Validate() error {
	if l.Memory != 0 && l.Memory < MinMemory {
		return fmt.Errorf("interp: Memory=%s: must be at least %s (the Go runtime and the interpreter need that much)", FormatSize(l.Memory), FormatSize(MinMemory))
	}
	return nil
}

// LimitsFromEnv returns the limits given by DSIM_MEM, the defaults when it
// is unset.
func LimitsFromEnv() (Limits, error) {
	v := os.Getenv(MemoryEnv)
	if v == "" {
		return Limits{}, nil
	}
	n, err := ParseSize(v)
	if err != nil {
		return Limits{}, fmt.Errorf("%s=%s: %v", MemoryEnv, v, err)
	}
	l := Limits{Memory: n}
	if err := l.Validate(); err != nil {
		return Limits{}, fmt.Errorf("%s=%s: must be at least %s", MemoryEnv, v, FormatSize(MinMemory))
	}
	return l, nil
}

// gcPercent is the collector's target in a worker (GOGC; Go's default is
// 100). Interpreted code allocates on every call it makes into the
// library (arguments and results boxed through reflect), and at 100 the
// collector took about a third of an interpreted lab node's time. The
// soft memory limit bounds the heap whatever the percentage, so a larger
// one costs memory only while there is room for it: it measured 1.33x the
// messages per second of an interpreted node (BenchmarkInterpretedNode).
const gcPercent = 400

// apply sets the limits on this process: a hard limit on data mappings
// (setrlimit, see limits_linux.go), a soft one that makes the collector
// work harder before the hard one is reached, the collector's target,
// and the stack limit.
func (l Limits) apply() {
	mem := l.Mem()
	setDataLimit(mem)
	debug.SetMemoryLimit(mem - mem/8)
	debug.SetGCPercent(gcPercent)
	debug.SetMaxStack(int(l.Stack()))
}

var units = []struct {
	suffix string
	n      int64
}{
	{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"TiB", 1 << 40},
	{"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"TB", 1e12},
	{"K", 1 << 10}, {"M", 1 << 20}, {"G", 1 << 30}, {"T", 1 << 40},
	{"B", 1}, {"", 1},
}

// ParseSize reads a size in bytes: a number with an optional unit, KiB,
// MiB, GiB, TiB (powers of 1024), KB, MB, GB, TB (powers of 1000), or K,
// M, G, T (powers of 1024, as ulimit and Slurm mean them): "1.5GiB",
// "512M", "2G".
func ParseSize(s string) (int64, error) {
	t := strings.TrimSpace(s)
	for _, u := range units {
		if !strings.HasSuffix(strings.ToUpper(t), strings.ToUpper(u.suffix)) {
			continue
		}
		num := strings.TrimSpace(t[:len(t)-len(u.suffix)])
		if strings.HasSuffix(strings.ToUpper(num), "I") {
			continue // "2Gi": not a unit we know
		}
		f, err := strconv.ParseFloat(num, 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			break
		}
		if f <= 0 {
			return 0, fmt.Errorf("size %q must be positive", s)
		}
		b := f * float64(u.n)
		if b < 1 {
			return 0, fmt.Errorf("size %q is less than a byte", s)
		}
		if b >= math.MaxInt64 {
			return 0, fmt.Errorf("size %q is too large", s)
		}
		return int64(b), nil
	}
	return 0, fmt.Errorf("%q is not a size: write a number and a unit, such as 2GiB or 512MiB", s)
}

// FormatSize writes a size in the largest binary unit that keeps it at
// least 1, with at most two decimals: 1.5 GiB, 384 MiB.
func FormatSize(n int64) string {
	for _, u := range []struct {
		name string
		n    int64
	}{{"TiB", 1 << 40}, {"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}} {
		if n >= u.n {
			v := strconv.FormatFloat(float64(n)/float64(u.n), 'f', 2, 64)
			return strings.TrimSuffix(strings.TrimRight(v, "0"), ".") + " " + u.name
		}
	}
	return strconv.FormatInt(n, 10) + " B"
}
