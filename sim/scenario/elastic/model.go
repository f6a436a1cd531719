package elastic

import (
	"context"
	"fmt"

	"dsim/sim"
	"dsim/sim/scenario/internal/describe"
	"dsim/sim/service"
	"dsim/sim/viz"
)

// model is one run's composition of service components: a load through a
// client that measures each request, into either a balancer over a group
// of servers sized by an autoscaler, or a function on a platform (with,
// when Neighbour is set, a second function loaded beside it).
type model struct {
	sys       *service.System
	load      *service.Source
	client    *service.Client
	scaler    *service.Autoscaler
	fn, other *service.Function
	platform  *service.Platform
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
		return m.result(cfg)
	})
}

// compose builds the system of cfg: load -> client -> lb -> s1..sMax with
// the scaler on lb, or load -> client -> app on the platform (and
// neighbour -> batch beside it).
func compose(cfg Config) *model {
	m := &model{sys: service.New(service.Config{Seed: cfg.Seed, Duration: cfg.Duration, Window: cfg.Window})}
	m.load = &service.Source{Name: "load", Target: "client", Rate: cfg.Rate, Pattern: cfg.Pattern, Peak: cfg.Peak, Window: cfg.Surge}
	// The client waits as long as it takes and never retries: its latency
	// is each request's time from arrival to answer, and a throttled
	// request fails.
	m.client = &service.Client{Name: "client", Target: "lb"}
	if cfg.Users > 0 {
		m.sys.Add(&service.Users{Name: "users", Target: "client", N: cfg.Users, Think: cfg.Think}, m.client)
	} else {
		m.sys.Add(m.load, m.client)
	}
	if cfg.Deploy == Function {
		m.client.Target = "app"
		m.platform = &service.Platform{Name: "platform", Burst: cfg.Burst, Growth: cfg.Growth, Limit: cfg.Limit}
		m.fn = &service.Function{Name: "app", Service: cfg.Service, ColdStart: cfg.ColdStart, KeepAlive: cfg.KeepAlive,
			Memory: cfg.Memory, Platform: "platform", Reserved: cfg.Reserved}
		m.sys.Add(m.platform, m.fn)
		if cfg.Neighbour > 0 {
			m.other = &service.Function{Name: "batch", Service: cfg.Service, ColdStart: cfg.ColdStart, KeepAlive: cfg.KeepAlive,
				Memory: cfg.Memory, Platform: "platform"}
			m.sys.Add(&service.Source{Name: "neighbour", Target: "batch", Rate: cfg.Neighbour}, m.other)
		}
		return m
	}
	names := make([]string, cfg.Max)
	for i := range names {
		names[i] = fmt.Sprintf("s%d", i+1)
		m.sys.Add(&service.Server{Name: names[i], Slots: cfg.Slots, Service: cfg.Service})
	}
	m.scaler = &service.Autoscaler{Name: "scaler", Group: "lb", Policy: cfg.Policy, Min: cfg.Min, Max: cfg.Max, Initial: cfg.Initial,
		ScaleOutAt: cfg.ScaleOutAt, ScaleInAt: cfg.ScaleInAt, Step: cfg.Step, Period: cfg.Period, Warmup: cfg.Warmup, Cooldown: cfg.Cooldown}
	if cfg.Policy == service.StepScaling && cfg.InStep > 0 && cfg.InStep != cfg.Step {
		// Scaling out by Step from the threshold up, in by InStep: two
		// policies, as a cloud's step scaling has one per direction.
		m.scaler.Step = cfg.InStep
		m.scaler.Steps = []service.ScalingStep{{Above: cfg.ScaleOutAt, Add: cfg.Step}}
	}
	m.sys.Add(&service.Balancer{Name: "lb", Backends: names, Policy: service.LeastOutstanding}, m.scaler)
	return m
}

// advice says what the bound on calls held means here.
func advice(lim *service.LimitError) string {
	return fmt.Sprintf("%d requests held at once, the limit: the group fell so far behind that its queue outgrew the run; raise Max, or shorten Duration", lim.Value)
}

// result reads the components' metrics as the lesson's Result.
func (m *model) result(cfg Config) (*Result, error) {
	bill, err := m.sys.Cost(service.ListPrices())
	if err != nil {
		return nil, err
	}
	c := m.client
	res := &Result{
		Config:   cfg,
		Requests: c.Requests.Total(),
		Answered: c.Goodput.Total(),
		Failed:   c.Failures.Total(),
		Latency:  c.Latency,
		Offered:  c.Requests,
		Goodput:  c.Goodput,
		Bill:     bill,
		Events:   m.sys.Sim().Events(),
		Table:    m.sys.Table(),
	}
	res.Latency.Name = "response time"
	res.Offered.Series().Name, res.Goodput.Series().Name = "offered", "answered"
	if m.scaler != nil {
		s := m.scaler
		res.Group = &GroupStats{Instances: s.Instances, Serving: s.Serving, Utilisation: s.Utilisation,
			Launches: s.Launches, Terminations: s.Terminations, Reversals: s.Reversals}
		res.InstanceHours = s.InstanceHours()
	} else {
		res.Fn = m.fnStats(m.fn)
		res.InstanceHours = m.fn.Instances.Integral(m.sys.Sim().Now()) / 3600
		if m.other != nil {
			res.Neighbour = m.fnStats(m.other)
		}
	}
	res.Spans = spans(cfg)
	return res, nil
}

func (m *model) fnStats(f *service.Function) *FunctionStats {
	return &FunctionStats{Name: f.Name, Calls: f.Calls.Total(), Throttled: f.Throttles.Total(), Throttles: f.Throttles,
		Concurrency: f.Busy, Instances: f.Instances, ColdStarts: f.ColdStarts, WarmStarts: f.WarmStarts,
		GBSeconds: f.GBSeconds(), FirstThrottle: m.platform.FirstThrottle, PlatformThrottled: m.platform.Throttled}
}

// spans are the windows figures shade: the surge of a ramp or spike.
func spans(cfg Config) []viz.Span {
	var label string
	switch {
	case cfg.Users > 0:
		return nil
	case cfg.Pattern == service.Spike:
		label = fmt.Sprintf("spike to %g req/s", cfg.Peak)
	case cfg.Pattern == service.Ramp || cfg.Pattern == service.RampUpDown:
		label = fmt.Sprintf("ramp to %g req/s", cfg.Peak)
	default:
		return nil
	}
	to := cfg.Duration
	if cfg.Surge.Duration > 0 {
		to = min(to, cfg.Surge.End())
	}
	return []viz.Span{{From: sim.FromDuration(cfg.Surge.Start), To: sim.FromDuration(to), Label: label}}
}
