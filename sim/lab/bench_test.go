package lab

import (
	"runtime"
	"sort"
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
		c, err := newCluster(t, nil)
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

// BenchmarkSearchEfficiency searches 80 seeds of the gossip broadcast
// under the nemesis (every seed passes, so all 80 run), timed one core
// alone (GOMAXPROCS 1, one worker) and all cores with a worker each,
// interleaved, b.N rounds. Efficiency is the speed-up over the number of
// cores, from the fastest timings and from the medians; efficiency-cpu is
// the same from the process's CPU time (medians), which the machine's
// other load disturbs less. With them: the bytes and objects a run
// allocates, and the collections per run.
func BenchmarkSearchEfficiency(b *testing.B) {
	cores := runtime.GOMAXPROCS(0)
	t := Test{Workload: "broadcast", Node: "broadcast/gossip", Nemesis: Nemesis{Kinds: FaultKinds()}}
	var cpu [2][]float64 // the process's CPU seconds, one core and all
	timed := func(workers, procs int) float64 {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		start, cpu0 := time.Now(), cpuSeconds()
		if f, err := Search(t, Seeds{Count: 80, Workers: workers}); err != nil || f != nil {
			b.Fatal(err, f)
		}
		k := min(workers-1, 1)
		cpu[k] = append(cpu[k], cpuSeconds()-cpu0)
		return time.Since(start).Seconds()
	}
	var one, all []float64
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for i := 0; i < b.N; i++ {
		one = append(one, timed(1, 1))
		all = append(all, timed(cores, cores))
	}
	runtime.ReadMemStats(&after)

	runs := float64(2 * 80 * b.N)
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/runs, "B/run")
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/runs, "allocs/run")
	b.ReportMetric(float64(after.NumGC-before.NumGC)/runs, "GCs/run")
	sort.Float64s(one)
	sort.Float64s(all)
	med := func(xs []float64) float64 { return xs[len(xs)/2] }
	n := float64(cores)
	b.ReportMetric(n, "cores")
	b.ReportMetric(80/one[0], "seeds/s-1-core")
	b.ReportMetric(80/all[0], "seeds/s-all-cores")
	b.ReportMetric(one[0]/(n*all[0]), "efficiency")
	b.ReportMetric(med(one)/(n*med(all)), "efficiency-medians")
	if cpu[0][0] > 0 {
		// CPU per seed, not wall time: what the collector adds when all
		// cores search, even on a machine too busy for wall times to tell.
		sort.Float64s(cpu[0])
		sort.Float64s(cpu[1])
		b.ReportMetric(med(cpu[0])/med(cpu[1]), "efficiency-cpu")
	}
}
