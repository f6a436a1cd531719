package cache

import (
	"context"
	"fmt"

	"dsim/sim"
	"dsim/sim/metrics"
	"dsim/sim/scenario/internal/describe"
	"dsim/sim/service"
)

// model is one run's composition of service components: a load of keys,
// the clients' protections as one client, the cache and the database,
// with the flush as a fault on the cache.
type model struct {
	sys    *service.System
	load   *service.Source
	client *service.Client
	cache  *service.Cache
	db     *service.Server
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

// compose builds the system of cfg: load -> clients -> cache -> database.
func compose(cfg Config) *model {
	m := &model{sys: service.New(service.Config{Seed: cfg.Seed, Duration: cfg.Duration, Window: cfg.Window, MaxCalls: maxHeld})}
	m.load = &service.Source{Name: "load", Target: "clients", Rate: cfg.Rate,
		Keys: service.Keys{N: cfg.Keys, Skew: cfg.Skew}, Writes: cfg.Writes}
	m.client = &service.Client{Name: "clients", Target: "cache", Timeout: cfg.Timeout, MaxRetries: cfg.MaxRetries,
		Backoff: cfg.Backoff, RetryBudget: cfg.RetryBudget, BudgetBurst: cfg.BudgetBurst}
	if cfg.CircuitBreaker {
		m.client.Breaker = cfg.Breaker
	}
	m.cache = &service.Cache{Name: "cache", Backend: "db", Capacity: cfg.Capacity, Eviction: cfg.Eviction, TTL: cfg.TTL,
		Coalesce: cfg.Coalesce, WritePolicy: cfg.WritePolicy, LookAside: cfg.LookAside}
	if cfg.TTL > 0 {
		m.cache.EarlyRefresh = cfg.EarlyRefresh // with no expiry there is nothing to refresh early
	}
	if cfg.Warm {
		m.cache.Preload = cfg.Capacity
	}
	m.db = &service.Server{Name: "db", Slots: cfg.DBSlots, Service: cfg.DBService}
	m.sys.Add(m.load, m.client, m.cache, m.db)
	if cfg.flushed() {
		m.sys.Schedule(service.Fault{Target: "cache", Kind: service.Flush, Window: sim.Window{Start: cfg.FlushAt}})
	}
	return m
}

// advice says what the bound on calls held means here.
func advice(*service.LimitError) string {
	return fmt.Sprintf("more than %d requests and attempts held at once: the database's queue grows without bound; shorten the run or give the clients fewer retries", maxHeld)
}

// result reads the components' metrics as the lesson's Result, and puts
// Che's approximation beside them.
func (m *model) result(cfg Config) *Result {
	cl, c, db := m.client, m.cache, m.db
	res := &Result{
		Config:         cfg,
		End:            m.sys.Sim().Now().Duration(),
		Requests:       cl.Requests.Total(),
		Succeeded:      cl.Goodput.Total(),
		Failed:         cl.Failures.Total(),
		Attempts:       cl.Attempts.Total(),
		Retries:        cl.Retries.Total(),
		Timeouts:       cl.Timeouts.Total(),
		Reads:          c.Reads.Total(),
		Writes:         c.Writes.Total(),
		Hits:           c.Hits.Total(),
		Fetches:        c.Fetches.Total(),
		Stale:          c.Stale,
		Expired:        c.Expired,
		Coalesced:      c.Coalesced,
		Refreshes:      c.Refreshes,
		Unfilled:       c.Unfilled,
		Served:         db.Throughput.Total(),
		Wasted:         db.Wasted.Total(),
		HeldAtEnd:      int64(db.Held()),
		ShortCircuited: cl.ShortCircuited,
		BudgetDenied:   cl.BudgetDenied,
		BreakerOpened:  cl.BreakerOpened,
		Series: Series{
			Offered:   named(cl.Requests.Series(), "requests"),
			Attempts:  named(cl.Attempts.Series(), "attempts"),
			Goodput:   named(cl.Goodput.Series(), "answered"),
			Reads:     c.Reads.Series(),
			Hits:      c.Hits.Series(),
			Fetches:   named(c.Fetches.Series(), "cache fetches"),
			DBArrived: named(db.Arrivals.Series(), "database arrivals"),
			DBServed:  named(db.Throughput.Series(), "database throughput"),
			DBHeld:    named(db.InSystem.Series(), "database backlog"),
		},
		Latency:   cl.Latency,
		DBLatency: db.Response,
		Events:    m.sys.Sim().Events(),
	}
	res.Latency.Name = "client latency"
	res.offeredBy, res.answeredBy = cl.ByArrival()
	res.Che = CheApprox(cfg.Keys, cfg.Skew, cfg.Capacity)
	return res
}

// named gives a series the name the lesson's figures use.
func named(s *metrics.Series, name string) *metrics.Series {
	s.Name = name
	return s
}
