package balance_test

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"dsim/sim"
	"dsim/sim/dist"
	"dsim/sim/internal/simtest"
	"dsim/sim/scenario/balance"
	"dsim/sim/scenario/internal/scenariotest"
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
	scenariotest.Refused(t, "balance: ", balance.Default, balance.Config.Validate, balance.Run, []scenariotest.Bad[balance.Config]{
		{Set: func(c *balance.Config) { c.Servers = -1 }, Want: "Servers=-1: must be between 1 and 500 servers"},
		{Set: func(c *balance.Config) { c.Servers = 501 }, Want: "Servers=501"},
		{Set: func(c *balance.Config) { c.Slots = 65 }, Want: "Slots=65: must be between 1 and 64 calls"},
		{Set: func(c *balance.Config) { c.Service = dist.MustParse("exp(2m)") }, Want: "Service=exp(120s)"},
		{Set: func(c *balance.Config) { c.Service = dist.MustParse("exp(5)") }, Want: "Service=exp(5)"},
		{Set: func(c *balance.Config) { c.Load = 1 }, Want: "Load=1: must be between 0.01 and 0.99"},
		{Set: func(c *balance.Config) { c.Load = math.NaN() }, Want: "Load=NaN"},
		{Set: func(c *balance.Config) { c.Load = -0.5 }, Want: "Load=-0.5"},
		{Set: func(c *balance.Config) { c.Policy = "fastest" }, Want: "Policy=fastest: want one of random, round-robin"},
		{Set: func(c *balance.Config) { c.Choices = 11 }, Want: "Choices=11"},
		{Set: func(c *balance.Config) { c.LoadAge = time.Microsecond }, Want: "LoadAge=1µs: must be between 1ms and 1h (or 0: live)"},
		{Set: func(c *balance.Config) { c.LoadBound = 0.5 }, Want: "LoadBound=0.5"},
		{Set: func(c *balance.Config) { c.Keys = 2_000_000 }, Want: "Keys=2000000"},
		{Set: func(c *balance.Config) { c.KeySkew = math.Inf(1) }, Want: "KeySkew=+Inf"},
		{Set: func(c *balance.Config) { c.SlowFactor = 0.5 }, Want: "SlowFactor=0.5"},
		{Set: func(c *balance.Config) { c.SlowFactor, c.SlowServers = 10, 9 }, Want: "SlowServers=9: is more than Servers=8"},
		{Set: func(c *balance.Config) { c.SlowFactor, c.Slow.Start = 10, time.Hour }, Want: "Slow.Start=1h: must lie inside the run (Duration=10m0s)"},
		{Set: func(c *balance.Config) { c.Slow.Duration = -time.Second }, Want: "Slow.Duration=-1s"},
		{Set: func(c *balance.Config) { c.LeaveAt = time.Hour }, Want: "LeaveAt=1h: must lie inside the run"},
		{Set: func(c *balance.Config) { c.LeaveAt, c.Servers = time.Minute, 1 }, Want: "LeaveAt=1m: needs at least 2 servers"},
		{Set: func(c *balance.Config) { c.Duration = time.Millisecond }, Want: "Duration=1ms: must be between 1s and 24h"},
		{Set: func(c *balance.Config) { c.Duration = math.MaxInt64 }, Want: "Duration=2562047h47m16.854775807s"},
		{Set: func(c *balance.Config) { c.Servers, c.Duration = 500, 24*time.Hour }, Want: "Duration=24h: brings about 3.02e+08 requests at 3500 a second; at most 10000000"},
		{Set: func(c *balance.Config) { c.Window = 2 * time.Hour }, Want: "Window=2h: must be between 1ms and 1h"},
		{Set: func(c *balance.Config) { c.Window = 30 * time.Minute }, Want: "Window=30m: is longer than Duration=10m"},
		{Set: func(c *balance.Config) { c.Window = time.Millisecond }, Want: "Window=1ms: gives more than 2000 windows"},
	})
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
		t.Run(name, func(t *testing.T) {
			cfg := presetConfig(t, name)
			simtest.Seeded(t, func(seed uint64) string {
				cfg.Seed = seed
				r := mustRun(t, cfg)
				return r.Summary().Text() + r.Table.Text() + r.Latency.Quantile(0.999).String()
			}, cfg.Seed)
		})
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
