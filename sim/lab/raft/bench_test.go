package raft

import (
	"testing"
	"time"

	"dsim/sim/lab"
)

// BenchmarkRaft runs a five-node cluster under lin-kv load (10 clients,
// 200 requests per second, 20 virtual seconds), the monitor and
// porcupine included, calm and under the nemesis, and reports the
// virtual seconds simulated per wall second.
func BenchmarkRaft(b *testing.B) {
	for _, nemesis := range []bool{false, true} {
		name := "calm"
		if nemesis {
			name = "nemesis"
		}
		b.Run(name, func(b *testing.B) {
			test, err := LabTest(Config{})
			if err != nil {
				b.Fatal(err)
			}
			test.Clients, test.Rate, test.Duration, test.Seed = 10, 200, 20*time.Second, 1
			if nemesis {
				test.Nemesis = lab.Nemesis{Kinds: lab.FaultKinds()}
			}
			var virtual time.Duration
			var delivered int64
			start := time.Now()
			for i := 0; i < b.N; i++ {
				r, err := lab.Run(test)
				if err != nil {
					b.Fatal(err)
				}
				if !r.OK() {
					b.Fatal(r.Failure())
				}
				virtual += r.FinalAt.Duration()
				delivered += r.Stats.Net.Delivered
			}
			wall := time.Since(start).Seconds()
			b.ReportMetric(virtual.Seconds()/wall, "virtual-s/s")
			b.ReportMetric(float64(delivered)/wall, "msgs/s")
		})
	}
}
