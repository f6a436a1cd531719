package queueing

import (
	"math"
	"strings"
	"testing"
	"time"

	"dsim/sim/dist"
	"dsim/sim/internal/simtest"
)

// Erlang C values checked against published tables (Gross and Harris,
// table of C(c, a)) and the closed forms for c = 1 (C = ρ) and c = 2
// (C = 2ρ²/(1+ρ)).
func TestErlangCClosedForms(t *testing.T) {
	for _, rho := range []float64{0.1, 0.5, 0.8, 0.95} {
		m1, _ := NewMMC(rho, 1, 1)
		if math.Abs(m1.ErlangC()-rho) > 1e-12 {
			t.Errorf("M/M/1 ρ=%v: C=%v", rho, m1.ErlangC())
		}
		if got, want := m1.Wq().Seconds(), rho/(1-rho); math.Abs(got-want) > 1e-6 {
			t.Errorf("M/M/1 ρ=%v: Wq=%v want %v", rho, got, want)
		}
		m2, _ := NewMMC(2*rho, 1, 2)
		if want := 2 * rho * rho / (1 + rho); math.Abs(m2.ErlangC()-want) > 1e-12 {
			t.Errorf("M/M/2 ρ=%v: C=%v want %v", rho, m2.ErlangC(), want)
		}
	}
	// M/M/4 at a = 3.2 (ρ = 0.8): C = 0.5964 (to 4 places).
	m4, _ := NewMMC(3.2, 1, 4)
	if math.Abs(m4.ErlangC()-0.5964) > 5e-5 {
		t.Errorf("M/M/4 ρ=0.8: C=%.5f want 0.5964", m4.ErlangC())
	}
	// Thousands of servers do not overflow.
	big, err := NewMMC(9500, 1, 10000)
	if err != nil || math.IsNaN(big.ErlangC()) || big.ErlangC() <= 0 || big.ErlangC() >= 1 {
		t.Errorf("M/M/10000: C=%v err=%v", big.ErlangC(), err)
	}
}

func TestWaitQuantileAndServersNeeded(t *testing.T) {
	m, _ := NewMMC(0.5, 1, 1) // C = 0.5, rate cμ-λ = 0.5
	if got, want := m.WaitQuantile(0.95).Seconds(), math.Log(0.5/0.05)/0.5; math.Abs(got-want) > 1e-6 {
		t.Errorf("p95 wait %v want %v", got, want)
	}
	if m.WaitQuantile(0.4) != 0 {
		t.Error("quantile below 1-C should be 0")
	}
	n, err := ServersNeeded(10, 1, 100*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	ok, _ := NewMMC(10, 1, n)
	fewer, _ := NewMMC(10, 1, n-1)
	if ok.Wq() > 100*time.Millisecond || (n-1 > 10 && fewer.Wq() <= 100*time.Millisecond) {
		t.Errorf("ServersNeeded=%d: Wq(n)=%v Wq(n-1)=%v", n, ok.Wq(), fewer.Wq())
	}
	if _, err := NewMMC(4, 1, 4); err == nil || !strings.Contains(err.Error(), "ρ=1") {
		t.Errorf("ρ=1 accepted: %v", err)
	}
}

// The acceptance test of the foundation: the simulated mean wait in queue
// is within 3% of Erlang C with at least 2,000,000 customers, for M/M/4 at
// ρ = 0.8 and M/M/1 at ρ = 0.5. Little's law must hold to 1%.
func TestSimulationMatchesErlangC(t *testing.T) {
	if testing.Short() {
		t.Skip("-short (make quick): 2,000,000 customers per case; make test runs it")
	}
	for _, c := range []struct {
		name      string
		servers   int
		perSecond float64
	}{
		{"M/M/4 ρ=0.8", 4, 0.8 * 4 / 0.5},
		{"M/M/1 ρ=0.5", 1, 0.5 / 0.5},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg := theoryRun(c.servers, c.perSecond, "exp(500ms)")
			cfg.Seed = 2026
			// Enough virtual time for 2,050,000 expected arrivals.
			cfg.Duration = time.Duration(2_050_000/c.perSecond) * time.Second
			res, err := Run(cfg)
			if err != nil {
				t.Fatal(err)
			}
			if res.Arrivals < 2_000_000 {
				t.Fatalf("only %d customers", res.Arrivals)
			}
			m, err := cfg.Theory()
			if err != nil {
				t.Fatal(err)
			}
			got, want := res.Wait.Mean().Seconds(), m.Wq().Seconds()
			t.Logf("%d customers: Wq sim %.5fs theory %.5fs (%.2f%%); P(wait) sim %.4f theory %.4f",
				res.Arrivals, got, want, 100*(got-want)/want, float64(res.Waited)/float64(res.Arrivals), m.ErlangC())
			if math.Abs(got-want) > 0.03*want {
				t.Errorf("mean wait %.5fs is more than 3%% from Erlang C %.5fs", got, want)
			}
			if pw := float64(res.Waited) / float64(res.Arrivals); math.Abs(pw-m.ErlangC()) > 0.01 {
				t.Errorf("P(wait) %.4f vs Erlang C %.4f", pw, m.ErlangC())
			}
			l, lw := res.InSystem.Mean(), float64(res.Arrivals)/cfg.Duration.Seconds()*res.Response.Mean().Seconds()
			if math.Abs(l-lw) > 0.01*l {
				t.Errorf("Little's law: L=%.4f λW=%.4f", l, lw)
			}
		})
	}
}

