package service

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"dsim/sim"
	"dsim/sim/dist"
	"dsim/sim/internal/simtest"
	"dsim/sim/metrics"
	"dsim/sim/net"
	"dsim/sim/resilience"
)

// digest prints every exported statistic of every component of a run:
// each rate's and gauge's series, each latency's windows, every counter.
func digest(sys *System) string {
	var b strings.Builder
	b.WriteString(sys.Table().Text() + "==\n")
	for _, c := range sys.comps {
		v := reflect.ValueOf(c).Elem()
		for i := 0; i < v.NumField(); i++ {
			f := v.Type().Field(i)
			if !f.Anonymous || !strings.HasSuffix(f.Name, "Stats") {
				continue
			}
			stats := v.Field(i)
			for j := 0; j < stats.NumField(); j++ {
				fmt.Fprintf(&b, "%s.%s: %s\n", c.ID(), stats.Type().Field(j).Name, value(stats.Field(j).Interface()))
			}
		}
	}
	fmt.Fprintf(&b, "events %d held %d\n", sys.Sim().Events(), sys.Held())
	return b.String()
}

func value(x any) string {
	switch x := x.(type) {
	case *metrics.Rate:
		return fmt.Sprint(x.Total(), x.Series().T, x.Series().V)
	case *metrics.Gauge:
		return fmt.Sprint(x.Mean(), x.Max(), x.Series().V, x.MaxSeries().V)
	case *metrics.Latency:
		return fmt.Sprint(x.Count(), x.Mean(), x.Windows())
	}
	return fmt.Sprint(x)
}

// seeded checks that once gives one run for seed 7, on any number of
// cores, and another for seed 8; with -v it shows seed 7's digest.
func seeded(t *testing.T, once func(seed uint64) string) {
	t.Helper()
	a := simtest.Seeded(t, once, 7)
	if testing.Verbose() {
		t.Log("\n" + a[:strings.Index(a, "==\n")])
	}
}

