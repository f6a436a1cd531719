package messaging_test

import (
	"testing"

	"dsim/sim/scenario/internal/scenariotest"
	"dsim/sim/scenario/messaging"
)

// The right set passes; plausible wrong ones fail; names not offered are
// refused.
func TestCheckDuplicates(t *testing.T) {
	scenariotest.RightAndWrong(t, messaging.CheckDuplicates, []string{"short-ttl", "at-least-once"},
		[][]string{{"at-least-once"}, {"at-least-once", "short-ttl", "at-most-once"}, {"at-least-once", "idempotent"}, nil, {"exactly-once"}})
}

// 1/(1-p) passes; the ack loss itself, or 1+p (one retry each), fail.
func TestCheckDeliveries(t *testing.T) {
	p := messaging.AckLossExercise
	scenariotest.RightAndWrong(t, messaging.CheckDeliveries, 1/(1-p), []float64{1 + p, 1, 2, 0})
}

// The why question: b is right, with its evidence, on every seed; a and c
// are not; other text is refused.
func TestExplainShortTTL(t *testing.T) {
	scenariotest.RightAndWrong(t, messaging.ExplainShortTTL, " B ", []string{"a", "c", "", "bc"}, "visibility")
}

// Only the commit-then-publish dual write loses events; the plausible
// wrong sets (both dual writes, the phantoms' design, all three) fail.
func TestCheckLosesEvents(t *testing.T) {
	scenariotest.RightAndWrong(t, messaging.CheckLosesEvents, []string{"dual-write-loses"},
		[][]string{{"dual-write-loses", "dual-write-phantoms"}, {"dual-write-phantoms"}, {"outbox"}, messaging.WriteDesigns(), nil, {"two-phase"}}, "phantom")
}

// The why of rare commits: b is right, with its evidence, on every seed;
// a (lost acknowledgements) and c (producers' copies) are not.
func TestExplainCommitRarely(t *testing.T) {
	scenariotest.RightAndWrong(t, messaging.ExplainCommitRarely, "b", []string{"a", "c", "", "x"}, "rewinds")
}
