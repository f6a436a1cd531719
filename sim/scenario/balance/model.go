package balance

import (
	"context"
	"fmt"

	"dsim/sim"
	"dsim/sim/scenario/internal/describe"
	"dsim/sim/service"
	"dsim/sim/viz"
)

// model is one run's composition of service components: a Poisson load
// carrying keys, a client that measures each request from its arrival to
// its answer, the balancer, and the servers.
type model struct {
	sys     *service.System
	load    *service.Source
	clients *service.Client
	lb      *service.Balancer
	servers []*service.Server
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

// compose builds the system of cfg: load -> clients -> lb -> s1..sN, with
// the slow servers' and the leaving server's faults scheduled.
func compose(cfg Config) *model {
	m := &model{sys: service.New(service.Config{Seed: cfg.Seed, Duration: cfg.Duration, Window: cfg.Window})}
	var names []string
	for i := 1; i <= cfg.Servers; i++ {
		s := &service.Server{Name: fmt.Sprintf("s%d", i), Slots: cfg.Slots, Service: cfg.Service}
		m.servers = append(m.servers, s)
		names = append(names, s.Name)
	}
	keys := service.Keys{N: cfg.Keys, Skew: cfg.KeySkew}
	m.load = &service.Source{Name: "load", Target: "clients", Rate: cfg.Rate(), Keys: keys}
	// The client waits as long as it takes and never retries: its latency
	// is each request's time in the system.
	m.clients = &service.Client{Name: "clients", Target: "lb"}
	m.lb = &service.Balancer{Name: "lb", Backends: names, Policy: cfg.Policy, Choices: cfg.Choices,
		LoadAge: cfg.LoadAge, LoadBound: cfg.LoadBound}
	m.sys.Add(m.load, m.clients, m.lb)
	for _, s := range m.servers {
		m.sys.Add(s)
	}
	if cfg.SlowFactor > 0 {
		for _, s := range m.servers[:cfg.SlowServers] {
			m.sys.Schedule(service.Fault{Target: s.Name, Kind: service.Slowdown, Factor: cfg.SlowFactor, Window: cfg.Slow})
		}
	}
	if cfg.LeaveAt > 0 {
		m.sys.Schedule(service.Fault{Target: m.servers[cfg.Servers-1].Name, Kind: service.Crash, Window: sim.Window{Start: cfg.LeaveAt}})
	}
	return m
}

// advice says what the bound on calls held means here.
func advice(lim *service.LimitError) string {
	return fmt.Sprintf("%d requests held at once, the limit: a server fell so far behind that its queue outgrew the run; shorten Duration or lower Load", lim.Value)
}

// result reads the components' metrics as the lesson's Result.
func (m *model) result(cfg Config) *Result {
	c := m.clients
	res := &Result{
		Config:   cfg,
		Requests: c.Requests.Total(),
		Answered: c.Goodput.Total(),
		Failed:   c.Failures.Total(),
		Offered:  c.Requests,
		Goodput:  c.Goodput,
		Latency:  c.Latency,
		Remapped: m.lb.Remapped,
		Moved:    m.lb.Moved,
		Events:   m.sys.Sim().Events(),
		Table:    m.sys.Table(),
	}
	res.Latency.Name = "time in system"
	res.Offered.Series().Name, res.Goodput.Series().Name = "offered", "answered"
	for i, s := range m.servers {
		s.Queue.MaxSeries().Name = s.Name
		res.Servers = append(res.Servers, ServerStats{
			Name:           s.Name,
			Calls:          m.lb.Picks[i],
			MaxOutstanding: m.lb.MaxOutstanding[i],
			MaxQueue:       int(s.Queue.Max()),
			Busy:           s.Busy.Mean() / float64(cfg.Slots),
			InSystem:       s.InSystem,
			P99:            s.Response.Quantile(0.99).Duration(),
			Queue:          s.Queue,
			Arrivals:       s.Arrivals,
		})
	}
	end := cfg.Duration
	if cfg.SlowFactor > 0 {
		to := end
		if cfg.Slow.Duration > 0 {
			to = min(end, cfg.Slow.End())
		}
		label := fmt.Sprintf("%s %g× slower", serverRange(cfg.SlowServers), cfg.SlowFactor)
		res.Spans = append(res.Spans, viz.Span{From: sim.FromDuration(cfg.Slow.Start), To: sim.FromDuration(to), Label: label})
	}
	if cfg.LeaveAt > 0 {
		res.Spans = append(res.Spans, viz.Span{From: sim.FromDuration(cfg.LeaveAt), To: sim.FromDuration(end),
			Label: fmt.Sprintf("s%d gone", cfg.Servers)})
	}
	return res
}

// serverRange names the first n servers: "s1", "s1–s3".
func serverRange(n int) string {
	if n == 1 {
		return "s1"
	}
	return fmt.Sprintf("s1–s%d", n)
}
