package crdt_test

import (
	"strings"
	"testing"

	"dsim/sim"
	"dsim/sim/scenario/crdt"
)

// A run that did not converge says what still differs, counted from the
// final states: never "1 distinct states remain".
func TestDivergedSaysWhatDiffers(t *testing.T) {
	cfg := crdt.Default()
	cfg.Type = crdt.ORSetType
	agree := []crdt.FinalState{{Replica: "r1", State: "{a}", Naive: "{a b}"}, {Replica: "r2", State: "{a}", Naive: "{a}"}}
	r := &crdt.Result{Config: cfg, LastOp: sim.Second, End: 5 * sim.Second, Final: agree}
	if v := r.Verdict(); v.Outcome != crdt.Diverged || !strings.Contains(v.Reason, "naive sets") || strings.Contains(v.Reason, "distinct") {
		t.Errorf("states agree, naive sets differ: %v", v)
	}
	r.Final = []crdt.FinalState{{Replica: "r1", State: "{a}"}, {Replica: "r2", State: "{b}"}, {Replica: "r3", State: "{b}"}}
	if v := r.Verdict(); !strings.Contains(v.Reason, "2 distinct states remain 4s after") {
		t.Errorf("two states: %v", v)
	}
}
