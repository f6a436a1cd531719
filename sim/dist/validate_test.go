package dist

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"dsim/sim"
)

// Texts that used to pass validation and then broke the model: each is now
// refused, naming the parameter, its value and the allowed range.
func TestBrokenTextsAreRefused(t *testing.T) {
	cases := map[string]string{
		// panicked inside a run (gamma shape 1/CV² underflowed to 0)
		"gamma(1s, 1e200)": "dist: gamma(1s, 1e+200): cv=1e+200 must be between 1e-06 and 10",
		// sampled 0 forever; the theory column printed Cs²=NaN
		"gamma(1s, 1e-200)":    "dist: gamma(1s, 1e-200): cv=1e-200 must be between 1e-06 and 10",
		"lognormal(1s, 1e300)": "dist: lognormal(1s, 1e+300): cv=1e+300 must be between 1e-06 and 10",
		// draws that overflow or lose the text form
		"exp(1e300)":                    "dist: exp(1e+300): mean=1e+300 must be between 1e-09 and 1e+15",
		"uniform(-1e308, 1e308)":        "dist: uniform(-1e+308, 1e+308): min=-1e+308 must be between -1e+15 and 1e+15",
		"pareto(1ms, 0.01)":             "dist: pareto(1ms, 0.01): alpha=0.01 must be between 0.1 and 1e+06",
		"pareto(1ms, 1e7)":              "dist: pareto(1ms, 1e+07): alpha=1e+07 must be between 0.1 and 1e+06",
		"normal(1s, 0.5ns)":             "dist: normal(1s, 0ns): sd=0ns must be between 1ns and 1000000h",
		"exp(2000000h)":                 "dist: exp(7200000000s): mean=7200000000s must be between 1ns and 1000000h",
		"const(nan)":                    "dist: const(NaN): value=NaN must be between -1e+15 and 1e+15",
		"emp(1, 2, inf)":                "dist: emp(1, 2, +Inf): point 3=+Inf must be between -1e+15 and 1e+15",
		"tnormal(-1ms, 1ms)":            "dist: tnormal(-1ms, 1ms): mu=-1ms must be at least 0",
		"mix(1e-7: exp(1), 1: exp(2))":  "dist: mix(1e-07: exp(1), 1: exp(2)): weight 1 = 1e-07 is 1e-07 of the total, less than the least share 1e-06",
		"mix(1e300: exp(1), 1: exp(2))": "weight 1 = 1e+300 must be between 0 (excluded) and 1e+15",
		"exp(1e400)":                    `"1e400" is beyond the range of float64`,
		"exp(3000000h)":                 `"3000000h" is not a duration between -2562047h and 2562047h`,
	}
	parseRefuses(t, cases)
}

// A distribution used as durations may not draw below 0: refused with the
// way out, instead of clamped to 0 in the run.
func TestNegativeDurationsAreRefused(t *testing.T) {
	cases := map[string]string{
		"normal(1ms, 1h)":                           "normal(1ms, 3600s): draws reach 14.2 sd below the mean, to -51119.999s, but a duration must not be negative: use tnormal(1ms, 3600s) (the normal cut at 0), lognormal or gamma (by mean and cv), or a mean of at least 14.2 sd",
		"normal(100ms, 10ms)":                       "use tnormal(100ms, 10ms) (the normal cut at 0), lognormal(100ms, 0.1) or gamma(100ms, 0.1) (the same mean and sd)",
		"normal(-5ms, 1ms)":                         "use exp or gamma, for values piled up near 0",
		"shift(-1ms, exp(1ms))":                     "shift(-1ms, exp(1ms)): draws reach -1ms (the constant plus the least draw, 0ns), and a duration must not be negative; the constant must be at least 0ns",
		"shift(-3ms, uniform(2ms, 5ms))":            "draws reach -1ms (the constant plus the least draw, 2ms), and a duration must not be negative; the constant must be at least -2ms",
		"const(-1ms)":                               "const(-1ms): value=-1ms is negative",
		"uniform(-1ms, 1ms)":                        "uniform(-1ms, 1ms): min=-1ms is negative",
		"emp(1ms, -2ms, 3ms)":                       "emp(-2ms, 1ms, 3ms): point 1=-2ms is negative",
		"mix(0.5: exp(1ms), 0.5: normal(1ms, 1ms))": "mix(0.5: exp(1ms), 0.5: normal(1ms, 1ms)): part normal(1ms, 1ms): draws reach",
		"exp(10)":                                   "exp(10): values are plain numbers; give a distribution of durations",
	}
	for text, want := range cases {
		d, err := Parse(text)
		if err != nil {
			t.Errorf("Parse(%q): %v", text, err)
			continue
		}
		if err := ValidateDuration(d); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ValidateDuration(%s) = %v\nwant it to contain %s", text, err, want)
		}
	}
	for _, text := range []string{
		"normal(15ms, 1ms)", "shift(-1ms, uniform(2ms, 5ms))", "shift(-1ms, pareto(1ms, 2))", "tnormal(0s, 1h)",
		"emp(0s, 1ms)", "mix(0.5: exp(1ms), 0.5: shift(-1ms, const(1ms)))", "const(0s)",
	} {
		if err := ValidateDuration(MustParse(text)); err != nil {
			t.Errorf("ValidateDuration(%s): %v", text, err)
		}
	}
}

