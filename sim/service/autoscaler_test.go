package service

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"dsim/sim"
	"dsim/sim/dist"
	"dsim/sim/metrics"
)

// scaled is a group of up to n servers of 4 slots (40 calls a second each
// at full use) behind a least-outstanding balancer, sized by as, loaded by
// load through a client that measures the latency, in windows of a
// minute.
func scaled(t *testing.T, n int, length time.Duration, load *Source, as *Autoscaler) (*Client, *System) {
	t.Helper()
	names := make([]string, n)
	sys := New(Config{Seed: 3, Duration: length, Window: time.Minute})
	for i := range names {
		names[i] = fmt.Sprintf("app%d", i)
		sys.Add(&Server{Name: names[i], Slots: 4, Service: dist.MustParse("exp(100ms)")})
	}
	client := &Client{Name: "client", Target: "lb"}
	load.Name, load.Target = "load", "client"
	as.Name, as.Group = "scaler", "lb"
	sys.Add(load, client, &Balancer{Name: "lb", Backends: names, Policy: LeastOutstanding}, as)
	run(t, sys)
	return client, sys
}

// worst is the highest value of s in [from, to).
func worst(s *metrics.Series, from, to time.Duration) float64 {
	w := 0.0
	for i, at := range s.T {
		if at >= sim.FromDuration(from) && at < sim.FromDuration(to) {
			w = max(w, s.V[i])
		}
	}
	return w
}

// A spike shorter than the warm-up is over before the instances launched
// for it serve: its queue, and so its p99, grows unchecked. A ramp to the
// same peak, slow beside the warm-up, is absorbed: the group grows ahead
// of it and the p99 stays where it was (Gorton, ch. 5: "instances need
// time to start").
func TestAutoscalerWarmup(t *testing.T) {
	const base, peak = 60, 150 // 3 instances: 50% busy; the peak needs 5.4 at 70%
	as := &Autoscaler{Min: 3, Warmup: 5 * time.Minute, Cooldown: time.Minute}
	spike := sim.Window{Start: 20 * time.Minute, Duration: 2 * time.Minute}
	c, _ := scaled(t, 20, time.Hour, &Source{Rate: base, Pattern: Spike, Peak: peak, Window: spike}, as)
	p99 := c.Latency.Percentile(0.99)
	before, during := worst(p99, 0, spike.Start), worst(p99, spike.Start, spike.End()+2*time.Minute)
	t.Logf("spike: p99 %.2fs before, %.2fs during; %d launched, serving at most %.0f until the spike's end",
		before, during, as.Launches, worst(as.Serving.Series(), 0, spike.End()))
	if during < 10*before || as.Launches == 0 || worst(as.Serving.Series(), 0, spike.End()) > 3 {
		t.Errorf("a spike shorter than the warm-up: p99 %.2fs before, %.2fs during (want 10× more), %d launched, serving %.0f before its end",
			before, during, as.Launches, worst(as.Serving.Series(), 0, spike.End()))
	}

	as = &Autoscaler{Min: 3, Warmup: 5 * time.Minute, Cooldown: time.Minute}
	ramp := sim.Window{Start: 10 * time.Minute, Duration: 45 * time.Minute}
	c, _ = scaled(t, 20, time.Hour, &Source{Rate: base, Pattern: Ramp, Peak: peak, Window: ramp}, as)
	p99 = c.Latency.Percentile(0.99)
	before, during = worst(p99, 0, ramp.Start), worst(p99, ramp.Start, ramp.End())
	t.Logf("ramp: p99 %.2fs before, %.2fs during; serving up to %.0f", before, during, as.Serving.Max())
	if during > 1.5*before || as.Serving.Max() < 5 {
		t.Errorf("a ramp slower than the warm-up: p99 %.2fs before, %.2fs during (want under 1.5×), serving up to %.0f (want 5 or more)",
			before, during, as.Serving.Max())
	}
}

