package viz

import (
	"image/color"
	"testing"

	"gonum.org/v1/plot/vg/recorder"

	"dsim/sim"
	"dsim/sim/metrics"
)

// covered returns the first point of the figure's lines and marks that
// its legend's box holds, as drawn.
func covered(t *testing.T, f *Figure) (FramePoint, string, bool) {
	t.Helper()
	box, ok := f.LegendBox()
	if !ok {
		t.Fatal("no legend drawn")
	}
	fr := f.Frame()
	for _, l := range append(fr.Lines, fr.Marks...) {
		for _, p := range l.Points {
			if box.Contains(p.X, p.Y) {
				return p, l.Name, true
			}
		}
	}
	return FramePoint{}, "", false
}

// Curves through every corner leave the legend no room inside: it goes
// beside the data; curves that leave a corner free get it there.
func TestLegendCoversNoPoint(t *testing.T) {
	xs := []float64{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	up, down, flat := make([]float64, len(xs)), make([]float64, len(xs)), make([]float64, len(xs))
	for i, x := range xs {
		up[i], down[i], flat[i] = x, 10-x, 5
	}
	full := XY(Options{Title: "corners", YMax: 10}, Curve{Name: "rising", X: xs, Y: up}, Curve{Name: "falling", X: xs, Y: down},
		Curve{Name: "points", X: xs, Y: flat, Points: true})
	if p, name, ok := covered(t, full); ok {
		t.Errorf("the legend covers %s at (%.1f, %.1f)", name, p.VX, p.VY)
	}
	if b, _ := full.LegendBox(); b.Left < full.Frame().Right {
		t.Errorf("every corner is taken, yet the legend is at %+v inside the data area (right edge %.1f)", b, full.Frame().Right)
	}
	s := metrics.NewSeries("high then low", "1/s")
	for k := 0; k < 20; k++ {
		v := 10.0
		if k >= 10 {
			v = 1
		}
		s.Add(sim.Time(k)*sim.Second, v)
	}
	lines := Lines(Options{YMax: 10}, s)
	if p, name, ok := covered(t, lines); ok {
		t.Errorf("the legend covers %s at (%.1f, %.1f)", name, p.VX, p.VY)
	}
	if b, _ := lines.LegendBox(); b.Right > lines.Frame().Right+1 || b.Left < lines.Frame().Left {
		t.Errorf("a free corner is left (top right), yet the legend is at %+v", b)
	}
}

// Markers are drawn after every line, whatever the curves' order, and
// curves of one Style share a colour.
func TestMarkersOverLinesAndStyles(t *testing.T) {
	xs, ys := []float64{1, 2, 3}, []float64{1, 2, 3}
	f := XY(Options{}, Curve{Name: "measured", X: xs, Y: ys, Points: true}, Curve{Name: "theory", X: xs, Y: ys})
	rec := &recorded{Canvas: &recorder.Canvas{}, w: f.Width, h: f.Height}
	f.draw(rec)
	var ink color.Color
	lastLine, firstMark := -1, -1
	for i, a := range rec.Actions {
		switch a := a.(type) {
		case *recorder.SetColor:
			ink = a.Color
		case *recorder.Stroke:
			if ink == Default.Color(1) && firstMark < 0 {
				lastLine = i
			}
		case *recorder.Fill:
			if ink == Default.Color(0) && firstMark < 0 && lastLine >= 0 {
				firstMark = i
			}
		}
	}
	if lastLine < 0 || firstMark < lastLine {
		t.Errorf("the theory line (stroke %d) is drawn over the measured points (first fill %d)", lastLine, firstMark)
	}
	g := XY(Options{}, Curve{Name: "a", X: xs, Y: ys, Style: 2}, Curve{Name: "b", X: xs, Y: up(ys), Style: 2, Dashed: true, Marked: true})
	fr := g.Frame()
	if fr.Lines[0].Color != fr.Lines[1].Color || fr.Lines[0].Color != hexColor(Default.Color(1)) || len(fr.Marks) != 1 {
		t.Errorf("curves of Style 2: colours %s, %s, %d sets of marks", fr.Lines[0].Color, fr.Lines[1].Color, len(fr.Marks))
	}
}

func up(ys []float64) []float64 {
	out := make([]float64, len(ys))
	for i, y := range ys {
		out[i] = y + 1
	}
	return out
}

func box(f *Figure) Box {
	b, _ := f.LegendBox()
	return b
}

// shadedUnder returns the first span the figure's legend box meets, as
// drawn: spans shade the data area's full height, so x decides.
func shadedUnder(t *testing.T, f *Figure) (FrameSpan, bool) {
	t.Helper()
	box, ok := f.LegendBox()
	if !ok {
		t.Fatal("no legend drawn")
	}
	for _, s := range f.Frame().Spans {
		if box.Left <= s.Right && box.Right >= s.Left {
			return s, true
		}
	}
	return FrameSpan{}, false
}

// The legend keeps off shaded windows as it keeps off points: crashes
// shaded across the run leave no corner, so it goes beside the data; a
// window on the right leaves the top left corner free, and it goes there.
func TestLegendClearOfSpans(t *testing.T) {
	flat := metrics.NewSeries("waiting", "messages")
	for k := 0; k <= 60; k++ {
		flat.Add(sim.Time(k)*sim.Second, 1)
	}
	var every []Span
	for k := 5; k < 60; k += 5 {
		every = append(every, Span{From: sim.Time(k) * sim.Second, To: sim.Time(k+1) * sim.Second, Label: "c1 down"})
	}
	crowded := Lines(Options{Spans: every}, flat)
	if s, ok := shadedUnder(t, crowded); ok {
		t.Errorf("the legend lies on the span %s from %v to %v", s.Label, s.From, s.To)
	}
	if b, _ := crowded.LegendBox(); b.Left < crowded.Frame().Right {
		t.Errorf("every corner is shaded, yet the legend is at %+v inside the data area (right edge %.1f)", b, crowded.Frame().Right)
	}
	if p, name, ok := covered(t, crowded); ok {
		t.Errorf("the legend covers %s at (%.1f, %.1f)", name, p.VX, p.VY)
	}
	left := Lines(Options{Spans: []Span{{From: 45 * sim.Second, To: 58 * sim.Second, Label: "partition"}}}, flat)
	if s, ok := shadedUnder(t, left); ok {
		t.Errorf("the legend lies on the span %s from %v to %v", s.Label, s.From, s.To)
	}
	if b, fr := box(left), left.Frame(); b.Left < fr.Left-1 || b.Right > (fr.Left+fr.Right)/2 {
		t.Errorf("the top left corner is free, yet the legend is at %+v", b)
	}
}
