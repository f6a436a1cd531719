package metastable

import (
	"context"
	"dsim/sim/scenario/internal/tail"
	"fmt"
	"slices"
	"strings"

	"dsim/sim/metrics"
	"dsim/sim/sweep"
)

// Change is one variation of a base configuration: a name for the table,
// and the edit that makes it.
type Change struct {
	Name  string
	Apply func(c *Config)
}

// maxChanges bounds a comparison: a table, not a sweep.
const maxChanges = 100

// Changes is a comparison of changes to one base configuration, each run
// under several seeds: what each change sets, and its runs as a sweep
// with one point per change (the knob "change", labelled by name).
type Changes struct {
	Base  Config   // with defaults filled in
	Names []string // the changes, in order
	// Sets says, per change, which knobs it sets and to what, read from
	// the configurations themselves ("Cancellation=on"): a change that
	// sets more than one knob shows it.
	Sets  []string
	Sweep *sweep.Result
}

// The metrics of a comparison's runs, besides the verdicts' shares
// (Sweep's names) and theirs.
const (
	metricAttempts = "attempts per request"
	metricAnswered = "answered in time (%)"
	metricWasted   = "wasted (%)"
	metricDropped  = "dropped"
	metricRejected = "rejected"
)

// CompareChanges runs base and each change of it under reps seeds (each
// run's seed derived from base.Seed, the change and the replication, as a
// sweep's are) and reports, per change, the knobs it sets, its verdicts,
// and the means of what its runs measured with their 95% intervals
// (Changes.Table). Each run reports the verdicts' shares as Sweep's do
// ("metastable", "recovered", ...) and "answered in time (%)",
// "attempts per request", "wasted (%)" (of the work served), "dropped"
// (abandoned attempts cancelled unserved) and "rejected" (attempts the
// server turned away). The runs go in parallel; a change that makes the
// configuration invalid is an error naming it.
func CompareChanges(base Config, changes []Change, reps int) (*Changes, error) {
	return CompareChangesContext(context.Background(), base, changes, reps)
}

// CompareChangesContext is CompareChanges stopped by ctx.
func CompareChangesContext(ctx context.Context, base Config, changes []Change, reps int) (*Changes, error) {
	switch {
	case len(changes) == 0 || len(changes) > maxChanges:
		return nil, fmt.Errorf("metastable: CompareChanges needs between 1 and %d changes, got %d", maxChanges, len(changes))
	case reps < 2:
		return nil, fmt.Errorf("metastable: CompareChanges: reps=%d: at least 2 runs per change give an interval", reps)
	}
	if err := base.Validate(); err != nil {
		return nil, err
	}
	base = base.withDefaults()
	c := &Changes{Base: base}
	configs := make([]Config, len(changes))
	for i, ch := range changes {
		switch {
		case ch.Name == "" || slices.Contains(c.Names, ch.Name):
			return nil, fmt.Errorf("metastable: CompareChanges: change %d: the name %q is empty or taken", i, ch.Name)
		case ch.Apply == nil:
			return nil, fmt.Errorf("metastable: CompareChanges: change %q has no Apply", ch.Name)
		}
		cfg := base
		ch.Apply(&cfg)
		if err := cfg.Validate(); err != nil {
			return nil, fmt.Errorf("metastable: CompareChanges: change %q: %w", ch.Name, err)
		}
		cfg = cfg.withDefaults()
		configs[i] = cfg
		c.Names = append(c.Names, ch.Name)
		c.Sets = append(c.Sets, sets(base, cfg))
	}
	spec := sweep.Spec{Name: "changes", Seed: base.Seed, Reps: reps, Knobs: []sweep.Knob{{Name: "change", Labels: c.Names}}}
	res, err := sweep.Run(ctx, spec, func(p sweep.Point, seed uint64) (*sweep.Metrics, error) {
		cfg := configs[p.Int("change")]
		cfg.Seed = seed
		r, err := RunContext(ctx, cfg)
		if err != nil {
			return nil, err
		}
		return r.sweepMetrics().
			Set(metricAnswered, 100*ratio(r.Succeeded, r.Requests)).
			Set(metricAttempts, r.Amplification()).
			Set(metricWasted, 100*ratio(r.Wasted, r.Served)).
			Set(metricDropped, float64(r.Dropped)).
			Set(metricRejected, float64(r.Rejected)), nil
	})
	if err != nil {
		return nil, err
	}
	c.Sweep = res
	return c, nil
}

