package balance_test

import (
	"context"
	"errors"
	"math"
	"runtime"
	"strings"
	"testing"
	"time"

	"dsim/sim"
	"dsim/sim/dist"
	"dsim/sim/scenario/balance"
)

func presetConfig(t *testing.T, name string) balance.Config {
	t.Helper()
	cfg, err := balance.PresetConfig(name)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func mustRun(t *testing.T, cfg balance.Config) *balance.Result {
	t.Helper()
	res, err := balance.Run(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// Every knob with a bad value, and every rule across fields: the error
// names the field and the value, with the balance: prefix.
func TestValidationNamesTheField(t *testing.T) {
	for _, tc := range []struct {
		set  func(c *balance.Config)
		want string
	}{
		{func(c *balance.Config) { c.Servers = -1 }, "Servers=-1: must be between 1 and 500 servers"},
		{func(c *balance.Config) { c.Servers = 501 }, "Servers=501"},
		{func(c *balance.Config) { c.Slots = 65 }, "Slots=65: must be between 1 and 64 calls"},
		{func(c *balance.Config) { c.Service = dist.MustParse("exp(2m)") }, "Service=exp(120s)"},
		{func(c *balance.Config) { c.Service = dist.MustParse("exp(5)") }, "Service=exp(5)"},
		{func(c *balance.Config) { c.Load = 1 }, "Load=1: must be between 0.01 and 0.99"},
		{func(c *balance.Config) { c.Load = math.NaN() }, "Load=NaN"},
		{func(c *balance.Config) { c.Load = -0.5 }, "Load=-0.5"},
		{func(c *balance.Config) { c.Policy = "fastest" }, "Policy=fastest: want one of random, round-robin"},
		{func(c *balance.Config) { c.Choices = 11 }, "Choices=11"},
		{func(c *balance.Config) { c.LoadAge = time.Microsecond }, "LoadAge=1µs: must be between 1ms and 1h (or 0: live)"},
		{func(c *balance.Config) { c.LoadBound = 0.5 }, "LoadBound=0.5"},
		{func(c *balance.Config) { c.Keys = 2_000_000 }, "Keys=2000000"},
		{func(c *balance.Config) { c.KeySkew = math.Inf(1) }, "KeySkew=+Inf"},
		{func(c *balance.Config) { c.SlowFactor = 0.5 }, "SlowFactor=0.5"},
		{func(c *balance.Config) { c.SlowFactor, c.SlowServers = 10, 9 }, "SlowServers=9: is more than Servers=8"},
		{func(c *balance.Config) { c.SlowFactor, c.Slow.Start = 10, time.Hour }, "Slow.Start=1h0m0s: must lie inside the run (Duration=10m0s)"},
		{func(c *balance.Config) { c.Slow.Duration = -time.Second }, "Slow.Duration=-1s"},
		{func(c *balance.Config) { c.LeaveAt = time.Hour }, "LeaveAt=1h0m0s: must lie inside the run"},
		{func(c *balance.Config) { c.LeaveAt, c.Servers = time.Minute, 1 }, "LeaveAt=1m0s: needs at least 2 servers"},
		{func(c *balance.Config) { c.Duration = time.Millisecond }, "Duration=1ms: must be between 1s and 24h"},
		{func(c *balance.Config) { c.Duration = math.MaxInt64 }, "Duration=2562047h47m16.854775807s"},
		{func(c *balance.Config) { c.Servers, c.Duration = 500, 24*time.Hour }, "Duration=24h0m0s: brings about 3.02e+08 requests at 3500 a second; at most 10000000"},
		{func(c *balance.Config) { c.Window = 2 * time.Hour }, "Window=2h0m0s: must be between 1ms and 1h"},
		{func(c *balance.Config) { c.Window = 30 * time.Minute }, "Window=30m0s: is longer than Duration=10m0s"},
		{func(c *balance.Config) { c.Window = time.Millisecond }, "Window=1ms: gives more than 2000 windows"},
	} {
		c := balance.Default()
		tc.set(&c)
		err := c.Validate()
		if err == nil || !strings.HasPrefix(err.Error(), "balance: ") || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("want %q, got %v", tc.want, err)
		}
		if _, rerr := balance.Run(c); rerr == nil || (err != nil && rerr.Error() != err.Error()) {
			t.Errorf("Run did not refuse what Validate refused: %v", rerr)
		}
	}
}

// Defaults and presets validate; a zero Config is the defaults.
func TestDefaultsAndPresets(t *testing.T) {
	if err := (balance.Config{}).Validate(); err != nil {
		t.Fatal(err)
	}
	zero, def := mustRun(t, balance.Config{Seed: 1}), mustRun(t, balance.Default())
	if zero.Summary().Text() != def.Summary().Text() {
		t.Errorf("a zero Config is not the defaults:\n%s\n%s", zero.Summary().Text(), def.Summary().Text())
	}
	for _, p := range balance.Presets() {
		if err := p.Config.Validate(); err != nil {
			t.Errorf("preset %s: %v", p.Name, err)
		}
	}
	if _, err := balance.PresetConfig("nope"); err == nil || !strings.Contains(err.Error(), "gray-failure") {
		t.Errorf("an unknown preset: %v", err)
	}
}

// The same seed gives the same run, on one core or two; another seed
// another run.
func TestDeterminism(t *testing.T) {
	for _, name := range []string{"stale-two-choices", "hash-leave", "sticky"} {
		cfg := presetConfig(t, name)
		text := func() string {
			r := mustRun(t, cfg)
			return r.Summary().Text() + r.Table.Text() + r.Latency.Quantile(0.999).String()
		}
		first := text()
		for _, procs := range []int{1, 2} {
			old := runtime.GOMAXPROCS(procs)
			again := text()
			runtime.GOMAXPROCS(old)
			if again != first {
				t.Fatalf("%s at GOMAXPROCS=%d:\n%s\nfirst:\n%s", name, procs, again, first)
			}
		}
		cfg.Seed++
		if text() == first {
			t.Errorf("%s: seeds %d and %d ran alike", name, cfg.Seed-1, cfg.Seed)
		}
	}
}

// A cancelled context stops a run with the engine's interrupt.
func TestInterrupt(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := balance.RunContext(ctx, presetConfig(t, "supermarket"))
	if !errors.Is(err, sim.ErrInterrupted) {
		t.Fatalf("got %v", err)
	}
}
