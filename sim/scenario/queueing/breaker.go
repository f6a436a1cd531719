package queueing

import "dsim/sim"

// breaker is a count-based circuit breaker (Nygard, Release It!, ch. 5):
// closed, it lets calls through and remembers the outcomes of the last n;
// when the failed share reaches the threshold it opens and fails calls at
// once for the cooldown; then it is half-open and lets one trial call
// through, whose outcome closes or reopens it.
type breaker struct {
	threshold float64
	cooldown  sim.Time
	outcomes  []bool // ring of the last calls: true = failed
	next      int
	filled    int
	failed    int
	openUntil sim.Time
	state     breakerState
	trialOut  bool // a half-open trial call is in flight
	opened    int64
}

type breakerState uint8

const (
	closed breakerState = iota
	open
	halfOpen
)

func newBreaker(window int, threshold float64, cooldown sim.Time) *breaker {
	return &breaker{threshold: threshold, cooldown: cooldown, outcomes: make([]bool, window)}
}

// allow reports whether a call may go out at time now.
func (b *breaker) allow(now sim.Time) bool {
	switch b.state {
	case open:
		if now < b.openUntil {
			return false
		}
		b.state = halfOpen
		fallthrough
	case halfOpen:
		if b.trialOut {
			return false
		}
		b.trialOut = true
	}
	return true
}

// record takes the outcome of a call that allow let through.
func (b *breaker) record(now sim.Time, failed bool) {
	if b.state == halfOpen {
		b.trialOut = false
		if failed {
			b.trip(now)
			return
		}
		b.state = closed
		b.filled, b.failed, b.next = 0, 0, 0
		return
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

func (b *breaker) trip(now sim.Time) {
	b.state = open
	b.openUntil = now + b.cooldown
	b.opened++
}
