package sweep

import (
	"cmp"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Knob is one parameter a sweep varies: a name and the values it takes.
// Labels, when set, name the values (a strategy, a preset): the knob then
// takes the values 0, 1, ... with those labels, and Values may be empty.
type Knob struct {
	Name   string    `json:"name"`
	Values []float64 `json:"values,omitempty"`
	Labels []string  `json:"labels,omitempty"`
	Unit   string    `json:"unit,omitempty"` // for axes and columns: "s", "req/s"
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

func (k Knob) equal(o Knob) bool {
	return k.Name == o.Name && k.Unit == o.Unit && slices.Equal(k.Values, o.Values) && slices.Equal(k.Labels, o.Labels)
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

// Shard selects a slice of a sweep's runs: run k belongs to shard
// k mod N + 1. The zero Shard is the whole sweep.
type Shard struct {
	I int `json:"i"`
	N int `json:"n"`
}

func (s Shard) String() string {
	if s.N <= 1 {
		return "all"
	}
	return fmt.Sprintf("%d/%d", s.I, s.N)
}

func (s Shard) has(run int) bool { return s.N <= 1 || run%s.N == s.I-1 }

// ParseShard reads "i/n" (1 <= i <= n <= MaxRuns).
func ParseShard(s string) (Shard, error) {
	var sh Shard
	if n, err := fmt.Sscanf(s, "%d/%d", &sh.I, &sh.N); err != nil || n != 2 || fmt.Sprintf("%d/%d", sh.I, sh.N) != s {
		return Shard{}, fmt.Errorf("sweep: shard %q: want i/n, as in 2/5", s)
	}
	if sh.N < 1 || sh.N > MaxRuns || sh.I < 1 || sh.I > sh.N {
		return Shard{}, fmt.Errorf("sweep: shard %q: want 1 <= i <= n <= %d", s, MaxRuns)
	}
	return sh, nil
}

// Spec is a parameter study: the points (a grid over Knobs, or Points),
// how many runs per point, the root seed, and how to run them.
type Spec struct {
	// Name names the results files (NAME.json, NAME.shard-i-of-n.json):
	// letters, digits, '-', '_' and '.'. Zero means "sweep".
	Name  string
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
	// zero means the shard the context lends (WithShard), if any.
	Shard Shard
}

func (s Spec) withDefaults() Spec {
	s.Name = cmp.Or(s.Name, "sweep")
	s.Reps = cmp.Or(s.Reps, 5)
	if s.Workers == 0 {
		s.Workers = runtime.GOMAXPROCS(0)
	}
	return s
}

func bad(field string, v any, why string) error { return fmt.Errorf("%s=%v: %s", field, v, why) }

// Validate reports the first bad field, naming it, its value and the
// limit. Every count is checked before it is multiplied, so no product
// can overflow.
func (s Spec) Validate() error {
	if err := s.withDefaults().validate(); err != nil {
		return fmt.Errorf("sweep: %w", err)
	}
	return nil
}

// validate checks a spec with its defaults filled in (or read from a file).
func (s Spec) validate() error {
	if msg := checkName(s.Name); msg != "" {
		return bad("Name", quote(s.Name), msg)
	}
	if err := s.validateKnobs(); err != nil {
		return err
	}
	if len(s.Points) > MaxPoints {
		return bad("Points", fmt.Sprintf("[%d points]", len(s.Points)), fmt.Sprintf("the limit is %d (MaxPoints)", MaxPoints))
	}
	seen := map[string]int{}
	for i, p := range s.Points {
		if len(p) != len(s.Knobs) {
			return bad(fmt.Sprintf("Points[%d]", i), p, fmt.Sprintf("has %d values for %d knobs", len(p), len(s.Knobs)))
		}
		for j, v := range p {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return bad(fmt.Sprintf("Points[%d][%d]", i, j), v, "must be finite")
			}
		}
		key := fmt.Sprint(p) // distinct finite values print distinctly (-0 and 0 alike)
		if j, ok := seen[key]; ok {
			return bad(fmt.Sprintf("Points[%d]", i), p, fmt.Sprintf("is Points[%d] again: its runs would have the same seeds", j))
		}
		seen[key] = i
	}
	n := s.size()
	switch {
	case n > MaxPoints:
		return bad("Knobs", s.gridText(), fmt.Sprintf("make a grid of %.6g points; the limit is %d (MaxPoints)", s.gridSize(), MaxPoints))
	case s.Reps < 1 || s.Reps > MaxRuns:
		return bad("Reps", s.Reps, fmt.Sprintf("must be 1..%d (MaxRuns)", MaxRuns))
	case int64(n)*int64(s.Reps) > MaxRuns: // both are at most 10^6: no overflow
		return bad("Reps", s.Reps, fmt.Sprintf("%d points × %d make %d runs; the limit is %d (MaxRuns)", n, s.Reps, int64(n)*int64(s.Reps), MaxRuns))
	case s.Workers < 1 || s.Workers > 1024:
		return bad("Workers", s.Workers, "must be 1..1024")
	case s.Shard.N < 0 || s.Shard.N > MaxRuns || (s.Shard.N > 0 && (s.Shard.I < 1 || s.Shard.I > s.Shard.N)):
		return bad("Shard", fmt.Sprintf("%d/%d", s.Shard.I, s.Shard.N), fmt.Sprintf("want 1 <= I <= N <= %d", MaxRuns))
	}
	return nil
}

func (s Spec) validateKnobs() error {
	if len(s.Knobs) == 0 {
		return bad("Knobs", "[]", "a sweep needs at least one knob")
	}
	if len(s.Knobs) > MaxKnobs {
		return bad("Knobs", fmt.Sprintf("[%d knobs]", len(s.Knobs)), fmt.Sprintf("the limit is %d (MaxKnobs)", MaxKnobs))
	}
	seen := map[string]bool{}
	for i, k := range s.Knobs {
		field := fmt.Sprintf("Knobs[%d]", i)
		switch {
		case checkText(k.Name, false) != "":
			return bad(field+".Name", quote(k.Name), "a knob's name "+checkText(k.Name, false))
		case seen[k.Name]:
			return bad(field+".Name", quote(k.Name), "appears twice")
		case checkText(k.Unit, true) != "":
			return bad(field+".Unit", quote(k.Unit), "a unit "+checkText(k.Unit, true))
		case len(k.Values) > MaxPoints:
			return bad(field+".Values", fmt.Sprintf("[%d values]", len(k.Values)), fmt.Sprintf("the limit is %d (MaxPoints)", MaxPoints))
		case len(k.Labels) > MaxPoints:
			return bad(field+".Labels", fmt.Sprintf("[%d labels]", len(k.Labels)), fmt.Sprintf("the limit is %d (MaxPoints)", MaxPoints))
		case len(s.Points) == 0 && len(k.values()) == 0:
			return bad(field+".Values", "[]", "a grid knob needs values")
		}
		seen[k.Name] = true
		values := map[float64]bool{}
		for j, v := range k.Values {
			switch {
			case math.IsNaN(v) || math.IsInf(v, 0):
				return bad(fmt.Sprintf("%s.Values[%d]", field, j), v, "must be finite")
			case values[v]: // the same point twice: its runs would have the same seeds
				return bad(fmt.Sprintf("%s.Values[%d]", field, j), v, "appears twice")
			}
			values[v] = true
		}
		for j, l := range k.Labels {
			if msg := checkText(l, false); msg != "" {
				return bad(fmt.Sprintf("%s.Labels[%d]", field, j), quote(l), "a label "+msg)
			}
		}
	}
	return nil
}

// size is the number of points, or MaxPoints+1 when there are more: the
// product is cut short before it could overflow.
func (s Spec) size() int {
	if len(s.Points) > 0 {
		return len(s.Points)
	}
	n := 1
	for _, k := range s.Knobs {
		m := len(k.values())
		if m > 0 && n > MaxPoints/m {
			return MaxPoints + 1
		}
		n *= m
	}
	return n
}

// gridSize and gridText describe an oversized grid for its error; in
// floating point, which does not overflow.
func (s Spec) gridSize() float64 {
	n := 1.0
	for _, k := range s.Knobs {
		n *= float64(len(k.values()))
	}
	return n
}

func (s Spec) gridText() string {
	parts := make([]string, len(s.Knobs))
	for i, k := range s.Knobs {
		parts[i] = strconv.Itoa(len(k.values()))
	}
	return "[" + strings.Join(parts, " × ") + " values]"
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

// sameSweep reports how o differs from s as a sweep (name, seed, reps,
// knobs, points), or "" if it does not.
func (s Spec) sameSweep(o Spec) string {
	switch {
	case s.Name != o.Name:
		return fmt.Sprintf("name %q, not %q", o.Name, s.Name)
	case s.Seed != o.Seed:
		return fmt.Sprintf("seed %d, not %d", o.Seed, s.Seed)
	case s.Reps != o.Reps:
		return fmt.Sprintf("reps %d, not %d", o.Reps, s.Reps)
	case len(s.Knobs) != len(o.Knobs):
		return fmt.Sprintf("%d knobs, not %d", len(o.Knobs), len(s.Knobs))
	case len(s.Points) != len(o.Points):
		return fmt.Sprintf("%d explicit points, not %d", len(o.Points), len(s.Points))
	}
	for i := range s.Knobs {
		if !s.Knobs[i].equal(o.Knobs[i]) {
			return fmt.Sprintf("knobs[%d] %v, not %v", i, o.Knobs[i], s.Knobs[i])
		}
	}
	for i := range s.Points {
		if !slices.Equal(s.Points[i], o.Points[i]) {
			return fmt.Sprintf("points[%d] %v, not %v", i, o.Points[i], s.Points[i])
		}
	}
	return ""
}
