// Command dsim runs dsim's lessons and experiments from a terminal.
//
//	dsim demo                 the queueing lesson: theory against simulation, then a load spike
//	dsim queueing [flags]     one queueing run with any knob set from flags
//	dsim presets              the presets of every lesson
//
// Figures are written under -out (default "out"); summaries and verdicts go
// to standard output. Ctrl-C stops a long run. Exit status: 0 on success,
// 1 when a run fails, 2 on a usage error.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"time"

	"dsim/kernel/display"
	"dsim/sim/dist"
	"dsim/sim/scenario/queueing"
)

const usage = `dsim: learn how distributed systems fail, by simulation.

Usage:
  dsim demo [-out DIR] [-seed N]     run the queueing lesson (theory beside simulation, then a spike)
  dsim queueing [flags]              one queueing run; dsim queueing -h lists the knobs
  dsim presets                       list the presets of every lesson

`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// errUsage marks errors that are the caller's, which exit with status 2.
var errUsage = errors.New("usage")

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	display.SetOutput(stdout)
	var err error
	switch args[0] {
	case "demo":
		err = demo(ctx, args[1:], stdout, stderr)
	case "queueing":
		err = queueingCmd(ctx, args[1:], stdout, stderr)
	case "presets":
		presets(stdout)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
	default:
		fmt.Fprintf(stderr, "dsim: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		fmt.Fprintln(stderr, "dsim:", strings.TrimPrefix(err.Error(), "usage: "))
		return 2
	}
	fmt.Fprintln(stderr, "dsim:", err)
	return 1
}

func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("dsim "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: unexpected arguments %q", errUsage, fs.Args())
	}
	return nil
}

// demo runs the queueing lesson's two headline experiments.
func demo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("demo", stderr)
	out := fs.String("out", "out", "folder for figures")
	seed := fs.Uint64("seed", 1, "root seed")
	if err := parse(fs, args); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "dsim demo: the queueing lesson.")
	for i, name := range []string{"mm4", "spike"} {
		cfg, _ := queueing.PresetConfig(name)
		cfg.Seed = *seed
		if i > 0 {
			fmt.Fprintln(stdout)
		}
		for _, p := range queueing.Presets() {
			if p.Name == name {
				fmt.Fprintf(stdout, "== %s: %s\n\n", p.Name, p.Description)
			}
		}
		if err := runQueueing(ctx, cfg, filepath.Join(*out, name), stdout); err != nil {
			return err
		}
	}
	return nil
}

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
	name := presetArg(args)
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

// presetArg finds the value of -preset (or --preset, -preset=X) in args.
func presetArg(args []string) string {
	for i, a := range args {
		switch {
		case a == "-preset" || a == "--preset":
			if i+1 < len(args) {
				return args[i+1]
			}
		case strings.HasPrefix(a, "-preset=") || strings.HasPrefix(a, "--preset="):
			return a[strings.Index(a, "=")+1:]
		}
	}
	return "baseline"
}

func presets(w io.Writer) {
	fmt.Fprintln(w, "queueing (dsim queueing -preset NAME):")
	for _, p := range queueing.Presets() {
		fmt.Fprintf(w, "  %-18s %s\n", p.Name, p.Description)
	}
}
