package service

import (
	"fmt"
	"math"
	"testing"
	"time"

	"dsim/sim"
	"dsim/sim/dist"
)

// group adds n servers of one slot each and returns their names.
func group(sys *System, n int, service string) ([]string, []*Server) {
	var names []string
	var srvs []*Server
	for i := 0; i < n; i++ {
		s := &Server{Name: fmt.Sprintf("s%d", i), Slots: 1, Service: dist.MustParse(service)}
		names = append(names, s.Name)
		srvs = append(srvs, s)
		sys.Add(s)
	}
	return names, srvs
}

// meanResponse is the mean time in system over a group of servers.
func meanResponse(srvs []*Server) float64 {
	var sum float64
	var n int64
	for _, s := range srvs {
		sum += s.Response.Mean().Seconds() * float64(s.Response.Count())
		n += s.Response.Count()
	}
	return sum / float64(n)
}

// The supermarket model (Mitzenmacher 2001): n servers, Poisson arrivals
// at λ per server, each sent to the shortest of d sampled queues. As n
// grows the mean time in system tends to Σ_{i≥1} λ^((d^i−d)/(d−1)), and
// to 1/(1−λ) for d = 1. At n = 200 the simulation is within 4% of it.
func TestSupermarketModel(t *testing.T) {
	const n, lambda = 200, 0.9
	theory := func(d int) float64 {
		if d == 1 {
			return 1 / (1 - lambda)
		}
		sum := 0.0
		for i := 1; i < 40; i++ {
			sum += math.Pow(lambda, (math.Pow(float64(d), float64(i))-float64(d))/float64(d-1))
		}
		return sum
	}
	for _, d := range []int{1, 2} {
		sys := New(Config{Seed: 5, Duration: 3000 * time.Second, Window: 100 * time.Second})
		names, srvs := group(sys, n, "exp(1s)")
		sys.Add(&Source{Name: "load", Target: "lb", Rate: lambda * n},
			&Balancer{Name: "lb", Backends: names, Policy: PowerOfChoices, Choices: d})
		run(t, sys)
		if got, want := meanResponse(srvs), theory(d); math.Abs(got-want) > 0.04*want {
			t.Errorf("d=%d: mean time in system %.3fs, theory %.3fs", d, got, want)
		}
	}
}

// Round robin spreads evenly; least-outstanding beats it when one server
// is slow (a gray failure), and load that is a second old makes
// least-outstanding herd onto whichever server looked idle.
func TestBalancerPolicies(t *testing.T) {
	once := func(p Policy, age time.Duration, slow bool) (*Balancer, []*Server) {
		sys := New(Config{Seed: 2, Duration: 10 * time.Minute})
		names, srvs := group(sys, 4, "exp(100ms)")
		lb := &Balancer{Name: "lb", Backends: names, Policy: p, LoadAge: age}
		sys.Add(&Source{Name: "load", Target: "lb", Rate: 28}, lb)
		if slow {
			sys.Schedule(Fault{Target: "s0", Kind: Slowdown, Factor: 5})
		}
		run(t, sys)
		return lb, srvs
	}
	rr, _ := once(RoundRobin, 0, false)
	if rr.Spread() > 1.001 {
		t.Errorf("round robin: busiest %.4f× the mean", rr.Spread())
	}
	_, rrSlow := once(RoundRobin, 0, true)
	_, loSlow := once(LeastOutstanding, 0, true)
	if a, b := rrSlow[0].Response.Quantile(0.99), loSlow[0].Response.Quantile(0.99); b > a/5 {
		t.Errorf("slow server's p99: round robin %v, least outstanding %v", a, b)
	}
	live, _ := once(LeastOutstanding, 0, false)
	stale, _ := once(LeastOutstanding, time.Second, false)
	most := func(b *Balancer) int {
		return max(b.MaxOutstanding[0], b.MaxOutstanding[1], b.MaxOutstanding[2], b.MaxOutstanding[3])
	}
	if most(stale) < 3*most(live) {
		t.Errorf("most outstanding at a server: %d with live load, %d with load a second old", most(live), most(stale))
	}
}