// Constant service halves the M/M/c wait (Pollaczek–Khinchine for c = 1;
// Allen–Cunneen for c > 1, which is close for M/D/c).
func TestDeterministicServiceNearAllenCunneen(t *testing.T) {
	cfg, _ := PresetConfig("deterministic")
	cfg.Duration = 20 * time.Hour
	res, err := Run(cfg)
	if err != nil {
		t.Fatal(err)
	}
	w, cv2, err := cfg.MGCWait()
	if err != nil || cv2 != 0 {
		t.Fatalf("cv2=%v err=%v", cv2, err)
	}
	got := res.Wait.Mean().Seconds()
	if math.Abs(got-w.Seconds()) > 0.08*w.Seconds() {
		t.Errorf("M/D/4 mean wait %.4fs, Allen–Cunneen %.4fs", got, w.Seconds())
	}
}

func TestHoldingTimeTheoryMatchesSimulation(t *testing.T) {
	cfg := Default()
	cfg.DependencyFailure = 0.2
	cfg.MaxRetries = 2
	cfg.Duration = 10 * time.Hour
	res, err := Run(cfg)
	if err != nil {
		t.Fatal(err)
	}
	got, want := res.MeanHolding().Seconds(), cfg.withDefaults().meanHolding()
	if math.Abs(got-want) > 0.02*want {
		t.Errorf("mean holding: sim %.4fs, formula %.4fs", got, want)
	}
	// 20% failures, 2 retries: a request fails when a call fails 3 times in a row.
	wantFail := 1 - math.Pow(1-math.Pow(0.2, 3), 2)
	if f := float64(res.Failed) / float64(res.Completed+res.Failed); math.Abs(f-wantFail) > 0.004 {
		t.Errorf("failed share %.4f, want %.4f", f, wantFail)
	}
}

func TestDeterminism(t *testing.T) {
	cfg, _ := PresetConfig("flaky-dependency")
	simtest.Seeded(t, func(seed uint64) string {
		cfg.Seed = seed
		res, err := Run(cfg)
		if err != nil {
			t.Fatal(err)
		}
		return res.Summary().CSV() + res.Verdict().String()
	}, cfg.Seed)
}

func TestEveryPatternRuns(t *testing.T) {
	for _, p := range Patterns() {
		cfg := Default()
		cfg.Pattern = p
		cfg.ArrivalRate = 5
		res, err := Run(cfg)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		// The offered load follows the pattern: the mean rate over the run is
		// the base rate times the pattern's mean multiple.
		mult := map[Pattern]float64{Constant: 1, RampUp: 2, RampUpDown: 2, Spike: 1.4, Diurnal: 2}[p]
		if mult > 0 {
			got := float64(res.Arrivals) / cfg.Duration.Seconds() / 5
			if math.Abs(got-mult) > 0.06*mult {
				t.Errorf("%s: mean load %.3f× base, want %.2f×", p, got, mult)
			}
		}
		if len(res.Figures()) != 6 {
			t.Errorf("%s: %d figures", p, len(res.Figures()))
		}
	}
}

