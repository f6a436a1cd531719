// Command dsim runs dsim's lessons and experiments from a terminal.
//
//	dsim demo                 the retry-storm lesson: a storm that stays and its twin that recovers
//	dsim run FILE.go          a Go script, interpreted by Yaegi over the compiled library
//	dsim merge FILE.json...   combine the results files of a sweep's shards
//	dsim repl                 an interactive Go prompt over the library
//	dsim SCENARIO [flags]     one run of a lesson's model, any knob set from flags
//	                          (queueing, metastable, quorum, crdt, csi; -h lists the knobs)
//	dsim presets              the presets of every lesson
//	dsim explore              every lesson as a web page of controls (-addr, default 127.0.0.1:8080)
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
	"regexp"
	"strings"
	"time"

	"dsim/kernel/display"
	"dsim/kernel/interp"
	"dsim/sim/scenario"
	"dsim/sim/scenario/registry"
)

const usage = `dsim: learn how distributed systems fail, by simulation.

Usage:
  dsim demo [-out DIR] [-seed N]     run the retry-storm lesson: the storm and its twin side by side
  dsim run [flags] FILE.go [args]    run a Go script (-out DIR, -timeout D, -seed N, -mem SIZE)
  dsim run -shard i/n FILE.go        run only shard i of n of the script's sweeps, writing results files
  dsim merge FILE.json...            combine the shards' results files into the single run's table
  dsim repl                          an interactive Go prompt over the library
  dsim SCENARIO [-preset P] [-KNOB V] one run of a lesson's model; dsim SCENARIO -h lists its knobs
  dsim presets                       list the presets of every lesson
  dsim explore [-addr HOST:PORT]     every lesson as a web page of controls, re-run on every change

Scenarios: %s
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
	usage := fmt.Sprintf(usage, strings.Join(registry.Names(), ", "))
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
	case "presets":
		err = presetsCmd(args[1:], stdout)
	case "explore":
		err = exploreCmd(ctx, args[1:], stdout, stderr)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
	default:
		s, ferr := registry.Find(args[0])
		if ferr != nil {
			hint := scenario.DidYouMean(args[0], append([]string{"demo", "run", "merge", "repl", "presets", "explore", "help"}, registry.Names()...))
			fmt.Fprintf(stderr, "dsim: unknown command %q%s\n\n%s", args[0], hint, usage)
			return 2
		}
		err = scenarioCmd(ctx, s, args[1:], stdout, stderr)
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

// outAndSeed declares the flags of a command that runs a model: -out, the
// folder for figures, and -seed, the root seed (seedDoc says who reads it).
func outAndSeed(fs *flag.FlagSet, seedDoc string) (out *string, seed *uint64) {
	return fs.String("out", "out", "folder where display.Show writes figures"), fs.Uint64("seed", 1, seedDoc)
}

// setUsage sets what -h prints above the flags of a command that takes
// arguments after them.
func setUsage(fs *flag.FlagSet, stderr io.Writer, text string) {
	fs.Usage = func() {
		fmt.Fprintln(stderr, text+"\n\nFlags:")
		fs.PrintDefaults()
	}
}

// parseNeeding parses the flags of a command that needs at least one
// argument after them; need says what it needs.
func parseNeeding(fs *flag.FlagSet, args []string, need string) error {
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return fmt.Errorf("%w: %s needs %s", errUsage, fs.Name(), need)
	}
	return nil
}

func parse(fs *flag.FlagSet, args []string) error {
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: unexpected arguments %q", errUsage, fs.Args())
	}
	return nil
}

// parseFlags parses args into fs. A bad flag is one line, the caller's
// error, naming the flag and what it wants, with the nearest flag for a
// mistyped name; the flags' list is printed for -h only, not after every
// mistake as package flag would.
func parseFlags(fs *flag.FlagSet, args []string) error {
	out, usage := fs.Output(), fs.Usage
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	err := fs.Parse(args)
	fs.SetOutput(out)
	fs.Usage = usage
	switch {
	case err == nil:
		return nil
	case errors.Is(err, flag.ErrHelp):
		if usage != nil {
			usage()
		} else {
			fmt.Fprintf(out, "Usage of %s:\n", fs.Name())
			fs.PrintDefaults()
		}
		return err
	}
	return usageErr(flagError(fs, err))
}

var (
	undefinedFlag = regexp.MustCompile(`^flag provided but not defined: -+(.*)$`)
	badFlagValue  = regexp.MustCompile(`^invalid (?:boolean )?value "(.*)" for flag -(\S+): (.*)$`)
)

// flagError words package flag's errors for people: a mistyped flag names
// the nearest one, and a value Go could not parse says what the flag wants.
func flagError(fs *flag.FlagSet, err error) error {
	msg := err.Error()
	if m := undefinedFlag.FindStringSubmatch(msg); m != nil {
		var names []string
		fs.VisitAll(func(f *flag.Flag) { names = append(names, "-"+f.Name) })
		return fmt.Errorf("unknown flag -%s%s (%s -h lists the flags)", m[1], scenario.DidYouMean("-"+m[1], names), fs.Name())
	}
	m := badFlagValue.FindStringSubmatch(msg)
	if m == nil {
		return err
	}
	value, name, why := m[1], m[2], m[3]
	if why == "parse error" || why == "value out of range" {
		why = "not " + wants(fs.Lookup(name))
	}
	return fmt.Errorf("-%s=%s: %s", name, value, why)
}

// wants says what kind of value a flag of package flag takes, from its
// default.
func wants(f *flag.Flag) string {
	if f == nil {
		return "a valid value"
	}
	if g, ok := f.Value.(flag.Getter); ok {
		switch g.Get().(type) {
		case time.Duration:
			return "a duration from 0 to 2562047h, such as 30s or 5m"
		case bool:
			return "true or false"
		case int, int64:
			return "a whole number"
		case uint, uint64:
			return "a whole number from 0"
		case float64:
			return "a number"
		}
	}
	return "a valid value"
}
