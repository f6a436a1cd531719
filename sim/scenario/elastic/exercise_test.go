package elastic_test

import (
	"testing"
	"time"

	"dsim/sim/scenario/elastic"
)

// Each checker passes the right answer and fails plausible wrong ones,
// over the exercise seeds.
func TestExercises(t *testing.T) {
	t.Parallel()
	if c := elastic.CheckCalmCooldown(6 * time.Minute); !c.OK {
		t.Errorf("right cooldown refused: %v", c)
	}
	for _, wrong := range []time.Duration{0, 5 * time.Minute} {
		if c := elastic.CheckCalmCooldown(wrong); c.OK {
			t.Errorf("cooldown %v accepted: %v", wrong, c)
		}
	}
	if c := elastic.ExplainSpike("b"); !c.OK {
		t.Errorf("right explanation refused: %v", c)
	}
	for _, wrong := range []string{"", "a", "c", "d", "ab"} {
		if c := elastic.ExplainSpike(wrong); c.OK {
			t.Errorf("explanation %q accepted: %v", wrong, c)
		}
	}
	if c := elastic.CheckDiurnalShare(0.74); !c.OK {
		t.Errorf("right share refused: %v", c)
	}
	// 0.6: the day's mean load over its noon's, forgetting the band.
	for _, wrong := range []float64{0, 0.6} {
		if c := elastic.CheckDiurnalShare(wrong); c.OK {
			t.Errorf("share %v accepted: %v", wrong, c)
		}
	}
}
