package viz

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// Histogram draws the distribution of values in bins (0 means a bin count
// chosen from the data, by Sturges' rule). Non-finite values are left out.
func Histogram(o Options, values []float64, bins int) *Figure {
	p := Default.newPlot(or(o.Title, "Histogram"), o.XLabel, or(o.YLabel, "count"))
	addGrid(p)
	vs := make(plotter.Values, 0, len(values))
	for _, v := range values {
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			vs = append(vs, v)
		}
	}
	if bins <= 0 {
		bins = int(math.Ceil(math.Log2(float64(len(vs))))) + 1
	}
	if len(vs) > 0 {
		if h, err := plotter.NewHist(vs, bins); err == nil {
			h.FillColor = Default.Color(0)
			h.LineStyle.Color = color.White
			h.LineStyle.Width = 0.5
			p.Add(h)
		}
	}
	p.Y.Min = 0
	return newFigure(o.name("histogram"), p)
}

// Bars draws one bar per label. Lengths must match; extra values are dropped.
func Bars(o Options, labels []string, values []float64) *Figure {
	p := Default.newPlot(o.Title, o.XLabel, o.YLabel)
	addGrid(p)
	n := min(len(labels), len(values))
	vs := make(plotter.Values, n)
	for i := 0; i < n; i++ {
		vs[i] = values[i]
		if math.IsNaN(vs[i]) || math.IsInf(vs[i], 0) {
			vs[i] = 0
		}
	}
	if n > 0 {
		// Bars fill 60% of their slot; the axis spans the slots exactly.
		width := vg.Length(float64(Default.Width) * 0.85 * 0.6 / float64(n))
		if b, err := plotter.NewBarChart(vs, width); err == nil {
			b.Color = Default.Color(0)
			b.LineStyle.Width = 0
			p.Add(b)
		}
		p.NominalX(labels[:n]...)
		p.X.Min, p.X.Max = -0.5, float64(n)-0.5
	}
	p.Y.Min = math.Min(0, p.Y.Min)
	if p.Y.Min == 0 && p.Y.Max <= 0 {
		p.Y.Max = 1 // all zero: an axis from 0, not one around it
	}
	headroom(p)
	return newFigure(o.name("bars"), p)
}

// Grid is a matrix of values over two knobs, for Heatmap: Z[i][j] is the
// value at X[j], Y[i]. X and Y hold the knob values in increasing order.
type Grid struct {
	X, Y []float64
	Z    [][]float64
}

// Heatmap draws g as coloured cells with a colour bar keyed zlabel. Cells
// that are NaN are left blank.
func Heatmap(o Options, g Grid, zlabel string) *Figure {
	p := Default.newPlot(o.Title, o.XLabel, o.YLabel)
	if err := g.check(); err != nil {
		p.Title.Text += " (" + err.Error() + ")"
		return newFigure(o.name("heatmap"), p)
	}
	cmap := moreland.SmoothBlueRed()
	lo, hi := g.zRange()
	cmap.SetMin(lo)
	cmap.SetMax(hi)
	h := plotter.NewHeatMap(gridXYZ{g}, cmap.Palette(64))
	h.Min, h.Max = lo, hi
	h.NaN = color.Transparent
	p.Add(h)
	// The key's label runs up beside the bar, so a long one is not cut
	// to the bar's narrow width.
	key := Default.newPlot("", "", zlabel)
	key.HideX()
	key.Add(&plotter.ColorBar{ColorMap: cmap, Vertical: true})
	f := newFigure(o.name("heatmap"), p)
	f.key = key
	return f
}

type gridXYZ struct{ g Grid }

func (x gridXYZ) Dims() (c, r int)   { return len(x.g.X), len(x.g.Y) }
func (x gridXYZ) Z(c, r int) float64 { return x.g.Z[r][c] }
func (x gridXYZ) X(c int) float64    { return x.g.X[c] }
func (x gridXYZ) Y(r int) float64    { return x.g.Y[r] }

func (g Grid) check() error {
	if len(g.X) == 0 || len(g.Y) == 0 {
		return fmt.Errorf("no data")
	}
	if len(g.Z) != len(g.Y) {
		return fmt.Errorf("Z has %d rows for %d Y values", len(g.Z), len(g.Y))
	}
	for i, row := range g.Z {
		if len(row) != len(g.X) {
			return fmt.Errorf("Z row %d has %d values for %d X values", i, len(row), len(g.X))
		}
	}
	return nil
}

func (g Grid) zRange() (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, row := range g.Z {
		for _, v := range row {
			if !math.IsNaN(v) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	if lo > hi {
		return 0, 1
	}
	if lo == hi {
		hi = lo + 1
	}
	return lo, hi
}
