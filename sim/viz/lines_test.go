package viz

import (
	"bytes"
	"testing"
	"time"

	"dsim/sim"
	"dsim/sim/metrics"
)

// windowed is a rate over windows of one second, closed at end.
func windowed(name string, end sim.Time, skip func(k int) bool) *metrics.Series {
	r := metrics.NewRate(name, sim.Second)
	for t := sim.Time(0); t < end; t += 100 * sim.Millisecond {
		if skip == nil || !skip(int(t/sim.Second)) {
			r.Add(t, 1)
		}
	}
	r.Close(end)
	s := r.Series()
	// A rate reports empty windows as zero; leave them out, as series of
	// shares or percentiles do.
	out := metrics.NewSeries(name, "1/s")
	for i, v := range s.V {
		if v > 0 {
			out.Add(s.T[i], v)
		}
	}
	return out
}

func TestPartialLastWindowStaysJoined(t *testing.T) {
	// 10.5 s: ten whole windows and half of one, plotted at 10.25 s.
	s := windowed("offered", 10500*sim.Millisecond, nil)
	lines := Lines(Options{}, s).Lines()
	if len(lines) != 1 || len(lines[0].Pieces) != 1 || lines[0].Longest() != s.Len() || len(lines[0].Dots) != 0 {
		t.Fatalf("a run ending inside a window: want one line of %d points, got %+v", s.Len(), lines)
	}
	// A sample a moment after the last grid point (a CRDT's convergence).
	d := metrics.NewSeries("distinct states", "states")
	for k := 0; k <= 144; k++ {
		d.Add(sim.Time(k)*100*sim.Millisecond, 2)
	}
	d.Add(14423*sim.Millisecond, 1)
	if l := Lines(Options{}, d).Lines()[0]; len(l.Pieces) != 1 || l.Longest() != d.Len() {
		t.Fatalf("a last sample off the grid: want one line of %d points, got %d pieces, %d dots", d.Len(), len(l.Pieces), len(l.Dots))
	}
}

func TestMissingWindowsBreakTheLineAndLonePointsAreDots(t *testing.T) {
	// Windows 0-2 and 8-9 have data; window 5 alone between gaps.
	s := windowed("answered", 10*sim.Second, func(k int) bool { return k >= 3 && k <= 7 && k != 5 })
	l := Lines(Options{}, s).Lines()[0]
	if len(l.Pieces) != 2 || len(l.Pieces[0]) != 3 || len(l.Pieces[1]) != 2 || len(l.Dots) != 1 || l.Dots[0].X != 5.5 {
		t.Fatalf("want pieces of 3 and 2 points and a dot at 5.5 s, got %+v", l)
	}
	svg, err := Lines(Options{}, s).SVG()
	if err != nil || !bytes.Contains(svg, []byte("A")) { // the dot is a filled arc
		t.Fatalf("SVG: %v", err)
	}
}

func TestShareAxesEndAt100(t *testing.T) {
	s := metrics.NewSeries("answered", "%")
	for k := 0; k < 20; k++ {
		s.Add(sim.Time(k)*sim.Second+sim.Second/2, 100)
	}
	for _, f := range []*Figure{
		Lines(Options{YLabel: "requests answered (%)"}, s),
		Lines(Options{}, s), // the unit says percent
		XY(Options{YLabel: "consistent reads (%)"}, Curve{X: []float64{0, 1, 2}, Y: []float64{40, 90, 100}}),
		XY(Options{YLabel: "share", YMax: 1}, Curve{X: []float64{0, 1}, Y: []float64{0.5, 1}}),
		BandLines(Options{YLabel: "goodput (%)"}, BandCurve{X: []float64{1, 2}, Y: []float64{50, 90}, Lower: []float64{40, 80}, Upper: []float64{60, 100}}),
	} {
		want := 100.0
		if f.Plot.Y.Label.Text == "share" {
			want = 1
		}
		if f.Plot.Y.Max != want {
			t.Errorf("%q: y axis ends at %g, want %g", f.Plot.Y.Label.Text, f.Plot.Y.Max, want)
		}
	}
	// Not a share: percent values past 100, or another unit, keep room
	// above the data for the legend.
	if f := XY(Options{YLabel: "growth (%)"}, Curve{X: []float64{0, 1}, Y: []float64{100, 250}}); f.Plot.Y.Max <= 250 {
		t.Errorf("growth (%%): y axis ends at %g, want room above 250", f.Plot.Y.Max)
	}
	// The lines fill the top: the legend moves to an empty corner.
	if f := Lines(Options{}, s); f.Plot.Legend.Top {
		t.Error("legend over lines at 100%: want it at the bottom")
	}
}

