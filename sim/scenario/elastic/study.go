package elastic

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"dsim/sim/metrics"
	"dsim/sim/sweep"
	"dsim/sim/viz"
)

// StudySpec is a cost study in the spirit of Gorton's parameter study of
// Google App Engine's autoscaling (ch. 8: three target CPU utilisations by
// four maximums, twelve configurations, each load-tested for throughput
// and cost): here target utilisations by maximum instances of the
// autoscaled group, each configuration run Reps times.
type StudySpec struct {
	Targets []float64 // ScaleOutAt values; nil means 0.6, 0.7, 0.8 (Gorton's)
	Maxes   []int     // Max values; nil means 6, 9, 12, 16
	Reps    int       // runs per configuration, each with its own seed; zero means 3
	Seed    uint64    // the root of the runs' seeds
	Workers int       // runs at once; zero means one per core; the result never depends on it
}

// StudyPoint is one configuration's means over its runs.
type StudyPoint struct {
	Target     float64
	Max        int
	Dollars    float64 // the run at list prices
	Throughput float64 // requests answered a second
	P99        float64 // seconds
	// Relative is Dollars over the base configuration's (Gorton's table
	// 8-4 normalises to the default), or the first configuration's when
	// the base is not in the grid.
	Relative float64
	// FrontThroughput and FrontP99 mark the Pareto fronts: no other
	// configuration costs no more and answers more (or has a lower p99),
	// better in one of the two.
	FrontThroughput, FrontP99 bool
}

// Study is a cost study's result.
type Study struct {
	Base   Config
	Points []StudyPoint
	Sweep  *sweep.Result // the runs, for their intervals
}

// CostStudy runs base (a server group) over spec's grid of target
// utilisations and maximums, in parallel, and marks the Pareto fronts of
// cost against throughput and against p99.
func CostStudy(base Config, spec StudySpec) (*Study, error) {
	return CostStudyContext(context.Background(), base, spec)
}

// CostStudyContext is CostStudy stopped by ctx.
func CostStudyContext(ctx context.Context, base Config, spec StudySpec) (*Study, error) {
	if base.Deploy == Function {
		return nil, bad("Deploy", base.Deploy, "the cost study varies a server group's target and maximum: use servers")
	}
	if spec.Targets == nil {
		spec.Targets = []float64{0.6, 0.7, 0.8}
	}
	if spec.Maxes == nil {
		spec.Maxes = []int{6, 9, 12, 16}
	}
	spec.Reps = cmp.Or(spec.Reps, 3)
	maxes := make([]float64, len(spec.Maxes))
	for i, m := range spec.Maxes {
		maxes[i] = float64(m)
	}
	// Each value is checked on the base alone: give it room for all.
	wide := base
	wide.Max = max(base.Max, slices.Max(spec.Maxes))
	res, err := SweepContext(ctx, wide, sweep.Spec{Name: "elastic-cost", Seed: spec.Seed, Reps: spec.Reps, Workers: spec.Workers,
		Knobs: []sweep.Knob{{Name: "ScaleOutAt", Values: spec.Targets}, {Name: "Max", Values: maxes}}})
	if err != nil {
		return nil, err
	}
	s := &Study{Base: base.withDefaults(), Sweep: res}
	for _, p := range res.Points {
		s.Points = append(s.Points, StudyPoint{Target: p.Get("ScaleOutAt"), Max: p.Int("Max"),
			Dollars: res.Stat(p.Index, "dollars").Mean, Throughput: res.Stat(p.Index, "throughput (req/s)").Mean,
			P99: res.Stat(p.Index, "p99 (s)").Mean})
	}
	s.mark()
	return s, nil
}

// baseline is the base configuration's point, or the first.
func (s *Study) baseline() int {
	for i, p := range s.Points {
		if p.Target == s.Base.ScaleOutAt && p.Max == s.Base.Max {
			return i
		}
	}
	return 0
}

