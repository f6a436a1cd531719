package cache_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"dsim/sim/internal/simtest"
	"dsim/sim/scenario/cache"
	"dsim/sim/scenario/internal/scenariotest"
)

// Every rule across fields names the field, its value and the limit.
func TestValidate(t *testing.T) {
	scenariotest.Refused(t, "cache: ", cache.Default, cache.Config.Validate, cache.Run, []scenariotest.Bad[cache.Config]{
		{Set: func(c *cache.Config) { c.Rate = -1 }, Want: "cache: Rate=-1"},
		{Set: func(c *cache.Config) { c.Capacity = 200_000 }, Want: "Capacity=200000: is more than Keys=100000"},
		{Set: func(c *cache.Config) { c.FlushAt = 2 * time.Minute }, Want: "FlushAt=2m: must lie inside the run"},
		{Set: func(c *cache.Config) { c.Window = 2 * time.Minute }, Want: "Window=2m: is longer than Duration=1m"},
		{Set: func(c *cache.Config) { c.Backoff.Cap = time.Millisecond }, Want: "Backoff.Cap=1ms: is shorter than Backoff.Base=50ms"},
		{Set: func(c *cache.Config) { c.Rate, c.Duration = 1e6, 10*time.Hour }, Want: "Rate=1e+06: sends 3.6e+10 requests"},
		{Set: func(c *cache.Config) { c.Eviction = "random" }, Want: "Eviction"},
		{Set: func(c *cache.Config) { c.WritePolicy = "write-never" }, Want: "WritePolicy"},
		{Set: func(c *cache.Config) { c.Keys = 2_000_000 }, Want: "Keys=2000000"},
	})
	if err := cache.Default().Validate(); err != nil {
		t.Fatal(err)
	}
	for _, p := range cache.Presets() {
		if err := p.Config.Validate(); err != nil {
			t.Errorf("%s: %v", p.Name, err)
		}
	}
	if _, err := cache.PresetConfig("nope"); err == nil || !strings.Contains(err.Error(), "flush-storm") {
		t.Errorf("unknown preset: %v", err)
	}
}

// One seed, one result, on any number of cores.
func TestDeterminism(t *testing.T) {
	simtest.SameAcrossProcs(t, func() string {
		cfg, err := cache.PresetConfig("flush-budget")
		if err != nil {
			t.Fatal(err)
		}
		cfg.Duration = 70 * time.Second
		res, err := cache.Run(cfg)
		if err != nil {
			t.Fatal(err)
		}
		return res.Summary().Text()
	})
}

// A cancelled context stops the run with its error.
func TestCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := cache.RunContext(ctx, cache.Default()); err == nil {
		t.Fatal("a cancelled run returned no error")
	}
}

// The descriptor runs a preset and reports its verdict and figures.
func TestScenario(t *testing.T) {
	s := cache.Scenario()
	scenariotest.Descriptor(t, s, "cache", len(cache.Presets()))
	cfg := scenariotest.Preset[cache.Config](t, s, "hot-key-coalesce")
	scenariotest.Report(t, s, cfg, "Stable", 4)
}
