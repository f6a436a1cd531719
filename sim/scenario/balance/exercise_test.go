package balance_test

import (
	"testing"
	"time"

	"dsim/sim/scenario/balance"
	"dsim/sim/scenario/internal/scenariotest"
)

// Each checker passes the right answer and fails plausible wrong ones,
// over the exercise seeds.
func TestExercises(t *testing.T) {
	scenariotest.RightAndWrong(t, balance.CheckStaleCrossover, 500*time.Millisecond, []time.Duration{0, 100 * time.Millisecond, time.Second})
	scenariotest.RightAndWrong(t, balance.ExplainGrayFailure, "c", []string{"", "a", "b", "d", "ab"})
	scenariotest.RightAndWrong(t, balance.CheckKeysMoved, 0.125, []float64{0, 0.875, 0.2})
}
