package service

import (
	"math"
	"strings"
	"testing"
	"time"

	"dsim/sim"
	"dsim/sim/dist"
)

// A platform throttles exactly when the concurrency asked for exceeds
// the burst plus its growth so far: calls of 10 s at 30 a second ask for
// 300 at once; the platform gives 100, then 50 more each minute from the
// first throttle. The admitted concurrency never passes the ceiling, a
// call is throttled only at it, and once the ceiling is well above 300
// no call is. A load asking for 50 is never throttled.
func TestPlatformThrottles(t *testing.T) {
	run := func(rate float64) (*Function, *Platform) {
		p := &Platform{Name: "account", Burst: 100, Growth: 50, Limit: 1000}
		f := &Function{Name: "fn", Service: dist.MustParse("const(10s)"), Platform: "account"}
		sys := New(Config{Seed: 5, Duration: 12 * time.Minute, Window: time.Second})
		sys.Add(&Source{Name: "load", Target: "fn", Rate: rate}, f, p)
		if err := sys.Run(t.Context()); err != nil {
			t.Fatal(err)
		}
		return f, p
	}
	if f, p := run(5); f.Throttles.Total() != 0 || p.Throttled {
		t.Errorf("a load asking for 50 at once: %d throttled", f.Throttles.Total())
	}
	f, p := run(30)
	if !p.Throttled || f.Throttles.Total() == 0 {
		t.Fatalf("a load asking for 300 at once against a burst of 100: not throttled")
	}
	t0 := sim.FromDuration(p.FirstThrottle)
	busy, thr := f.Busy.MaxSeries(), f.Throttles.Series()
	atCeiling := 0
	for i, mid := range busy.T {
		from, to := mid-sim.Second/2, mid+sim.Second/2
		lo, hi := p.Ceiling(from), p.Ceiling(to-1)
		if busy.V[i] > float64(hi) {
			t.Fatalf("window at %v: %v calls at once, ceiling %d", mid, busy.V[i], hi)
		}
		if thr.V[i] > 0 && lo == hi {
			atCeiling++
			if busy.V[i] != float64(hi) {
				t.Errorf("window at %v: throttled with %v calls at once, below the ceiling %d", mid, busy.V[i], hi)
			}
		}
		if thr.V[i] > 0 && from >= t0+6*sim.FromDuration(time.Minute) {
			t.Errorf("window at %v: throttled with the ceiling at %d, far above the 300 asked", mid, lo)
		}
	}
	t.Logf("first throttle at %v, %d throttled of %d, %d windows throttled at the ceiling", p.FirstThrottle, f.Throttles.Total(), f.Calls.Total(), atCeiling)
	if atCeiling < 60 {
		t.Errorf("only %d windows throttled", atCeiling)
	}
}

// An idle instance is kept for KeepAlive: a user who comes back within it
// finds it warm; one who comes back later always waits for a cold start.
func TestFunctionKeepAlive(t *testing.T) {
	for _, tc := range []struct {
		think string
		cold  func(f *Function) bool
	}{
		{"const(30s)", func(f *Function) bool { return f.ColdStarts == 1 }},
		{"const(2m)", func(f *Function) bool { return f.ColdStarts == f.Requests() && f.WarmStarts == 0 }},
	} {
		f := &Function{Name: "fn", Service: dist.MustParse("const(100ms)"), ColdStart: dist.MustParse("const(500ms)"), KeepAlive: time.Minute}
		sys := New(Config{Seed: 1, Duration: time.Hour})
		sys.Add(&Users{Name: "user", Target: "fn", N: 1, Think: dist.MustParse(tc.think)}, f)
		run(t, sys)
		if !tc.cold(f) || f.Requests() < 20 {
			t.Errorf("think %s: %d cold, %d warm of %d", tc.think, f.ColdStarts, f.WarmStarts, f.Requests())
		}
		// Every call works 100ms; a cold one waits 500ms more.
		want := 0.1 + 0.5*float64(f.ColdStarts)/float64(f.Requests())
		if m := f.Response.Mean().Seconds(); math.Abs(m-want) > 0.001*want {
			t.Errorf("think %s: mean response %.4fs, want %.4fs", tc.think, m, want)
		}
	}
}

