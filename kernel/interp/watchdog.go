package interp

import (
	"context"
	"fmt"
	"regexp"
	"runtime"
	"strings"
	"time"
)

// The Go runtime reports "all goroutines are asleep" only when no thread
// waits in a system call or on a timer, which a host that catches Ctrl-C
// never satisfies: a script blocked for good (select {}, a receive nobody
// will send to) would wait for its time limit, or for ever. The watchdog
// looks instead. While an evaluation runs it takes a snapshot of the
// goroutines (runtime.Stack) every watchEvery; when every goroutine but
// the host's own is blocked on a channel or a lock, no simulation runs,
// and nothing the script made can wake them (a timer, a signal; see wake),
// two snapshots in a row, the evaluation stops with a deadlock error that
// says what main is blocked on.

// watchEvery is how often the watchdog looks. A trivial script ends
// before the first look and pays nothing.
const watchEvery = 250 * time.Millisecond

// deadlockError stops an evaluation whose goroutines are all asleep.
type deadlockError struct {
	main   string // what main is blocked on
	others int    // other goroutines of the script, all blocked
}

func (d *deadlockError) Error() string {
	s := "deadlock: all goroutines are asleep: main is " + d.main
	switch d.others {
	case 0:
	case 1:
		s += ", and 1 other goroutine is blocked too"
	default:
		s += fmt.Sprintf(", and %d other goroutines are blocked too", d.others)
	}
	return s
}

// watch starts the watchdog of an evaluation; the func it returns stops
// it and waits until it has.
func (h *Host) watch(ctx context.Context, cancel context.CancelCauseFunc) func() {
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		h.watchLoop(ctx, stop, cancel)
	}()
	return func() { close(stop); <-done }
}

func (h *Host) watchLoop(ctx context.Context, stop chan struct{}, cancel context.CancelCauseFunc) {
	t := time.NewTimer(watchEvery)
	defer t.Stop()
	var buf []byte
	agree := 0
	cpu := cpuTime()
	for {
		select {
		case <-stop:
			return
		case <-ctx.Done():
			return
		case <-t.C:
		}
		// A process that used the CPU since the last look is not
		// deadlocked; a snapshot would cost time proportional to its
		// stacks (a deep recursion has millions of frames).
		now := cpuTime()
		busy := now-cpu > watchEvery/20
		cpu = now
		if busy {
			agree = 0
		} else if d := h.deadlock(&buf); d == nil {
			agree = 0
		} else if agree++; agree >= 2 {
			cancel(d)
			return
		}
		t.Reset(watchEvery)
	}
}

// deadlock returns what is blocked when the script can no longer move,
// or nil.
func (h *Host) deadlock(buf *[]byte) *deadlockError {
	if h.runs.Running() > 0 || h.wake.pending() {
		return nil
	}
	gs := snapshot(buf)
	if gs == nil {
		return nil
	}
	var main *goroutine
	others := 0
	for i, g := range gs {
		switch {
		case g.infra():
		case !g.asleep():
			return nil
		case g.main():
			main = &gs[i]
		case strings.Contains(g.stack, "github.com/traefik/yaegi/interp."):
			others++ // a goroutine of the script's
		}
	}
	if main == nil {
		return nil
	}
	return &deadlockError{main: main.describe(), others: others}
}

// noteBlocked records what main is doing as its time limit passes.
func (h *Host) noteBlocked() {
	var buf []byte
	for _, g := range snapshot(&buf) {
		if g.main() && !g.infra() {
			if d := g.describe(); d != "running" {
				h.mu.Lock()
				h.blocked = d
				h.mu.Unlock()
			}
			return
		}
	}
}

// goroutine is one goroutine of a snapshot.
type goroutine struct {
	state string // "chan receive", "running"...
	stack string
}

