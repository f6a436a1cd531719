package crdt

import (
	"fmt"
	"strings"
	"time"

	"dsim/sim/metrics"
	"dsim/sim/scenario"
)

// The lesson's exercises are checked here, over many seeds, so that an
// answer right by the luck of one run is not called right and the
// notebook's exercise cell does not hold its answer.

// The gossip exercise: with anti-entropy only (no merge after an
// operation), the longest period, of GossipPeriods, with which at least
// DeadlineShare of DeadlineRuns runs (seeds 1 to DeadlineRuns) converge
// within Deadline of the last increment.
const (
	Deadline      = 3 * time.Second
	DeadlineShare = 0.9
	DeadlineRuns  = 40
)

// GossipPeriods are the anti-entropy periods the gossip exercise chooses
// from.
func GossipPeriods() []time.Duration {
	return []time.Duration{250 * time.Millisecond, 500 * time.Millisecond, time.Second,
		1500 * time.Millisecond, 2 * time.Second, 3 * time.Second}
}

// AntiEntropyOnly is the counter of the gossip sweep and exercise: the
// seed preset with merges after operations off, so that only anti-entropy
// spreads updates.
func AntiEntropyOnly() Config {
	cfg := Default()
	cfg.MergeProbability = 0 // off
	return cfg
}

// DeadlineRecord is how often runs converged within a deadline.
type DeadlineRecord struct {
	Period, Within time.Duration
	Met, Runs      int
	// Mean is the mean time to converge after the last operation, over
	// the runs that converged.
	Mean time.Duration
}

// Share is the fraction of runs that met the deadline.
func (d DeadlineRecord) Share() float64 { return float64(d.Met) / float64(max(1, d.Runs)) }

func (d DeadlineRecord) String() string {
	return fmt.Sprintf("with anti-entropy every %v, %d of %d runs (%s) converged within %v of the last operation (mean %v)",
		d.Period, d.Met, d.Runs, metrics.Pct(d.Share()), d.Within, d.Mean.Round(10*time.Millisecond))
}

// Markdown is the record for a notebook.
func (d DeadlineRecord) Markdown() string { return d.String() }

// MeetsDeadline runs cfg with anti-entropy every period on seeds 1 to
// runs (1 to 1000), and counts the runs that converged within `within` of
// their last operation.
func MeetsDeadline(cfg Config, period, within time.Duration, runs int) (DeadlineRecord, error) {
	if runs < 1 || runs > 1000 {
		return DeadlineRecord{}, fmt.Errorf("crdt: runs=%d: must be between 1 and 1000", runs)
	}
	if within <= 0 {
		return DeadlineRecord{}, fmt.Errorf("crdt: within=%v: must be positive", within)
	}
	d := DeadlineRecord{Period: period, Within: within, Runs: runs}
	var sum time.Duration
	converged := 0
	for seed := 1; seed <= runs; seed++ {
		c := cfg
		c.Seed, c.GossipPeriod = uint64(seed), period
		res, err := Run(c)
		if err != nil {
			return DeadlineRecord{}, err
		}
		if res.Converged {
			converged++
			sum += res.ConvergenceTime()
			if res.ConvergenceTime() <= within {
				d.Met++
			}
		}
	}
	if converged > 0 {
		d.Mean = sum / time.Duration(converged)
	}
	return d, nil
}

