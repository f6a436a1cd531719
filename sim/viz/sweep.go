package viz

import (
	"fmt"

	"dsim/sim/sweep"
)

// SweepHeatmap draws a sweep's metric over two knobs (its mean, averaged
// over any other knobs): the figure of a two-knob study.
func SweepHeatmap(r *sweep.Result, metric, x, y string) (*Figure, error) {
	g, err := r.Grid(metric, x, y)
	if err != nil {
		return nil, err
	}
	title, key := fmt.Sprintf("%s over %s and %s", metric, x, y), metric
	if g.Share {
		title, key = fmt.Sprintf("Share of runs %s, over %s and %s", metric, x, y), metric+" (share)"
	}
	title += r.AveragedOver(x, y)
	return Heatmap(Options{Title: title, XLabel: g.X.Column(), YLabel: g.Y.Column(),
		Name: Slug(r.Spec.Name + " " + metric + " heatmap")}, Grid{X: g.XValues, Y: g.YValues, Z: g.Z}, key), nil
}

// SweepLines draws a sweep's metric against one knob with its 95%
// confidence band (Wilson's for a share), one line per value of the knob
// by ("" for one line, averaging over the other knobs).
func SweepLines(r *sweep.Result, metric, x, by string) (*Figure, error) {
	bands, kx, err := r.Bands(metric, x, by)
	if err != nil {
		return nil, err
	}
	curves := make([]BandCurve, len(bands))
	for i, b := range bands {
		curves[i] = BandCurve{Name: b.Name, X: b.X, Y: b.Mean, Lower: b.Lower, Upper: b.Upper}
	}
	title, ylabel, top := fmt.Sprintf("%s against %s (mean, 95%% CI)", metric, x), metric, 0.0
	if r.IsShare(metric) {
		title, ylabel, top = fmt.Sprintf("Share of runs %s against %s (95%% Wilson interval)", metric, x), "share of runs "+metric, 1
	}
	title += r.AveragedOver(x, by)
	return BandLines(Options{Title: title, XLabel: kx.Column(), YLabel: ylabel,
		Name: Slug(r.Spec.Name + " " + metric + " by " + x), YMax: top}, curves...), nil
}
