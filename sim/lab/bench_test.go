package lab

import (
	"runtime"
	"testing"
	"time"
)

// benchTest is a 5-node broadcast, every node a neighbour of every other:
// 10 clients at 200 requests per second for 20 virtual seconds, about
// 47,000 messages.
func benchTest(node string) Test {
	return Test{Workload: "broadcast", Node: node, Rate: 200, Clients: 10, Duration: 20 * time.Second, Topology: "total", Seed: 1}
}

// BenchmarkBroadcast runs the broadcast, checker included, and reports
// the messages delivered per wall second. broadcast/noretry forwards each
// message once, one message per value and neighbour: the lab's cost per
// message. broadcast/gossip batches and writes to its store, so each
// message does more.
func BenchmarkBroadcast(b *testing.B) {
	for _, node := range []string{"broadcast/noretry", "broadcast/gossip"} {
		b.Run(node, func(b *testing.B) {
			var delivered int64
			start := time.Now()
			for i := 0; i < b.N; i++ {
				r, err := Run(benchTest(node))
				if err != nil {
					b.Fatal(err)
				}
				delivered += r.Stats.Net.Delivered
			}
			b.ReportMetric(float64(delivered)/time.Since(start).Seconds(), "msgs/s")
			b.ReportMetric(float64(delivered)/float64(b.N), "msgs/run")
		})
	}
}

// BenchmarkSimulate is BenchmarkBroadcast's noretry run without the
// checker: the simulation alone.
func BenchmarkSimulate(b *testing.B) {
	t := benchTest("broadcast/noretry").withDefaults()
	var delivered int64
	start := time.Now()
	for i := 0; i < b.N; i++ {
		c, err := newCluster(t)
		if err != nil {
			b.Fatal(err)
		}
		if err := c.run(nil); err != nil {
			b.Fatal(err)
		}
		delivered += c.n.Stats().Delivered
	}
	b.ReportMetric(float64(delivered)/time.Since(start).Seconds(), "msgs/s")
}

// BenchmarkSearch searches 40 seeds of the gossip broadcast under the
// nemesis with one worker, then with all; the parallel efficiency is the
// speed-up over the number of workers (see TestSearchEfficiency for the
// interleaved measurement).
func BenchmarkSearch(b *testing.B) {
	t := Test{Workload: "broadcast", Node: "broadcast/gossip", Nemesis: Nemesis{Kinds: FaultKinds()}}
	for _, w := range []int{1, runtime.GOMAXPROCS(0)} {
		b.Run(map[bool]string{true: "one", false: "all"}[w == 1], func(b *testing.B) {
			start := time.Now()
			for i := 0; i < b.N; i++ {
				if f, err := Search(t, Seeds{Count: 40, Workers: w}); err != nil || f != nil {
					b.Fatal(err, f)
				}
			}
			b.ReportMetric(40*float64(b.N)/time.Since(start).Seconds(), "seeds/s")
		})
	}
}
