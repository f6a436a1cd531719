// Command dsim runs dsim's lessons and experiments from a terminal.
//
//	dsim demo                 the retry-storm lesson: a storm that stays and its twin that recovers
//	dsim run FILE.go          a Go script, interpreted by Yaegi over the compiled library
//	dsim merge FILE.json...   combine the results files of a sweep's shards
//	dsim repl                 an interactive Go prompt over the library
//	dsim metastable [flags]   one retry-storm run with any knob set from flags
//	dsim queueing [flags]     one queueing run with any knob set from flags
//	dsim presets              the presets of every lesson
//
// Figures are written under -out (default "out"); summaries and verdicts go
// to standard output. Ctrl-C stops a long run. Exit status: 0 on success,
// 1 when a run fails (a figure that could not be written included), 2 on
// a usage error, a script's own os.Exit status.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"

	"dsim/kernel/display"
	"dsim/kernel/interp"
	"dsim/sim/scenario/metastable"
	"dsim/sim/scenario/queueing"
)

const usage = `dsim: learn how distributed systems fail, by simulation.

Usage:
  dsim demo [-out DIR] [-seed N]     run the retry-storm lesson: the storm and its twin side by side
  dsim run [flags] FILE.go [args]    run a Go script (-out DIR, -timeout D, -seed N, -mem SIZE)
  dsim run -shard i/n FILE.go        run only shard i of n of the script's sweeps, writing results files
  dsim merge FILE.json...            combine the shards' results files into the single run's table
  dsim repl                          an interactive Go prompt over the library
  dsim metastable [flags]            one retry-storm run; dsim metastable -h lists the knobs
  dsim queueing [flags]              one queueing run; dsim queueing -h lists the knobs
  dsim presets                       list the presets of every lesson

`

func main() {
	interp.Main()
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
	case "run":
		err = runCmd(ctx, args[1:], stdout, stderr)
	case "merge":
		err = mergeCmd(ctx, args[1:], stdout, stderr)
	case "repl":
		err = replCmd(args[1:], stdout, stderr)
	case "metastable":
		err = metastableCmd(ctx, args[1:], stdout, stderr)
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
	if err == nil {
		// A figure or page that could not be written fails the command,
		// naming the file, though the run went on.
		err = display.Err()
	}
	var exit *interp.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &exit):
		return exit.Code // the script's os.Exit, or a worker that said why itself
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		fmt.Fprintln(stderr, "dsim:", strings.TrimPrefix(err.Error(), "usage: "))
		return 2
	}
	fmt.Fprintln(stderr, "dsim:", err)
	return 1
}

// usageErr marks a flag error as the caller's; -h is not an error.
func usageErr(err error) error {
	if errors.Is(err, flag.ErrHelp) {
		return err
	}
	return fmt.Errorf("%w: %v", errUsage, err)
}

func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("dsim "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return usageErr(err)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: unexpected arguments %q", errUsage, fs.Args())
	}
	return nil
}

// presetArg finds the value of -preset (or --preset, -preset=X) in args.
func presetArg(args []string, def string) string {
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
	return def
}

func presets(w io.Writer) {
	fmt.Fprintln(w, "metastable (dsim metastable -preset NAME):")
	for _, p := range metastable.Presets() {
		fmt.Fprintf(w, "  %-18s %s\n", p.Name, p.Description)
	}
	fmt.Fprintln(w, "\nqueueing (dsim queueing -preset NAME):")
	for _, p := range queueing.Presets() {
		fmt.Fprintf(w, "  %-18s %s\n", p.Name, p.Description)
	}
}