// sets lists the knobs whose values differ between base and cfg, as
// "Name=value", or "nothing".
func sets(base, cfg Config) string {
	var out []string
	for _, name := range knobs.Names() {
		a, errA := knobs.Get(base, name)
		b, errB := knobs.Get(cfg, name)
		if errA == nil && errB == nil && a != b {
			out = append(out, name+"="+b)
		}
	}
	if len(out) == 0 {
		return "nothing"
	}
	return strings.Join(out, ", ")
}

// Stat is a metric of the named change over its runs: the mean and its
// 95% interval (Wilson's for a verdict's share).
func (c *Changes) Stat(change, metric string) (sweep.Stat, error) {
	i := slices.Index(c.Names, change)
	if i < 0 {
		return sweep.Stat{}, fmt.Errorf("metastable: no change %q (the changes are %q)", change, c.Names)
	}
	if !slices.Contains(c.Sweep.Metrics, metric) {
		return sweep.Stat{}, fmt.Errorf("metastable: no metric %q (the runs reported %q)", metric, c.Sweep.Metrics)
	}
	return c.Sweep.Stat(i, metric), nil
}

// Table is a row per change: what it sets, its verdicts over the runs,
// the share of runs Metastable with its 95% interval, and the means of
// attempts per request, wasted work, and the attempts dropped and
// rejected per run, each with its 95% interval.
func (c *Changes) Table() *metrics.Table {
	r := c.Sweep
	t := metrics.NewTable(fmt.Sprintf("%d changes, %d runs each", len(c.Names), r.Spec.Reps),
		"change", "sets", "verdicts", "metastable (95% interval)", metricAttempts, "wasted work", "dropped per run", "rejected per run")
	for i, name := range c.Names {
		m := r.Stat(i, "metastable")
		t.Add(name, c.Sets[i], verdictCounts(r, i),
			fmt.Sprintf("%.2g (%.2f to %.2f)", m.Mean, m.Lower, m.Upper),
			plusMinus(r.Stat(i, metricAttempts), "%.2f"),
			percentRange(r.Stat(i, metricWasted)),
			plusMinus(r.Stat(i, metricDropped), "%.0f"),
			plusMinus(r.Stat(i, metricRejected), "%.0f"))
	}
	t.Note("Each change runs under %d seeds. Verdicts count the runs; a mean ± half its 95%% interval (Student's t); a share's interval is Wilson's, a percentage's is cut to [0, 100]. Wasted work: served after the client gave up, of all work served. Dropped: abandoned attempts cancelled before service. Rejected: attempts the server turned away (queue bound, deadline).", r.Spec.Reps)
	return t
}

// verdictCounts counts a point's runs by outcome, from the verdicts'
// shares that Sweep's runs report: "Metastable 9, Recovered 1".
func verdictCounts(r *sweep.Result, point int) string {
	var parts []string
	for _, o := range []Outcome{Stable, Recovered, Recovering, Inconclusive, Metastable, Overloaded} {
		if n := tail.Sum(r.Values(point, strings.ToLower(o.String()))); n > 0 {
			parts = append(parts, fmt.Sprintf("%v %d", o, int(n)))
		}
	}
	return strings.Join(parts, ", ")
}

// plusMinus writes a mean and half its interval: "3.35 ± 0.04".
func plusMinus(s sweep.Stat, format string) string {
	return fmt.Sprintf(format+" ± "+format, s.Mean, s.HalfWidth())
}

// percentRange writes a percentage's mean and interval: "91.4% (90.6% to 92.1%)".
func percentRange(s sweep.Stat) string {
	return fmt.Sprintf("%.1f%% (%.1f%% to %.1f%%)", s.Mean, s.Lower, s.Upper)
}
