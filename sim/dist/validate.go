package dist

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Limits on a distribution. Inside them every sampler draws finite values,
// Mean and Variance are finite (but for Pareto's infinite moments, which
// they report as +Inf) and agree with the draws; limits_test.go measures
// each edge: the sample mean and CV of many draws against the formulas.
const (
	// maxPlain bounds plain values: integers (sizes, counts) stay exact
	// below 2^53, and squares (variances) stay far from overflow.
	maxPlain = 1e15
	// maxSeconds bounds durations: 1,000,000h (114 years), well within
	// time.Duration and sim.Time (292 years), so every duration prints as
	// a literal that time.ParseDuration reads back.
	maxSeconds = 3.6e9
	// minScale is the least mean, sd or xm: 1ns for durations, the clock's
	// tick; the same 1e-9 for plain numbers.
	minScale = 1e-9
	// The CV of lognormal and gamma (gamma's shape 1/CV² is then within
	// [0.01, 1e12]). Both samplers stay exact to float64 rounding down to
	// CV 1e-8, where gamma's k - 1/3 starts to round; 1e-6 keeps a margin.
	// Above 10 the samplers still work, but the draws stop telling the
	// truth a run needs: gamma's below 1e-308 of the mean underflow to 0
	// (0.06% of them at CV 10, 44% at 30), the sample mean of 10⁵ draws
	// wanders by CV/√10⁵ (3% at 10), and a lognormal's sample CV is
	// already 10% off at 10 with 10⁷ draws.
	minCV, maxCV = 1e-6, 10
	// Pareto's alpha: at 0.1 the largest draw, Xm·e^(45/alpha), is still
	// finite for Xm up to maxPlain; above 1e6 it is a constant.
	minAlpha, maxAlpha = 0.1, 1e6
	// minShare is the least share of a mixture's weight a part may have:
	// the cumulative weights are exact to ~1e-16, so each part is drawn at
	// its share to 1e-10 and Mean matches the draws.
	minShare = 1e-6
	// normalReach bounds |z| for math/rand/v2's NormFloat64. Its ziggurat
	// draws beyond 3.4426 from the tail, as 3.4426 + x with x = -ln(u)/3.4426
	// for a 53-bit uniform u >= 2⁻⁵³, so |z| <= 3.4426 + 53·ln 2/3.4426 =
	// 14.114; only u = 0 twice in a row (probability 2⁻¹⁰⁶) goes further.
	// (Usually x is also kept only when -2·ln(u') >= x², which stops it at
	// 12.015, but u' = 0 keeps any x.)
	normalReach = 14.2
	// maxDepth bounds how deep mix and shift nest; maxNumbers the numbers
	// (parameters, weights and points together) of one distribution, so its
	// text stays under maxText, which bounds what Parse reads.
	maxDepth   = 16
	maxNumbers = 10_000
	maxText    = 1 << 20
)

// kind is implemented by every distribution of this package.
type kind interface {
	Dist
	check(c *checker) error
	variance() float64
	support() (lo, hi float64)
}

// Validate reports whether d's parameters are within the limits of its kind,
// naming the first bad one with its value and the allowed range:
// "dist: gamma(1s, 1e+200): cv=1e+200 must be between 1e-06 and 10".
// It also bounds the whole: mix and shift nest at most 16 deep, and a
// distribution holds at most 10,000 numbers (parameters, weights and
// points). A Dist of the caller's own passes unchecked; nil does not.
// Cost: linear in the numbers.
func Validate(d Dist) error {
	c := &checker{}
	return c.check(d)
}

// ValidateDuration is Validate for a distribution used as durations (in
// seconds, as Time draws them): a latency, a service time, a gap. For this
// package's kinds it also requires durations (a text with units like 10ms,
// or AsDuration) and that no draw can be negative: a normal whose mean is
// less than 14.2 sd, a shift below 0, a negative point or constant are
// refused, with the alternative to use. Of a Dist of the caller's own it can
// only require a mean that is not negative; its Sample must not return a
// negative value (Time panics on one).
func ValidateDuration(d Dist) error {
	if err := Validate(d); err != nil {
		return err
	}
	if _, ok := d.(kind); ok && !IsDuration(d) {
		return fmt.Errorf("dist: %s: values are plain numbers; give a distribution of durations, with units like exp(10ms)", quote(d))
	}
	part, why := nonNegative(d)
	switch {
	case why == "":
		return nil
	case isMixture(d):
		return fmt.Errorf("dist: %s: part %s: %s", quote(d), quote(part), why)
	}
	return fmt.Errorf("dist: %s: %s", quote(d), why)
}

