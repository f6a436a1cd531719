package resilience

import (
	"time"

	"dsim/sim"
)

// Breaker is a count-based circuit breaker (Nygard, Release It!, ch. 5).
// Closed, it lets calls through and remembers the outcomes of the last
// Window of them; when the failed share reaches Threshold it opens and
// refuses calls for Cooldown; then it is half-open and lets one trial call
// through, whose outcome closes it or opens it again.
type Breaker struct {
	threshold float64
	cooldown  sim.Time
	outcomes  []bool // ring of the last calls: true = failed
	next      int
	filled    int
	failed    int
	openUntil sim.Time
	state     BreakerState
	trialOut  bool // a half-open trial call is in flight
	opened    int64
	refused   int64
}

// BreakerState is where a breaker stands.
type BreakerState uint8

// The states of a circuit breaker.
const (
	Closed BreakerState = iota
	Open
	HalfOpen
)

func (s BreakerState) String() string { return [...]string{"closed", "open", "half-open"}[s] }

// BreakerConfig is a circuit breaker's settings, the same in every
// scenario that has one.
type BreakerConfig struct {
	// Threshold is the share of failed calls, among the last Window, that
	// opens the breaker, in (0, 1].
	Threshold float64
	// Window is how many of the last calls the breaker remembers.
	Window int
	// Cooldown is how long it stays open before a trial call.
	Cooldown time.Duration
}

// New returns a closed breaker with these settings.
func (c BreakerConfig) New() *Breaker {
	return NewBreaker(c.Window, c.Threshold, sim.FromDuration(c.Cooldown))
}

// NewBreaker returns a closed breaker. Window >= 1 calls, Threshold in
// (0, 1], Cooldown > 0.
func NewBreaker(window int, threshold float64, cooldown sim.Time) *Breaker {
	return &Breaker{threshold: threshold, cooldown: cooldown, outcomes: make([]bool, window)}
}

// Allow reports whether a call may go out at time now. Every call it
// allows must later be reported to Record.
func (b *Breaker) Allow(now sim.Time) bool {
	switch b.state {
	case Open:
		if now < b.openUntil {
			b.refused++
			return false
		}
		b.state = HalfOpen
		fallthrough
	case HalfOpen:
		if b.trialOut {
			b.refused++
			return false
		}
		b.trialOut = true
	}
	return true
}

// Record takes the outcome of a call that Allow let through.
func (b *Breaker) Record(now sim.Time, failed bool) {
	if b.state == HalfOpen {
		b.trialOut = false
		if failed {
			b.trip(now)
			return
		}
		b.state = Closed
		b.filled, b.failed, b.next = 0, 0, 0
		return
	}
	if b.state == Open {
		return // a call from before the breaker opened: it no longer counts
	}
	if b.filled == len(b.outcomes) && b.outcomes[b.next] {
		b.failed--
	}
	b.outcomes[b.next] = failed
	b.next = (b.next + 1) % len(b.outcomes)
	if b.filled < len(b.outcomes) {
		b.filled++
	}
	if failed {
		b.failed++
	}
	if b.filled == len(b.outcomes) && float64(b.failed) >= b.threshold*float64(b.filled) {
		b.trip(now)
	}
}

func (b *Breaker) trip(now sim.Time) {
	b.state = Open
	b.openUntil = now + b.cooldown
	b.opened++
}

// State is the breaker's state as of its last Allow or Record.
func (b *Breaker) State() BreakerState { return b.state }

// Opened is how many times the breaker opened.
func (b *Breaker) Opened() int64 { return b.opened }

// Refused is how many calls the breaker refused.
func (b *Breaker) Refused() int64 { return b.refused }
