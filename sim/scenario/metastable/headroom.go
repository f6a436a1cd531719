package metastable

import (
	"context"
	"fmt"
	"time"

	"dsim/sim/metrics"
	"dsim/sim/sweep"
	"dsim/sim/viz"
)

// maxRates bounds Headroom's list of rates.
const maxRates = 1000

// The metrics of Headroom's runs.
const (
	metricInService = "in service"
	metricTime      = "time per request (s)"
	metricSlower    = "slower than the timeout (%)"
)

// Headroom measures how much room cfg's server leaves its clients'
// timeout at each steady load: for each rate, seeds runs of cfg's
// Duration at that constant rate, with clients that wait as long as it
// takes (no timeout, no retries), so nothing feeds back. It reports per
// rate the mean requests in service and the mean time a request takes
// (queue and service), with Little's law's prediction beside it, and the
// share of requests that took longer than cfg.Timeout: those whose first
// attempt would have timed out, each a retry, with the clients' timeout.
// Means come with their 95% intervals over the seeds. The figure draws
// that share against the rate.
//
// Little's law with contention: N = λ·S requests are in service, and each
// takes S = Service + Slope × (N + 1), itself included, so
// S = (Service + Slope) / (1 − λ·Slope), while N stays under Capacity.
func Headroom(cfg Config, rates []float64, seeds int) (*metrics.Table, *viz.Figure, error) {
	return HeadroomContext(context.Background(), cfg, rates, seeds)
}

// HeadroomContext is Headroom stopped by ctx.
func HeadroomContext(ctx context.Context, cfg Config, rates []float64, seeds int) (*metrics.Table, *viz.Figure, error) {
	switch {
	case len(rates) == 0 || len(rates) > maxRates:
		return nil, nil, fmt.Errorf("metastable: Headroom needs between 1 and %d rates, got %d", maxRates, len(rates))
	case seeds < 2:
		return nil, nil, fmt.Errorf("metastable: Headroom: seeds=%d: at least 2 runs per rate give an interval", seeds)
	case cfg.Clients > 0:
		return nil, nil, fmt.Errorf("metastable: Headroom: Clients=%d: Headroom offers open-loop load; set Clients to 0", cfg.Clients)
	}
	if err := cfg.Validate(); err != nil {
		return nil, nil, err
	}
	cfg = cfg.withDefaults()
	res, err := headroom(ctx, cfg, rates, seeds)
	if err != nil {
		return nil, nil, err
	}
	t := metrics.NewTable(fmt.Sprintf("Headroom: %d slots, %v + %v per request in service, against a %v timeout; %d runs of %v per rate",
		cfg.Capacity, cfg.Service, cfg.Slope, cfg.Timeout, seeds, cfg.Duration),
		"load (req/s)", "in service", "time per request", "Little's law", "slower than the timeout")
	band := viz.BandCurve{Name: fmt.Sprintf("mean of %d runs, 95%% interval", seeds)}
	for _, p := range res.Points {
		rate := p.Get("rate")
		slower := res.Stat(p.Index, metricSlower)
		t.Add(rate, plusMinus(res.Stat(p.Index, metricInService), "%.1f"), plusMinus(res.Stat(p.Index, metricTime), "%.3f s"),
			cfg.littleTime(rate), percentRange(slower))
		band.X, band.Y = append(band.X, rate), append(band.Y, slower.Mean)
		band.Lower, band.Upper = append(band.Lower, slower.Lower), append(band.Upper, slower.Upper)
	}
	t.Note("Clients here wait as long as it takes, so nothing feeds back. Little's law: S = (Service + Slope) / (1 − λ·Slope) while fewer than %d are in service; past that, requests queue. Slower than the timeout: the share of requests that took longer than %v; with the clients' timeout each would time out and come back as a retry.",
		cfg.Capacity, cfg.Timeout)
	fig := viz.BandLines(viz.Options{Title: fmt.Sprintf("Requests slower than the %v timeout, at steady load", cfg.Timeout),
		XLabel: "offered load (req/s)", YLabel: "requests slower than the timeout (%)", Name: "metastable-headroom", YMax: 100}, band)
	return t, fig, nil
}

// headroom runs the steady loads of Headroom, as a sweep over "rate".
func headroom(ctx context.Context, cfg Config, rates []float64, seeds int) (*sweep.Result, error) {
	steady := cfg
	steady.Pattern, steady.CapacityDrop, steady.Slowdown = Constant, 0, 1
	steady.Timeout, steady.MaxRetries, steady.RetryBudget, steady.CircuitBreaker = time.Hour, 0, 0, false
	steady.DeadlineAdmission, steady.Cancellation = false, false
	for _, rate := range rates {
		s := steady
		s.BaseRate = rate
		if err := s.Validate(); err != nil {
			return nil, fmt.Errorf("metastable: Headroom: %w", err)
		}
	}
	return sweep.Run(ctx, sweep.Spec{Name: "headroom", Seed: cfg.Seed, Reps: seeds,
		Knobs: []sweep.Knob{{Name: "rate", Values: rates, Unit: "req/s"}}}, func(p sweep.Point, seed uint64) (*sweep.Metrics, error) {
		s := steady
		s.BaseRate, s.Seed = p.Get("rate"), seed
		r, err := RunContext(ctx, s)
		if err != nil {
			return nil, err
		}
		return sweep.NewMetrics().
			Set(metricInService, r.InFlight.Mean()).
			Set(metricTime, r.Latency.Mean().Duration().Seconds()).
			Set(metricSlower, 100*r.slowerThan(cfg.Timeout)), nil
	})
}

// littleTime is Little's law's time per request at a steady rate, as
// text: "0.927 s", or "queues" once the slots fill.
func (c Config) littleTime(rate float64) string {
	s, ok := c.littleSeconds(rate)
	if !ok {
		return "queues"
	}
	return fmt.Sprintf("%.3f s", s)
}

// littleSeconds is Little's law's time per request at a steady rate, in
// seconds, or false once the slots fill.
func (c Config) littleSeconds(rate float64) (float64, bool) {
	mean, slope := c.Service.Mean(), c.Slope.Seconds()
	if rate*slope >= 1 {
		return 0, false
	}
	s := (mean + slope) / (1 - rate*slope)
	return s, rate*s < float64(c.Capacity)
}

// slowerThan is the share of answered requests whose latency exceeded d,
// read from the latency histogram (to its 0.1% precision).
func (r *Result) slowerThan(d time.Duration) float64 {
	h := r.Latency.Histogram()
	var above int64
	for _, b := range h.Distribution() {
		if b.From >= d.Nanoseconds() {
			above += b.Count
		}
	}
	return ratio(above, h.TotalCount())
}
