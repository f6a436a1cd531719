package interp

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/signal"
	"reflect"
	"runtime"
	"sort"
	"sync"
	"time"

	yaegi "github.com/traefik/yaegi/interp"

	"dsim/kernel/script"
)

// MaxGoroutines bounds the goroutines a script may have running at once:
// a go statement past it panics, where unbounded spawning would instead
// end in the memory limit with less said (an interpreted goroutine takes
// about 11 KiB).
const MaxGoroutines = 10_000

// spawn starts a script's goroutine under the guard. Scripts reach it
// through the rewrite of their go statements (see guardGoroutines).
func (h *Host) spawn(fn func()) {
	h.mu.Lock()
	if h.nlive >= MaxGoroutines {
		h.mu.Unlock()
		panic(fmt.Sprintf("go statement: %d goroutines are running, the most a script may have", MaxGoroutines))
	}
	h.nlive++
	in := h.input
	h.live[in]++
	h.mu.Unlock()
	go h.guard(fn, in)
}

// guard runs a goroutine's function; a panic in it is recovered, reported
// and stops the evaluation that started it.
func (h *Host) guard(fn func(), in int) {
	defer func() {
		r := recover()
		h.mu.Lock()
		h.nlive--
		if h.live[in]--; h.live[in] <= 0 {
			delete(h.live, in)
		}
		if r == nil {
			h.mu.Unlock()
			return
		}
		// Under the lock, so that of two goroutines panicking at once the
		// one that reports also has the position Yaegi printed.
		var err error = &Error{Msg: h.panicWhere("panic in a goroutine", panicText(r)), Kind: "panic"}
		if c, ok := r.(exitCode); ok {
			err = &ExitError{Code: int(c)}
		}
		cancel := h.cancel
		if cancel == nil {
			// No evaluation is running: the goroutine outlived the input
			// that started it. Say so now; the next input starts clean.
			h.needsFix = true
			h.mu.Unlock()
			fmt.Fprintf(h.opts.Stderr, "error: %v\n", err)
			return
		}
		if h.goPanic == nil {
			h.goPanic = err
		}
		h.mu.Unlock()
		cancel(err)
	}()
	fn()
}

// Goroutines returns how many goroutines scripts started are still
// running, and the numbers of the evaluations that started them (Eval
// and RunFile count from 1).
func (h *Host) Goroutines() (int, []int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	var from []int
	for in := range h.live {
		from = append(from, in)
	}
	sort.Ints(from)
	return h.nlive, from
}

