package sweep

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"

	"dsim/sim"
	"dsim/sim/metrics"
)

// Result is a sweep's runs, and what they say per point.
type Result struct {
	Spec       Spec
	Points     []Point
	Metrics    []string // names, in the order runs first reported them (by run index)
	Histograms []string // latency histogram names, sorted
	Shares     []string // the metrics runs recorded with Metrics.Share, in Metrics order
	// runs holds by run index (point × Reps + rep) a run's values,
	// aligned with Metrics, absent where it reported none; nil if the run
	// is not here (another shard's).
	runs [][]float64
	// hists holds by point the latency histograms, aligned with
	// Histograms, merged over the point's runs as they finished: a sweep
	// keeps no run's histogram.
	hists [][]*hdr.PackedHistogram
	n     int // runs held
}

// find is name's index in names, or -1.
func find(names []string, name string) int {
	for i, n := range names {
		if n == name {
			return i
		}
	}
	return -1
}

// Runs is how many runs the result holds (fewer than points × Reps for a
// shard).
func (r *Result) Runs() int { return r.n }

// Complete reports whether every run of the sweep is in the result.
func (r *Result) Complete() bool { return r.Runs() == len(r.runs) }

// Stat is a metric at one point over its runs: the mean, the standard
// deviation, and the 95% confidence interval of the mean: Student's t
// (NaN with fewer than two runs), or for a share (Metrics.Share) Wilson's
// score interval. A percentage's t interval is cut to [0, 100] (see
// bounded). Neither of the last two is centred on the mean; HalfWidth is
// then half the interval's width.
type Stat struct {
	N            int
	Mean, SD     float64
	Lower, Upper float64
}

// HalfWidth is half the confidence interval.
func (s Stat) HalfWidth() float64 { return (s.Upper - s.Lower) / 2 }

// Values lists a metric's value in each run at a point, in run order.
func (r *Result) Values(point int, metric string) []float64 {
	j := find(r.Metrics, metric)
	var vs []float64
	for rep := 0; rep < r.Spec.Reps; rep++ {
		o := r.runs[point*r.Spec.Reps+rep]
		if j < 0 || j >= len(o) || math.IsNaN(o[j]) {
			continue
		}
		vs = append(vs, o[j])
	}
	return vs
}

// Stat summarises a metric at a point.
func (r *Result) Stat(point int, metric string) Stat {
	return r.summary(metric, r.Values(point, metric))
}

// summary summarises a metric's values by the kind of metric it is.
func (r *Result) summary(metric string, vs []float64) Stat {
	s := summarise(vs, r.IsShare(metric))
	if isPercent(metric) {
		s = bounded(s, 0, 100)
	}
	return s
}

// bounded cuts a t interval to the range [lo, hi] its metric cannot
// leave. A mean of values in that range lies in it too, so the part of
// the interval outside holds no possible mean: an interval that contained
// the true mean still does, and 95% stays 95%. Uncut, a percentage that is
// 0 in most runs and 100 in one has an interval reaching below -30%.
func bounded(s Stat, lo, hi float64) Stat {
	s.Lower, s.Upper = max(s.Lower, lo), min(s.Upper, hi) // NaN stays NaN
	return s
}

// isPercent reports whether metric is a percentage: its name ends in
// "(%)", and every run's value lies within [0, 100].
func isPercent(metric string) bool { return strings.HasSuffix(metric, percentMark) }

// Histogram is a latency histogram merged over a point's runs (nil if
// none). Cost: it builds a dense histogram (190 KB for metrics.Latency's).
func (r *Result) Histogram(point int, name string) *hdr.Histogram {
	j := find(r.Histograms, name)
	if j < 0 || point < 0 || point >= len(r.hists) || j >= len(r.hists[point]) || r.hists[point][j] == nil {
		return nil
	}
	p := r.hists[point][j]
	h := hdr.New(p.LowestTrackableValue(), p.HighestTrackableValue(), int(p.SignificantFigures()))
	p.MergeInto(h)
	return h
}

