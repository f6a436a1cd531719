//go:build ignore

// Where does a spike become a storm that stays?
//
// One run answers one what-if. A sweep answers a family of them: the storm
// preset (15 requests/s against a server that takes 50/s, clients with a
// 1 s timeout and three immediate retries) under spikes of every size and
// length, five seeds each. The result is a map with two regions, the runs
// that ride the spike out and the runs that never recover, and a sharp
// edge between them. Then the same map against the load before the spike,
// where the edge is the load whose retries the server can still finish,
// and a capacity question answered the same way: how many servers keep
// the mean wait under 100 ms?
//
// metastable.Sweep and queueing.Sweep take knob names (Config fields) and
// run the compiled model on every core. Run it with:
//
//	dsim run scripts/sweep_boundary.go
//
// or on a cluster, one shard per task (see the README), then merge:
//
//	dsim run -shard 2/4 scripts/sweep_boundary.go
package main

import (
	"fmt"
	"time"

	"dsim/kernel/display"
	"dsim/kernel/script"
	"dsim/sim/scenario/metastable"
	"dsim/sim/scenario/queueing"
	"dsim/sim/sweep"
	"dsim/sim/viz"
)

func main() {
	storm, err := metastable.PresetConfig("storm")
	if err != nil {
		panic(err)
	}

	// 1. Trigger size against trigger length. Each knob names the Config
	// field it sets; durations are in seconds.
	boundary, err := metastable.Sweep(storm, sweep.Spec{
		Name: "boundary",
		Seed: script.Seed(),
		Reps: 5,
		Knobs: []sweep.Knob{
			{Name: "SpikeRate", Values: []float64{30, 40, 45, 50, 60, 70, 80, 100}},
			{Name: "Trigger.Duration", Values: []float64{1, 2, 3, 4, 6, 8, 12}},
		},
	})
	if err != nil {
		panic(err)
	}
	show(boundary.Pivot("metastable", "Trigger.Duration", "SpikeRate"))
	show(viz.SweepHeatmap(boundary, "metastable", "Trigger.Duration", "SpikeRate"))
	// Once a backlog makes every attempt time out, 15 requests/s send 60
	// attempts/s against the 50/s the server finishes: the backlog grows.
	// So no run recovers, drains or sits at the edge: each is stable or
	// metastable, and chance only decides whether a backlog forms.
	fmt.Println("Every run stable or metastable:", total(boundary, "stable")+total(boundary, "metastable") == float64(len(boundary.Points)))

	// 2. The same spike against the load before it. While attempts time
	// out, each request sends four: below 12.5 requests/s (50/s ÷ 4) the
	// server finishes more than that and the backlog drains, slowly
	// (recovering); above it the backlog grows (metastable). At 12 and 13
	// a two-minute run cannot tell.
	spike := storm
	spike.SpikeRate = 80
	load, err := metastable.Sweep(spike, sweep.Spec{
		Name: "load",
		Seed: script.Seed(),
		Reps: 5,
		Knobs: []sweep.Knob{
			{Name: "BaseRate", Values: []float64{5, 10, 12, 13, 15, 20, 25, 30}},
			{Name: "Trigger.Duration", Values: []float64{1, 2, 4, 6, 8, 12}},
		},
	})
	if err != nil {
		panic(err)
	}
	show(load.Pivot("metastable", "Trigger.Duration", "BaseRate"))
	show(load.Pivot("recovering", "Trigger.Duration", "BaseRate"))
	show(viz.SweepHeatmap(load, "metastable", "Trigger.Duration", "BaseRate"))

	// 3. Capacity planning: servers against arrival rate, M/M/c with a
	// 0.5 s mean service, and Erlang C's answer beside the simulation's.
	mmc := queueing.Default()
	mmc.Dependencies = 0
	mmc.Duration = 30 * time.Minute
	mmc.TargetWait = 100 * time.Millisecond
	servers, err := queueing.Sweep(mmc, sweep.Spec{
		Name: "servers",
		Seed: script.Seed(),
		Reps: 3,
		Knobs: []sweep.Knob{
			{Name: "ArrivalRate", Values: []float64{2, 4, 6, 8, 10, 12, 14, 16}},
			{Name: "Servers", Values: []float64{2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}},
		},
	})
	if err != nil {
		panic(err)
	}
	table, fig, err := queueing.ServersNeededTable(mmc, servers)
	if err != nil {
		panic(err)
	}
	display.Show(table)
	display.Show(fig)
}

