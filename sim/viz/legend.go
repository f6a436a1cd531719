package viz

import (
	"image/color"
	"math"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/recorder"
)

// legendMargin is the room kept between the legend and any point: the
// legend is drawn against the axes' edge, up to a marker's radius outside
// the data area, and a marker drawn at a point spreads that far too.
const legendMargin = 6

// placeLegendFree puts the legend of a figure drawn on dc in the first
// corner (the one asked for first, then top right, top left, bottom right,
// bottom left) where its box covers none of the points drawn (lines,
// counting the whole of each segment, dots and markers), no shaded span
// (a fault window under the legend's text hides the window and blurs the
// text) and not the note. It returns false when every corner covers some:
// the legend then goes beside the data (see plotCanvas).
func (f *Figure) placeLegendFree(dc draw.Canvas) bool {
	l := &f.Plot.Legend
	if f.prefer == nil {
		f.prefer = &corner{top: l.Top, left: l.Left}
	}
	l.XOffs, l.YOffs = 0, 0
	l.Top, l.Left = f.prefer.top, f.prefer.left
	da := f.Plot.DataCanvas(dc)
	size := l.Rectangle(da).Size()
	if size.X == 0 {
		return true // no legend
	}
	pts := f.drawnPoints(da)
	shaded := f.shadedX(da)
	// gonum draws a legend at the top against the axes' top, under the
	// title, not against the data area, which a tick label at the top of
	// the y axis lowers (a log axis, often).
	area := da
	area.Max.Y = dc.Max.Y
	if t := f.Plot.Title; t.Text != "" {
		area.Max.Y -= t.TextStyle.Rectangle(t.Text).Size().Y + t.Padding
	}
	for _, c := range []corner{*f.prefer, {true, false}, {true, true}, {false, false}, {false, true}} {
		if f.note != nil && c == f.note.at {
			continue
		}
		box := legendSpot(area, c, size)
		if !coversAny(box, pts) && !overlapsAny(box, shaded) {
			l.Top, l.Left = c.top, c.left
			return true
		}
	}
	return false
}

// legendSpot is where the legend of that size goes in corner c of the
// area it is drawn in, grown by legendMargin.
func legendSpot(da draw.Canvas, c corner, size vg.Point) vg.Rectangle {
	r := vg.Rectangle{Min: vg.Point{X: da.Max.X - size.X, Y: da.Min.Y}, Max: vg.Point{X: da.Max.X, Y: da.Min.Y + size.Y}}
	if c.left {
		r.Min.X, r.Max.X = da.Min.X, da.Min.X+size.X
	}
	if c.top {
		r.Min.Y, r.Max.Y = da.Max.Y-size.Y, da.Max.Y
	}
	r.Min.X, r.Min.Y = r.Min.X-legendMargin, r.Min.Y-legendMargin
	r.Max.X, r.Max.Y = r.Max.X+legendMargin, r.Max.Y+legendMargin
	return r
}

func coversAny(r vg.Rectangle, pts []vg.Point) bool {
	for _, p := range pts {
		if p.X >= r.Min.X && p.X <= r.Max.X && p.Y >= r.Min.Y && p.Y <= r.Max.Y {
			return true
		}
	}
	return false
}

// overlapsAny says whether r meets any of the ranges of x (spans shade
// the data area's full height, so x alone decides).
func overlapsAny(r vg.Rectangle, xs [][2]vg.Length) bool {
	for _, x := range xs {
		if x[0] <= r.Max.X && x[1] >= r.Min.X {
			return true
		}
	}
	return false
}

// shadedX are the ranges of x the figure's spans shade on the data area
// da, as shade.Plot draws them.
func (f *Figure) shadedX(da draw.Canvas) [][2]vg.Length {
	trX, _ := f.Plot.Transforms(&da)
	var xs [][2]vg.Length
	for _, s := range f.spans {
		x0, x1, ok := s.shade.extent(trX, da)
		if ok {
			xs = append(xs, [2]vg.Length{x0, x1})
		}
	}
	return xs
}

