package service

import (
	"fmt"
	"slices"

	"dsim/sim"
)

// FaultKind names what a fault does to its target.
type FaultKind string

// The faults. Each lasts its Window and is undone at its end.
const (
	// Slowdown multiplies the service time (a Dependency's latency) of
	// work that starts during the window by Factor: a GC pause, a slow
	// disk, a noisy neighbour. Servers and dependencies.
	Slowdown FaultKind = "slowdown"
	// CapacityDrop takes Share of the slots (a pool's connections) away:
	// a lost node, a CPU cap. Work already in service finishes. Servers
	// and pools.
	CapacityDrop FaultKind = "capacity-drop"
	// Crash stops the target: every call it holds fails at once, and it
	// refuses calls until the window ends, when it restarts empty.
	// Servers, pools and dependencies; consumers, which drop the messages
	// in processing and take none until the restart.
	Crash FaultKind = "crash"
	// Flush empties a cache at the window's start (its Duration does not
	// matter). Caches.
	Flush FaultKind = "flush"
)

// FaultKinds lists the faults.
func FaultKinds() []FaultKind { return []FaultKind{Slowdown, CapacityDrop, Crash, Flush} }

// Fault is one entry of a system's fault schedule (System.Schedule).
type Fault struct {
	Target string    // the component it strikes
	Kind   FaultKind // what it does
	// Window is when; a zero Duration lasts to the end of the run.
	Window sim.Window
	Factor float64 // Slowdown: the service time multiplier, 1 to 1000
	Share  float64 // CapacityDrop: the share of the slots lost, in (0, 1]
}

func (f Fault) String() string {
	what := string(f.Kind)
	switch f.Kind {
	case Slowdown:
		what = fmt.Sprintf("%g× slower", f.Factor)
	case CapacityDrop:
		what = fmt.Sprintf("%.0f%% of capacity lost", 100*f.Share)
	}
	return fmt.Sprintf("%s: %s from %v", f.Target, what, f.Window.Start)
}

// faultable is a component whose capacity, speed or life faults change.
type faultable interface {
	faults() *faulty
	// changed is called after a change, so waiting work may start.
	changed()
	crash()
}

// flusher is a component a Flush empties.
type flusher interface{ flush() }

func (s *System) checkFault(i int, f Fault) error {
	where := fmt.Sprintf("service: Fault[%d] (%s of %q)", i, f.Kind, f.Target)
	target, ok := s.byName[f.Target]
	if !ok {
		return fmt.Errorf("%s: Target=%q: no component has that name (have %s)", where, f.Target, s.names())
	}
	_, canFault := target.(faultable)
	_, canFlush := target.(flusher)
	run := s.cfg.withDefaults().Duration
	switch {
	case !slices.Contains(FaultKinds(), f.Kind):
		return fmt.Errorf("%s: Kind=%q: want one of %v", where, f.Kind, FaultKinds())
	case f.Kind == Flush && !canFlush, f.Kind != Flush && !canFault:
		return fmt.Errorf("%s: a %s cannot have a %s fault", where, target.Kind(), f.Kind)
	case f.Kind == CapacityDrop && target.Kind() == "Dependency":
		return fmt.Errorf("%s: a Dependency has no capacity to drop", where)
	case f.Window.Start < 0 || f.Window.Start >= run:
		return fmt.Errorf("%s: Window.Start=%v: must lie inside the run (Duration=%v)", where, f.Window.Start, run)
	case f.Window.Duration < 0:
		return fmt.Errorf("%s: Window.Duration=%v: must not be negative (0 lasts to the end)", where, f.Window.Duration)
	case f.Kind == Slowdown && !(f.Factor >= 1 && f.Factor <= 1000):
		return fmt.Errorf("%s: Factor=%v: must be between 1 and 1000", where, f.Factor)
	case f.Kind == CapacityDrop && !(f.Share > 0 && f.Share <= 1):
		return fmt.Errorf("%s: Share=%v: must be in (0, 1]", where, f.Share)
	}
	return nil
}

// inject schedules a fault's start and end. Faults are scheduled before
// any load, so at the instant a fault starts or ends it takes effect
// before anything else happens.
func (s *System) inject(f Fault) {
	target := s.byName[f.Target]
	from := sim.FromDuration(f.Window.Start)
	to := s.sim.Horizon()
	if f.Window.Duration > 0 {
		to = min(to, sim.FromDuration(f.Window.End()))
	}
	if f.Kind == Flush {
		fl := target.(flusher)
		s.sim.At(from, fl.flush)
		return
	}
	t := target.(faultable)
	ft := t.faults()
	s.sim.At(from, func() {
		switch f.Kind {
		case Slowdown:
			ft.slows = append(ft.slows, f.Factor)
		case CapacityDrop:
			ft.drops = append(ft.drops, f.Share)
		case Crash:
			ft.crashes++
			if !ft.down {
				ft.down = true
				t.crash()
			}
		}
		ft.recompute()
		t.changed()
	})
	if f.Window.Duration == 0 {
		return // never undone within the run
	}
	s.sim.At(to, func() {
		switch f.Kind {
		case Slowdown:
			ft.slows = remove(ft.slows, f.Factor)
		case CapacityDrop:
			ft.drops = remove(ft.drops, f.Share)
		case Crash:
			ft.crashes--
			ft.down = ft.crashes > 0
		}
		ft.recompute()
		t.changed()
	})
}

func remove(xs []float64, x float64) []float64 {
	if i := slices.Index(xs, x); i >= 0 {
		return slices.Delete(xs, i, i+1)
	}
	return xs
}
