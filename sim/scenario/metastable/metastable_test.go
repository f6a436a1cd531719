package metastable

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"dsim/sim"
	"dsim/sim/dist"
	"dsim/sim/internal/simtest"
	"dsim/sim/resilience"
	"dsim/sim/scenario/internal/scenariotest"
)

func mustRun(t *testing.T, c Config) *Result {
	t.Helper()
	r, err := Run(c)
	if err != nil {
		t.Fatal(err)
	}
	writeFigures(t, r)
	return r
}

// writeFigures saves a run's figures as PNG when DSIM_PNG_DIR is set, for
// a person to look at.
func writeFigures(t *testing.T, r *Result) {
	dir := os.Getenv("DSIM_PNG_DIR")
	if dir == "" {
		return
	}
	for _, f := range r.Figures() {
		if err := f.Save(filepath.Join(dir, testName(t)+"-"+f.Name+".png")); err != nil {
			t.Fatal(err)
		}
	}
}

func testName(t *testing.T) string { return strings.ReplaceAll(t.Name(), "/", "-") }

func preset(t *testing.T, name string) Config {
	t.Helper()
	c, err := PresetConfig(name)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// The acceptance test: with a fixed seed, the storm stays degraded long
// after its spike, and its twin with full-jitter backoff and a retry budget
// recovers.
func TestStormIsMetastableAndTwinRecovers(t *testing.T) {
	storm := mustRun(t, preset(t, "storm"))
	if v := storm.Verdict(); v.Outcome != Metastable {
		t.Fatalf("storm: %v, want Metastable", v)
	}
	twin := mustRun(t, preset(t, "recovery"))
	v := twin.Verdict()
	if v.Outcome != Recovered || v.RecoveryTime > 10*time.Second {
		t.Fatalf("twin: %v, want Recovered within 10s", v)
	}
	// The twin differs from the storm only in its client's protections.
	s := storm.Config
	s.Backoff, s.RetryBudget = twin.Config.Backoff, twin.Config.RetryBudget
	if !reflect.DeepEqual(s, twin.Config) {
		t.Fatalf("the twin differs from the storm beyond backoff and budget")
	}
	if storm.Amplification() < 3 || twin.Amplification() > 1.2 {
		t.Errorf("amplification: storm %.2f (want >= 3), twin %.2f (want <= 1.2)", storm.Amplification(), twin.Amplification())
	}
}

// Hysteresis: the same 15 requests/s is served fine for ten minutes when
// the run starts healthy, and is not served at all for the eight minutes
// after a 10s spike. The system has two stable states at one load.
func TestBistability(t *testing.T) {
	c := preset(t, "storm")
	c.Duration = 10 * time.Minute
	c.Pattern = Constant
	calm := mustRun(t, c)
	if v := calm.Verdict(); v.Outcome != Stable {
		t.Fatalf("started healthy: %v, want Stable", v)
	}
	c.Pattern = Spike
	pushed := mustRun(t, c)
	if v := pushed.Verdict(); v.Outcome != Metastable {
		t.Fatalf("after the spike: %v, want Metastable", v)
	}
	// Judge the last five minutes directly: the load is the same, the
	// outcome opposite.
	last := func(r *Result) float64 {
		var off, ok int64
		for i := 300; i < 580; i++ {
			off += r.offeredBy[i]
			ok += r.succeededBy[i]
		}
		return float64(ok) / float64(off)
	}
	if a, b := last(calm), last(pushed); a < 0.99 || b > 0.05 {
		t.Fatalf("answered in the last five minutes: %.1f%% started healthy, %.1f%% after the spike; want >= 99%% and <= 5%%", 100*a, 100*b)
	}
	if math.Abs(calm.Rates.Offered.Series().Between(300*sim.Second, 580*sim.Second)-pushed.Rates.Offered.Series().Between(300*sim.Second, 580*sim.Second)) > 1 {
		t.Fatalf("offered load differs between the two runs")
	}
}

// Invariants that hold on every run, whatever the knobs.
func TestInvariants(t *testing.T) {
	var cases []Config
	for _, p := range Presets() {
		cases = append(cases, p.Config)
	}
	base := preset(t, "storm")
	for _, f := range []func(*Config){
		func(c *Config) { c.Discipline = LIFO },
		func(c *Config) { c.Cancellation = true },
		func(c *Config) { c.DeadlineAdmission = true },
		func(c *Config) { c.CircuitBreaker = true },
		func(c *Config) { c.MaxQueue = 10; c.Service = dist.MustParse("lognorm(500ms, 0.5)") },
		func(c *Config) { c.Pattern = Ramp; c.SpikeRate = 80 },
		func(c *Config) {
			c.Pattern = Stepped
			c.Schedule = []Step{{At: 10 * time.Second, Rate: 40}, {At: 25 * time.Second, Rate: 5}, {At: 40 * time.Second, Rate: 15}}
		},
		func(c *Config) {
			c.Backoff = resilience.Backoff{Kind: resilience.DecorrelatedJitter, Base: 50 * time.Millisecond, Cap: time.Second}
		},
		func(c *Config) { c.Slowdown = 3; c.Pattern = Constant },
		func(c *Config) {
			c.Clients = 40
			c.ThinkTime = 100 * time.Millisecond
			c.Pattern = Constant
			c.Slowdown = 5
		},
	} {
		c := base
		f(&c)
		cases = append(cases, c)
	}
	for i, c := range cases {
		r := mustRun(t, c)
		check := func(what string, got, want int64) {
			if got != want {
				t.Errorf("case %d: %s: %d, want %d", i, what, got, want)
			}
		}
		if r.Succeeded > r.Requests {
			t.Errorf("case %d: goodput %d exceeds offered load %d", i, r.Succeeded, r.Requests)
		}
		check("server throughput = goodput + wasted", r.Served, r.Succeeded+r.Wasted)
		check("attempts = first + retries", r.Attempts, r.FirstAttempts+r.Retries)
		check("requests = succeeded + failed + unfinished", r.Requests, r.Succeeded+r.Failed+r.Unfinished)
		check("attempts = served + rejected + dropped + held", r.Attempts, r.Served+r.Rejected+r.Dropped+r.HeldAtEnd)
		check("goodput rate total", r.Rates.Goodput.Total(), r.Succeeded)
		check("throughput rate total", r.Rates.Throughput.Total(), r.Served)
		check("attempt rate total", r.Rates.Attempts.Total(), r.Attempts)
		check("offered rate total", r.Rates.Offered.Total(), r.Requests)
		check("latency count", r.Latency.Count(), r.Succeeded)
		// Goodput never runs ahead of offered load, window by window.
		var off, good float64
		os, gs := r.Rates.Offered.Series(), r.Rates.Goodput.Series()
		for k := 0; k < os.Len(); k++ {
			off += os.V[k]
			good += gs.V[k]
			if good > off+1e-9 {
				t.Errorf("case %d: cumulative goodput %.0f exceeds cumulative offered %.0f at %v", i, good, off, os.T[k])
				break
			}
		}
		if c.RetryBudget > 0 && float64(r.Retries) > r.Config.RetryBudget*float64(r.FirstAttempts)+r.Config.BudgetBurst {
			t.Errorf("case %d: %d retries exceed the budget %.2f × %d + %g", i, r.Retries, c.RetryBudget, r.FirstAttempts, r.Config.BudgetBurst)
		}
	}
}

// Little's law pins the server to theory: with no contention and no
// timeouts, requests in service average λ × service time (M/D/∞, since
// the slots are never all busy).
func TestLittlesLaw(t *testing.T) {
	c := Default()
	c.Duration = time.Hour
	c.Slope = 0
	c.Timeout = 10 * time.Second
	r := mustRun(t, c)
	lambda := float64(r.Served) / c.Duration.Seconds()
	want := lambda * c.Service.Mean()
	if got := r.InFlight.Mean(); math.Abs(got-want)/want > 0.01 {
		t.Fatalf("mean in service %.4f, λ×S = %.4f", got, want)
	}
	if want := time.Duration(c.Service.Mean() * 1e9); r.Latency.Mean().Duration() != want || r.Timeouts != 0 {
		t.Fatalf("latency %v with %d timeouts, want exactly %v and none", r.Latency.Mean(), r.Timeouts, want)
	}
}

// Each protection does what it says.
func TestProtections(t *testing.T) {
	storm := mustRun(t, preset(t, "storm"))

	c := preset(t, "storm")
	c.Cancellation = true
	cancel := mustRun(t, c)
	t.Logf("cancellation: %v; dropped %d, wasted %d, peak queue %.0f (storm: wasted %d, peak queue %.0f)", cancel.Verdict(), cancel.Dropped, cancel.Wasted, cancel.Queue.Max(), storm.Wasted, storm.Queue.Max())
	if cancel.Dropped == 0 || cancel.Queue.Max() >= storm.Queue.Max() {
		t.Errorf("cancellation: dropped %d, peak queue %.0f (storm %.0f)", cancel.Dropped, cancel.Queue.Max(), storm.Queue.Max())
	}

	ff := mustRun(t, preset(t, "fail-fast"))
	if ff.Verdict().Outcome != Recovered || ff.Rejected == 0 || ff.Queue.Max() > 50 {
		t.Errorf("fail-fast: %v, rejected %d, peak queue %.0f", ff.Verdict(), ff.Rejected, ff.Queue.Max())
	}

	c = preset(t, "storm")
	c.CircuitBreaker = true
	br := mustRun(t, c)
	if br.BreakerOpened == 0 || br.ShortCircuited == 0 || br.Verdict().Outcome == Metastable {
		t.Errorf("breaker: opened %d, failed fast %d, %v", br.BreakerOpened, br.ShortCircuited, br.Verdict())
	}

	cl := mustRun(t, preset(t, "closed-loop"))
	if v := cl.Verdict(); v.Outcome == Metastable {
		t.Errorf("closed-loop clients stormed: %v", v)
	}
	if drop := mustRun(t, preset(t, "capacity-drop")); drop.Verdict().Outcome != Metastable {
		t.Errorf("capacity drop under open-loop load: %v, want Metastable", drop.Verdict())
	}
}

// The tipping point is sharp, and the lesson says where it is: with the
// storm's clients and a 1.5 s timeout, no run of ten tips at a slope of
// 9 ms or less (service at capacity 0.95 s), and every one does from
// 13 ms (1.15 s). In between, chance decides.
func TestTipping(t *testing.T) {
	var slopes []time.Duration
	for ms := 4; ms <= 14; ms++ {
		slopes = append(slopes, time.Duration(ms)*time.Millisecond)
	}
	tab, fig, err := Tipping(preset(t, "tipping"), slopes, 10)
	if err != nil {
		t.Fatal(err)
	}
	for i, row := range tab.Rows {
		ms, verdicts := i+4, row[2].(string)
		if ms <= 9 && verdicts != "Stable 10" || ms >= 13 && verdicts != "Metastable 10" {
			t.Errorf("slope %d ms: %s\n%s", ms, verdicts, tab)
		}
	}
	if fig == nil || fig.Name != "metastable-tipping" {
		t.Fatalf("figure %v", fig)
	}
	if _, _, err := Tipping(preset(t, "tipping"), slopes, 1); err == nil || !strings.Contains(err.Error(), "seeds=1") {
		t.Errorf("one seed: %v", err)
	}
}

func TestDeterminism(t *testing.T) {
	c := preset(t, "recovery")
	c.Service = dist.MustParse("lognorm(500ms, 0.3)")
	var a *Result
	simtest.SameAcrossProcs(t, func() string {
		a = mustRun(t, c)
		return fmt.Sprintf("%s\nevents: %d", a.Summary(), a.Events)
	})
	c.Seed++
	if mustRun(t, c).Summary().String() == a.Summary().String() {
		t.Fatal("a different seed gave the same run")
	}
}

func TestInterrupt(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	c := preset(t, "storm")
	c.Duration = 100 * time.Hour
	_, err := RunContext(ctx, c)
	if !errors.Is(err, sim.ErrInterrupted) {
		t.Fatalf("got %v, want ErrInterrupted", err)
	}
}

func TestValidation(t *testing.T) {
	scenariotest.Refused(t, "metastable: ", Default, Config.Validate, Run, []scenariotest.Bad[Config]{
		{Set: func(c *Config) { c.Duration = -time.Second }, Want: "Duration=-1s"},
		{Set: func(c *Config) { c.Window = 2 * time.Minute }, Want: "Window=2m"},
		{Set: func(c *Config) { c.Window = time.Nanosecond; c.Duration = time.Hour }, Want: "Window=1ns"},
		{Set: func(c *Config) { c.Pattern = "sine" }, Want: `Pattern=sine`},
		{Set: func(c *Config) { c.BaseRate = -1 }, Want: "BaseRate=-1"},
		{Set: func(c *Config) { c.BaseRate = math.NaN() }, Want: "BaseRate=NaN"},
		{Set: func(c *Config) { c.SpikeRate = 1e9 }, Want: "SpikeRate=1e+09"},
		{Set: func(c *Config) { c.Pattern = Spike; c.Trigger.Start = 2 * time.Minute }, Want: "Trigger.Start=2m"},
		{Set: func(c *Config) { c.Trigger.Duration = -time.Second }, Want: "Trigger.Duration=-1s"},
		{Set: func(c *Config) { c.Trigger.Duration = 2562047 * time.Hour }, Want: "Trigger.Duration=2562047h"},
		{Set: func(c *Config) { c.Pattern = Stepped }, Want: "Schedule=none"},
		{Set: func(c *Config) {
			c.Pattern = Stepped
			c.Schedule = []Step{{At: 5 * time.Second, Rate: 1}, {At: time.Second, Rate: 2}}
		}, Want: "Schedule[1].At=1s"},
		{Set: func(c *Config) { c.Pattern = Stepped; c.Schedule = []Step{{At: 0, Rate: -2}} }, Want: "Schedule[0].Rate=-2"},
		{Set: func(c *Config) { c.Clients = -1 }, Want: "Clients=-1"},
		{Set: func(c *Config) { c.Clients = 5; c.Pattern = Spike }, Want: "Pattern=spike"},
		{Set: func(c *Config) { c.ThinkTime = -time.Second }, Want: "ThinkTime=-1s"},
		{Set: func(c *Config) { c.Capacity = -3 }, Want: "Capacity=-3"},
		{Set: func(c *Config) { c.Service = dist.MustParse("const(2h)") }, Want: "Service=const(7200s)"},
		{Set: func(c *Config) { c.Slope = -time.Millisecond }, Want: "Slope=-1ms"},
		{Set: func(c *Config) { c.Service = dist.MustParse("exp(5)") }, Want: "Service=exp(5)"},
		{Set: func(c *Config) { c.Timeout = 700000 * time.Hour }, Want: "Timeout=700000h"},
		{Set: func(c *Config) { c.MaxQueue = -1 }, Want: "MaxQueue=-1"},
		{Set: func(c *Config) { c.Discipline = "random" }, Want: `Discipline=random`},
		{Set: func(c *Config) { c.CapacityDrop = 1.5 }, Want: "CapacityDrop=1.5"},
		{Set: func(c *Config) { c.Slowdown = 0.5 }, Want: "Slowdown=0.5"},
		{Set: func(c *Config) { c.Timeout = -time.Second }, Want: "Timeout=-1s"},
		{Set: func(c *Config) { c.MaxRetries = 50 }, Want: "MaxRetries=50"},
		{Set: func(c *Config) { c.Backoff.Kind = "linear" }, Want: "Backoff.Kind=linear"},
		{Set: func(c *Config) { c.Backoff.Jitter = 3 }, Want: "Backoff.Jitter=3"},
		{Set: func(c *Config) { c.RetryBudget = -0.1 }, Want: "RetryBudget=-0.1"},
		{Set: func(c *Config) { c.BudgetBurst = 0.5 }, Want: "BudgetBurst=0.5"},
		{Set: func(c *Config) { c.Breaker.Threshold = 2 }, Want: "Breaker.Threshold=2"},
		{Set: func(c *Config) { c.Breaker.Window = -1 }, Want: "Breaker.Window=-1"},
		{Set: func(c *Config) { c.Breaker.Cooldown = -time.Second }, Want: "Breaker.Cooldown=-1s"},
		{Set: func(c *Config) { c.HealthyShare = 1.5 }, Want: "HealthyShare=1.5"},
		{Set: func(c *Config) { c.SettleTime = -time.Second }, Want: "SettleTime=-1s"},
	})
	if _, err := Run(Config{}); err != nil {
		t.Errorf("the zero Config should run on defaults: %v", err)
	}
	if _, err := PresetConfig("nope"); err == nil || !strings.Contains(err.Error(), "storm") {
		t.Errorf("unknown preset: %v", err)
	}
}

// A run whose requests cannot settle before the end is not judged.
func TestVerdictInconclusive(t *testing.T) {
	c := preset(t, "storm")
	c.Duration = 35 * time.Second
	if v := mustRun(t, c).Verdict(); v.Outcome != Inconclusive {
		t.Fatalf("%v, want Inconclusive", v)
	}
	c = Default()
	c.BaseRate = 80 // more than 50 slots at ≥ 0.5s can serve
	if v := mustRun(t, c).Verdict(); v.Outcome != Overloaded {
		t.Fatalf("%v, want Overloaded", v)
	}
}

// A server already degraded before the trigger is not metastable: the
// trigger did not put it there.
func TestVerdictOverloadedBeforeTrigger(t *testing.T) {
	c := preset(t, "storm")
	c.Timeout = 400 * time.Millisecond // shorter than the 500ms service time
	v := mustRun(t, c).Verdict()
	if v.Outcome != Overloaded || !strings.Contains(v.Reason, "already degraded before the trigger began at 20s") {
		t.Fatalf("%v, want Overloaded before the trigger", v)
	}
}

// A client learns of a timeout when it falls due, also while retries go
// out at once from the timeouts that just fell due: a request's attempts
// are then exactly Timeout apart, so no request is answered later than
// (MaxRetries+1) × Timeout after its first attempt. When a retry sent from
// the expiry loop set the timer to its own deadline, the timeouts queued
// before it fired up to a Timeout late, in batches, and answers came
// after 4.7 s of a 4 s patience.
func TestTimeoutsFireWhenDue(t *testing.T) {
	for seed := uint64(1); seed <= 5; seed++ {
		c := preset(t, "storm")
		c.Seed = seed
		c.RetryBudget = 2 // some requests are answered on a late attempt
		r := mustRun(t, c)
		patience := time.Duration(c.MaxRetries+1) * c.Timeout
		if late := r.Latency.Quantile(1).Duration(); late > patience {
			t.Errorf("seed %d: a request was answered %v after its first attempt; its client gives up after %v", seed, late, patience)
		}
	}
}
