package quorum

import (
	"context"
	"errors"
	"testing"
	"time"

	"dsim/sim"
)

// busy is a run whose check takes the checker its whole time bound: a
// thousand clients at once on five keys.
func busy() Config {
	cfg := Default()
	cfg.Clients, cfg.Rate, cfg.Duration, cfg.MaxOps = 1000, 1000, time.Hour, 100_000
	cfg.CheckTimeout = time.Minute
	return cfg
}

// The checker (porcupine) takes a timeout and no context; an interrupt
// during the check was dropped and the run printed its full result.
func TestInterruptDuringCheckEndsIt(t *testing.T) {
	cfg := busy()
	cfg.SkipCheck = true
	r, err := Run(cfg)
	if err != nil {
		t.Fatal(err)
	}
	// Cancelled before it starts, and 50ms into a check that takes its
	// memory bound some 300ms to reach on this history.
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	for _, ctx := range []func() (context.Context, context.CancelFunc){
		func() (context.Context, context.CancelFunc) { return cancelled, cancel },
		func() (context.Context, context.CancelFunc) {
			return context.WithTimeout(context.Background(), 50*time.Millisecond)
		},
	} {
		ctx, stop := ctx()
		start := time.Now()
		res, info, err := check(ctx, r.Ops, time.Minute, false)
		stop()
		if !errors.Is(err, sim.ErrInterrupted) || ctx.Err() == nil || res != "" || info != nil {
			t.Fatalf("got %q, %v, want an interrupted check", res, err)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Fatalf("the check took %v to stop", d)
		}
	}
}

// unpolled is cancelled but gives the engine no Done channel to poll:
// what the run sees of an interrupt that comes after its last poll.
type unpolled struct{ context.Context }

func (unpolled) Done() <-chan struct{} { return nil }

// Whenever the interrupt comes, the run gives an error and no result.
// During the check is TestInterruptDuringCheckEndsIt's: a timer here
// could land before the check or after it, as the machine goes.
func TestInterruptAtEveryPoint(t *testing.T) {
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	for _, tc := range []struct {
		name string
		ctx  func() (context.Context, context.CancelFunc)
	}{
		{"before the run", func() (context.Context, context.CancelFunc) { return cancelled, func() {} }},
		{"during the run", func() (context.Context, context.CancelFunc) {
			return context.WithTimeout(context.Background(), 50*time.Millisecond)
		}},
		{"after the run", func() (context.Context, context.CancelFunc) { return unpolled{cancelled}, func() {} }},
	} {
		cfg := busy()
		cfg.SkipCheck = true
		ctx, cancel := tc.ctx()
		start := time.Now()
		r, err := RunContext(ctx, cfg)
		cancel()
		if r != nil || !errors.Is(err, sim.ErrInterrupted) {
			t.Errorf("%s: got %v, %v, want an interrupted run and no result", tc.name, r != nil, err)
		}
		if d := time.Since(start); d > 15*time.Second {
			t.Errorf("%s: took %v to stop", tc.name, d)
		}
	}
}
