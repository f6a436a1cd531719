package sim

import (
	"context"
	"sync/atomic"
)

// Progress is how far a run has come, for a front end's progress line.
type Progress struct {
	Now, Horizon Time  // virtual time reached, and where the run ends (0: no horizon)
	Events       int64 // events run so far
	Done         bool  // the run has returned
}

// Host is what a front end (the script runner, the REPL, a notebook) lends
// the runs started on its behalf. It travels in their context, so the
// library keeps no front end's state and two hosts in one process never
// meet: every Run whose context carries a Host reports its progress to it
// and is counted while it runs. Cancellation is the context's own.
type Host struct {
	// Progress, when set, is called from inside every Run every 65,536
	// events and once when it returns. It must be quick and must not call
	// back into the run; it may look at the wall clock to decide whether
	// a progress line is worth showing. It never changes what a run
	// computes.
	Progress func(Progress)

	running atomic.Int64
}

// Running reports how many Runs under this host are in progress, in any
// goroutine. A front end that interrupted an evaluation waits for it to
// reach zero before it prompts again, so that nothing a stopping run
// prints lands after the prompt.
func (h *Host) Running() int64 { return h.running.Load() }

type hostKey struct{}

// WithHost returns a context whose runs are h's.
func WithHost(ctx context.Context, h *Host) context.Context {
	return context.WithValue(ctx, hostKey{}, h)
}

// HostOf returns the Host of ctx, or nil.
func HostOf(ctx context.Context) *Host {
	if ctx == nil {
		return nil
	}
	h, _ := ctx.Value(hostKey{}).(*Host)
	return h
}