// snapshot returns every goroutine of the process, or nil when there are
// too many to look at (more than 8 MiB of traces).
func snapshot(buf *[]byte) []goroutine {
	if *buf == nil {
		*buf = make([]byte, 256<<10)
	}
	n := runtime.Stack(*buf, true)
	for n == len(*buf) {
		if len(*buf) >= 8<<20 {
			return nil
		}
		*buf = make([]byte, 2*len(*buf))
		n = runtime.Stack(*buf, true)
	}
	var gs []goroutine
	for _, block := range strings.Split(string((*buf)[:n]), "\n\n") {
		header, stack, _ := strings.Cut(block, "\n")
		open, end := strings.Index(header, "["), strings.LastIndex(header, "]")
		if !strings.HasPrefix(header, "goroutine ") || open < 0 || end < open {
			continue
		}
		state, _, _ := strings.Cut(header[open+1:end], ",")
		gs = append(gs, goroutine{state: state, stack: stack})
	}
	return gs
}

// infraFrames mark the goroutines of the host, and of Go's signal
// handling, which wait on their own and never on the script.
var infraFrames = []string{
	"dsim/kernel/interp.(*Host).watchLoop", "dsim/kernel/interp.(*Host).noteBlocked",
	"dsim/kernel/interp.(*sessionWorker)", "os/signal.loop", "os/signal.signal_recv",
	"(*Interpreter).EvalWithContext(", "(*Interpreter).ExecuteWithContext(",
}

func (g goroutine) infra() bool { return containsAny(g.stack, infraFrames) }

// main reports whether g runs the evaluation itself.
func (g goroutine) main() bool {
	return strings.Contains(g.stack, "(*Interpreter).EvalWithContext.func1") ||
		strings.Contains(g.stack, "(*Interpreter).ExecuteWithContext.func1")
}

// asleep reports whether g waits on a channel or a lock.
func (g goroutine) asleep() bool {
	for _, p := range []string{"chan ", "select", "semacquire", "sync."} {
		if strings.HasPrefix(g.state, p) {
			return true
		}
	}
	return false
}

// selectNoCases matches a select whose only case is the one Yaegi adds,
// the evaluation's cancel channel: reflect.Select's slice of cases, as
// the trace prints its header, has length 1.
var selectNoCases = regexp.MustCompile(`reflect\.Select\(\{0x[0-9a-f]+\??, 0x1,[^\n]*\n[^\n]*\n[^\n]*interp\._select`)

// describe says what g is doing, after "main is" or "main was": "blocked
// in a channel receive", "in time.Sleep", "running".
func (g goroutine) describe() string {
	for _, k := range []struct{ frame, say string }{
		{"interp._select", "a select statement"},
		{"interp.recv", "a channel receive"},
		{"interp.send", "a channel send"},
		{"interp.rangeChan", "a range over a channel"},
		{"sync.(*WaitGroup).Wait", "sync.WaitGroup.Wait"},
		{"sync.(*Mutex).Lock", "sync.Mutex.Lock"},
		{"sync.(*RWMutex)", "a sync.RWMutex"},
		{"sync.(*Cond).Wait", "sync.Cond.Wait"},
	} {
		if strings.Contains(g.stack, k.frame) {
			if k.frame == "interp._select" && selectInStack(g.stack) {
				return "blocked in select {} (no cases)"
			}
			return "blocked in " + k.say
		}
	}
	for _, line := range strings.Split(g.stack, "\n") {
		if line == "" || line[0] == '\t' || strings.HasPrefix(line, "...") || strings.HasPrefix(line, "created by ") || containsAny(line, []string{"runtime.", "reflect.", "github.com/traefik/yaegi/", "internal/"}) {
			continue
		}
		if i := strings.LastIndex(line, "("); i > 0 {
			line = line[:i]
		}
		return "in " + line
	}
	if g.asleep() {
		return "blocked (" + g.state + ")"
	}
	return "running"
}

// selectInStack reports whether the select main waits in has no cases of
// its own: Yaegi adds one, the evaluation's cancel channel.
func selectInStack(stack string) bool {
	return selectNoCases.MatchString(stack)
}
