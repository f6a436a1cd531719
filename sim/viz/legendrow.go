package viz

import (
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// legendEntry is one entry of a legend drawn in rows beneath the plot.
type legendEntry struct {
	text  string
	thumb plot.Thumbnailer
}

// rowGap is the room between two entries of a row, and rowPad the room
// above and below the rows.
const rowGap, rowPad = 16, 4

// rowLayout places each entry of the legend beneath a figure w wide: the
// x where it starts and its row, a new row begun when an entry would pass
// the right edge; widths are the rows' widths, to centre them.
func (f *Figure) rowLayout(w vg.Length) (xs []vg.Length, rows []int, widths []vg.Length) {
	l := &f.Plot.Legend
	em := l.TextStyle.Width(" ")
	x, r := vg.Length(0), 0
	widths = []vg.Length{0}
	for _, e := range f.below {
		ew := l.ThumbnailWidth + em + l.TextStyle.Width(e.text)
		if x > 0 && x+ew > w {
			r, x = r+1, 0
			widths = append(widths, 0)
		}
		xs, rows = append(xs, x), append(rows, r)
		widths[r] = x + ew
		x += ew + rowGap
	}
	return xs, rows, widths
}

// rowHeight is the height of one row of entries.
func (f *Figure) rowHeight() vg.Length {
	l := &f.Plot.Legend
	return l.TextStyle.FontExtents().Height + l.Padding
}

// belowHeight is the strip the rows take at the bottom of a figure w wide.
func (f *Figure) belowHeight(w vg.Length) vg.Length {
	if len(f.below) == 0 {
		return 0
	}
	_, _, widths := f.rowLayout(w)
	return vg.Length(len(widths))*f.rowHeight() + 2*rowPad
}

// drawBelow draws the rows of entries in the strip at the bottom of dc,
// each row centred, each entry as gonum draws a legend's entry (so that
// LegendBox measures it as any legend).
func (f *Figure) drawBelow(dc draw.Canvas) {
	w := dc.Max.X - dc.Min.X
	xs, rows, widths := f.rowLayout(w)
	src := &f.Plot.Legend
	for i, e := range f.below {
		lg := plot.NewLegend()
		lg.TextStyle, lg.ThumbnailWidth, lg.Padding = src.TextStyle, src.ThumbnailWidth, src.Padding
		lg.Top, lg.Left = true, true
		lg.Add(e.text, e.thumb)
		x := dc.Min.X + (w-widths[rows[i]])/2 + xs[i]
		top := dc.Min.Y + f.belowHeight(w) - rowPad - vg.Length(rows[i])*f.rowHeight()
		lg.Draw(draw.Canvas{Canvas: dc.Canvas, Rectangle: vg.Rectangle{Min: vg.Point{X: x, Y: top - f.rowHeight()}, Max: vg.Point{X: x + w, Y: top}}})
	}
}
