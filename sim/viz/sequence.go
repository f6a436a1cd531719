package viz

import (
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"dsim/sim"
)

// Arrow is one message in a sequence diagram: from lane From at time Sent
// to lane To at time At. A Dropped arrow ends in a cross at At.
type Arrow struct {
	From, To int
	Sent, At sim.Time
	Label    string // the message kind; arrows of one kind share a colour
	Dropped  bool
}

// Sequence draws a message-sequence (Lamport) diagram: one vertical lane
// per name, time flowing down, an arrow per message. Spans shade windows of
// time across all lanes. Colours follow the arrows' labels, in order of
// first appearance.
func Sequence(o Options, lanes []string, arrows []Arrow) *Figure {
	return sequence(o, lanes, arrows, nil)
}

// sequence is Sequence with events marked on the lanes (see SpaceTime).
func sequence(o Options, lanes []string, arrows []Arrow, events []Event) *Figure {
	p := Default.newPlot(o.Title, or(o.XLabel, ""), "")
	start, end := sim.MaxTime, sim.Time(0)
	for _, a := range arrows {
		start, end = min(start, a.Sent), max(end, a.At, a.Sent)
	}
	for _, e := range events {
		start, end = min(start, e.At), max(end, e.At)
	}
	if len(arrows) == 0 && len(events) == 0 {
		start, end = 0, o.End
	}
	// The unit follows the window's length; the axis shows virtual time.
	mul, unit := durScale((end - start).Seconds())
	p.Y.Label.Text = or(o.YLabel, "time ("+unit+"), flowing down")
	p.Y.Scale = plot.InvertedScale{Normalizer: plot.LinearScale{}}
	p.X.Tick.Marker = laneTicks(lanes)
	// Room on the right for the legend, clear of the last lane.
	p.X.Min, p.X.Max = -0.5, float64(len(lanes))+0.8
	p.Y.Min, p.Y.Max = start.Seconds()*mul, math.Max(end.Seconds()*mul, start.Seconds()*mul+1e-9)
	if len(events) > 0 {
		// Room above the first event and below the last for their marks.
		pad := (p.Y.Max - p.Y.Min) * 0.03
		p.Y.Min, p.Y.Max = p.Y.Min-pad, p.Y.Max+pad
	}

	for _, sp := range o.Spans {
		s := &hshade{from: sp.From.Seconds() * mul, to: sp.To.Seconds() * mul}
		p.Add(s)
		if sp.Label != "" {
			p.Legend.Add(sp.Label, s)
		}
	}
	p.Add(&lanesPlotter{n: len(lanes)})

	kinds := map[string]int{}
	var order []string
	for _, a := range arrows {
		if _, ok := kinds[a.Label]; !ok {
			kinds[a.Label] = len(order)
			order = append(order, a.Label)
		}
	}
	ap := &arrowsPlotter{arrows: arrows, mul: mul, kinds: kinds}
	p.Add(ap)
	if len(events) > 0 {
		p.Add(&eventsPlotter{events: events, mul: mul})
	}
	for i, k := range order {
		if k != "" {
			p.Legend.Add(k, legendLine{Default.lineStyle(i)})
		}
	}
	if hasDropped(arrows) {
		p.Legend.Add("dropped", legendCross{})
	}
	p.Legend.Top = true
	f := newFigure(o.name("sequence"), p)
	f.Height = vg.Length(math.Max(float64(Default.Height), float64(5*vg.Inch)))
	return f
}

func hasDropped(arrows []Arrow) bool {
	for _, a := range arrows {
		if a.Dropped {
			return true
		}
	}
	return false
}

// laneTicks labels lane positions with their names.
type laneTicks []string

func (l laneTicks) Ticks(min, max float64) []plot.Tick {
	t := make([]plot.Tick, len(l))
	for i, name := range l {
		t[i] = plot.Tick{Value: float64(i), Label: name}
	}
	return t
}

// lanesPlotter draws each lane as a grey vertical line.
type lanesPlotter struct{ n int }

