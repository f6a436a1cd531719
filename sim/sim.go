package sim

import (
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"runtime/debug"
)

// Defaults for the limits of a run. Every run has all three; a zero field in
// Config means the default, never "unlimited".
const (
	DefaultMaxEvents  int64 = 2_000_000_000
	DefaultMaxPending       = 1 << 22
)

// How often Run polls its context. Polling costs a few nanoseconds, so every
// 4096 events keeps an interrupt well under a millisecond of wall time away.
const ctxPollMask = 1<<12 - 1

// Config holds the seed and the limits of one run.
type Config struct {
	// Seed is the root of every random stream of the run.
	Seed uint64
	// Horizon is the planned end of the run: events after it are not run and
	// Run returns nil with Now() == Horizon. Zero means no horizon: the run
	// ends when no event is pending.
	Horizon Time
	// MaxEvents bounds the events one Run executes; reaching it is an error
	// (ErrEventBudget). Zero means DefaultMaxEvents.
	MaxEvents int64
	// MaxPending bounds the events scheduled at once; exceeding it is an
	// error (ErrPendingLimit), which catches a model that schedules without
	// end. Zero means DefaultMaxPending.
	MaxPending int
}

// Validate reports the first field that cannot work.
func (c Config) Validate() error {
	switch {
	case c.Horizon < 0:
		return fmt.Errorf("sim: Horizon=%v is negative", c.Horizon)
	case c.MaxEvents < 0:
		return fmt.Errorf("sim: MaxEvents=%d is negative", c.MaxEvents)
	case c.MaxPending < 0:
		return fmt.Errorf("sim: MaxPending=%d is negative", c.MaxPending)
	}
	return nil
}

// Sim is a discrete-event simulator: a virtual clock and a queue of callbacks.
//
// A Sim is single-threaded by design. Callbacks run one at a time in (time,
// scheduling order), and may schedule or cancel others. It must not be shared
// between goroutines; run many Sims in parallel instead.
type Sim struct {
	cfg     Config
	now     Time
	seq     uint64
	events  int64
	heap    []entry
	slots   []slot
	free    []int32
	streams map[string]*rand.Rand
	stopped bool
	failure error
}

// New returns a simulator at time zero with no events pending.
// Invalid limits (see Config.Validate) are reported by Run.
func New(cfg Config) *Sim {
	cfg.MaxEvents = cmp.Or(cfg.MaxEvents, DefaultMaxEvents)
	cfg.MaxPending = cmp.Or(cfg.MaxPending, DefaultMaxPending)
	return &Sim{cfg: cfg, streams: make(map[string]*rand.Rand)}
}

// Now returns the current virtual time: the time of the running event, or
// where the last Run stopped.
func (s *Sim) Now() Time { return s.now }

// Seed returns the root seed of the run.
func (s *Sim) Seed() uint64 { return s.cfg.Seed }

// Horizon returns the planned end of the run (0 when there is none).
func (s *Sim) Horizon() Time { return s.cfg.Horizon }

// Events returns how many events have run so far.
func (s *Sim) Events() int64 { return s.events }

// Pending returns how many events are scheduled and not yet run.
func (s *Sim) Pending() int { return len(s.heap) }

// Rand returns the random stream called name, creating it on first use.
// Asking again for the same name returns the same stream. See Stream for
// why named streams keep runs comparable when a model grows.
func (s *Sim) Rand(name string) *rand.Rand {
	r, ok := s.streams[name]
	if !ok {
		r = Stream(s.cfg.Seed, name)
		s.streams[name] = r
	}
	return r
}

// At schedules fn to run at virtual time t and returns a handle to cancel it.
// A time in the past is an error of the model: the run fails with ErrPast.
// Cost: O(log n) in the number of pending events. Scheduling allocates only
// while the queue grows beyond its largest size so far; pass a func value
// that is reused (a method value stored once, not a fresh closure) to keep
// steady-state scheduling allocation-free.
func (s *Sim) At(t Time, fn func()) Timer {
	if t < s.now {
		s.fail(fmt.Errorf("%w: event for t=%v scheduled at t=%v", ErrPast, t, s.now))
		return Timer{}
	}
	if len(s.heap) >= s.cfg.MaxPending {
		s.fail(fmt.Errorf("%w: more than %d events pending", ErrPendingLimit, s.cfg.MaxPending))
		return Timer{}
	}
	k := s.alloc(fn)
	s.seq++
	s.push(entry{at: t, seq: s.seq, slot: k})
	return Timer{s: s, slot: k, gen: s.slots[k].gen}
}

// After schedules fn to run d from now. A negative d is treated as zero.
func (s *Sim) After(d Time, fn func()) Timer {
	if d < 0 {
		d = 0
	}
	if d > MaxTime-s.now {
		d = MaxTime - s.now
	}
	return s.At(s.now+d, fn)
}

