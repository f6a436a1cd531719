package viz

import (
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"dsim/sim"
)

// Event is one event of a process in a space-time diagram: a point on lane
// Lane at time At, with a label written beside it (a timestamp: "3",
// "[1,2,0]"). A Square event is drawn as a square instead of a dot, to set
// one kind of event (a write) apart from the sends and receives.
type Event struct {
	Lane   int
	At     sim.Time
	Label  string
	Square bool
}

// SpaceTime draws a space-time diagram (Lamport 1978): Sequence's lanes
// and arrows, and every event as a mark on its lane with its label beside
// it. The time axis covers the arrows and the events. A label goes to the
// right of its mark, to the left when the right has no room (a label less
// than a line above, on that lane or facing it from the next), else a
// line lower; events much closer in time than a line of text still crowd,
// so a readable diagram holds a few dozen events.
func SpaceTime(o Options, lanes []string, arrows []Arrow, events []Event) *Figure {
	return sequence(o, lanes, arrows, events)
}

// eventsPlotter draws the events and their labels.
type eventsPlotter struct {
	events []Event
	mul    float64
}

// Plot draws each event's mark and its label (see SpaceTime).
func (ep *eventsPlotter) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	text := p.Legend.TextStyle
	text.Font.Size = Default.TickSize - 1
	text.YAlign = draw.YCenter
	line := text.Font.Size * 1.15
	ink := color.Gray{Y: 0x22}
	const r = vg.Length(2.6)
	// The lowest label so far on each side of each lane: a label needs a
	// line of room from those on its own side and from those of the
	// neighbouring lane facing it.
	type sides struct{ right, left vg.Length }
	taken := map[int]*sides{}
	side := func(lane int) *sides {
		if taken[lane] == nil {
			far := c.Max.Y + 10*line
			taken[lane] = &sides{right: far, left: far}
		}
		return taken[lane]
	}
	for _, e := range ep.events {
		x, y := trX(float64(e.Lane)), trY(e.At.Seconds()*ep.mul)
		if !c.Contains(vg.Point{X: x, Y: y}) {
			continue
		}
		glyph := draw.GlyphStyle{Color: ink, Radius: r, Shape: draw.CircleGlyph{}}
		if e.Square {
			glyph.Shape = draw.BoxGlyph{}
		}
		c.DrawGlyph(glyph, vg.Point{X: x, Y: y})
		if e.Label == "" {
			continue
		}
		t, before, after := side(e.Lane), side(e.Lane-1), side(e.Lane+1)
		// Time flows down the page, so a later label sits lower (smaller y).
		st, at := text, vg.Point{X: x + 2*r, Y: y}
		st.XAlign = draw.XLeft
		switch {
		case t.right-y >= line && after.left-y >= line:
			t.right = y
		case t.left-y >= line && before.right-y >= line:
			st.XAlign, at.X = draw.XRight, x-2*r
			t.left = y
		default:
			at.Y = min(y, t.right-line, after.left-line)
			t.right = at.Y
		}
		c.FillText(st, at, e.Label)
	}
}