func isMixture(d Dist) bool { _, ok := d.(*Mixture); return ok }

// nonNegative says why d can draw below 0, naming the part of a mixture
// that does; why is "" when d cannot.
func nonNegative(d Dist) (part Dist, why string) {
	k, ok := d.(kind)
	if !ok {
		if m := d.Mean(); !(m >= 0) {
			return d, fmt.Sprintf("mean=%v is negative, and a duration must not be", m)
		}
		return d, ""
	}
	if lo, _ := k.support(); lo >= 0 {
		return d, ""
	}
	u := d.(interface{ format(float64) string })
	switch d := d.(type) {
	case *Mixture:
		for _, p := range d.Parts {
			if part, why := nonNegative(p); why != "" {
				return part, why
			}
		}
	case *Normal:
		return d, fmt.Sprintf("draws reach %.1f sd below the mean, to %s, but a duration must not be negative: use %s",
			normalReach, u.format(d.MeanV-normalReach*d.SD), normalInstead(d))
	case *Shifted:
		lo, _ := support(d.Base)
		return d, fmt.Sprintf("draws reach %s (the constant plus the least draw, %s), and a duration must not be negative; "+
			"the constant must be at least %s", u.format(d.By+lo), u.format(lo), u.format(-lo))
	case *Empirical:
		for i, v := range d.Values {
			if v < 0 {
				return d, fmt.Sprintf("point %d=%s is negative, and a duration must not be", i+1, u.format(v))
			}
		}
	case *Uniform:
		return d, fmt.Sprintf("min=%s is negative, and a duration must not be; the range must start at 0 or above", u.format(d.Min))
	case *Constant:
		return d, fmt.Sprintf("value=%s is negative, and a duration must not be", u.format(d.V))
	}
	lo, _ := k.support()
	return d, fmt.Sprintf("draws reach %s, and a duration must not be negative", u.format(lo))
}

// normalInstead suggests what to write instead of a normal that reaches
// below 0.
func normalInstead(d *Normal) string {
	if d.MeanV < 0 {
		return "exp or gamma, for values piled up near 0"
	}
	alt := "lognormal or gamma (by mean and cv)"
	if cv := d.SD / d.MeanV; cv >= minCV && cv <= maxCV {
		cvs := strconv.FormatFloat(cv, 'g', 3, 64)
		alt = fmt.Sprintf("lognormal(%s, %s) or gamma(%[1]s, %[2]s) (the same mean and sd)", d.format(d.MeanV), cvs)
	}
	return fmt.Sprintf("tnormal(%s, %s) (the normal cut at 0), %s, or a mean of at least %.1f sd",
		d.format(d.MeanV), d.format(d.SD), alt, normalReach)
}

// Variance is the variance of d's values: +Inf for Pareto with alpha <= 2
// (and what contains it), NaN for a Dist of the caller's own. With Mean it
// gives the squared coefficient of variation that queueing theory needs.
func Variance(d Dist) float64 {
	if k, ok := d.(kind); ok {
		return k.variance()
	}
	return math.NaN()
}

// support is the least and greatest value d can draw. A Dist of the
// caller's own is taken at its mean's word: from 0 up when the mean is not
// negative (Time checks each draw all the same).
func support(d Dist) (lo, hi float64) {
	if k, ok := d.(kind); ok {
		return k.support()
	}
	if d.Mean() >= 0 {
		return 0, math.Inf(1)
	}
	return math.Inf(-1), math.Inf(1)
}

// checker walks a distribution, bounding depth and size as it goes.
type checker struct {
	depth   int // mix and shift levels above the distribution checked
	numbers int
}

