package queueing

import (
	"testing"
	"time"
)

// BenchmarkMillion is queueing.Run on M/M/4 at utilisation 0.8 with a
// million customers and every metric the result keeps: the reference the
// service components must keep up with (issue: at least 0.75× of this).
// It reports customers simulated per wall second.
func BenchmarkMillion(b *testing.B) {
	cfg := theoryRun(4, 6.4, "exp(500ms)")
	cfg.Duration = time.Duration(1_000_000/6.4) * time.Second
	b.ReportAllocs()
	var customers int64
	for i := 0; i < b.N; i++ {
		cfg.Seed = uint64(i + 1)
		r, err := Run(cfg)
		if err != nil {
			b.Fatal(err)
		}
		customers += r.Arrivals
	}
	b.ReportMetric(float64(customers)/b.Elapsed().Seconds(), "customers/s")
}
