package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"dsim/kernel/display"
	"dsim/sim/resilience"
	"dsim/sim/scenario/metastable"
)

// demo runs the retry-storm lesson: the storm and its twin side by side,
// then the tipping point.
func demo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("demo", stderr)
	out := fs.String("out", "out", "folder for figures")
	seed := fs.Uint64("seed", 1, "root seed")
	if err := parse(fs, args); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "dsim demo: the retry-storm lesson.")
	names := []string{"storm", "recovery"}
	var results []*metastable.Result
	for _, name := range names {
		cfg, _ := metastable.PresetConfig(name)
		cfg.Seed = *seed
		for _, p := range metastable.Presets() {
			if p.Name == name {
				fmt.Fprintf(stdout, "\n== %s: %s\n\n", p.Name, p.Description)
			}
		}
		res, err := runMetastable(ctx, cfg, filepath.Join(*out, name), name)
		if err != nil {
			return err
		}
		results = append(results, res)
	}
	fmt.Fprintln(stdout, "\n== side by side")
	display.SetOutDir(*out)
	fmt.Fprintln(stdout)
	display.Show(metastable.CompareTable(names, results...))
	fig, err := metastable.Compare(names, results...)
	if err != nil {
		return err
	}
	display.Show(fig)

	fmt.Fprintln(stdout, "\n== the tipping point: the storm's clients with a 1.5s timeout, as contention grows")
	fmt.Fprintln(stdout)
	cfg, _ := metastable.PresetConfig("tipping")
	cfg.Seed = *seed
	var slopes []time.Duration
	for ms := 4; ms <= 14; ms++ {
		slopes = append(slopes, time.Duration(ms)*time.Millisecond)
	}
	tab, tfig, err := metastable.Tipping(cfg, slopes)
	if err != nil {
		return err
	}
	display.Show(tab)
	display.Show(tfig)
	return nil
}

func runMetastable(ctx context.Context, cfg metastable.Config, out, name string) (*metastable.Result, error) {
	res, err := metastable.RunContext(ctx, cfg)
	if err != nil {
		return nil, err
	}
	display.SetOutDir(out)
	display.Show(res.Summary())
	display.Show([]any{res.StoryFigure(name), res.QueueFigure(name), res.LatencyFigure(name), res.DistributionFigure(name)})
	return res, nil
}

// metastableCmd runs one retry-storm experiment with knobs from flags,
// starting from a preset (default: the seed simulator's defaults).
func metastableCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	name := presetArg(args, "seed")
	cfg, err := metastable.PresetConfig(name)
	if err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	fs := newFlags("metastable", stderr)
	fs.String("preset", name, "start from this preset (dsim presets lists them)")
	out := fs.String("out", "out", "folder for figures")
	pattern, discipline, backoff := string(cfg.Pattern), string(cfg.Discipline), string(cfg.Backoff.Kind)
	fs.Uint64Var(&cfg.Seed, "seed", cfg.Seed, "root seed")
	fs.DurationVar(&cfg.Duration, "duration", cfg.Duration, "virtual time to run")
	fs.DurationVar(&cfg.Window, "window", cfg.Window, "width of the metric windows")
	fs.StringVar(&pattern, "pattern", pattern, "load pattern: "+fmt.Sprint(metastable.Patterns()))
	fs.Float64Var(&cfg.BaseRate, "rate", cfg.BaseRate, "base offered load, requests per second")
	fs.Float64Var(&cfg.SpikeRate, "spike-rate", cfg.SpikeRate, "peak of the spike or ramp, requests per second")
	fs.DurationVar(&cfg.TriggerStart, "trigger-start", cfg.TriggerStart, "when the spike, ramp, capacity drop or slowdown starts")
	fs.DurationVar(&cfg.TriggerDuration, "trigger-duration", cfg.TriggerDuration, "how long it lasts")
	fs.IntVar(&cfg.Clients, "clients", cfg.Clients, "closed-loop clients instead of open-loop arrivals (0 = open loop)")
	fs.DurationVar(&cfg.ThinkTime, "think", cfg.ThinkTime, "closed-loop clients' mean think time")
	fs.IntVar(&cfg.Capacity, "capacity", cfg.Capacity, "requests served at once")
	fs.DurationVar(&cfg.BaseLatency, "base-latency", cfg.BaseLatency, "service time with no contention")
	fs.DurationVar(&cfg.Slope, "slope", cfg.Slope, "extra service time per request in service")
	fs.Float64Var(&cfg.ServiceCV, "service-cv", cfg.ServiceCV, "coefficient of variation of the service time (0 = fixed)")
	fs.IntVar(&cfg.MaxQueue, "max-queue", cfg.MaxQueue, "bound on waiting requests (0 = unbounded)")
	fs.StringVar(&discipline, "discipline", discipline, "queue order: fifo or lifo")
	fs.BoolVar(&cfg.Cancellation, "cancel", cfg.Cancellation, "drop abandoned work when it reaches the head of the queue")
	fs.BoolVar(&cfg.DeadlineAdmission, "deadline-admission", cfg.DeadlineAdmission, "reject work that cannot finish before its timeout")
	fs.Float64Var(&cfg.CapacityDrop, "capacity-drop", cfg.CapacityDrop, "share of the slots lost during the trigger")
	fs.Float64Var(&cfg.Slowdown, "slowdown", cfg.Slowdown, "service time multiplier during the trigger")
	fs.DurationVar(&cfg.Timeout, "timeout", cfg.Timeout, "client timeout per attempt")
	fs.IntVar(&cfg.MaxRetries, "retries", cfg.MaxRetries, "retries after a timeout or rejection")
	fs.StringVar(&backoff, "backoff", backoff, "backoff: "+fmt.Sprint(resilience.BackoffKinds()))
	fs.DurationVar(&cfg.Backoff.Base, "backoff-base", cfg.Backoff.Base, "first retry's backoff")
	fs.DurationVar(&cfg.Backoff.Cap, "backoff-cap", cfg.Backoff.Cap, "longest backoff")
	fs.Float64Var(&cfg.Backoff.Jitter, "jitter", cfg.Backoff.Jitter, "exponential backoff's jitter, ± share")
	fs.Float64Var(&cfg.RetryBudget, "budget", cfg.RetryBudget, "retries at most this share of first attempts (0 = no budget)")
	fs.BoolVar(&cfg.CircuitBreaker, "breaker", cfg.CircuitBreaker, "clients share a circuit breaker")
	if err := parse(fs, args); err != nil {
		return err
	}
	cfg.Pattern, cfg.Discipline, cfg.Backoff.Kind = metastable.Pattern(pattern), metastable.Discipline(discipline), resilience.BackoffKind(backoff)
	if err := cfg.Validate(); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	start := time.Now()
	if _, err := runMetastable(ctx, cfg, *out, ""); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "(ran in %v of wall time)\n", time.Since(start).Round(time.Millisecond))
	return nil
}
