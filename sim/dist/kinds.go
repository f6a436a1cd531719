package dist

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mathext"
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
func (d *Constant) variance() float64         { return 0 }
func (d *Constant) support() (lo, hi float64) { return d.V, d.V }
func (d *Constant) check(c *checker) error {
	c.count(1)
	return d.value(d, "value", d.V)
}

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
func (d *Uniform) variance() float64         { w := d.Max - d.Min; return w * w / 12 }
func (d *Uniform) support() (lo, hi float64) { return d.Min, d.Max }
func (d *Uniform) check(c *checker) error {
	c.count(2)
	if err := d.value(d, "min", d.Min); err != nil {
		return err
	}
	if err := d.value(d, "max", d.Max); err != nil {
		return err
	}
	if d.Max < d.Min {
		return errorf(d, "max=%s must be at least min=%s", d.format(d.Max), d.format(d.Min))
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
func (d *Exponential) variance() float64           { return d.MeanV * d.MeanV }
func (d *Exponential) support() (lo, hi float64)   { return 0, math.Inf(1) }
func (d *Exponential) check(c *checker) error {
	c.count(1)
	return d.scale(d, "mean", d.MeanV)
}

// Normal yields Gaussian values. Its draws reach 14.11 standard deviations
// either side of the mean (see normalReach), so it serves as a distribution
// of durations only when the mean is at least 14.2 sd above 0
// (ValidateDuration); TruncNormal is the normal cut at 0.
type Normal struct {
	unit
	MeanV, SD float64
}

// Norm returns the normal distribution with the given mean and standard deviation.
func Norm(mean, sd float64) *Normal { return &Normal{MeanV: mean, SD: sd} }

// Sample draws as gonum's distuv.Normal does (same stream, same values),
// without its allocation.
func (d *Normal) Sample(r *rand.Rand) float64 { return r.NormFloat64()*d.SD + d.MeanV }
func (d *Normal) Mean() float64               { return d.MeanV }
func (d *Normal) String() string {
	return "normal(" + d.format(d.MeanV) + ", " + d.format(d.SD) + ")"
}
func (d *Normal) variance() float64 { return d.SD * d.SD }
func (d *Normal) support() (lo, hi float64) {
	return d.MeanV - normalReach*d.SD, d.MeanV + normalReach*d.SD
}
func (d *Normal) check(c *checker) error {
	c.count(2)
	if err := d.value(d, "mean", d.MeanV); err != nil {
		return err
	}
	return d.scale(d, "sd", d.SD)
}

// TruncNormal is the normal distribution of mean Mu and standard deviation
// SD cut at 0: draws below 0 are not made (rather than moved to 0), so its
// mean is Mu + SD·λ(-Mu/SD) and its variance SD²·(1 + αλ - λ²) with α =
// -Mu/SD and λ(α) = φ(α)/(1-Φ(α)) (Johnson, Kotz and Balakrishnan,
// Continuous Univariate Distributions vol. 1, §10.1). Mu is at least 0, so
// at least half the normal is kept and the formulas need no tail series.
type TruncNormal struct {
	unit
	Mu, SD float64
}

// TNorm returns the normal distribution of mean mu and standard deviation sd
// cut at 0.
func TNorm(mu, sd float64) *TruncNormal { return &TruncNormal{Mu: mu, SD: sd} }

// Sample inverts the CDF: with α = -Mu/SD, a draw z satisfies
// P(Z > z) = (1-Φ(α))·V for V uniform on (0, 1), so z = -Φ⁻¹((1-Φ(α))·V).
// V avoids 0 and 1, which keeps z finite (within 8.3 SD of Mu); one uniform
// and one quantile, no loop.
func (d *TruncNormal) Sample(r *rand.Rand) float64 {
	v := (float64(r.Uint64()>>11) + 0.5) / (1 << 53)
	x := d.Mu - d.SD*mathext.NormalQuantile(d.keep()*v)
	// Only rounding in the quantile can land below 0, by a few ulps of Mu,
	// when V is next to 1: that is no draw of the distribution.
	return math.Max(x, 0)
}

// keep is 1-Φ(α), the share of the normal at or above 0: in [0.5, 1].
func (d *TruncNormal) keep() float64 { return 0.5 * math.Erfc(-d.Mu/d.SD/math.Sqrt2) }

// lambda is λ(α) = φ(α)/(1-Φ(α)), the inverse Mills ratio at α = -Mu/SD.
func (d *TruncNormal) lambda() float64 {
	a := -d.Mu / d.SD
	return math.Exp(-a*a/2) / math.Sqrt(2*math.Pi) / d.keep()
}

func (d *TruncNormal) Mean() float64 { return d.Mu + d.SD*d.lambda() }
func (d *TruncNormal) String() string {
	return "tnormal(" + d.format(d.Mu) + ", " + d.format(d.SD) + ")"
}
func (d *TruncNormal) variance() float64 {
	a, l := -d.Mu/d.SD, d.lambda()
	return d.SD * d.SD * (1 + a*l - l*l)
}
func (d *TruncNormal) support() (lo, hi float64) { return 0, d.Mu + normalReach*d.SD }
func (d *TruncNormal) check(c *checker) error {
	c.count(2)
	if err := d.value(d, "mu", d.Mu); err != nil {
		return err
	}
	if d.Mu < 0 {
		return errorf(d, "mu=%s must be at least 0 (for values piled up near 0 use exp or gamma)", d.format(d.Mu))
	}
	return d.scale(d, "sd", d.SD)
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

// Sample draws as gonum's distuv.LogNormal does (same stream, same values).
func (d *LogNormal) Sample(r *rand.Rand) float64 {
	s2 := math.Log1p(d.CV * d.CV)
	return math.Exp(r.NormFloat64()*math.Sqrt(s2) + (math.Log(d.MeanV) - s2/2))
}
func (d *LogNormal) Mean() float64 { return d.MeanV }
func (d *LogNormal) String() string {
	return "lognormal(" + d.format(d.MeanV) + ", " + trim(d.CV) + ")"
}
func (d *LogNormal) variance() float64         { s := d.MeanV * d.CV; return s * s }
func (d *LogNormal) support() (lo, hi float64) { return 0, math.Inf(1) }
func (d *LogNormal) check(c *checker) error {
	c.count(2)
	if err := d.scale(d, "mean", d.MeanV); err != nil {
		return err
	}
	return shape(d, "cv", d.CV, minCV, maxCV)
}

// Pareto yields heavy-tailed values of at least Xm with tail index Alpha:
// P(X > x) = (Xm/x)^Alpha. The mean is finite only for Alpha > 1, the
// variance only for Alpha > 2.
type Pareto struct {
	unit
	Xm, Alpha float64
}

// Par returns the Pareto distribution with scale xm and shape alpha.
func Par(xm, alpha float64) *Pareto { return &Pareto{Xm: xm, Alpha: alpha} }

// Sample draws as gonum's distuv.Pareto does (same stream, same values):
// Xm·e^(E/Alpha) with E exponential. E stays below 45 (the ziggurat's tail
// on 53-bit uniforms), so Alpha >= 0.1 keeps draws below 1e15·e^450, finite.
func (d *Pareto) Sample(r *rand.Rand) float64 { return d.Xm * math.Exp(r.ExpFloat64()/d.Alpha) }
func (d *Pareto) Mean() float64 {
	if d.Alpha <= 1 {
		return math.Inf(1)
	}
	return d.Alpha * d.Xm / (d.Alpha - 1)
}
func (d *Pareto) String() string {
	return "pareto(" + d.format(d.Xm) + ", " + trim(d.Alpha) + ")"
}
func (d *Pareto) variance() float64 {
	if d.Alpha <= 2 {
		return math.Inf(1)
	}
	a1 := d.Alpha - 1
	return d.Xm * d.Xm * d.Alpha / (a1 * a1 * (d.Alpha - 2))
}
func (d *Pareto) support() (lo, hi float64) { return d.Xm, math.Inf(1) }
func (d *Pareto) check(c *checker) error {
	c.count(2)
	if err := d.scale(d, "xm", d.Xm); err != nil {
		return err
	}
	return shape(d, "alpha", d.Alpha, minAlpha, maxAlpha)
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

// Sample is gonum's distuv.Gamma: Marsaglia and Tsang for k >= 0.2, Liu,
// Martin and Syring below. For the smallest k (CV 10) draws under about
// 1e-300 of the mean underflow to 0, as they should in float64.
func (d *Gamma) Sample(r *rand.Rand) float64 {
	k := 1 / (d.CV * d.CV)
	return distuv.Gamma{Alpha: k, Beta: k / d.MeanV, Src: r}.Rand()
}
func (d *Gamma) Mean() float64 { return d.MeanV }
func (d *Gamma) String() string {
	return "gamma(" + d.format(d.MeanV) + ", " + trim(d.CV) + ")"
}
func (d *Gamma) variance() float64         { s := d.MeanV * d.CV; return s * s }
func (d *Gamma) support() (lo, hi float64) { return 0, math.Inf(1) }
func (d *Gamma) check(c *checker) error {
	c.count(2)
	if err := d.scale(d, "mean", d.MeanV); err != nil {
		return err
	}
	return shape(d, "cv", d.CV, minCV, maxCV)
}
