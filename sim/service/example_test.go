package service_test

import (
	"context"
	"fmt"
	"time"

	"dsim/sim"
	"dsim/sim/dist"
	"dsim/sim/resilience"
	"dsim/sim/service"
)

// Four app servers behind a balancer, a database behind a pool of 20
// connections, clients that retry twice after a 1 s timeout: what happens
// when the database slows down tenfold for ten seconds?
func Example() {
	sys := service.New(service.Config{Seed: 1, Duration: 2 * time.Minute, Window: 10 * time.Second})
	clients := &service.Client{Name: "clients", Target: "lb", Timeout: time.Second, MaxRetries: 2,
		Backoff: resilience.Backoff{Kind: resilience.FullJitter, Base: 100 * time.Millisecond, Cap: 2 * time.Second}}
	sys.Add(
		&service.Source{Name: "users", Target: "clients", Rate: 300},
		clients,
		&service.Balancer{Name: "lb", Backends: []string{"app-1", "app-2", "app-3", "app-4"}, Policy: service.LeastOutstanding},
		&service.Pool{Name: "pool", Target: "db", Size: 20},
		&service.Server{Name: "db", Slots: 20, Service: dist.MustParse("exp(10ms)")},
	)
	for i := 1; i <= 4; i++ {
		sys.Add(&service.Server{Name: fmt.Sprintf("app-%d", i), Slots: 16, Service: dist.MustParse("exp(20ms)"), Calls: []string{"pool"}})
	}
	sys.Schedule(service.Fault{Target: "db", Kind: service.Slowdown, Factor: 10,
		Window: sim.Window{Start: 30 * time.Second, Duration: 10 * time.Second}})
	if err := sys.Run(context.Background()); err != nil {
		fmt.Println(err)
		return
	}
	good := clients.Goodput.Series()
	for _, w := range []struct {
		name     string
		from, to sim.Time
	}{{"before", 0, 30 * sim.Second}, {"during", 30 * sim.Second, 40 * sim.Second}, {"after", 60 * sim.Second, 120 * sim.Second}} {
		fmt.Printf("goodput %s: %.0f/s\n", w.name, good.Between(w.from, w.to))
	}
	fmt.Printf("%.2f attempts per request, p99 latency %v\n", clients.Amplification(), clients.Latency.Quantile(0.99).Duration().Round(time.Millisecond))
	// Output:
	// goodput before: 298/s
	// goodput during: 68/s
	// goodput after: 294/s
	// 1.17 attempts per request, p99 latency 2.588s
}

// Check refuses a composition before it runs: a call to a name nobody
// has, and calls that go round in a cycle.
func ExampleSystem_Check() {
	exp := dist.MustParse("exp(10ms)")
	sys := service.New(service.Config{})
	sys.Add(&service.Source{Name: "load", Target: "api", Rate: 10}, &service.Server{Name: "app", Slots: 4, Service: exp})
	fmt.Println(sys.Check())

	sys = service.New(service.Config{})
	sys.Add(&service.Source{Name: "load", Target: "app", Rate: 10},
		&service.Server{Name: "app", Slots: 4, Service: exp, Calls: []string{"auth"}},
		&service.Server{Name: "auth", Slots: 4, Service: exp, Calls: []string{"app"}})
	fmt.Println(sys.Check())

	sys = service.New(service.Config{})
	sys.Add(&service.Source{Name: "load", Target: "app", Rate: 10}, &service.Server{Name: "app", Service: exp})
	fmt.Println(sys.Check())
	// Output:
	// service: Source "load" calls "api": no component has that name (have "load", "app")
	// service: calls go round in a cycle: app -> auth -> app: a call could never end
	// service: Server "app": Slots=0: must be between 1 and 1000000
}

// The per-component table of a run: a cache in front of a database.
func ExampleSystem_Table() {
	sys := service.New(service.Config{Seed: 1, Duration: time.Minute})
	sys.Add(
		&service.Source{Name: "load", Target: "cache", Rate: 500, Keys: service.Keys{N: 10_000, Skew: 1}},
		&service.Cache{Name: "cache", Backend: "db", Capacity: 1000, TTL: 10 * time.Second},
		&service.Server{Name: "db", Slots: 4, Service: dist.MustParse("exp(5ms)")},
	)
	if err := sys.Run(context.Background()); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(sys.Table())
	// Output:
	// Components: 1m0s of virtual time (seed 1)
	// component  kind    calls  ok     failed  rejected  mean     p99     max queue  notes
	// ---------  ------  -----  -----  ------  --------  -------  ------  ---------  ----------------------------------------
	// load       Source  30378  30377       0                                        constant load, 100%
	// cache      Cache   30378                                                       hit ratio 65.15%, 0 stale, 10586 fetches
	// db         Server  10586  10585       0         0  4.996ms  23.4ms          4  22% busy, 0 wasted
}

// A slow server among four (a gray failure): round robin keeps sending it
// its quarter, more than it can serve, and its queue grows for the whole
// run; least-outstanding sends it what it can take.
func ExampleBalancer() {
	for _, p := range []service.Policy{service.RoundRobin, service.LeastOutstanding} {
		sys := service.New(service.Config{Seed: 1, Duration: 10 * time.Minute})
		var apps []string
		for i := 1; i <= 4; i++ {
			name := fmt.Sprintf("app-%d", i)
			apps = append(apps, name)
			sys.Add(&service.Server{Name: name, Slots: 2, Service: dist.MustParse("exp(50ms)")})
		}
		clients := &service.Client{Name: "clients", Target: "lb"}
		lb := &service.Balancer{Name: "lb", Backends: apps, Policy: p}
		sys.Add(&service.Source{Name: "load", Target: "clients", Rate: 100}, clients, lb)
		sys.Schedule(service.Fault{Target: "app-1", Kind: service.Slowdown, Factor: 4})
		if err := sys.Run(context.Background()); err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%s: the slow server took %.0f%%, p99 %v\n", p,
			100*float64(lb.Picks[0])/float64(clients.Requests.Total()), clients.Latency.Quantile(0.99).Duration().Round(time.Millisecond))
	}
	// Output:
	// round-robin: the slow server took 25%, p99 5m35.813s
	// least-outstanding: the slow server took 9%, p99 632ms
}
