package sweep

import (
	hdr "github.com/HdrHistogram/hdrhistogram-go"

	"dsim/sim/metrics"
)

// Metrics is what one run reports: named numbers, and latency histograms.
//
// A number is finite, or NaN for "no value this run" (a ratio over
// nothing); ±Inf is an error. A share (Share) is 0 or 1, and a metric
// whose name ends in "(%)" is a percentage, within [0, 100]: the sweep
// refuses a run that breaks these, and so does a results file.
type Metrics struct {
	names  []string
	values []float64
	shares []string // the names Share recorded
	hists  []namedHist
}

// namedHist is a run's latency histogram in HdrHistogram's packed form,
// which holds only the buckets in use: a few KB where the dense form
// takes 190 KB.
type namedHist struct {
	name string
	h    *hdr.PackedHistogram
}

// NewMetrics returns an empty set.
func NewMetrics() *Metrics { return &Metrics{} }

// Set records a number; setting a name again replaces it.
func (m *Metrics) Set(name string, v float64) *Metrics {
	for i, n := range m.names {
		if n == name {
			m.values[i] = v
			return m
		}
	}
	m.names = append(m.names, name)
	m.values = append(m.values, v)
	return m
}

// Share records whether something happened in this run (a verdict, a
// lost write) as 1 or 0. Over a point's runs its mean is the share of runs
// where it happened, and its confidence interval is Wilson's score
// interval, which, unlike Student's t, stays within [0, 1] and is not
// zero-width when every run agrees.
func (m *Metrics) Share(name string, happened bool) *Metrics {
	v := 0.0
	if happened {
		v = 1
	}
	if find(m.shares, name) < 0 {
		m.shares = append(m.shares, name)
	}
	return m.Set(name, v)
}

// Latency records a latency recorder's whole histogram under name (again
// under the same name replaces it): the sweep merges them per point as
// runs finish, and results files carry them in HdrHistogram's encoding.
func (m *Metrics) Latency(name string, l *metrics.Latency) *Metrics {
	if l == nil {
		return m
	}
	d := l.Histogram()
	p := hdr.NewPacked(d.LowestTrackableValue(), d.HighestTrackableValue(), int(d.SignificantFigures()))
	p.MergeFrom(d) // the same geometry: nothing is dropped
	for i := range m.hists {
		if m.hists[i].name == name {
			m.hists[i].h = p
			return m
		}
	}
	m.hists = append(m.hists, namedHist{name, p})
	return m
}

// Func runs the model once at a point with a seed and reports its metrics.
type Func func(p Point, seed uint64) (*Metrics, error)