// A duration distribution that passes never draws below 0: the brief's
// normal(1ms, 1h) made a 4%-busy theory and a 99%-busy run; its cut form
// draws what its Mean says.
func TestTruncatedNormalDrawsItsMean(t *testing.T) {
	d := MustParse("tnormal(1ms, 1h)")
	if err := ValidateDuration(d); err != nil {
		t.Fatal(err)
	}
	r := sim.Stream(5, "t")
	const n = 200_000
	sum := 0.0
	for i := 0; i < n; i++ {
		x := Time(d, r).Seconds()
		if x < 0 {
			t.Fatalf("negative draw %v", x)
		}
		sum += x
	}
	// The half-normal's mean is sd·√(2/π) (1 ms is nothing against 1 h).
	want := 3600 * math.Sqrt(2/math.Pi)
	if got := sum / n; math.Abs(got/want-1) > 0.01 || math.Abs(d.Mean()/want-1) > 1e-6 {
		t.Errorf("sample mean %.1fs, Mean %.1fs, want %.1fs", got, d.Mean(), want)
	}
}

// Bounded input: long texts, deep nesting and many numbers are refused with
// the limit named, before any deep recursion.
func TestParseBoundsInput(t *testing.T) {
	deep := strings.Repeat("shift(0, ", 100_000) + "exp(1)" + strings.Repeat(")", 100_000)
	many := "emp(" + strings.Repeat("1, ", 20_000) + "1)"
	cases := map[string]string{
		strings.Repeat(" ", maxText+1) + "exp(1)": "text of 1048583 bytes is longer than the limit of 1048576",
		deep: "at position 145: mix and shift nest more than 16 deep",
		strings.Repeat("mix(1: ", 17) + "1" + strings.Repeat(")", 17): "mix and shift nest more than 16 deep",
		many: "at position 30005: more than 10000 numbers",
	}
	parseRefuses(t, cases)
	ok := strings.Repeat("mix(1: ", 16) + "1" + strings.Repeat(")", 16)
	if _, err := Parse(ok); err != nil {
		t.Errorf("16 levels: %v", err)
	}
}

// Distributions built in code meet the same limits, even when they contain
// themselves, and errors quote them briefly.
func TestValidateBoundsCodeBuiltDistributions(t *testing.T) {
	loop := Mix([]float64{1, 1}, Exp(1), Exp(2))
	loop.Parts[1] = loop
	if err := Validate(loop); err == nil || !strings.Contains(err.Error(), "nest more than 16 deep") || len(err.Error()) > 200 {
		t.Errorf("a mixture inside itself: %v", err)
	}
	big := Emp(make([]float64, maxNumbers+1))
	if err := Validate(big); err == nil || !strings.Contains(err.Error(), "more than 10000 numbers") || len(err.Error()) > 200 {
		t.Errorf("%d points: %.200v", maxNumbers+1, err)
	}
	mixed := Mix([]float64{1, 1}, AsDuration(Exp(1)), Exp(1))
	mixed.dur = true
	if err := Validate(mixed); err == nil || !strings.Contains(err.Error(), "exp(1) is of plain numbers inside a distribution of durations") {
		t.Errorf("mixed units: %v", err)
	}
	for _, d := range []Dist{&Mixture{Weights: []float64{1}}, &Shifted{By: 1}, &Mixture{Parts: []Dist{Exp(1)}}} {
		if err := Validate(d); err == nil {
			t.Errorf("%v passed", d)
		}
	}
}

// Variance agrees with the kinds' textbook formulas, and mixtures with the
// law of total variance.
func TestVariance(t *testing.T) {
	cases := map[string]float64{
		"const(3)":                      0,
		"uniform(0, 6)":                 3,
		"exp(2)":                        4,
		"normal(1, 3)":                  9,
		"lognormal(2, 0.5)":             1,
		"gamma(2, 0.5)":                 1,
		"pareto(1, 3)":                  0.75,
		"pareto(1, 2)":                  math.Inf(1),
		"shift(5, exp(2))":              4,
		"emp(1, 3)":                     1,
		"mix(1: const(0), 1: const(2))": 1,
		"tnormal(0, 1)":                 1 - 2/math.Pi,
	}
	for text, want := range cases {
		if got := Variance(MustParse(text)); math.Abs(got-want) > 1e-12 && !(math.IsInf(want, 1) && math.IsInf(got, 1)) {
			t.Errorf("Variance(%s) = %v, want %v", text, got, want)
		}
	}
	if !math.IsNaN(Variance(foreign{})) {
		t.Error("a foreign Dist has a variance")
	}
}

// A Dist of the caller's own is trusted by its mean, and Time checks it.
type foreign struct{}

func (foreign) Sample(r *rand.Rand) float64 { return -1 }
func (foreign) Mean() float64               { return 1 }
func (foreign) String() string              { return "mine" }