// Every calls fn at start and then every period after it, for as long as
// the run goes on: the sampling, gossip and synchronisation rounds of a
// model. The first call comes at start, as At schedules it; each later one
// is scheduled as fn returns. A period that is not positive is an error of
// the model: the run fails rather than loop at one instant.
func (s *Sim) Every(start, period Time, fn func()) {
	if period <= 0 {
		s.fail(fmt.Errorf("sim: Every: period %v: must be positive", period))
		return
	}
	var tick func()
	tick = func() {
		fn()
		s.After(period, tick)
	}
	s.At(start, tick)
}

// Stop ends the run after the current event. Pending events stay pending,
// so a later Run continues where this one stopped.
func (s *Sim) Stop() { s.stopped = true }

// Fail ends the run after the current event; Run returns err wrapped in an
// *Error that carries the seed and the virtual time. The first failure wins.
func (s *Sim) Fail(err error) { s.fail(err) }

// Errorf is Fail with a formatted error.
func (s *Sim) Errorf(format string, args ...any) { s.fail(fmt.Errorf(format, args...)) }

func (s *Sim) fail(err error) {
	if s.failure == nil {
		s.failure = err
	}
	s.stopped = true
}

// Run executes events in (time, scheduling order) until none is pending, the
// horizon is passed, Stop or Fail is called, a limit is hit, or ctx is done.
// It returns nil for the first three. Otherwise it returns an *Error naming
// the cause, the seed and the virtual time. A panic in a callback is
// recovered and returned the same way, with its stack.
//
// Run may be called again to continue a stopped run.
func (s *Sim) Run(ctx context.Context) (err error) {
	if err := s.cfg.Validate(); err != nil {
		return err
	}
	if ctx == nil {
		ctx = context.Background()
	}
	host := HostOf(ctx)
	var progress func(Progress)
	if host != nil {
		// Deferred first, so it runs last: after progress's final call.
		host.running.Add(1)
		defer host.running.Add(-1)
		progress = host.Progress
	}
	defer func() {
		if r := recover(); r != nil {
			err = &Error{Seed: s.cfg.Seed, At: s.now, Err: fmt.Errorf("panic in event callback: %v", r), Stack: string(debug.Stack())}
		}
	}()
	s.stopped = false
	done := ctx.Done()
	if progress != nil {
		defer func() { progress(Progress{Now: s.now, Horizon: s.cfg.Horizon, Events: s.events, Done: true}) }()
	}
	budget := s.events + s.cfg.MaxEvents
	horizon := s.cfg.Horizon
	for len(s.heap) > 0 && !s.stopped {
		if horizon > 0 && s.heap[0].at > horizon {
			s.now = horizon
			break
		}
		if s.events >= budget {
			s.fail(fmt.Errorf("%w: %d events run", ErrEventBudget, s.cfg.MaxEvents))
			break
		}
		if s.events&progressMask == 0 && progress != nil {
			progress(Progress{Now: s.heap[0].at, Horizon: horizon, Events: s.events})
		}
		if done != nil && s.events&ctxPollMask == 0 {
			select {
			case <-done:
				s.fail(fmt.Errorf("%w: %w", ErrInterrupted, context.Cause(ctx)))
			default:
			}
			if s.stopped {
				break
			}
		}
		e := s.popMin()
		s.now = e.at
		fn := s.slots[e.slot].fn
		s.release(e.slot)
		s.events++
		fn()
	}
	if len(s.heap) == 0 && horizon > s.now && s.failure == nil && !s.stopped {
		// Nothing left to happen before the horizon: the run still lasted
		// until then, which time-weighted statistics need to know.
		s.now = horizon
	}
	if s.failure != nil {
		f := s.failure
		s.failure = nil
		return &Error{Seed: s.cfg.Seed, At: s.now, Err: f}
	}
	return nil
}

// progressMask sets how often a run reports progress: every 2^16 events,
// a few hundred times a second at the engine's speed.
const progressMask = 1<<16 - 1

// Timer is a handle to a scheduled event. The zero Timer is valid and
// refers to no event.
type Timer struct {
	s    *Sim
	slot int32
	gen  uint32
}

// live reports whether t still refers to a pending event.
func (t Timer) live() bool {
	if t.s == nil {
		return false
	}
	sl := &t.s.slots[t.slot]
	return sl.gen == t.gen && sl.pos >= 0
}

// Pending reports whether the event is still scheduled.
func (t Timer) Pending() bool { return t.live() }

// When returns the time the event is scheduled for, or -1 when it is not
// pending.
func (t Timer) When() Time {
	if !t.live() {
		return -1
	}
	return t.s.heap[t.s.slots[t.slot].pos].at
}

// Stop cancels the event and reports whether it was pending. Stopping an
// event that already ran or was cancelled does nothing. Cost: O(log n).
func (t Timer) Stop() bool {
	if !t.live() {
		return false
	}
	t.s.remove(int(t.s.slots[t.slot].pos))
	t.s.release(t.slot)
	return true
}
