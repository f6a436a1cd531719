package quorum

import (
	"fmt"
	"math"
	"strings"

	"dsim/sim/metrics"
	"dsim/sim/scenario/internal/show"
	"dsim/sim/sweep"
)

// SeedTable is the few metrics a lesson states, from a sweep over seeds
// (Sweep with Reps runs per point): a row per point with its knob values
// and runs, and per metric its mean and 95% confidence interval, "3.2 ±
// 0.8", or for a share of runs (such as "linearizable") the count and
// Wilson's interval, "15 of 20 (53%–89%)". Metrics are named as Sweep
// reports them; an unknown name is an error that lists the known ones.
func SeedTable(sw *sweep.Result, names ...string) (*metrics.Table, error) {
	if sw == nil {
		return nil, fmt.Errorf("quorum: SeedTable: no sweep result")
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("quorum: SeedTable: name the metrics to show (%s)", strings.Join(sw.Metrics, ", "))
	}
	for _, n := range names {
		if !known(sw.Metrics, n) {
			return nil, fmt.Errorf("quorum: SeedTable: no metric %q; the sweep has %s", n, strings.Join(sw.Metrics, ", "))
		}
	}
	var cols []string
	for _, k := range sw.Spec.Knobs {
		cols = append(cols, k.Name)
	}
	cols = append(cols, "runs")
	cols = append(cols, names...)
	t := metrics.NewTable(fmt.Sprintf("Over %d seeds per row (means with 95%% intervals)", sw.Spec.Reps), cols...)
	for _, p := range sw.Points {
		var row []any
		for i, k := range sw.Spec.Knobs {
			if len(k.Labels) > 0 {
				row = append(row, p.Label(k.Name))
			} else {
				row = append(row, fmt.Sprintf("%g", p.Values[i]))
			}
		}
		row = append(row, fmt.Sprint(len(sw.Values(p.Index, names[0]))))
		for _, n := range names {
			row = append(row, statText(sw, p.Index, n))
		}
		t.Add(row...)
	}
	return t, nil
}

func known(names []string, name string) bool {
	for _, n := range names {
		if n == name {
			return true
		}
	}
	return false
}

// statText writes a metric at a point: a share as a count of runs with
// its interval, a number as mean ± half-width, NaN-free.
func statText(sw *sweep.Result, point int, name string) string {
	s := sw.Stat(point, name)
	if s.N == 0 {
		return "n/a"
	}
	if sw.IsShare(name) {
		k := int(math.Round(s.Mean * float64(s.N)))
		return fmt.Sprintf("%d of %d (%s–%s)", k, s.N, show.Percent(s.Lower), show.Percent(s.Upper))
	}
	if s.N < 2 || math.IsNaN(s.HalfWidth()) {
		return num(s.Mean)
	}
	return num(s.Mean) + " ± " + num(s.HalfWidth())
}

// num writes a mean with the digits that matter: 3 significant ones, no
// exponent.
func num(x float64) string {
	switch a := math.Abs(x); {
	case a == 0:
		return "0"
	case a >= 100:
		return fmt.Sprintf("%.0f", x)
	case a >= 10:
		return fmt.Sprintf("%.1f", x)
	}
	return fmt.Sprintf("%.2f", x)
}

// PointOf finds the point of a sweep whose labelled knobs (a preset, a
// model, a choice) take the given labels, in the order of the spec's
// labelled knobs: PointOf(sw, "lww-skew", "counter", "sync"). It returns
// the point's index, for sw.Stat, or an error naming the labels there are.
func PointOf(sw *sweep.Result, labels ...string) (int, error) {
	if sw == nil {
		return 0, fmt.Errorf("quorum: PointOf: no sweep result")
	}
	var named []string
	for _, p := range sw.Points {
		var got []string
		for _, k := range sw.Spec.Knobs {
			if len(k.Labels) > 0 {
				got = append(got, p.Label(k.Name))
			}
		}
		if strings.Join(got, "/") == strings.Join(labels, "/") {
			return p.Index, nil
		}
		named = append(named, strings.Join(got, "/"))
	}
	return 0, fmt.Errorf("quorum: PointOf: no point %s; the sweep has %s", strings.Join(labels, "/"), strings.Join(named, ", "))
}