func TestEmptyFiguresSaySo(t *testing.T) {
	empty := metrics.NewLatency("wait", sim.Second)
	empty.Close(sim.Second)
	for _, c := range []struct {
		f    *Figure
		text string
	}{
		{Lines(Options{}), "no data"},
		{Lines(Options{}, metrics.NewSeries("x", "")), "no data"},
		{XY(Options{}), "no data"},
		{CDF(Options{}, empty), "no data"},
		{Bands(Options{}, empty), "no wait recorded"},
		{Bands(Options{Note: "no request was answered after t=3s"}, empty), "no request was answered after t=3s"},
		{Lines(Options{Note: "a note"}, windowed("x", 3*sim.Second, nil)), "a note"},
	} {
		svg, err := c.f.SVG()
		if err != nil || !bytes.Contains(svg, []byte(c.text)) {
			t.Errorf("%s: want %q written on it (err %v)", c.f.Name, c.text, err)
		}
	}
	svg, _ := Lines(Options{}, windowed("x", 3*sim.Second, nil)).SVG()
	if bytes.Contains(svg, []byte("no data")) {
		t.Error("a figure with data says no data")
	}
}

// A line lying on an earlier one is drawn dashed, so both show; one that
// only crosses it stays solid.
func TestOverlappingLinesAreDashed(t *testing.T) {
	a, b, c := metrics.NewSeries("a", "n"), metrics.NewSeries("b", "n"), metrics.NewSeries("c", "n")
	for k := 0; k < 20; k++ {
		at := sim.Time(k) * sim.Second
		a.Add(at, 1)
		b.Add(at, float64(k%2)) // on a at every other point
		c.Add(at, float64(k))   // crosses a once
	}
	fr := Lines(Options{}, a, b, c).Frame()
	if fr.Lines[0].Dashed || !fr.Lines[1].Dashed || fr.Lines[2].Dashed {
		t.Errorf("dashed: a %v, b %v, c %v; want only b", fr.Lines[0].Dashed, fr.Lines[1].Dashed, fr.Lines[2].Dashed)
	}
}

// Bands draws Options.SLO as a line across the axes at the SLO, in the
// axis' unit; on a log axis (LogY) a spike of a minute leaves the
// SLO and the milliseconds around it well apart.
func TestBandsSLO(t *testing.T) {
	l := metrics.NewLatency("response time", sim.Minute)
	for k := 0; k < 30; k++ {
		v := 150 * time.Millisecond
		if k >= 10 && k < 12 {
			v = time.Minute
		}
		for j := 0; j < 50; j++ {
			l.Record(sim.Time(k)*sim.Minute+sim.Time(j)*sim.Second, sim.FromDuration(v+time.Duration(j)*10*time.Millisecond))
		}
	}
	for _, logY := range []bool{false, true} {
		f := Bands(Options{SLO: 2 * time.Second, LogY: logY}, l)
		fr := f.Frame()
		var slo *FrameLine
		for i := range fr.Lines {
			if fr.Lines[i].Name == "SLO 2s" {
				slo = &fr.Lines[i]
			}
		}
		label := map[bool]string{false: "response time (s)", true: "response time (s, log scale)"}[logY]
		if slo == nil || fr.YLabel != label {
			t.Fatalf("log %v: no line named SLO 2s on the axis %q", logY, fr.YLabel)
		}
		first, last := slo.Points[0], slo.Points[len(slo.Points)-1]
		if first.VY != 2 || last.VY != 2 || first.Y != last.Y || first.X > fr.Left+1 || last.X < fr.Right-1 {
			t.Errorf("log %v: the SLO line runs from %+v to %+v, want y=2 across %.0f..%.0f", logY, first, last, fr.Left, fr.Right)
		}
		rise := (fr.Bottom - first.Y) / (fr.Bottom - fr.Top)
		if logY && rise < 0.2 || !logY && rise > 0.1 {
			t.Errorf("log %v: the SLO lies %.0f%% up the axis", logY, 100*rise)
		}
		if p, name, ok := covered(t, f); ok {
			t.Errorf("log %v: the legend covers %s at (%.1f, %.1f)", logY, name, p.VX, p.VY)
		}
	}
}
