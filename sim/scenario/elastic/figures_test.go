package elastic

import (
	"strings"
	"testing"
	"time"

	"gonum.org/v1/plot"

	"dsim/sim/viz"
)

// The latency figure of every preset draws the SLO as a line at the SLO,
// and its legend covers no line and no shaded surge. A spike whose backlog
// lasts a minute puts the axis on a log scale, where the SLO stands clear
// of the bottom; the other presets keep a linear axis.
func TestLatencyFigureSLO(t *testing.T) {
	for _, p := range Presets() {
		r := presetRun(t, p.Name)
		f := r.LatencyFigure()
		fr := f.Frame()
		unit := map[string]time.Duration{"(µs": time.Microsecond, "(ms": time.Millisecond, "(s": time.Second} // "(s)" or "(s, log scale)"
		var per time.Duration
		for suffix, d := range unit {
			if strings.Contains(fr.YLabel, suffix) {
				per = d
			}
		}
		var slo *viz.FrameLine
		for i, l := range fr.Lines {
			if l.Name == "SLO "+r.Config.SLO.String() {
				slo = &fr.Lines[i]
			}
		}
		if per == 0 || slo == nil || len(slo.Points) < 2 {
			t.Errorf("%s: no SLO line in %q (y axis %q)", p.Name, f.Name, fr.YLabel)
			continue
		}
		for _, pt := range slo.Points {
			if got := time.Duration(pt.VY * float64(per)); got != r.Config.SLO || pt.Y != slo.Points[0].Y {
				t.Errorf("%s: the SLO line passes %v at x=%.1f, want %v across", p.Name, got, pt.VX, r.Config.SLO)
			}
		}
		if slo.Points[0].X > fr.Left+1 || slo.Points[len(slo.Points)-1].X < fr.Right-1 {
			t.Errorf("%s: the SLO line runs from %.0f to %.0f, not across the axes (%.0f to %.0f)", p.Name, slo.Points[0].X, slo.Points[len(slo.Points)-1].X, fr.Left, fr.Right)
		}
		_, logY := f.Plot.Y.Scale.(plot.LogScale)
		if want := p.Name == "spike"; logY != want {
			t.Errorf("%s: log y axis %v, want %v", p.Name, logY, want)
		}
		if rise := (fr.Bottom - slo.Points[0].Y) / (fr.Bottom - fr.Top); rise < 0.2 {
			t.Errorf("%s: the SLO line lies %.0f%% up the axis: what lies under it is squeezed flat", p.Name, 100*rise)
		}
		legendClear(t, p.Name, f, fr)
	}
}

// legendClear reports a point of a line or a shaded span under f's legend.
func legendClear(t *testing.T, name string, f *viz.Figure, fr viz.Frame) {
	t.Helper()
	box, ok := f.LegendBox()
	if !ok {
		t.Errorf("%s: %s has no legend", name, f.Name)
		return
	}
	for _, l := range fr.Lines {
		for _, pt := range l.Points {
			if box.Contains(pt.X, pt.Y) {
				t.Errorf("%s: the legend covers %s at (%.1f, %.1f)", name, l.Name, pt.VX, pt.VY)
				break
			}
		}
	}
	for _, sp := range fr.Spans {
		if box.Left <= sp.Right && box.Right >= sp.Left {
			t.Errorf("%s: the legend lies on %s", name, sp.Label)
		}
	}
}
