package scaling

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
)

// Fit is a scaling law fitted by least squares to the measured throughput
// X(p) against parallelism p, relative to X(1):
//
//	Amdahl:  X(p) = X(1) p / (1 + σ(p−1))
//	USL:     X(p) = X(1) p / (1 + σ(p−1) + κ p(p−1))
//
// Both are linear in σ and κ once rearranged: p X(1)/X(p) − 1 =
// σ(p−1) + κ p(p−1), the deviation from linear scaling (Gunther,
// "Guerrilla Capacity Planning", 2007, ch. 5), fitted through the origin.
type Fit struct {
	Law string
	// X1 is the measured throughput of one thread, per second.
	X1 float64
	// Sigma is the contention, the share of the work that is serial;
	// Kappa the coherency cost, zero for Amdahl.
	Sigma, Kappa float64
	// R2 is the fit's coefficient of determination on the throughput
	// itself: 1 − Σ(X − fit)² / Σ(X − mean X)². 1 is a perfect fit.
	R2 float64
	// RMSE is the root mean square of the fit's error on the throughput,
	// per second.
	RMSE float64
}

// At is the law's throughput at parallelism p, per second.
func (f Fit) At(p float64) float64 {
	return f.X1 * p / (1 + f.Sigma*(p-1) + f.Kappa*p*(p-1))
}

// Peak is the parallelism at which the USL's throughput is highest,
// √((1−σ)/κ); +Inf for Amdahl or κ ≤ 0, where throughput never falls.
func (f Fit) Peak() float64 {
	if !(f.Kappa > 0) || f.Sigma >= 1 {
		return math.Inf(1)
	}
	return math.Sqrt((1 - f.Sigma) / f.Kappa)
}

// Ceiling is Amdahl's limit on throughput, X(1)/σ, as p grows without end.
func (f Fit) Ceiling() float64 { return f.X1 / f.Sigma }

func (f Fit) String() string {
	if f.Law == "Amdahl" {
		return fmt.Sprintf("Amdahl σ=%.4f (R²=%.3f)", f.Sigma, f.R2)
	}
	return fmt.Sprintf("USL σ=%.4f κ=%.5f (R²=%.3f)", f.Sigma, f.Kappa, f.R2)
}

// fitAll fits both laws to the points; a law that cannot be fitted (no
// throughput at one thread, fewer points than parameters) is all NaN.
func fitAll(points []Point) (amdahl, usl Fit) {
	ps, xs := make([]float64, len(points)), make([]float64, len(points))
	for i, p := range points {
		ps[i], xs[i] = float64(p.N), p.X
	}
	return FitAmdahl(ps, xs), FitUSL(ps, xs)
}

// FitAmdahl fits Amdahl's law to throughputs xs at parallelisms ps, of
// which ps[0] must be 1: a regression of the deviation from linearity on
// p−1 through the origin (gonum's stat.LinearRegression).
func FitAmdahl(ps, xs []float64) Fit {
	f := Fit{Law: "Amdahl", X1: math.NaN(), Sigma: math.NaN(), R2: math.NaN(), RMSE: math.NaN()}
	u, y, ok := deviation(ps, xs, 2)
	if !ok {
		return f
	}
	_, f.Sigma = stat.LinearRegression(u, y, nil, true)
	f.X1 = xs[0]
	f.R2, f.RMSE = quality(f, ps, xs)
	return f
}

// FitUSL fits the Universal Scalability Law to throughputs xs at
// parallelisms ps, of which ps[0] must be 1: σ and κ by linear least
// squares on the deviation from linearity (a QR solve with gonum's mat).
func FitUSL(ps, xs []float64) Fit {
	f := Fit{Law: "USL", X1: math.NaN(), Sigma: math.NaN(), Kappa: math.NaN(), R2: math.NaN(), RMSE: math.NaN()}
	u, y, ok := deviation(ps, xs, 3)
	if !ok {
		return f
	}
	a := mat.NewDense(len(u), 2, nil)
	for i, v := range u {
		a.Set(i, 0, v)
		a.Set(i, 1, v*(v+1))
	}
	var beta mat.VecDense
	if err := beta.SolveVec(a, mat.NewVecDense(len(y), y)); err != nil {
		return f
	}
	f.X1, f.Sigma, f.Kappa = xs[0], beta.AtVec(0), beta.AtVec(1)
	f.R2, f.RMSE = quality(f, ps, xs)
	return f
}

// deviation is p−1 and p X(1)/X(p) − 1 for each point, when there are at
// least need points, the first at p = 1, and every throughput is positive.
func deviation(ps, xs []float64, need int) (u, y []float64, ok bool) {
	if len(ps) != len(xs) || len(ps) < need || ps[0] != 1 {
		return nil, nil, false
	}
	for i := range ps {
		if !(xs[i] > 0) || math.IsInf(xs[i], 0) {
			return nil, nil, false
		}
		u = append(u, ps[i]-1)
		y = append(y, ps[i]*xs[0]/xs[i]-1)
	}
	return u, y, true
}

// quality is the fit's R² and root mean square error on the throughput.
func quality(f Fit, ps, xs []float64) (r2, rmse float64) {
	m := stat.Mean(xs, nil)
	var res, tot float64
	for i, p := range ps {
		e := xs[i] - f.At(p)
		res += e * e
		tot += (xs[i] - m) * (xs[i] - m)
	}
	rmse = math.Sqrt(res / float64(len(ps)))
	if tot == 0 {
		return math.NaN(), rmse
	}
	return 1 - res/tot, rmse
}
