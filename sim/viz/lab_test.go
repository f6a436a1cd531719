package viz

import (
	"bytes"
	"os"
	"path/filepath"
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
	for _, f := range LabFigures(labCase(t)) {
		got, err := f.SVG()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		path := filepath.Join("testdata", f.Name+".svg")
		if *update {
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if pngDir != "" {
			if err := f.Save(filepath.Join(pngDir, f.Name+".png")); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run with -update to create it)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from %s; review and rerun with -update (make golden)", f.Name, path)
		}
	}
}
