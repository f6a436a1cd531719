package viz

import (
	"math"
	"regexp"
	"strconv"
	"testing"

	"dsim/sim"
	"dsim/sim/metrics"
)

// svgPoints reads every point of the SVG's paths, in the image's
// coordinates (y from the top, as Frame gives them).
func svgPoints(t *testing.T, svg []byte, height float64) [][2]float64 {
	t.Helper()
	var pts [][2]float64
	for _, m := range regexp.MustCompile(`[ML](-?[0-9.e+-]+),(-?[0-9.e+-]+)`).FindAllSubmatch(svg, -1) {
		x, err1 := strconv.ParseFloat(string(m[1]), 64)
		y, err2 := strconv.ParseFloat(string(m[2]), 64)
		if err1 == nil && err2 == nil {
			pts = append(pts, [2]float64{x, height - y})
		}
	}
	return pts
}

func near(pts [][2]float64, x, y float64) bool {
	for _, p := range pts {
		if math.Abs(p[0]-x) < 0.01 && math.Abs(p[1]-y) < 0.01 {
			return true
		}
	}
	return false
}

// Every point the frame places lies where the SVG draws it, inside the data
// area; the shaded window's edges are those of its polygon.
func TestFramePlacesWhatTheSVGDraws(t *testing.T) {
	s := windowed("goodput", 30*sim.Second, func(k int) bool { return k == 12 })
	o := Options{Title: "Goodput", Spans: []Span{{From: 10 * sim.Second, To: 20 * sim.Second, Label: "spike"}}}
	fig := Lines(o, s, windowed("offered", 30*sim.Second, nil))
	svg, err := fig.SVG()
	if err != nil {
		t.Fatal(err)
	}
	fr := fig.Frame()
	pts := svgPoints(t, svg, fr.Height)
	if fr.Width != 540 || !(fr.Left > 0 && fr.Left < fr.Right && fr.Right < fr.Width && fr.Top > 0 && fr.Top < fr.Bottom && fr.Bottom < fr.Height) {
		t.Fatalf("data area %+v", fr)
	}
	if len(fr.Lines) != 2 || fr.Lines[0].Name != "goodput" || fr.Lines[0].Color != hexColor(Default.Color(0)) || fr.XLabel != "time (s)" {
		t.Fatalf("lines %+v", fr.Lines)
	}
	if got, want := len(fr.Lines[0].Points), s.Len(); got != want {
		t.Fatalf("%d points placed, the series has %d", got, want)
	}
	for _, l := range fr.Lines {
		for i, p := range l.Points {
			if i > 0 && p.X < l.Points[i-1].X {
				t.Fatalf("%s: points out of order at %d", l.Name, i)
			}
			if p.X < fr.Left-0.01 || p.X > fr.Right+0.01 || p.Y < fr.Top-0.01 || p.Y > fr.Bottom+0.01 {
				t.Fatalf("%s: point %+v outside the data area", l.Name, p)
			}
			// Lone points are drawn as arcs around them; joined ones on the path.
			if len(l.Points) > 1 && p.VX != 12.5 && !near(pts, p.X, p.Y) {
				t.Fatalf("%s: point %+v is not on the SVG's paths", l.Name, p)
			}
		}
	}
	if len(fr.Spans) != 1 || fr.Spans[0].Label != "spike" || fr.Spans[0].From != 10*sim.Second {
		t.Fatalf("spans %+v", fr.Spans)
	}
	sp := fr.Spans[0]
	if !near(pts, sp.Left, fr.Bottom) || !near(pts, sp.Right, fr.Top) {
		t.Fatalf("span %+v is not where the shade is drawn", sp)
	}
	at := func(x float64) float64 { return fr.Left + x/fig.Plot.X.Max*(fr.Right-fr.Left) }
	if math.Abs(sp.Left-at(10)) > 0.01 || math.Abs(sp.Right-at(20)) > 0.01 {
		t.Fatalf("the window 10-20 s is placed at %v-%v, want %v-%v", sp.Left, sp.Right, at(10), at(20))
	}
}

// A long line is thinned to MaxFramePoints, keeping its ends.
func TestFrameThinsLongLines(t *testing.T) {
	s := metrics.NewSeries("x", "1/s")
	for k := 0; k < 3*MaxFramePoints; k++ {
		s.Add(sim.Time(k)*sim.Millisecond, float64(k%7))
	}
	fr := Lines(Options{}, s).Frame()
	pts := fr.Lines[0].Points
	if len(pts) != MaxFramePoints || pts[0].VX != 0 || pts[len(pts)-1].VX != s.T[s.Len()-1].Seconds() {
		t.Fatalf("%d points from %v to %v", len(pts), pts[0].VX, pts[len(pts)-1].VX)
	}
}
