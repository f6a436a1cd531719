package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"dsim/kernel/interp"
	"dsim/sim/sweep"
)

// runCmd runs a script: dsim run [flags] FILE.go [args].
func runCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("run", stderr)
	out := fs.String("out", "out", "folder where display.Show writes figures")
	timeout := fs.Duration("timeout", 0, "stop the script after this long (0 = no limit)")
	seed := fs.Uint64("seed", 1, "root seed, read by scripts with script.Seed()")
	shard := fs.String("shard", "", "run only shard i/n of every sweep and write its results file under -out (default: from SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX)")
	shards := fs.Int("shards", 0, "the number of shards, with an index from SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX (default: DSIM_SHARDS or SLURM_ARRAY_TASK_COUNT)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: dsim run [flags] FILE.go [args]\n\nRuns a Go script (package main) with the dsim library, no compiler needed.\n\nFlags:")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return usageErr(err)
	}
	if fs.NArg() == 0 {
		return fmt.Errorf("%w: dsim run needs a script: dsim run FILE.go", errUsage)
	}
	file := fs.Arg(0)
	if _, err := os.Stat(file); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if *timeout < 0 {
		return fmt.Errorf("%w: -timeout=%v must be positive", errUsage, *timeout)
	}
	if *timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, *timeout)
		defer cancel()
	}
	sh, err := shardFor(*shard, *shards, os.Getenv)
	if err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	sweep.SetShard(sh, *out)
	defer sweep.SetShard(sweep.Shard{}, "")
	h := interp.New(interp.Options{Stdout: stdout, Stderr: stderr, OutDir: *out, Seed: *seed, Args: fs.Args()[1:]})
	return h.RunFile(ctx, file)
}

// replCmd starts the REPL on the terminal.
func replCmd(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("repl", stderr)
	out := fs.String("out", "out", "folder where display.Show writes figures")
	seed := fs.Uint64("seed", 1, "root seed, read with script.Seed()")
	if err := parse(fs, args); err != nil {
		return err
	}
	h := interp.New(interp.Options{Stdout: stdout, Stderr: stderr, OutDir: *out, Seed: *seed})
	return h.REPL(interp.HistoryFile())
}