// Each component, in a system that exercises its options, gives the same
// run for the same seed, twice and on one core or two; another seed gives
// another run.
func TestDeterminism(t *testing.T) {
	exp := func(s string) dist.Dist { return dist.MustParse(s) }
	jitter := resilience.Backoff{Kind: resilience.FullJitter, Base: 20 * time.Millisecond, Cap: time.Second}
	spike := sim.Window{Start: 10 * time.Second, Duration: 5 * time.Second}
	for _, tc := range []struct {
		name  string
		build func(sys *System)
	}{
		{"Source", func(sys *System) {
			sys.Add(&Source{Name: "load", Target: "db", Rate: 50, Peak: 150, Pattern: Bursty, BurstMean: 2 * time.Second,
				Keys: Keys{N: 1000, Skew: 0.9}, Writes: 0.1}, &Dependency{Name: "db", Latency: exp("exp(5ms)")})
		}},
		{"Users", func(sys *System) {
			sys.Add(&Users{Name: "users", Target: "app", N: 30, Think: exp("exp(200ms)"), Keys: Keys{N: 100, Skew: 1}},
				&Server{Name: "app", Slots: 4, Service: exp("exp(20ms)")})
		}},
		{"Client", func(sys *System) {
			sys.Add(&Source{Name: "load", Target: "client", Rate: 100, Pattern: Spike, Peak: 400, Window: spike},
				&Client{Name: "client", Target: "app", Timeout: 300 * time.Millisecond, MaxRetries: 3, Backoff: jitter,
					RetryBudget: 0.2, Hedge: 100 * time.Millisecond, Breaker: resilience.BreakerConfig{Window: 20, Threshold: 0.5, Cooldown: time.Second}},
				&Server{Name: "app", Slots: 8, Service: exp("lognorm(40ms, 1)")})
		}},
		{"Server", func(sys *System) {
			sys.Add(&Source{Name: "load", Target: "client", Rate: 150, Pattern: Ramp, Peak: 300, Window: spike},
				&Client{Name: "client", Target: "app", Timeout: 500 * time.Millisecond, MaxRetries: 2},
				&Server{Name: "app", Slots: 8, Service: exp("exp(40ms)"), Slope: time.Millisecond, Discipline: LIFO, MaxQueue: 100,
					MaxWait: time.Second, Cancellation: true, DeadlineAdmission: true, Calls: []string{"db"}},
				&Dependency{Name: "db", Latency: exp("exp(5ms)"), Failure: 0.01})
			sys.Schedule(Fault{Target: "app", Kind: Slowdown, Factor: 3, Window: spike},
				Fault{Target: "app", Kind: CapacityDrop, Share: 0.5, Window: sim.Window{Start: 20 * time.Second, Duration: 5 * time.Second}},
				Fault{Target: "app", Kind: Crash, Window: sim.Window{Start: 40 * time.Second, Duration: 2 * time.Second}})
		}},
		{"Pool", func(sys *System) {
			sys.Add(&Source{Name: "load", Target: "pool", Rate: 300},
				&Pool{Name: "pool", Target: "db", Size: 4, MaxQueue: 50, MaxWait: 50 * time.Millisecond},
				&Server{Name: "db", Slots: 8, Service: exp("exp(12ms)")})
			sys.Schedule(Fault{Target: "pool", Kind: CapacityDrop, Share: 0.5, Window: spike},
				Fault{Target: "pool", Kind: Crash, Window: sim.Window{Start: 30 * time.Second, Duration: time.Second}})
		}},
		{"Dependency", func(sys *System) {
			sys.Add(&Source{Name: "load", Target: "db", Rate: 200}, &Dependency{Name: "db", Latency: exp("pareto(1ms, 1.5)"), Failure: 0.2})
			sys.Schedule(Fault{Target: "db", Kind: Slowdown, Factor: 10, Window: spike}, Fault{Target: "db", Kind: Crash, Window: sim.Window{Start: 30 * time.Second, Duration: time.Second}})
		}},
		{"Hop", func(sys *System) {
			sys.Add(&Source{Name: "load", Target: "client", Rate: 100},
				&Client{Name: "client", Target: "hop", Timeout: time.Second, MaxRetries: 1},
				&Hop{Name: "hop", Target: "far", Latency: exp("exp(10ms)"), Loss: 0.05, Timeout: 200 * time.Millisecond},
				&Hop{Name: "far", Target: "db", Across: [2]string{"eu", "us"}, Timeout: 300 * time.Millisecond},
				&Dependency{Name: "db", Latency: exp("exp(5ms)")})
			sys.UseNetwork(Network{Config: net.Config{Loss: 0.01}, Latency: []GroupLatency{{A: "eu", B: "us", Latency: exp("lognorm(40ms, 0.3)")}},
				Faults: []net.Fault{{Kind: net.FaultPartition, Window: spike, Sides: [][]string{{"eu"}, {"us"}}}}})
		}},
		{"Balancer", func(sys *System) {
			var backends []string
			for i := 0; i < 5; i++ {
				name := fmt.Sprintf("app-%d", i)
				backends = append(backends, name)
				sys.Add(&Server{Name: name, Slots: 2, Service: exp("exp(30ms)")})
			}
			sys.Add(&Source{Name: "load", Target: "split", Rate: 200, Keys: Keys{N: 500, Skew: 1.1}},
				&Balancer{Name: "split", Backends: []string{"p2c", "hash", "sticky", "least"}, Policy: Random},
				&Balancer{Name: "p2c", Backends: backends, Policy: PowerOfChoices, Choices: 2, LoadAge: 500 * time.Millisecond},
				&Balancer{Name: "hash", Backends: backends, Policy: ConsistentHash, LoadBound: 1.25},
				&Balancer{Name: "sticky", Backends: backends, Policy: Sticky},
				&Balancer{Name: "least", Backends: backends, Policy: LeastOutstanding})
			sys.Schedule(Fault{Target: "app-2", Kind: Crash, Window: spike})
		}},
		{"Cache", func(sys *System) {
			sys.Add(&Source{Name: "load", Target: "split", Rate: 500, Keys: Keys{N: 2000, Skew: 1}, Writes: 0.05},
				&Balancer{Name: "split", Backends: []string{"lru", "lfu", "fifo"}, Policy: RoundRobin},
				&Cache{Name: "lru", Backend: "db", Capacity: 100, TTL: 5 * time.Second, Coalesce: true, EarlyRefresh: 1, HitTime: exp("exp(100µs)")},
				&Cache{Name: "lfu", Backend: "db", Capacity: 100, Eviction: EvictLFU, WritePolicy: WriteThrough},
				&Cache{Name: "fifo", Backend: "db", Capacity: 100, Eviction: EvictFIFO, WritePolicy: WriteBack},
				&Dependency{Name: "db", Latency: exp("exp(5ms)")})
			sys.Schedule(Fault{Target: "lru", Kind: Flush, Window: spike}, Fault{Target: "fifo", Kind: Flush, Window: spike})
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			once := func(seed uint64) string {
				sys := New(Config{Seed: seed, Duration: time.Minute, Window: time.Second})
				tc.build(sys)
				run(t, sys)
				return digest(sys)
			}
			seeded(t, once)
		})
	}
}
