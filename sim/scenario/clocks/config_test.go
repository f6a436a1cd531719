package clocks_test

import (
	"context"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"dsim/sim"
	"dsim/sim/dist"
	"dsim/sim/scenario/clocks"
)

// Every knob with a bad value, and every rule across fields: the error
// names the field and the value, with the clocks: prefix.
func TestValidationNamesTheField(t *testing.T) {
	for _, tc := range []struct {
		set  func(c *clocks.Config)
		want string
	}{
		{func(c *clocks.Config) { c.Processes = 1 }, "Processes=1: must be between 2 and 16 processes"},
		{func(c *clocks.Config) { c.Processes = 17 }, "Processes=17"},
		{func(c *clocks.Config) { c.Processes = -1 }, "Processes=-1"},
		{func(c *clocks.Config) { c.WriteRate = -1 }, "WriteRate=-1: must be between 0.001 and 1000 writes/s"},
		{func(c *clocks.Config) { c.WriteRate = math.NaN() }, "WriteRate=NaN"},
		{func(c *clocks.Config) { c.WriteRate = math.Inf(1) }, "WriteRate=+Inf"},
		{func(c *clocks.Config) { c.MessageRate = 1e-9 }, "MessageRate=1e-09"},
		{func(c *clocks.Config) { c.MessageRate = 1e6 }, "MessageRate=1e+06"},
		{func(c *clocks.Config) { c.Latency = dist.MustParse("const(2m)") }, "Latency=const(120s): its mean must be between 0s and 1m"},
		{func(c *clocks.Config) { c.Latency = dist.MustParse("exp(5)") }, "Latency=exp(5): give a distribution of durations"},
		{func(c *clocks.Config) { c.Loss = 1 }, "Loss=1: must be between 0 and 0.99 (a share)"},
		{func(c *clocks.Config) { c.Loss = -0.5 }, "Loss=-0.5"},
		{func(c *clocks.Config) { c.Duration = time.Millisecond }, "Duration=1ms: must be between 100ms and 24h"},
		{func(c *clocks.Config) { c.Duration = math.MaxInt64 }, "Duration=2562047h47m16.854775807s"},
		{func(c *clocks.Config) { c.Skew = -time.Second }, "Skew=-1s"},
		{func(c *clocks.Config) { c.Skew = 2 * time.Hour }, "Skew=2h0m0s: must be between 1ns and 1h (or 0: clocks start together)"},
		{func(c *clocks.Config) { c.DriftPPM = 200_000 }, "DriftPPM=200000: must be between 0.001 and 100000 ppm (or 0: no drift)"},
		{func(c *clocks.Config) { c.DriftPPM = math.NaN() }, "DriftPPM=NaN"},
		{func(c *clocks.Config) { c.SyncPeriod = time.Nanosecond }, "SyncPeriod=1ns: must be between 1ms and 1h (or 0: never)"},
		{func(c *clocks.Config) { c.SyncPeriod = -time.Second }, "SyncPeriod=-1s"},
		{func(c *clocks.Config) { c.SyncLatency = dist.MustParse("exp(2m)") }, "SyncLatency=exp(120s)"},
		{func(c *clocks.Config) { c.Stamps = "sundial" }, "Stamps=sundial: want one of physical, lamport"},
		{func(c *clocks.Config) { c.Clients = 17 }, "Clients=17: must be between 1 and 16 clients (or 0: none)"},
		{func(c *clocks.Config) { c.Clients = -2 }, "Clients=-2"},
		{func(c *clocks.Config) { c.ClientRate = -1 }, "ClientRate=-1"},
		{func(c *clocks.Config) { c.ReadShare = 1 }, "ReadShare=1: must be between 0.01 and 0.99 (a share)"},
		{func(c *clocks.Config) { c.Timeout = time.Microsecond }, "Timeout=1µs: must be between 1ms and 1h"},
		{func(c *clocks.Config) { c.MaxEvents = 5001 }, "MaxEvents=5001: must be between 10 and 5000 events"},
		{func(c *clocks.Config) { c.MaxEvents = -1 }, "MaxEvents=-1"},
		{func(c *clocks.Config) { c.Window = time.Nanosecond }, "Window=1ns: must be between 1ms and 1h"},
		{func(c *clocks.Config) { c.Window = time.Minute }, "Window=1m0s: is longer than Duration=10s"},
		{func(c *clocks.Config) { c.Window, c.Duration = time.Millisecond, time.Hour }, "Window=1ms: gives 3600000 samples of each clock over Duration=1h0m0s; at most 10000"},
		{func(c *clocks.Config) { c.SyncPeriod, c.Duration, c.Window = time.Millisecond, time.Hour, time.Second },
			"SyncPeriod=1ms: plans 10800000 synchronisations over Duration=1h0m0s with 3 processes; at most 100000"},
	} {
		c := clocks.Default()
		tc.set(&c)
		err := c.Validate()
		if err == nil || !strings.HasPrefix(err.Error(), "clocks: ") || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("want %q, got %v", tc.want, err)
		}
		if _, rerr := clocks.Run(c); rerr == nil || (err != nil && rerr.Error() != err.Error()) {
			t.Errorf("Run did not refuse what Validate refused: %v", rerr)
		}
	}
}

