package scaling_test

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"dsim/sim/internal/simtest"
	"dsim/sim/scenario"
	"dsim/sim/scenario/internal/scenariotest"
	"dsim/sim/scenario/scaling"
)

// Bad input gets an error naming the field, its value and the limit.
func TestValidate(t *testing.T) {
	scenariotest.Refused(t, "scaling: ", scaling.Default, scaling.Config.Validate, scaling.Run, []scenariotest.Bad[scaling.Config]{
		{Set: func(c *scaling.Config) { c.Users = 1 }, Want: "scaling: Users=1: must be between 2 and 2000"},
		{Set: func(c *scaling.Config) { c.Steps = 60 }, Want: "scaling: Steps=60"},
		{Set: func(c *scaling.Config) { c.Users, c.Steps = 5, 5 }, Want: "scaling: Steps=5: must be fewer than Users=5"},
		{Set: func(c *scaling.Config) { c.Experiment = "people" }, Want: "scaling: Experiment=people"},
		{Set: func(c *scaling.Config) { c.Experiment, c.Threads = scaling.Threads, 2 }, Want: "scaling: Threads=2"},
		{Set: func(c *scaling.Config) { c.Coherency = -time.Millisecond }, Want: "scaling: Coherency=-1ms"},
		{Set: func(c *scaling.Config) { c.Users, c.Duration = 2000, 24*time.Hour }, Want: "scaling: Duration=24h: brings about"},
	})
}

// The populations and parallelisms a run simulates.
func TestLevels(t *testing.T) {
	cfg := scaling.Default()
	if got, want := cfg.Levels(), []int{1, 10, 20, 30, 40, 50, 60}; !reflect.DeepEqual(got, want) {
		t.Errorf("users levels %v, want %v", got, want)
	}
	// Steps left zero adapts to a small population: every one of them.
	for users, want := range map[int][]int{2: {1, 2}, 5: {1, 2, 3, 4, 5}, 7: {1, 2, 3, 4, 5, 6, 7}, 61: {1, 11, 21, 31, 41, 51, 61}} {
		small := scaling.Default()
		small.Users = users
		if err := small.Validate(); err != nil {
			t.Errorf("Users=%d: %v", users, err)
		}
		if got := small.Levels(); !reflect.DeepEqual(got, want) {
			t.Errorf("Users=%d: levels %v, want %v", users, got, want)
		}
	}
	cfg.Experiment, cfg.Threads = scaling.Threads, 100
	if got, want := cfg.Levels(), []int{1, 2, 4, 8, 16, 32, 64, 100}; !reflect.DeepEqual(got, want) {
		t.Errorf("threads levels %v, want %v", got, want)
	}
}

// One seed, one run: runs of the same configuration agree exactly, on
// any number of cores.
func TestDeterminism(t *testing.T) {
	for _, name := range []string{"knee", "coherency"} {
		t.Run(name, func(t *testing.T) {
			cfg, err := scaling.PresetConfig(name)
			if err != nil {
				t.Fatal(err)
			}
			cfg.Duration = time.Minute
			simtest.SameAcrossProcs(t, func() string {
				res, err := scaling.Run(cfg)
				if err != nil {
					t.Fatal(err)
				}
				return res.Summary().String()
			})
		})
	}
}

// A cancelled context stops the run with its error.
func TestCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := scaling.RunContext(ctx, scaling.Default()); err == nil {
		t.Error("a cancelled run returned no error")
	}
}

// Every preset runs, reports and draws its figures.
func TestPresets(t *testing.T) {
	for _, p := range scaling.Presets() {
		res, err := scaling.Run(p.Config)
		if err != nil {
			t.Fatalf("%s: %v", p.Name, err)
		}
		if len(res.Figures()) != 2 || res.Report().Summary == nil {
			t.Errorf("%s: figures or summary missing", p.Name)
		}
	}
	if _, err := scaling.PresetConfig("nope"); err == nil || !strings.Contains(err.Error(), "knee") {
		t.Errorf("unknown preset: %v", err)
	}
}

// Runs laid side by side: a table with a column per run and one figure.
func TestCompare(t *testing.T) {
	var reports []*scenario.Report
	for _, name := range []string{"knee", "faster-disk", "lock"} {
		cfg, err := scaling.PresetConfig(name)
		if err != nil {
			t.Fatal(err)
		}
		cfg.Duration = time.Minute
		r, err := scaling.Scenario().Run(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		reports = append(reports, r)
	}
	tab, figs, err := scaling.Scenario().Compare([]string{"knee", "faster-disk", "lock"}, reports...)
	if err != nil {
		t.Fatal(err)
	}
	if s := tab.String(); !strings.Contains(s, "27.2 (disk)") || !strings.Contains(s, "35.3 (database)") || len(figs) != 1 {
		t.Errorf("side by side:\n%s\n%d figures", s, len(figs))
	}
}
