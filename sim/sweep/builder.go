package sweep

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"

	hdr "github.com/HdrHistogram/hdrhistogram-go"

	"dsim/sim/metrics"
)

// absent marks a metric a run did not report. It is a NaN with a payload
// of its own, so a results file can tell it from a reported NaN (a run with
// no value), which matters for the order of the metrics after a merge.
// Values are only copied, never computed on, so the payload survives;
// reported NaNs are stored as math.NaN().
const absentBits = 0x7ff8_0000_0000_0a5e

var absent = math.Float64frombits(absentBits)

func isAbsent(v float64) bool { return math.Float64bits(v) == absentBits }

// What a Result holds, counted against MaxMemory: a slice header per run
// (nil if the run is another shard's), 8 bytes per value, a point's values
// and its row of histograms.
const (
	runBytes   = 24
	pointBytes = 80 + 24
)

// The limits in force; tests lower them.
var (
	memoryLimit int64 = MaxMemory
	fileLimit   int64 = MaxFileBytes
	entryLimit  int64 = maxEntry
)

var emptyPacked = int64(hdr.NewPacked(int64(metrics.LatencyMin), int64(metrics.LatencyMax), metrics.LatencySig).GetMemorySize())

// packedSize is a packed histogram's storage once compacted. It only grows
// as runs are merged in, whatever their order, so a sweep that stays under
// MaxMemory at the end stays under it all along, and one that does not
// fails whatever the workers did.
func packedSize(h *hdr.PackedHistogram) int64 {
	return emptyPacked + int64(h.Populated())*int64(4+h.CountWidth())
}

// runReport is one run's metrics in the order the run reported them.
type runReport struct {
	names  []string
	values []float64
	share  []bool
	hists  []namedHist
}

func (m *Metrics) report() runReport {
	r := runReport{names: m.names, values: m.values, share: make([]bool, len(m.names)), hists: m.hists}
	for i, n := range m.names {
		r.share[i] = find(m.shares, n) >= 0
	}
	return r
}

// nameKey places a metric: the first run (by index) that reported it, and
// its place in that run's report. Sorted by key, the names come out in the
// order a single sweep finds them, whatever order runs are filed in.
type nameKey struct{ run, pos int }

func (a nameKey) less(b nameKey) bool { return a.run < b.run || a.run == b.run && a.pos < b.pos }

// builder files runs, from workers in any order, from a results file, or
// from the parts of a merge, checking each, and gives the Result.
type builder struct {
	spec    Spec
	points  []Point
	names   []string // metric names by id, in the order they were filed
	ids     map[string]int
	keys    []nameKey
	isShare []bool
	shareAt []string          // where a name's kind (share or not) was first seen
	before  map[[2]int]string // order evidence: a before b, and where
	last    []string          // the last report's names, already checked for order
	runs    [][]float64       // by run index, aligned with ids; nil if not filed
	n       int
	hnames  []string
	hids    map[string]int
	hists   [][]*hdr.PackedHistogram // by point, aligned with hids
	held    int64                    // bytes, counted as compacted
}

func newBuilder(spec Spec, points []Point) *builder {
	total := len(points) * spec.Reps
	return &builder{spec: spec, points: points, ids: map[string]int{}, hids: map[string]int{}, before: map[[2]int]string{},
		runs: make([][]float64, total), hists: make([][]*hdr.PackedHistogram, len(points)),
		held: int64(total)*runBytes + int64(len(points))*(pointBytes+8*int64(len(spec.Knobs)))}
}

var (
	errMemory = errors.New("over the memory limit")
	errTwice  = errors.New("given twice")
)

func (b *builder) overMemory() error {
	if b.held > memoryLimit {
		return fmt.Errorf("%w: the results hold %s; the limit is %s (MaxMemory): use fewer points, runs or latency histograms", errMemory, mib(b.held), mib(memoryLimit))
	}
	return nil
}

