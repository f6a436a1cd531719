package scaling_test

import (
	"testing"

	"dsim/sim/scenario/internal/scenariotest"
	"dsim/sim/scenario/scaling"
)

// Each checker passes the right answer and fails plausible wrong ones,
// over the exercise seeds.
func TestExercises(t *testing.T) {
	scenariotest.RightAndWrong(t, scaling.CheckFasterDisk, 33.3, []float64{0, 25, 100})
	scenariotest.RightAndWrong(t, scaling.CheckSerialFraction, 0.2, []float64{0, 0.8, 0.25, 0.1})
	scenariotest.RightAndWrong(t, scaling.ExplainRetrograde, "b", []string{"", "a", "c", "d", "ab"})
}
