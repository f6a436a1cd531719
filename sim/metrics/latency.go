package metrics

import (
	"fmt"
	"math"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"

	"dsim/sim"
)

// The range every latency histogram covers, and its precision: 1 µs to 1 h
// with 3 significant digits, so any recorded value is off by at most 0.1%.
const (
	LatencyMin sim.Time = sim.Microsecond
	LatencyMax sim.Time = sim.Hour
	LatencySig          = 3
)

// Quantiles reported per window and overall.
var Quantiles = []float64{0.50, 0.90, 0.99, 0.999}

// Window holds the latency percentiles of one window of virtual time.
// Empty windows are not kept.
type Window struct {
	Start, End               sim.Time
	Count                    int64
	P50, P90, P99, P999, Max sim.Time
}

// Latency records durations (latencies, waits) in HdrHistograms: one for the
// open window, one for the whole run. Percentiles are exact to 3 significant
// digits; the mean is exact (kept as a sum, not read from buckets).
//
// Values below 1 µs are recorded at 1 µs resolution; values above 1 h are
// recorded in the buckets as 1 h and counted in Clamped (ClampNote says
// so for a summary), while the mean, Min and Max stay exact. Exact zeros (a wait at an idle
// server) are counted apart too: the histogram's lowest bucket reads
// 511 ns, so a quantile that falls among the zeros is 0, exactly.
type Latency struct {
	Name    string
	w       windows
	win     *hdr.Histogram
	all     *hdr.Histogram
	sum     float64  // seconds
	lo, hi  sim.Time // exact extremes; bucket edges are not values
	windows []Window
	clamped int64
	// zeros and winZeros count the values that were exactly 0, over the
	// run and in the open window.
	zeros, winZeros int64
}

// NewLatency returns a latency recorder with the given window width (> 0).
func NewLatency(name string, window sim.Time) *Latency {
	return &Latency{
		Name: name,
		w:    windows{width: window},
		win:  hdr.New(int64(LatencyMin), int64(LatencyMax), LatencySig),
		all:  hdr.New(int64(LatencyMin), int64(LatencyMax), LatencySig),
	}
}

// Record adds one latency v observed at time t. Cost: O(1), no allocation.
func (l *Latency) Record(t, v sim.Time) {
	l.roll(t)
	if v < 0 {
		v = 0
	}
	if l.all.TotalCount() == 0 || v < l.lo {
		l.lo = v
	}
	if v > l.hi {
		l.hi = v
	}
	l.sum += v.Seconds()
	if v == 0 {
		l.zeros++
		l.winZeros++
	}
	if v > LatencyMax {
		// The buckets end at LatencyMax; the mean and the extremes above
		// stay exact.
		v = LatencyMax
		l.clamped++
	}
	l.win.RecordValue(int64(v))
	l.all.RecordValue(int64(v))
}

// roll closes the open window when t lies beyond it; windows with no
// values in between are skipped, not kept empty.
func (l *Latency) roll(t sim.Time) {
	if k := l.w.index(t); k > l.w.k {
		l.flush(l.w.end())
		l.w.k = k
	}
}

var windowPercentiles = []float64{50, 90, 99, 99.9, 100}

// flush closes the open window at end, keeping it when it saw values.
func (l *Latency) flush(end sim.Time) {
	if n := l.win.TotalCount(); n > 0 {
		// One pass over the buckets for all four percentiles: a window's
		// flush would otherwise walk the histogram five times.
		q := l.win.ValueAtPercentilesSlice(windowPercentiles)
		for i, p := range windowPercentiles {
			if rank(p/100, n) <= l.winZeros {
				q[i] = 0
			}
		}
		l.windows = append(l.windows, Window{
			Start: l.w.start(), End: end, Count: n,
			P50:  sim.Time(q[0]),
			P90:  sim.Time(q[1]),
			P99:  sim.Time(q[2]),
			P999: sim.Time(q[3]),
			Max:  sim.Time(q[4]),
		})
		l.win.Reset()
		l.winZeros = 0
	}
}

