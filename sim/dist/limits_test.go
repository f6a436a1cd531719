package dist

import (
	"flag"
	"math"
	"math/rand/v2"
	"sort"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"

	"dsim/sim"
)

var draws = flag.Int("draws", 200_000, "draws per distribution in TestLimitsEdges (the limits were chosen at 10,000,000)")

// edge is a distribution at the limits of its parameters, with its CDF
// where the kind has one and its kurtosis (or a bound on it: a normal cut at
// 0 has at most the half-normal's 3.87) where its sample variance is worth
// comparing with Variance.
type edge struct {
	text     string
	cdf      func(x float64) float64
	kurtosis float64 // 0: do not compare the sample variance
}

func phi(z float64) float64 { return 0.5 * math.Erfc(-z/math.Sqrt2) }

func expCDF(m float64) func(float64) float64 {
	return func(x float64) float64 { return -math.Expm1(-x / m) }
}

func normalCDF(mu, sd float64) func(float64) float64 {
	return func(x float64) float64 { return phi((x - mu) / sd) }
}

func tnormalCDF(mu, sd float64) func(float64) float64 {
	lo := phi(-mu / sd)
	return func(x float64) float64 { return (phi((x-mu)/sd) - lo) / (1 - lo) }
}

func lognormalCDF(mean, cv float64) func(float64) float64 {
	s2 := math.Log1p(cv * cv)
	mu, s := math.Log(mean)-s2/2, math.Sqrt(s2)
	return func(x float64) float64 { return phi((math.Log(x) - mu) / s) }
}

func lognormalKurtosis(cv float64) float64 {
	w := 1 + cv*cv // e^{σ²}
	return w*w*w*w + 2*w*w*w + 3*w*w - 3
}

func gammaCDF(mean, cv float64) func(float64) float64 {
	k := 1 / (cv * cv)
	return distuv.Gamma{Alpha: k, Beta: k / mean}.CDF
}

func paretoCDF(xm, a float64) func(float64) float64 {
	return func(x float64) float64 { return -math.Expm1(a * math.Log(xm/x)) }
}

func edges() []edge {
	e := []edge{
		{"exp(1e-09)", expCDF(1e-9), 9},
		{"exp(1e+15)", expCDF(1e15), 9},
		{"exp(1ns)", expCDF(1e-9), 9},
		{"exp(3600000000s)", expCDF(3.6e9), 9},
		{"uniform(-1e+15, 1e+15)", func(x float64) float64 { return (x + 1e15) / 2e15 }, 1.8},
		{"uniform(0, 1e-09)", func(x float64) float64 { return x / 1e-9 }, 1.8},
		{"normal(-1e+15, 1e-09)", nil, 0}, // sd below the resolution of the mean
		{"normal(1e+15, 1e+15)", normalCDF(1e15, 1e15), 3},
		{"normal(0, 1e-09)", normalCDF(0, 1e-9), 3},
		{"tnormal(0, 1e-09)", tnormalCDF(0, 1e-9), 4},
		{"tnormal(0, 1e+15)", tnormalCDF(0, 1e15), 4},
		{"tnormal(1e+15, 1e-09)", nil, 0},
		{"tnormal(1e-09, 1e+15)", tnormalCDF(1e-9, 1e15), 4},
		{"tnormal(30ms, 20ms)", tnormalCDF(0.03, 0.02), 4},
		{"pareto(1e-09, 0.1)", paretoCDF(1e-9, 0.1), 0},
		{"pareto(1e+15, 0.1)", paretoCDF(1e15, 0.1), 0},
		{"pareto(1e-09, 1e+06)", paretoCDF(1e-9, 1e6), 0},
		{"pareto(1e+15, 1e+06)", paretoCDF(1e15, 1e6), 0},
		{"pareto(1, 1.5)", paretoCDF(1, 1.5), 0},
		{"pareto(1, 8)", paretoCDF(1, 8), 3 * 6 * (3*64 + 8 + 2) / (8 * 5 * 4.0)},
		{"const(1e+15)", nil, 0},
		{"mix(999999: exp(1), 1: exp(1000))", nil, 0},
		{"shift(-1e+15, uniform(0, 1e+15))", nil, 1.8},
		{"shift(1e+15, exp(1e+15))", nil, 9},
		{"emp(-1e+15, 0, 1e+15)", nil, 1.5},
	}
	for _, m := range []float64{1e-9, 1e15} {
		for _, cv := range []float64{1e-6, 1, 10} {
			text := "(" + trim(m) + ", " + trim(cv) + ")"
			e = append(e,
				edge{"lognormal" + text, lognormalCDF(m, cv), lognormalKurtosis(cv)},
				edge{"gamma" + text, gammaCDF(m, cv), 3 + 6*cv*cv})
		}
	}
	return e
}

