package metastable

import (
	"testing"
	"time"

	"dsim/sim/scenario/internal/scenariotest"
)

// Each checker passes the right answer and fails plausible wrong ones,
// over its ten seeds, and says why from the runs.

func TestCheckStormTimeout(t *testing.T) {
	scenariotest.Answers(t, CheckStormTimeout, []scenariotest.Answer[time.Duration]{
		{Answer: 1700 * time.Millisecond, OK: true, Says: "passed under all 10 seeds"},
		{Answer: time.Second, Says: "passed under 0 of 10"},      // the storm's own timeout
		{Answer: 1600 * time.Millisecond, Says: "9 of 10"},       // right under most seeds, not all
		{Answer: 2 * time.Second, Says: "a shorter one will do"}, // passes, but not the shortest
		{Answer: 1250 * time.Millisecond, Says: "steps of 100 ms"},
		{Answer: 0, Says: "set answer"},
	})
}

func TestCheckWhyCancellationFails(t *testing.T) {
	scenariotest.Answers(t, CheckWhyCancellationFails, []scenariotest.Answer[string]{
		{Answer: "c", OK: true, Says: "the whole 1s timeout"},
		{Answer: " C", OK: true, Says: "cancellation pays"},
		{Answer: "a", Says: "attempts per request with cancellation"},
		{Answer: "b", Says: "it drops plenty"},
		{Answer: "d", Says: "the server can help"},
		{Answer: "", Says: "set answer"},
		{Answer: "e", Says: "pick one of a, b, c, d"},
	})
}

func TestCheckRetriesForRecovery(t *testing.T) {
	scenariotest.Answers(t, CheckRetriesForRecovery, []scenariotest.Answer[int]{
		{Answer: 2, OK: true, Says: "45 attempts/s"},
		{Answer: 3, Says: "Metastable 10"},
		{Answer: 1, Says: "more retries will do"},
		{Answer: 0, Says: "more retries will do"},
		{Answer: -1, Says: "from 0 to 3"},
	})
}

func TestCheckWhyBelowCapacityTips(t *testing.T) {
	scenariotest.Answers(t, CheckWhyBelowCapacityTips, []scenariotest.Answer[string]{
		{Answer: "b", OK: true, Says: "not the load against capacity"},
		{Answer: "a", Says: "averaged"},
		{Answer: "c", Says: "without trouble"},
		{Answer: "d", Says: "The retries are the loop"},
		{Answer: "x", Says: "pick one of"},
	})
}