// Table is the sweep's results: a row per point with its knob values, the
// runs, and per metric the mean and the half-width of its 95% confidence
// interval, or for a share (Metrics.Share) or a percentage the interval's
// ends, since those intervals are not centred on the mean. Its CSV, JSON
// and HTML come with metrics.Table.
func (r *Result) Table() *metrics.Table {
	cols := r.knobColumns()
	cols = append(cols, "runs")
	for _, m := range r.Metrics {
		if r.IsShare(m) || isPercent(m) {
			cols = append(cols, m, "95% from", "to")
		} else {
			cols = append(cols, m, "± 95%")
		}
	}
	title := fmt.Sprintf("Sweep %s: %d points × %d runs (seed %d)", r.Spec.Name, len(r.Points), r.Spec.Reps, r.Spec.Seed)
	if !r.Complete() {
		title += fmt.Sprintf(", shard %v: %d of %d runs", r.Spec.Shard, r.Runs(), len(r.runs))
	}
	t := metrics.NewTable(title, cols...)
	for _, p := range r.Points {
		cells := []any{}
		for i, k := range r.Spec.Knobs {
			if len(k.Labels) > 0 {
				cells = append(cells, k.text(p.Values[i]))
			} else {
				cells = append(cells, p.Values[i])
			}
		}
		n := 0
		for rep := 0; rep < r.Spec.Reps; rep++ {
			if r.runs[p.Index*r.Spec.Reps+rep] != nil {
				n++
			}
		}
		cells = append(cells, fmt.Sprint(n))
		for _, m := range r.Metrics {
			s := r.Stat(p.Index, m)
			if r.IsShare(m) || isPercent(m) {
				cells = append(cells, s.Mean, s.Lower, s.Upper)
			} else {
				cells = append(cells, s.Mean, s.HalfWidth())
			}
		}
		t.Add(cells...)
	}
	return t
}

// LatencyTable gives, per point, the percentiles of a latency histogram
// merged over the point's runs.
func (r *Result) LatencyTable(name string) *metrics.Table {
	cols := r.knobColumns()
	cols = append(cols, "count", "p50", "p99", "p99.9", "max")
	t := metrics.NewTable(fmt.Sprintf("Sweep %s: %s", r.Spec.Name, name), cols...)
	for _, p := range r.Points {
		cells := []any{}
		for i, k := range r.Spec.Knobs {
			cells = append(cells, k.text(p.Values[i]))
		}
		h := r.Histogram(p.Index, name)
		if h == nil {
			t.Add(append(cells, "0", "", "", "", "")...)
			continue
		}
		q := h.ValueAtPercentiles([]float64{50, 99, 99.9})
		cells = append(cells, fmt.Sprint(h.TotalCount()), sim.Time(q[50]), sim.Time(q[99]), sim.Time(q[99.9]), sim.Time(h.Max()))
		t.Add(cells...)
	}
	return t
}

// knobColumns are the table columns of the knobs, with their units.
func (r *Result) knobColumns() []string {
	cols := make([]string, len(r.Spec.Knobs))
	for i, k := range r.Spec.Knobs {
		cols[i] = k.column()
	}
	return cols
}

func (k Knob) column() string {
	if k.Unit != "" {
		return k.Name + " (" + k.Unit + ")"
	}
	return k.Name
}

func (r *Result) knob(name string) (int, Knob, error) {
	for i, k := range r.Spec.Knobs {
		if k.Name == name {
			return i, k, nil
		}
	}
	return -1, Knob{}, fmt.Errorf("sweep: no knob %q", name)
}

// distinct lists the values knob i takes over the points, in increasing
// order.
func (r *Result) distinct(i int) []float64 {
	var vs []float64
	seen := map[float64]bool{}
	for _, p := range r.Points {
		if v := p.Values[i]; !seen[v] {
			seen[v] = true
			vs = append(vs, v)
		}
	}
	sort.Float64s(vs)
	return vs
}

