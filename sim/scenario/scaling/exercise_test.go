package scaling_test

import (
	"testing"

	"dsim/sim/scenario/scaling"
)

// Each checker passes the right answer and fails plausible wrong ones,
// over the exercise seeds.
func TestExercises(t *testing.T) {
	if c := scaling.CheckFasterDisk(33.3); !c.OK {
		t.Errorf("right throughput refused: %v", c)
	}
	for _, wrong := range []float64{0, 25, 100} {
		if c := scaling.CheckFasterDisk(wrong); c.OK {
			t.Errorf("throughput %v accepted: %v", wrong, c)
		}
	}
	if c := scaling.CheckSerialFraction(0.2); !c.OK {
		t.Errorf("right σ refused: %v", c)
	}
	for _, wrong := range []float64{0, 0.8, 0.25, 0.1} {
		if c := scaling.CheckSerialFraction(wrong); c.OK {
			t.Errorf("σ %v accepted: %v", wrong, c)
		}
	}
	if c := scaling.ExplainRetrograde("b"); !c.OK {
		t.Errorf("right explanation refused: %v", c)
	}
	for _, wrong := range []string{"", "a", "c", "d", "ab"} {
		if c := scaling.ExplainRetrograde(wrong); c.OK {
			t.Errorf("explanation %q accepted: %v", wrong, c)
		}
	}
}
