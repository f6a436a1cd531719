package sweep

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"

	"dsim/sim/metrics"
)

// Knob is one parameter a sweep varies: a name and the values it takes.
// Labels, when set, name the values (a strategy, a preset): the knob then
// takes the values 0, 1, ... with those labels, and Values may be empty.
type Knob struct {
	Name   string
	Values []float64
	Labels []string
	Unit   string // for axes and columns: "s", "req/s"
}

func (k Knob) values() []float64 {
	if len(k.Labels) > 0 && len(k.Values) == 0 {
		v := make([]float64, len(k.Labels))
		for i := range v {
			v[i] = float64(i)
		}
		return v
	}
	return k.Values
}

// Point is one combination of knob values.
type Point struct {
	Index  int
	Names  []string
	Values []float64
	knobs  []Knob
}

func (p Point) index(name string) int {
	for i, n := range p.Names {
		if n == name {
			return i
		}
	}
	return -1
}

// Get is the value of the named knob (NaN if there is none).
func (p Point) Get(name string) float64 {
	if i := p.index(name); i >= 0 {
		return p.Values[i]
	}
	return math.NaN()
}

// Int is the named knob's value rounded to an integer.
func (p Point) Int(name string) int { return int(math.Round(p.Get(name))) }

// Duration reads the named knob's value as seconds.
func (p Point) Duration(name string) time.Duration {
	return time.Duration(math.Round(p.Get(name) * float64(time.Second)))
}

// Label is the named knob's value as its label, or as a number.
func (p Point) Label(name string) string {
	i := p.index(name)
	if i < 0 {
		return ""
	}
	return p.knobs[i].text(p.Values[i])
}

func (k Knob) text(v float64) string {
	if len(k.Labels) > 0 {
		if i := int(v); float64(i) == v && i >= 0 && i < len(k.Labels) {
			return k.Labels[i]
		}
	}
	s := strconv.FormatFloat(v, 'g', 6, 64)
	if k.Unit != "" {
		s += " " + k.Unit
	}
	return s
}

func (p Point) String() string {
	parts := make([]string, len(p.Names))
	for i, n := range p.Names {
		parts[i] = n + "=" + p.knobs[i].text(p.Values[i])
	}
	return strings.Join(parts, ", ")
}

// Metrics is what one run reports: named numbers, and latency histograms.
type Metrics struct {
	names  []string
	values []float64
	shares []string // the names Share recorded
	hists  []namedHist
}

