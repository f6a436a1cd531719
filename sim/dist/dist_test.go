package dist

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"dsim/sim"
)

func TestParseRoundTrip(t *testing.T) {
	for _, text := range []string{
		"const(5ms)", "uniform(1ms, 3ms)", "exp(10ms)", "normal(100ms, 10ms)",
		"lognormal(100ms, 0.5)", "pareto(0.235ms, 10)", "gamma(500ms, 0.5)",
		"mix(0.9122: pareto(0.235ms, 10), 0.0878: exp(0.60241ms))",
		"shift(75ms, exp(1ms))", "emp(1ms, 2ms, 9ms)", "exp(1.5s)", "exp(3)",
		"uniform(1, 5)", "pareto(1.05, 1.51)", "emp(1, 2, 3)", "exp(250ns)",
	} {
		d, err := Parse(text)
		if err != nil {
			t.Errorf("Parse(%q): %v", text, err)
			continue
		}
		if d.String() != text {
			t.Errorf("Parse(%q).String() = %q", text, d.String())
		}
		again, err := Parse(d.String())
		if err != nil || again.String() != d.String() {
			t.Errorf("%q does not parse back: %v", d.String(), err)
		}
	}
}

func TestParseShorthands(t *testing.T) {
	cases := map[string]string{
		"5ms":                  "const(5ms)",
		"  exponential( 2s ) ": "exp(2s)",
		"EXP(2s)":              "exp(2s)",
		"lognorm(1s,1)":        "lognormal(1s, 1)",
		"empirical(3, 1, 2)":   "emp(1, 2, 3)",
		"0.5":                  "const(0.5)",
	}
	for in, want := range cases {
		d, err := Parse(in)
		if err != nil || d.String() != want {
			t.Errorf("Parse(%q) = %v, %v; want %s", in, d, err, want)
		}
	}
}

func TestParseErrorsNameTheProblem(t *testing.T) {
	cases := map[string]string{
		"":                                "expected a distribution",
		"exp(10ms":                        "expected ')', found the end",
		"expo(10ms)":                      `unknown distribution "expo"`,
		"exp(-1)":                         "mean=-1 must be between 1e-09 and 1e+15",
		"exp(ten)":                        `"ten" is neither a number nor a duration`,
		"uniform(3ms, 1ms)":               "max=1ms must be at least min=3ms",
		"uniform(1ms, 2)":                 "mixes durations and plain numbers",
		"pareto(1ms, 2ms)":                "shape and takes a plain number",
		"gamma(1s, 0)":                    "cv=0 must be between 1e-06 and 10",
		"mix(0.5: exp(1), -1: 2)":         "weight 2 = -1 must be between 0 (excluded) and 1e+15",
		"mix(1ms: exp(1))":                "weight is a plain number",
		"mix(0.5: exp(1ms), 0.5: exp(1))": "mix combines durations and plain numbers",
		"shift(5ms, exp(1))":              "shift adds durations to a distribution of plain numbers",
		"exp(1ms) extra":                  "unexpected",
		"exp(1ms, 2ms)":                   "exp takes 1 argument(s), got 2",
		"pareto(0, 2)":                    "xm=0 must be between 1e-09 and 1e+15",
		"normal(1, -1)":                   "sd=-1 must be between 1e-09 and 1e+15",
	}
	parseRefuses(t, cases)
}

// parseRefuses checks that Parse refuses each text with an error that
// says what the case wants, in at most 300 bytes however long the text.
func parseRefuses(t *testing.T, cases map[string]string) {
	t.Helper()
	for text, want := range cases {
		_, err := Parse(text)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Parse(%.40q) = %.300v, want it to mention %q", text, err, want)
		} else if len(err.Error()) > 300 {
			t.Errorf("error of %d bytes: %.100s", len(err.Error()), err)
		}
	}
}

