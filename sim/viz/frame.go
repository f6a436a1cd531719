package viz

import (
	"fmt"
	"image/color"
	"math"
	"sort"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"

	"dsim/sim"
)

// Frame places what a figure draws on its SVG image, for a front end that
// adds interaction to the image: the value of each line under the pointer,
// a label on each shaded window. Coordinates are the image's own units,
// those of the SVG's viewBox (points, 1/72 inch), x from the left and y
// from the top, as a browser reads them.
type Frame struct {
	Width, Height float64
	// The data area: the rectangle the axes frame.
	Left, Top, Right, Bottom float64
	XLabel, YLabel           string
	// Lines are Figure.Lines placed on the image, in drawing order.
	Lines []FrameLine
	// Spans are the shaded windows (Options.Spans), in their order.
	Spans []FrameSpan
	// Marks are XY's markers (Curve.Points and Curve.Marked), each set
	// placed as a line's points are.
	Marks []FrameLine
}

// FrameLine is a line's drawn points on the image.
type FrameLine struct {
	Name   string
	Color  string // "#rrggbb"
	Dashed bool   // drawn dashed (it lies on an earlier line, or was asked to)
	// Points are the points drawn, joined or not, in order of x; a line of
	// more than MaxFramePoints is thinned to that many, evenly.
	Points []FramePoint
}

// FramePoint is a point on the image and its values on the axes.
type FramePoint struct {
	X, Y   float64 // on the image
	VX, VY float64 // in the axes' units (the x axis of time in s, min or h, as labelled)
}

// FrameSpan is a shaded window of time and where it lies on the image,
// clipped to the data area.
type FrameSpan struct {
	Label       string
	From, To    sim.Time
	Left, Right float64
}

// MaxFramePoints bounds the points a FrameLine carries, so that a page
// stays small whatever the run's length.
const MaxFramePoints = 2000

// Frame computes the figure's frame. It lays the plot out as WriteSVG does
// (the same layout, without drawing), so call it after the figure is
// complete. Cost: one layout and one pass over the lines' points.
func (f *Figure) Frame() Frame {
	w, h := f.Width, f.Height
	dc := f.plotCanvas(draw.New(vgsvg.New(w, h)))
	da := f.Plot.DataCanvas(dc)
	trX, trY := f.Plot.Transforms(&da)
	H := float64(h)
	// The SVG's y axis points down from the top; vg's points up.
	img := func(x, y vg.Length) (float64, float64) { return float64(x), H - float64(y) }
	fr := Frame{Width: float64(w), Height: H, XLabel: f.Plot.X.Label.Text, YLabel: f.Plot.Y.Label.Text}
	fr.Left, fr.Bottom = img(da.Min.X, da.Min.Y)
	fr.Right, fr.Top = img(da.Max.X, da.Max.Y)
	place := func(l Line) FrameLine {
		fl := FrameLine{Name: l.Name, Color: hexColor(l.color), Dashed: l.dashed}
		var pts []FramePoint
		add := func(vx, vy float64) {
			x, y := img(trX(vx), trY(vy))
			pts = append(pts, FramePoint{X: x, Y: y, VX: vx, VY: vy})
		}
		for _, piece := range l.Pieces {
			for _, p := range piece {
				add(p.X, p.Y)
			}
		}
		for _, d := range l.Dots {
			add(d.X, d.Y)
		}
		sort.SliceStable(pts, func(i, j int) bool { return pts[i].X < pts[j].X })
		fl.Points = thin(pts, MaxFramePoints)
		return fl
	}
	for _, l := range f.lines {
		fr.Lines = append(fr.Lines, place(l))
	}
	for _, l := range f.marks {
		fr.Marks = append(fr.Marks, place(l))
	}
	for _, s := range f.spans {
		x0, _ := img(clamp(trX(s.from), da.Min.X, da.Max.X), 0)
		x1, _ := img(clamp(trX(s.to), da.Min.X, da.Max.X), 0)
		fr.Spans = append(fr.Spans, FrameSpan{Label: s.Label, From: s.From, To: s.To, Left: x0, Right: x1})
	}
	return fr
}

// thin keeps at most n of pts, evenly spread, the first and last kept.
func thin(pts []FramePoint, n int) []FramePoint {
	if len(pts) <= n || n < 2 {
		return pts
	}
	out := make([]FramePoint, n)
	step := float64(len(pts)-1) / float64(n-1)
	for i := range out {
		out[i] = pts[int(math.Round(float64(i)*step))]
	}
	return out
}

func hexColor(c color.Color) string {
	if c == nil {
		return "#000000"
	}
	r, g, b, _ := c.RGBA()
	return fmt.Sprintf("#%02x%02x%02x", r>>8, g>>8, b>>8)
}
