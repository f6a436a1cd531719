package metastable

import (
	"context"
	"fmt"
	"time"

	"dsim/sim/metrics"
	"dsim/sim/sweep"
	"dsim/sim/viz"
)

// maxSlopes bounds Tipping's list of slopes.
const maxSlopes = 1000

// Tipping runs cfg at each contention slope under seeds seeds (derived
// from cfg.Seed, the slope and the replication, as a sweep's are) and
// reports per slope the service time at full concurrency, the verdicts,
// the share of runs Metastable with its 95% interval (Wilson's), and the
// requests offered after the trigger that were answered: the article's
// tipping point, where a little more contention turns a spike that
// passes into a storm that stays. The figure draws the share Metastable
// against the slope, with its interval. Runs go in parallel.
func Tipping(cfg Config, slopes []time.Duration, seeds int) (*metrics.Table, *viz.Figure, error) {
	return TippingContext(context.Background(), cfg, slopes, seeds)
}

// TippingContext is Tipping stopped by ctx.
func TippingContext(ctx context.Context, cfg Config, slopes []time.Duration, seeds int) (*metrics.Table, *viz.Figure, error) {
	switch {
	case len(slopes) == 0 || len(slopes) > maxSlopes:
		return nil, nil, fmt.Errorf("metastable: Tipping needs between 1 and %d slopes, got %d", maxSlopes, len(slopes))
	case seeds < 2:
		return nil, nil, fmt.Errorf("metastable: Tipping: seeds=%d: at least 2 runs per slope give an interval", seeds)
	}
	if err := cfg.Validate(); err != nil {
		return nil, nil, err
	}
	cfg = cfg.withDefaults()
	secs := make([]float64, len(slopes))
	for i, s := range slopes {
		secs[i] = s.Seconds()
	}
	res, err := SweepContext(ctx, cfg, sweep.Spec{Name: "tipping", Seed: cfg.Seed, Reps: seeds,
		Knobs: []sweep.Knob{{Name: "Slope", Values: secs}}})
	if err != nil {
		return nil, nil, fmt.Errorf("metastable: Tipping: %w", err)
	}
	t := metrics.NewTable(fmt.Sprintf("Tipping point: %g req/s, spike to %g/s, timeout %v, %d seeds per slope", cfg.BaseRate, cfg.SpikeRate, cfg.Timeout, seeds),
		"slope", "service at capacity", "verdicts", "metastable (95% interval)", "answered after the trigger")
	band := viz.BandCurve{Name: fmt.Sprintf("share of %d runs metastable, 95%% interval", seeds)}
	for _, p := range res.Points {
		slope := p.Duration("Slope")
		atCap := time.Duration(cfg.Service.Mean()*float64(time.Second)) + time.Duration(cfg.Capacity)*slope
		m := res.Stat(p.Index, "metastable")
		answered := res.Stat(p.Index, "answered after trigger (%)")
		t.Add(slope, atCap, verdictCounts(res, p.Index),
			fmt.Sprintf("%.2g (%.2f to %.2f)", m.Mean, m.Lower, m.Upper), percentRange(answered))
		band.X = append(band.X, float64(slope)/float64(time.Millisecond))
		band.Y, band.Lower, band.Upper = append(band.Y, m.Mean), append(band.Lower, m.Lower), append(band.Upper, m.Upper)
	}
	t.Note("A request in service takes Service + Slope × (requests in service); at capacity it is the second column. Once that, plus the wait behind the queue the trigger leaves, passes the timeout (%v), attempts time out and their retries keep the server full.", cfg.Timeout)
	fig := viz.BandLines(viz.Options{Title: "The tipping point", XLabel: "contention slope (ms per request in service)",
		YLabel: "share of runs metastable", Name: "metastable-tipping", YMax: 1}, band)
	return t, fig, nil
}
