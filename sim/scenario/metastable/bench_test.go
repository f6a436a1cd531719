package metastable

import (
	"dsim/sim/dist"
	"testing"
	"time"
)

// BenchmarkHour is the acceptance benchmark: one virtual hour at 1,000
// requests/s with retries on (3 retries, exponential backoff), 1,000 slots
// at 0.5s + 0.1ms per request in service. Compare its events/s with
// sim's BenchmarkMMC, the bare engine.
func BenchmarkHour(b *testing.B) {
	c := Default()
	c.Duration = time.Hour
	c.BaseRate = 1000
	c.Capacity = 1000
	c.Slope = 100 * time.Microsecond
	c.Service = dist.MustParse("lognorm(500ms, 0.5)")
	c.Window = 10 * time.Second
	var events, requests int64
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		c.Seed = uint64(i + 1)
		r, err := Run(c)
		if err != nil {
			b.Fatal(err)
		}
		events += r.Events
		requests += r.Requests
		if i == 0 {
			b.Logf("%d requests, %d attempts, %d timeouts, %v", r.Requests, r.Attempts, r.Timeouts, r.Verdict().Outcome)
		}
	}
	sec := b.Elapsed().Seconds()
	b.ReportMetric(float64(events)/sec, "events/s")
	b.ReportMetric(float64(requests)/sec, "req/s")
	b.ReportMetric(float64(events)/float64(b.N), "events/op")
}
