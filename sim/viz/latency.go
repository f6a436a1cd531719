package viz

import (
	"image/color"
	"math"
	"strconv"
	"strings"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"dsim/sim/metrics"
)

// Bands draws latency percentiles over time: the band from p50 to p99
// shaded, lines for p50, p99 and p99.9, spans shaded behind, and the
// option's SLO as a dashed line. Windows with no requests leave gaps in the
// band's time axis but no false zeros. Options.LogY puts the latency on a
// log axis. The legend goes where it covers no line and no span.
func Bands(o Options, l *metrics.Latency) *Figure {
	w := l.Windows()
	maxS := o.SLO.Seconds()
	for _, x := range w {
		maxS = math.Max(maxS, x.P999.Seconds())
	}
	mul, unit := durScale(maxS)
	p50, p99, p999 := l.Percentile(0.5), l.Percentile(0.99), l.Percentile(0.999)
	series := []*metrics.Series{p50, p99, p999}
	div, xlabel := timeScale(lastTime(series, o))
	p := Default.newPlot(or(o.Title, l.Name+" percentiles over time"), or(o.XLabel, xlabel), or(o.YLabel, l.Name+" ("+unit+")"))
	addGrid(p)
	spans := addSpans(p, o.Spans, div)
	at := func(s *metrics.Series) func(int) (float64, float64) {
		return func(i int) (float64, float64) {
			if o.LogY && !(s.V[i] > 0) {
				return s.T[i].Seconds() / div, math.NaN()
			}
			return s.T[i].Seconds() / div, s.V[i] * mul
		}
	}
	addBand(p, runs(finiteXYs(p50.Len(), at(p50))), runs(finiteXYs(p99.Len(), at(p99))))
	var drawn []Line
	for i, s := range series {
		st := Default.lineStyle(i)
		if i == 2 {
			st.Dashes = []vg.Length{4, 3}
		}
		drawn = append(drawn, addTimeLine(p, finiteXYs(s.Len(), at(s)), metrics.QuantileName([]float64{0.5, 0.99, 0.999}[i]), st))
	}
	p.Y.Min, p.X.Min = 0, 0
	p.X.Max = math.Max(p.X.Max, o.End.Seconds()/div)
	if o.SLO > 0 {
		drawn = append(drawn, addSLO(p, o.SLO, o.SLO.Seconds()*mul))
	}
	if !o.LogY || !logAxis(p, drawn) {
		top(p, o, p.Y.Label.Text, drawn)
	}
	if o.Note == "" && len(w) == 0 {
		o.Note = "no " + l.Name + " recorded"
	}
	f := finish(p, o, Slug(l.Name)+"-percentiles", drawn, 0)
	f.spans, f.legendFree = spans, true
	return f
}

// addBand shades the band from p50 to p99: a polygon per run of windows
// with data, along p50 and back along p99. Both come from the same
// windows, so their runs match.
func addBand(p *plot.Plot, lo, hi []plotter.XYs) {
	for k := 0; k < len(lo) && k < len(hi); k++ {
		ring := append(plotter.XYs{}, lo[k]...)
		for i := len(hi[k]) - 1; i >= 0; i-- {
			ring = append(ring, hi[k][i])
		}
		if len(ring) < 3 {
			continue
		}
		if poly, err := plotter.NewPolygon(ring); err == nil {
			c := Default.Color(0).(color.NRGBA)
			c.A = 0x40
			poly.Color = c
			poly.LineStyle.Width = 0
			p.Add(poly)
			if k == 0 {
				p.Legend.Add("p50–p99", poly)
			}
		}
	}
}

// sloInk is the SLO line's colour: dark grey, apart from the palette.
var sloInk = color.Gray{Y: 0x44}

// addSLO draws the objective slo as a dashed line across the axes at y,
// its value on the latency axis, and names it in the legend.
func addSLO(p *plot.Plot, slo time.Duration, y float64) Line {
	st := draw.LineStyle{Color: sloInk, Width: Default.LineWidth, Dashes: []vg.Length{8, 3, 2, 3}}
	xy := plotter.XYs{{X: p.X.Min, Y: y}, {X: p.X.Max, Y: y}}
	return addLine(p, xy, "SLO "+slo.String(), st)
}

