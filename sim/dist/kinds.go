package dist

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strings"

	"gonum.org/v1/gonum/stat/distuv"
)

// Constant always yields V.
type Constant struct {
	unit
	V float64
}

// Const returns the distribution that always yields v.
func Const(v float64) *Constant { return &Constant{V: v} }

func (d *Constant) Sample(*rand.Rand) float64 { return d.V }
func (d *Constant) Mean() float64             { return d.V }
func (d *Constant) String() string            { return "const(" + d.format(d.V) + ")" }
func (d *Constant) validate() error           { return finite(d, "value", d.V) }

// Uniform yields values evenly spread over [Min, Max).
type Uniform struct {
	unit
	Min, Max float64
}

// Unif returns the uniform distribution on [min, max).
func Unif(min, max float64) *Uniform { return &Uniform{Min: min, Max: max} }

func (d *Uniform) Sample(r *rand.Rand) float64 { return d.Min + (d.Max-d.Min)*r.Float64() }
func (d *Uniform) Mean() float64               { return (d.Min + d.Max) / 2 }
func (d *Uniform) String() string {
	return "uniform(" + d.format(d.Min) + ", " + d.format(d.Max) + ")"
}
func (d *Uniform) validate() error {
	if err := finite(d, "min", d.Min); err != nil {
		return err
	}
	if err := finite(d, "max", d.Max); err != nil {
		return err
	}
	if d.Max < d.Min {
		return fmt.Errorf("dist: %v: max is smaller than min", d)
	}
	return nil
}

// Exponential yields memoryless values with the given mean: the gaps of a
// Poisson process, the service times of M/M/c theory.
type Exponential struct {
	unit
	MeanV float64
}

// Exp returns the exponential distribution with the given mean.
func Exp(mean float64) *Exponential { return &Exponential{MeanV: mean} }

// Sample uses the ziggurat of math/rand/v2 (gonum's distuv.Exponential draws
// the same way); one call, no allocation.
func (d *Exponential) Sample(r *rand.Rand) float64 { return r.ExpFloat64() * d.MeanV }
func (d *Exponential) Mean() float64               { return d.MeanV }
func (d *Exponential) String() string              { return "exp(" + d.format(d.MeanV) + ")" }
func (d *Exponential) validate() error             { return positive(d, "mean", d.MeanV) }

// Normal yields Gaussian values. Used for durations, negative draws become
// zero (see Time), which raises the mean when SD is not small against it.
type Normal struct {
	unit
	MeanV, SD float64
}

// Norm returns the normal distribution with the given mean and standard deviation.
func Norm(mean, sd float64) *Normal { return &Normal{MeanV: mean, SD: sd} }

func (d *Normal) Sample(r *rand.Rand) float64 {
	return distuv.Normal{Mu: d.MeanV, Sigma: d.SD, Src: r}.Rand()
}
func (d *Normal) Mean() float64 { return d.MeanV }
func (d *Normal) String() string {
	return "normal(" + d.format(d.MeanV) + ", " + d.format(d.SD) + ")"
}
func (d *Normal) validate() error {
	if err := finite(d, "mean", d.MeanV); err != nil {
		return err
	}
	return positive(d, "sd", d.SD)
}

// LogNormal yields values whose logarithm is normal, given by their mean and
// coefficient of variation (sd/mean) rather than the log-space mu and sigma,
// so the parameters keep the unit of the values: sigma² = ln(1+CV²),
// mu = ln(mean) - sigma²/2.
type LogNormal struct {
	unit
	MeanV, CV float64
}

// LogNorm returns the lognormal distribution with the given mean and CV.
func LogNorm(mean, cv float64) *LogNormal { return &LogNormal{MeanV: mean, CV: cv} }

func (d *LogNormal) Sample(r *rand.Rand) float64 {
	s2 := math.Log1p(d.CV * d.CV)
	return distuv.LogNormal{Mu: math.Log(d.MeanV) - s2/2, Sigma: math.Sqrt(s2), Src: r}.Rand()
}
func (d *LogNormal) Mean() float64 { return d.MeanV }
func (d *LogNormal) String() string {
	return "lognormal(" + d.format(d.MeanV) + ", " + trim(d.CV) + ")"
}
func (d *LogNormal) validate() error {
	if err := positive(d, "mean", d.MeanV); err != nil {
		return err
	}
	return positive(d, "cv", d.CV)
}

// Pareto yields heavy-tailed values of at least Xm with tail index Alpha:
// P(X > x) = (Xm/x)^Alpha. The mean is finite only for Alpha > 1.
type Pareto struct {
	unit
	Xm, Alpha float64
}

// Par returns the Pareto distribution with scale xm and shape alpha.
func Par(xm, alpha float64) *Pareto { return &Pareto{Xm: xm, Alpha: alpha} }

