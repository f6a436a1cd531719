package viz

import (
	"math"
	"strconv"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"dsim/sim"
	"dsim/sim/metrics"
)

// Options are the words and marks a figure carries. Empty fields get
// sensible defaults from the data (a time axis in s or min, the unit of the
// first series on the y axis).
type Options struct {
	Title  string
	XLabel string
	YLabel string
	Name   string   // file name stem; defaults to Slug(Title)
	Spans  []Span   // windows of time shaded on time axes
	End    sim.Time // the end of the run: time axes reach at least this far
	// YMax is the top of the y axis when the quantity has one: 100 for a
	// percentage, 1 for a share. Zero means from the data (an axis in
	// percent, labelled "(%)", still stops at 100).
	YMax float64
	// Note is a line of text written on the figure, for what the data
	// cannot show: "no request was answered after t=35s". A figure with
	// nothing to draw says "no data" when Note is empty.
	Note string
	// LogX puts XY's x axis on a log scale (times that span orders of
	// magnitude); points with x <= 0 are left out.
	LogX bool
	// LogY puts Bands' latency axis on a log scale, so that a spike of
	// minutes leaves the milliseconds around it readable; latencies of
	// zero are left out.
	LogY bool
	// SLO draws a latency objective on Bands as a dashed horizontal line,
	// named in the legend ("SLO 2s"); zero draws none.
	SLO time.Duration
}

// Span is a window of virtual time to shade: a trigger, a partition, a
// crash. Its label goes in the legend.
type Span struct {
	From, To sim.Time
	Label    string
}

func (o Options) name(fallback string) string {
	switch {
	case o.Name != "":
		return o.Name
	case o.Title != "":
		return Slug(o.Title)
	}
	return fallback
}

func or(s, fallback string) string {
	if s != "" {
		return s
	}
	return fallback
}

// timeScale picks the unit of a time axis from the run's length.
func timeScale(end sim.Time) (div float64, label string) {
	switch {
	case end > 3*sim.Hour:
		return 3600, "time (h)"
	case end > 10*sim.Minute:
		return 60, "time (min)"
	}
	return 1, "time (s)"
}

// durScale picks the unit of a duration axis from its largest value in s.
func durScale(maxSeconds float64) (mul float64, unit string) {
	switch {
	case maxSeconds < 0.01:
		return 1e6, "µs"
	case maxSeconds < 10:
		return 1e3, "ms"
	}
	return 1, "s"
}

func lastTime(series []*metrics.Series, o Options) sim.Time {
	spans := o.Spans
	end := o.End
	for _, s := range series {
		if n := s.Len(); n > 0 && s.T[n-1] > end {
			end = s.T[n-1]
		}
	}
	for _, sp := range spans {
		if sp.To > end {
			end = sp.To
		}
	}
	return end
}

// finiteXYs keeps the finite points: plotters refuse NaN and Inf.
func finiteXYs(n int, at func(i int) (x, y float64)) plotter.XYs {
	xy := make(plotter.XYs, 0, n)
	for i := 0; i < n; i++ {
		x, y := at(i)
		if !math.IsNaN(x) && !math.IsNaN(y) && !math.IsInf(x, 0) && !math.IsInf(y, 0) {
			xy = append(xy, plotter.XY{X: x, Y: y})
		}
	}
	return xy
}

// Lines draws series over time, one line each, with the option's spans
// shaded behind them. The y axis starts at zero when no value is negative.
// Non-finite points are left out.
func Lines(o Options, series ...*metrics.Series) *Figure {
	div, xlabel := timeScale(lastTime(series, o))
	ylabel := o.YLabel
	if ylabel == "" && len(series) > 0 {
		ylabel = series[0].Unit
	}
	p := Default.newPlot(o.Title, or(o.XLabel, xlabel), ylabel)
	addGrid(p)
	spans := addSpans(p, o.Spans, div)
	nonNegative := true
	var drawn []Line
	var earlier []plotter.XYs
	for i, s := range series {
		xy := finiteXYs(s.Len(), func(j int) (float64, float64) { return s.T[j].Seconds() / div, s.V[j] })
		for _, v := range xy {
			nonNegative = nonNegative && v.Y >= 0
		}
		style := Default.lineStyle(i)
		if overlaps(xy, earlier) {
			style.Dashes = []vg.Length{5, 4}
		}
		earlier = append(earlier, xy)
		drawn = append(drawn, addTimeLine(p, xy, s.Name, style))
	}
	if nonNegative {
		p.Y.Min = 0
	}
	p.X.Min = 0 // runs start at time zero
	p.X.Max = math.Max(p.X.Max, o.End.Seconds()/div)
	top(p, o, ylabel, drawn)
	f := finish(p, o, "lines", drawn, 0)
	f.spans, f.legendFree = spans, true
	return f
}

