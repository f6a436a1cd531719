package balance

import (
	"math"
	"testing"
	"time"

	"dsim/sim/dist"
	"dsim/sim/service"
)

// T_d against values computed by hand: d = 1 is M/M/1's 1/(1−λ); for
// d = 2 the exponents (2^i − 2)/1 are 0, 2, 6, 14, 30, for d = 3 the
// exponents (3^i − 3)/2 are 0, 3, 12, 39.
func TestSupermarketFormula(t *testing.T) {
	for _, c := range []struct {
		d      int
		lambda float64
		want   float64
	}{
		{1, 0.5, 2}, {1, 0.9, 10}, {2, 0, 1},
		{2, 0.5, 1 + math.Pow(0.5, 2) + math.Pow(0.5, 6) + math.Pow(0.5, 14) + math.Pow(0.5, 30)},
		{3, 0.5, 1 + math.Pow(0.5, 3) + math.Pow(0.5, 12) + math.Pow(0.5, 39)},
	} {
		got, err := Supermarket(c.d, c.lambda)
		if err != nil || math.Abs(got-c.want) > 1e-9 {
			t.Errorf("T_%d(%v) = %v, %v; want %v", c.d, c.lambda, got, err, c.want)
		}
	}
	for _, c := range []struct {
		d      int
		lambda float64
	}{{0, 0.5}, {2, 1}, {2, -0.1}, {2, math.NaN()}} {
		if _, err := Supermarket(c.d, c.lambda); err == nil {
			t.Errorf("T_%d(%v): no error", c.d, c.lambda)
		}
	}
}

// The supermarket model (Mitzenmacher 2001) pinned: 500 servers of one
// slot with exponential service, Poisson arrivals at λ per server, random
// (d = 1) and power of d choices. The mean time in system, by Little's law
// after the first tenth of the run, is within 3% of T_d for d = 1, 2, 3 at
// λ = 0.5 and 0.9. At λ = 0.9 a queue of d = 1 (an M/M/1 queue at 0.9)
// forgets its past slowly, so that run is the longest: the standard error
// of its mean is about 1%.
func TestSupermarketModel(t *testing.T) {
	if testing.Short() {
		t.Skip("six runs of 500 servers, about 10 s")
	}
	for _, c := range []struct {
		lambda   float64
		d        int
		duration time.Duration
	}{
		{0.5, 1, 1000 * time.Second}, {0.5, 2, 1000 * time.Second}, {0.5, 3, 1000 * time.Second},
		{0.9, 1, 8000 * time.Second}, {0.9, 2, 2000 * time.Second}, {0.9, 3, 2000 * time.Second},
	} {
		cfg := Default()
		cfg.Servers, cfg.Load, cfg.Service = 500, c.lambda, dist.MustParse("exp(1s)")
		cfg.Policy, cfg.Choices = service.PowerOfChoices, c.d
		if c.d == 1 {
			cfg.Policy = service.Random
		}
		cfg.Duration, cfg.Window = c.duration, c.duration/20
		start := time.Now()
		res, err := Run(cfg)
		if err != nil {
			t.Fatal(err)
		}
		th, ok := res.Theory()
		if !ok {
			t.Fatalf("d=%d λ=%v: no theory for the run", c.d, c.lambda)
		}
		t.Logf("d=%d λ=%v: T_d %v, run %v (%+.2f%%), %v", c.d, c.lambda, th.T, th.Measured, 100*th.Off(), time.Since(start).Round(time.Millisecond))
		if math.Abs(th.Off()) > 0.03 {
			t.Errorf("d=%d λ=%v: mean time in system %v, T_d %v: %+.1f%%", c.d, c.lambda, th.Measured, th.T, 100*th.Off())
		}
	}
}
