package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"dsim/kernel/display"
	"dsim/sim/dist"
	"dsim/sim/scenario/queueing"
)

func runQueueing(ctx context.Context, cfg queueing.Config, out string, stdout io.Writer) error {
	res, err := queueing.RunContext(ctx, cfg)
	if err != nil {
		return err
	}
	display.SetOutDir(out)
	display.Show(res.Summary())
	fmt.Fprintln(stdout)
	display.Show(res.Verdict())
	display.Show(res.Figures())
	return nil
}

// queueingCmd runs one queueing experiment with knobs from flags, starting
// from a preset (default: the planner's defaults). The preset is found
// first so that every knob flag can be bound to its field, with the
// preset's value as the default -h shows.
func queueingCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	name := presetArg(args, "baseline")
	cfg, err := queueing.PresetConfig(name)
	if err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	fs := newFlags("queueing", stderr)
	fs.String("preset", name, "start from this preset (dsim presets lists them)")
	out := fs.String("out", "out", "folder for figures")
	pattern := string(cfg.Pattern)
	service, depLatency := dist.Value{Dist: cfg.ServiceTime}, dist.Value{Dist: cfg.DependencyLatency}
	fs.Uint64Var(&cfg.Seed, "seed", cfg.Seed, "root seed")
	fs.DurationVar(&cfg.Duration, "duration", cfg.Duration, "virtual time to run")
	fs.Float64Var(&cfg.ArrivalPerMinute, "rate", cfg.ArrivalPerMinute, "base arrival rate, requests per minute")
	fs.StringVar(&pattern, "pattern", pattern, "load pattern: "+fmt.Sprint(queueing.Patterns()))
	fs.Float64Var(&cfg.Multiplier, "multiplier", cfg.Multiplier, "peak of the load pattern, times the base rate")
	fs.IntVar(&cfg.Servers, "servers", cfg.Servers, "servers")
	fs.Var(&service, "service", "service time distribution, e.g. 'exp(500ms)' or 'const(200ms)'")
	fs.IntVar(&cfg.MaxQueue, "max-queue", cfg.MaxQueue, "bound on waiting requests (0 = unbounded)")
	fs.IntVar(&cfg.Dependencies, "deps", cfg.Dependencies, "dependency calls per request")
	fs.Var(&depLatency, "dep-latency", "dependency call latency distribution, e.g. 'exp(100ms)'")
	fs.Float64Var(&cfg.DependencyFailure, "dep-failure", cfg.DependencyFailure, "probability a dependency call fails")
	fs.IntVar(&cfg.MaxRetries, "retries", cfg.MaxRetries, "retries of a failed dependency call")
	fs.BoolVar(&cfg.CircuitBreaker, "breaker", cfg.CircuitBreaker, "guard dependencies with a circuit breaker")
	fs.DurationVar(&cfg.TargetWait, "target-wait", cfg.TargetWait, "mean wait the servers-needed line plans for")
	if err := parse(fs, args); err != nil {
		return err
	}
	cfg.Pattern = queueing.Pattern(pattern)
	cfg.ServiceTime, cfg.DependencyLatency = service.Dist, depLatency.Dist
	if err := cfg.Validate(); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	start := time.Now()
	err = runQueueing(ctx, cfg, *out, stdout)
	if err == nil {
		fmt.Fprintf(stderr, "(ran in %v of wall time)\n", time.Since(start).Round(time.Millisecond))
	}
	return err
}
