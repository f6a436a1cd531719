package quorum_test

import (
	"testing"
	"time"

	"dsim/sim/scenario/internal/scenariotest"
	"dsim/sim/scenario/quorum"
)

// Lesson 04's partition exercise: two replicas to read and four to write
// (or one and five) keep the minority reading with no stale read; the
// plausible wrong answers fail, each for its own reason.
func TestCheckMinorityReads(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the model")
	}
	scenariotest.Says(t, "R=2 W=4", quorum.CheckMinorityReads(0, 2, 4), true, "answered 100% of its reads and the majority side 0% of its writes", "0 reads were stale", "You predicted 0%")
	scenariotest.Says(t, "R=1 W=5", quorum.CheckMinorityReads(quorum.NoPrediction, 1, 5), true, "no prediction")
	scenariotest.Says(t, "R=2 W=3", quorum.CheckMinorityReads(1, 2, 3), false, "does not exceed N=5")
	scenariotest.Says(t, "R=3 W=3", quorum.CheckMinorityReads(1, 3, 3), false, "reaches only r4 and r5", "answered 0% of its reads")
	scenariotest.Says(t, "R=3 W=4", quorum.CheckMinorityReads(0, 3, 4), false, "reaches only r4 and r5")
	scenariotest.Says(t, "unset", quorum.CheckMinorityReads(quorum.NoPrediction, 0, 0), false, "set R and W")
}

// Lesson 04's why question: (b), a write in progress, is right, and the
// runs show it: inverted reads, no stale one, and first inversions whose
// write had not completed.
func TestCheckWhyInvertedReads(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the model")
	}
	scenariotest.Says(t, "b", quorum.CheckWhyInvertedReads("b"), true, "0 stale reads", "had not completed")
	scenariotest.Says(t, "a", quorum.CheckWhyInvertedReads("a"), false, "R+W=6>5")
	scenariotest.Says(t, "c", quorum.CheckWhyInvertedReads(" C "), false, "ClockSkew=0s")
	scenariotest.Says(t, "d", quorum.CheckWhyInvertedReads("d"), false, "dropped 0 of")
	scenariotest.Says(t, "empty", quorum.CheckWhyInvertedReads(""), false, "set why to one letter")
	scenariotest.Says(t, "e", quorum.CheckWhyInvertedReads("e"), false, `why="e": pick one of a, b, c, d`)
}

// Lesson 05's why question on versions: (b) is right; a faster write, a
// faster repair and the replica's clock are not why counters work.
func TestCheckWhyCounters(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the model")
	}
	scenariotest.Says(t, "b", quorum.CheckWhyCounters("b"), true, "0 with counters")
	scenariotest.Says(t, "a", quorum.CheckWhyCounters("a"), false, "slower, not faster")
	scenariotest.Says(t, "c", quorum.CheckWhyCounters("c"), false, "asynchronous kind loses writes too")
	scenariotest.Says(t, "d", quorum.CheckWhyCounters("d"), false, "no clock at all")
}

// Lesson 05's PBS exercise: on LNKD-DISK reading two replicas wins, on
// WAN writing two does; and (b) explains the WAN row.
func TestCheckPBS(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the model")
	}
	r2, w2 := quorum.RW{R: 2, W: 1}, quorum.RW{R: 1, W: 2}
	scenariotest.Says(t, "disk R2, wan W2", quorum.CheckPBSPrediction(r2, w2), true, "LNKD-DISK: R=2 W=1", "you said R=1 W=2: right")
	scenariotest.Says(t, "disk W2, wan W2", quorum.CheckPBSPrediction(w2, w2), false, "not this one")
	scenariotest.Says(t, "both R2", quorum.CheckPBSPrediction(r2, r2), false, "not this one")
	scenariotest.Says(t, "unset", quorum.CheckPBSPrediction(quorum.RW{}, w2), false, "predict each profile")
	scenariotest.Says(t, "a", quorum.CheckWhyWANWrites("a"), true, "nearly catches up")
	scenariotest.Says(t, "b", quorum.CheckWhyWANWrites("b"), false, "fast writes would not help")
	scenariotest.Says(t, "c", quorum.CheckWhyWANWrites("c"), false, "never makes it older")
	scenariotest.Says(t, "d", quorum.CheckWhyWANWrites("d"), false, "far beyond noise")
}

// Lesson 05's clock-skew exercise: half a write's duration is the onset;
// the preset's own skew, or a guess of a few milliseconds, is not.
func TestCheckSkewPrediction(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the model")
	}
	scenariotest.Says(t, "45ms", quorum.CheckSkewPrediction(45*time.Millisecond), true, "lost no write up to ClockSkew=45ms", "at the fastest")
	scenariotest.Says(t, "55ms", quorum.CheckSkewPrediction(55*time.Millisecond), true)
	scenariotest.Says(t, "100ms", quorum.CheckSkewPrediction(100*time.Millisecond), false, "more than 15ms away")
	scenariotest.Says(t, "5ms", quorum.CheckSkewPrediction(5*time.Millisecond), false, "more than 15ms away")
	scenariotest.Says(t, "unset", quorum.CheckSkewPrediction(0), false, "set your prediction")
}
