//go:build ignore

// How long is a Raft cluster without a leader when its leader dies, and
// what does that cost the clients?
//
// Part 1 is the paper's Figure 16 (Ongaro and Ousterhout, 2014, §9.3):
// five servers whose logs differ in length, the leader crashed at a
// random moment of its heartbeat interval, the time until a new leader
// is elected, over many trials, for several election timeout ranges.
// With no randomness the followers time out together, each votes for
// itself, and the split repeats forever; a few milliseconds of
// randomness separate them; shorter timeouts elect sooner.
//
// Part 2 runs a cluster under lin-kv load through a partition that cuts
// the leader off with one follower, and draws each server's role and
// term over time and the logs just before the partition heals: the old
// leader's entries of its term, never committed, beside the new leader's.
//
// Run it with:
//
//	dsim run scripts/raft_election.go
package main

import (
	"fmt"

	"dsim/kernel/display"
	"dsim/sim/lab/raft"
)

// trials per range: the paper ran 1,000; 100 keep the script quick.
const trials = 100

// paper is what the paper reports for a range, where it gives a number.
var paper = map[string]string{
	"150-150ms": "no leader in 10 s, all trials (split votes)",
	"150-155ms": "median 287 ms",
	"150-200ms": "worst case 513 ms over 1,000 trials",
	"12-24ms":   "mean 35 ms, longest 152 ms",
}

func main() {
	groups := []struct {
		title  string
		ranges []raft.Range
	}{
		{"Time without a leader: randomness of the election timeout", raft.RandomnessRanges()},
		{"Time without a leader: scale of the election timeout", raft.ScaleRanges()},
	}
	for _, g := range groups {
		stats, err := raft.ElectionTimes(raft.Election{}, g.ranges, trials, 1)
		if err != nil {
			fmt.Println(err)
			return
		}
		for _, s := range stats {
			fmt.Println(s)
			if p, ok := paper[s.Range.String()]; ok {
				fmt.Printf("    the paper: %s\n", p)
			}
		}
		display.Show(raft.ElectionFigure(stats, g.title))
	}

	a, err := raft.Availability(raft.Config{}, raft.LeaderMinorityPartition, 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(a)
	fmt.Println(a.Result.Verdicts[0].Summary)
	timeline, err := raft.Timeline(a.Result, "The leader cut off with a minority")
	if err != nil {
		fmt.Println(err)
		return
	}
	display.Show(timeline)
	if logs, ok := raft.Logs(a.Result); ok {
		display.Show(raft.LogsFigure(logs, "The logs just before the partition heals"))
	}
}

// Output:
// 150-150ms   median    ≥10s, mean    ≥10s, p99    ≥10s, max    ≥10s; 100 of 100 trials with no leader within 10s; 6630 split votes
//     the paper: no leader in 10 s, all trials (split votes)
// 150-151ms   median  7.946s, mean ≥7.191s, p99    ≥10s, max    ≥10s; 38 of 100 trials with no leader within 10s; 4711 split votes
// 150-155ms   median   547ms, mean   666ms, p99  2.572s, max  2.884s; 0 of 100 trials with no leader within 10s; 358 split votes
//     the paper: median 287 ms
// 150-175ms   median   133ms, mean   151ms, p99   316ms, max   411ms; 0 of 100 trials with no leader within 10s; 16 split votes
// 150-200ms   median   131ms, mean   139ms, p99   295ms, max   307ms; 0 of 100 trials with no leader within 10s; 5 split votes
//     the paper: worst case 513 ms over 1,000 trials
// 150-300ms   median   153ms, mean   152ms, p99   236ms, max   244ms; 0 of 100 trials with no leader within 10s; 0 split votes
// figure: out/time-without-a-leader-randomness-of-the-election-timeout.svg (and .png)
// 12-24ms     median    21ms, mean    29ms, p99    65ms, max    71ms; 0 of 100 trials with no leader within 10s; 54 split votes
//     the paper: mean 35 ms, longest 152 ms
// 25-50ms     median    33ms, mean    37ms, p99    78ms, max   121ms; 0 of 100 trials with no leader within 10s; 14 split votes
// 50-100ms    median    57ms, mean    58ms, p99   107ms, max   174ms; 0 of 100 trials with no leader within 10s; 3 split votes
// 100-200ms   median   105ms, mean   106ms, p99   166ms, max   216ms; 0 of 100 trials with no leader within 10s; 1 split votes
// 150-300ms   median   153ms, mean   152ms, p99   236ms, max   244ms; 0 of 100 trials with no leader within 10s; 0 split votes
// figure: out/time-without-a-leader-scale-of-the-election-timeout.svg (and .png)
// leader-minority-partition   376 answered,   0 refused,  18 timed out; longest with no answer 539ms, without a leader 202ms
// the 384 operations on 3 keys are linearizable
// figure: out/the-leader-cut-off-with-a-minority.svg (and .png)
// figure: out/the-logs-just-before-the-partition-heals.svg (and .png)
