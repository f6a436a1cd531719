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
	"dsim/sim/scenario/internal/scenariotest"
)

// Every knob with a bad value, and every rule across fields: the error
// names the field and the value, with the clocks: prefix.
func TestValidationNamesTheField(t *testing.T) {
	scenariotest.Refused(t, "clocks: ", clocks.Default, clocks.Config.Validate, clocks.Run, []scenariotest.Bad[clocks.Config]{
		{Set: func(c *clocks.Config) { c.Processes = 1 }, Want: "Processes=1: must be between 2 and 16 processes"},
		{Set: func(c *clocks.Config) { c.Processes = 17 }, Want: "Processes=17"},
		{Set: func(c *clocks.Config) { c.Processes = -1 }, Want: "Processes=-1"},
		{Set: func(c *clocks.Config) { c.WriteRate = -1 }, Want: "WriteRate=-1: must be between 0.001 and 1000 writes/s"},
		{Set: func(c *clocks.Config) { c.WriteRate = math.NaN() }, Want: "WriteRate=NaN"},
		{Set: func(c *clocks.Config) { c.WriteRate = math.Inf(1) }, Want: "WriteRate=+Inf"},
		{Set: func(c *clocks.Config) { c.MessageRate = 1e-9 }, Want: "MessageRate=1e-09"},
		{Set: func(c *clocks.Config) { c.MessageRate = 1e6 }, Want: "MessageRate=1e+06"},
		{Set: func(c *clocks.Config) { c.Latency = dist.MustParse("const(2m)") }, Want: "Latency=const(120s): its mean must be between 0s and 1m"},
		{Set: func(c *clocks.Config) { c.Latency = dist.MustParse("exp(5)") }, Want: "Latency=exp(5): give a distribution of durations"},
		{Set: func(c *clocks.Config) { c.Loss = 1 }, Want: "Loss=1: must be between 0 and 0.99 (a share)"},
		{Set: func(c *clocks.Config) { c.Loss = -0.5 }, Want: "Loss=-0.5"},
		{Set: func(c *clocks.Config) { c.Duration = time.Millisecond }, Want: "Duration=1ms: must be between 100ms and 24h"},
		{Set: func(c *clocks.Config) { c.Duration = math.MaxInt64 }, Want: "Duration=2562047h47m16.854775807s"},
		{Set: func(c *clocks.Config) { c.Skew = -time.Second }, Want: "Skew=-1s"},
		{Set: func(c *clocks.Config) { c.Skew = 2 * time.Hour }, Want: "Skew=2h: must be between 1ns and 1h (or 0: clocks start together)"},
		{Set: func(c *clocks.Config) { c.DriftPPM = 200_000 }, Want: "DriftPPM=200000: must be between 0.001 and 100000 ppm (or 0: no drift)"},
		{Set: func(c *clocks.Config) { c.DriftPPM = math.NaN() }, Want: "DriftPPM=NaN"},
		{Set: func(c *clocks.Config) { c.SyncPeriod = time.Nanosecond }, Want: "SyncPeriod=1ns: must be between 1ms and 1h (or 0: never)"},
		{Set: func(c *clocks.Config) { c.SyncPeriod = -time.Second }, Want: "SyncPeriod=-1s"},
		{Set: func(c *clocks.Config) { c.SyncLatency = dist.MustParse("exp(2m)") }, Want: "SyncLatency=exp(120s)"},
		{Set: func(c *clocks.Config) { c.Stamps = "sundial" }, Want: "Stamps=sundial: want one of physical, lamport"},
		{Set: func(c *clocks.Config) { c.Clients = 17 }, Want: "Clients=17: must be between 1 and 16 clients (or 0: none)"},
		{Set: func(c *clocks.Config) { c.Clients = -2 }, Want: "Clients=-2"},
		{Set: func(c *clocks.Config) { c.ClientRate = -1 }, Want: "ClientRate=-1"},
		{Set: func(c *clocks.Config) { c.ReadShare = 1 }, Want: "ReadShare=1: must be between 0.01 and 0.99 (a share)"},
		{Set: func(c *clocks.Config) { c.Timeout = time.Microsecond }, Want: "Timeout=1µs: must be between 1ms and 1h"},
		{Set: func(c *clocks.Config) { c.MaxEvents = 5001 }, Want: "MaxEvents=5001: must be between 10 and 5000 events"},
		{Set: func(c *clocks.Config) { c.MaxEvents = -1 }, Want: "MaxEvents=-1"},
		{Set: func(c *clocks.Config) { c.Window = time.Nanosecond }, Want: "Window=1ns: must be between 1ms and 1h"},
		{Set: func(c *clocks.Config) { c.Window = time.Minute }, Want: "Window=1m0s: is longer than Duration=10s"},
		{Set: func(c *clocks.Config) { c.Window, c.Duration = time.Millisecond, time.Hour }, Want: "Window=1ms: gives 3600000 samples of each clock over Duration=1h0m0s; at most 10000"},
		{Set: func(c *clocks.Config) { c.SyncPeriod, c.Duration, c.Window = time.Millisecond, time.Hour, time.Second },
			Want: "SyncPeriod=1ms: plans 10800000 synchronisations over Duration=1h0m0s with 3 processes; at most 100000"},
	})
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
