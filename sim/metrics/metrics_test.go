package metrics

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"dsim/sim"
)

func TestGaugeTimeWeightedMean(t *testing.T) {
	g := NewGauge("queue", "requests", 10*sim.Second)
	g.Set(0, 2)
	g.Set(5*sim.Second, 4)   // 2 for 5 s
	g.Set(15*sim.Second, 0)  // 4 for 10 s
	g.Close(20 * sim.Second) // 0 for 5 s
	if got := g.Mean(); math.Abs(got-50.0/20) > 1e-12 {
		t.Fatalf("mean = %v, want 2.5", got)
	}
	s := g.Series()
	want := []float64{(2*5 + 4*5) / 10.0, (4*5 + 0) / 10.0}
	if s.Len() != 2 || s.V[0] != want[0] || s.V[1] != want[1] {
		t.Fatalf("windows = %v, want %v", s.V, want)
	}
	if g.Max() != 4 || g.MaxSeries().V[1] != 4 {
		t.Fatalf("max = %v, per window %v", g.Max(), g.MaxSeries().V)
	}
}

func TestRateWindowsIncludeEmptyOnes(t *testing.T) {
	r := NewRate("offered", sim.Second)
	r.Add(100*sim.Millisecond, 3)
	r.Add(2500*sim.Millisecond, 2)
	r.Close(3 * sim.Second)
	got := r.Series().V
	if len(got) != 3 || got[0] != 3 || got[1] != 0 || got[2] != 2 || r.Total() != 5 {
		t.Fatalf("rates = %v total %d", got, r.Total())
	}
	// A run that ends mid-window scales the last window to its length.
	r = NewRate("x", sim.Second)
	r.Add(0, 1)
	r.Close(500 * sim.Millisecond)
	if v := r.Series().V; len(v) != 1 || v[0] != 2 {
		t.Fatalf("partial window = %v, want [2]", v)
	}
}

func TestLatencyPercentilesWithinPrecision(t *testing.T) {
	l := NewLatency("latency", sim.Second)
	// 1..10000 ms, one value each, spread over 10 s.
	for i := 1; i <= 10000; i++ {
		l.Record(sim.Time(i)*sim.Millisecond, sim.Time(i)*sim.Millisecond)
	}
	l.Close(10001 * sim.Millisecond)
	for _, c := range []struct {
		q    float64
		want sim.Time
	}{{0.5, 5000 * sim.Millisecond}, {0.99, 9900 * sim.Millisecond}, {0.999, 9990 * sim.Millisecond}} {
		got := l.Quantile(c.q)
		if math.Abs(float64(got-c.want)) > 0.001*float64(c.want) {
			t.Errorf("q%v = %v, want %v ±0.1%%", c.q, got, c.want)
		}
	}
	if l.Mean() != sim.Seconds(5.0005) || l.Count() != 10000 {
		t.Errorf("mean %v count %d", l.Mean(), l.Count())
	}
	w := l.Windows()
	if len(w) != 11 || w[0].Count != 999 || w[10].Count != 1 {
		t.Fatalf("%d windows, first %d values, last %d", len(w), w[0].Count, w[len(w)-1].Count)
	}
	if p := l.Percentile(0.99); p.Len() != 11 || p.Name != "latency p99" {
		t.Fatalf("p99 series %d points named %q", p.Len(), p.Name)
	}
}

func TestLatencyClampsOutOfRange(t *testing.T) {
	l := NewLatency("x", sim.Hour)
	l.Record(0, 2*sim.Hour)
	l.Record(0, -5)
	l.Record(0, 10) // below 1 µs: kept at coarse resolution
	if l.Clamped() != 1 || l.Max() < sim.Hour-sim.Hour/1000 || l.Count() != 3 {
		t.Fatalf("clamped %d max %v count %d", l.Clamped(), l.Max(), l.Count())
	}
}

// An idle server's waits are exactly 0: a quantile that falls among them
// is 0, not the 511 ns the histogram's lowest bucket reads.
func TestLatencyQuantilesOfZerosAreZero(t *testing.T) {
	l := NewLatency("wait", sim.Second)
	for i := 0; i < 10; i++ {
		v := sim.Time(0)
		if i >= 6 {
			v = 10 * sim.Millisecond
		}
		l.Record(sim.Time(i)*sim.Millisecond, v)
	}
	l.Close(sim.Second)
	for q, want := range map[float64]sim.Time{0.5: 0, 0.6: 0, 0.7: 10 * sim.Millisecond, 1: 10 * sim.Millisecond} {
		if got := l.Quantile(q); got < want || got > want+want/1000 {
			t.Errorf("Quantile(%g) = %v, want %v", q, got, want)
		}
	}
	if w := l.Windows(); len(w) != 1 || w[0].P50 != 0 || w[0].P90 < 10*sim.Millisecond {
		t.Errorf("window percentiles %+v: want p50 0 and p90 10ms", w)
	}
	if p := l.Percentile(0.5); p.V[0] != 0 {
		t.Errorf("p50 series %v, want 0", p.V)
	}
}