// checkValue says what is wrong with a metric's value, or "".
func checkValue(name string, v float64, share bool) string {
	switch {
	case math.IsNaN(v):
		return ""
	case math.IsInf(v, 0):
		return "must be finite (NaN for no value)"
	case share && v != 0 && v != 1:
		return "a share (Metrics.Share) must be 0 or 1"
	case isPercent(name) && (v < 0 || v > 100):
		return "a percentage (a name ending in " + percentMark + ") must be within [0, 100]"
	}
	return ""
}

// file adds run k's report; src names where it comes from in errors.
// With pairs, every two metrics the run reports give their order, which
// every other run must keep (see order).
func (b *builder) file(k int, r runReport, src string, pairs bool) error {
	if b.runs[k] != nil {
		return errTwice
	}
	ids := make([]int, len(r.names))
	last := -1
	for i, name := range r.names {
		if msg := checkText(name, false); msg != "" {
			return fmt.Errorf("metric %s: a name %s", quote(name), msg)
		}
		if msg := checkValue(name, r.values[i], r.share[i]); msg != "" {
			return fmt.Errorf("metric %s=%v: %s", quote(name), r.values[i], msg)
		}
		id, err := b.intern(name, r.share[i], src)
		if err != nil {
			return err
		}
		if key := (nameKey{k, i}); key.less(b.keys[id]) {
			b.keys[id] = key
		}
		ids[i], last = id, max(last, id)
	}
	if pairs && !slices.Equal(r.names, b.last) {
		for i := range ids {
			for j := i + 1; j < len(ids); j++ {
				if err := b.order(ids[i], ids[j], src); err != nil {
					return err
				}
			}
		}
		b.last = append(b.last[:0], r.names...)
	}
	vals := make([]float64, last+1) // never nil, even empty: it marks the run as filed
	for i := range vals {
		vals[i] = absent
	}
	for i, id := range ids {
		if v := r.values[i]; math.IsNaN(v) {
			vals[id] = math.NaN()
		} else {
			vals[id] = v
		}
	}
	b.runs[k] = vals
	b.n++
	b.held += 8 * int64(len(ids))
	for _, h := range r.hists {
		if err := b.addHist(k/b.spec.Reps, h.name, h.h); err != nil {
			return err
		}
	}
	return b.overMemory()
}

// intern gives a metric's id, checking it keeps its kind (share or not).
func (b *builder) intern(name string, share bool, src string) (int, error) {
	id, ok := b.ids[name]
	if !ok {
		if len(b.names) == MaxMetrics {
			return 0, fmt.Errorf("metric %s: more than %d metric names (MaxMetrics)", quote(name), MaxMetrics)
		}
		id = len(b.names)
		b.ids[name] = id
		b.names = append(b.names, name)
		b.keys = append(b.keys, nameKey{math.MaxInt, 0})
		b.isShare = append(b.isShare, share)
		b.shareAt = append(b.shareAt, src)
	}
	if b.isShare[id] != share {
		kind := func(s bool) string {
			if s {
				return "a share"
			}
			return "not a share"
		}
		return 0, fmt.Errorf("metric %s is %s in %s but %s in %s", quote(name), kind(share), src, kind(b.isShare[id]), b.shareAt[id])
	}
	return id, nil
}

// order records that metric a comes before metric c in src. Metrics are
// matched by name, so their order does not change a value; but two sources
// that disagree on it mean names were swapped between files, or a model
// reports its metrics in no fixed order, and the table's columns would
// depend on which run came first.
func (b *builder) order(a, c int, src string) error {
	if at, ok := b.before[[2]int{c, a}]; ok {
		return fmt.Errorf("metrics %s and %s come in one order in %s and in the other in %s: every run must report its metrics in one order (were names swapped?)",
			quote(b.names[a]), quote(b.names[c]), src, at)
	}
	if _, ok := b.before[[2]int{a, c}]; !ok {
		b.before[[2]int{a, c}] = src
	}
	return nil
}

