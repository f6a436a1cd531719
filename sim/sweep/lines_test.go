package sweep_test

import (
	"testing"

	"dsim/sim/viz"
)

// A share of runs cannot pass 1: its figure's axis ends there.
func TestLinesOfAShareEndAtOne(t *testing.T) {
	res := run(t, spec(2))
	l, err := viz.SweepLines(res, "metastable", "trigger", "spike")
	if err != nil {
		t.Fatal(err)
	}
	if l.Plot.Y.Max != 1 {
		t.Errorf("share axis ends at %g, want 1", l.Plot.Y.Max)
	}
}