// Each edge of the limits, drawn many times: every draw is finite and within
// the support, the sample quantiles sit where the CDF says, the sample mean
// is within 6 standard errors of Mean, and the sample variance within 6
// standard errors of Variance where its kurtosis makes that measurable.
func TestLimitsEdges(t *testing.T) {
	n := *draws
	if testing.Short() {
		n = 20_000
	}
	for _, e := range edges() {
		d, err := Parse(e.text)
		if err != nil {
			t.Errorf("%s: %v", e.text, err)
			continue
		}
		x := make([]float64, n)
		r := sim.Stream(7, e.text)
		sum := 0.0
		for i := range x {
			x[i] = d.Sample(r)
			sum += x[i]
		}
		lo, hi := support(d)
		sort.Float64s(x)
		if !(x[0] >= lo && x[n-1] <= hi) || math.IsInf(x[n-1], 0) || math.IsNaN(x[0]) {
			t.Errorf("%s: draws from %v to %v, outside [%v, %v]", e.text, x[0], x[n-1], lo, hi)
		}
		mean, v := d.Mean(), Variance(d)
		if math.IsNaN(mean) || math.IsNaN(v) || v < 0 {
			t.Errorf("%s: Mean %v, Variance %v", e.text, mean, v)
		}
		if !math.IsInf(v, 0) {
			got, seMean := sum/float64(n), math.Sqrt(v/float64(n))
			// Summing n draws rounds by up to n ulps of the mean.
			if math.Abs(got-mean) > 6*seMean+float64(n)*0x1p-52*math.Abs(mean) {
				t.Errorf("%s: sample mean %.6g, Mean %.6g (standard error %.3g)", e.text, got, mean, seMean)
			}
			if e.kurtosis > 0 {
				s2 := 0.0
				for _, xi := range x {
					s2 += (xi - got) * (xi - got)
				}
				s2 /= float64(n - 1)
				se := v * math.Sqrt((e.kurtosis-1)/float64(n))
				// Only where measurable at this n: a standard error under 10%.
				if se < 0.1*v {
					if math.Abs(s2-v) > 6*se+float64(n)*0x1p-52*v {
						t.Errorf("%s: sample variance %.6g, Variance %.6g (standard error %.3g)", e.text, s2, v, se)
					}
					t.Logf("%-28s mean off by %+.2f se, variance by %+.2f se; CV %.5g (formula %.5g)",
						e.text, (got-mean)/seMean, (s2-v)/se, math.Sqrt(s2)/math.Abs(got), math.Sqrt(v)/math.Abs(mean))
				}
			}
		}
		if e.cdf != nil {
			for _, p := range []float64{0.01, 0.1, 0.5, 0.9, 0.99} {
				q := x[int(p*float64(n))]
				if got := e.cdf(q); math.Abs(got-p) > 6*math.Sqrt(p*(1-p)/float64(n))+1e-9 {
					t.Errorf("%s: the %g sample quantile %.6g has CDF %.6g", e.text, p, q, got)
				}
			}
		}
	}
}

// The reach of math/rand/v2's NormFloat64 that normalReach relies on: its
// tail draws rn + x, x = -ln(u)/rn; the largest x comes from the smallest
// non-zero 53-bit uniform, kept when the second uniform is 0.
func TestNormalReach(t *testing.T) {
	for _, tc := range []struct {
		name   string
		script []uint64 // i = 0 and a |j| beyond kn[0]: the tail; then u, u'
		want   float64
	}{
		{"kept by u'=0", []uint64{0x7fffffff, 1, 0}, 3.442619855899 + 53*math.Ln2/3.442619855899},
		{"negative side", []uint64{0x80000001, 1, 0}, -(3.442619855899 + 53*math.Ln2/3.442619855899)},
	} {
		z := rand.New(&scripted{v: tc.script}).NormFloat64()
		if math.Abs(z-tc.want) > 1e-9 || math.Abs(z) >= normalReach {
			t.Errorf("%s: NormFloat64 = %v, want %v within %v", tc.name, z, tc.want, normalReach)
		}
	}
}

type scripted struct {
	v []uint64
	i int
}

func (s *scripted) Uint64() uint64 { x := s.v[s.i%len(s.v)]; s.i++; return x }
