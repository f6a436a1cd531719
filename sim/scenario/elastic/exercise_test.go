package elastic_test

import (
	"testing"
	"time"

	"dsim/sim/scenario/elastic"
	"dsim/sim/scenario/internal/scenariotest"
)

// Each checker passes the right answer and fails plausible wrong ones,
// over the exercise seeds.
func TestExercises(t *testing.T) {
	t.Parallel()
	scenariotest.RightAndWrong(t, elastic.CheckCalmCooldown, 6*time.Minute, []time.Duration{0, 5 * time.Minute})
	scenariotest.RightAndWrong(t, elastic.ExplainSpike, "b", []string{"", "a", "c", "d", "ab"})
	// 0.6: the day's mean load over its noon's, forgetting the band.
	scenariotest.RightAndWrong(t, elastic.CheckDiurnalShare, 0.74, []float64{0, 0.6})
}
