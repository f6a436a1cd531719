package csi

import (
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"dsim/sim"
	"dsim/sim/dist"
	"dsim/sim/internal/simtest"
	"dsim/sim/resilience"
	"dsim/sim/scenario"
	"dsim/sim/scenario/internal/scenariotest"
)

// field finds a knob's field in cfg by its dotted name.
func field(cfg *Config, name string) reflect.Value {
	v := reflect.ValueOf(cfg).Elem()
	for _, part := range strings.Split(name, ".") {
		v = v.FieldByName(part)
	}
	return v
}

// outside lists texts of values beyond a knob's range, on both sides, as
// Set reads them; and the same values for the field itself.
func outside(k scenario.Knob) (texts []string, vals []any) {
	switch k.Kind {
	case scenario.Number:
		lo, hi := k.Min-1, k.Max*2+1
		return []string{fmt.Sprint(lo), fmt.Sprint(hi), "NaN", "1e400"}, []any{lo, hi, math.NaN(), math.Inf(1)}
	case scenario.Count:
		lo, hi := int(k.Min)-2, int(k.Max)+1
		return []string{fmt.Sprint(lo), fmt.Sprint(hi), "99999999999", "2.5"}, []any{lo, hi, math.MaxInt}
	case scenario.Duration:
		lo, hi := time.Duration(k.Min)-1, time.Duration(k.Max)+1
		return []string{lo.String(), hi.String(), "1e300"}, []any{lo, hi, time.Duration(math.MaxInt64)}
	case scenario.Choice:
		return []string{"nope", ""}, []any{"nope"}
	case scenario.Dist:
		if k.DurationValues {
			hi := time.Duration(k.Max) * 2
			return []string{"exp(" + hi.String() + ")", "nope(", "exp(-1s)", "exp(5)"}, []any{dist.AsDuration(dist.Exp(hi.Seconds())), dist.Const(-1)}
		}
		return []string{"lognormal(1000, 0.25)", "const(0.001)", "nope(", "lognormal(1, -1)"}, []any{dist.LogNorm(1000, 0.25), dist.LogNorm(1, math.NaN())}
	}
	return nil, nil
}

// Every knob refuses a value outside its range, from the command line
// (Set) and in a Config (Validate), naming the field and the value.
func TestEveryKnobRefusesBadValues(t *testing.T) {
	for _, k := range knobs.Knobs() {
		texts, vals := outside(k)
		for _, text := range texts {
			c := Default()
			err := knobs.Set(&c, k.Name, text)
			if err == nil || !strings.HasPrefix(err.Error(), "csi: "+k.Name+"=") {
				t.Errorf("Set(%s, %q): got %v, want an error naming the field", k.Name, text, err)
			}
		}
		for _, v := range vals {
			c := Default()
			field(&c, k.Name).Set(reflect.ValueOf(v).Convert(field(&c, k.Name).Type()))
			err := c.Validate()
			if err == nil || !strings.HasPrefix(err.Error(), "csi: "+k.Name+"=") {
				t.Errorf("%s=%v: Validate gave %v, want an error naming the field", k.Name, v, err)
			}
		}
		// An explicit zero that would silently become the default is refused.
		ranged := k.Kind == scenario.Number || k.Kind == scenario.Count || k.Kind == scenario.Duration
		if ranged && k.Zero == "" && k.Derived == "" && !(k.Min <= 0 && 0 <= k.Max) {
			c := Default()
			if err := knobs.Set(&c, k.Name, "0"); err == nil || !strings.Contains(err.Error(), "leave it unset") {
				t.Errorf("Set(%s, 0): got %v, want a refusal of the explicit zero", k.Name, err)
			}
		}
	}
}

// Every knob takes its default back, and a zero that means something of
// its own is kept.
func TestKnobsRoundTrip(t *testing.T) {
	d := Default()
	for _, k := range knobs.Knobs() {
		text, err := knobs.Get(d, k.Name)
		if err != nil {
			t.Fatal(err)
		}
		c := Default()
		if k.Derived != "" || k.Kind == scenario.Text {
			continue
		}
		if err := knobs.Set(&c, k.Name, text); err != nil {
			t.Errorf("Set(%s, %q) of its own default: %v", k.Name, text, err)
		}
	}
	if err := d.Validate(); err != nil {
		t.Fatal(err)
	}
	c := Default()
	for _, name := range []string{"Upstream.Retries", "Downstream.ExpectRetries", "Upstream.Rollout.Start", "Upstream.Rollout.Duration", "Upstream.Backoff.Jitter", "Downstream.UpgradeAt"} {
		if err := knobs.Set(&c, name, "0"); err != nil {
			t.Errorf("Set(%s, 0): %v", name, err)
		}
	}
	if c.withDefaults().Upstream.Retries != 0 {
		t.Error("Upstream.Retries=0 should mean no retries")
	}
}

