package dist

import (
	"math"
	"math/rand/v2"
	"sort"
	"strconv"
)

// Mixture draws from one of its parts, chosen with probability proportional
// to its weight. Latency profiles of real systems are often a mixture: a
// fast common case and a slow tail.
type Mixture struct {
	unit
	Weights []float64
	Parts   []Dist
	cum     []float64 // cumulative normalised weights, built by Mix
}

// Mix returns the mixture of parts with the given weights (normalised to 1).
func Mix(weights []float64, parts ...Dist) *Mixture {
	return &Mixture{Weights: weights, Parts: parts, cum: cumulative(weights)}
}

func (d *Mixture) Sample(r *rand.Rand) float64 {
	cum := d.cum
	if cum == nil {
		// Built by Mix and Parse; a struct literal that skipped
		// them pays for it here rather than mutating shared state.
		cum = cumulative(d.Weights)
	}
	u := r.Float64()
	for i, c := range cum {
		if u < c {
			return d.Parts[i].Sample(r)
		}
	}
	return d.Parts[len(d.Parts)-1].Sample(r)
}

func cumulative(weights []float64) []float64 {
	total := 0.0
	for _, w := range weights {
		total += w
	}
	cum := make([]float64, len(weights))
	acc := 0.0
	for i, w := range weights {
		acc += w / total
		cum[i] = acc
	}
	return cum
}

func (d *Mixture) Mean() float64 {
	total, m := 0.0, 0.0
	for i, w := range d.Weights {
		total += w
		m += w * d.Parts[i].Mean()
	}
	return m / total
}

// variance is Σ pᵢ·(Var Xᵢ + (E Xᵢ - E X)²), each term non-negative, rather
// than E[X²] - (E X)², which cancels to garbage when the parts are alike.
func (d *Mixture) variance() float64 {
	mean := d.Mean()
	if math.IsInf(mean, 0) {
		return math.Inf(1)
	}
	total, v := 0.0, 0.0
	for i, w := range d.Weights {
		total += w
		dm := d.Parts[i].Mean() - mean
		v += w * (Variance(d.Parts[i]) + dm*dm)
	}
	return v / total
}

func (d *Mixture) support() (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, p := range d.Parts {
		l, h := support(p)
		lo, hi = math.Min(lo, l), math.Max(hi, h)
	}
	return lo, hi
}

func (d *Mixture) String() string { return text(d, 0) }

func (d *Mixture) write(b *textBuf) {
	b.call("mix", len(d.Parts), func(i int) {
		w := "?" // a struct literal may lack weights; validate says so
		if i < len(d.Weights) {
			w = trim(d.Weights[i])
		}
		b.WriteString(w + ": ")
		write(b, d.Parts[i])
	})
}

func (d *Mixture) setDuration() {
	d.dur = true
	for _, p := range d.Parts {
		AsDuration(p)
	}
}

func (d *Mixture) check(c *checker) error {
	if len(d.Parts) == 0 || len(d.Parts) != len(d.Weights) {
		return errorf(d, "mix needs one weight per part (got %d weights, %d parts)", len(d.Weights), len(d.Parts))
	}
	c.count(len(d.Weights))
	total := 0.0
	for i, w := range d.Weights {
		if !(w > 0 && w <= maxPlain) {
			return errorf(d, "weight %d = %v must be between 0 (excluded) and %v", i+1, w, trim(maxPlain))
		}
		total += w
	}
	for i, w := range d.Weights {
		// A part drawn less often than this would be missed by most runs
		// while its mean still counts in Mean.
		if w/total < minShare {
			return errorf(d, "weight %d = %v is %.3g of the total, less than the least share %v: that part would almost never be drawn", i+1, w, w/total, trim(minShare))
		}
		if err := c.child(d, d.Parts[i]); err != nil {
			return err
		}
	}
	// Validation only reads: sweeps validate one base configuration from
	// many goroutines. Mix builds cum; a Mixture made by hand draws from
	// weights it sums on each draw.
	return nil
}

// Shifted adds a constant to every draw of another distribution: a fixed
// propagation delay plus a random queueing delay.
type Shifted struct {
	unit
	By   float64
	Base Dist
}

// Shift returns base shifted by the constant by.
func Shift(by float64, base Dist) *Shifted { return &Shifted{By: by, Base: base} }

func (d *Shifted) Sample(r *rand.Rand) float64 { return d.By + d.Base.Sample(r) }
func (d *Shifted) Mean() float64               { return d.By + d.Base.Mean() }
func (d *Shifted) String() string              { return text(d, 0) }
func (d *Shifted) write(b *textBuf) {
	b.WriteString("shift(" + d.format(d.By) + ", ")
	write(b, d.Base)
	b.WriteString(")")
}
func (d *Shifted) variance() float64 { return Variance(d.Base) }
func (d *Shifted) support() (lo, hi float64) {
	lo, hi = support(d.Base)
	return d.By + lo, d.By + hi
}
func (d *Shifted) setDuration() { d.dur = true; AsDuration(d.Base) }
func (d *Shifted) check(c *checker) error {
	c.count(1)
	if err := d.value(d, "constant", d.By); err != nil {
		return err
	}
	if d.Base == nil {
		return errorf(d, "shift has no distribution to shift")
	}
	return c.child(d, d.Base)
}

// Empirical draws uniformly among observed values (resampling): use it to
// replay measured latencies.
type Empirical struct {
	unit
	Values []float64
}

// Emp returns the empirical distribution of values (copied and sorted).
func Emp(values []float64) *Empirical {
	v := append([]float64(nil), values...)
	sort.Float64s(v)
	return &Empirical{Values: v}
}

func (d *Empirical) Sample(r *rand.Rand) float64 { return d.Values[r.IntN(len(d.Values))] }
func (d *Empirical) Mean() float64 {
	s := 0.0
	for _, v := range d.Values {
		s += v
	}
	return s / float64(len(d.Values))
}

// variance is that of resampling: the population variance of the values.
func (d *Empirical) variance() float64 {
	m, s := d.Mean(), 0.0
	for _, v := range d.Values {
		s += (v - m) * (v - m)
	}
	return s / float64(len(d.Values))
}

func (d *Empirical) support() (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, v := range d.Values {
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	return lo, hi
}

func (d *Empirical) String() string { return text(d, 0) }
func (d *Empirical) write(b *textBuf) {
	b.call("emp", len(d.Values), func(i int) { b.WriteString(d.format(d.Values[i])) })
}

func (d *Empirical) check(c *checker) error {
	if len(d.Values) == 0 {
		return errorf(d, "emp needs at least one value")
	}
	c.count(len(d.Values))
	if c.over() {
		return nil // reported by the caller, before any more work
	}
	for i, v := range d.Values {
		if err := d.value(d, "point "+strconv.Itoa(i+1), v); err != nil {
			return err
		}
	}
	return nil
}