// drawnPoints are the points the lines and markers put on the data area
// da, each segment of a line sampled every two points of length.
func (f *Figure) drawnPoints(da draw.Canvas) []vg.Point {
	trX, trY := f.Plot.Transforms(&da)
	var pts []vg.Point
	at := func(x, y float64) vg.Point { return vg.Point{X: trX(x), Y: trY(y)} }
	for _, l := range append(append([]Line(nil), f.lines...), f.marks...) {
		for _, d := range l.Dots {
			pts = append(pts, at(d.X, d.Y))
		}
		for _, piece := range l.Pieces {
			for i := range piece {
				b := at(piece[i].X, piece[i].Y)
				if i == 0 {
					pts = append(pts, b)
					continue
				}
				a := at(piece[i-1].X, piece[i-1].Y)
				n := int(math.Min(1000, math.Ceil(float64(math.Hypot(float64(b.X-a.X), float64(b.Y-a.Y)))/2)))
				for k := 1; k <= n; k++ {
					t := vg.Length(float64(k) / float64(n))
					pts = append(pts, vg.Point{X: a.X + t*(b.X-a.X), Y: a.Y + t*(b.Y-a.Y)})
				}
			}
		}
	}
	return pts
}

// Box is a rectangle on a figure's image, in Frame's coordinates (points,
// y from the top).
type Box struct{ Left, Top, Right, Bottom float64 }

// Contains says whether the point (x, y) lies in the box.
func (b Box) Contains(x, y float64) bool {
	return x >= b.Left && x <= b.Right && y >= b.Top && y <= b.Bottom
}

// legendInk marks the legend's text while LegendBox records a drawing.
var legendInk = color.NRGBA{R: 1, G: 2, B: 3, A: 0xFF}

// LegendBox is where the legend is drawn on the figure's image, in
// Frame's coordinates: its texts and their thumbnails, measured on a
// recorded drawing. ok is false when the figure has no legend. Cost: one
// drawing.
func (f *Figure) LegendBox() (b Box, ok bool) {
	l := &f.Plot.Legend
	ext := l.TextStyle.FontExtents()
	em := l.TextStyle.Width(" ")
	first := true
	H := float64(f.Height)
	for _, a := range f.legendTexts() {
		x0, x1 := a.Point.X, a.Point.X+l.TextStyle.Width(a.String)
		if l.Left {
			x0 -= l.ThumbnailWidth + em
		} else {
			x1 += l.ThumbnailWidth + em
		}
		r := Box{Left: float64(x0), Right: float64(x1), Top: H - float64(a.Point.Y+ext.Ascent), Bottom: H - float64(a.Point.Y-ext.Descent)}
		if first {
			b, first = r, false
			continue
		}
		b.Left, b.Right = math.Min(b.Left, r.Left), math.Max(b.Right, r.Right)
		b.Top, b.Bottom = math.Min(b.Top, r.Top), math.Max(b.Bottom, r.Bottom)
	}
	return b, !first
}

// LegendEntries are the texts of the legend's entries, in the order
// drawn. Cost: one drawing.
func (f *Figure) LegendEntries() []string {
	var out []string
	for _, a := range f.legendTexts() {
		out = append(out, a.String)
	}
	return out
}

// legendTexts records a drawing of the figure and returns the texts
// written in the legend's ink.
func (f *Figure) legendTexts() []*recorder.FillString {
	l := &f.Plot.Legend
	saved := l.TextStyle.Color
	l.TextStyle.Color = legendInk
	rec := &recorded{Canvas: &recorder.Canvas{}, w: f.Width, h: f.Height}
	f.draw(rec)
	l.TextStyle.Color = saved
	var ink color.Color
	var out []*recorder.FillString
	for _, a := range rec.Actions {
		switch a := a.(type) {
		case *recorder.SetColor:
			ink = a.Color
		case *recorder.FillString:
			if ink == color.Color(legendInk) {
				out = append(out, a)
			}
		}
	}
	return out
}

// recorded is a recording canvas of the figure's size.
type recorded struct {
	*recorder.Canvas
	w, h vg.Length
}

func (r *recorded) Size() (vg.Length, vg.Length) { return r.w, r.h }
