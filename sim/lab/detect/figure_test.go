package detect

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var figures = flag.String("figures", "", "write the trade-off figure as PNG into this directory")

func TestFigure(t *testing.T) {
	ladder := Ladder()
	conds := []Conditions{ladder[2], ladder[4], ladder[6]}
	tab, err := Sweep(ctx, Config{Detectors: Spectrum(DefaultInterval)}, conds, 3)
	if err != nil {
		t.Fatal(err)
	}
	f := Figure(tab, "Failure detection: detection time against false suspicions")
	// A colour per set of conditions, never shared with another set.
	fr := f.Frame()
	colour, owner := map[string]string{}, map[string]string{}
	for _, l := range append(fr.Lines, fr.Marks...) {
		cond := strings.TrimSuffix(strings.TrimSuffix(l.Name, " "+Fixed), " "+Phi)
		if c, ok := colour[cond]; ok && c != l.Color {
			t.Errorf("%s: two colours, %s and %s", cond, c, l.Color)
		}
		if o, ok := owner[l.Color]; ok && o != cond {
			t.Errorf("%s and %s share the colour %s", o, cond, l.Color)
		}
		colour[cond], owner[l.Color] = l.Color, cond
	}
	if len(colour) != len(conds) {
		t.Errorf("%d colours for %d sets of conditions", len(colour), len(conds))
	}
	// The legend covers no point of any line or marker.
	box, ok := f.LegendBox()
	if !ok {
		t.Fatal("no legend")
	}
	for _, l := range append(fr.Lines, fr.Marks...) {
		for _, p := range l.Points {
			if box.Contains(p.X, p.Y) {
				t.Errorf("the legend %+v covers %s at (%.0f ms, %.2f)", box, l.Name, p.VX, p.VY)
			}
		}
	}
	png, err := f.PNG()
	if err != nil || len(png) == 0 {
		t.Fatalf("PNG: %d bytes, %v", len(png), err)
	}
	if *figures != "" {
		if err := os.WriteFile(filepath.Join(*figures, "detect-tradeoff.png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