// Defaults and presets validate; a zero Config is the defaults with
// exact clocks (zero skew and drift mean none).
func TestDefaultsAndPresets(t *testing.T) {
	if err := (clocks.Config{}).Validate(); err != nil {
		t.Fatal(err)
	}
	zero, err := clocks.Run(clocks.Config{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	def := clocks.Default()
	def.Skew, def.DriftPPM = 0, 0
	if want := mustRun(t, def); zero.Summary().Text() != want.Summary().Text() {
		t.Fatalf("a zero Config differs from Default with exact clocks:\n%s\n%s", zero.Summary(), want.Summary())
	}
	for _, p := range clocks.Presets() {
		if err := p.Config.Validate(); err != nil {
			t.Errorf("%s: %v", p.Name, err)
		}
	}
	if _, err := clocks.PresetConfig("lww"); err == nil || !strings.Contains(err.Error(), `unknown preset "lww" (want one of drift, synced, lww-skew`) {
		t.Fatalf("unknown preset: %v", err)
	}
}

// Zero where it means the default cannot be set explicitly: a command
// line would mistake one for the other.
func TestSetRefusesAZeroThatMeansTheDefault(t *testing.T) {
	s := clocks.Scenario()
	c := clocks.Default()
	if err := s.Knobs.Set(&c, "processes", "0"); err == nil || !strings.Contains(err.Error(), "clocks: Processes=0") {
		t.Fatalf("Processes=0: %v", err)
	}
	if err := s.Knobs.Set(&c, "sync", "0"); err != nil || c.SyncPeriod != 0 {
		t.Fatalf("SyncPeriod=0 means never: %v %v", err, c.SyncPeriod)
	}
	if err := s.Knobs.Set(&c, "drift", "5000"); err != nil || c.DriftPPM != 5000 {
		t.Fatalf("drift: %v", err)
	}
}

// The same seed gives the same run, event for event; another seed does not.
func TestDeterministic(t *testing.T) {
	c := presetConfig(t, "session-tokens")
	c.Skew, c.DriftPPM, c.SyncPeriod, c.Loss = 50*time.Millisecond, 300, 500*time.Millisecond, 0.05
	a, b := mustRun(t, c), mustRun(t, c)
	if !reflect.DeepEqual(a.Events, b.Events) || !reflect.DeepEqual(a.Syncs, b.Syncs) || a.Summary().Text() != b.Summary().Text() {
		t.Fatal("two runs of one seed differ")
	}
	c.Seed++
	if reflect.DeepEqual(mustRun(t, c).Events, a.Events) {
		t.Fatal("another seed gave the same events")
	}
}

// Turning synchronisation on leaves the application's delays as they were:
// it travels on a network with streams of its own.
func TestSyncLeavesTheWorkloadAlone(t *testing.T) {
	c := presetConfig(t, "drift")
	plain := mustRun(t, c)
	c.SyncPeriod = 300 * time.Millisecond
	synced := mustRun(t, c)
	if len(plain.Trace) != len(synced.Trace) {
		t.Fatalf("%d messages without sync, %d with", len(plain.Trace), len(synced.Trace))
	}
	for i := range plain.Trace {
		p, s := plain.Trace[i], synced.Trace[i]
		if p.Sent != s.Sent || p.At != s.At || p.To != s.To {
			t.Fatalf("message %d: %+v without sync, %+v with", i, p, s)
		}
	}
}

// MaxEvents stops the run there, and the order is still computed.
func TestMaxEventsStopsTheRun(t *testing.T) {
	c := clocks.Default()
	c.WriteRate, c.MessageRate, c.MaxEvents, c.Duration = 1000, 1000, 100, 24*time.Hour
	c.Window = 10 * time.Second
	start := time.Now()
	res := mustRun(t, c)
	if !res.Truncated || len(res.Events) != 100 || res.End > sim.Second {
		t.Fatalf("truncated %v, %d events, ended at %v", res.Truncated, len(res.Events), res.End)
	}
	if chk := res.CheckClocks(); chk.VectorWrong != 0 || chk.Pairs != 100*99/2 {
		t.Fatalf("%v", chk)
	}
	if !strings.Contains(res.Verdict().Reason, "stopped at 100 events (MaxEvents)") {
		t.Fatalf("verdict: %v", res.Verdict())
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("took %v", d)
	}
}

// The largest run the limits allow stays small and quick.
func TestLargestRun(t *testing.T) {
	c := clocks.Default()
	c.Processes, c.Clients, c.MaxEvents = 16, 16, 5000
	c.WriteRate, c.MessageRate, c.ClientRate, c.Tokens = 1000, 1000, 1000, true
	c.SyncPeriod, c.Duration = 10*time.Millisecond, time.Minute
	c.Window = 6 * time.Millisecond
	start := time.Now()
	res := mustRun(t, c)
	if len(res.Events) != 5000 || !res.Truncated {
		t.Fatalf("%d events", len(res.Events))
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("took %v", d)
	}
}

// A cancelled context stops a run.
func TestCancelStopsARun(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	c := clocks.Default()
	c.Duration, c.SyncPeriod, c.Window = 24*time.Hour, 10*time.Second, 10*time.Second
	_, err := clocks.RunContext(ctx, c)
	if !errors.Is(err, sim.ErrInterrupted) {
		t.Fatalf("got %v", err)
	}
}
