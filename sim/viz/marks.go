package viz

import (
	"math"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// markStyle is the marker of the shape-th set of points in the colour-th
// colour. The first shape is a filled circle; the others are outlines and
// crosses drawn with a line as thick as the theme's, through which a mark
// beneath stays visible.
func markStyle(colour, shape int) draw.GlyphStyle {
	shapes := []draw.GlyphDrawer{draw.CircleGlyph{}, outline{cross: true}, outline{sides: 0}, outline{sides: 4},
		outline{plus: true}, outline{sides: 3}}
	g := draw.GlyphStyle{Color: Default.Color(colour), Radius: 4.5, Shape: shapes[shape%len(shapes)]}
	if shape%len(shapes) == 0 {
		g.Radius = 5
	}
	return g
}

// outline is a marker drawn as a stroke: a polygon of sides (0: a circle),
// or a cross (×) or plus (+).
type outline struct {
	sides       int
	cross, plus bool
}

func (o outline) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	c.SetLineStyle(draw.LineStyle{Color: sty.Color, Width: Default.LineWidth})
	r := sty.Radius
	var path vg.Path
	switch {
	case o.cross || o.plus:
		a := math.Pi / 4
		if o.plus {
			a = 0
		}
		for k := 0; k < 2; k++ {
			dx, dy := r*vg.Length(math.Cos(a+float64(k)*math.Pi/2)), r*vg.Length(math.Sin(a+float64(k)*math.Pi/2))
			path.Move(vg.Point{X: pt.X - dx, Y: pt.Y - dy})
			path.Line(vg.Point{X: pt.X + dx, Y: pt.Y + dy})
		}
	case o.sides == 0:
		path.Move(vg.Point{X: pt.X + r, Y: pt.Y})
		path.Arc(pt, r, 0, 2*math.Pi)
		path.Close()
	default:
		for k := 0; k <= o.sides; k++ {
			a := math.Pi/2 + 2*math.Pi*float64(k)/float64(o.sides)
			if o.sides == 4 {
				a += math.Pi / 4
			}
			q := vg.Point{X: pt.X + r*vg.Length(math.Cos(a)), Y: pt.Y + r*vg.Length(math.Sin(a))}
			if k == 0 {
				path.Move(q)
			} else {
				path.Line(q)
			}
		}
		path.Close()
	}
	c.Stroke(path)
}
