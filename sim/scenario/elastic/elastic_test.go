package elastic

import (
	"testing"
	"time"

	"dsim/sim"
	"dsim/sim/scenario/internal/scenariotest"
)

func presetRun(t *testing.T, name string, edit ...func(*Config)) *Result {
	t.Helper()
	c, err := PresetConfig(name)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range edit {
		e(&c)
	}
	r, err := Run(c)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// Every preset tells its story, on several seeds.
func TestPresetOutcomes(t *testing.T) {
	t.Parallel()
	want := map[string]Outcome{
		"ramp": Absorbed, "spike": Lagged, "spike-fixed": Absorbed, "diurnal": Absorbed,
		"oscillation": Oscillating, "oscillation-calm": Absorbed, "cold-starts": Lagged,
		"throttled": Throttled, "reserved-starves": Starved,
	}
	for _, p := range Presets() {
		w, ok := want[p.Name]
		if !ok {
			continue
		}
		for _, seed := range []uint64{1, 2, 3} {
			r := presetRun(t, p.Name, func(c *Config) { c.Seed = seed })
			if v := r.Verdict(); v.Outcome != w {
				t.Errorf("%s, seed %d: %v, want %v", p.Name, seed, v, w)
			}
		}
	}
}

// A spike shorter than the warm-up is over before the instances launched
// for it serve: its p99 rises tenfold; a group that never shrinks below
// the peak's needs absorbs it, for the price of the peak all run.
func TestSpikeFasterThanWarmup(t *testing.T) {
	r := presetRun(t, "spike")
	c := r.Config
	p99 := r.Latency.Percentile(0.99)
	before := p99.Between(0, sim.FromDuration(c.Surge.Start))
	_, worst, at := r.SlowWindows()
	served := r.Group.Serving.Series()
	most := 0.0
	for i, tm := range served.T {
		if tm < sim.FromDuration(c.Surge.End()) {
			most = max(most, served.V[i])
		}
	}
	t.Logf("p99 %.2fs before, worst %v at %v; serving at most %.0f before the spike's end", before, worst, at, most)
	if worst.Seconds() < 10*before || most > float64(c.Min) || r.Group.Launches == 0 {
		t.Errorf("spike: p99 %.2fs before, worst %v; serving %.0f before its end, %d launched", before, worst, most, r.Group.Launches)
	}
	fixed := presetRun(t, "spike-fixed")
	if fixed.Verdict().Outcome != Absorbed || fixed.Dollars() <= r.Dollars() {
		t.Errorf("a group sized for the peak: %v, $%.3f against $%.3f", fixed.Verdict(), fixed.Dollars(), r.Dollars())
	}
}

// A short cooldown makes a steady load oscillate, at a price; a long one
// settles (the component's own test explains the cycle).
func TestOscillationCosts(t *testing.T) {
	flap, calm := presetRun(t, "oscillation"), presetRun(t, "oscillation-calm")
	t.Logf("short cooldown: %d reversals, $%.3f; long: %d reversals, $%.3f", flap.Group.Reversals, flap.Dollars(), calm.Group.Reversals, calm.Dollars())
	if flap.Group.Reversals < oscillating || calm.Group.Reversals != 0 || flap.Dollars() < 1.5*calm.Dollars() {
		t.Errorf("short cooldown: %d reversals, $%.3f; long: %d, $%.3f", flap.Group.Reversals, flap.Dollars(), calm.Group.Reversals, calm.Dollars())
	}
}

// The platform throttles only when the calls asked at once exceed its
// burst plus its growth so far: never above the ceiling, never once the
// ceiling is far above what the spike asks.
func TestThrottlingAtTheCeiling(t *testing.T) {
	r := presetRun(t, "throttled")
	c, f := r.Config, r.Fn
	if !f.PlatformThrottled || f.FirstThrottle < c.Surge.Start {
		t.Fatalf("first throttle at %v (throttled %v), the spike starts at %v", f.FirstThrottle, f.PlatformThrottled, c.Surge.Start)
	}
	ceiling, busy, thr := r.CeilingSeries(), f.Concurrency.MaxSeries(), f.Throttles.Series()
	last := time.Duration(0)
	for i, tm := range busy.T {
		if busy.V[i] > ceiling.V[i] {
			t.Errorf("window at %v: %v calls at once above the ceiling %v", tm, busy.V[i], ceiling.V[i])
		}
		if thr.V[i] > 0 {
			last = tm.Duration()
		}
	}
	// 100 req/s of exp(200ms) ask about 20 at once, 40 at the most: the
	// ceiling passes 40 six minutes after the first throttle.
	if last > f.FirstThrottle+7*time.Minute {
		t.Errorf("throttled until %v, the first throttle at %v", last, f.FirstThrottle)
	}
	t.Logf("throttled %d from %v to %v", r.Failed, f.FirstThrottle, last)
}

// Reserved concurrency is set aside: the neighbour never runs more than
// the burst less the reserve, though the reserve idles.
func TestReservedStarvesNeighbour(t *testing.T) {
	r := presetRun(t, "reserved-starves")
	c := r.Config
	if most := r.Neighbour.Concurrency.Max(); most != float64(c.Burst-c.Reserved) || r.Neighbour.Throttled == 0 {
		t.Errorf("the neighbour ran %v at once (want %d), %d throttled", most, c.Burst-c.Reserved, r.Neighbour.Throttled)
	}
	free := presetRun(t, "reserved-starves", func(c *Config) { c.Reserved = 0 })
	if share := float64(free.Neighbour.Throttled) / float64(free.Neighbour.Calls); share > 1e-3 {
		t.Errorf("no reserve: the neighbour was throttled %d times of %d", free.Neighbour.Throttled, free.Neighbour.Calls)
	}
}

// A short keep-alive makes a quiet function's calls start cold.
func TestColdStartsAndKeepAlive(t *testing.T) {
	short, kept := presetRun(t, "cold-starts"), presetRun(t, "cold-starts-kept")
	t.Logf("kept 10s: %v cold, p99 %v; kept 10m: %v cold, p99 %v", short.Fn.ColdShare(), short.P99(), kept.Fn.ColdShare(), kept.P99())
	if short.Fn.ColdShare() < 10*kept.Fn.ColdShare() || short.P99() <= kept.P99() {
		t.Errorf("kept 10s: %v cold, p99 %v; kept 10m: %v cold, p99 %v", short.Fn.ColdShare(), short.P99(), kept.Fn.ColdShare(), kept.P99())
	}
}

// Autoscaling a day costs less than a group sized for its noon.
func TestDiurnalCheaperThanFixed(t *testing.T) {
	r := presetRun(t, "diurnal")
	if r.Dollars() >= r.FixedDollars() || r.InstanceHours <= float64(r.Config.Min)*r.Config.Duration.Hours() {
		t.Errorf("$%.3f against $%.3f fixed; %.2f instance-hours", r.Dollars(), r.FixedDollars(), r.InstanceHours)
	}
}

func TestDeterministic(t *testing.T) {
	for _, name := range []string{"oscillation", "throttled"} {
		a, b := presetRun(t, name), presetRun(t, name)
		if a.Summary().Text() != b.Summary().Text() || a.Table.Text() != b.Table.Text() {
			t.Errorf("%s: two runs of one seed differ", name)
		}
	}
}

func TestValidation(t *testing.T) {
	scenariotest.Refused(t, "elastic: ", Default, Config.Validate, Run, []scenariotest.Bad[Config]{
		{Set: func(c *Config) { c.ScaleInAt = 0.8 }, Want: "elastic: ScaleInAt=0.8: must be below ScaleOutAt=0.7"},
		{Set: func(c *Config) { c.Min, c.Max = 5, 4 }, Want: "elastic: Max=4: must be at least Min=5"},
		{Set: func(c *Config) { c.Initial = 30 }, Want: "elastic: Initial=30"},
		{Set: func(c *Config) { c.Deploy = "vm" }, Want: "elastic: Deploy=vm"},
		{Set: func(c *Config) { c.Growth, c.Reserved = 0, 1000 }, Want: "elastic: Reserved=1000: must be below the platform's limit 1000"},
		{Set: func(c *Config) { c.Surge.Start = 2 * time.Hour }, Want: "elastic: Surge.Start=2h: must lie inside the run"},
		{Set: func(c *Config) { c.Rate, c.Peak, c.Duration = 1000, 1000, 48*time.Hour }, Want: "elastic: Duration=48h: brings up to"},
		{Set: func(c *Config) { c.Users, c.Think = 100_000, nil }, Want: "elastic: Users=100000: may send up to"},
		{Set: func(c *Config) { c.Window = time.Second }, Want: "elastic: Window=1s: gives more than 2000 windows"},
	})
}

// Every figure has a title, labelled axes and something to draw.
func TestFigures(t *testing.T) {
	for _, name := range []string{"spike", "throttled", "reserved-starves"} {
		for _, f := range presetRun(t, name).Figures() {
			if f.Plot.Title.Text == "" || f.Plot.Y.Label.Text == "" || f.Plot.X.Label.Text == "" || len(f.Lines()) == 0 {
				t.Errorf("%s: figure %q: title %q, axes %q and %q, %d lines", name, f.Name, f.Plot.Title.Text, f.Plot.X.Label.Text, f.Plot.Y.Label.Text, len(f.Lines()))
			}
			if _, err := f.PNG(); err != nil {
				t.Errorf("%s: %s: %v", name, f.Name, err)
			}
		}
	}
}
