package raft

import (
	"fmt"
	"math"
	"strings"
	"time"

	"dsim/sim/dist"
	"dsim/sim/lab"
	"dsim/sim/scenario"
)

// The consensus lesson's exercises (notebooks/12-consensus) are checked
// here, over ExerciseSeeds seeds, so that an answer right by the luck of
// one run is not called right and the notebook's cells do not hold their
// answers.

// ExerciseSeeds is how many seeds each check runs.
const ExerciseSeeds = 5

// ExerciseLatency is the network of the timeout exercise: the lab's
// default, with a tail (a message now and then takes four times the
// median).
const ExerciseLatency = lab.DefaultLatency

// The bounds the timeout exercise asks for.
const (
	// ExerciseMedian: the median time without a leader after a crash
	// must be below it, on every seed.
	ExerciseMedian = 150 * time.Millisecond
	// ExerciseCalm is how long a calm cluster must keep its first leader.
	ExerciseCalm = 10 * time.Second
)

// CheckTimeouts grades a choice of election timeouts for a network with
// ExerciseLatency: on each of ExerciseSeeds seeds, a calm cluster must
// keep the leader it elects first for ExerciseCalm (no heartbeat arrives
// so late that a follower gives up on a live leader), and after the
// leader crashes (ElectionTimes, 40 trials) the median time without a
// leader must be below ExerciseMedian. The heartbeat is half of min, as
// in the paper's experiment. Too short a timeout fails the first, too
// long the second.
func CheckTimeouts(min, max time.Duration) scenario.Check {
	r := Range{Min: min, Max: max}
	cfg := Config{ElectionMin: min, ElectionMax: max, Heartbeat: min / 2}
	if err := cfg.Validate(); err != nil {
		return scenario.Checkf(false, "%v", err)
	}
	setup := Election{Latency: dist.MustParse(ExerciseLatency), WriteLatency: time.Millisecond}
	var medians []string
	for seed := uint64(1); seed <= ExerciseSeeds; seed++ {
		elections, err := calmElections(cfg, seed)
		if err != nil {
			return scenario.Checkf(false, "the run failed: %v", err)
		}
		if elections > 1 {
			return scenario.Checkf(false, "with %v, a calm cluster (seed %d, no fault at all) elected %d leaders in %v: a heartbeat %v apart, delayed by the latency's tail, came after a follower's timeout, and it deposed a live leader. A failure detector with too short a timeout suspects the living.",
				r, seed, elections, ExerciseCalm, min/2)
		}
		st, err := ElectionTimes(setup, []Range{r}, 40, seed*1000)
		if err != nil {
			return scenario.Checkf(false, "with %v: %v", r, err)
		}
		if st[0].Median >= ExerciseMedian {
			return scenario.Checkf(false, "with %v, the calm cluster kept its leader, but after a crash the median time without a leader was %v on seed %d, not under %v: the followers wait at least the minimum timeout before they even start an election.",
				r, st[0].Median.Round(time.Millisecond), seed, ExerciseMedian)
		}
		medians = append(medians, st[0].Median.Round(time.Millisecond).String())
	}
	return scenario.Checkf(true, "with %v, the calm cluster kept its first leader for %v on all %d seeds, and a crashed leader was replaced in a median of %s (seeds 1 to %d): timeouts well above the heartbeat's worst delay, and no longer.",
		r, ExerciseCalm, ExerciseSeeds, strings.Join(medians, ", "), ExerciseSeeds)
}

// calmElections is the number of leaders a calm cluster elects in
// ExerciseCalm on a seed.
func calmElections(cfg Config, seed uint64) (int, error) {
	test, err := LabTest(cfg)
	if err != nil {
		return 0, err
	}
	test.Duration, test.Seed = ExerciseCalm, seed
	test.Latency = dist.MustParse(ExerciseLatency)
	r, err := lab.Run(test)
	if err != nil {
		return 0, err
	}
	rep, _ := Safety(r)
	return rep.Elections, nil
}

