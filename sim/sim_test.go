package sim

import (
	"context"
	"dsim/sim/internal/simtest"
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestEqualTimesRunInSchedulingOrder(t *testing.T) {
	s := New(Config{Seed: 1})
	var got []int
	for i := 0; i < 50; i++ {
		i := i
		s.At(Time(10-i%3), func() { got = append(got, i) })
	}
	if err := s.Run(nil); err != nil {
		t.Fatal(err)
	}
	last := map[Time]int{}
	for _, i := range got {
		at := Time(10 - i%3)
		if p, ok := last[at]; ok && p > i {
			t.Fatalf("at t=%d event %d ran after %d", at, i, p)
		}
		last[at] = i
	}
	if len(got) != 50 {
		t.Fatalf("ran %d events, want 50", len(got))
	}
}

func TestEventsRunInTimeOrderAndCancelled(t *testing.T) {
	s := New(Config{Seed: 7})
	r := s.Rand("t")
	var times []Time
	var timers []Timer
	for i := 0; i < 2000; i++ {
		at := Time(r.IntN(1000))
		timers = append(timers, s.At(at, func() { times = append(times, s.Now()) }))
	}
	cancelled := 0
	for i := 0; i < len(timers); i += 3 {
		if timers[i].Stop() {
			cancelled++
		}
		if timers[i].Stop() {
			t.Fatal("second Stop reported the event pending")
		}
	}
	if err := s.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(times) != 2000-cancelled {
		t.Fatalf("ran %d events, want %d", len(times), 2000-cancelled)
	}
	for i := 1; i < len(times); i++ {
		if times[i] < times[i-1] {
			t.Fatalf("time went back from %v to %v", times[i-1], times[i])
		}
	}
}

func TestStaleTimerCannotCancelReusedSlot(t *testing.T) {
	s := New(Config{})
	old := s.At(1, func() {})
	if err := s.Run(nil); err != nil {
		t.Fatal(err)
	}
	ran := false
	fresh := s.At(2, func() { ran = true }) // reuses the freed slot
	if old.Stop() || old.Pending() {
		t.Fatal("a fired timer still controls its old slot")
	}
	if !fresh.Pending() || fresh.When() != 2 {
		t.Fatalf("fresh timer pending=%v when=%v", fresh.Pending(), fresh.When())
	}
	s.Run(nil)
	if !ran {
		t.Fatal("event cancelled through a stale timer")
	}
}

func TestHorizonStopsAndLeavesLaterEventsPending(t *testing.T) {
	s := New(Config{Horizon: 5 * Second})
	n := 0
	var tick func()
	tick = func() { n++; s.After(Second, tick) }
	s.At(0, tick)
	if err := s.Run(nil); err != nil {
		t.Fatal(err)
	}
	if n != 6 || s.Now() != 5*Second || s.Pending() != 1 {
		t.Fatalf("n=%d now=%v pending=%d, want 6 ticks, t=5s, 1 pending", n, s.Now(), s.Pending())
	}
}

func TestHorizonAdvancesClockWhenQueueEmpties(t *testing.T) {
	s := New(Config{Horizon: 10 * Second})
	s.At(Second, func() {})
	s.Run(nil)
	if s.Now() != 10*Second {
		t.Fatalf("now=%v, want the horizon", s.Now())
	}
}

func TestLimitsReturnErrorsNamingThem(t *testing.T) {
	forever := func(s *Sim) {
		var f func()
		f = func() { s.After(1, f) }
		s.At(0, f)
	}
	s := New(Config{Seed: 42, MaxEvents: 1000})
	forever(s)
	err := s.Run(nil)
	if !errors.Is(err, ErrEventBudget) || !strings.Contains(err.Error(), "seed=42") || !strings.Contains(err.Error(), "MaxEvents") {
		t.Fatalf("err = %v", err)
	}

	s = New(Config{Seed: 3, MaxPending: 10})
	s.At(0, func() {
		for i := 0; i < 20; i++ {
			s.After(1, func() {})
		}
	})
	if err := s.Run(nil); !errors.Is(err, ErrPendingLimit) {
		t.Fatalf("err = %v", err)
	}

	s = New(Config{})
	s.At(5, func() { s.At(1, func() {}) })
	if err := s.Run(nil); !errors.Is(err, ErrPast) || !strings.Contains(err.Error(), "t=5ns") {
		t.Fatalf("err = %v", err)
	}

	if err := New(Config{Horizon: -1}).Run(nil); err == nil || !strings.Contains(err.Error(), "Horizon") {
		t.Fatalf("negative horizon: err = %v", err)
	}
}

func TestContextInterruptsLongRun(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	s := New(Config{Seed: 9})
	var f func()
	f = func() {
		if s.Events() == 100_000 {
			cancel()
		}
		s.After(Millisecond, f)
	}
	s.At(0, f)
	err := s.Run(ctx)
	if !errors.Is(err, ErrInterrupted) || !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	if s.Events() > 100_000+ctxPollMask+1 {
		t.Fatalf("ran %d events after the cancel", s.Events()-100_000)
	}
}

func TestPanicInCallbackBecomesError(t *testing.T) {
	s := New(Config{Seed: 11})
	s.At(Second, func() {
		var m map[string]int
		m["x"] = 1
	})
	err := s.Run(nil)
	var se *Error
	if !errors.As(err, &se) || se.At != Second || se.Stack == "" || !strings.Contains(err.Error(), "seed=11") {
		t.Fatalf("err = %v", err)
	}
}

func TestStopAndContinue(t *testing.T) {
	s := New(Config{})
	n := 0
	for i := 1; i <= 4; i++ {
		s.At(Time(i), func() {
			n++
			if n == 2 {
				s.Stop()
			}
		})
	}
	s.Run(nil)
	if n != 2 || s.Now() != 2 {
		t.Fatalf("after Stop: n=%d now=%v", n, s.Now())
	}
	s.Run(nil)
	if n != 4 {
		t.Fatalf("after continuing: n=%d", n)
	}
}

func TestStreamsAreIndependentAndReproducible(t *testing.T) {
	a := Stream(42, "client/1").Uint64()
	if Stream(42, "client/1").Uint64() != a {
		t.Fatal("same seed and name gave different numbers")
	}
	if Stream(42, "client/2").Uint64() == a || Stream(43, "client/1").Uint64() == a {
		t.Fatal("different seed or name gave the same first number")
	}
	// Drawing from another stream does not shift this one.
	s := New(Config{Seed: 42})
	s.Rand("noise").Uint64()
	if s.Rand("client/1").Uint64() != a {
		t.Fatal("a stream depends on the use of another")
	}
}

func TestMMCDeterministicAcrossGOMAXPROCS(t *testing.T) {
	simtest.SameAcrossProcs(t, func() string {
		m := newMMC(5, 4, 0.8, 1, 200_000)
		if err := m.s.Run(nil); err != nil {
			t.Fatal(err)
		}
		return fmt.Sprintf("%d events, waits summing to %v", m.s.Events(), m.waitSum)
	})
}

func TestTimeConversions(t *testing.T) {
	if Seconds(1.5) != 1500*Millisecond || (1500*Millisecond).Seconds() != 1.5 {
		t.Fatal("Seconds round trip")
	}
	if Seconds(1e300) != MaxTime || Seconds(-1e300) != -MaxTime {
		t.Fatal("Seconds does not saturate")
	}
	nan := 0.0
	if Seconds(nan/nan) != 0 {
		t.Fatal("Seconds(NaN) != 0")
	}
	if (90 * Second).String() != "1m30s" {
		t.Fatal((90 * Second).String())
	}
}

// A front end's host hears from the long runs started with its context,
// and once at the end; it counts them while they run. Runs without it
// report nothing, so two hosts in one process never meet.
func TestHost(t *testing.T) {
	var calls, done int
	var last Progress
	var h *Host
	var during int64
	h = &Host{Progress: func(p Progress) {
		calls++
		if p.Done {
			done++
		}
		if !p.Done && during == 0 {
			during = h.Running()
		}
		last = p
	}}
	s := New(Config{Seed: 1, Horizon: 200 * Second})
	var tick func()
	tick = func() { s.After(Millisecond, tick) }
	s.At(0, tick)
	if err := s.Run(WithHost(context.Background(), h)); err != nil {
		t.Fatal(err)
	}
	if calls < 3 || done != 1 || !last.Done || last.Now != 200*Second || last.Horizon != 200*Second {
		t.Fatalf("%d calls, %d done, last %+v", calls, done, last)
	}
	if during != 1 || h.Running() != 0 {
		t.Fatalf("running: %d during, %d after", during, h.Running())
	}
	if HostOf(context.Background()) != nil || HostOf(nil) != nil {
		t.Fatal("a context without a host has one")
	}
}