// A function's reserved concurrency is set aside for it alone: its idle
// reserve starves its neighbour, which then throttles at the 20 left.
func TestReservedStarvesNeighbour(t *testing.T) {
	throttled := func(reserve int) (int64, float64) {
		p := &Platform{Name: "account", Burst: 100}
		big := &Function{Name: "big", Service: dist.MustParse("exp(1s)"), Platform: "account", Reserved: reserve}
		small := &Function{Name: "small", Service: dist.MustParse("const(10s)"), Platform: "account"}
		sys := New(Config{Seed: 2, Duration: 10 * time.Minute})
		sys.Add(&Source{Name: "load", Target: "small", Rate: 4}, p, big, small)
		run(t, sys)
		return small.Throttles.Total(), small.Busy.Max()
	}
	if n, most := throttled(0); n != 0 || most < 30 {
		t.Errorf("no reserve: the neighbour was throttled %d times, ran %v at once", n, most)
	}
	if n, most := throttled(80); n == 0 || most != 20 {
		t.Errorf("80 reserved: the neighbour was throttled %d times, ran %v at once (want 20)", n, most)
	}
}

// A run is priced by its instance-hours, requests and GB-seconds.
func TestCost(t *testing.T) {
	f := &Function{Name: "fn", Service: dist.MustParse("const(100ms)"), Memory: 2048}
	as := &Autoscaler{Min: 4}
	sys := New(Config{Seed: 1, Duration: 2 * time.Hour})
	sys.Add(&Source{Name: "load", Target: "lb", Rate: 20}, &Balancer{Name: "lb", Backends: []string{"a", "b", "c", "d", "e"}}, as,
		&Source{Name: "events", Target: "fn", Rate: 10}, f, &Server{Name: "router", Slots: 1, Service: dist.MustParse("exp(1ms)")})
	for _, n := range []string{"a", "b", "c", "d", "e"} {
		sys.Add(&Server{Name: n, Slots: 4, Service: dist.MustParse("exp(100ms)")})
	}
	as.Name, as.Group = "scaler", "lb"
	run(t, sys)
	b, err := sys.Cost(ListPrices())
	if err != nil {
		t.Fatal(err)
	}
	// 8 instance-hours for the group, 2 for the router; 0.2 GB-s a call.
	want := 10*0.096 + float64(f.Requests())*(0.2e-6+0.2*0.0000166667)
	if math.Abs(b.Total-want) > 1e-9 || len(b.Charges) != 4 {
		t.Errorf("bill %+v, want a total of %.6f", b, want)
	}
	if s := b.Table().Text(); !strings.Contains(s, "Total: $") {
		t.Errorf("bill table: %s", s)
	}
	if _, err := sys.Cost(Prices{GBSecond: -1}); err == nil || !strings.Contains(err.Error(), "Prices.GBSecond=-1") {
		t.Errorf("negative price: %v", err)
	}
}

func TestFunctionValidation(t *testing.T) {
	exp := dist.MustParse("exp(10ms)")
	for _, tc := range []struct {
		edit func(f *Function, p *Platform)
		want string
	}{
		{func(f *Function, _ *Platform) { f.Service = nil }, `Function "fn": Service=none: missing`},
		{func(f *Function, _ *Platform) { f.ColdStart = dist.MustParse("normal(1s, 2s)") }, "ColdStart=normal(1s, 2s)"},
		{func(f *Function, _ *Platform) { f.KeepAlive = -1 }, "KeepAlive=-1ns"},
		{func(f *Function, _ *Platform) { f.Memory = 64 }, "Memory=64: must be between 128 and 10240 MB"},
		{func(f *Function, _ *Platform) { f.Reserved = -1 }, "Reserved=-1"},
		{func(f *Function, _ *Platform) { f.Reserved = 100 }, `Reserved=100: the functions of "account" reserve 100 in all, not below its limit 100`},
		{func(f *Function, _ *Platform) { f.Platform = "nope" }, "Platform=nope: no component has that name"},
		{func(f *Function, _ *Platform) { f.Platform = "load" }, "Platform=load: is a Source, not a Platform"},
		{func(_ *Function, p *Platform) { p.Burst = 0 }, `Platform "account": Burst=0: must be between 1`},
		{func(_ *Function, p *Platform) { p.Growth = -1 }, "Growth=-1"},
		{func(_ *Function, p *Platform) { p.Limit = 50 }, "Limit=50: must be between Burst=100"},
	} {
		f := &Function{Name: "fn", Service: exp, Platform: "account"}
		p := &Platform{Name: "account", Burst: 100}
		tc.edit(f, p)
		sys := New(Config{})
		sys.Add(&Source{Name: "load", Target: "fn", Rate: 1}, f, p)
		if err := sys.Check(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("got %v, want an error with %q", err, tc.want)
		}
	}
}
