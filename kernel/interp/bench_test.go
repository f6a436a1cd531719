package interp

import (
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"dsim/sim/scenario/metastable"
)

// The same scenario, configured and run from compiled Go and from a
// script under the runner (interpreter set-up and parsing included): the
// heavy work is compiled either way, so the two should be within a few
// percent. Ten virtual minutes at 1,000 requests/s, as in BenchmarkHour.
const scenarioScript = `package main

import (
	"time"

	"dsim/sim/scenario/metastable"
)

func main() {
	c := metastable.Default()
	c.Duration = 10 * time.Minute
	c.BaseRate = 1000
	c.Capacity = 1000
	c.Slope = 100 * time.Microsecond
	c.Window = 10 * time.Second
	if _, err := metastable.Run(c); err != nil {
		panic(err)
	}
}
`

func BenchmarkScenario(b *testing.B) {
	b.Run("compiled", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			c := metastable.Default()
			c.Duration = 10 * time.Minute
			c.BaseRate = 1000
			c.Capacity = 1000
			c.Slope = 100 * time.Microsecond
			c.Window = 10 * time.Second
			if _, err := metastable.Run(c); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("script", func(b *testing.B) {
		file := filepath.Join(b.TempDir(), "scenario.go")
		if err := os.WriteFile(file, []byte(scenarioScript), 0o644); err != nil {
			b.Fatal(err)
		}
		for i := 0; i < b.N; i++ {
			h := New(Options{Stdout: io.Discard, Stderr: io.Discard})
			if err := h.RunFile(context.Background(), file); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// A script's scenario sweep: metastable.Sweep runs the compiled model, so
// from a script it uses every core. The sweep is the boundary lesson's
// (scripts/sweep_boundary.go): 49 points × 5 seeds of the storm preset,
// 245 runs of two virtual minutes. It runs with one worker and with a
// worker per core, interleaved; the speed-up is from the fastest of each,
// interpreter set-up included.
const sweepScript = `package main

import (
	"dsim/sim/scenario/metastable"
	"dsim/sim/sweep"
)

func main() {
	base, _ := metastable.PresetConfig("storm")
	spec := sweep.Spec{Seed: 1, Reps: 5, Workers: WORKERS, Knobs: []sweep.Knob{
		{Name: "SpikeRate", Values: []float64{30, 40, 50, 60, 70, 80, 100}},
		{Name: "Trigger.Duration", Values: []float64{1, 2, 3, 4, 6, 8, 12}}}}
	if _, err := metastable.Sweep(base, spec); err != nil {
		panic(err)
	}
}
`

func BenchmarkScriptSweep(b *testing.B) {
	cores := runtime.GOMAXPROCS(0)
	dir := b.TempDir()
	files := map[int]string{}
	for _, w := range []int{1, cores} {
		files[w] = filepath.Join(dir, fmt.Sprintf("sweep%d.go", w))
		if err := os.WriteFile(files[w], []byte(strings.Replace(sweepScript, "WORKERS", fmt.Sprint(w), 1)), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	run := func(w int) float64 {
		start := time.Now()
		h := New(Options{Stdout: io.Discard, Stderr: io.Discard})
		if err := h.RunFile(context.Background(), files[w]); err != nil {
			b.Fatal(err)
		}
		return time.Since(start).Seconds()
	}
	one, all := math.Inf(1), math.Inf(1)
	for i := 0; i < b.N; i++ {
		one = math.Min(one, run(1))
		all = math.Min(all, run(cores))
	}
	b.ReportMetric(float64(cores), "cores")
	b.ReportMetric(one/all, "speed-up")
	b.ReportMetric(one/(float64(cores)*all), "efficiency")
}
