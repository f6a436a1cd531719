package quorum_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"dsim/sim"
	"dsim/sim/net"
	"dsim/sim/scenario/quorum"
)

// A 1ns Window made every operation close millions of metric windows
// inside one event, where Ctrl-C cannot reach; a 1ns HandoffInterval made
// billions of handoff rounds. Both are refused before the run, at once.
func TestTinyIntervalsAreRefusedAtOnce(t *testing.T) {
	for _, tc := range []struct {
		set  func(c *quorum.Config)
		want string
	}{
		{func(c *quorum.Config) { c.Window = time.Nanosecond }, "quorum: Window=1ns: must be between 1ms and 1h"},
		{func(c *quorum.Config) { c.Window, c.Duration = time.Millisecond, 24*time.Hour }, "gives more than 100000 windows"},
		{func(c *quorum.Config) { c.HandoffInterval = time.Nanosecond }, "quorum: HandoffInterval=1ns: must be between 1ms and 1h"},
		{func(c *quorum.Config) { c.HandoffInterval, c.Duration = time.Millisecond, 24*time.Hour }, "gives more than 1000000 handoff rounds"},
	} {
		cfg := quorum.Default()
		tc.set(&cfg)
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		start := time.Now()
		_, err := quorum.RunContext(ctx, cfg)
		cancel()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("got %v, want %q", err, tc.want)
		}
		if d := time.Since(start); d > time.Second {
			t.Errorf("%q took %v to refuse", tc.want, d)
		}
	}
}

// Windows near the largest durations once overflowed (a partition's end
// wrapped around) or surfaced as "event scheduled in the past"; a huge
// Timeout made a negative horizon. Every field at the end of its range now
// runs to the end.
func TestLargestRangesRun(t *testing.T) {
	cfg := quorum.Default()
	cfg.Seed = 1
	cfg.Duration, cfg.Timeout, cfg.ClockSkew = 24*time.Hour, time.Hour, time.Hour
	cfg.Rate = 0.002 // a few hundred operations over the day
	cfg.HandoffInterval = 100 * time.Millisecond
	cfg.Partition = sim.Window{Start: 24*time.Hour - time.Millisecond, Duration: 24 * time.Hour}
	cfg.Faults = []net.Fault{{Kind: net.FaultCrash, Window: sim.Window{Start: 24 * time.Hour, Duration: 24 * time.Hour}, Nodes: []string{"r1"}}}
	res, err := quorum.Run(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if res.End != sim.FromDuration(24*time.Hour) || res.Reads+res.Writes == 0 {
		t.Fatalf("ended at %v after %d operations", res.End, res.Reads+res.Writes)
	}
}

// The history is bounded: clients stop at MaxOps and the summary says so.
func TestHistoryStopsAtMaxOps(t *testing.T) {
	cfg := quorum.Default()
	cfg.MaxOps = 100
	res, err := quorum.Run(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Truncated || res.Reads+res.Writes > 100 || !strings.Contains(res.Summary().Text(), "clients stopped at MaxOps=100 operations") {
		t.Fatalf("truncated %v after %d operations:\n%s", res.Truncated, res.Reads+res.Writes, res.Summary())
	}
}

// A cancelled context stops a run.
func TestRunStopsOnCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	cfg := quorum.Default()
	cfg.Clients, cfg.Rate, cfg.Duration = 1000, 1000, time.Hour
	_, err := quorum.RunContext(ctx, cfg)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want a cancelled run", err)
	}
}

// A thousand clients at 1e5 ops/s over a day, each knob in its range,
// kept 2 million operations (3.3 GB) and the checker 6 GB more. The
// operations a run makes are bounded before it starts.
func TestRunOpsAreBounded(t *testing.T) {
	cfg := quorum.Default()
	cfg.Clients, cfg.Rate, cfg.Duration, cfg.MaxOps = 1000, 1e5, 24*time.Hour, 2_000_000
	err := cfg.Validate()
	want := "quorum: MaxOps=2000000 with Clients=1000 × Rate=100000/s × Duration=24h0m0s: about 2e+06 operations, at most 300000 (memory)"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("got %v, want %q", err, want)
	}
	cfg.MaxOps = 2_000_000
	cfg.Clients, cfg.Rate, cfg.Duration = 5, 5, 30*time.Second // 750 operations: MaxOps is only a cap
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
}
