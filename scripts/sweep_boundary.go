//go:build ignore

// Where does a spike become a storm that stays?
//
// One run answers one what-if. A sweep answers a family of them: the storm
// preset (15 requests/s against a server that takes 50/s, clients with a
// 1 s timeout and three immediate retries) under spikes of every size and
// length, five seeds each. The result is a map with two regions, the runs
// that ride the spike out and the runs that never recover. The edge lies
// below the server's capacity: Headroom shows why (at 45 requests/s a
// request already takes 0.93 s of the 1 s timeout). Then the same map
// against the load before the spike, where the edge is the load whose
// retries the server can still finish, and a capacity question answered
// the same way, decided with the intervals: how many servers keep the
// mean wait under 100 ms?
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
	"dsim/sim/metrics"
	"dsim/sim/scenario/metastable"
	"dsim/sim/scenario/queueing"
	"dsim/sim/sweep"
	"dsim/sim/viz"
)

func main() {
	storm, err := metastable.PresetConfig("storm")
	if err != nil {
		display.Show(err)
		return
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
		display.Show(err)
		return
	}
	show(boundary.Pivot("metastable", "Trigger.Duration", "SpikeRate"))
	show(viz.SweepHeatmap(boundary, "metastable", "Trigger.Duration", "SpikeRate"))
	// Once a backlog makes every attempt time out, 15 requests/s send 60
	// attempts/s against the 50/s the server finishes: the backlog grows.
	// So no run recovers, drains or sits at the edge: each is stable or
	// metastable, and chance only decides whether a backlog forms.
	display.Show(fmt.Sprint("Every run stable or metastable: ", total(boundary, "stable")+total(boundary, "metastable") == float64(len(boundary.Points))))

	// Why the edge lies below 50 requests/s: at a steady load, with
	// clients that never time out, how long a request takes against
	// Little's law, and how many take longer than the 1 s timeout.
	show2(metastable.Headroom(storm, []float64{30, 40, 45, 50}, 10))

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
		display.Show(err)
		return
	}
	show(load.Pivot("metastable", "Trigger.Duration", "BaseRate"))
	show(load.Pivot("recovering", "Trigger.Duration", "BaseRate"))
	show(viz.SweepHeatmap(load, "metastable", "Trigger.Duration", "BaseRate"))

	// 3. Capacity planning: servers against arrival rate, M/M/c with a
	// 0.5 s mean service, decided with the 95% intervals of ten runs per
	// point, and Erlang C's answer beside the simulation's.
	mmc := queueing.Default()
	mmc.Dependencies = 0
	mmc.Duration = 30 * time.Minute
	mmc.TargetWait = 100 * time.Millisecond
	servers, err := queueing.Sweep(mmc, sweep.Spec{
		Name: "servers",
		Seed: script.Seed(),
		Reps: 10,
		Knobs: []sweep.Knob{
			{Name: "ArrivalRate", Values: []float64{2, 4, 6, 8, 10, 12, 14, 16}},
			{Name: "Servers", Values: []float64{2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}},
		},
	})
	if err != nil {
		display.Show(err)
		return
	}
	show2(queueing.ServersNeededTable(mmc, servers))
}

// show displays a table or figure, or the error that came instead.
func show(v any, err error) {
	if err != nil {
		display.Show(err)
		return
	}
	display.Show(v)
}

// show2 displays a table and a figure, or the error that came instead.
func show2(t *metrics.Table, f *viz.Figure, err error) {
	if err != nil {
		display.Show(err)
		return
	}
	display.Show(t)
	display.Show(f)
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
// Headroom: 50 slots, const(500ms) + 10ms per request in service, against a 1s timeout; 10 runs of 2m0s per rate
// load (req/s)  in service  time per request   Little's law  slower than the timeout
// ------------  ----------  -----------------  ------------  -----------------------
//           30  21.3 ± 0.3  0.723 s ± 0.003 s  0.729 s       0.0% (0.0% to 0.0%)
//           40  34.2 ± 0.4  0.852 s ± 0.004 s  0.850 s       0.8% (0.3% to 1.4%)
//           45  40.8 ± 0.7  0.929 s ± 0.011 s  0.927 s       14.0% (10.5% to 17.5%)
//           50  49.0 ± 0.4  1.660 s ± 0.224 s  queues        87.3% (80.7% to 93.9%)
// Clients here wait as long as it takes, so nothing feeds back. Little's law: S = (Service + Slope) / (1 − λ·Slope) while fewer than 50 are in service; past that, requests queue. Slower than the timeout: the share of requests that took longer than 1s; with the clients' timeout each would time out and come back as a retry.
// figure: out/metastable-headroom.svg (and .png)
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
// Servers for a mean wait ≤ 100ms (mean holding 500ms), 10 runs per point
// arrivals (req/s)  load λ/μ  Erlang C servers  simulated servers  simulated mean wait (95% interval)  Erlang C mean wait  one server fewer
// ----------------  --------  ----------------  -----------------  ----------------------------------  ------------------  --------------------------------------------------
//                2         1                 3                  3  22.72ms (19.81ms to 25.64ms)                   22.73ms  misses (153.2ms to 181.9ms)
//                4         2                 4                  4  41.42ms (38.4ms to 44.44ms)                    43.48ms  misses (207.9ms to 239.1ms)
//                6         3                 5                  5  63.66ms (58.64ms to 68.68ms)                   59.04ms  misses (249.3ms to 309.3ms)
//                8         4                 6                  6  71.95ms (64.56ms to 79.34ms)                   71.19ms  misses (259.8ms to 298.6ms)
//               10         5                 7                  7  85.16ms (76.79ms to 93.52ms)                   81.04ms  misses (280.3ms to 335.2ms)
//               12         6                 8                  8  89.07ms (82ms to 96.15ms)                      89.25ms  misses (267.3ms to 323.7ms)
//               14         7                 9                 10  36.46ms (34.38ms to 38.53ms)                   36.96ms  cannot tell (85.6ms to 101.1ms; Erlang C 96.24ms)
//               16         8                11                 11  41.21ms (37.85ms to 44.57ms)                   40.83ms  cannot tell (95.58ms to 109.7ms; Erlang C 102.3ms)
// Decided with 95% intervals over 10 runs: simulated servers is the fewest swept whose whole interval lies under the target; "one server fewer" says whether its interval lies wholly above it (misses) or holds it (cannot tell). Erlang C mean wait is theory's at the simulated count.
// At 2 of 8 rates the runs cannot tell whether one server fewer would do: its mean wait is within chance of the target. More runs narrow the intervals.
// figure: out/queueing-servers-needed.svg (and .png)