func TestBoundedQueueRejectsAndBreakerOpens(t *testing.T) {
	cfg, _ := PresetConfig("bounded-queue")
	res, err := Run(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if res.Rejected == 0 || res.Queue.Max() > float64(cfg.MaxQueue) {
		t.Errorf("rejected %d, max queue %v (bound %d)", res.Rejected, res.Queue.Max(), cfg.MaxQueue)
	}
	if v := res.Verdict(); v.Outcome != Overloaded {
		t.Errorf("verdict %v", v)
	}
	cfg, _ = PresetConfig("flaky-dependency")
	res, _ = Run(cfg)
	if res.BreakerOpened == 0 || res.ShortCircuited == 0 {
		t.Errorf("breaker opened %d times, short-circuited %d", res.BreakerOpened, res.ShortCircuited)
	}
	if res.Arrivals != res.Rejected+res.Completed+res.Failed+res.InProgress {
		t.Errorf("requests do not add up")
	}
}

func TestVerdicts(t *testing.T) {
	for name, want := range map[string]Outcome{"baseline": Healthy, "saturation": Strained} {
		cfg, _ := PresetConfig(name)
		cfg.Duration = 30 * time.Minute
		res, err := Run(cfg)
		if err != nil {
			t.Fatal(err)
		}
		if v := res.Verdict(); v.Outcome != want {
			t.Errorf("%s: %v, want %v", name, v, want)
		}
	}
	over := theoryRun(2, 300, "exp(500ms)") // ρ = 1.25
	over.Duration = 10 * time.Minute
	res, _ := Run(over)
	if v := res.Verdict(); v.Outcome != Overloaded || !strings.Contains(v.String(), "still queued") {
		t.Errorf("overload: %v", v)
	}
	if !strings.Contains(res.Summary().Text(), "Theory n/a") {
		t.Error("summary of an unstable run shows theory")
	}
}

func TestValidationNamesTheField(t *testing.T) {
	cases := []struct {
		field string
		edit  func(*Config)
	}{
		{"ArrivalRate=-5", func(c *Config) { c.ArrivalRate = -5 }},
		{"ArrivalRate=1e+09", func(c *Config) { c.ArrivalRate = 1e9 }},
		{"ArrivalRate=NaN", func(c *Config) { c.ArrivalRate = math.NaN() }},
		{"Servers=-1", func(c *Config) { c.Servers = -1 }},
		{`Pattern=sawtooth`, func(c *Config) { c.Pattern = "sawtooth" }},
		{"Multiplier=0.5", func(c *Config) { c.Multiplier = 0.5 }},
		{"Duration=-1s", func(c *Config) { c.Duration = -time.Second }},
		{"MaxQueue=-1", func(c *Config) { c.MaxQueue = -1 }},
		{"Dependencies=-2", func(c *Config) { c.Dependencies = -2 }},
		{"DependencyFailure=1.5", func(c *Config) { c.DependencyFailure = 1.5 }},
		{"MaxRetries=-1", func(c *Config) { c.MaxRetries = -1 }},
		{"Backoff.Base=-1s", func(c *Config) { c.Backoff.Base = -time.Second }},
		{"Breaker.Threshold=2", func(c *Config) { c.Breaker.Threshold = 2 }},
		{"Breaker.Window=-3", func(c *Config) { c.Breaker.Window = -3 }},
		{"Spike.Start=10m", func(c *Config) { c.Spike.Start = 10 * time.Minute }},
		{"Spike.Duration=2562047h", func(c *Config) { c.Spike.Duration = 2562047 * time.Hour }},
		{"Window=1ns", func(c *Config) { c.Window = 1 }},
		{"Window=10m", func(c *Config) { c.Window = 10 * time.Minute }},
		{"BurstMean=1ms", func(c *Config) { c.Pattern = Bursty; c.Duration = 10 * time.Hour; c.BurstMean = time.Millisecond }},
		{"Duration=20000h", func(c *Config) { c.Duration = 20000 * time.Hour }},
		{"ServiceTime=exp(-0.5)", func(c *Config) { c.ServiceTime = dist.Exp(-0.5) }},
		{"ServiceTime=exp(0.5)", func(c *Config) { c.ServiceTime = dist.Exp(0.5) }},
		{"ServiceTime=pareto(1ms, 1)", func(c *Config) { c.ServiceTime = dist.MustParse("pareto(1ms, 1)") }},
		{"DependencyLatency=uniform(3ms, 1ms)", func(c *Config) { c.DependencyLatency = dist.AsDuration(dist.Unif(0.003, 0.001)) }},
	}
	for _, c := range cases {
		cfg := Default()
		c.edit(&cfg)
		_, err := Run(cfg)
		if err == nil || !strings.Contains(err.Error(), "queueing: "+c.field) {
			t.Errorf("%s: err = %v", c.field, err)
		}
	}
	if _, err := ParsePattern("zigzag"); err == nil {
		t.Error("ParsePattern accepted zigzag")
	}
	if _, err := PresetConfig("nope"); err == nil || !strings.Contains(err.Error(), "baseline") {
		t.Errorf("PresetConfig: %v", err)
	}
	// Theory refuses ρ >= 1 with a reason naming ρ.
	over := theoryRun(1, 2, "exp(500ms)")
	if _, err := over.Theory(); err == nil || !strings.Contains(err.Error(), "utilisation ρ=1") {
		t.Errorf("Theory at ρ=1: %v", err)
	}
}

func TestZeroConfigUsesDefaults(t *testing.T) {
	res, err := Run(Config{ArrivalRate: 1, Servers: 5})
	if err != nil {
		t.Fatal(err)
	}
	if res.Config.Duration != 5*time.Minute || res.Config.ServiceTime.String() != "exp(500ms)" || res.Config.Pattern != Constant {
		t.Errorf("defaults not filled: %+v", res.Config)
	}
}
