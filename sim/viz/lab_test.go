package viz

import (
	"testing"
	"time"

	"dsim/sim"
	"dsim/sim/lab"
)

// labCase is the shrunk case of the broadcast that does not retry: one
// burst of loss takes a message for good.
func labCase(t *testing.T) *lab.Result {
	t.Helper()
	r, err := lab.Run(lab.Test{Workload: "broadcast", Node: "broadcast/noretry", Seed: 1, Duration: 5 * time.Second,
		Faults: lab.Schedule{{Kind: lab.FaultLoss, Window: sim.Window{Start: 3135 * time.Millisecond, Duration: 8 * time.Millisecond}, Rate: 0.22}}})
	if err != nil {
		t.Fatal(err)
	}
	if r.OK() {
		t.Fatal("the case passes")
	}
	return r
}

func TestGoldenLabSVG(t *testing.T) {
	checkGolden(t, LabFigures(labCase(t)))
}