// checkGeometry refuses a histogram not made by metrics.Latency: merging
// histograms of another range or precision would drop or misplace counts.
func checkGeometry(h *hdr.PackedHistogram) string {
	if h.LowestTrackableValue() != int64(metrics.LatencyMin) || h.HighestTrackableValue() != int64(metrics.LatencyMax) || h.SignificantFigures() != metrics.LatencySig {
		return fmt.Sprintf("covers %d..%d ns with %d digits; want %d..%d with %d (metrics.Latency)", h.LowestTrackableValue(), h.HighestTrackableValue(),
			h.SignificantFigures(), int64(metrics.LatencyMin), int64(metrics.LatencyMax), metrics.LatencySig)
	}
	if h.TotalCount() == math.MaxInt64 {
		return "its counts overflow"
	}
	return ""
}

// addHist merges h into the point's histogram of that name; the builder
// keeps h.
func (b *builder) addHist(point int, name string, h *hdr.PackedHistogram) error {
	if msg := checkText(name, false); msg != "" {
		return fmt.Errorf("histogram %s: a name %s", quote(name), msg)
	}
	if msg := checkGeometry(h); msg != "" {
		return fmt.Errorf("histogram %s %s", quote(name), msg)
	}
	id, ok := b.hids[name]
	if !ok {
		if len(b.hnames) == MaxMetrics {
			return fmt.Errorf("histogram %s: more than %d histogram names (MaxMetrics)", quote(name), MaxMetrics)
		}
		id = len(b.hnames)
		b.hids[name] = id
		b.hnames = append(b.hnames, name)
	}
	row := b.hists[point]
	for len(row) <= id {
		row = append(row, nil)
	}
	b.hists[point] = row
	if row[id] == nil {
		// Kept as compacted, so that what is held is what is counted.
		h.Compact()
		row[id] = h
		b.held += packedSize(h)
		return nil
	}
	before := packedSize(row[id])
	if dropped := row[id].Merge(h); dropped != 0 {
		return fmt.Errorf("histogram %s: the counts of point %d overflow", quote(name), point)
	}
	after := packedSize(row[id])
	if int64(row[id].GetMemorySize()) > after+after/4 {
		row[id].Compact() // the spare capacity a merge grew
	}
	b.held += after - before
	return nil
}

// remap lays each run's values out in the final order of the metrics
// (col gives an id's place), and gives the bytes they take.
func (b *builder) remap(col []int) int64 {
	var held int64
	for k, vals := range b.runs {
		if vals == nil {
			continue
		}
		last := -1
		for id, v := range vals {
			if !isAbsent(v) {
				last = max(last, col[id])
			}
		}
		out := make([]float64, last+1) // never nil: see file
		for i := range out {
			out[i] = absent
		}
		for id, v := range vals {
			if !isAbsent(v) {
				out[col[id]] = v
			}
		}
		b.runs[k] = out
		held += 8 * int64(len(out))
	}
	return held
}

// finish puts the metrics in the order a single sweep finds them (by
// first report, see nameKey), the histograms by name, and gives the
// Result.
func (b *builder) finish() (*Result, error) {
	r := &Result{Spec: b.spec, Points: b.points, n: b.n}
	order := make([]int, len(b.names))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(i, j int) bool { return b.keys[order[i]].less(b.keys[order[j]]) })
	col := make([]int, len(b.names))
	for i, id := range order {
		col[id] = i
		r.Metrics = append(r.Metrics, b.names[id])
		if b.isShare[id] {
			r.Shares = append(r.Shares, b.names[id])
		}
	}
	held := int64(len(b.runs))*runBytes + int64(len(b.points))*(pointBytes+8*int64(len(b.spec.Knobs))) + b.remap(col)
	r.runs = b.runs
	r.Histograms = append([]string(nil), b.hnames...)
	sort.Strings(r.Histograms)
	r.hists = make([][]*hdr.PackedHistogram, len(b.points))
	for p, row := range b.hists {
		if len(row) == 0 {
			continue
		}
		r.hists[p] = make([]*hdr.PackedHistogram, len(r.Histograms))
		for i, name := range r.Histograms {
			if id := b.hids[name]; id < len(row) && row[id] != nil {
				row[id].Compact()
				r.hists[p][i] = row[id]
				held += packedSize(row[id])
			}
		}
	}
	b.held = held
	if err := b.overMemory(); err != nil {
		return nil, err
	}
	return r, nil
}