// backends adds n dependencies of 1ms, d0 to d<n-1>, for a balancer to
// spread calls over.
func backends(sys *System, n int) (names []string, deps []*Dependency) {
	for i := 0; i < n; i++ {
		d := &Dependency{Name: fmt.Sprintf("d%d", i), Latency: dist.MustParse("1ms")}
		names, deps = append(names, d.Name), append(deps, d)
		sys.Add(d)
	}
	return names, deps
}

// Consistent hashing moves only the keys of a backend that goes down, and
// with bounded loads no backend takes much more than its share of a
// skewed key space.
func TestConsistentHashing(t *testing.T) {
	sys := New(Config{Duration: time.Millisecond})
	names, deps := backends(sys, 10)
	lb := &Balancer{Name: "lb", Backends: names, Policy: ConsistentHash}
	sys.Add(&Source{Name: "load", Target: "lb", Rate: 1}, lb)
	run(t, sys)
	const keys = 10_000
	before := make([]int, keys)
	per := make([]int, 10)
	for k := range before {
		before[k] = lb.hashed(uint64(k))
		per[before[k]]++
	}
	for i, n := range per {
		if n < keys/10/2 || n > keys/10*2 {
			t.Errorf("backend %d holds %d of %d keys", i, n, keys)
		}
	}
	deps[3].down = true
	for k := range before {
		if after := lb.hashed(uint64(k)); (before[k] == 3) != (after != before[k]) || after == 3 {
			t.Fatalf("key %d moved from %d to %d when backend 3 went down", k, before[k], after)
		}
	}

	spread := func(bound float64) float64 {
		sys := New(Config{Seed: 1, Duration: 5 * time.Minute})
		names, _ := group(sys, 8, "exp(50ms)")
		lb := &Balancer{Name: "lb", Backends: names, Policy: ConsistentHash, LoadBound: bound}
		sys.Add(&Source{Name: "load", Target: "lb", Rate: 80, Keys: Keys{N: 100, Skew: 1.2}}, lb)
		run(t, sys)
		return lb.Spread()
	}
	if free, bounded := spread(0), spread(1.25); bounded > free/1.5 {
		t.Errorf("busiest backend: %.2f× the mean unbounded, %.2f× bounded at 1.25", free, bounded)
	}
}

// A sticky session stays on its backend until the backend goes down.
func TestSticky(t *testing.T) {
	sys := New(Config{Seed: 1, Duration: time.Minute})
	names, _ := group(sys, 4, "exp(20ms)")
	lb := &Balancer{Name: "lb", Backends: names, Policy: Sticky}
	sys.Add(&Users{Name: "users", Target: "lb", N: 20, Think: dist.MustParse("exp(100ms)")}, lb)
	sys.Schedule(Fault{Target: "s1", Kind: Crash, Window: sim.Window{Start: 30 * time.Second}})
	run(t, sys)
	for key, s := range lb.sessions {
		if s == 2 { // backend s1 (stored as index+1)
			t.Errorf("session %d still on the crashed backend", key)
		}
	}
	if lb.Moved == 0 || lb.Moved > 20 {
		t.Errorf("%d sessions moved, want those of one backend", lb.Moved)
	}
}

// When a backend leaves the ring, the calls of its keys go elsewhere and
// Remapped counts each key once; the other keys stay where they were.
func TestConsistentHashRemapped(t *testing.T) {
	sys := New(Config{Seed: 3, Duration: 20 * time.Second})
	names, deps := backends(sys, 8)
	lb := &Balancer{Name: "lb", Backends: names, Policy: ConsistentHash}
	sys.Add(&Source{Name: "load", Target: "lb", Rate: 1000, Keys: Keys{N: 1000}}, lb)
	sys.Schedule(Fault{Target: "d3", Kind: Crash, Window: sim.Window{Start: 10 * time.Second}})
	run(t, sys)
	deps[3].down = false
	owned := 0
	for k := 0; k < 1000; k++ {
		if lb.hashed(uint64(k)) == 3 {
			owned++
		}
	}
	if lb.Remapped > int64(owned) || lb.Remapped < int64(owned)*95/100 {
		t.Errorf("%d calls remapped; the leaving backend owned %d of 1000 keys", lb.Remapped, owned)
	}
}