// CheckGossipPeriod checks the gossip exercise's answer, the longest
// period meeting the deadline, and compares the prediction (the share of
// runs, 0 to 1, that meet it with anti-entropy every second; 0: none
// made) with the runs.
func CheckGossipPeriod(prediction float64, answer time.Duration) scenario.Check {
	recs := map[time.Duration]DeadlineRecord{}
	var right DeadlineRecord
	for _, p := range GossipPeriods() {
		d, err := MeetsDeadline(AntiEntropyOnly(), p, Deadline, DeadlineRuns)
		if err != nil {
			return scenario.Checkf(false, "the runs failed: %v", err)
		}
		recs[p] = d
		if d.Share() >= DeadlineShare {
			right = d
		}
	}
	second := recs[time.Second]
	said := "You made no prediction."
	if prediction > 0 {
		said = fmt.Sprintf("You predicted %s with a 1s period; %s.", metrics.Pct(prediction), second)
	}
	got, known := recs[answer]
	switch {
	case answer == 0:
		return scenario.Checkf(false, "set answer to one of the periods %v.", GossipPeriods())
	case !known:
		return scenario.Checkf(false, "%v is not one of the periods to choose from, %v.", answer, GossipPeriods())
	case got.Share() < DeadlineShare:
		return scenario.Checkf(false, "%s: below the target of %s. Look at the share of runs that meet the deadline, not at the mean. %s",
			got, metrics.Pct(DeadlineShare), said)
	case answer < right.Period:
		return scenario.Checkf(false, "%s, which meets the target, but a longer period meets it too. %s", got, said)
	}
	return scenario.Checkf(true, "%s. With a 1s period the mean is under the deadline, yet only %d of %d runs meet it: "+
		"an update reaches every replica after a random number of gossip rounds, each up to a period long, plus network delays "+
		"(%v each), and a longer period stretches the slow runs more than the mean. %s", right, second.Met, second.Runs, AntiEntropyOnly().NetworkDelay, said)
}

// The "why" question of the clock-skew experiment: why does an
// acknowledged LWW write get lost? The choices, as the lesson lists them:
//
//	a: the network lost the messages that carried it;
//	b: replicas merged the writes in different orders, and the last merge won;
//	c: each replica stamps writes with its own clock; a clock running
//	   ahead gives an earlier write a larger stamp, and LWW keeps the
//	   largest stamp;
//	d: a register keeps one value, so of two writes close together one is
//	   always lost.
const WhyLostRuns = 5

// CheckWhyWritesLost checks the chosen explanation ("a" to "d") against
// the lww-skew preset, run on seeds 1 to WhyLostRuns with and without
// clock skew.
func CheckWhyWritesLost(choice string) scenario.Check {
	lost, calm, netLost, converged, ops := 0, 0, 0, 0, 0
	var skew time.Duration
	for seed := uint64(1); seed <= WhyLostRuns; seed++ {
		cfg, err := PresetConfig("lww-skew")
		if err != nil {
			return scenario.Checkf(false, "%v", err)
		}
		cfg.Seed, skew = seed, cfg.ClockSkew
		skewed, err := Run(cfg)
		if err != nil {
			return scenario.Checkf(false, "the runs failed: %v", err)
		}
		cfg.ClockSkew = 0
		synced, err := Run(cfg)
		if err != nil {
			return scenario.Checkf(false, "the runs failed: %v", err)
		}
		lost, calm, ops = lost+skewed.LostWrites, calm+synced.LostWrites, ops+skewed.Ops
		netLost += int(skewed.Network.Lost)
		if skewed.Converged {
			converged++
		}
	}
	facts := fmt.Sprintf("Over %d runs of lww-skew, %d of %d acknowledged writes were lost with clocks %v either side of true time, and %d with the clocks in sync.",
		WhyLostRuns, lost, ops, skew, calm)
	switch strings.ToLower(strings.TrimSpace(choice)) {
	case "c":
		return scenario.Checkf(true, "%s Nothing else changed between the two: the same operations, the same network. LWW keeps the write with the largest stamp, and a replica whose clock runs ahead stamps its write later than a write made after it elsewhere.", facts)
	case "a":
		return scenario.Checkf(false, "%s The network lost %d messages in those runs (Loss is 0), and every replica still ended with the same value: the writes did arrive, and lost the merge.", facts, netLost)
	case "b":
		return scenario.Checkf(false, "%s Merge is commutative: %d of %d runs ended with every replica holding the same state, whatever order its messages came in. The order of merges cannot choose the winner; the stamps do.", facts, converged, WhyLostRuns)
	case "d":
		return scenario.Checkf(false, "%s A write overwritten by a later one is what a register means, and is not counted as lost; with synchronised clocks nothing is lost. What loses a write is a winner made earlier in real time.", facts)
	case "":
		return scenario.Checkf(false, "choose one of the explanations: set why to \"a\", \"b\", \"c\" or \"d\".")
	}
	return scenario.Checkf(false, "%q is not one of the choices: set why to \"a\", \"b\", \"c\" or \"d\".", choice)
}
