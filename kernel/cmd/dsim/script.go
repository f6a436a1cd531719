package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"dsim/kernel/display"
	"dsim/kernel/interp"
	"dsim/sim/sweep"
)

// runCmd runs a script: dsim run [flags] FILE.go [args]. The script runs
// in a worker process under a memory limit (interp.Supervise): this
// process checks the command line, starts the worker with the same one,
// and turns a crash into one line.
func runCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("run", stderr)
	out, seed := outAndSeed(fs, "root seed, read by scripts with script.Seed()")
	timeout := fs.Duration("timeout", 0, "stop the script after this long (0 = no limit)")
	shard := fs.String("shard", "", "run only shard i/n of every sweep and write its results file under -out (default: from SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX)")
	shards := fs.Int("shards", 0, "the number of shards, with an index from SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX (default: DSIM_SHARDS or SLURM_ARRAY_TASK_COUNT)")
	mem := memFlag(fs)
	setUsage(fs, stderr, "Usage: dsim run [flags] FILE.go [args]\n\nRuns a Go script (package main) with the dsim library, no compiler needed.")
	if err := parseNeeding(fs, args, "a script: dsim run FILE.go"); err != nil {
		return err
	}
	file := fs.Arg(0)
	if _, err := os.Stat(file); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if *timeout < 0 {
		return fmt.Errorf("%w: -timeout=%v must be positive", errUsage, *timeout)
	}
	lim, err := mem.limits()
	if err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	sh, err := shardFor(*shard, *shards, os.Getenv)
	if err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if !interp.IsWorker() {
		return interp.Supervise(ctx, interp.Process{
			Args: append([]string{"run"}, args...), Stdin: os.Stdin, Stdout: stdout, Stderr: stderr,
			Limits: lim, Timeout: *timeout,
		})
	}
	if *timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, *timeout)
		defer cancel()
	}
	ctx = sweep.WithShard(ctx, sh, *out)
	h := interp.New(interp.Options{Stdout: stdout, Stderr: stderr, OutDir: *out, Seed: *seed, Args: fs.Args()[1:],
		Exit: func(code int) {
			if err := display.Err(); err != nil && code == 0 {
				fmt.Fprintln(stderr, "dsim:", err)
				code = 1
			}
			os.Exit(code)
		}})
	return h.RunFile(ctx, file)
}

// replCmd starts the REPL on the terminal.
func replCmd(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("repl", stderr)
	out, seed := outAndSeed(fs, "root seed, read with script.Seed()")
	mem := memFlag(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	lim, err := mem.limits()
	if err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	return interp.REPL(interp.Options{Stdout: stdout, Stderr: stderr, OutDir: *out, Seed: *seed}, lim, interp.HistoryFile())
}

// memValue is the -mem flag: the memory limit of the worker that runs
// user code, DSIM_MEM when the flag is not given.
type memValue struct{ s string }

func memFlag(fs *flag.FlagSet) *memValue {
	m := &memValue{}
	fs.Var(m, "mem", fmt.Sprintf("memory limit of the script, such as 4GiB (default: %s or %s; its stack may use an eighth, at most 1 GiB)", interp.MemoryEnv, interp.FormatSize(interp.DefaultMemory)))
	return m
}

func (m *memValue) String() string { return m.s }
func (m *memValue) Set(s string) error {
	if _, err := interp.ParseSize(s); err != nil {
		return err
	}
	m.s = s
	return nil
}

func (m *memValue) limits() (interp.Limits, error) {
	if m.s == "" {
		return interp.LimitsFromEnv()
	}
	n, _ := interp.ParseSize(m.s)
	l := interp.Limits{Memory: n}
	if err := l.Validate(); err != nil {
		return l, fmt.Errorf("-mem=%s: must be at least %s", m.s, interp.FormatSize(interp.MinMemory))
	}
	return l, nil
}