func TestRatioOfNothingIsNotAvailable(t *testing.T) {
	if r := Ratio(3, 4); r != 0.75 {
		t.Errorf("Ratio(3, 4) = %g", r)
	}
	for _, c := range []any{Pct(Ratio(0, 0)), Ratio(5, 0), Pct(math.Inf(1))} {
		if got := Cell(c); got != "n/a" && got != "∞" {
			t.Errorf("Cell(%v) = %q, want n/a", c, got)
		}
	}
	if got := Pct(Ratio(0, 0)).String(); got != "n/a" {
		t.Errorf("Pct of 0/0 prints %q, want n/a", got)
	}
}

func TestQuantileNames(t *testing.T) {
	for q, want := range map[float64]string{0.5: "p50", 0.99: "p99", 0.999: "p99.9", 1: "max"} {
		if got := QuantileName(q); got != want {
			t.Errorf("QuantileName(%v) = %q", q, got)
		}
	}
}

func testTable() *Table {
	t := NewTable("M/M/1 at ρ=0.5", "metric", "theory", "simulation")
	t.Add("mean wait", 500*sim.Millisecond, sim.Seconds(0.4987))
	t.Add("P(wait)", Pct(0.5), Pct(0.50123))
	t.Add("customers", nil, int64(2000000))
	t.Add("ratio", 1.23456789, math.NaN())
	t.Note("Little's law holds")
	return t
}

func TestTableRenderings(t *testing.T) {
	tb := testTable()
	text := tb.Text()
	for _, want := range []string{"mean wait   500ms", "498.7ms", "50.12%", "2000000", "n/a", "1.235", "Little's law holds"} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q:\n%s", want, text)
		}
	}
	if md := tb.Markdown(); !strings.Contains(md, "| mean wait | 500ms | 498.7ms |") || !strings.Contains(md, "| --- | ---: | ---: |") {
		t.Errorf("markdown:\n%s", md)
	}
	if h := tb.HTML(); !strings.Contains(h, "<caption") || !strings.Contains(h, "ρ=0.5") || !strings.Contains(h, "text-align:right\">500ms") {
		t.Errorf("html: %s", h)
	}
	if c := tb.CSV(); !strings.HasPrefix(c, "metric,theory,simulation\nmean wait,500ms,498.7ms\n") {
		t.Errorf("csv:\n%s", c)
	}
	var back struct {
		Rows []map[string]any
	}
	if err := json.Unmarshal([]byte(tb.JSON()), &back); err != nil {
		t.Fatal(err)
	}
	if back.Rows[0]["theory"] != 0.5 || back.Rows[2]["simulation"] != 2e6 || back.Rows[3]["simulation"] != nil {
		t.Errorf("json rows: %v", back.Rows)
	}
}

func TestCellFormats(t *testing.T) {
	for v, want := range map[any]string{
		90 * time.Second: "1.5min", sim.Time(1234567): "1.235ms", 0.000123456: "0.0001235",
		123456.7: "123457", true: "yes", int(3): "3", sim.Time(0): "0s", sim.Time(12): "12ns",
		1e308: "1e+308", -2.5e-300: "-2.5e-300", 0.00001234567: "1.235e-05", 3e15: "3e+15", 0.0: "0",
	} {
		if got := Cell(v); got != want {
			t.Errorf("Cell(%v) = %q, want %q", v, got, want)
		}
	}
}

// Values above LatencyMax: the buckets read them as LatencyMax, the mean
// and the extremes stay exact, and the summary cell and note say so.
func TestLatencyAboveItsRange(t *testing.T) {
	l := NewLatency("wait", sim.Minute)
	for i := 0; i < 10; i++ {
		l.Record(sim.Time(i), 5*sim.Hour)
	}
	if l.Mean() != 5*sim.Hour || l.Max() != 5*sim.Hour || l.Clamped() != 10 {
		t.Fatalf("mean %v, max %v, clamped %d; want 5h, 5h, 10", l.Mean(), l.Max(), l.Clamped())
	}
	if c := l.QuantileCell(0.5); c != "≥ 1h0m0s" {
		t.Errorf("the median's cell is %v, want ≥ 1h0m0s", c)
	}
	if n := l.ClampNote(); !strings.Contains(n, "10 of 10 values were above 1h0m0s") || !strings.Contains(n, "the longest 5h0m0s") {
		t.Errorf("note %q", n)
	}
	short := NewLatency("wait", sim.Minute)
	short.Record(0, sim.Second)
	if short.ClampNote() != "" || short.QuantileCell(0.5) != short.Quantile(0.5) {
		t.Error("a latency within range gets a note or a text cell")
	}
}