func TestCrossFieldRules(t *testing.T) {
	scenariotest.Refused(t, "csi: ", Default, Config.Validate, Run, []scenariotest.Bad[Config]{
		{Set: func(c *Config) { c.Duration, c.Window = time.Minute, 2*time.Minute }, Want: "csi: Window=2m: is longer than Duration=1m"},
		{Set: func(c *Config) { c.Duration, c.Window, c.Rate = 24*time.Hour, time.Millisecond, 1 }, Want: "csi: Window=1ms: gives more than 100000 windows over Duration=24h"},
		{Set: func(c *Config) { c.Rate, c.Duration = 1000, time.Hour }, Want: "csi: Rate=1000: with Duration=1h0m0s makes about 3600000 orders; the limit is 200000"},
		{Set: func(c *Config) { c.Upstream.Backoff.Base, c.Upstream.Backoff.Cap = time.Minute, time.Second }, Want: "csi: Upstream.Backoff.Cap=1s: is shorter than Upstream.Backoff.Base=1m"},
		{Set: func(c *Config) { c.Downstream.LatencyNoise = dist.MustParse("lognormal(1s, 0.25)") }, Want: "csi: Downstream.LatencyNoise=lognormal(1s, 0.25): give a distribution of plain numbers"},
		{Set: func(c *Config) { c.Upstream.Next = OrdersV1() }, Want: "csi: Upstream.Next.Version=1: must differ from Upstream.Schema.Version=1"},
		{Set: func(c *Config) { c.Downstream.Next = OrdersV1() }, Want: "csi: Downstream.Next.Version=1: must differ from Downstream.Schema.Version=1"},
	})
}

// A one-nanosecond run divided by zero in the tally (Duration/60 is a zero
// window); a window longer than the run was accepted. Both are errors now,
// and the shortest run allowed works.
func TestShortRunsAndWindows(t *testing.T) {
	c := Default()
	c.Duration = 1
	if _, err := Run(c); err == nil || err.Error() != "csi: Duration=1ns: must be between 1s and 24h" {
		t.Errorf("Duration=1ns: %v", err)
	}
	c = Default()
	c.Duration, c.Window = 10*time.Second, time.Minute
	if _, err := Run(c); err == nil || !strings.Contains(err.Error(), "csi: Window=1m: is longer than Duration=10s") {
		t.Errorf("Window > Duration: %v", err)
	}
	c = Default()
	c.Duration = time.Second
	res, err := Run(c)
	if err != nil {
		t.Fatal(err)
	}
	if res.Config.Window != time.Second/60 || res.OKs != len(res.Orders) {
		t.Errorf("a one-second run: window %v, %v", res.Config.Window, res.Verdict())
	}
	// A run that skipped Validate still tallies into one bucket.
	r := newResult(c)
	r.Orders = []Order{{Outcome: OK}}
	c.Window = 0
	r.tally(c)
	if r.OKs != 1 {
		t.Errorf("tally with no window: %d ok", r.OKs)
	}
}

// The largest values of every knob make no product overflow: A's patience
// and B's time stay positive and the horizon lies after the run.
func TestExtremeKnobsDoNotOverflow(t *testing.T) {
	c := Default()
	c.Duration = 24 * time.Hour
	c.Rate = 2
	a, b := &c.Upstream, &c.Downstream
	a.Timeout, a.Retries = time.Hour, 20
	a.Backoff = resilience.Backoff{Kind: resilience.DecorrelatedJitter, Base: time.Hour, Cap: 24 * time.Hour}
	a.MaxItems, b.MaxItems = 10_000, 10_000
	b.BaseLatency, b.PerItem, b.QueueLimit, b.Workers = time.Hour, time.Hour, maxRecords, 1
	b.LatencyNoise = dist.Const(100)
	a.Rollout = sim.Window{Start: 24 * time.Hour, Duration: 24 * time.Hour}
	a.Next = OrdersV2()
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	c = c.withDefaults()
	if h := horizon(c); h <= sim.FromDuration(c.Duration) {
		t.Errorf("horizon %v overflowed", h)
	}
	r := &run{cfg: c, rSvc: sim.Stream(1, "x")}
	if d, want := r.serviceTime(10_000), 100*sim.FromDuration(10_001*time.Hour); d != want {
		t.Errorf("B's time for the largest order: %v, want %v", d, want)
	}
	r.cfg.Downstream.LatencyNoise = dist.Const(1e6)
	if d := r.serviceTime(10_000); d != sim.MaxTime {
		t.Errorf("B's time beyond any time: %v, want it saturated", d)
	}
	if d := a.Backoff.Delay(20, sim.MaxTime/2, sim.Stream(1, "y")); d < 0 || d > sim.FromDuration(a.Backoff.Cap) {
		t.Errorf("backoff %v", d)
	}
	r.cfg.Downstream.LatencyNoise = dist.Norm(1, 5)
	for i := 0; i < 100; i++ {
		if d := r.serviceTime(1); d < 0 {
			t.Fatalf("a negative noise draw gave a negative time %v", d)
		}
	}
}

// One seed, any number of cores: the same run.
func TestDeterminismAcrossProcs(t *testing.T) {
	cfg, _ := PresetConfig("api")
	cfg.Duration = time.Minute
	summary := func() string {
		res, err := Run(cfg)
		if err != nil {
			t.Fatal(err)
		}
		return res.Summary().Text() + res.Examples(5).Text() + res.Breakdown().Text()
	}
	simtest.SameAcrossProcs(t, summary)
}