// The sample mean of 400,000 draws is within 1% of Mean() (several standard
// errors for these shapes; Pareto alpha 3.5 has finite variance).
func TestSampleMeansMatchMean(t *testing.T) {
	for _, text := range []string{
		"const(2)", "uniform(1, 3)", "exp(0.5)", "normal(10, 2)", "lognormal(1, 0.5)",
		"pareto(3, 3.5)", "gamma(0.5, 0.5)", "gamma(0.5, 2)",
		"mix(0.939: pareto(3, 3.5), 0.061: exp(357.14))", "shift(5, exp(1))", "emp(1, 2, 3, 10)",
	} {
		d := MustParse(text)
		r := sim.Stream(1, text)
		const n = 400_000
		sum := 0.0
		for i := 0; i < n; i++ {
			sum += d.Sample(r)
		}
		got, want := sum/n, d.Mean()
		if math.Abs(got-want) > 0.01*math.Abs(want) {
			t.Errorf("%s: sample mean %.4f, Mean() %.4f", text, got, want)
		}
	}
}

func TestGammaCVAndParetoTail(t *testing.T) {
	r := sim.Stream(2, "gamma")
	g := Gam(2, 0.5)
	const n = 400_000
	s, s2 := 0.0, 0.0
	for i := 0; i < n; i++ {
		x := g.Sample(r)
		s += x
		s2 += x * x
	}
	m := s / n
	cv := math.Sqrt(s2/n-m*m) / m
	if math.Abs(cv-0.5) > 0.01 {
		t.Errorf("gamma(2, 0.5) CV = %.4f", cv)
	}
	// P(X > 2 xm) = 2^-alpha for Pareto.
	p := Par(1, 2)
	over := 0
	for i := 0; i < n; i++ {
		if p.Sample(r) > 2 {
			over++
		}
	}
	if got := float64(over) / n; math.Abs(got-0.25) > 0.005 {
		t.Errorf("pareto(1, 2): P(X>2) = %.4f, want 0.25", got)
	}
	if !math.IsInf(Par(1, 1).Mean(), 1) {
		t.Error("pareto alpha 1 has a finite mean")
	}
}

// Time rounds to the nanosecond and refuses, loudly, a draw that is no
// duration: only a distribution that skipped ValidateDuration makes one.
func TestTimeConvertsAndRefusesNegativeDraws(t *testing.T) {
	r := sim.Stream(3, "t")
	if got := Time(MustParse("const(1.5ms)"), r); got != 1500*sim.Microsecond {
		t.Fatalf("Time(const(1.5ms)) = %v", got)
	}
	for _, d := range []Dist{Const(-1), Const(math.NaN())} {
		func() {
			defer func() {
				if p := recover(); p == nil || !strings.Contains(fmt.Sprint(p), "which is not a duration") {
					t.Errorf("Time(%v) did not panic naming the draw: %v", d, p)
				}
			}()
			Time(d, r)
		}()
	}
	if !IsDuration(MustParse("exp(1s)")) || IsDuration(MustParse("exp(1)")) {
		t.Fatal("IsDuration")
	}
	if s := AsDuration(Mix([]float64{1, 3}, Exp(0.001), Const(0.5))).String(); s != "mix(1: exp(1ms), 3: const(500ms))" {
		t.Fatal(s)
	}
}

func TestSameSeedSameSamples(t *testing.T) {
	d := MustParse("mix(0.5: lognormal(10ms, 1), 0.5: gamma(5ms, 0.3))")
	a, b := sim.Stream(9, "x"), sim.Stream(9, "x")
	for i := 0; i < 1000; i++ {
		if d.Sample(a) != d.Sample(b) {
			t.Fatal("same stream, different samples")
		}
	}
}

func TestFlagValue(t *testing.T) {
	var v Value
	if err := v.Set("exp(3ms)"); err != nil || v.String() != "exp(3ms)" {
		t.Fatal(v.String(), err)
	}
	if err := v.Set("exp(-3ms)"); err == nil {
		t.Fatal("bad text accepted")
	}
}

func TestValidateStructLiterals(t *testing.T) {
	if err := Validate(&Mixture{Weights: []float64{1}, Parts: nil}); err == nil {
		t.Fatal("mixture without parts passed")
	}
	if err := Validate(Emp(nil)); err == nil {
		t.Fatal("empty empirical passed")
	}
	if err := Validate(nil); err == nil {
		t.Fatal("nil passed")
	}
	m := &Mixture{Weights: []float64{1, 1}, Parts: []Dist{Const(1), Const(3)}}
	r := sim.Stream(1, "m")
	sum := 0.0
	for i := 0; i < 10000; i++ {
		sum += m.Sample(r)
	}
	if math.Abs(sum/10000-2) > 0.05 {
		t.Fatalf("literal mixture mean %.3f", sum/10000)
	}
}