// overlaps says whether a quarter or more of xy's points (three at least)
// lie on points of the lines drawn before it: drawn solid, it would hide
// them there, so it is drawn dashed and both show.
func overlaps(xy plotter.XYs, earlier []plotter.XYs) bool {
	if len(earlier) == 0 || len(xy) < 3 {
		return false
	}
	type key struct{ x, y float64 }
	seen := map[key]bool{}
	for _, e := range earlier {
		for _, p := range e {
			seen[key{p.X, p.Y}] = true
		}
	}
	same := 0
	for _, p := range xy {
		if seen[key{p.X, p.Y}] {
			same++
		}
	}
	return same >= 3 && 4*same >= len(xy)
}

func addGrid(p *plot.Plot) {
	g := plotter.NewGrid()
	g.Vertical.Color = Default.Grid
	g.Horizontal.Color = Default.Grid
	g.Vertical.Width = 0.5
	g.Horizontal.Width = 0.5
	p.Add(g)
}

// addSpans shades each span across the full height of the data area and
// returns the shades, for Figure.Frame.
func addSpans(p *plot.Plot, spans []Span, div float64) []spanShade {
	var drawn []spanShade
	for _, sp := range spans {
		s := &shade{from: sp.From.Seconds() / div, to: sp.To.Seconds() / div}
		p.Add(s)
		if sp.Label != "" {
			p.Legend.Add(sp.Label, s)
		}
		drawn = append(drawn, spanShade{Span: sp, shade: s})
	}
	return drawn
}

// spanShade is a span and its shade on the axes.
type spanShade struct {
	Span
	*shade
}

// shade is a plotter that fills a vertical band between two x values, at
// least min wide (a fault of a few milliseconds on an axis of seconds).
type shade struct {
	from, to float64
	min      vg.Length
}

func (s *shade) Plot(c draw.Canvas, p *plot.Plot) {
	trX, _ := p.Transforms(&c)
	x0, x1, ok := s.extent(trX, c)
	if !ok {
		return
	}
	c.FillPolygon(Default.Shade, []vg.Point{{X: x0, Y: c.Min.Y}, {X: x1, Y: c.Min.Y}, {X: x1, Y: c.Max.Y}, {X: x0, Y: c.Max.Y}})
}

// extent is the range of x the shade fills on the data area c, with trX
// its transform; ok is false when it falls outside.
func (s *shade) extent(trX func(float64) vg.Length, c draw.Canvas) (x0, x1 vg.Length, ok bool) {
	x0 = clamp(trX(s.from), c.Min.X, c.Max.X)
	x1 = clamp(trX(s.to), c.Min.X, c.Max.X)
	if x1-x0 < s.min {
		x1 = min(x0+s.min, c.Max.X)
	}
	return x0, x1, x1 > x0
}

// DataRange includes the span on the x axis only.
func (s *shade) DataRange() (xmin, xmax, ymin, ymax float64) {
	return s.from, s.to, math.Inf(1), math.Inf(-1)
}

func (s *shade) Thumbnail(c *draw.Canvas) {
	c.FillPolygon(Default.Shade, []vg.Point{c.Min, {X: c.Max.X, Y: c.Min.Y}, c.Max, {X: c.Min.X, Y: c.Max.Y}})
}

func clamp(v, lo, hi vg.Length) vg.Length {
	if v < lo {
		return lo
	}
	if v > hi {
		return hi
	}
	return v
}

