package scaling_test

import (
	"testing"

	"dsim/sim/scenario/scaling"
	"dsim/sim/viz"
)

// The simulation's points stay visible on the MVA curve: they are drawn
// as markers above every line, in a colour of their own and apart from
// the law's marks that fall on them, and the legend covers none of them.
func TestResponseFigureShowsTheSimulation(t *testing.T) {
	cfg, err := scaling.PresetConfig("knee")
	if err != nil {
		t.Fatal(err)
	}
	res, err := scaling.Run(cfg)
	if err != nil {
		t.Fatal(err)
	}
	f := res.ResponseFigure()
	fr := f.Frame()
	marks := map[string]viz.FrameLine{}
	for _, m := range fr.Marks {
		marks[m.Name] = m
	}
	sim, law := marks["simulation"], marks["N/X − Z from the simulation's X"]
	if len(sim.Points) != len(res.Points) || len(law.Points) != len(res.Points) {
		t.Fatalf("marks: %d simulation, %d law for %d points", len(sim.Points), len(law.Points), len(res.Points))
	}
	for _, l := range fr.Lines {
		if l.Color == sim.Color {
			t.Errorf("the line %q has the simulation's colour %s", l.Name, sim.Color)
		}
	}
	if sim.Color == law.Color {
		t.Errorf("the simulation's marks and the law's share the colour %s", sim.Color)
	}
	box, ok := f.LegendBox()
	if !ok {
		t.Fatal("no legend")
	}
	for _, l := range append(fr.Lines, fr.Marks...) {
		for _, p := range l.Points {
			if box.Contains(p.X, p.Y) {
				t.Errorf("the legend covers %s at N=%.0f", l.Name, p.VX)
			}
		}
	}
}