type namedHist struct {
	name string
	h    *hdr.Histogram
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

// Latency records a latency recorder's whole histogram under name: the
// sweep merges them per point, and results files carry them in
// HdrHistogram's encoding.
func (m *Metrics) Latency(name string, l *metrics.Latency) *Metrics {
	if l != nil {
		m.hists = append(m.hists, namedHist{name, hdr.Import(l.Histogram().Export())})
	}
	return m
}

// Func runs the model once at a point with a seed and reports its metrics.
type Func func(p Point, seed uint64) (*Metrics, error)

// Shard selects a slice of a sweep's runs: run k belongs to shard
// k mod N + 1. The zero Shard is the whole sweep.
type Shard struct{ I, N int }

func (s Shard) String() string {
	if s.N <= 1 {
		return "all"
	}
	return fmt.Sprintf("%d/%d", s.I, s.N)
}

func (s Shard) has(run int) bool { return s.N <= 1 || run%s.N == s.I-1 }

// ParseShard reads "i/n" (1 <= i <= n).
func ParseShard(s string) (Shard, error) {
	var sh Shard
	if n, err := fmt.Sscanf(s, "%d/%d", &sh.I, &sh.N); err != nil || n != 2 || fmt.Sprintf("%d/%d", sh.I, sh.N) != s {
		return Shard{}, fmt.Errorf("sweep: shard %q: want i/n, as in 2/5", s)
	}
	if sh.N < 1 || sh.I < 1 || sh.I > sh.N {
		return Shard{}, fmt.Errorf("sweep: shard %q: want 1 <= i <= n", s)
	}
	return sh, nil
}

// Spec is a parameter study: the points (a grid over Knobs, or Points),
// how many runs per point, the root seed, and how to run them.
type Spec struct {
	Name  string // names the results file; zero means "sweep"
	Knobs []Knob
	// Points, when set, are the points to run instead of the grid: each
	// holds one value per knob, in Knobs order (the knobs' Values are then
	// only for labels and may be empty).
	Points [][]float64
	// Reps is the runs per point, each with its own seed. Zero means 5.
	Reps int
	// Seed is the root of every run's seed.
	Seed uint64
	// Workers is the runs at once. Zero means one per core (GOMAXPROCS).
	// Results never depend on it.
	Workers int
	// Shard, when set, runs only that slice of the runs (see Shard);
	// zero means the shard set for the process (SetShard), if any.
	Shard Shard
}

// Limits.
const (
	maxPoints = 100_000
	maxRuns   = 1_000_000
)

func (s Spec) withDefaults() Spec {
	if s.Name == "" {
		s.Name = "sweep"
	}
	if s.Reps == 0 {
		s.Reps = 5
	}
	if s.Workers == 0 {
		s.Workers = runtime.GOMAXPROCS(0)
	}
	if s.Shard.N == 0 {
		s.Shard = processShard()
	}
	return s
}

// Validate reports the first bad field, naming it and its value.
func (s Spec) Validate() error {
	s = s.withDefaults()
	bad := func(field string, v any, why string) error { return fmt.Errorf("sweep: %s=%v: %s", field, v, why) }
	if len(s.Knobs) == 0 {
		return bad("Knobs", "[]", "a sweep needs at least one knob")
	}
	seen := map[string]bool{}
	for i, k := range s.Knobs {
		switch {
		case k.Name == "":
			return bad(fmt.Sprintf("Knobs[%d].Name", i), `""`, "a knob needs a name")
		case seen[k.Name]:
			return bad(fmt.Sprintf("Knobs[%d].Name", i), strconv.Quote(k.Name), "appears twice")
		case len(s.Points) == 0 && len(k.values()) == 0:
			return bad(fmt.Sprintf("Knobs[%d].Values", i), "[]", "a grid knob needs values")
		}
		seen[k.Name] = true
		for j, v := range k.Values {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return bad(fmt.Sprintf("Knobs[%d].Values[%d]", i, j), v, "must be finite")
			}
		}
	}
	for i, p := range s.Points {
		if len(p) != len(s.Knobs) {
			return bad(fmt.Sprintf("Points[%d]", i), p, fmt.Sprintf("has %d values for %d knobs", len(p), len(s.Knobs)))
		}
	}
	n := s.size()
	switch {
	case n > maxPoints:
		return bad("Knobs", n, fmt.Sprintf("make %d points; the limit is %d", n, maxPoints))
	case s.Reps < 1 || n*s.Reps > maxRuns:
		return bad("Reps", s.Reps, fmt.Sprintf("must be at least 1, with at most %d runs in all", maxRuns))
	case s.Workers < 1 || s.Workers > 1024:
		return bad("Workers", s.Workers, "must be 1..1024")
	case s.Shard.N < 0 || (s.Shard.N > 0 && (s.Shard.I < 1 || s.Shard.I > s.Shard.N)):
		return bad("Shard", s.Shard, "want 1 <= I <= N")
	}
	return nil
}

func (s Spec) size() int {
	if len(s.Points) > 0 {
		return len(s.Points)
	}
	n := 1
	for _, k := range s.Knobs {
		n *= len(k.values())
		if n > maxPoints {
			return n
		}
	}
	return n
}

// points lists the sweep's points: the grid in row-major order (the last
// knob varies fastest), or the explicit points.
func (s Spec) points() []Point {
	names := make([]string, len(s.Knobs))
	for i, k := range s.Knobs {
		names[i] = k.Name
	}
	var rows [][]float64
	if len(s.Points) > 0 {
		rows = s.Points
	} else {
		rows = [][]float64{{}}
		for _, k := range s.Knobs {
			var next [][]float64
			for _, r := range rows {
				for _, v := range k.values() {
					next = append(next, append(append([]float64(nil), r...), v))
				}
			}
			rows = next
		}
	}
	ps := make([]Point, len(rows))
	for i, r := range rows {
		ps[i] = Point{Index: i, Names: names, Values: append([]float64(nil), r...), knobs: s.Knobs}
	}
	return ps
}

// RunSeed is the seed of a run: derived from the root seed, the point's
// values and the replication, so it never depends on the order runs are
// made in, on the workers, or on the other points of the sweep.
func RunSeed(root uint64, values []float64, rep int) uint64 {
	h := uint64(14695981039346656037)
	mix := func(x uint64) {
		for i := 0; i < 8; i++ {
			h ^= x & 0xff
			h *= 1099511628211
			x >>= 8
		}
	}
	mix(root)
	for _, v := range values {
		mix(math.Float64bits(v))
	}
	mix(uint64(rep))
	h += 0x9e3779b97f4a7c15
	h = (h ^ h>>30) * 0xbf58476d1ce4e5b9
	h = (h ^ h>>27) * 0x94d049bb133111eb
	return h ^ h>>31
}