// Step scaling is blind to the instances warming up: with a cooldown
// shorter than the warm-up it launches again every period while the
// first launches boot, overshoots, and has to scale back in (a reversal:
// out, then in). A cooldown longer than warm-up plus a period sees each
// launch serve before the next decision: the group grows to its size and
// stays, never reversing, slower to get there.
func TestAutoscalerOvershoot(t *testing.T) {
	load := func() *Source {
		return &Source{Rate: 60, Pattern: Stepped, Schedule: []Step{{At: 10 * time.Minute, Rate: 200}}}
	}
	short := &Autoscaler{Min: 3, Policy: StepScaling, Warmup: 5 * time.Minute, Cooldown: time.Minute}
	cs, _ := scaled(t, 30, 2*time.Hour, load(), short)
	long := &Autoscaler{Min: 3, Policy: StepScaling, Warmup: 5 * time.Minute, Cooldown: 7 * time.Minute}
	cl, _ := scaled(t, 30, 2*time.Hour, load(), long)
	for _, r := range []struct {
		name string
		a    *Autoscaler
		c    *Client
	}{{"short", short, cs}, {"long", long, cl}} {
		t.Logf("%s cooldown: up to %.0f instances, ends at %.0f, %d launched, %d terminated, %d reversals, %.1f instance-hours, p99 %v",
			r.name, r.a.Instances.Max(), r.a.Instances.Value(), r.a.Launches, r.a.Terminations, r.a.Reversals, r.a.InstanceHours(), r.c.Latency.Quantile(0.99))
	}
	if short.Reversals < 1 || short.Terminations < 1 || short.Instances.Max() <= short.Instances.Value() {
		t.Errorf("short cooldown: %d reversals, %d terminated, up to %.0f ending at %.0f: want an overshoot scaled back in",
			short.Reversals, short.Terminations, short.Instances.Max(), short.Instances.Value())
	}
	if long.Reversals != 0 || long.Terminations != 0 {
		t.Errorf("long cooldown: %d reversals, %d terminated: want none", long.Reversals, long.Terminations)
	}
}

// A group that adds one instance at a time and removes six oscillates
// when its cooldown is shorter than the warm-up, under a load that never
// changes: 60 calls a second on 2 instances of 40 is 75% busy, so it
// launches one; blind to it while it boots, it launches one more every
// minute, up to the 8 allowed; once they serve, 8 instances are 19% busy,
// so it removes six, and the 2 left are 75% busy again. Each cycle is an
// out and an in: two reversals. With a cooldown longer than warm-up plus
// a period, the one instance it adds serves before it decides again: 3
// instances are 50% busy, inside the band, and it stays there. The
// component has no rule about cycles: the stale reading and the wide
// scale-in step make them.
func TestAutoscalerOscillation(t *testing.T) {
	group := func(cooldown time.Duration) *Autoscaler {
		return &Autoscaler{Min: 2, Max: 8, Policy: StepScaling, Step: 6, Steps: []ScalingStep{{Above: 0.7, Add: 1}},
			Warmup: 5 * time.Minute, Cooldown: cooldown}
	}
	short, long := group(time.Minute), group(7*time.Minute)
	cs, _ := scaled(t, 8, 2*time.Hour, &Source{Rate: 60}, short)
	cl, _ := scaled(t, 8, 2*time.Hour, &Source{Rate: 60}, long)
	for _, r := range []struct {
		name string
		a    *Autoscaler
		c    *Client
	}{{"short", short, cs}, {"long", long, cl}} {
		t.Logf("%s cooldown: %d reversals, %d launched, %d terminated, up to %.0f instances, %.1f instance-hours, p99 %v",
			r.name, r.a.Reversals, r.a.Launches, r.a.Terminations, r.a.Instances.Max(), r.a.InstanceHours(), r.c.Latency.Quantile(0.99))
	}
	if short.Reversals < 3 || short.Terminations < 2*6 {
		t.Errorf("short cooldown: %d reversals, %d terminated: want repeated cycles (3 reversals or more)", short.Reversals, short.Terminations)
	}
	if long.Reversals != 0 || long.Terminations != 0 || long.Instances.Value() != 3 {
		t.Errorf("long cooldown: %d reversals, %d terminated, ending at %.0f: want none, settled at 3", long.Reversals, long.Terminations, long.Instances.Value())
	}
	if short.InstanceHours() <= long.InstanceHours() {
		t.Errorf("the oscillating group cost %.2f instance-hours, the settled one %.2f: want more", short.InstanceHours(), long.InstanceHours())
	}
}

// The group's instances are billed from launch: instance-hours are the
// integral of the instances over the run, and a group that never scales
// is billed Min × the run.
func TestAutoscalerInstanceHours(t *testing.T) {
	as := &Autoscaler{Min: 4}
	scaled(t, 8, 2*time.Hour, &Source{Rate: 80}, as)
	if h := as.InstanceHours(); as.Launches != 0 || h != 8 {
		t.Errorf("a steady group of 4 for 2h: %.4f instance-hours, %d launched", h, as.Launches)
	}
	if !strings.Contains(tableOf(as), "8.00 instance-hours") {
		t.Errorf("the table row: %s", tableOf(as))
	}
}

func tableOf(a *Autoscaler) string {
	t := metrics.NewTable("", "component", "kind", "calls", "ok", "failed", "rejected", "mean", "p99", "max queue", "notes")
	a.row(t)
	return t.Text()
}

