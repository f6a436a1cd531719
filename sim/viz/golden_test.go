package viz

import (
	"bytes"
	"flag"
	"math"
	"os"
	"path/filepath"
	"testing"

	"dsim/sim"
	"dsim/sim/metrics"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// pngDir, when set, receives a PNG of every golden figure for a person to
// look at: DSIM_PNG_DIR=/tmp/figs go test ./sim/viz
var pngDir = os.Getenv("DSIM_PNG_DIR")

// fixture is a small, fully deterministic run: a load that triples during a
// 10-second trigger, and the latencies that go with it.
func fixture() (offered, goodput *metrics.Series, lat, calm *metrics.Latency, spans []Span) {
	r := sim.Stream(1, "viz")
	off := metrics.NewRate("offered load", sim.Second)
	good := metrics.NewRate("goodput", sim.Second)
	lat = metrics.NewLatency("latency", sim.Second)
	calm = metrics.NewLatency("calm", sim.Second)
	for t := sim.Time(0); t < 60*sim.Second; t += 20 * sim.Millisecond {
		busy := t >= 20*sim.Second && t < 30*sim.Second
		n := int64(1)
		if busy {
			n = 3
		}
		off.Add(t, n)
		if !busy || r.Float64() < 0.5 {
			good.Add(t, n)
		}
		base := 0.05
		if busy {
			base = 0.4
		}
		lat.Record(t, sim.Seconds(base*r.ExpFloat64()))
		calm.Record(t, sim.Seconds(0.05*r.ExpFloat64()))
	}
	off.Close(60 * sim.Second)
	good.Close(60 * sim.Second)
	lat.Close(60 * sim.Second)
	calm.Close(60 * sim.Second)
	return off.Series(), good.Series(), lat, calm, []Span{{From: 20 * sim.Second, To: 30 * sim.Second, Label: "trigger"}}
}

func goldenFigures() []*Figure {
	off, good, lat, calm, spans := fixture()
	r := sim.Stream(2, "hist")
	vals := make([]float64, 2000)
	for i := range vals {
		vals[i] = r.NormFloat64()*10 + 50
	}
	grid := Grid{X: []float64{1, 2, 3, 4, 5}, Y: []float64{10, 20, 30}}
	for _, y := range grid.Y {
		row := make([]float64, len(grid.X))
		for j, x := range grid.X {
			row[j] = math.Sin(x/2) * y
		}
		grid.Z = append(grid.Z, row)
	}
	return []*Figure{
		Lines(Options{Title: "Load and goodput", YLabel: "requests per second (1/s)", Spans: spans}, off, good),
		Bands(Options{Title: "Latency percentiles over time", Spans: spans}, lat),
		PercentileDist(Options{Title: "Latency by percentile"}, lat, calm),
		CDF(Options{Title: "Latency CDF"}, lat, calm),
		Histogram(Options{Title: "Service times", XLabel: "service time (ms)"}, vals, 0),
		Bars(Options{Title: "Requests by outcome", YLabel: "requests"}, []string{"ok", "timeout", "rejected"}, []float64{900, 70, 30}),
		Heatmap(Options{Title: "Goodput over two knobs", XLabel: "timeout (s)", YLabel: "load (req/s)"}, grid, "goodput"),
		answeredFigure(),
		spaceTimeFigure(),
	}
}

// spaceTimeFigure is Lamport's figure in small: three processes, their
// events labelled with Lamport times, writes as squares, one message lost,
// and two events close enough on one lane that their labels take both
// sides of it.
func spaceTimeFigure() *Figure {
	ms := func(n int) sim.Time { return sim.Time(n) * sim.Millisecond }
	arrows := []Arrow{
		{From: 0, To: 1, Sent: ms(100), At: ms(400), Label: "m"},
		{From: 1, To: 2, Sent: ms(500), At: ms(700), Label: "m"},
		{From: 2, To: 0, Sent: ms(800), At: ms(1200), Label: "m"},
		{From: 1, To: 0, Sent: ms(900), At: ms(900), Label: "m", Dropped: true},
	}
	events := []Event{
		{Lane: 0, At: ms(50), Label: "1", Square: true}, {Lane: 0, At: ms(100), Label: "2"},
		{Lane: 1, At: ms(400), Label: "3"}, {Lane: 1, At: ms(500), Label: "4"},
		{Lane: 2, At: ms(700), Label: "5"}, {Lane: 2, At: ms(720), Label: "6", Square: true},
		{Lane: 2, At: ms(800), Label: "7"}, {Lane: 1, At: ms(900), Label: "5"}, {Lane: 0, At: ms(1200), Label: "8"},
	}
	return SpaceTime(Options{Title: "Space-time diagram"}, []string{"p1", "p2", "p3"}, arrows, events)
}

// answeredFigure is a share in percent over a run that ends inside a
// window, with windows missing and one lone window between gaps: the line
// stays joined to its partial last window, the lone window is a dot, the
// axis ends at 100% and a note says what the gap means.
func answeredFigure() *Figure {
	calm, storm := metrics.NewSeries("recovery", "%"), metrics.NewSeries("storm", "%")
	for k := 0; k < 45; k++ {
		t := sim.Time(k)*sim.Second + sim.Second/2
		calm.Add(t, math.Min(100, 60+2*math.Abs(float64(k)-25)))
		if k < 20 || k == 27 {
			storm.Add(t, math.Max(10, 100-float64(max(0, k-12))*10))
		}
	}
	calm.Add(45250*sim.Millisecond, 100)
	return Lines(Options{Title: "Share of requests answered", YLabel: "requests answered (%)", End: 45500 * sim.Millisecond,
		Spans: []Span{{From: 10 * sim.Second, To: 20 * sim.Second, Label: "trigger"}}, Note: "storm: no request was answered after t=28s"}, calm, storm)
}

func TestGoldenSVG(t *testing.T) {
	checkGolden(t, goldenFigures())
}

// checkGolden compares each figure's SVG with its golden file under
// testdata/ (rewriting it with -update), and saves a PNG of it under
// DSIM_PNG_DIR when it is set.
func checkGolden(t *testing.T, figs []*Figure) {
	t.Helper()
	for _, f := range figs {
		got, err := f.SVG()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		path := filepath.Join("testdata", f.Name+".svg")
		if *update {
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if pngDir != "" {
			if err := f.Save(filepath.Join(pngDir, f.Name+".png")); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run with -update to create it)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from %s; review and rerun with -update (make golden)", f.Name, path)
		}
	}
}

func TestPNGAndSave(t *testing.T) {
	f := goldenFigures()[0]
	b, err := f.PNG()
	if err != nil || !bytes.HasPrefix(b, []byte("\x89PNG")) {
		t.Fatalf("PNG: %v", err)
	}
	dir := t.TempDir()
	if err := f.Save(filepath.Join(dir, "a", "x.svg")); err != nil {
		t.Fatal(err)
	}
	if err := f.Save(filepath.Join(dir, "x.pdf")); err == nil {
		t.Fatal("saved a .pdf")
	}
}

func TestEmptyInputsDoNotPanic(t *testing.T) {
	empty := metrics.NewLatency("none", sim.Second)
	empty.Close(sim.Second)
	for _, f := range []*Figure{
		Lines(Options{}), Lines(Options{}, metrics.NewSeries("x", "")), Bands(Options{}, empty),
		PercentileDist(Options{}, empty), CDF(Options{}), Histogram(Options{}, nil, 0),
		Bars(Options{}, nil, nil), Heatmap(Options{}, Grid{}, "z"),
		Heatmap(Options{}, Grid{X: []float64{1}, Y: []float64{1}, Z: [][]float64{{1, 2}}}, "z"),
	} {
		if _, err := f.SVG(); err != nil {
			t.Errorf("%s: %v", f.Name, err)
		}
	}
}

func TestSlug(t *testing.T) {
	for in, want := range map[string]string{"Mean wait (s)": "mean-wait-s", "  ": "figure", "M/M/4 at ρ=0.8": "m-m-4-at-0-8"} {
		if got := Slug(in); got != want {
			t.Errorf("Slug(%q) = %q, want %q", in, got, want)
		}
	}
}
