//go:build ignore

// Your own system: what happens to it when a part fails?
//
// Users send 400 requests a second to clients that time out after 1 s and
// retry twice with jittered backoff; a round-robin balancer spreads them
// over four app servers of 16 threads; each app server reads a cache of
// 1000 entries in front of a database behind a pool of 10 connections.
// Then, from 60 s, app-2 runs ten times slower for 30 s (a gray failure),
// and at 120 s the cache is flushed (a deploy, a restart).
//
// Change the architecture below to yours: the names wire it, Check
// refuses a call to a name nobody has and a cycle, and every part keeps
// its own metrics.
//
//	dsim run scripts/your_system.go
package main

import (
	"fmt"
	"time"

	"dsim/kernel/display"
	"dsim/kernel/script"
	"dsim/sim"
	"dsim/sim/dist"
	"dsim/sim/resilience"
	"dsim/sim/service"
	"dsim/sim/viz"
)

func main() {
	duration := 3 * time.Minute
	sys := service.New(service.Config{Seed: script.Seed(), Duration: duration, Window: 5 * time.Second})
	users := &service.Source{Name: "users", Target: "clients", Rate: 400, Keys: service.Keys{N: 10_000, Skew: 1}}
	clients := &service.Client{Name: "clients", Target: "lb", Timeout: time.Second, MaxRetries: 2,
		Backoff: resilience.Backoff{Kind: resilience.FullJitter, Base: 100 * time.Millisecond, Cap: 2 * time.Second}}
	cache := &service.Cache{Name: "cache", Backend: "pool", Capacity: 1000, TTL: time.Minute}
	sys.Add(users, clients,
		&service.Balancer{Name: "lb", Backends: []string{"app-1", "app-2", "app-3", "app-4"}, Policy: service.RoundRobin},
		cache,
		&service.Pool{Name: "pool", Target: "db", Size: 10},
		&service.Server{Name: "db", Slots: 10, Service: dist.MustParse("exp(10ms)")},
	)
	for i := 1; i <= 4; i++ {
		sys.Add(&service.Server{Name: fmt.Sprintf("app-%d", i), Slots: 16, Service: dist.MustParse("exp(20ms)"), Calls: []string{"cache"}})
	}
	slow := sim.Window{Start: time.Minute, Duration: 30 * time.Second}
	flush := sim.Window{Start: 2 * time.Minute}
	sys.Schedule(
		service.Fault{Target: "app-2", Kind: service.Slowdown, Factor: 10, Window: slow},
		service.Fault{Target: "cache", Kind: service.Flush, Window: flush},
	)
	if err := sys.Run(display.Context()); err != nil {
		display.Show(err)
		return
	}

	// The per-component table: calls, answers, failures, latency, queues.
	display.Show(sys.Table())

	// The story: offered load, attempts (retries included), goodput and
	// the database's reads, with the faults shaded.
	spans := []viz.Span{
		{From: sim.FromDuration(slow.Start), To: sim.FromDuration(slow.End()), Label: "app-2 10× slower"},
		{From: sim.FromDuration(flush.Start), To: sim.FromDuration(flush.Start + 5*time.Second), Label: "cache flushed"},
	}
	db := sys.Find("db").(*service.Server)
	offered, attempts, goodput, reads := users.Offered.Series(), clients.Attempts.Series(), clients.Goodput.Series(), db.Arrivals.Series()
	offered.Name, attempts.Name, goodput.Name, reads.Name = "offered", "attempts", "goodput", "database reads"
	end := sim.FromDuration(duration)
	display.Show(viz.Lines(viz.Options{Title: "Your system: requests a second", YLabel: "requests per second", Name: "your-system-story", Spans: spans, End: end},
		offered, attempts, goodput, reads))
	// The p99 over time, as the users see it: from the first attempt.
	display.Show(viz.Bands(viz.Options{Title: "Your system: latency from the first attempt", Name: "your-system-latency", Spans: spans, End: end}, clients.Latency))

	display.Show(fmt.Sprintf("%.2f attempts per request; %d requests failed; p99 %v; cache hit ratio %.1f%%",
		clients.Amplification(), clients.Failures.Total(), clients.Latency.Quantile(0.99).Duration().Round(time.Millisecond), 100*cache.HitRatio()))

	// What to notice: round robin keeps sending app-2 a quarter of the
	// requests while it is slow, so a quarter time out and are retried;
	// the flush sends every read to the database until the cache fills
	// again. Try Policy: service.LeastOutstanding, or a pool of 4.
}

// Output:
// Components: 3m0s of virtual time (seed 1)
// component  kind      calls  ok     failed  rejected  mean     p99      max queue  notes
// ---------  --------  -----  -----  ------  --------  -------  -------  ---------  ------------------------------------------
// users      Source    71900  71735     157                                         constant load, 99.77%
// clients    Client    71900  71735     157            70.94ms   1.116s             1.05 attempts/request, 3433 timeouts
// lb         Balancer  75176                        0                               round-robin over 4, busiest 1.00× the mean
// cache      Cache     75168                                                        hit ratio 67.86%, 0 stale, 24157 fetches
// pool       Pool      24157                        0       0s       0s          0  1.3 of 10 in use on average
// db         Server    24157  24157       0         0  10.04ms  46.37ms          0  13% busy, 386 wasted
// app-1      Server    18794  18792       0         0  23.57ms  98.44ms          0  15% busy, 0 wasted
// app-2      Server    18794  18792       0         0  995.9ms   9.219s       1234  30% busy, 3433 wasted
// app-3      Server    18794  18791       0         0  23.39ms  96.14ms          0  15% busy, 0 wasted
// app-4      Server    18794  18793       0         0  23.28ms  96.73ms          0  15% busy, 0 wasted
// figure: out/your-system-story.svg (and .png)
// figure: out/your-system-latency.svg (and .png)
// 1.05 attempts per request; 157 requests failed; p99 1.116s; cache hit ratio 67.9%