func (l *lanesPlotter) Plot(c draw.Canvas, p *plot.Plot) {
	trX, _ := p.Transforms(&c)
	style := draw.LineStyle{Color: color.Gray{Y: 0x99}, Width: 1}
	for i := 0; i < l.n; i++ {
		x := trX(float64(i))
		c.StrokeLine2(style, x, c.Min.Y, x, c.Max.Y)
	}
}

// arrowsPlotter draws the messages.
type arrowsPlotter struct {
	arrows []Arrow
	mul    float64
	kinds  map[string]int
}

func (ap *arrowsPlotter) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	for _, a := range ap.arrows {
		style := Default.lineStyle(ap.kinds[a.Label])
		style.Width = 1.2
		x0, y0 := trX(float64(a.From)), trY(a.Sent.Seconds()*ap.mul)
		x1, y1 := trX(float64(a.To)), trY(a.At.Seconds()*ap.mul)
		if a.Dropped {
			// A dropped message goes part of the way, then stops at a cross.
			x1 = x0 + (x1-x0)*0.6
			style.Dashes = []vg.Length{3, 2}
			c.StrokeLine2(style, x0, y0, x1, y1)
			cross(c, x1, y1, style.Color)
			continue
		}
		c.StrokeLine2(style, x0, y0, x1, y1)
		head(c, x0, y0, x1, y1, style)
	}
}

// head draws an arrowhead at (x1, y1) pointing along the segment.
func head(c draw.Canvas, x0, y0, x1, y1 vg.Length, style draw.LineStyle) {
	dx, dy := float64(x1-x0), float64(y1-y0)
	l := math.Hypot(dx, dy)
	if l == 0 {
		return
	}
	ux, uy := dx/l, dy/l
	const size, spread = 6.0, 0.45
	for _, s := range []float64{spread, -spread} {
		cos, sin := math.Cos(s), math.Sin(s)
		hx := -(ux*cos - uy*sin) * size
		hy := -(ux*sin + uy*cos) * size
		c.StrokeLine2(draw.LineStyle{Color: style.Color, Width: style.Width}, x1, y1, x1+vg.Length(hx), y1+vg.Length(hy))
	}
}

func cross(c draw.Canvas, x, y vg.Length, col color.Color) {
	const r = 3.5
	style := draw.LineStyle{Color: col, Width: 1.4}
	c.StrokeLine2(style, x-r, y-r, x+r, y+r)
	c.StrokeLine2(style, x-r, y+r, x+r, y-r)
}

type legendLine struct{ style draw.LineStyle }

func (l legendLine) Thumbnail(c *draw.Canvas) {
	y := (c.Min.Y + c.Max.Y) / 2
	c.StrokeLine2(l.style, c.Min.X, y, c.Max.X, y)
}

type legendCross struct{}

func (legendCross) Thumbnail(c *draw.Canvas) {
	cross(*c, (c.Min.X+c.Max.X)/2, (c.Min.Y+c.Max.Y)/2, color.Gray{Y: 0x33})
}

// hshade fills a horizontal band between two y values: a window of time
// on a diagram whose time axis is vertical.
type hshade struct{ from, to float64 }

func (s *hshade) Plot(c draw.Canvas, p *plot.Plot) {
	_, trY := p.Transforms(&c)
	y0, y1 := trY(s.from), trY(s.to)
	if y0 > y1 {
		y0, y1 = y1, y0
	}
	y0, y1 = clamp(y0, c.Min.Y, c.Max.Y), clamp(y1, c.Min.Y, c.Max.Y)
	if y1 <= y0 {
		return
	}
	c.FillPolygon(Default.Shade, []vg.Point{{X: c.Min.X, Y: y0}, {X: c.Max.X, Y: y0}, {X: c.Max.X, Y: y1}, {X: c.Min.X, Y: y1}})
}

func (s *hshade) Thumbnail(c *draw.Canvas) {
	c.FillPolygon(Default.Shade, []vg.Point{c.Min, {X: c.Max.X, Y: c.Min.Y}, c.Max, {X: c.Min.X, Y: c.Max.Y}})
}