// mean averages a metric over the points matching the fixed knob values
// (every run counts once).
func (r *Result) mean(metric string, fixed map[int]float64) float64 {
	var all []float64
	for _, p := range r.Points {
		ok := true
		for i, v := range fixed {
			ok = ok && p.Values[i] == v
		}
		if ok {
			all = append(all, r.Values(p.Index, metric)...)
		}
	}
	if len(all) == 0 {
		return math.NaN()
	}
	return stat.Mean(all, nil)
}

// Grid is a metric's mean over two knobs, averaged over any others: the
// data of a heatmap (viz.SweepHeatmap draws it) and of Pivot.
type Grid struct {
	Sweep, Metric string
	// Share says the metric is a share of runs (Metrics.Share).
	Share bool
	// X and Y are the knobs; XValues and YValues the values they take,
	// in increasing order.
	X, Y             Knob
	XValues, YValues []float64
	// Z[i][j] is the mean at YValues[i], XValues[j]: NaN where no run was.
	Z [][]float64
}

// Grid is a metric's mean over knobs x and y, averaged over any others.
func (r *Result) Grid(metric, x, y string) (*Grid, error) {
	ix, kx, err := r.knob(x)
	if err != nil {
		return nil, err
	}
	iy, ky, err := r.knob(y)
	if err != nil {
		return nil, err
	}
	if find(r.Metrics, metric) < 0 {
		return nil, fmt.Errorf("sweep: no metric %q (the runs reported %v)", metric, r.Metrics)
	}
	g := &Grid{Sweep: r.Spec.Name, Metric: metric, Share: find(r.Shares, metric) >= 0, X: kx, Y: ky, XValues: r.distinct(ix), YValues: r.distinct(iy)}
	for _, yv := range g.YValues {
		row := make([]float64, len(g.XValues))
		for j, xv := range g.XValues {
			row[j] = r.mean(metric, map[int]float64{ix: xv, iy: yv})
		}
		g.Z = append(g.Z, row)
	}
	return g, nil
}

// Column is the knob's heading with its unit: "SpikeRate (req/s)".
func (k Knob) Column() string { return k.column() }

// Text writes one of the knob's values as tables show it: a label, or the
// number with its unit.
func (k Knob) Text(v float64) string { return k.text(v) }

// Pivot is the heatmap as a table: a row per value of y, a column per
// value of x, and in each cell the metric's mean there (averaged over any
// other knobs). It reads well in a terminal.
func (r *Result) Pivot(metric, x, y string) (*metrics.Table, error) {
	g, err := r.Grid(metric, x, y)
	if err != nil {
		return nil, err
	}
	cols := []string{g.Y.column() + ` \ ` + g.X.column()}
	for _, xv := range g.XValues {
		cols = append(cols, g.X.text(xv))
	}
	title := fmt.Sprintf("Sweep %s: %s", r.Spec.Name, metric)
	if g.Share {
		title = fmt.Sprintf("Sweep %s: share of runs %s", r.Spec.Name, metric)
	}
	title += r.AveragedOver(x, y)
	t := metrics.NewTable(title, cols...)
	for i, yv := range g.YValues {
		cells := []any{g.Y.text(yv)}
		for _, z := range g.Z[i] {
			cells = append(cells, z)
		}
		t.Add(cells...)
	}
	return t, nil
}

// AveragedOver names, for a title, the knobs a figure or table of the
// given knobs averages over: those of the spec that took more than one
// value ("" when there are none, else " (averaged over a, b)").
func (r *Result) AveragedOver(shown ...string) string {
	var names []string
	for i, k := range r.Spec.Knobs {
		if slices.Contains(shown, k.Name) {
			continue
		}
		distinct := map[float64]bool{}
		if len(r.Spec.Points) > 0 {
			for _, p := range r.Spec.Points {
				if i < len(p) {
					distinct[p[i]] = true
				}
			}
		} else {
			for _, v := range k.values() {
				distinct[v] = true
			}
		}
		if len(distinct) > 1 {
			names = append(names, k.Name)
		}
	}
	if len(names) == 0 {
		return ""
	}
	return " (averaged over " + strings.Join(names, ", ") + ")"
}

