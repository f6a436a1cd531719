package dist

import (
	"math"
	"reflect"
	"strings"
	"testing"

	"dsim/sim"
)

// fuzzSeeds are the texts of the README, the docs and the tests, and the
// edges that once broke the model.
var fuzzSeeds = []string{
	"exp(10ms)", "pareto(0.235ms, 10)", "mix(0.9: exp(1ms), 0.1: exp(50ms))", "gamma(500ms, 0.5)",
	"shift(75ms, exp(1ms))", "emp(1ms, 2ms, 9ms)", "lognorm(20ms, 0.5)", "lognormal(10ms, 0.5)", "75ms",
	"const(5ms)", "uniform(1ms, 3ms)", "normal(100ms, 10ms)", "tnormal(100ms, 50ms)", "lognormal(100ms, 0.5)",
	"mix(0.9122: pareto(0.235ms, 10), 0.0878: exp(0.60241ms))", "emp(1ms, 2ms, 2ms, 9ms)",
	"exp(1.5s)", "exp(3)", "uniform(1, 5)", "pareto(1.05, 1.51)", "emp(1, 2, 3)", "exp(250ns)",
	"  exponential( 2s ) ", "EXP(2s)", "lognorm(1s,1)", "empirical(3, 1, 2)", "0.5",
	"exp(10ms", "expo(10ms)", "exp(-1)", "exp(ten)", "uniform(3ms, 1ms)", "uniform(1ms, 2)",
	"pareto(1ms, 2ms)", "gamma(1s, 0)", "mix(0.5: exp(1), -1: 2)", "mix(1ms: exp(1))",
	"mix(0.5: exp(1ms), 0.5: exp(1))", "shift(5ms, exp(1))", "exp(1ms) extra", "exp(1ms, 2ms)",
	"pareto(0, 2)", "normal(1, -1)", "normal(-50ms, 1ms)", "normal(5, 1)", "pareto(1ms, 1)",
	"mix(0.5: lognormal(10ms, 1), 0.5: gamma(5ms, 0.3))", "const(500ms)", "lognormal(500ms, 1.5)",
	"gamma(1s, 1e200)", "gamma(1s, 1e-200)", "lognormal(1s, 1e300)", "normal(1ms, 1h)",
	"shift(-1ms, exp(1ms))", "shift(-1ms, uniform(2ms, 5ms))", "tnormal(0s, 1h)", "tnormal(-1ms, 1ms)",
	"pareto(1e+15, 0.1)", "pareto(1e-09, 1e+06)", "gamma(1e-09, 10)", "gamma(1e+15, 1e-06)",
	"exp(3600000000s)", "exp(2562047h)", "uniform(-1e15, 1e15)", "emp(-1ms, 0s)", "const(nan)",
	"exp(inf)", "exp(1e400)", "exp(0x1p-3)", "mix(1e-7: exp(1), 1: exp(2))", "+5ms", "exp(4999999.999999999s)",
	strings.Repeat("shift(0, ", 17) + "exp(1)" + strings.Repeat(")", 17),
	strings.Repeat("mix(1: ", 16) + "1" + strings.Repeat(")", 16),
}

// FuzzParse: whatever the text, Parse answers without a panic and with a
// short error; what it accepts is valid, prints a text that parses back to
// an equal distribution, draws finite values within its support (and none
// below 0 when it passes ValidateDuration), and has a finite mean and
// variance but where Pareto's alpha makes them infinite.
func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		d, err := Parse(text)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "dist: ") || len(err.Error()) > 1000 {
				t.Fatalf("error of %d bytes: %.300s", len(err.Error()), err)
			}
			return
		}
		if err := Validate(d); err != nil {
			t.Fatalf("Parse accepted what Validate refuses: %v", err)
		}
		s := d.String()
		again, err := Parse(s)
		if err != nil || !reflect.DeepEqual(again, d) {
			t.Fatalf("%q printed %q, which parses to %v, %v", text, s, again, err)
		}
		checkMoments(t, d)
		durErr := ValidateDuration(d)
		if durErr != nil && len(durErr.Error()) > 1000 {
			t.Fatalf("error of %d bytes: %.300s", len(durErr.Error()), durErr)
		}
		lo, hi := support(d)
		r := sim.Stream(1, text)
		for i := 0; i < 500; i++ {
			x := d.Sample(r)
			if math.IsNaN(x) || math.IsInf(x, 0) || x < lo || x > hi {
				t.Fatalf("%s drew %v, outside [%v, %v]", s, x, lo, hi)
			}
			if durErr == nil && (x < 0 || Time(d, r) < 0) {
				t.Fatalf("%s passed ValidateDuration and drew %v", s, x)
			}
		}
	})
}

func checkMoments(t *testing.T, d Dist) {
	m, v := d.Mean(), Variance(d)
	if math.IsNaN(m) || math.IsInf(m, -1) || (math.IsInf(m, 1) && !infiniteMoment(d, 1)) {
		t.Fatalf("%s: Mean %v", d, m)
	}
	if math.IsNaN(v) || v < 0 || (math.IsInf(v, 1) && !infiniteMoment(d, 2)) {
		t.Fatalf("%s: Variance %v", d, v)
	}
	// Within the support, to rounding: a mixture's mean is a weighted sum.
	lo, hi := support(d)
	if slack := 1e-12 * math.Max(math.Abs(lo), math.Abs(hi)); !(m >= lo-slack && m <= hi+slack) {
		t.Fatalf("%s: Mean %v outside [%v, %v]", d, m, lo, hi)
	}
}

// infiniteMoment reports whether d holds a Pareto whose k-th moment is
// infinite (alpha <= k).
func infiniteMoment(d Dist, k float64) bool {
	switch d := d.(type) {
	case *Pareto:
		return d.Alpha <= k
	case *Shifted:
		return infiniteMoment(d.Base, k)
	case *Mixture:
		for _, p := range d.Parts {
			if infiniteMoment(p, k) {
				return true
			}
		}
	}
	return false
}
