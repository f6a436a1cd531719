package quorum

import (
	"fmt"
	"math"
	"time"

	"dsim/sim"
	"dsim/sim/metrics"
	"dsim/sim/scenario"
	"dsim/sim/scenario/internal/grade"
)

// The lessons' exercises are checked here, over ExerciseSeeds seeds, so
// that an answer right by the luck of one run is not called right and a
// notebook's exercise cell does not hold its answer.

// ExerciseSeeds is how many runs (seeds 1 to ExerciseSeeds) each check
// makes of each configuration it tries.
const ExerciseSeeds = 5

// NoPrediction is a prediction not yet made.
const NoPrediction = -1.0

// runSeeds runs cfg on seeds 1 to ExerciseSeeds.
func runSeeds(cfg Config) ([]*Result, error) {
	var out []*Result
	for seed := uint64(1); seed <= ExerciseSeeds; seed++ {
		cfg.Seed = seed
		r, err := Run(cfg)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

func couldNotRun(err error) scenario.Check {
	return scenario.Checkf(false, "the runs failed: %v", err)
}

// sideShare is the share of a side's reads or writes, started during the
// partition, that succeeded (NaN when there were none).
func sideShare(r *Result, side string, write bool) float64 {
	from, to := sim.FromDuration(r.Config.Partition.Start), sim.FromDuration(r.Config.Partition.End())
	n, ok := 0, 0
	for _, o := range r.Ops {
		if o.Side == side && o.Write == write && o.Start >= from && o.Start < to {
			n++
			if o.OK {
				ok++
			}
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return float64(ok) / float64(n)
}

// minorityRuns is what the partition exercise measures over its seeds.
type minorityRuns struct {
	reads, writes float64 // lowest share answered over the seeds: minority reads, majority writes
	stale         int64
}

func partitionWith(r, w int) (minorityRuns, error) {
	cfg, err := PresetConfig("partition-strong")
	if err != nil {
		return minorityRuns{}, err
	}
	cfg.R, cfg.W = r, w
	runs, err := runSeeds(cfg)
	if err != nil {
		return minorityRuns{}, err
	}
	m := minorityRuns{reads: 1, writes: 1}
	for _, res := range runs {
		m.reads = math.Min(m.reads, sideShare(res, Sides[1], false))
		m.writes = math.Min(m.writes, sideShare(res, Sides[0], true))
		m.stale += res.StaleReads
	}
	return m, nil
}

// CheckMinorityReads checks lesson 04's partition exercise: with N = 5
// and partition-strong's partition (r1-r3 with half the clients, r4-r5
// with the others), choose R and W so that the minority side's reads are
// all answered during the partition while every read is guaranteed to
// see every write completed before it began. prediction is the share of
// the majority side's writes the student expects answered during the
// partition (0 to 1; NoPrediction when none was made).
func CheckMinorityReads(prediction float64, r, w int) scenario.Check {
	const n = 5
	if r < 1 || r > n || w < 1 || w > n {
		return scenario.Checkf(false, "set R and W, each from 1 to N=%d (now R=%d, W=%d).", n, r, w)
	}
	got, err := partitionWith(r, w)
	if err != nil {
		return couldNotRun(err)
	}
	said := "You made no prediction."
	if prediction != NoPrediction {
		said = fmt.Sprintf("You predicted %s of the majority side's writes answered; the lowest over %d seeds was %s.",
			metrics.Pct(prediction), ExerciseSeeds, metrics.Pct(got.writes))
	}
	measured := fmt.Sprintf("With R=%d, W=%d, during the partition the minority side answered %s of its reads and the majority side %s of its writes (the lowest of %d seeds); %d reads were stale.",
		r, w, metrics.Pct(got.reads), metrics.Pct(got.writes), ExerciseSeeds, got.stale)
	switch {
	case r+w <= n:
		return scenario.Checkf(false, "%s %s R+W=%d does not exceed N=%d, so a read quorum can miss a write quorum (the minority's r4, r5 against a write on r1-r3): nothing guarantees that a read sees the last completed write, whatever a few runs show.",
			measured, said, r+w, n)
	case got.reads < 1:
		return scenario.Checkf(false, "%s %s A minority client reaches only r4 and r5: with R=%d it cannot gather a read quorum, and its reads time out.", measured, said, r)
	case got.stale > 0:
		return scenario.Checkf(false, "%s %s R+W>N should have prevented every stale read; the model disagrees, which is worth a bug report.", measured, said)
	}
	return scenario.Checkf(true, "%s %s Two replicas are enough to read, and R+W=%d>%d makes every read quorum meet every write quorum. The price is paid by writes: W=%d needs replicas on both sides, so during the partition writes fail everywhere. CAP holds per operation: here reads chose availability, writes consistency.",
		measured, said, r+w, n, w)
}

// inversionFacts is what the runs of slow-replicas show about inverted
// reads.
type inversionFacts struct {
	inverted, stale, lost int64
	messages, dropped     int64
	firsts, inProgress    int // runs with an inversion; of their first ones, those whose write had not completed when the earlier read ended
	r, w, n               int
	skew                  string
}

func slowReplicaFacts() (inversionFacts, error) {
	cfg, err := PresetConfig("slow-replicas")
	if err != nil {
		return inversionFacts{}, err
	}
	runs, err := runSeeds(cfg)
	if err != nil {
		return inversionFacts{}, err
	}
	f := inversionFacts{r: runs[0].Config.R, w: runs[0].Config.W, n: runs[0].Config.Nodes, skew: cfg.ClockSkew.String()}
	for _, res := range runs {
		f.inverted += res.InvertedReads
		f.stale += res.StaleReads
		f.lost += res.LostWrites
		f.messages += res.Network.Sent
		f.dropped += res.Network.Lost + res.Network.Cut
		if inv, ok := res.FirstInversion(); ok {
			f.firsts++
			if !inv.Write.OK || inv.Write.End > inv.Before.End {
				f.inProgress++
			}
		}
	}
	return f, nil
}

// CheckWhyInvertedReads checks lesson 04's why question: on slow-replicas,
// Strong quorums (R+W>N) never return a stale read, yet some reads are
// inverted. The explanations:
//
//	(a) R+W does not exceed N here, so quorums need not overlap.
//	(b) The earlier read met a replica holding a write still in progress
//	    (on fewer than W replicas); the later read's quorum met none of
//	    them. Overlap is promised with completed writes only.
//	(c) The clients' clocks disagree, so a newer write carried an older
//	    timestamp.
//	(d) Messages were lost, so read repair never reached the stale
//	    replicas.
func CheckWhyInvertedReads(answer string) scenario.Check {
	a, bad := grade.Choice(answer, "abcd", "why")
	if bad != nil {
		return *bad
	}
	f, err := slowReplicaFacts()
	if err != nil {
		return couldNotRun(err)
	}
	facts := fmt.Sprintf("Over %d seeds of slow-replicas: %d inverted reads, %d stale reads.", ExerciseSeeds, f.inverted, f.stale)
	if f.inverted == 0 || f.stale > 0 {
		return scenario.Checkf(false, "%s The runs no longer show what the question is about (inverted reads and no stale one); the model has changed.", facts)
	}
	switch a {
	case "b":
		return scenario.Checkf(true, "%s In %d of the %d runs' first inversions, the write the earlier read returned had not completed when that read ended: it sat on fewer than W=%d replicas, behind stalled ones. R+W>N promises that a read meets every write completed before it began, which is why no read was stale; a write in progress is on too few replicas for that promise, so one read can meet it and the next miss it. Linearizability asks more: once any read has returned a write, every later read must too.",
			facts, f.inProgress, f.firsts, f.w)
	case "a":
		return scenario.Checkf(false, "%s R=%d, W=%d, N=%d: R+W=%d>%d, so every read quorum overlaps every write quorum, and the overlap did its job: not one read was stale.", facts, f.r, f.w, f.n, f.r+f.w, f.n)
	case "c":
		return scenario.Checkf(false, "%s The clocks agree here (ClockSkew=%s), so a later write always carries the larger timestamp; and no acknowledged write was lost (%d).", facts, f.skew, f.lost)
	}
	return scenario.Checkf(false, "%s The network dropped %d of %d messages (Loss is 0, and there is no partition): the repairs arrived, late, at replicas that had stalled.", facts, f.dropped, f.messages)
}

// versionFacts is what lww-skew shows under each fix.
type versionFacts struct {
	stampsAsync, stampsSync, countersAsync int64 // lost writes over the seeds
	stampsWrite, countersWrite             sim.Time
	skew                                   string
}

func lwwSkewFacts() (versionFacts, error) {
	base, err := PresetConfig("lww-skew")
	if err != nil {
		return versionFacts{}, err
	}
	f := versionFacts{skew: base.ClockSkew.String()}
	for _, c := range []struct {
		v      Versioning
		rr     Repair
		lost   *int64
		writes *sim.Time
	}{{Timestamps, AsyncRepair, &f.stampsAsync, &f.stampsWrite}, {Timestamps, SyncRepair, &f.stampsSync, nil}, {Counters, AsyncRepair, &f.countersAsync, &f.countersWrite}} {
		cfg := base
		cfg.Versioning, cfg.ReadRepair = c.v, c.rr
		runs, err := runSeeds(cfg)
		if err != nil {
			return versionFacts{}, err
		}
		var sum sim.Time
		for _, r := range runs {
			*c.lost += r.LostWrites
			sum += r.WriteLatency.Mean()
		}
		if c.writes != nil {
			*c.writes = sum / sim.Time(len(runs))
		}
	}
	return f, nil
}

// CheckWhyCounters checks lesson 05's why question: on lww-skew, version
// counters stop the lost writes, and synchronous read repair with
// timestamps does not. The explanations:
//
//	(a) Counter writes are faster, so fewer writes overlap.
//	(b) A counter write first reads the highest version from R replicas,
//	    and R+W>N makes that read meet every completed write: its version
//	    is above all of them, whatever the clocks. Read repair copies the
//	    version a read found, and with timestamps the later write already
//	    has the lower one.
//	(c) Synchronous read repair writes back too slowly; the asynchronous
//	    kind would keep up.
//	(d) Counters are taken from the replica's clock, not the client's.
func CheckWhyCounters(answer string) scenario.Check {
	a, bad := grade.Choice(answer, "abcd", "why")
	if bad != nil {
		return *bad
	}
	f, err := lwwSkewFacts()
	if err != nil {
		return couldNotRun(err)
	}
	facts := fmt.Sprintf("Over %d seeds of lww-skew (client clocks up to %s apart), acknowledged writes lost: %d with timestamps and asynchronous read repair, %d with timestamps and synchronous read repair, %d with counters.",
		ExerciseSeeds, f.skew, f.stampsAsync, f.stampsSync, f.countersAsync)
	if f.stampsSync == 0 || f.stampsAsync == 0 || f.countersAsync > 0 {
		return scenario.Checkf(false, "%s The runs no longer show what the question is about; the model has changed.", facts)
	}
	switch a {
	case "b":
		return scenario.Checkf(true, "%s A write is lost when the store orders it before a write that completed before it began. With timestamps the order is the clocks': a client whose clock is behind stamps its later write lower, and every mechanism that copies versions around, synchronous read repair included, faithfully spreads the wrong winner. A counter write's version comes from what a quorum holds: R+W>N makes its first phase meet every completed write, so it always ends up higher. That is the first half of the ABD register; the synchronous read repair is the other, against inverted reads.", facts)
	case "a":
		return scenario.Checkf(false, "%s Counter writes are slower, not faster: %s on average against %s with timestamps, since they read the versions before writing. They win on order, not speed.", facts, ms(f.countersWrite), ms(f.stampsWrite))
	case "c":
		return scenario.Checkf(false, "%s The asynchronous kind loses writes too: repair copies whichever version a read found newest, and with skewed timestamps the lost write already has the lower version. Speed of repair cannot fix a wrong order.", facts)
	}
	return scenario.Checkf(false, "%s Counters use no clock at all: a writer reads the highest version from a quorum and adds one. Replicas' clocks would be skewed too.", facts)
}

// The clock-skew exercise searches ClockSkew upward in SkewStep steps,
// up to SkewLimit, for the largest skew at which lww-skew loses no
// acknowledged write in any seed; a prediction within SkewTolerance of it
// is right.
const (
	SkewStep      = 5 * time.Millisecond
	SkewLimit     = 200 * time.Millisecond
	SkewTolerance = 15 * time.Millisecond
)

// skewOnset is the largest loss-free skew and what the writes took there.
type skewOnset struct {
	safe, firstLoss      time.Duration
	lost                 int64 // at firstLoss, over the seeds
	fastest, meanLatency time.Duration
}

func findSkewOnset() (skewOnset, error) {
	base, err := PresetConfig("lww-skew")
	if err != nil {
		return skewOnset{}, err
	}
	var on skewOnset
	for skew := SkewStep; skew <= SkewLimit; skew += SkewStep {
		cfg := base
		cfg.ClockSkew = skew
		cfg.SkipCheck = true // only the counts matter here
		runs, err := runSeeds(cfg)
		if err != nil {
			return skewOnset{}, err
		}
		var lost int64
		var sum sim.Time
		fastest := sim.MaxTime
		for _, r := range runs {
			lost += r.LostWrites
			sum += r.WriteLatency.Mean()
			for _, o := range r.Ops {
				if o.Write && o.OK {
					fastest = min(fastest, o.End-o.Start)
				}
			}
		}
		if lost > 0 {
			on.firstLoss, on.lost = skew, lost
			return on, nil
		}
		on.safe = skew
		on.fastest, on.meanLatency = time.Duration(fastest), time.Duration(sum/sim.Time(len(runs)))
	}
	return skewOnset{}, fmt.Errorf("no write was lost up to ClockSkew=%v", SkewLimit)
}

// CheckSkewPrediction checks lesson 05's clock-skew exercise: the largest
// ClockSkew (client clocks spread over ±ClockSkew) at which lww-skew's
// last-writer-wins loses no acknowledged write, in seeds 1 to
// ExerciseSeeds. A prediction within SkewTolerance of the runs' answer
// is right; zero is a prediction not yet made.
func CheckSkewPrediction(prediction time.Duration) scenario.Check {
	if prediction <= 0 {
		return scenario.Checkf(false, "set your prediction, a positive duration such as 20 * time.Millisecond.")
	}
	on, err := findSkewOnset()
	if err != nil {
		return couldNotRun(err)
	}
	facts := fmt.Sprintf("Searching in steps of %v over %d seeds, lww-skew lost no write up to ClockSkew=%v, and %d at %v. There, writes took %v on average and %v at the fastest.",
		SkewStep, ExerciseSeeds, on.safe, on.lost, on.firstLoss, on.meanLatency.Round(time.Millisecond), on.fastest.Round(time.Millisecond))
	why := fmt.Sprintf("A write takes its timestamp when it starts. A later write, one that starts after it ended, carries a smaller timestamp only if its client's clock is behind by more than the time between the two starts, which is at least the first write's whole duration. ClockSkew=s spreads the clocks over 2s, so losses need 2s above the fastest writes (%v) and become common as 2s passes the typical one (%v).",
		on.fastest.Round(time.Millisecond), on.meanLatency.Round(time.Millisecond))
	diff := prediction - on.safe
	if diff < 0 {
		diff = -diff
	}
	if diff <= SkewTolerance {
		return scenario.Checkf(true, "You predicted %v. %s %s", prediction, facts, why)
	}
	return scenario.Checkf(false, "You predicted %v, more than %v away. %s %s", prediction, SkewTolerance, facts, why)
}