// SplitVoteChoices are the explanations CheckSplitVoteWhy offers, for
// why no trial of the 150-150 ms range elects a leader.
var SplitVoteChoices = []string{
	"a: the crashed leader's vote is needed, and it never comes back",
	"b: the followers all time out about together after the last heartbeat, each votes for itself, and with the same timeout the next round repeats it",
	"c: the logs differ, so no candidate is up to date enough to get the votes",
	"d: the RequestVote messages are lost",
}

// CheckSplitVoteWhy grades the "why" question: why does 150-150 ms never
// elect? It answers from runs over ExerciseSeeds seeds: the same
// experiment with every log alike, with 5 ms of randomness, and the
// network's loss.
func CheckSplitVoteWhy(answer string) scenario.Check {
	a := strings.ToLower(strings.TrimSpace(answer))
	if a == "" {
		return scenario.Checkf(false, `choose one of the explanations: set why to "a", "b", "c" or "d"`)
	}
	if len(a) != 1 || a[0] < 'a' || a[0] > 'd' {
		return scenario.Checkf(false, `%q is not one of the choices: set why to "a", "b", "c" or "d"`, answer)
	}
	ms := time.Millisecond
	same := Election{Logs: []int{5, 5, 5, 5, 5}, Cap: 2 * time.Second}
	none, elected, splits := 0, 0, 0
	for seed := uint64(1); seed <= ExerciseSeeds; seed++ {
		st, err := ElectionTimes(same, []Range{{150 * ms, 150 * ms}, {150 * ms, 155 * ms}}, 4, seed*100)
		if err != nil {
			return scenario.Checkf(false, "the runs failed: %v", err)
		}
		none += st[0].NoLeader
		splits += st[0].SplitVotes
		elected += st[1].Trials - st[1].NoLeader
	}
	trials := 4 * ExerciseSeeds
	evidence := fmt.Sprintf("With every log alike (anyone could win), 150-150 ms still had no leader within 2 s in %d of %d trials, after %d split votes, while 150-155 ms elected in %d of %d with the same crash.", none, trials, splits, elected, trials)
	switch a {
	case "b":
		return scenario.Checkf(true, "%s The followers reset their timers on the same heartbeat; a fixed timeout makes them candidates within a millisecond of each other, before any RequestVote arrives, and each has voted for itself. Each round ends the same way because nothing draws them apart: a few milliseconds of randomness do.", evidence)
	case "a":
		return scenario.Checkf(false, "%s Four live servers of five are a majority without the crashed leader's vote: 150-155 ms shows they elect without it.", evidence)
	case "c":
		return scenario.Checkf(false, "%s So different logs are not the cause.", evidence)
	}
	return scenario.Checkf(false, "%s The experiment's network loses nothing (no loss is set), and 150-155 ms elects over the same network.", evidence)
}

// CheckLeaderlessPrediction grades a prediction of how long, in ms, a
// five-node cluster with the default timeouts (150-300 ms) is without a
// leader able to commit after its leader crashes (Availability,
// LeaderCrash): right within 30% of the mean over ExerciseSeeds seeds.
func CheckLeaderlessPrediction(ms float64) scenario.Check {
	if math.IsNaN(ms) || ms <= 0 {
		return scenario.Checkf(false, "write your prediction first: a number of milliseconds above 0")
	}
	var sum time.Duration
	var each []string
	for seed := uint64(1); seed <= ExerciseSeeds; seed++ {
		a, err := Availability(Config{}, LeaderCrash, seed)
		if err != nil {
			return scenario.Checkf(false, "the run failed: %v", err)
		}
		sum += a.Leaderless
		each = append(each, a.Leaderless.Round(time.Millisecond).String())
	}
	mean := float64(sum.Milliseconds()) / ExerciseSeeds
	ok := math.Abs(ms-mean) <= 0.3*mean
	why := fmt.Sprintf("over seeds 1 to %d the cluster had no leader for %s (mean %.0f ms); you predicted %.0f ms. It is the wait for the first follower's timeout after the last heartbeat it heard (150 to 300 ms, less the time since that heartbeat), plus one round of RequestVote with the vote written to disk.",
		ExerciseSeeds, strings.Join(each, ", "), mean, ms)
	return scenario.Check{OK: ok, Why: why}
}
