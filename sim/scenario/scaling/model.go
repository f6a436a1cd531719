package scaling

import (
	"context"
	"errors"
	"fmt"

	"dsim/sim"
	"dsim/sim/dist"
	"dsim/sim/scenario/internal/describe"
	"dsim/sim/service"
)

// Run validates cfg and runs the experiment.
func Run(cfg Config) (*Result, error) { return RunContext(context.Background(), cfg) }

// RunContext is Run with a context that can interrupt a long run.
func RunContext(ctx context.Context, cfg Config) (*Result, error) {
	return describe.Run(ctx, cfg, Config.Validate, Config.withDefaults, execute)
}

// execute runs cfg, validated and with its defaults filled.
func execute(ctx context.Context, cfg Config) (*Result, error) {
	res := &Result{Config: cfg}
	for _, level := range cfg.levels() {
		p, err := cfg.point(ctx, level)
		if err != nil {
			return nil, err
		}
		res.Points = append(res.Points, p)
		res.Events += p.events
	}
	if cfg.Experiment == Threads {
		res.Amdahl, res.USL = fitAll(res.Points)
	}
	return res, nil
}

// point runs one population or parallelism, each with its own system on
// the run's seed, and puts exact MVA beside it.
func (c Config) point(ctx context.Context, level int) (Point, error) {
	users, sys, stations := c.compose(level)
	if err := sys.Run(ctx); err != nil {
		var lim *service.LimitError
		var run *sim.Error
		if errors.As(err, &lim) && errors.As(err, &run) {
			run.Err = fmt.Errorf("scaling: %d requests held at once, the limit; lower Users or Threads", lim.Value)
		}
		return Point{}, err
	}
	net := c.network(level)
	theory, err := net.At(level)
	if err != nil {
		return Point{}, err
	}
	// Each user starts after one think time, so the run's first think
	// time holds no answers.
	span := c.Duration - net.Think
	p := Point{N: level, X: float64(users.Answered) / span.Seconds(), R: users.Response.Mean().Duration(),
		MVA: theory, Think: net.Think, events: sys.Sim().Events()}
	for _, s := range stations {
		p.Busy = append(p.Busy, s.Utilisation())
	}
	return p, nil
}

// compose builds the system of one point. Users: N users -> front (a
// thread per user, no work of its own) -> web, database, disk in turn,
// each one server in FIFO order. Threads: p threads whose own work is
// their think time -> the lock, one server whose hold grows by Coherency
// per other thread.
func (c Config) compose(level int) (*service.Users, *service.System, []*service.Server) {
	sys := service.New(service.Config{Seed: c.Seed, Duration: c.Duration})
	if c.Experiment == Threads {
		hold := c.Lock
		if c.Coherency > 0 {
			hold = dist.AsDuration(dist.Shift(float64(level-1)*c.Coherency.Seconds(), c.Lock))
		}
		lock := &service.Server{Name: "lock", Slots: 1, Service: hold}
		users := &service.Users{Name: "threads", Target: "lock", N: level, Think: c.Work}
		sys.Add(users, lock)
		return users, sys, []*service.Server{lock}
	}
	stations := []*service.Server{
		{Name: "web", Slots: 1, Service: c.Web},
		{Name: "database", Slots: 1, Service: c.Database},
		{Name: "disk", Slots: 1, Service: c.Disk},
	}
	users := &service.Users{Name: "users", Target: "front", N: level, Think: c.Think}
	front := &service.Server{Name: "front", Slots: level, Service: dist.MustParse("const(0s)"), Calls: []string{"web", "database", "disk"}}
	sys.Add(users, front)
	for _, s := range stations {
		sys.Add(s)
	}
	return users, sys, stations
}
