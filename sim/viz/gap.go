package viz

import (
	"image/color"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// gapScale is a time axis with one quiet stretch [a, b] squeezed: the
// part before it and the part after it are linear, each on its own share
// of the axis, so that a long wait between two busy parts (a lab run's
// recovery before its final reads) does not flatten both.
type gapScale struct {
	a, b float64
	// The shares of the axis before a and inside [a, b]; the rest is
	// after b.
	before, gap float64
}

// newGapScale shares the axis [min, max] around [a, b]: the gap gets 6%,
// the part after it its proportional share between 10% and 30%.
func newGapScale(min, a, b, max float64) gapScale {
	const gap = 0.06
	after := (max - b) / ((a - min) + (max - b))
	after = math.Min(math.Max(after*(1-gap), 0.10), 0.30)
	return gapScale{a: a, b: b, before: 1 - gap - after, gap: gap}
}

func (g gapScale) Normalize(min, max, x float64) float64 {
	switch {
	case x <= g.a:
		return g.before * (x - min) / (g.a - min)
	case x <= g.b:
		return g.before + g.gap*(x-g.a)/(g.b-g.a)
	}
	return g.before + g.gap + (1-g.before-g.gap)*(x-g.b)/(max-g.b)
}

// Ticks: nice ticks before the gap, and the ends of the part after it.
func (g gapScale) Ticks(min, max float64) []plot.Tick {
	var out []plot.Tick
	for _, t := range (niceTicks{}).Ticks(min, g.a) {
		if t.Value <= g.a {
			out = append(out, t)
		}
	}
	// The part after the gap is on its own scale: label both its ends, to
	// as many digits as its length needs.
	digits := max0(int(math.Ceil(-math.Log10(max-g.b))) + 1)
	return append(out, plot.Tick{Value: g.b, Label: strconv.FormatFloat(g.b, 'f', -1, 64)},
		plot.Tick{Value: max, Label: strconv.FormatFloat(max, 'f', digits, 64)})
}

// gapBand greys the squeezed stretch, so that no one reads its width as
// time.
type gapBand struct{ from, to float64 }

var gapColor = color.Gray{Y: 0xEE}

func (s gapBand) Plot(c draw.Canvas, p *plot.Plot) {
	trX, _ := p.Transforms(&c)
	x0, x1 := trX(s.from), trX(s.to)
	c.FillPolygon(gapColor, []vg.Point{{X: x0, Y: c.Min.Y}, {X: x1, Y: c.Min.Y}, {X: x1, Y: c.Max.Y}, {X: x0, Y: c.Max.Y}})
	st := draw.LineStyle{Color: color.Gray{Y: 0x99}, Width: 0.8, Dashes: []vg.Length{2, 2}}
	c.StrokeLine2(st, x0, c.Min.Y, x0, c.Max.Y)
	c.StrokeLine2(st, x1, c.Min.Y, x1, c.Max.Y)
}

func (gapBand) Thumbnail(c *draw.Canvas) {
	c.FillPolygon(gapColor, []vg.Point{c.Min, {X: c.Max.X, Y: c.Min.Y}, c.Max, {X: c.Min.X, Y: c.Max.Y}})
}