// logAxis puts the y axis on a log scale over the lines' positive values,
// with a fifth of the decades above them for the legend, as headroom does
// on a linear axis. It returns false, leaving the axis linear, when the
// lines hold no positive value.
func logAxis(p *plot.Plot, lines []Line) bool {
	lo, hi := math.Inf(1), 0.0
	for _, l := range lines {
		for _, piece := range l.Pieces {
			for _, v := range piece {
				lo, hi = math.Min(lo, v.Y), math.Max(hi, v.Y)
			}
		}
		for _, v := range l.Dots {
			lo, hi = math.Min(lo, v.Y), math.Max(hi, v.Y)
		}
	}
	if !(lo > 0) || math.IsInf(lo, 0) {
		return false
	}
	if hi <= lo {
		lo, hi = lo/2, hi*2
	}
	decades := math.Log10(hi / lo)
	p.Y.Min, p.Y.Max = lo/math.Pow(10, 0.05*decades), hi*math.Pow(10, 0.2*decades)
	p.Y.Scale, p.Y.Tick.Marker = plot.LogScale{}, logTicks{}
	if l := p.Y.Label.Text; strings.HasSuffix(l, ")") {
		p.Y.Label.Text = strings.TrimSuffix(l, ")") + ", log scale)"
	} else {
		p.Y.Label.Text = l + " (log scale)"
	}
	return true
}

// PercentileDist draws the latency distribution the way HdrHistogram does:
// latency against percentile on a log axis of 1/(1-q), so the tail from
// p90 to p99.99 gets as much room as the body. One line per recorder.
func PercentileDist(o Options, ls ...*metrics.Latency) *Figure {
	maxS := 0.0
	for _, l := range ls {
		maxS = math.Max(maxS, l.Max().Seconds())
	}
	mul, unit := durScale(maxS)
	p := Default.newPlot(or(o.Title, "Latency by percentile"), or(o.XLabel, "percentile"), or(o.YLabel, "latency ("+unit+")"))
	addGrid(p)
	p.X.Scale = plot.LogScale{}
	p.X.Tick.Marker = percentileTicks{}
	top := 1.0
	var drawn []Line
	for i, l := range ls {
		// 40 points a decade of 1/(1-q), up to the quantile the count can
		// resolve (1 - 1/n): past it every value is the maximum.
		h := l.Histogram()
		n := float64(h.TotalCount())
		var xy plotter.XYs
		for x := 1.0; n > 0 && x <= n; x *= math.Pow(10, 1.0/40) {
			q := 1 - 1/x
			xy = append(xy, plotter.XY{X: x, Y: float64(h.ValueAtQuantile(q*100)) / 1e9 * mul})
			top = math.Max(top, x)
		}
		drawn = append(drawn, addLine(p, xy, l.Name, Default.lineStyle(i)))
	}
	p.X.Min = 1
	p.X.Max = math.Max(100, top)
	p.Y.Min = 0
	p.Legend.Left = true
	return finish(p, o, "latency-by-percentile", drawn, 0)
}

// percentileTicks labels the 1/(1-q) axis with the percentiles people read:
// 0%, 90%, 99%, 99.9%, ...
type percentileTicks struct{}

func (percentileTicks) Ticks(min, max float64) []plot.Tick {
	var t []plot.Tick
	for x, nines := 1.0, 0; x <= max*1.0001; x, nines = x*10, nines+1 {
		t = append(t, plot.Tick{Value: x, Label: percentileLabel(nines)})
	}
	return t
}

func percentileLabel(nines int) string {
	if nines == 0 {
		return "0%"
	}
	q := 100 * (1 - math.Pow(10, -float64(nines)))
	return strconv.FormatFloat(q, 'f', max(0, nines-2), 64) + "%"
}

// CDF draws the cumulative distribution of each recorder: the fraction of
// values at or below each latency.
func CDF(o Options, ls ...*metrics.Latency) *Figure {
	maxS := 0.0
	for _, l := range ls {
		maxS = math.Max(maxS, l.Max().Seconds())
	}
	mul, unit := durScale(maxS)
	p := Default.newPlot(or(o.Title, "Latency CDF"), or(o.XLabel, "latency ("+unit+")"), or(o.YLabel, "fraction at or below"))
	addGrid(p)
	var drawn []Line
	for i, l := range ls {
		var xy plotter.XYs
		if l.Count() == 0 {
			drawn = append(drawn, Line{Name: l.Name})
			continue
		}
		for _, b := range l.Histogram().CumulativeDistribution() {
			xy = append(xy, plotter.XY{X: float64(b.ValueAt) / 1e9 * mul, Y: b.Quantile / 100})
		}
		drawn = append(drawn, addLine(p, xy, l.Name, Default.lineStyle(i)))
	}
	p.Y.Min, p.Y.Max = 0, 1
	p.X.Min = 0
	p.Legend.Top = false
	return finish(p, o, "latency-cdf", drawn, 0)
}