// StopGoroutines stops the interpreted code that scripts left running in
// goroutines, as an interrupt stops an evaluation: each stops at its next
// interpreted step. It waits up to wait for them to end and returns how
// many are left. A goroutine blocked on a channel since an earlier input
// stays blocked, harmless; one inside a long compiled call (time.Sleep,
// a simulation run without the script's context) ends only when the call
// returns.
func (h *Host) StopGoroutines(wait time.Duration) int {
	if n, _ := h.Goroutines(); n == 0 {
		return 0
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	// A cancelled evaluation makes Yaegi stop every frame of this
	// interpreter; select {} waits for that, so the cancel always wins.
	_, _ = h.in.EvalWithContext(ctx, "select {}")
	h.needsFix = true
	deadline := time.Now().Add(wait)
	for {
		n, _ := h.Goroutines()
		if n == 0 || !time.Now().Before(deadline) {
			return n
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// exit is the scripts' os.Exit.
func (h *Host) exit(code int) {
	if h.opts.Exit != nil {
		h.opts.Exit(code)
	}
	panic(exitCode(code))
}

// goexitMain is the scripts' runtime.Goexit: Go ends a program whose main
// goroutine calls it in a deadlock; the host reports it.
func (h *Host) goexitMain() {
	buf := make([]byte, 64<<10)
	if !bytes.Contains(buf[:runtime.Stack(buf, false)], []byte("(*Host).guard")) {
		h.mu.Lock()
		h.goexit = true
		h.mu.Unlock()
	}
	runtime.Goexit()
}

// wake records what could wake a script whose goroutines are all blocked,
// for the deadlock watchdog: timers of known end (time.After, a context's
// deadline), or things of unknown end (tickers, timers that can be reset,
// signals, the run's own context), after which no deadlock is reported.
type wake struct {
	mu      sync.Mutex
	until   time.Time
	forever bool
}

func (w *wake) at(t time.Time) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if t.After(w.until) {
		w.until = t
	}
}

func (w *wake) always() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.forever = true
}

// pending reports whether something may still wake a blocked script.
func (w *wake) pending() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.forever || time.Now().Before(w.until.Add(100*time.Millisecond))
}

// overrides are the symbols the host puts in place of the standard ones:
// os.Exit and log.Fatal end the script with their status, runtime.Goexit
// in main is reported, and the functions that make timers or wait for
// signals tell the deadlock watchdog.
func (h *Host) overrides() yaegi.Exports {
	w := h.wake
	var output func(int, string) error
	for _, syms := range h.in.Symbols("log") {
		output, _ = syms["Output"].Interface().(func(int, string) error)
	}
	fatal := func(s string) {
		if output != nil {
			_ = output(3, s)
		}
		h.exit(1)
	}
	now := time.Now
	return yaegi.Exports{
		"os/os":           {"Exit": reflect.ValueOf(h.exit)},
		"runtime/runtime": {"Goexit": reflect.ValueOf(h.goexitMain)},
		"log/log": {
			"Fatal":   reflect.ValueOf(func(v ...any) { fatal(fmt.Sprint(v...)) }),
			"Fatalf":  reflect.ValueOf(func(f string, v ...any) { fatal(fmt.Sprintf(f, v...)) }),
			"Fatalln": reflect.ValueOf(func(v ...any) { fatal(fmt.Sprintln(v...)) }),
		},
		"time/time": {
			"After": reflect.ValueOf(func(d time.Duration) <-chan time.Time { w.at(now().Add(d)); return time.After(d) }),
			"AfterFunc": reflect.ValueOf(func(d time.Duration, f func()) *time.Timer {
				w.always()
				return time.AfterFunc(d, f)
			}),
			"NewTimer":  reflect.ValueOf(func(d time.Duration) *time.Timer { w.always(); return time.NewTimer(d) }),
			"NewTicker": reflect.ValueOf(func(d time.Duration) *time.Ticker { w.always(); return time.NewTicker(d) }),
			"Tick":      reflect.ValueOf(func(d time.Duration) <-chan time.Time { w.always(); return time.Tick(d) }),
		},
		"context/context": {
			"WithTimeout": reflect.ValueOf(func(p context.Context, d time.Duration) (context.Context, context.CancelFunc) {
				w.at(now().Add(d))
				return context.WithTimeout(p, d)
			}),
			"WithDeadline": reflect.ValueOf(func(p context.Context, t time.Time) (context.Context, context.CancelFunc) {
				w.at(t)
				return context.WithDeadline(p, t)
			}),
			"WithTimeoutCause": reflect.ValueOf(func(p context.Context, d time.Duration, c error) (context.Context, context.CancelFunc) {
				w.at(now().Add(d))
				return context.WithTimeoutCause(p, d, c)
			}),
			"WithDeadlineCause": reflect.ValueOf(func(p context.Context, t time.Time, c error) (context.Context, context.CancelFunc) {
				w.at(t)
				return context.WithDeadlineCause(p, t, c)
			}),
		},
		"os/signal/signal": {
			"Notify": reflect.ValueOf(func(c chan<- os.Signal, sig ...os.Signal) { w.always(); signal.Notify(c, sig...) }),
			"NotifyContext": reflect.ValueOf(func(p context.Context, sig ...os.Signal) (context.Context, context.CancelFunc) {
				w.always()
				return signal.NotifyContext(p, sig...)
			}),
		},
		"dsim/kernel/script/script": {"Context": reflect.ValueOf(func() context.Context { w.always(); return script.Context() })},
		guardPath + "/guard":        {"Go": reflect.ValueOf(h.spawn)},
	}
}
