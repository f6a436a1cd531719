package viz

import (
	"image/color"
	"math"

	"gonum.org/v1/plot/plotter"
)

// BandCurve is a line with a band around it: a mean and its confidence
// interval at each x.
type BandCurve struct {
	Name         string
	X, Y         []float64
	Lower, Upper []float64
}

// BandLines draws each curve as a line over a shaded band in its colour,
// against a numeric x axis: the figure of a parameter study over one knob.
// Points with a non-finite value are left out.
func BandLines(o Options, curves ...BandCurve) *Figure {
	p := Default.newPlot(o.Title, o.XLabel, o.YLabel)
	addGrid(p)
	nonNegative := true
	var drawn []Line
	for i, c := range curves {
		n := min(len(c.X), len(c.Y), len(c.Lower), len(c.Upper))
		var lo, hi, mid plotter.XYs
		for j := 0; j < n; j++ {
			if finite(c.X[j]) && finite(c.Y[j]) && finite(c.Lower[j]) && finite(c.Upper[j]) {
				lo = append(lo, plotter.XY{X: c.X[j], Y: c.Lower[j]})
				hi = append(hi, plotter.XY{X: c.X[j], Y: c.Upper[j]})
				mid = append(mid, plotter.XY{X: c.X[j], Y: c.Y[j]})
				nonNegative = nonNegative && c.Lower[j] >= 0
			}
		}
		if len(lo) >= 2 {
			ring := append(plotter.XYs{}, lo...)
			for k := len(hi) - 1; k >= 0; k-- {
				ring = append(ring, hi[k])
			}
			if poly, err := plotter.NewPolygon(ring); err == nil {
				c := Default.Color(i).(color.NRGBA)
				c.A = 0x38
				poly.Color = c
				poly.LineStyle.Width = 0
				p.Add(poly)
			}
		}
		drawn = append(drawn, addLine(p, mid, c.Name, Default.lineStyle(i)))
	}
	if nonNegative && len(curves) > 0 {
		p.Y.Min = 0
	}
	p.Legend.Left = true
	top(p, o, o.YLabel, drawn)
	return finish(p, o, "bands", drawn, 0)
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
