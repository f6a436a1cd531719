package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"

	"dsim/kernel/display"
	"dsim/sim/sweep"
)

// shardFor picks the shard a run of a script takes: -shard i/n, or the
// index a cluster's job array gives (SLURM_ARRAY_TASK_ID from
// SLURM_ARRAY_TASK_MIN, or a Kubernetes Indexed Job's JOB_COMPLETION_INDEX
// from 0) with the count from -shards, DSIM_SHARDS or
// SLURM_ARRAY_TASK_COUNT. No shard means the whole sweep. A bad value is
// an error naming the flag or variable, never a silent whole sweep.
func shardFor(flagShard string, shards int, getenv func(string) string) (sweep.Shard, error) {
	if shards < 0 || shards > sweep.MaxRuns {
		return sweep.Shard{}, fmt.Errorf("-shards=%d: want 1..%d", shards, sweep.MaxRuns)
	}
	if flagShard != "" {
		if shards != 0 {
			return sweep.Shard{}, fmt.Errorf("-shard=%s and -shards=%d: give one (-shard i/n holds the count)", flagShard, shards)
		}
		return sweep.ParseShard(flagShard)
	}
	count, err := shardCount(shards, getenv)
	if err != nil {
		return sweep.Shard{}, err
	}
	index, from, err := shardIndex(getenv)
	switch {
	case err != nil:
		return sweep.Shard{}, err
	case from == "" && shards > 0:
		return sweep.Shard{}, fmt.Errorf("-shards=%d: the shard index comes from SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX, and neither is set (or use -shard i/n)", shards)
	case from == "":
		return sweep.Shard{}, nil
	case count == 0:
		return sweep.Shard{}, fmt.Errorf("%s is set but the number of shards is not: pass -shards N or set DSIM_SHARDS", from)
	case index >= count:
		return sweep.Shard{}, fmt.Errorf("%s gives shard index %d, but there are %d shards", from, index, count)
	}
	return sweep.Shard{I: index + 1, N: count}, nil
}

// shardCount is -shards, or else DSIM_SHARDS or SLURM_ARRAY_TASK_COUNT
// (0 if none is set).
func shardCount(shards int, getenv func(string) string) (int, error) {
	if shards > 0 {
		return shards, nil
	}
	for _, v := range []string{"DSIM_SHARDS", "SLURM_ARRAY_TASK_COUNT"} {
		if s := getenv(v); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil || n < 1 || n > sweep.MaxRuns {
				return 0, fmt.Errorf("%s=%q: want a count, 1..%d", v, s, sweep.MaxRuns)
			}
			return n, nil
		}
	}
	return 0, nil
}

// shardIndex is the index (from 0) a job array gives, and the variable it
// came from ("" if none is set).
func shardIndex(getenv func(string) string) (int, string, error) {
	if s := getenv("SLURM_ARRAY_TASK_ID"); s != "" {
		id, err := strconv.Atoi(s)
		if err != nil {
			return 0, "", fmt.Errorf("SLURM_ARRAY_TASK_ID=%q: want a number", s)
		}
		first := 0
		if m := getenv("SLURM_ARRAY_TASK_MIN"); m != "" {
			if first, err = strconv.Atoi(m); err != nil {
				return 0, "", fmt.Errorf("SLURM_ARRAY_TASK_MIN=%q: want a number", m)
			}
		}
		if id < first {
			return 0, "", fmt.Errorf("SLURM_ARRAY_TASK_ID=%d: below SLURM_ARRAY_TASK_MIN=%d", id, first)
		}
		return id - first, "SLURM_ARRAY_TASK_ID", nil
	}
	if s := getenv("JOB_COMPLETION_INDEX"); s != "" {
		id, err := strconv.Atoi(s)
		if err != nil || id < 0 {
			return 0, "", fmt.Errorf("JOB_COMPLETION_INDEX=%q: want a number from 0", s)
		}
		return id, "JOB_COMPLETION_INDEX", nil
	}
	return 0, "", nil
}

// mergeCmd combines the results files of a sweep's shards: dsim merge
// FILE.json... A file that is not a sound results file of the same sweep
// is a usage error (exit 2); failing to write the result, or Ctrl-C, a
// failed run (exit 1).
func mergeCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("merge", stderr)
	out := fs.String("out", "out", "folder where the merged results file goes")
	partial := fs.Bool("partial", false, "merge what is there when some shards are missing (the table says how many runs it holds)")
	setUsage(fs, stderr, "Usage: dsim merge [-out DIR] [-partial] SHARD.json...\n\nCombines the results files that `dsim run -shard i/n` wrote into the table a single run gives,\nand writes the merged results file as DIR/NAME.json. Every shard must be there, unless -partial.")
	if err := parseNeeding(fs, args, "results files"); err != nil {
		return err
	}
	merged, err := sweep.MergeFiles(ctx, fs.Args()...)
	switch {
	case err != nil && ctx.Err() != nil:
		return fmt.Errorf("merge interrupted: %w", err)
	case err != nil:
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if !merged.Complete() {
		missing := fmt.Sprintf("%d of %d runs present: some shards are missing", merged.Runs(), len(merged.Points)*merged.Spec.Reps)
		if !*partial {
			return fmt.Errorf("%w: %s (give every shard's file, or -partial to merge what is there)", errUsage, missing)
		}
		fmt.Fprintf(stderr, "dsim merge: %s; merging them (-partial)\n", missing)
	}
	display.Show(merged.Table())
	for _, h := range merged.Histograms {
		display.Show(merged.LatencyTable(h))
	}
	path, err := merged.Save(ctx, *out)
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return fmt.Errorf("merge interrupted: %w", err)
		}
		return err
	}
	fmt.Fprintln(stdout, "results:", path)
	return nil
}
