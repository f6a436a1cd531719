package raft

import (
	"testing"
	"time"
)

func TestCheckTimeouts(t *testing.T) {
	ms := time.Millisecond
	right := CheckTimeouts(50*ms, 100*ms)
	if !right.OK {
		t.Errorf("50-100ms: %v", right)
	}
	t.Log(right)
	for _, wrong := range []Range{{12 * ms, 24 * ms}, {150 * ms, 300 * ms}} {
		c := CheckTimeouts(wrong.Min, wrong.Max)
		if c.OK {
			t.Errorf("%v passed: %v", wrong, c)
		}
		t.Log(c)
	}
	if c := CheckTimeouts(-ms, ms); c.OK {
		t.Error("a negative timeout passed")
	}
}

func TestCheckSplitVoteWhy(t *testing.T) {
	for _, a := range []string{"a", "b", "c", "d", "", "e"} {
		c := CheckSplitVoteWhy(a)
		if c.OK != (a == "b") {
			t.Errorf("%q: %v", a, c)
		}
		if a == "b" {
			t.Log(c)
		}
	}
}

func TestCheckLeaderlessPrediction(t *testing.T) {
	first := CheckLeaderlessPrediction(1)
	t.Log(first)
	// The right answer passes: the mean the checker reports.
	var mean time.Duration
	for seed := uint64(1); seed <= ExerciseSeeds; seed++ {
		a, err := Availability(Config{}, LeaderCrash, seed)
		if err != nil {
			t.Fatal(err)
		}
		mean += a.Leaderless / ExerciseSeeds
	}
	m := float64(mean.Milliseconds())
	if c := CheckLeaderlessPrediction(m); !c.OK {
		t.Errorf("the mean %v failed: %v", m, c)
	}
	// A plausible wrong one (a heartbeat, or a whole second) fails.
	for _, wrong := range []float64{50, 1000, 0} {
		if c := CheckLeaderlessPrediction(wrong); c.OK {
			t.Errorf("%v passed: %v", wrong, c)
		}
	}
}
