package crdt_test

import (
	"strings"
	"testing"
	"time"

	"dsim/sim/scenario/crdt"
)

// The gossip exercise over 40 seeds: 500ms is the longest period with
// which nine runs in ten meet the deadline. 1s, the answer one seed gave
// (its mean is under the deadline), fails; 250ms meets the target but is
// not the longest.
func TestGossipExerciseOverSeeds(t *testing.T) {
	right := crdt.CheckGossipPeriod(0.95, 500*time.Millisecond)
	if !right.OK || !strings.Contains(right.Why, "You predicted 95%") {
		t.Fatalf("500ms: %v", right)
	}
	for _, wrong := range []time.Duration{time.Second, 250 * time.Millisecond, 2 * time.Second, 700 * time.Millisecond, 0} {
		if c := crdt.CheckGossipPeriod(0, wrong); c.OK {
			t.Errorf("%v passed: %v", wrong, c)
		}
	}
	one, err := crdt.MeetsDeadline(crdt.AntiEntropyOnly(), time.Second, crdt.Deadline, crdt.DeadlineRuns)
	if err != nil {
		t.Fatal(err)
	}
	if one.Mean >= crdt.Deadline || one.Share() >= crdt.DeadlineShare {
		t.Errorf("1s should have a mean under the deadline and miss the target: %v", one)
	}
	if _, err := crdt.MeetsDeadline(crdt.AntiEntropyOnly(), time.Second, crdt.Deadline, 0); err == nil || !strings.Contains(err.Error(), "runs=0") {
		t.Errorf("runs=0: %v", err)
	}
}

// The "why" question: only the clocks explain the lost writes, and each
// wrong choice is answered from the runs.
func TestWhyWritesLost(t *testing.T) {
	if c := crdt.CheckWhyWritesLost("c"); !c.OK || !strings.Contains(c.Why, "and 0 with the clocks in sync") {
		t.Fatalf("c: %v", c)
	}
	for _, wrong := range []string{"a", "b", "d", "", "e"} {
		if c := crdt.CheckWhyWritesLost(wrong); c.OK {
			t.Errorf("%q passed: %v", wrong, c)
		}
	}
	if c := crdt.CheckWhyWritesLost("a"); !strings.Contains(c.Why, "lost 0 messages") {
		t.Errorf("a: %v", c)
	}
}