func TestAutoscalerValidation(t *testing.T) {
	exp := dist.MustParse("exp(10ms)")
	for _, tc := range []struct {
		edit func(a *Autoscaler, lb *Balancer)
		want string
	}{
		{func(a *Autoscaler, _ *Balancer) { a.Group = "" }, `Autoscaler "scaler": Group="": names no component`},
		{func(a *Autoscaler, _ *Balancer) { a.Group = "nope" }, `Group=nope: no component has that name`},
		{func(a *Autoscaler, _ *Balancer) { a.Group = "app0" }, `Group=app0: is a Server: an autoscaler acts on the backends of a Balancer`},
		{func(_ *Autoscaler, lb *Balancer) { lb.Backends[1] = "db" }, `its Backends[1] "db" is a Dependency`},
		{func(a *Autoscaler, _ *Balancer) { a.Policy = "predictive" }, "Policy=predictive: want one of"},
		{func(a *Autoscaler, _ *Balancer) { a.Min = 0 }, "Min=0: must be between 1"},
		{func(a *Autoscaler, _ *Balancer) { a.Min = 4 }, `Min=4: is more than the 3 backends of "lb"`},
		{func(a *Autoscaler, _ *Balancer) { a.Max = 5 }, `Max=5: is more than the 3 backends`},
		{func(a *Autoscaler, _ *Balancer) { a.Min, a.Max = 2, 1 }, "Max=1: must be at least Min=2"},
		{func(a *Autoscaler, _ *Balancer) { a.Initial = 3; a.Max = 2 }, "Initial=3: must be between Min=1 and Max"},
		{func(a *Autoscaler, _ *Balancer) { a.ScaleOutAt = 1.5 }, "ScaleOutAt=1.5: must be a utilisation in (0, 1]"},
		{func(a *Autoscaler, _ *Balancer) { a.ScaleOutAt = 0.3 }, "ScaleInAt=0: must be at least 0 and below ScaleOutAt=0.3"},
		{func(a *Autoscaler, _ *Balancer) { a.Step = -1 }, "Step=-1"},
		{func(a *Autoscaler, _ *Balancer) { a.Steps = []ScalingStep{{Above: 0.8, Add: 2}} }, "Steps=[1 steps]: only the step policy"},
		{func(a *Autoscaler, _ *Balancer) {
			a.Policy, a.Steps = StepScaling, []ScalingStep{{Above: 0.9, Add: 2}, {Above: 0.8, Add: 3}}
		}, "Steps[1].Above=0.8: must be above Steps[0].Above=0.9"},
		{func(a *Autoscaler, _ *Balancer) { a.Policy, a.Steps = StepScaling, []ScalingStep{{Above: 0.9}} }, "Steps[0].Add=0"},
		{func(a *Autoscaler, _ *Balancer) { a.Period = time.Microsecond }, "Period=1µs: must be between 1ms and 1h"},
		{func(a *Autoscaler, _ *Balancer) { a.Warmup = -time.Second }, "Warmup=-1s"},
		{func(a *Autoscaler, _ *Balancer) { a.Cooldown = 25 * time.Hour }, "Cooldown=25h0m0s"},
		{func(a *Autoscaler, _ *Balancer) { a.sys.Add(&Autoscaler{Name: "twin", Group: "lb", Min: 1}) }, `Autoscaler "twin" acts on it already`},
	} {
		sys := New(Config{})
		lb := &Balancer{Name: "lb", Backends: []string{"app0", "app1", "app2"}}
		a := &Autoscaler{Name: "scaler", Group: "lb", Min: 1}
		sys.Add(&Source{Name: "load", Target: "lb", Rate: 10}, lb, a, &Dependency{Name: "db", Latency: exp})
		for _, name := range lb.Backends {
			sys.Add(&Server{Name: name, Slots: 1, Service: exp})
		}
		tc.edit(a, lb)
		err := sys.Check()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("got %v, want an error with %q", err, tc.want)
		}
	}
}

// The same seed gives the same group, instance for instance.
func TestAutoscalerDeterministic(t *testing.T) {
	once := func() string {
		as := &Autoscaler{Min: 2, Policy: StepScaling, Warmup: time.Minute, Period: 20 * time.Second}
		c, sys := scaled(t, 10, 30*time.Minute, &Source{Rate: 50, Pattern: Diurnal, Peak: 200}, as)
		return fmt.Sprint(sys.Table(), as.Instances.Series().V, as.Utilisation.V, c.Latency.Quantile(0.99))
	}
	if a, b := once(), once(); a != b {
		t.Errorf("two runs of one seed differ:\n%s\n%s", a, b)
	}
}