func (c *checker) count(n int) { c.numbers += n }
func (c *checker) over() bool  { return c.numbers > maxNumbers }

func (c *checker) check(d Dist) error {
	if d == nil {
		return fmt.Errorf("dist: no distribution")
	}
	k, ok := d.(kind)
	if !ok {
		return nil
	}
	if err := k.check(c); err != nil {
		return err
	}
	if c.over() {
		return errorf(d, "more than %d numbers (parameters, weights and points together)", maxNumbers)
	}
	return nil
}

// child checks part, one level below parent, whose unit it must share: a
// text form mixing durations and plain numbers would not parse back.
func (c *checker) child(parent, part Dist) error {
	if c.depth >= maxDepth {
		return errorf(parent, "mix and shift nest more than %d deep", maxDepth)
	}
	if _, ok := part.(kind); ok && IsDuration(part) != IsDuration(parent) {
		return errorf(parent, "%s is of %s inside a distribution of %s", quote(part), kindOf(IsDuration(part)), kindOf(IsDuration(parent)))
	}
	c.depth++
	defer func() { c.depth-- }()
	return c.check(part)
}

// value checks a location: finite and within the plain or duration range.
func (u *unit) value(d Dist, name string, v float64) error {
	max := u.max()
	if !(math.Abs(v) <= max) {
		return errorf(d, "%s=%s must be between %s and %s", name, u.format(v), u.bound(-max), u.bound(max))
	}
	return nil
}

// scale checks a mean, sd or xm: from minScale to the range's end.
func (u *unit) scale(d Dist, name string, v float64) error {
	if !(v >= minScale && v <= u.max()) {
		return errorf(d, "%s=%s must be between %s and %s", name, u.format(v), u.bound(minScale), u.bound(u.max()))
	}
	return nil
}

// shape checks a plain shape parameter (a CV, alpha).
func shape(d Dist, name string, v, lo, hi float64) error {
	if !(v >= lo && v <= hi) {
		return errorf(d, "%s=%s must be between %s and %s", name, trim(v), trim(lo), trim(hi))
	}
	return nil
}

func (u *unit) max() float64 {
	if u.dur {
		return maxSeconds
	}
	return maxPlain
}

// bound prints a limit: whole hours as such (1000000h), not 3600000000s.
func (u *unit) bound(v float64) string {
	if u.dur && math.Abs(v) >= 3600 && math.Mod(v, 3600) == 0 {
		return strconv.FormatFloat(v/3600, 'f', -1, 64) + "h"
	}
	return u.format(v)
}

func errorf(d Dist, format string, args ...any) error {
	return fmt.Errorf("dist: %s: %s", quote(d), fmt.Sprintf(format, args...))
}

// quote is d's text form cut to 80 bytes, for error messages: a
// distribution may hold 10,000 numbers, or (built in code) contain itself.
func quote(d Dist) string {
	const limit = 80
	s := text(d, limit)
	if len(s) > limit {
		s = strings.ToValidUTF8(s[:limit-3], "") + "..."
	}
	return s
}

// textBuf collects a text form up to a limit (0: none).
type textBuf struct {
	strings.Builder
	limit int
}

func (b *textBuf) full() bool { return b.limit > 0 && b.Len() > b.limit }

// call writes name(items...), writing item i with item and stopping at a
// full buffer, so that quoting a long list in an error costs little
// however large (or, built in code, cyclic) it is.
func (b *textBuf) call(name string, n int, item func(i int)) {
	b.WriteString(name + "(")
	for i := range n {
		if b.full() {
			return
		}
		if i > 0 {
			b.WriteString(", ")
		}
		item(i)
	}
	b.WriteString(")")
}

func text(d Dist, limit int) string {
	b := &textBuf{limit: limit}
	write(b, d)
	return b.String()
}

func write(b *textBuf, d Dist) {
	switch w := d.(type) {
	case nil:
		b.WriteString("nil")
	case interface{ write(*textBuf) }:
		if !b.full() {
			w.write(b)
		}
	default:
		b.WriteString(d.String())
	}
}

func kindOf(dur bool) string {
	if dur {
		return "durations"
	}
	return "plain numbers"
}

func trim(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
