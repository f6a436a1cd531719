package service

import (
	"context"
	"fmt"
	"runtime"
	"testing"
	"time"

	"dsim/sim/dist"
	"dsim/sim/resilience"
)

// fiveTier is the benchmark's system: clients -> a balancer -> 4 app
// servers -> a cache -> a connection pool -> a database, with 10,000 keys
// of Zipf(1) popularity, at rate requests per second.
func fiveTier(seed uint64, rate float64, d time.Duration) (*System, *Client) {
	sys := New(Config{Seed: seed, Duration: d, Window: time.Second})
	client := &Client{Name: "clients", Target: "lb", Timeout: time.Second, MaxRetries: 2,
		Backoff: resilience.Backoff{Kind: resilience.FullJitter, Base: 10 * time.Millisecond, Cap: time.Second}}
	sys.Add(&Source{Name: "load", Target: "clients", Rate: rate, Keys: Keys{N: 10_000, Skew: 1}}, client)
	var apps []string
	for i := 1; i <= 4; i++ {
		name := fmt.Sprintf("app-%d", i)
		apps = append(apps, name)
		sys.Add(&Server{Name: name, Slots: 32, Service: dist.MustParse("exp(1ms)"), Calls: []string{"cache"}})
	}
	sys.Add(&Balancer{Name: "lb", Backends: apps, Policy: PowerOfChoices},
		&Cache{Name: "cache", Backend: "pool", Capacity: 1000, TTL: time.Minute},
		&Pool{Name: "pool", Target: "database", Size: 20},
		&Server{Name: "database", Slots: 20, Service: dist.MustParse("exp(2ms)")})
	return sys, client
}

// BenchmarkFiveTier runs the five-tier system for 100 virtual seconds at
// 10,000 requests per second (a million requests) per iteration, with
// every component's metrics, and reports requests simulated per wall
// second and allocations per request: over the whole run (setup
// included), and at the margin, from the allocations a second run of
// twice the length adds (the steady state's).
func BenchmarkFiveTier(b *testing.B) {
	const rate = 10_000
	allocs := func(d time.Duration) (uint64, int64) {
		var m0, m1 runtime.MemStats
		runtime.ReadMemStats(&m0)
		sys, cl := fiveTier(99, rate, d)
		if err := sys.Run(context.Background()); err != nil {
			b.Fatal(err)
		}
		runtime.ReadMemStats(&m1)
		return m1.Mallocs - m0.Mallocs, cl.Requests.Total()
	}
	b.ReportAllocs()
	b.ResetTimer()
	var requests int64
	for i := 0; i < b.N; i++ {
		sys, cl := fiveTier(uint64(i+1), rate, 100*time.Second)
		if err := sys.Run(context.Background()); err != nil {
			b.Fatal(err)
		}
		requests += cl.Requests.Total()
		if i == 0 {
			b.Logf("goodput %.4f, hit ratio %.3f, p99 %v, events %d", float64(cl.Goodput.Total())/float64(cl.Requests.Total()),
				sys.Find("cache").(*Cache).HitRatio(), cl.Latency.Quantile(0.99), sys.Sim().Events())
		}
	}
	b.ReportMetric(float64(requests)/b.Elapsed().Seconds(), "requests/s")
	b.StopTimer()
	a1, r1 := allocs(50 * time.Second)
	a2, r2 := allocs(100 * time.Second)
	b.ReportMetric(float64(a2)/float64(r2), "allocs/request")
	b.ReportMetric(float64(a2-a1)/float64(r2-r1), "marginal-allocs/request")
}
