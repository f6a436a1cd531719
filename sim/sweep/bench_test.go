package sweep_test

import (
	"context"
	"runtime"
	"sort"
	"testing"
	"time"

	"dsim/sim/sweep"
)

// forty is a sweep of 40 runs of the retry storm: 4 spike sizes × 2
// trigger lengths × 5 replications.
func forty(workers int) sweep.Spec {
	return sweep.Spec{Name: "forty", Seed: 1, Reps: 5, Workers: workers, Knobs: []sweep.Knob{
		{Name: "spike", Values: []float64{20, 30, 40, 50}},
		{Name: "trigger", Values: []float64{5, 10}},
		{Name: "minutes", Values: []float64{30}},
	}}
}

// BenchmarkParallelEfficiency times the 40-run sweep on one core (one
// worker, GOMAXPROCS 1: a one-core machine) and with a worker per core,
// interleaved, and reports efficiency = T(1 core) / (cores × T(cores)) from
// the fastest of each (1 is a perfect speed-up): wall-clock time on a
// shared virtual machine is noisy, and the fastest run is the one the
// noise touched least. It also reports the efficiency from the medians,
// and against one worker on all cores, which is lower because there the
// Go runtime's garbage collector works on the idle core for free.
func BenchmarkParallelEfficiency(b *testing.B) {
	cores := runtime.GOMAXPROCS(0)
	var single, oneWorker, all []float64
	timed := func(workers, procs int) float64 {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		start := time.Now()
		if _, err := sweep.Run(context.Background(), forty(workers), storm); err != nil {
			b.Fatal(err)
		}
		return time.Since(start).Seconds()
	}
	for i := 0; i < b.N; i++ {
		single = append(single, timed(1, 1))
		oneWorker = append(oneWorker, timed(1, cores))
		all = append(all, timed(cores, cores))
	}
	for _, xs := range [][]float64{single, oneWorker, all} {
		sort.Float64s(xs)
	}
	med := func(xs []float64) float64 { return xs[len(xs)/2] }
	n := float64(cores)
	b.ReportMetric(single[0], "s/sweep-1-core")
	b.ReportMetric(all[0], "s/sweep-all-cores")
	b.ReportMetric(n, "cores")
	b.ReportMetric(single[0]/(n*all[0]), "efficiency")
	b.ReportMetric(med(single)/(n*med(all)), "efficiency-medians")
	b.ReportMetric(oneWorker[0]/(n*all[0]), "efficiency-vs-1-worker")
}
