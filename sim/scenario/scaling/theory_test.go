package scaling_test

import (
	"math"
	"testing"
	"time"

	"dsim/sim/scenario/scaling"
)

// The simulation agrees with exact MVA within 3% on throughput and
// response time at 1, 5, 20 and 50 users (below, near and past the knee at
// 27.2), and the response-time law R = N/X − Z holds within 1%.
func TestMVAAndTheLaw(t *testing.T) {
	cfg := scaling.Default()
	cfg.Users, cfg.Steps, cfg.Duration = 50, 10, 2*time.Hour
	res, err := scaling.Run(cfg)
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, p := range res.Points {
		t.Logf("N=%2d X=%.3f/s (MVA %+.2f%%) R=%v (MVA %+.2f%%) law %+.2f%%", p.N, p.X, 100*p.OffX(), p.R, 100*p.OffR(), 100*p.OffLaw())
		switch p.N {
		case 1, 5, 20, 50:
			seen++
		default:
			continue
		}
		if math.Abs(p.OffX()) > 0.03 || math.Abs(p.OffR()) > 0.03 {
			t.Errorf("N=%d: simulation off MVA by %+.2f%% in X, %+.2f%% in R: more than 3%%", p.N, 100*p.OffX(), 100*p.OffR())
		}
		if math.Abs(p.OffLaw()) > 0.01 {
			t.Errorf("N=%d: R=%v, N/X − Z=%v: off by %+.2f%%", p.N, p.R, p.Law(), 100*p.OffLaw())
		}
	}
	if seen != 4 {
		t.Fatalf("populations %v: want 1, 5, 20 and 50 among them", cfg.Levels())
	}
	if v := res.Verdict(); v.Outcome != scaling.PastKnee {
		t.Errorf("50 users past the knee: %v", v)
	}
}

// A faster disk moves the bottleneck to the database: throughput rises to
// 1/30ms, not to 1/10ms.
func TestFasterDiskMovesTheBottleneck(t *testing.T) {
	cfg, err := scaling.PresetConfig("faster-disk")
	if err != nil {
		t.Fatal(err)
	}
	res, err := scaling.Run(cfg)
	if err != nil {
		t.Fatal(err)
	}
	knee, neck := res.Knee()
	last := res.Last()
	if neck != "database" || math.Abs(last.X*0.030-1) > 0.03 || last.Busy[1] < 0.98 {
		t.Errorf("bottleneck %s (knee %.1f), X=%.2f/s, database busy %.3f: want the database, about 33.3/s and busy", neck, knee, last.X, last.Busy[1])
	}
}

// Amdahl's σ fitted to threads sharing a lock finds the lock's share of
// the work within 10% (relative), on several seeds.
func TestAmdahlFindsTheLockShare(t *testing.T) {
	onSeeds(t, "lock", func(seed uint64, cfg scaling.Config, res *scaling.Result) {
		share := res.LockShare()
		t.Logf("seed %d: lock share %.3f, %v, %v", seed, share, res.Amdahl, res.USL)
		if off := res.Amdahl.Sigma/share - 1; math.Abs(off) > 0.10 {
			t.Errorf("seed %d: σ = %.4f against the lock's share %.3f: %+.1f%%", seed, res.Amdahl.Sigma, share, 100*off)
		}
		if v := res.Verdict(); v.Outcome != scaling.Contended {
			t.Errorf("seed %d: %v", seed, v)
		}
	})
}

// With a coherency cost (each hold of the lock grows with the threads),
// throughput falls past a peak: the USL fits it with κ > 0 near the cost's
// share of the work, Amdahl, which cannot fall, does not fit.
func TestUSLFitsCoherency(t *testing.T) {
	onSeeds(t, "coherency", func(seed uint64, cfg scaling.Config, res *scaling.Result) {
		// Each hold grows by Coherency per other thread, so past the
		// knee R(p) ≈ p(L + c(p−1)): κ ≈ c/(W+L).
		kappa := cfg.Coherency.Seconds() / (cfg.Work.Mean() + cfg.Lock.Mean())
		t.Logf("seed %d: κ from the model %.5f; %v; %v", seed, kappa, res.USL, res.Amdahl)
		if !(res.USL.Kappa > 0) || math.Abs(res.USL.Kappa/kappa-1) > 0.25 {
			t.Errorf("seed %d: USL κ = %.5f, want positive and within 25%% of %.5f", seed, res.USL.Kappa, kappa)
		}
		if !(res.USL.R2 > 0.75) || !(res.Amdahl.R2 < 0.25) {
			t.Errorf("seed %d: R² USL %.3f, Amdahl %.3f: want the USL to fit (> 0.75) and Amdahl not (< 0.25)", seed, res.USL.R2, res.Amdahl.R2)
		}
		if v := res.Verdict(); v.Outcome != scaling.Retrograde {
			t.Errorf("seed %d: %v", seed, v)
		}
	})
}

// onSeeds runs the preset called name on seeds 1, 2 and 3 and hands each
// run to check.
func onSeeds(t *testing.T, name string, check func(seed uint64, cfg scaling.Config, res *scaling.Result)) {
	t.Helper()
	cfg, err := scaling.PresetConfig(name)
	if err != nil {
		t.Fatal(err)
	}
	for _, seed := range []uint64{1, 2, 3} {
		cfg.Seed = seed
		res, err := scaling.Run(cfg)
		if err != nil {
			t.Fatal(err)
		}
		check(seed, cfg, res)
	}
}

// The fits recover the parameters of data drawn from the laws themselves.
func TestFitsRecoverTheirLaws(t *testing.T) {
	ps := []float64{1, 2, 4, 8, 16, 32, 64}
	law := scaling.Fit{X1: 10, Sigma: 0.05, Kappa: 0.001}
	amdahl := scaling.Fit{X1: 10, Sigma: 0.1}
	xu, xa := make([]float64, len(ps)), make([]float64, len(ps))
	for i, p := range ps {
		xu[i], xa[i] = law.At(p), amdahl.At(p)
	}
	u, a := scaling.FitUSL(ps, xu), scaling.FitAmdahl(ps, xa)
	if math.Abs(u.Sigma-0.05) > 1e-9 || math.Abs(u.Kappa-0.001) > 1e-9 || math.Abs(u.R2-1) > 1e-9 {
		t.Errorf("USL fit of its own law: %v", u)
	}
	if math.Abs(a.Sigma-0.1) > 1e-9 || math.Abs(a.R2-1) > 1e-9 {
		t.Errorf("Amdahl fit of its own law: %v", a)
	}
	if f := scaling.FitUSL(ps[:2], xu[:2]); !math.IsNaN(f.Sigma) {
		t.Errorf("USL from two points: %v, want NaN", f)
	}
	if f := scaling.FitAmdahl([]float64{2, 4}, []float64{1, 2}); !math.IsNaN(f.Sigma) {
		t.Errorf("Amdahl without p = 1: %v, want NaN", f)
	}
}
