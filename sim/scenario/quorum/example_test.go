package quorum_test

import (
	"fmt"
	"time"

	"dsim/sim/scenario/quorum"
	"dsim/sim/sweep"
)

// A partition under Strong quorums: the minority side cannot reach three
// replicas and fails; the majority side carries on, and what clients saw
// is linearizable.
func Example() {
	cfg := quorum.Default()
	cfg.Seed = 1
	cfg.Partition.Duration = 10 * time.Second // from 10s, the default start
	res, err := quorum.Run(cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Verdict())
	// Output:
	// Consistent: the history is linearizable (0 stale reads, 0 inverted reads, 0 acknowledged writes lost). During the fault, the majority side answered 100% and the minority side answered 0%.
}

// The same partition under Eventual: both sides stay available, and reads
// go stale.
func Example_eventual() {
	cfg, _ := quorum.PresetConfig("partition-eventual")
	cfg.Seed = 1
	res, _ := quorum.Run(cfg)
	v := res.Verdict()
	fmt.Println(v.Check, v.StaleReads > 0, v.Available)
	// Output:
	// not linearizable true [1 1]
}

// PACELC's else: quorum latency follows network latency.
func ExampleCompareTable() {
	lan, _ := quorum.PresetConfig("lan")
	wan, _ := quorum.PresetConfig("wan")
	weak, _ := quorum.PresetConfig("wan-weak")
	var rs []*quorum.Result
	for _, c := range []quorum.Config{lan, wan, weak} {
		c.Seed = 1
		r, _ := quorum.Run(c)
		rs = append(rs, r)
	}
	fmt.Print(quorum.CompareTable([]string{"lan", "wan", "wan-weak"}, rs...).Text())
	// Output:
	// Side by side
	// metric             lan                  wan                            wan-weak
	// -----------------  -------------------  -----------------------------  -----------------------------
	// model (N, R, W)    strong (5, 3, 3)     strong (5, 3, 3)               weak (5, 1, 1)
	// network latency    lognormal(1ms, 0.3)  lognormal(75ms, 0.3)           lognormal(75ms, 0.3)
	// regions            1                    5, lognormal(1ms, 0.3) inside  5, lognormal(1ms, 0.3) inside
	// read mean / p99    11.1ms / 17.0ms      150.2ms / 205.7ms              11.6ms / 25.5ms
	// write mean / p99   11.1ms / 18.0ms      147.9ms / 185.1ms              11.6ms / 28.1ms
	// failed operations                   0%                             0%                             0%
	// stale reads                          0                              0                             38
	// inverted reads                       0                              0                             70
	// lost writes                          0                              0                              0
	// linearizable       linearizable         linearizable                   not linearizable
}

// t-visibility for the paper's LinkedIn SSD profile: a read right after
// the write commits sees it 97% of the time, and almost surely 2ms later.
func ExamplePBS() {
	p, _ := quorum.ProfileByName("LNKD-SSD")
	res, _ := quorum.PBS(quorum.PBSConfig{Profile: p, N: 3, R: 1, W: 1, Seed: 1, Times: []time.Duration{0, 2 * time.Millisecond}})
	fmt.Printf("t=0: %.1f%%, t=2ms: %.1f%%\n", 100*res.At(0), 100*res.At(2*time.Millisecond))
	// Output:
	// t=0: 97.4%, t=2ms: 99.9%
}

// Quorum intersection as a sweep: under the partition, how often is a run
// inconsistent for each read quorum R of five replicas (W = 3)?
func ExampleSweep() {
	base, _ := quorum.PresetConfig("partition-strong")
	res, err := quorum.Sweep(base, sweep.Spec{Seed: 1, Reps: 3, Knobs: []sweep.Knob{{Name: "R", Values: []float64{1, 2, 3}}}})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range res.Points {
		fmt.Printf("R=%d: inconsistent in %.0f%% of runs\n", p.Int("R"), 100*res.Stat(p.Index, "inconsistent").Mean)
	}
	// Output:
	// R=1: inconsistent in 100% of runs
	// R=2: inconsistent in 100% of runs
	// R=3: inconsistent in 0% of runs
}

// The knobs, by the names the command line and sweeps take: a few rows
// of the table (knob, flag, default, range).
func ExampleKnobTable() {
	for _, row := range quorum.KnobTable().Rows {
		switch row[0] {
		case "R", "NetworkLatency", "Partition.Start", "Partition.Duration":
			fmt.Printf("%-19v %-20v %-22v %v\n", row[0], row[1], row[3], row[4])
		}
	}
	// Output:
	// R                   -r                   the model's            1 to 15; 0: auto (the model's)
	// NetworkLatency      -network-latency     lognormal(50ms, 0.3)   mean 0s to 1m
	// Partition.Start     -partition-start     10s                    0s to 24h; 0: at the start of the run
	// Partition.Duration  -partition-duration  0s                     1ms to 24h; 0: no partition
}
