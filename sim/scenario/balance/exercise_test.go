package balance_test

import (
	"testing"
	"time"

	"dsim/sim/scenario/balance"
)

// Each checker passes the right answer and fails plausible wrong ones,
// over the exercise seeds.
func TestExercises(t *testing.T) {
	if c := balance.CheckStaleCrossover(500 * time.Millisecond); !c.OK {
		t.Errorf("right crossover refused: %v", c)
	}
	for _, wrong := range []time.Duration{0, 100 * time.Millisecond, time.Second} {
		if c := balance.CheckStaleCrossover(wrong); c.OK {
			t.Errorf("crossover %v accepted: %v", wrong, c)
		}
	}
	if c := balance.ExplainGrayFailure("c"); !c.OK {
		t.Errorf("right explanation refused: %v", c)
	}
	for _, wrong := range []string{"", "a", "b", "d", "ab"} {
		if c := balance.ExplainGrayFailure(wrong); c.OK {
			t.Errorf("explanation %q accepted: %v", wrong, c)
		}
	}
	if c := balance.CheckKeysMoved(0.125); !c.OK {
		t.Errorf("right share refused: %v", c)
	}
	for _, wrong := range []float64{0, 0.875, 0.2} {
		if c := balance.CheckKeysMoved(wrong); c.OK {
			t.Errorf("share %v accepted: %v", wrong, c)
		}
	}
}