// mark sets the relative costs and the fronts.
func (s *Study) mark() {
	baseline := s.baseline()
	for i := range s.Points {
		p := &s.Points[i]
		p.Relative = p.Dollars / s.Points[baseline].Dollars
		p.FrontThroughput, p.FrontP99 = true, true
		for _, q := range s.Points {
			if q.Dollars <= p.Dollars && q.Throughput >= p.Throughput && (q.Dollars < p.Dollars || q.Throughput > p.Throughput) {
				p.FrontThroughput = false
			}
			if q.Dollars <= p.Dollars && q.P99 <= p.P99 && (q.Dollars < p.Dollars || q.P99 < p.P99) {
				p.FrontP99 = false
			}
		}
	}
}

// Table lists the configurations: their mean cost, throughput and p99,
// the cost against the base's, and which fronts they are on.
func (s *Study) Table() *metrics.Table {
	t := metrics.NewTable(fmt.Sprintf("Cost study: %d configurations × %d runs, %s", len(s.Points), s.Sweep.Spec.Reps, s.Base.loadText()),
		"target", "max", "dollars", "cost vs base", "throughput (req/s)", "p99 (s)", "front")
	for _, p := range s.Points {
		var on []string
		if p.FrontThroughput {
			on = append(on, "throughput")
		}
		if p.FrontP99 {
			on = append(on, "p99")
		}
		front := strings.Join(on, ", ")
		if front == "" {
			front = "none"
		}
		t.Add(metrics.Pct(p.Target), p.Max, roundTo(p.Dollars, 4), metrics.Pct(p.Relative), roundTo(p.Throughput, 2), roundTo(p.P99, 3), front)
	}
	b := s.Points[s.baseline()]
	t.Note("cost vs base: against target %v, max %d", metrics.Pct(b.Target), b.Max)
	return t
}

// Front lists the configurations on a front, cheapest first: of cost
// against throughput when p99 is false, against p99 when it is true.
func (s *Study) Front(p99 bool) []StudyPoint {
	var out []StudyPoint
	for _, p := range s.Points {
		if p99 && p.FrontP99 || !p99 && p.FrontThroughput {
			out = append(out, p)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Dollars < out[j].Dollars })
	return out
}

// Figures are cost against throughput and cost against p99, one series
// of points per target, the Pareto front drawn through its points.
func (s *Study) Figures() []*viz.Figure {
	return []*viz.Figure{s.figure(false), s.figure(true)}
}

func (s *Study) figure(p99 bool) *viz.Figure {
	y := func(p StudyPoint) float64 { return p.Throughput }
	o := viz.Options{Title: "Cost against throughput: each configuration, the Pareto front joined",
		XLabel: "cost of the run at list prices ($)", YLabel: "throughput (requests answered per second)", Name: "elastic-cost-throughput"}
	if p99 {
		y = func(p StudyPoint) float64 { return p.P99 }
		o.Title, o.YLabel, o.Name = "Cost against p99: each configuration, the Pareto front joined", "p99 response time (s)", "elastic-cost-p99"
	}
	var targets []float64
	for _, p := range s.Points {
		if !slices.Contains(targets, p.Target) {
			targets = append(targets, p.Target)
		}
	}
	var curves []viz.Curve
	for _, tg := range targets {
		c := viz.Curve{Name: fmt.Sprintf("target %v (max %v)", metrics.Pct(tg), s.maxesText()), Points: true}
		for _, p := range s.Points {
			if p.Target == tg {
				c.X, c.Y = append(c.X, p.Dollars), append(c.Y, y(p))
			}
		}
		curves = append(curves, c)
	}
	front := viz.Curve{Name: "Pareto front"}
	for _, p := range s.Front(p99) {
		front.X, front.Y = append(front.X, p.Dollars), append(front.Y, y(p))
	}
	return viz.XY(o, append(curves, front)...)
}

func (s *Study) maxesText() string {
	var ms []int
	for _, p := range s.Points {
		if !slices.Contains(ms, p.Max) {
			ms = append(ms, p.Max)
		}
	}
	return strings.Trim(strings.Join(strings.Fields(fmt.Sprint(ms)), ", "), "[]")
}