func (d *Pareto) Sample(r *rand.Rand) float64 {
	return distuv.Pareto{Xm: d.Xm, Alpha: d.Alpha, Src: r}.Rand()
}
func (d *Pareto) Mean() float64 {
	if d.Alpha <= 1 {
		return math.Inf(1)
	}
	return d.Alpha * d.Xm / (d.Alpha - 1)
}
func (d *Pareto) String() string {
	return "pareto(" + d.format(d.Xm) + ", " + trim(d.Alpha) + ")"
}
func (d *Pareto) validate() error {
	if err := positive(d, "xm", d.Xm); err != nil {
		return err
	}
	return positive(d, "alpha", d.Alpha)
}

// Gamma yields values given by their mean and coefficient of variation:
// shape k = 1/CV², scale = mean·CV². CV 1 is exponential; CV < 1 is more
// regular (a service of several stages), CV > 1 burstier.
type Gamma struct {
	unit
	MeanV, CV float64
}

// Gam returns the gamma distribution with the given mean and CV.
func Gam(mean, cv float64) *Gamma { return &Gamma{MeanV: mean, CV: cv} }

func (d *Gamma) Sample(r *rand.Rand) float64 {
	k := 1 / (d.CV * d.CV)
	return distuv.Gamma{Alpha: k, Beta: k / d.MeanV, Src: r}.Rand()
}
func (d *Gamma) Mean() float64 { return d.MeanV }
func (d *Gamma) String() string {
	return "gamma(" + d.format(d.MeanV) + ", " + trim(d.CV) + ")"
}
func (d *Gamma) validate() error {
	if err := positive(d, "mean", d.MeanV); err != nil {
		return err
	}
	return positive(d, "cv", d.CV)
}

// Mixture draws from one of its parts, chosen with probability proportional
// to its weight. Latency profiles of real systems are often a mixture: a
// fast common case and a slow tail.
type Mixture struct {
	unit
	Weights []float64
	Parts   []Dist
	cum     []float64 // cumulative normalised weights, built by validate
}

// Mix returns the mixture of parts with the given weights (normalised to 1).
func Mix(weights []float64, parts ...Dist) *Mixture {
	return &Mixture{Weights: weights, Parts: parts, cum: cumulative(weights)}
}

func (d *Mixture) Sample(r *rand.Rand) float64 {
	cum := d.cum
	if cum == nil {
		// Built by Mix, Parse and Validate; a struct literal that skipped
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

func (d *Mixture) String() string {
	var b strings.Builder
	b.WriteString("mix(")
	for i, p := range d.Parts {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(trim(d.Weights[i]) + ": " + p.String())
	}
	b.WriteString(")")
	return b.String()
}

func (d *Mixture) setDuration() {
	d.dur = true
	for _, p := range d.Parts {
		AsDuration(p)
	}
}

func (d *Mixture) validate() error {
	if len(d.Parts) == 0 || len(d.Parts) != len(d.Weights) {
		return fmt.Errorf("dist: mix needs one weight per part (got %d weights, %d parts)", len(d.Weights), len(d.Parts))
	}
	for i, w := range d.Weights {
		if !(w > 0) || math.IsInf(w, 0) {
			return fmt.Errorf("dist: mix: weight %d is %v; weights must be positive", i+1, w)
		}
		if err := Validate(d.Parts[i]); err != nil {
			return err
		}
	}
	d.cum = cumulative(d.Weights)
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
func (d *Shifted) String() string {
	return "shift(" + d.format(d.By) + ", " + d.Base.String() + ")"
}
func (d *Shifted) setDuration() { d.dur = true; AsDuration(d.Base) }
func (d *Shifted) validate() error {
	if err := finite(d, "constant", d.By); err != nil {
		return err
	}
	if d.Base == nil {
		return fmt.Errorf("dist: shift has no distribution to shift")
	}
	return Validate(d.Base)
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
func (d *Empirical) String() string {
	parts := make([]string, len(d.Values))
	for i, v := range d.Values {
		parts[i] = d.format(v)
	}
	return "emp(" + strings.Join(parts, ", ") + ")"
}
func (d *Empirical) validate() error {
	if len(d.Values) == 0 {
		return fmt.Errorf("dist: emp needs at least one value")
	}
	for i, v := range d.Values {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("dist: emp: value %d is %v", i+1, v)
		}
	}
	return nil
}

// Validate reports whether d's parameters make sense, naming the bad one:
// "dist: exp(-1): mean must be positive".
func Validate(d Dist) error {
	if d == nil {
		return fmt.Errorf("dist: no distribution")
	}
	type validator interface{ validate() error }
	if v, ok := d.(validator); ok {
		return v.validate()
	}
	return nil
}

func positive(d Dist, field string, v float64) error {
	if !(v > 0) || math.IsInf(v, 0) {
		return fmt.Errorf("dist: %v: %s must be positive and finite", d, field)
	}
	return nil
}

func finite(d Dist, field string, v float64) error {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return fmt.Errorf("dist: %v: %s must be finite", d, field)
	}
	return nil
}

func trim(v float64) string { return fmt.Sprint(v) }
