package messaging_test

import (
	"strings"
	"testing"

	"dsim/sim/scenario/messaging"
)

// The right set passes; plausible wrong ones fail; names not offered are
// refused.
func TestCheckDuplicates(t *testing.T) {
	if c := messaging.CheckDuplicates([]string{"short-ttl", "at-least-once"}); !c.OK {
		t.Fatalf("right answer: %v", c)
	} else {
		t.Log(c)
	}
	for _, wrong := range [][]string{{"at-least-once"}, {"at-least-once", "short-ttl", "at-most-once"}, {"at-least-once", "idempotent"}, nil, {"exactly-once"}} {
		if c := messaging.CheckDuplicates(wrong); c.OK {
			t.Errorf("%v accepted", wrong)
		}
	}
}

// 1/(1-p) passes; the ack loss itself, or 1+p (one retry each), fail.
func TestCheckDeliveries(t *testing.T) {
	p := messaging.AckLossExercise
	if c := messaging.CheckDeliveries(1 / (1 - p)); !c.OK {
		t.Fatalf("right answer: %v", c)
	} else {
		t.Log(c)
	}
	for _, wrong := range []float64{1 + p, 1, 2, 0} {
		if c := messaging.CheckDeliveries(wrong); c.OK {
			t.Errorf("%v accepted", wrong)
		}
	}
}

// The why question: b is right, with its evidence, on every seed; a and c
// are not; other text is refused.
func TestExplainShortTTL(t *testing.T) {
	if c := messaging.ExplainShortTTL(" B "); !c.OK || !strings.Contains(c.Why, "visibility") {
		t.Fatalf("b: %v", c)
	} else {
		t.Log(c)
	}
	for _, wrong := range []string{"a", "c", "", "bc"} {
		if c := messaging.ExplainShortTTL(wrong); c.OK {
			t.Errorf("%q accepted", wrong)
		}
	}
}

// Only the commit-then-publish dual write loses events; the plausible
// wrong sets (both dual writes, the phantoms' design, all three) fail.
func TestCheckLosesEvents(t *testing.T) {
	if c := messaging.CheckLosesEvents([]string{"dual-write-loses"}); !c.OK || !strings.Contains(c.Why, "phantom") {
		t.Fatalf("right answer: %v", c)
	} else {
		t.Log(c)
	}
	for _, wrong := range [][]string{{"dual-write-loses", "dual-write-phantoms"}, {"dual-write-phantoms"}, {"outbox"}, messaging.WriteDesigns(), nil, {"two-phase"}} {
		if c := messaging.CheckLosesEvents(wrong); c.OK {
			t.Errorf("%v accepted", wrong)
		}
	}
}

// The why of rare commits: b is right, with its evidence, on every seed;
// a (lost acknowledgements) and c (producers' copies) are not.
func TestExplainCommitRarely(t *testing.T) {
	if c := messaging.ExplainCommitRarely("b"); !c.OK || !strings.Contains(c.Why, "rewinds") {
		t.Fatalf("b: %v", c)
	} else {
		t.Log(c)
	}
	for _, wrong := range []string{"a", "c", "", "x"} {
		if c := messaging.ExplainCommitRarely(wrong); c.OK {
			t.Errorf("%q accepted", wrong)
		}
	}
}
