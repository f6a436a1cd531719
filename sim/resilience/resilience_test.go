package resilience

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"dsim/sim"
)

func TestBackoffBounds(t *testing.T) {
	r := sim.Stream(1, "test")
	base, cp := 100*time.Millisecond, time.Second
	for _, kind := range BackoffKinds() {
		b := Backoff{Kind: kind, Base: base, Cap: cp, Jitter: 0.5}
		if kind == NoBackoff {
			b.Base = 0
		}
		if err := b.Validate(); err != nil {
			t.Fatalf("%s: %v", kind, err)
		}
		prev := sim.Time(0)
		for k := 1; k <= 8; k++ {
			for i := 0; i < 200; i++ {
				d := b.Delay(k, prev, r)
				exp := base * time.Duration(1<<(k-1))
				var lo, hi time.Duration
				switch kind {
				case NoBackoff:
					lo, hi = 0, 0
				case Exponential:
					lo, hi = min(cp, exp/2), min(cp, exp*3/2)
				case FullJitter:
					lo, hi = 0, min(cp, exp)
				case DecorrelatedJitter:
					lo, hi = base, min(cp, 3*max(base, prev.Duration()))
				}
				if d > b.Longest(k) && kind != DecorrelatedJitter {
					t.Fatalf("%s retry %d: delay %v over Longest %v", kind, k, d, b.Longest(k))
				}
				if d.Duration() < lo || d.Duration() > hi {
					t.Fatalf("%s retry %d: delay %v outside [%v, %v]", kind, k, d, lo, hi)
				}
				prev = d
			}
		}
	}
}

// Full jitter's mean is half the capped exponential delay: the point of
// Brooker's comparison is that it spreads retries over the whole interval.
func TestFullJitterMean(t *testing.T) {
	r := sim.Stream(2, "test")
	b := Backoff{Kind: FullJitter, Base: 100 * time.Millisecond}
	sum := 0.0
	const n = 100_000
	for i := 0; i < n; i++ {
		sum += b.Delay(3, 0, r).Seconds()
	}
	if got := sum / n; got < 0.198 || got > 0.202 {
		t.Fatalf("mean full-jitter delay of retry 3 = %.4fs, want 0.2s", got)
	}
}

func TestBackoffValidate(t *testing.T) {
	for _, tc := range []struct {
		b    Backoff
		want string
	}{
		{Backoff{Kind: "linear", Base: time.Second}, `unknown backoff "linear"`},
		{Backoff{Kind: Exponential}, "Base=0"},
		{Backoff{Kind: Exponential, Base: -time.Second}, "Base=-1s"},
		{Backoff{Kind: FullJitter, Base: time.Second, Cap: time.Millisecond}, "Cap=1ms is shorter"},
		{Backoff{Kind: Exponential, Base: time.Second, Jitter: 2}, "Jitter=2"},
	} {
		err := tc.b.Validate()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: got %v, want an error with %q", tc.b, err, tc.want)
		}
	}
}

func TestBudgetLimitsRetriesToRatio(t *testing.T) {
	b := NewBudget(0.1, 10)
	retries := 0
	for i := 0; i < 10_000; i++ {
		b.Deposit()
		// Every request wants three retries: the storm case.
		for k := 0; k < 3; k++ {
			if b.Withdraw() {
				retries++
			}
		}
	}
	if retries > 1000+10 || retries < 1000 {
		t.Fatalf("retries = %d for 10000 first attempts at ratio 0.1, want 1000 (+ burst 10)", retries)
	}
	if b.Denied() != 30_000-int64(retries) {
		t.Fatalf("denied = %d, want %d", b.Denied(), 30_000-retries)
	}
}

func TestBreakerCycle(t *testing.T) {
	b := NewBreaker(4, 0.5, sim.Second)
	var log []string
	step := func(now sim.Time, failed bool) {
		if b.Allow(now) {
			b.Record(now, failed)
			log = append(log, fmt.Sprintf("%v:%s", now, b.State()))
		} else {
			log = append(log, fmt.Sprintf("%v:refused", now))
		}
	}
	step(0, true)
	step(1, false)
	step(2, false)
	step(3, true) // 2 of 4 failed: opens
	step(4, false)
	step(sim.Second+3, true) // trial fails: open again
	step(sim.Second+4, false)
	step(2*sim.Second+3, false) // trial succeeds: closed
	step(2*sim.Second+4, true)
	got := strings.Join(log, " ")
	want := "0s:closed 1ns:closed 2ns:closed 3ns:open 4ns:refused 1.000000003s:open 1.000000004s:refused 2.000000003s:closed 2.000000004s:closed"
	if got != want {
		t.Fatalf("breaker log\n got %s\nwant %s", got, want)
	}
	if b.Opened() != 2 || b.Refused() != 2 {
		t.Fatalf("opened %d refused %d, want 2 and 2", b.Opened(), b.Refused())
	}
}
