package scaling

import (
	"fmt"

	"dsim/sim/viz"
)

// curvePoints is how many points draw a law's curve.
const curvePoints = 200

// Figures are the lesson's plots: for users, the response time and the
// throughput against N with exact MVA, the law and the bounds; for
// threads, the throughput against p with Amdahl's and the USL's fits, and
// the deviation from linear scaling they were fitted to.
func (r *Result) Figures() []*viz.Figure {
	if r.Config.Experiment == Threads {
		return []*viz.Figure{r.ScalingFigure(), r.DeviationFigure()}
	}
	return []*viz.Figure{r.ResponseFigure(), r.ThroughputFigure()}
}

// mvaCurve is exact MVA for every population from 1 to the largest.
func (r *Result) mvaCurve() (ns, xs, rs []float64) {
	curve, err := r.Config.Network().Solve(r.Last().N)
	if err != nil {
		return nil, nil, nil
	}
	for _, p := range curve {
		ns, xs, rs = append(ns, float64(p.N)), append(xs, p.X), append(rs, p.R.Seconds())
	}
	return ns, xs, rs
}

// ResponseFigure draws the response time against the users: the
// simulation's, exact MVA's, the law's R = N/X − Z from the measured
// throughput, and the asymptotic bound max(D, N·D_max − Z).
func (r *Result) ResponseFigure() *viz.Figure {
	ns, _, rs := r.mvaCurve()
	net := r.Config.Network()
	sim, law := viz.Curve{Name: "simulation", Points: true}, viz.Curve{Name: "N/X − Z from the simulation's X", Points: true}
	for _, p := range r.Points {
		sim.X, sim.Y = append(sim.X, float64(p.N)), append(sim.Y, p.R.Seconds())
		law.X, law.Y = append(law.X, float64(p.N)), append(law.Y, p.Law().Seconds())
	}
	bound := viz.Curve{Name: "bound max(D, N·D_max − Z)"}
	for _, n := range ns {
		_, rMin := net.Bounds(int(n))
		bound.X, bound.Y = append(bound.X, n), append(bound.Y, rMin.Seconds())
	}
	knee, neck := r.Knee()
	return viz.XY(viz.Options{Title: fmt.Sprintf("Response time against users: knee N* = %.1f, bottleneck %s", knee, neck),
		XLabel: "users N", YLabel: "mean response time (s)", Name: "scaling-response"},
		viz.Curve{Name: "exact MVA", X: ns, Y: rs}, bound, sim, law)
}

// ThroughputFigure draws the throughput against the users: the
// simulation's, exact MVA's, the two asymptotic bounds N/(D+Z) and
// 1/D_max, and the knee N* where they cross.
func (r *Result) ThroughputFigure() *viz.Figure {
	ns, xs, _ := r.mvaCurve()
	net := r.Config.Network()
	d, z := net.Demand().Seconds(), net.Think.Seconds()
	dmax := net.Stations[net.Bottleneck()].Demand.Seconds()
	light, heavy := viz.Curve{Name: "bound N/(D+Z)"}, viz.Curve{Name: "bound 1/D_max"}
	for _, n := range ns {
		if n/(d+z) <= 1.15/dmax {
			light.X, light.Y = append(light.X, n), append(light.Y, n/(d+z))
		}
		heavy.X, heavy.Y = append(heavy.X, n), append(heavy.Y, 1/dmax)
	}
	knee, neck := r.Knee()
	mark := viz.Curve{Name: fmt.Sprintf("knee N* = %.1f", knee), X: []float64{knee, knee}, Y: []float64{0, 1 / dmax}}
	sim := viz.Curve{Name: "simulation", Points: true}
	for _, p := range r.Points {
		sim.X, sim.Y = append(sim.X, float64(p.N)), append(sim.Y, p.X)
	}
	return viz.XY(viz.Options{Title: fmt.Sprintf("Throughput against users: the %s bounds it past N* = %.1f", neck, knee),
		XLabel: "users N", YLabel: "throughput (requests/s)", Name: "scaling-throughput"},
		viz.Curve{Name: "exact MVA", X: ns, Y: xs}, light, heavy, mark, sim)
}

// ScalingFigure draws the throughput against the threads p: the
// simulation's points and the fitted Amdahl and USL curves.
func (r *Result) ScalingFigure() *viz.Figure {
	top := float64(r.Last().N)
	amdahl := viz.Curve{Name: fmt.Sprintf("Amdahl σ = %.3f (R² = %.3f)", r.Amdahl.Sigma, r.Amdahl.R2)}
	usl := viz.Curve{Name: fmt.Sprintf("USL σ = %.3f, κ = %.2g (R² = %.3f)", r.USL.Sigma, r.USL.Kappa, r.USL.R2)}
	for i := 0; i <= curvePoints; i++ {
		p := 1 + (top-1)*float64(i)/curvePoints
		amdahl.X, amdahl.Y = append(amdahl.X, p), append(amdahl.Y, r.Amdahl.At(p))
		usl.X, usl.Y = append(usl.X, p), append(usl.Y, r.USL.At(p))
	}
	sim := viz.Curve{Name: "simulation", Points: true}
	for _, p := range r.Points {
		sim.X, sim.Y = append(sim.X, float64(p.N)), append(sim.Y, p.X)
	}
	title := fmt.Sprintf("Throughput against threads: the lock held for %.3g of the work", r.LockShare())
	if c := r.Config.Coherency; c > 0 {
		title += fmt.Sprintf(", +%v per other thread", c)
	}
	return viz.XY(viz.Options{Title: title,
		XLabel: "threads p", YLabel: "throughput (requests/s)", Name: "scaling-threads"}, amdahl, usl, sim)
}

// DeviationFigure draws the deviation from linear scaling, p X(1)/X(p) − 1,
// against p − 1: the quantity both laws are fitted to by least squares, a
// straight line of slope σ for Amdahl, a parabola for the USL.
func (r *Result) DeviationFigure() *viz.Figure {
	top := float64(r.Last().N)
	x1 := r.Points[0].X
	amdahl, usl := viz.Curve{Name: fmt.Sprintf("Amdahl: σ(p−1), σ = %.3f", r.Amdahl.Sigma)}, viz.Curve{Name: "USL: σ(p−1) + κp(p−1)"}
	for i := 0; i <= curvePoints; i++ {
		p := 1 + (top-1)*float64(i)/curvePoints
		amdahl.X, amdahl.Y = append(amdahl.X, p-1), append(amdahl.Y, r.Amdahl.Sigma*(p-1))
		usl.X, usl.Y = append(usl.X, p-1), append(usl.Y, r.USL.Sigma*(p-1)+r.USL.Kappa*p*(p-1))
	}
	sim := viz.Curve{Name: "simulation", Points: true}
	for _, p := range r.Points {
		sim.X, sim.Y = append(sim.X, float64(p.N-1)), append(sim.Y, float64(p.N)*x1/p.X-1)
	}
	return viz.XY(viz.Options{Title: "Deviation from linear scaling, fitted by least squares",
		XLabel: "threads p − 1", YLabel: "p·X(1)/X(p) − 1 (dimensionless)", Name: "scaling-deviation"}, amdahl, usl, sim)
}