// interpreted tells whether fn was made by the script interpreter: Yaegi
// hands compiled code interpreted functions as reflect.MakeFunc stubs.
// Yaegi does not promise that such a function may run on several
// goroutines at once, so the sweep calls it from one at a time; compiled
// functions (notebook cells, scenario packages) run in parallel.
func interpreted(fn Func) bool {
	f := runtime.FuncForPC(reflect.ValueOf(fn).Pointer())
	return f != nil && strings.HasPrefix(f.Name(), "reflect.")
}

// Run runs the sweep: every point Reps times, on Workers goroutines, and
// gathers the results in run order, so the result is the same whatever
// the number of workers. A run's error stops the sweep and is returned
// with its point and seed; so is ctx's cancellation.
func Run(ctx context.Context, spec Spec, fn Func) (*Result, error) {
	if err := spec.Validate(); err != nil {
		return nil, err
	}
	if fn == nil {
		return nil, errors.New("sweep: the run function is nil")
	}
	if ctx == nil {
		ctx = context.Background()
	}
	spec = spec.withDefaults()
	points := spec.points()
	var todo []int
	for k := 0; k < len(points)*spec.Reps; k++ {
		if spec.Shard.has(k) {
			todo = append(todo, k)
		}
	}
	res := newResult(spec, points)
	outs := make([]*Metrics, len(points)*spec.Reps)
	errs := make([]error, len(outs))
	call := fn
	if interpreted(fn) {
		var mu sync.Mutex
		call = func(p Point, seed uint64) (*Metrics, error) {
			mu.Lock()
			defer mu.Unlock()
			return fn(p, seed)
		}
	}
	// The goroutines below only hand out runs and collect them: each run
	// is a whole engine of its own on one goroutine, its seed comes from
	// its point and replication, and results are filed by run index, so
	// nothing the scheduler does reaches a result.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan int)
	done := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < min(spec.Workers, max(1, len(todo))); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range jobs {
				outs[k], errs[k] = safeCall(call, points[k/spec.Reps], RunSeed(spec.Seed, points[k/spec.Reps].Values, k%spec.Reps))
				done <- k
			}
		}()
	}
	// Runs are handed out in a shuffled order, fixed by the seed: a grid
	// often puts its heaviest runs together (the largest load last), and a
	// worker left alone with them at the end wastes the others. Results
	// are gathered by run index, so the order never shows in them.
	order := append([]int(nil), todo...)
	shuffle := rand.New(rand.NewPCG(spec.Seed, uint64(len(order))))
	shuffle.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
	go func() {
		defer close(jobs)
		for _, k := range order {
			select {
			case jobs <- k:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() { wg.Wait(); close(done) }()
	report(Progress{Name: spec.Name, Total: len(todo)})
	finished, failed := 0, false
	for k := range done {
		finished++
		if errs[k] != nil && !failed {
			failed = true
			cancel()
		}
		report(Progress{Name: spec.Name, Done: finished, Total: len(todo)})
	}
	report(Progress{Name: spec.Name, Done: finished, Total: len(todo), Finished: true})
	for _, k := range todo {
		if errs[k] != nil {
			p := points[k/spec.Reps]
			return nil, fmt.Errorf("sweep %s: run at %v, rep %d (seed %d): %w", spec.Name, p, k%spec.Reps, RunSeed(spec.Seed, p.Values, k%spec.Reps), errs[k])
		}
	}
	if err := ctx.Err(); err != nil && finished < len(todo) {
		return nil, fmt.Errorf("sweep %s: stopped after %d of %d runs: %w", spec.Name, finished, len(todo), context.Cause(ctx))
	}
	for _, k := range todo {
		res.add(k, outs[k])
	}
	if dir := shardDir(); spec.Shard.N > 1 && dir != "" {
		if err := res.WriteFile(filepath.Join(dir, ShardFileName(spec.Name, spec.Shard))); err != nil {
			return nil, fmt.Errorf("sweep %s: writing the shard's results: %w", spec.Name, err)
		}
	}
	return res, nil
}

// safeCall turns a panic in the user's function into an error.
func safeCall(fn Func, p Point, seed uint64) (m *Metrics, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	m, err = fn(p, seed)
	if err == nil && m == nil {
		m = NewMetrics()
	}
	return m, err
}
