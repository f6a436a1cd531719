package viz

import (
	"image/color"
	"math"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// finish wraps up a figure of lines: it keeps what was drawn for
// Figure.Lines and writes the option's note on the plot, or "no data" when
// nothing at all was drawn (others counts points drawn outside lines, such
// as markers), so that an empty figure says it is empty. The note goes in
// the corner the lines and the legend leave emptiest.
func finish(p *plot.Plot, o Options, fallback string, lines []Line, others int) *Figure {
	text := o.Note
	if text == "" && others == 0 && points(lines) == 0 {
		text = "no data"
	}
	if !(p.Y.Max > p.Y.Min) || math.IsInf(p.Y.Max, 0) || math.IsInf(p.Y.Min, 0) {
		p.Y.Min, p.Y.Max = 0, 1 // nothing drawn: an empty axis from zero, not -1 to 1
	}
	var n *note
	if text != "" {
		var free []corner
		for _, c := range []corner{{true, true}, {true, false}, {false, true}, {false, false}} {
			if c != (corner{p.Legend.Top, p.Legend.Left}) {
				free = append(free, c)
			}
		}
		n = &note{text: text, at: emptiest(p, lines, free, 0.5, 0.15)}
		p.Add(n)
	}
	f := newFigure(o.name(fallback), p)
	f.lines, f.note = lines, n
	return f
}

func points(lines []Line) int {
	n := 0
	for _, l := range lines {
		n += l.Points()
	}
	return n
}

// note writes a line of text in a corner of the data area: what the data
// cannot show.
type note struct {
	text string
	at   corner
}

func (n *note) Plot(c draw.Canvas, p *plot.Plot) {
	st := p.Legend.TextStyle
	st.Color = color.Black // its own ink, not the legend's (LegendBox tells them apart)
	at := vg.Point{X: c.Min.X + 6, Y: c.Min.Y + 4}
	st.XAlign, st.YAlign = draw.XLeft, draw.YBottom
	if n.at.top {
		at.Y, st.YAlign = c.Max.Y-4, draw.YTop
	}
	if !n.at.left {
		at.X, st.XAlign = c.Max.X-6, draw.XRight
	}
	c.FillText(st, at, n.text)
}

// top ends the y axis of a figure of lines: at o.YMax when set; at 100
// when the axis is in percent (ylabel ends in "(%)") and the values lie in
// 0..100; otherwise a fifth above the data, to leave the legend room. A
// share cannot pass 100%, so a bounded axis has no room to spare, and the
// legend goes to the corner that the lines leave emptiest.
func top(p *plot.Plot, o Options, ylabel string, lines []Line) {
	ymax := o.YMax
	if ymax == 0 && percentAxis(ylabel) && p.Y.Min >= 0 && p.Y.Max <= 100 {
		ymax = 100
	}
	if ymax == 0 {
		headroom(p)
		return
	}
	p.Y.Max = ymax
	placeLegend(p, lines)
}

func percentAxis(label string) bool {
	label = strings.TrimSpace(label)
	return label == "%" || strings.HasSuffix(label, "(%)")
}

// headroom raises the top of the y axis so the legend, drawn in the top
// corner, sits above the data instead of on it.
func headroom(p *plot.Plot) {
	if p.Y.Max > p.Y.Min && !math.IsInf(p.Y.Max, 0) {
		p.Y.Max += 0.2 * (p.Y.Max - p.Y.Min)
	}
}

// corner is a corner of the data area.
type corner struct{ top, left bool }

// placeLegend puts the legend in the corner where the lines pass least,
// in a box of two fifths of the width and a third of the height. Ties keep
// the legend where it was, then prefer the top, then the right.
func placeLegend(p *plot.Plot, lines []Line) {
	c := emptiest(p, lines, []corner{{p.Legend.Top, p.Legend.Left}, {true, false}, {true, true}, {false, false}, {false, true}}, 0.4, 1.0/3)
	p.Legend.Top, p.Legend.Left = c.top, c.left
}

// emptiest returns the candidate corner whose box (w by h, as shares of
// the axes' ranges) holds the fewest points of the lines, counting ten
// steps along each segment too; the first of equals wins.
func emptiest(p *plot.Plot, lines []Line, corners []corner, w, h float64) corner {
	dx, dy := p.X.Max-p.X.Min, p.Y.Max-p.Y.Min
	if !(dx > 0) || !(dy > 0) || math.IsInf(dx, 0) || math.IsInf(dy, 0) {
		return corners[0]
	}
	score := make([]int, len(corners))
	count := func(x, y float64) {
		fx, fy := (x-p.X.Min)/dx, (y-p.Y.Min)/dy
		for i, c := range corners {
			inX := fx >= 1-w && fx <= 1
			if c.left {
				inX = fx >= 0 && fx <= w
			}
			inY := fy >= 0 && fy <= h
			if c.top {
				inY = fy >= 1-h && fy <= 1.05
			}
			if inX && inY {
				score[i]++
			}
		}
	}
	for _, l := range lines {
		for _, d := range l.Dots {
			count(d.X, d.Y)
		}
		for _, piece := range l.Pieces {
			for i := 1; i < len(piece); i++ {
				a, b := piece[i-1], piece[i]
				for k := 0; k < 10; k++ {
					f := float64(k) / 10
					count(a.X+f*(b.X-a.X), a.Y+f*(b.Y-a.Y))
				}
			}
			count(piece[len(piece)-1].X, piece[len(piece)-1].Y)
		}
	}
	best := 0
	for i := range corners {
		if score[i] < score[best] {
			best = i
		}
	}
	return corners[best]
}
