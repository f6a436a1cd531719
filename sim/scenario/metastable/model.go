package metastable

import (
	"context"
	"fmt"
	"strings"

	"dsim/sim"
	"dsim/sim/dist"
	"dsim/sim/metrics"
	"dsim/sim/scenario/internal/describe"
	"dsim/sim/service"
	"dsim/sim/viz"
)

// model is one run's composition of service components: a load (open-loop
// arrivals or closed-loop users), the clients' protections as one client,
// and the server, with the trigger's capacity drop and slowdown as faults
// on it.
type model struct {
	sys    *service.System
	client *service.Client
	server *service.Server
}

// Run validates cfg and runs the experiment.
func Run(cfg Config) (*Result, error) { return RunContext(context.Background(), cfg) }

// RunContext is Run with a context that can interrupt a long run.
func RunContext(ctx context.Context, cfg Config) (*Result, error) {
	return describe.Run(ctx, cfg, Config.Validate, Config.withDefaults, func(ctx context.Context, cfg Config) (*Result, error) {
		m := compose(cfg)
		if err := describe.RunSystem(ctx, knobs, m.sys, advice); err != nil {
			return nil, err
		}
		return m.result(cfg), nil
	})
}

// compose builds the system of cfg: load -> clients -> server.
func compose(cfg Config) *model {
	// The streams the model drew from before it was built of components,
	// so that its runs, and the numbers the lessons print, stay the same.
	streams := map[string]string{"arrivals/arrivals": "arrivals", "server/service": "service", "users/think": "clients/think"}
	m := &model{sys: service.New(service.Config{Seed: cfg.Seed, Duration: cfg.Duration, Window: cfg.Window, MaxCalls: maxInSystem, StreamNames: streams})}
	from, to, trig := cfg.trigger()
	window := sim.Window{Start: from, Duration: to - from}
	if cfg.Clients > 0 {
		m.sys.Add(&service.Users{Name: "users", Target: "clients", N: cfg.Clients,
			Think: dist.AsDuration(dist.Exp(cfg.ThinkTime.Seconds()))})
	} else {
		load := &service.Source{Name: "arrivals", Target: "clients", Rate: cfg.BaseRate, Peak: cfg.SpikeRate, Window: window}
		switch cfg.Pattern {
		case Spike:
			load.Pattern = service.Spike
		case Ramp:
			load.Pattern = service.Ramp
		case Stepped:
			load.Pattern = service.Stepped
			for _, s := range cfg.Schedule {
				load.Schedule = append(load.Schedule, service.Step{At: s.At, Rate: s.Rate})
			}
		}
		m.sys.Add(load)
	}
	m.client = &service.Client{Name: "clients", Target: "server", Timeout: cfg.Timeout, MaxRetries: cfg.MaxRetries,
		Backoff: cfg.Backoff, RetryBudget: cfg.RetryBudget, BudgetBurst: cfg.BudgetBurst}
	if cfg.CircuitBreaker {
		m.client.Breaker = cfg.Breaker
	}
	m.server = &service.Server{Name: "server", Slots: cfg.Capacity, Service: cfg.Service, Slope: cfg.Slope,
		Discipline: service.Discipline(cfg.Discipline), MaxQueue: cfg.MaxQueue,
		Cancellation: cfg.Cancellation, DeadlineAdmission: cfg.DeadlineAdmission}
	m.sys.Add(m.client, m.server)
	if trig && cfg.CapacityDrop > 0 {
		m.sys.Schedule(service.Fault{Target: "server", Kind: service.CapacityDrop, Window: window, Share: cfg.CapacityDrop})
	}
	if trig && cfg.Slowdown > 1 {
		m.sys.Schedule(service.Fault{Target: "server", Kind: service.Slowdown, Window: window, Factor: cfg.Slowdown})
	}
	return m
}

// advice says what the bound on calls held means here.
func advice(*service.LimitError) string {
	return fmt.Sprintf("more than %d requests and attempts held at once: set MaxQueue to bound the queue", maxInSystem)
}

// result reads the components' metrics as the lesson's Result.
func (m *model) result(cfg Config) *Result {
	cl, srv := m.client, m.server
	res := &Result{
		Config:         cfg,
		Requests:       cl.Requests.Total(),
		Succeeded:      cl.Goodput.Total(),
		Failed:         cl.Failures.Total(),
		FirstAttempts:  cl.FirstAttempts,
		Retries:        cl.Retries.Total(),
		Attempts:       cl.Attempts.Total(),
		Timeouts:       cl.Timeouts.Total(),
		Rejected:       srv.Rejections.Total(),
		Dropped:        srv.Dropped,
		Served:         srv.Throughput.Total(),
		Wasted:         srv.Wasted.Total(),
		HeldAtEnd:      int64(srv.Held()),
		ShortCircuited: cl.ShortCircuited,
		BudgetDenied:   cl.BudgetDenied,
		BreakerOpened:  cl.BreakerOpened,
		Rates: Rates{
			Offered:    named(cl.Requests, "offered load"),
			Attempts:   named(cl.Attempts, "attempts"),
			Retries:    named(cl.Retries, "retries"),
			Goodput:    named(cl.Goodput, "goodput"),
			Throughput: named(srv.Throughput, "server throughput"),
			Wasted:     named(srv.Wasted, "wasted work"),
			Timeouts:   named(cl.Timeouts, "timeouts"),
			Rejections: named(srv.Rejections, "rejections"),
			Failures:   named(cl.Failures, "failed requests"),
		},
		Queue:    namedGauge(srv.Queue, "queue length"),
		InFlight: namedGauge(srv.Busy, "in service"),
		Latency:  cl.Latency,
		Events:   m.sys.Sim().Events(),
	}
	res.Latency.Name = "client latency"
	res.Unfinished = res.Requests - res.Succeeded - res.Failed
	res.offeredBy, res.succeededBy = cl.ByArrival()
	if from, to, ok := cfg.trigger(); ok {
		res.Spans = []viz.Span{{From: sim.FromDuration(from), To: sim.FromDuration(to), Label: cfg.triggerLabel()}}
	}
	return res
}

// The lesson's figures name the series as the lesson does.
func named(r *metrics.Rate, name string) *metrics.Rate {
	r.Series().Name = name
	return r
}

func namedGauge(g *metrics.Gauge, name string) *metrics.Gauge {
	g.Series().Name = name
	g.MaxSeries().Name = name + " (max)"
	return g
}

// triggerLabel names the trigger for figure legends.
func (c Config) triggerLabel() string {
	var parts []string
	switch c.Pattern {
	case Spike:
		parts = append(parts, fmt.Sprintf("spike to %g/s", c.SpikeRate))
	case Ramp:
		parts = append(parts, fmt.Sprintf("ramp to %g/s", c.SpikeRate))
	case Stepped:
		parts = append(parts, "load step")
	}
	if c.CapacityDrop > 0 {
		parts = append(parts, fmt.Sprintf("%.0f%% of slots lost", 100*c.CapacityDrop))
	}
	if c.Slowdown > 1 {
		parts = append(parts, fmt.Sprintf("%g× slower", c.Slowdown))
	}
	return strings.Join(parts, ", ")
}
