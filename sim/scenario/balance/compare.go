package balance

import (
	"context"
	"fmt"

	"dsim/sim/metrics"
	"dsim/sim/scenario/internal/describe"
	"dsim/sim/service"
	"dsim/sim/viz"
)

// CompareTable lays runs side by side, names labelling them: policy,
// outcome, time in system, the longest queue and the busiest server.
func CompareTable(names []string, results ...*Result) *metrics.Table {
	t, row := describe.SideBySide(names, results)
	row("policy", func(r *Result) any { return r.policyText() })
	row("outcome", func(r *Result) any { return r.Verdict().Outcome.String() })
	row("time in system: mean", func(r *Result) any { return short(r.Latency.Mean().Duration()) })
	row("time in system: p99", func(r *Result) any { return short(r.Latency.Quantile(0.99).Duration()) })
	row("longest queue (calls)", func(r *Result) any { return r.MaxQueue() })
	row("busiest server (× an even share)", func(r *Result) any { return fmt.Sprintf("%.2f×", r.Share(r.Busiest())) })
	return t
}

// CompareFigure draws the runs' time in system by percentile, one line
// each, named by names.
func CompareFigure(names []string, results ...*Result) (*viz.Figure, error) {
	var ls []*metrics.Latency
	for i, r := range results {
		l := *r.Latency
		l.Name = names[i]
		ls = append(ls, &l)
	}
	return viz.PercentileDist(viz.Options{Title: "Time in system by percentile", YLabel: "", Name: "balance-compare"}, ls...), nil
}

// Comparison is one configuration run under several policies, same seed.
type Comparison struct {
	Policies []service.Policy
	Results  []*Result
}

// ComparePolicies runs cfg once under each policy (all six when none is
// given), with the same seed and so the same arrivals and service draws.
func ComparePolicies(cfg Config, policies ...service.Policy) (*Comparison, error) {
	return ComparePoliciesContext(context.Background(), cfg, policies...)
}

// ComparePoliciesContext is ComparePolicies stopped by ctx.
func ComparePoliciesContext(ctx context.Context, cfg Config, policies ...service.Policy) (*Comparison, error) {
	if len(policies) == 0 {
		policies = service.Policies()
	}
	c := &Comparison{Policies: policies}
	for _, p := range policies {
		cfg.Policy = p
		r, err := RunContext(ctx, cfg)
		if err != nil {
			return nil, err
		}
		c.Results = append(c.Results, r)
	}
	return c, nil
}

func (c *Comparison) names() []string {
	n := make([]string, len(c.Results))
	for i, r := range c.Results {
		n[i] = r.policyText()
	}
	return n
}

// Table is the policies side by side.
func (c *Comparison) Table() *metrics.Table { return CompareTable(c.names(), c.Results...) }

// Figure draws each policy's time in system by percentile.
func (c *Comparison) Figure() *viz.Figure {
	f, _ := CompareFigure(c.names(), c.Results...)
	return f
}

// Bars draws each policy's mean and p99 time in system and longest queue
// as three bar charts.
func (c *Comparison) Bars() []*viz.Figure {
	names := make([]string, len(c.Policies))
	for i, p := range c.Policies {
		names[i] = string(p)
	}
	mean, p99, queue := make([]float64, len(names)), make([]float64, len(names)), make([]float64, len(names))
	for i, r := range c.Results {
		mean[i] = r.Latency.Mean().Seconds() * 1000
		p99[i] = r.Latency.Quantile(0.99).Seconds() * 1000
		queue[i] = float64(r.MaxQueue())
	}
	return []*viz.Figure{
		viz.Bars(viz.Options{Title: "Mean time in system by policy", YLabel: "mean time in system (ms)", Name: "balance-policies-mean"}, names, mean),
		viz.Bars(viz.Options{Title: "p99 time in system by policy", YLabel: "p99 time in system (ms)", Name: "balance-policies-p99"}, names, p99),
		viz.Bars(viz.Options{Title: "Longest queue by policy", YLabel: "longest queue (calls)", Name: "balance-policies-queue"}, names, queue),
	}
}
