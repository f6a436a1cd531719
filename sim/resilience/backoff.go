package resilience

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"dsim/sim"
)

// BackoffKind names a backoff policy.
type BackoffKind string

// The backoff policies.
const (
	NoBackoff          BackoffKind = "none"                // retry at once
	Exponential        BackoffKind = "exponential"         // base·2^(k-1), scaled by U(1-Jitter, 1+Jitter)
	FullJitter         BackoffKind = "full-jitter"         // U(0, base·2^(k-1))
	DecorrelatedJitter BackoffKind = "decorrelated-jitter" // U(base, 3·previous delay)
)

// BackoffKinds lists the policies.
func BackoffKinds() []BackoffKind {
	return []BackoffKind{NoBackoff, Exponential, FullJitter, DecorrelatedJitter}
}

// ParseBackoff turns a policy name into a BackoffKind; "" is NoBackoff.
func ParseBackoff(s string) (BackoffKind, error) {
	if s == "" {
		return NoBackoff, nil
	}
	for _, k := range BackoffKinds() {
		if string(k) == s {
			return k, nil
		}
	}
	return "", fmt.Errorf("resilience: unknown backoff %q (want one of %v)", s, BackoffKinds())
}

// Backoff is a retry delay policy. Every delay is at most Cap.
type Backoff struct {
	Kind BackoffKind
	Base time.Duration // the first retry's delay (the scale of the others)
	Cap  time.Duration // the longest delay; zero means no cap
	// Jitter scales Exponential delays by a factor drawn uniformly from
	// [1-Jitter, 1+Jitter]; 0 is no jitter, at most 1. The seed simulator's
	// backoff is Exponential with Base 100ms and Jitter 0.5.
	Jitter float64
}

// Validate names the first bad field.
func (b Backoff) Validate() error {
	if _, err := ParseBackoff(string(b.Kind)); err != nil {
		return err
	}
	switch {
	case b.Base < 0:
		return fmt.Errorf("resilience: backoff Base=%v is negative", b.Base)
	case b.Kind != NoBackoff && b.Base == 0:
		return fmt.Errorf("resilience: backoff Base=0 with Kind=%s: give it a delay or use %q", b.Kind, NoBackoff)
	case b.Cap < 0:
		return fmt.Errorf("resilience: backoff Cap=%v is negative", b.Cap)
	case b.Cap > 0 && b.Cap < b.Base:
		return fmt.Errorf("resilience: backoff Cap=%v is shorter than Base=%v", b.Cap, b.Base)
	case !(b.Jitter >= 0 && b.Jitter <= 1):
		return fmt.Errorf("resilience: backoff Jitter=%v is outside [0, 1]", b.Jitter)
	}
	return nil
}

// Delay is the wait before retry number k (1 for the first retry), given
// the previous delay (used by DecorrelatedJitter; pass 0 before the first).
// It draws from r only for the jittered kinds. Cost: O(1).
func (b Backoff) Delay(k int, prev sim.Time, r *rand.Rand) sim.Time {
	base := b.Base.Seconds()
	var d float64
	switch b.Kind {
	case NoBackoff, "":
		return 0
	case Exponential:
		d = base * math.Pow(2, float64(max(k, 1)-1))
		if b.Jitter > 0 {
			d *= 1 - b.Jitter + 2*b.Jitter*r.Float64()
		}
	case FullJitter:
		d = r.Float64() * b.capped(base*math.Pow(2, float64(max(k, 1)-1)))
	case DecorrelatedJitter:
		hi := 3 * max(prev.Seconds(), base)
		d = base + r.Float64()*(hi-base)
	}
	return sim.Seconds(b.capped(d))
}

// Longest is the longest delay retry number k can draw: a bound for how
// long a request with k retries may wait in all. Cost: O(1).
func (b Backoff) Longest(k int) sim.Time {
	base, n := b.Base.Seconds(), float64(max(k, 1))
	var d float64
	switch b.Kind {
	case Exponential:
		d = base * math.Pow(2, n-1) * (1 + b.Jitter)
	case FullJitter:
		d = base * math.Pow(2, n-1)
	case DecorrelatedJitter:
		d = base * math.Pow(3, n) // each draw is at most three times the last
	}
	return sim.Seconds(b.capped(d))
}

func (b Backoff) capped(d float64) float64 {
	if b.Cap > 0 {
		return math.Min(d, b.Cap.Seconds())
	}
	return d
}

func (b Backoff) String() string {
	if b.Kind == NoBackoff || b.Kind == "" {
		return string(NoBackoff)
	}
	s := fmt.Sprintf("%s(base %v", b.Kind, b.Base)
	if b.Kind == Exponential && b.Jitter > 0 {
		s += fmt.Sprintf(", ±%.0f%%", 100*b.Jitter)
	}
	if b.Cap > 0 {
		s += fmt.Sprintf(", cap %v", b.Cap)
	}
	return s + ")"
}
