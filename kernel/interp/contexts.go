package interp

import (
	"context"
	"reflect"
	"strings"
	"sync"

	yaegi "github.com/traefik/yaegi/interp"

	"dsim/kernel/display"
	"dsim/kernel/symbols"
	"dsim/sim"
	"dsim/sim/lab"
	"dsim/sim/sweep"
)

// runContext is what the runs of the running evaluation see: its
// cancellation, this host's sim.Host (progress lines, a count of the runs
// in progress) and the display's sweep progress. The library keeps no
// front end's state: all of it travels in this context.
func (h *Host) runContext(ctx context.Context) context.Context {
	return display.WithProgress(sim.WithHost(ctx, h.runs))
}

// currentContext is the running evaluation's run context, or one that is
// never cancelled between evaluations.
func (h *Host) currentContext() context.Context {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.ctx != nil {
		return h.ctx
	}
	return h.runContext(context.Background())
}

var contextType = reflect.TypeOf((*context.Context)(nil)).Elem()

// adopt makes a context a script passes the library's its evaluation's
// too: a script that passes context.Background() (or one of its own) to
// RunContext or sweep.Run still stops on Ctrl-C, shows progress and runs
// its shard of a sweep. A context derived from script.Context() already
// is.
func (h *Host) adopt(ctx context.Context) context.Context {
	hc := h.currentContext()
	if ctx == nil {
		return hc
	}
	if sim.HostOf(ctx) == h.runs {
		return ctx
	}
	c, cancel := context.WithCancelCause(withValues{ctx, hc})
	// The evaluation's end cancels hc, which ends this too: no leak.
	context.AfterFunc(hc, func() { cancel(context.Cause(hc)) })
	return c
}

// withValues is a context whose values are its own, then fallback's.
type withValues struct {
	context.Context
	fallback context.Context
}

func (w withValues) Value(key any) any {
	if v := w.Context.Value(key); v != nil {
		return v
	}
	return w.fallback.Value(key)
}

// contextOverrides binds the library's functions to the running
// evaluation: one that takes a context first gets it adopted (see adopt),
// and a function F that has a twin FContext(ctx, ...) calls the twin with
// the evaluation's context, so that metastable.Run(cfg) in a script stops
// on Ctrl-C and shows its progress as metastable.RunContext(script.Context(),
// cfg) does. A function a script passes to sweep.Run is called one run at
// a time: Yaegi does not promise that interpreted code may run on several
// goroutines at once (compiled scenario sweeps stay parallel); so is a
// lab search whose test holds the script's own node or checkers.
func (h *Host) contextOverrides() yaegi.Exports {
	out := yaegi.Exports{}
	set := func(pkg, name string, v reflect.Value) {
		if out[pkg] == nil {
			out[pkg] = map[string]reflect.Value{}
		}
		out[pkg][name] = v
	}
	for pkg, syms := range symbols.Symbols {
		if !strings.HasPrefix(pkg, "dsim/sim/") {
			continue // the front ends' own functions are the host's business
		}
		for name, fn := range syms {
			switch twin, ok := syms[name+"Context"]; {
			case !runsWithContext(fn):
			case ok && takesContextFirst(fn, twin):
				set(pkg, name, reflect.MakeFunc(fn.Type(), func(args []reflect.Value) []reflect.Value {
					return call(twin, append([]reflect.Value{reflect.ValueOf(h.currentContext())}, args...))
				}))
			case fn.Type().NumIn() > 0 && fn.Type().In(0) == contextType:
				set(pkg, name, reflect.MakeFunc(fn.Type(), func(args []reflect.Value) []reflect.Value {
					args[0] = reflect.ValueOf(h.adopt(asContext(args[0])))
					return call(fn, args)
				}))
			}
		}
	}
	set("dsim/sim/sweep/sweep", "Run", reflect.ValueOf(func(ctx context.Context, spec sweep.Spec, fn sweep.Func) (*sweep.Result, error) {
		var mu sync.Mutex
		return sweep.Run(h.adopt(ctx), spec, func(p sweep.Point, seed uint64) (*sweep.Metrics, error) {
			mu.Lock()
			defer mu.Unlock()
			return fn(p, seed)
		})
	}))
	// A search runs its seeds on several goroutines: one at a time when
	// the test carries the script's own code (its node or checkers).
	serial := func(t lab.Test, s lab.Seeds) lab.Seeds {
		if t.New != nil || len(t.Checkers) > 0 {
			s.Workers = 1
		}
		return s
	}
	set("dsim/sim/lab/lab", "SearchContext", reflect.ValueOf(func(ctx context.Context, t lab.Test, s lab.Seeds) (*lab.Found, error) {
		return lab.SearchContext(h.adopt(ctx), t, serial(t, s))
	}))
	set("dsim/sim/lab/lab", "Search", reflect.ValueOf(func(t lab.Test, s lab.Seeds) (*lab.Found, error) {
		return lab.SearchContext(h.currentContext(), t, serial(t, s))
	}))
	return out
}

func call(fn reflect.Value, args []reflect.Value) []reflect.Value {
	if fn.Type().IsVariadic() {
		return fn.CallSlice(args)
	}
	return fn.Call(args)
}

// asContext reads a context argument, which may be a nil interface.
func asContext(v reflect.Value) context.Context {
	if !v.IsValid() || (v.Kind() == reflect.Interface && v.IsNil()) {
		return nil
	}
	c, _ := v.Interface().(context.Context)
	return c
}

// runsWithContext reports whether fn is a function that runs something (a
// simulation, a sweep, a merge) rather than one that builds or reads a
// context (sim.WithHost, sim.HostOf): only those are bound.
func runsWithContext(fn reflect.Value) bool {
	if fn.Kind() != reflect.Func {
		return false
	}
	t := fn.Type()
	for i := 0; i < t.NumOut(); i++ {
		if t.Out(i) == contextType || t.Out(i) == reflect.TypeOf((*sim.Host)(nil)) {
			return false
		}
	}
	return true
}

// takesContextFirst reports whether twin is fn with a context.Context
// before its parameters, and the same results.
func takesContextFirst(fn, twin reflect.Value) bool {
	if fn.Kind() != reflect.Func || twin.Kind() != reflect.Func {
		return false
	}
	f, t := fn.Type(), twin.Type()
	if t.NumIn() != f.NumIn()+1 || t.In(0) != contextType || t.NumOut() != f.NumOut() || t.IsVariadic() != f.IsVariadic() {
		return false
	}
	for i := 0; i < f.NumIn(); i++ {
		if f.In(i) != t.In(i+1) {
			return false
		}
	}
	for i := 0; i < f.NumOut(); i++ {
		if f.Out(i) != t.Out(i) {
			return false
		}
	}
	return true
}