// rank is the position (1..n) of quantile q among n sorted values, as
// HdrHistogram counts it: a quantile whose rank falls among the exact
// zeros is 0.
func rank(q float64, n int64) int64 {
	r := q*float64(n) + 0.5
	switch {
	case !(r >= 1):
		return 1
	case r >= float64(n):
		return n
	}
	return int64(r)
}

// Close ends the recording at t, keeping the last, partial window.
func (l *Latency) Close(t sim.Time) {
	l.roll(t)
	l.flush(t)
	l.w.k++
}

// Count returns the number of values recorded.
func (l *Latency) Count() int64 { return l.all.TotalCount() }

// Clamped returns how many values exceeded LatencyMax.
func (l *Latency) Clamped() int64 { return l.clamped }

// QuantileCell is Quantile for a table: the value, or the text "≥ 1h0m0s"
// when the quantile falls among the values above LatencyMax.
func (l *Latency) QuantileCell(q float64) any {
	v := l.Quantile(q)
	if l.clamped > 0 && v >= LatencyMax {
		return "≥ " + time.Duration(LatencyMax).String()
	}
	return v
}

// ClampNote is a sentence for a summary when some values exceeded
// LatencyMax: the percentiles read them as LatencyMax. It is "" when none
// did.
func (l *Latency) ClampNote() string {
	if l.clamped == 0 {
		return ""
	}
	return fmt.Sprintf("%s: %d of %d values were above %v (the longest %v); percentiles count them as %v, the mean and the longest are exact.",
		l.Name, l.clamped, l.Count(), time.Duration(LatencyMax), l.hi.Duration().Round(time.Second), time.Duration(LatencyMax))
}

// Mean returns the exact mean of the recorded values (0 when none).
func (l *Latency) Mean() sim.Time {
	if n := l.Count(); n > 0 {
		return sim.Seconds(l.sum / float64(n))
	}
	return 0
}

// Quantile returns the value at quantile q in [0, 1] over the whole run
// (0 when nothing was recorded, and when q falls among exact zeros).
// The histogram answers with the upper edge of a bucket, which is clamped to
// the exact extremes.
func (l *Latency) Quantile(q float64) sim.Time {
	n := l.Count()
	if n == 0 || rank(q, n) <= l.zeros {
		return 0
	}
	return min(max(sim.Time(l.all.ValueAtQuantile(q*100)), l.lo), l.hi)
}

// Max returns the largest value recorded, exactly.
func (l *Latency) Max() sim.Time { return l.hi }

// Min returns the smallest value recorded, exactly.
func (l *Latency) Min() sim.Time { return l.lo }

// Histogram returns the whole-run histogram, for plotting and merging.
// It must not be modified.
func (l *Latency) Histogram() *hdr.Histogram { return l.all }

// Windows returns the per-window percentiles, empty windows left out.
// Call Close first to include the last window.
func (l *Latency) Windows() []Window { return l.windows }

// Percentile returns the series of the per-window value at quantile q, one
// of Quantiles or 1 for the maximum, in seconds.
func (l *Latency) Percentile(q float64) *Series {
	s := NewSeries(l.Name+" "+QuantileName(q), "s")
	for _, w := range l.windows {
		var v sim.Time
		switch q {
		case 0.5:
			v = w.P50
		case 0.9:
			v = w.P90
		case 0.99:
			v = w.P99
		case 0.999:
			v = w.P999
		default:
			v = w.Max
		}
		s.Add(mid(w.Start, w.End), v.Seconds())
	}
	return s
}

// QuantileName prints a quantile the way people say it: p50, p99, p99.9, max.
func QuantileName(q float64) string {
	if q >= 1 {
		return "max"
	}
	p := q * 100
	if p == math.Trunc(p) {
		return "p" + itoa(int64(p))
	}
	return "p" + trimFloat(p)
}