// Band is a metric's mean against one knob with its 95% interval (Wilson's
// for a share): one line of a band figure (viz.SweepLines draws them).
type Band struct {
	Name                  string
	X, Mean, Lower, Upper []float64
}

// Bands gives a metric's mean against knob x with its 95% interval, one
// band per value of the knob by ("" for one band, averaging over the other
// knobs). It also returns the knob x, for the axis.
func (r *Result) Bands(metric, x, by string) ([]Band, Knob, error) {
	ix, kx, err := r.knob(x)
	if err != nil {
		return nil, kx, err
	}
	if find(r.Metrics, metric) < 0 {
		return nil, kx, fmt.Errorf("sweep: no metric %q (the runs reported %v)", metric, r.Metrics)
	}
	groups := []float64{math.NaN()}
	ib, kb := -1, Knob{}
	if by != "" {
		if ib, kb, err = r.knob(by); err != nil {
			return nil, kx, err
		}
		groups = r.distinct(ib)
	}
	var bands []Band
	for _, g := range groups {
		b := Band{Name: metric}
		if ib >= 0 {
			b.Name = kb.Name + " " + kb.text(g)
		}
		for _, xv := range r.distinct(ix) {
			var vs []float64
			for _, p := range r.Points {
				if p.Values[ix] == xv && (ib < 0 || p.Values[ib] == g) {
					vs = append(vs, r.Values(p.Index, metric)...)
				}
			}
			s := r.summary(metric, vs)
			if s.N == 1 {
				s.Lower, s.Upper = s.Mean, s.Mean
			}
			b.X, b.Mean, b.Lower, b.Upper = append(b.X, xv), append(b.Mean, s.Mean), append(b.Lower, s.Lower), append(b.Upper, s.Upper)
		}
		bands = append(bands, b)
	}
	return bands, kx, nil
}

// IsShare reports whether metric is a share of runs (Metrics.Share).
func (r *Result) IsShare(metric string) bool { return find(r.Shares, metric) >= 0 }

func summarise(vs []float64, share bool) Stat {
	s := Stat{N: len(vs), Mean: math.NaN(), SD: math.NaN(), Lower: math.NaN(), Upper: math.NaN()}
	if len(vs) == 0 {
		return s
	}
	if share {
		return wilson(vs)
	}
	if len(vs) == 1 {
		s.Mean = vs[0]
		return s
	}
	s.Mean, s.SD = stat.MeanStdDev(vs, nil)
	h := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(len(vs) - 1)}.Quantile(0.975) * s.SD / math.Sqrt(float64(len(vs)))
	s.Lower, s.Upper = s.Mean-h, s.Mean+h
	return s
}

// wilson summarises 0/1 outcomes with Wilson's score interval at 95%:
// (p + z²/2n ± z·√(p(1-p)/n + z²/4n²)) / (1 + z²/n), with p the share of
// ones (Wilson, JASA 1927; Brown, Cai and DasGupta, Statistical Science
// 2001, recommend it over the normal interval for small n).
func wilson(vs []float64) Stat {
	n := float64(len(vs))
	p := stat.Mean(vs, nil)
	z := distuv.UnitNormal.Quantile(0.975)
	d := 1 + z*z/n
	centre := (p + z*z/(2*n)) / d
	h := z / d * math.Sqrt(p*(1-p)/n+z*z/(4*n*n))
	s := Stat{N: len(vs), Mean: p, SD: math.NaN(), Lower: math.Max(0, centre-h), Upper: math.Min(1, centre+h)}
	if len(vs) > 1 {
		s.SD = stat.StdDev(vs, nil)
	}
	return s
}
