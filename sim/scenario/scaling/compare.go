package scaling

import (
	"fmt"
	"math"

	"dsim/sim/metrics"
	"dsim/sim/scenario/internal/describe"
	"dsim/sim/viz"
)

// CompareTable lays runs side by side, names labelling them: the
// experiment, the outcome and, at the largest population or parallelism,
// throughput and response time beside MVA's; the knee and bottleneck for
// users, the fitted laws for threads.
func CompareTable(names []string, results ...*Result) *metrics.Table {
	t, row := describe.SideBySide(names, results)
	row("experiment", func(r *Result) any { return string(r.Config.Experiment) })
	row("outcome", func(r *Result) any { return r.Verdict().Outcome.String() })
	row("largest N or p", func(r *Result) any { return r.Last().N })
	row("throughput (/s), MVA", func(r *Result) any { return fmt.Sprintf("%.2f, %.2f", r.Last().X, r.Last().MVA.X) })
	row("response time, MVA", func(r *Result) any { return fmt.Sprintf("%v, %v", short(r.Last().R), short(r.Last().MVA.R)) })
	row("knee N* (bottleneck)", func(r *Result) any {
		if r.Config.Experiment == Threads {
			return "—"
		}
		knee, neck := r.Knee()
		return fmt.Sprintf("%.1f (%s)", knee, neck)
	})
	row("Amdahl σ (R²)", func(r *Result) any { return fitText(r.Amdahl.Sigma, r.Amdahl.R2, r) })
	row("USL κ (R²)", func(r *Result) any { return fitText(r.USL.Kappa, r.USL.R2, r) })
	return t
}

func fitText(x, r2 float64, r *Result) string {
	if r.Config.Experiment != Threads || math.IsNaN(x) {
		return "—"
	}
	return fmt.Sprintf("%.4g (%.3f)", x, r2)
}

// CompareFigure draws each run's measured throughput against its users or
// threads, one line each, named by names.
func CompareFigure(names []string, results ...*Result) (*viz.Figure, error) {
	var curves []viz.Curve
	users, threads := false, false
	for i, r := range results {
		c := viz.Curve{Name: names[i]}
		for _, p := range r.Points {
			c.X, c.Y = append(c.X, float64(p.N)), append(c.Y, p.X)
		}
		curves = append(curves, c)
		users, threads = users || r.Config.Experiment == Users, threads || r.Config.Experiment == Threads
	}
	x := "users N"
	switch {
	case users && threads:
		x = "users N or threads p"
	case threads:
		x = "threads p"
	}
	return viz.XY(viz.Options{Title: "Throughput, run by run", XLabel: x, YLabel: "throughput (requests/s)", Name: "scaling-compare"}, curves...), nil
}
