package metrics_test

import (
	"fmt"

	"dsim/sim"
	"dsim/sim/metrics"
)

// A latency recorder with 1-second windows and a summary table.
func Example() {
	lat := metrics.NewLatency("response", sim.Second)
	queue := metrics.NewGauge("queue", "requests", sim.Second)
	for i := 0; i < 1000; i++ {
		t := sim.Time(i) * 2 * sim.Millisecond // 500 requests a second for 2 s
		lat.Record(t, sim.Time(1+i%100)*sim.Millisecond)
		queue.Set(t, float64(i%5))
	}
	lat.Close(2 * sim.Second)
	queue.Close(2 * sim.Second)

	tb := metrics.NewTable("Summary", "metric", "value")
	tb.Add("requests", lat.Count())
	tb.Add("mean latency", lat.Mean())
	tb.Add("p99 latency", lat.Quantile(0.99))
	tb.Add("mean queue", queue.Mean())
	fmt.Print(tb)
	fmt.Println("windows:", len(lat.Windows()))
	// Output:
	// Summary
	// metric        value
	// ------------  -------
	// requests         1000
	// mean latency   50.5ms
	// p99 latency   99.02ms
	// mean queue          2
	// windows: 2
}
