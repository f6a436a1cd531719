package quorum

import (
	"fmt"
	"math"
	"time"

	"dsim/sim/scenario"
	"dsim/sim/scenario/internal/grade"
)

// RW is a pair of quorum sizes, for the PBS exercise.
type RW struct{ R, W int }

func (q RW) String() string { return fmt.Sprintf("R=%d W=%d", q.R, q.W) }

// The PBS exercise compares R=2 W=1 with R=1 W=2 on N=3 replicas.
const (
	pbsN      = 3
	pbsTrials = 20_000
)

// pbsRuns is t-visibility at the given times, averaged over seeds 1 to
// ExerciseSeeds, with the spread of t=0 between seeds.
type pbsRuns struct {
	at     []float64 // mean probability at each time
	spread float64   // largest minus smallest over the seeds, at t=0
}

func pbsOver(p Profile, q RW, times []time.Duration) (pbsRuns, error) {
	out := pbsRuns{at: make([]float64, len(times))}
	lo, hi := math.Inf(1), math.Inf(-1)
	for seed := uint64(1); seed <= ExerciseSeeds; seed++ {
		res, err := PBS(PBSConfig{Profile: p, N: pbsN, R: q.R, W: q.W, Times: times, Trials: pbsTrials, Seed: seed})
		if err != nil {
			return pbsRuns{}, err
		}
		for i, t := range times {
			out.at[i] += res.At(t) / ExerciseSeeds
		}
		lo, hi = math.Min(lo, res.At(0)), math.Max(hi, res.At(0))
	}
	out.spread = hi - lo
	return out, nil
}

// readTwo and writeTwo are the exercise's two settings: R+W=N either way.
var readTwo, writeTwo = RW{R: 2, W: 1}, RW{R: 1, W: 2}

// CheckPBSPrediction checks lesson 05's PBS prediction: for N=3, which of
// R=2 W=1 and R=1 W=2 gives more consistent reads at t=0 on LNKD-DISK,
// and which on WAN. Each answer is one of the two; over seeds 1 to
// ExerciseSeeds the runs decide.
func CheckPBSPrediction(disk, wan RW) scenario.Check {
	for _, q := range []RW{disk, wan} {
		if q != readTwo && q != writeTwo {
			return scenario.Checkf(false, "predict each profile's better setting: quorum.RW{R: 2, W: 1} or quorum.RW{R: 1, W: 2} (now %v).", q)
		}
	}
	var lines []string
	right := true
	for _, c := range []struct {
		profile string
		said    RW
	}{{"LNKD-DISK", disk}, {"WAN", wan}} {
		p, err := ProfileByName(c.profile)
		if err != nil {
			return couldNotRun(err)
		}
		r2, err := pbsOver(p, readTwo, []time.Duration{0})
		if err != nil {
			return couldNotRun(err)
		}
		w2, err := pbsOver(p, writeTwo, []time.Duration{0})
		if err != nil {
			return couldNotRun(err)
		}
		better := readTwo
		if w2.at[0] > r2.at[0] {
			better = writeTwo
		}
		verdict := "right"
		if c.said != better {
			verdict, right = "not this one", false
		}
		lines = append(lines, fmt.Sprintf("%s: %v gives %.1f%%, %v %.1f%% (mean of %d seeds); you said %v: %s.",
			c.profile, readTwo, 100*r2.at[0], writeTwo, 100*w2.at[0], ExerciseSeeds, c.said, verdict))
	}
	return scenario.Checkf(right, "%s %s Now explain the WAN row.", lines[0], lines[1])
}

// CheckWhyWANWrites checks lesson 05's why question: on the WAN profile
// (N=3), R=1 W=2 makes nearly every read consistent right after commit
// and R=2 W=1 far fewer, though R+W=3 in both. The explanations:
//
//	(a) With W=2 the write commits only after an acknowledgement from
//	    another datacenter, a WAN round trip, by which time it has reached
//	    the third replica even through a slow disk. With W=1 it commits on
//	    the local acknowledgement; a read's requests reach the remote
//	    replicas no sooner than the write did, so whether they have it is
//	    a race decided by the disks' slow writes.
//	(b) A read from another datacenter finds the write missing until the
//	    75ms one-way delay has passed.
//	(c) Two read responses can disagree, so R=2 returns older values.
//	(d) Monte Carlo noise: another seed could reverse it.
func CheckWhyWANWrites(answer string) scenario.Check {
	a, bad := grade.Choice(answer, "abcd", "why")
	if bad != nil {
		return *bad
	}
	wan, err := ProfileByName("WAN")
	if err != nil {
		return couldNotRun(err)
	}
	at0 := []time.Duration{0}
	r2, err := pbsOver(wan, readTwo, at0)
	if err != nil {
		return couldNotRun(err)
	}
	w2, err := pbsOver(wan, writeTwo, at0)
	if err != nil {
		return couldNotRun(err)
	}
	// The same WAN with writes as fast as reads: what is left of the gap
	// is the WAN's, not the disks'.
	fast := wan
	fast.W = wan.R
	fr2, err := pbsOver(fast, readTwo, at0)
	if err != nil {
		return couldNotRun(err)
	}
	facts := fmt.Sprintf("On WAN at t=0, over %d seeds: %v %.1f%%, %v %.1f%%; with writes as fast as reads (W delays replaced by the R delays), %v %.1f%%.",
		ExerciseSeeds, writeTwo, 100*w2.at[0], readTwo, 100*r2.at[0], readTwo, 100*fr2.at[0])
	if w2.at[0] <= r2.at[0] || fr2.at[0] <= r2.at[0] {
		return scenario.Checkf(false, "%s The runs no longer show what the question is about; the model has changed.", facts)
	}
	switch a {
	case "a":
		return scenario.Checkf(true, "%s Take the slow disks away and %v nearly catches up: the read's requests cross the WAN as slowly as the write did, so the 75ms cancels out, and what decides the race is how long a disk takes to apply the write. %v cannot lose that race: its commit waited for a remote acknowledgement, at least two WAN crossings, and the write left for every replica at the same moment. PBS counts from commit, so a slower commit buys fresher reads.",
			facts, readTwo, writeTwo)
	case "b":
		return scenario.Checkf(false, "%s If the 75ms were the reason, fast writes would not help; they lift %v to %.1f%%. A read's requests take the same 75ms to reach the remote replicas as the write took, so they arrive after it unless a disk was slow.",
			facts, readTwo, 100*fr2.at[0])
	case "c":
		one, err := pbsOver(wan, RW{R: 1, W: 1}, at0)
		if err != nil {
			return couldNotRun(err)
		}
		return scenario.Checkf(false, "%s A read returns the newest of its R responses, so asking more replicas never makes it older: %v gives %.1f%%, R=1 W=1 only %.1f%%.", facts, readTwo, 100*r2.at[0], 100*one.at[0])
	}
	return scenario.Checkf(false, "%s Between seeds the %v result moves by %.2f points at most; the gap is %.1f points, far beyond noise.", facts, readTwo, 100*r2.spread, 100*(w2.at[0]-r2.at[0]))
}
