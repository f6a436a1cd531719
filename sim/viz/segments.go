package viz

import (
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg/draw"
)

// Line is what a figure draws of one series or curve: the runs of points
// joined as lines, and the points with no neighbour to join, drawn as dots
// so that they stay visible (a lone window between gaps). Figure.Lines
// returns them, for tests and tools that check what a figure shows.
type Line struct {
	Name   string
	Pieces []plotter.XYs // each joined as one line, two or more points each
	Dots   plotter.XYs   // lone points
	color  color.Color   // the line's colour, for Frame
	dashed bool          // drawn dashed, for Frame
}

// Points is the number of points the line draws, joined or not.
func (l Line) Points() int {
	n := len(l.Dots)
	for _, p := range l.Pieces {
		n += len(p)
	}
	return n
}

// Longest is the number of points in the longest joined piece (0 when
// every point is a dot).
func (l Line) Longest() int {
	n := 0
	for _, p := range l.Pieces {
		n = max(n, len(p))
	}
	return n
}

// Lines returns the lines the figure draws, one per series or curve, in
// drawing order. Curves drawn as markers on purpose (Curve.Points), bars,
// histograms, heatmaps and sequence diagrams have none.
func (f *Figure) Lines() []Line { return f.lines }

// addLine draws xy joined as one line (a single point as a dot).
func addLine(p *plot.Plot, xy plotter.XYs, name string, style draw.LineStyle) Line {
	if len(xy) == 0 {
		return Line{Name: name}
	}
	return addParts(p, []plotter.XYs{xy}, name, style)
}

// addTimeLine draws a series over time as a line broken where windows
// are missing (see runs).
func addTimeLine(p *plot.Plot, xy plotter.XYs, name string, style draw.LineStyle) Line {
	return addParts(p, runs(xy), name, style)
}

// addParts draws each part of two or more points as a line and gathers
// the single points into one set of dots in the line's colour; the legend
// shows the line, or the dot when there is no line.
func addParts(p *plot.Plot, parts []plotter.XYs, name string, style draw.LineStyle) Line {
	drawn := Line{Name: name, color: style.Color, dashed: len(style.Dashes) > 0}
	var key plot.Thumbnailer
	for _, part := range parts {
		if len(part) == 1 {
			drawn.Dots = append(drawn.Dots, part[0])
			continue
		}
		l, err := plotter.NewLine(part)
		if err != nil {
			continue // unreachable: parts are finite and non-empty
		}
		l.LineStyle = style
		p.Add(l)
		drawn.Pieces = append(drawn.Pieces, part)
		if key == nil {
			key = l
		}
	}
	if len(drawn.Dots) > 0 {
		if s, err := plotter.NewScatter(drawn.Dots); err == nil {
			s.GlyphStyle = draw.GlyphStyle{Color: style.Color, Radius: 1.5 * style.Width, Shape: draw.CircleGlyph{}}
			p.Add(s)
			if key == nil {
				key = s
			}
		}
	}
	if name != "" && key != nil {
		p.Legend.Add(name, key)
	}
	return drawn
}

// runs splits points sampled at a regular step (metric windows) where one
// or more samples are missing, so that a line does not bridge a time with
// no data (a window in which no request finished). The step is the
// smallest gap between points; a gap over 1.5 steps breaks the line.
//
// The last gap does not count towards the step. Windows start at time
// zero, so only the last one can be partial (the run ended inside it, or a
// final sample was taken when the replicas converged), and its point then
// sits closer to its neighbour than a step. Counting that gap would make
// the step tiny and break every other gap: the line would fall apart into
// single points.
func runs(xy plotter.XYs) []plotter.XYs {
	if len(xy) < 3 {
		if len(xy) == 0 {
			return nil
		}
		return []plotter.XYs{xy}
	}
	step := math.Inf(1)
	for i := 1; i < len(xy)-1; i++ {
		if d := xy[i].X - xy[i-1].X; d > 0 {
			step = math.Min(step, d)
		}
	}
	var out []plotter.XYs
	from := 0
	for i := 1; i < len(xy); i++ {
		if xy[i].X-xy[i-1].X > 1.5*step {
			out = append(out, xy[from:i])
			from = i
		}
	}
	return append(out, xy[from:])
}
