package queueing

import (
	"context"
	"fmt"

	"dsim/sim"
	"dsim/sim/metrics"
	"dsim/sim/scenario/internal/describe"
	"dsim/sim/service"
	"dsim/sim/viz"
)

// model is one run's composition of service components: a load, a server
// and, when requests call dependencies, a client per dependency (its
// retries and breaker) in front of one dependency that answers them all.
type model struct {
	sys    *service.System
	load   *service.Source
	server *service.Server
	deps   []*service.Client
	remote *service.Dependency
}

// Run validates cfg and runs the experiment.
func Run(cfg Config) (*Result, error) { return RunContext(context.Background(), cfg) }

// RunContext is Run with a context that can interrupt a long run.
func RunContext(ctx context.Context, cfg Config) (*Result, error) {
	return describe.Run(ctx, cfg, Config.Validate, Config.withDefaults, func(ctx context.Context, cfg Config) (*Result, error) {
		m := compose(cfg)
		if err := describe.RunSystem(ctx, knobs, m.sys, cfg.advice); err != nil {
			return nil, err
		}
		return m.result(cfg), nil
	})
}

// compose builds the system of cfg: arrivals -> server, and the server's
// calls through dependency-1..D to the dependencies.
func compose(cfg Config) *model {
	// The streams the model drew from before it was built of components,
	// so that its runs, and the numbers the lessons print, stay the same.
	// The dependency clients share one backoff stream, as they did.
	streams := map[string]string{"arrivals/arrivals": "arrivals", "server/service": "service"}
	for i := 1; i <= cfg.Dependencies; i++ {
		streams[fmt.Sprintf("dependency-%d/backoff", i)] = "dependencies/backoff"
	}
	m := &model{sys: service.New(service.Config{Seed: cfg.Seed, Duration: cfg.Duration, Window: cfg.Window, MaxCalls: maxHeld, StreamNames: streams})}
	m.load = &service.Source{Name: "arrivals", Target: "server", Rate: cfg.ArrivalRate,
		Peak: cfg.ArrivalRate * cfg.Multiplier, Period: cfg.DiurnalPeriod, BurstMean: cfg.BurstMean}
	switch cfg.Pattern {
	case RampUp:
		m.load.Pattern = service.Ramp
	case RampUpDown:
		m.load.Pattern = service.RampUpDown
	case Spike:
		m.load.Pattern, m.load.Window = service.Spike, cfg.Spike
	case Diurnal:
		m.load.Pattern = service.Diurnal
	case Bursty:
		m.load.Pattern = service.Bursty
	}
	m.server = &service.Server{Name: "server", Slots: cfg.Servers, Service: cfg.ServiceTime, MaxQueue: cfg.MaxQueue}
	m.sys.Add(m.load, m.server)
	if cfg.Dependencies == 0 {
		return m
	}
	m.remote = &service.Dependency{Name: "dependencies", Latency: cfg.DependencyLatency, Failure: cfg.DependencyFailure}
	for i := 0; i < cfg.Dependencies; i++ {
		c := &service.Client{Name: fmt.Sprintf("dependency-%d", i+1), Target: m.remote.Name,
			MaxRetries: cfg.MaxRetries, Backoff: cfg.Backoff}
		if cfg.CircuitBreaker {
			c.Breaker = cfg.Breaker
		}
		m.server.Calls = append(m.server.Calls, c.Name)
		m.deps = append(m.deps, c)
		m.sys.Add(c)
	}
	m.sys.Add(m.remote)
	return m
}

// advice says what the bound on calls held means with cfg's servers.
func (cfg Config) advice(*service.LimitError) string {
	return fmt.Sprintf("%d requests in the system, the limit: the load outruns %d servers and MaxQueue=0 leaves the queue unbounded; set MaxQueue to shed load, add Servers or shorten Duration", maxHeld, cfg.Servers)
}

// result reads the components' metrics as the lesson's Result.
func (m *model) result(cfg Config) *Result {
	srv := m.server
	res := &Result{
		Config:     cfg,
		Arrivals:   m.load.Offered.Total(),
		Waited:     srv.Waited,
		Rejected:   srv.Rejections.Total(),
		Completed:  srv.Throughput.Total(),
		Failed:     srv.Failures.Total(),
		Offered:    m.load.Offered,
		Throughput: srv.Throughput,
		Failures:   srv.Failures,
		Rejections: srv.Rejections,
		Queue:      srv.Queue,
		Busy:       srv.Busy,
		InSystem:   srv.InSystem,
		Wait:       srv.Wait,
		Response:   srv.Response,
		Events:     m.sys.Sim().Events(),
	}
	res.InProgress = res.Arrivals - res.Rejected - res.Completed - res.Failed
	if m.remote != nil {
		res.DependencyCalls = m.remote.Calls.Total()
		res.DependencyFailures = m.remote.Failures.Total()
	}
	for _, c := range m.deps {
		res.Retries += c.Retries.Total()
		res.ShortCircuited += c.ShortCircuited
		res.BreakerOpened += c.BreakerOpened
	}
	nameRate(res.Offered, "offered load")
	nameRate(res.Throughput, "completed")
	nameRate(res.Failures, "failed")
	nameRate(res.Rejections, "rejected")
	nameGauge(res.Queue, "queue length")
	nameGauge(res.Busy, "busy servers")
	nameGauge(res.InSystem, "in system")
	res.Wait.Name, res.Response.Name = "wait", "response time"
	end := sim.FromDuration(cfg.Duration)
	switch cfg.Pattern {
	case Spike:
		res.Spans = []viz.Span{{From: sim.FromDuration(cfg.Spike.Start), To: min(end, sim.FromDuration(cfg.Spike.End())), Label: "spike"}}
	case Bursty:
		for _, b := range m.load.Bursts() {
			res.Spans = append(res.Spans, viz.Span{From: sim.FromDuration(b.Start), To: sim.FromDuration(b.End())})
		}
		if len(res.Spans) > 0 {
			res.Spans[0].Label = "bursts"
		}
	}
	return res
}

// The lesson's figures name the series as the lesson does.
func nameRate(r *metrics.Rate, name string) { r.Series().Name = name }

func nameGauge(g *metrics.Gauge, name string) {
	g.Series().Name = name
	g.MaxSeries().Name = name + " (max)"
}
