package queueing_test

import (
	"fmt"
	"time"

	"dsim/sim/dist"
	"dsim/sim/scenario/queueing"
)

// An M/M/4 queue at 80% utilisation for two virtual hours, theory beside
// simulation.
func Example() {
	cfg := queueing.Default()
	cfg.Servers = 4
	cfg.ArrivalRate = 6.4 // against 4 servers of 2/s: ρ = 0.8
	cfg.ServiceTime = dist.MustParse("exp(500ms)")
	cfg.Dependencies = 0
	cfg.Duration = 2 * time.Hour
	res, err := queueing.Run(cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	m, _ := cfg.Theory()
	fmt.Printf("Erlang C: P(wait) = %.3f, Wq = %v\n", m.ErlangC(), m.Wq().Round(time.Millisecond))
	fmt.Printf("simulated: %d requests, Wq = %v\n", res.Arrivals, res.Wait.Mean().Duration().Round(time.Millisecond))
	fmt.Println(res.Verdict().Outcome)
	// Output:
	// Erlang C: P(wait) = 0.596, Wq = 373ms
	// simulated: 46061 requests, Wq = 344ms
	// Healthy
}

// Theory answers the planner's question directly.
func ExampleServersNeeded() {
	n, _ := queueing.ServersNeeded(10, 2, 50*time.Millisecond)
	fmt.Println(n, "servers keep the mean wait under 50ms at 10 req/s of 0.5s each")
	// Output:
	// 8 servers keep the mean wait under 50ms at 10 req/s of 0.5s each
}

// A bad field gives an error that names it.
func ExampleConfig_Validate() {
	cfg := queueing.Default()
	cfg.Servers = -1
	fmt.Println(cfg.Validate())
	cfg = queueing.Default()
	cfg.Pattern = "sawtooth"
	fmt.Println(cfg.Validate())
	// Output:
	// queueing: Servers=-1: must be between 1 and 100000 servers
	// queueing: Pattern=sawtooth: want one of constant, ramp-up, ramp-up-down, spike, diurnal, bursty
}
