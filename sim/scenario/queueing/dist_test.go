package queueing

import (
	"math"
	"strings"
	"testing"

	"dsim/sim/dist"
)

// Service times that passed validation and broke the model (a panic in the
// run, Cs²=NaN and a negative wait in the theory column, a theory 4% busy
// against a run 99% busy) are refused before the run, naming the limit.
func TestBrokenServiceTimesAreRefused(t *testing.T) {
	for _, c := range []struct {
		d    dist.Dist
		want string
	}{
		{dist.AsDuration(dist.Gam(1, 1e200)), "cv=1e+200 must be between"},
		{dist.AsDuration(dist.Gam(1, 1e-200)), "cv=1e-200 must be between"},
		{dist.AsDuration(dist.LogNorm(1, 1e300)), "cv=1e+300 must be between"},
		{dist.MustParse("normal(1ms, 1h)"), "draws reach 14.2 sd below the mean"},
		{dist.MustParse("shift(-1ms, exp(1ms))"), "a duration must not be negative"},
	} {
		cfg := theoryRun(5, 1, "exp(1s)")
		cfg.ServiceTime = c.d
		if _, err := Run(cfg); err == nil || !strings.Contains(err.Error(), "queueing: ServiceTime=") || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: %v", c.d, err)
		}
	}
}

// Without dependency calls Cs² comes from the service time's formulas, so a
// part drawn once in a million still counts; with them, a sample that cannot
// give Cs² makes MGCWait fail instead of printing NaN.
func TestHoldingCV2(t *testing.T) {
	cfg := theoryRun(4, 1, "gamma(500ms, 0.5)")
	if _, cv2, err := cfg.MGCWait(); err != nil || math.Abs(cv2-0.25) > 1e-12 {
		t.Errorf("gamma(500ms, 0.5): Cs²=%v, %v", cv2, err)
	}
	cfg = theoryRun(4, 1, "mix(999999: const(0s), 1: const(1h))")
	if w, cv2, err := cfg.MGCWait(); err != nil || math.Abs(cv2/999999-1) > 1e-9 || w <= 0 {
		t.Errorf("rare slow part: Cs²=%v wait %v, %v", cv2, w, err)
	}
	cfg.Dependencies = 1
	cfg.DependencyLatency = dist.MustParse("const(0s)")
	if w, cv2, err := cfg.MGCWait(); err == nil || !strings.Contains(err.Error(), "not a finite number") {
		t.Errorf("holding times all 0 in the sample: Cs²=%v wait %v, %v", cv2, w, err)
	}
	res, err := Run(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if s := res.Summary().String(); strings.Contains(s, "NaN") || strings.Contains(s, "-9223372036854775808") {
		t.Errorf("summary:\n%s", s)
	}
}