// show displays a table or figure, or the error that came instead.
func show(v any, err error) {
	if err != nil {
		fmt.Println(err)
		return
	}
	display.Show(v)
}

// total adds a metric's means over every point of a sweep.
func total(r *sweep.Result, metric string) float64 {
	sum := 0.0
	for _, p := range r.Points {
		sum += r.Stat(p.Index, metric).Mean
	}
	return sum
}

// Output:
// Sweep boundary: share of runs metastable
// SpikeRate (req/s) \ Trigger.Duration (s)  1 s  2 s  3 s  4 s  6 s  8 s  12 s
// ----------------------------------------  ---  ---  ---  ---  ---  ---  ----
// 30 req/s                                    0    0    0    0    0    0     0
// 40 req/s                                    0    0    0    0    0    0     0
// 45 req/s                                    0    0    0  0.2  0.4  0.6   0.8
// 50 req/s                                    0    0  0.4  0.8  0.8    1     1
// 60 req/s                                    0  0.6    1    1    1    1     1
// 70 req/s                                    0    1    1    1    1    1     1
// 80 req/s                                  0.2    1    1    1    1    1     1
// 100 req/s                                   1    1    1    1    1    1     1
// figure: out/boundary-metastable-heatmap.svg (and .png)
// Every run stable or metastable: true
// Sweep load: share of runs metastable
// BaseRate (req/s) \ Trigger.Duration (s)  1 s  2 s  4 s  6 s  8 s  12 s
// ---------------------------------------  ---  ---  ---  ---  ---  ----
// 5 req/s                                    0    0    0    0    0     0
// 10 req/s                                   0    0    0    0    0     0
// 12 req/s                                   0    0    0    0    0     0
// 13 req/s                                 0.2  0.4    1  0.4  0.6   0.8
// 15 req/s                                 0.4    1    1    1    1     1
// 20 req/s                                   1    1    1    1    1     1
// 25 req/s                                   1    1    1    1    1     1
// 30 req/s                                   1    1    1    1    1     1
// Sweep load: share of runs recovering
// BaseRate (req/s) \ Trigger.Duration (s)  1 s  2 s  4 s  6 s  8 s  12 s
// ---------------------------------------  ---  ---  ---  ---  ---  ----
// 5 req/s                                    0    0    0    0    0     1
// 10 req/s                                   0    0  0.2    1    1     1
// 12 req/s                                   0    0  0.6  0.4  0.6   0.6
// 13 req/s                                   0    0    0    0    0     0
// 15 req/s                                   0    0    0    0    0     0
// 20 req/s                                   0    0    0    0    0     0
// 25 req/s                                   0    0    0    0    0     0
// 30 req/s                                   0    0    0    0    0     0
// figure: out/load-metastable-heatmap.svg (and .png)
// Servers for a mean wait ≤ 100ms (mean holding 500ms)
// arrivals (req/s)  load λ/μ  Erlang C servers  simulated servers  simulated mean wait  ± 95%    Erlang C mean wait
// ----------------  --------  ----------------  -----------------  -------------------  -------  ------------------
//                2         1                 3                  3              23.05ms  9.995ms             22.73ms
//                4         2                 4                  4              39.65ms  15.68ms             43.48ms
//                6         3                 5                  5              66.09ms  13.18ms             59.04ms
//                8         4                 6                  6               70.6ms  45.43ms             71.19ms
//               10         5                 7                  7              88.25ms  4.329ms             81.04ms
//               12         6                 8                  8              80.87ms  27.97ms             89.25ms
//               14         7                 9                  9              88.33ms  32.38ms             96.24ms
//               16         8                11                 11              38.03ms  15.37ms             40.83ms
// Erlang C servers: the fewest for which M/M/c theory's mean wait meets the target. Simulated servers: the fewest in the sweep whose mean wait over 3 runs did; the last column is theory's mean wait at that count.
// figure: out/queueing-servers-needed.svg (and .png)
