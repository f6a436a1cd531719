package txn

import (
	"context"
	"testing"
)

// During the crash both designs' crashed coordinators hold one thing (a
// participant's locks, a saga's money): the lines lie on each other, so
// the second is dashed and both show; the legend covers neither.
func TestOutageStuckLinesBothShow(t *testing.T) {
	runs, err := RunOutage(context.Background(), Outage{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range OutageFigures(runs) {
		fr := f.Frame()
		if f.Name == "txn-outage-stuck" {
			if len(fr.Lines) != 2 || fr.Lines[0].Dashed == fr.Lines[1].Dashed {
				t.Errorf("stuck: %d lines, dashed %v", len(fr.Lines), fr.Lines)
			}
			if len(fr.Spans) == 0 {
				t.Error("stuck: the crash is not shaded")
			}
		}
		box, ok := f.LegendBox()
		if !ok {
			t.Fatalf("%s: no legend", f.Name)
		}
		for _, l := range fr.Lines {
			for _, p := range l.Points {
				if box.Contains(p.X, p.Y) {
					t.Errorf("%s: the legend covers %s at %.2fs", f.Name, l.Name, p.VX)
				}
			}
		}
	}
}