// Curve is a named set of (x, y) points for XY: a line, or markers alone
// when Points is set (a measured value against a theory curve).
type Curve struct {
	Name   string
	X, Y   []float64
	Points bool
	// Style picks the curve's colour and marker shape, the Style-th of the
	// palette and of the shapes (1 is the first), so that related curves
	// can share a colour and differ by Dashed; zero takes the curve's place
	// among the curves for the colour, among those with markers for the
	// shape.
	Style int
	// Dashed draws the line dashed; Marked draws a marker at each of its
	// points too.
	Dashed, Marked bool
}

// XY draws curves against a numeric x axis. The y axis starts at zero when
// no value is negative. Non-finite points are left out. Markers are drawn
// above every line, each set in its own shape (a filled circle first, then
// outlines and crosses, which let a mark beneath show through), so that
// measured points stay visible on a theory curve and on each other. The
// legend goes where it covers no point, or beside the data.
func XY(o Options, curves ...Curve) *Figure {
	p := Default.newPlot(o.Title, o.XLabel, o.YLabel)
	addGrid(p)
	nonNegative := true
	var drawn, marks []Line
	var scatters []*plotter.Scatter
	marked := 0
	for i, c := range curves {
		n := min(len(c.X), len(c.Y))
		xy := finiteXYs(n, func(j int) (float64, float64) {
			if o.LogX && c.X[j] <= 0 {
				return math.NaN(), 0
			}
			return c.X[j], c.Y[j]
		})
		for _, v := range xy {
			nonNegative = nonNegative && v.Y >= 0
		}
		colour, shape := i, marked
		if c.Style > 0 {
			colour, shape = c.Style-1, c.Style-1
		}
		if c.Points || c.Marked {
			marked++
		}
		style := Default.lineStyle(colour)
		if c.Dashed {
			style.Dashes = []vg.Length{6, 3}
			// Wide enough to show a dash each side of a marker.
			p.Legend.ThumbnailWidth = 32
		}
		var line *Line
		if !c.Points {
			drawn = append(drawn, addLine(p, xy, "", style))
			line = &drawn[len(drawn)-1]
			line.Name = c.Name
		}
		var s *plotter.Scatter
		if (c.Points || c.Marked) && len(xy) > 0 {
			marks = append(marks, Line{Name: c.Name, Dots: xy, color: style.Color})
			s, _ = plotter.NewScatter(xy)
		}
		if s != nil {
			s.GlyphStyle = markStyle(colour, shape)
			scatters = append(scatters, s)
		}
		switch {
		case c.Name == "":
		case line != nil && line.Points() > 0 && s != nil:
			p.Legend.Add(c.Name, legendLine{style}, s)
		case line != nil && line.Points() > 0:
			p.Legend.Add(c.Name, legendLine{style})
		case s != nil:
			p.Legend.Add(c.Name, s)
		}
	}
	for _, s := range scatters {
		p.Add(s)
	}
	if nonNegative && len(curves) > 0 {
		p.Y.Min = 0
	}
	if o.LogX {
		p.X.Scale, p.X.Tick.Marker = plot.LogScale{}, logTicks{}
	}
	p.Legend.Left = true
	top(p, o, o.YLabel, append(append([]Line(nil), drawn...), marks...))
	f := finish(p, o, "xy", drawn, points(marks))
	f.marks, f.legendFree = marks, true
	return f
}

// logTicks labels a log axis at 1, 2 and 5 times the powers of ten,
// with unlabelled ticks between: the powers alone leave a range under a
// decade with one label or none.
type logTicks struct{}

func (logTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(lo > 0) || !(hi > lo) {
		return nil
	}
	var ticks []plot.Tick
	for p := math.Pow(10, math.Floor(math.Log10(lo))); p <= hi; p *= 10 {
		for m := 1; m <= 9; m++ {
			v := float64(m) * p
			if v < lo || v > hi {
				continue
			}
			t := plot.Tick{Value: v}
			if m == 1 || m == 2 || m == 5 {
				t.Label = strconv.FormatFloat(v, 'g', -1, 64)
			}
			ticks = append(ticks, t)
		}
	}
	return ticks
}
