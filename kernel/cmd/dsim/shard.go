package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strconv"

	"dsim/kernel/display"
	"dsim/sim/sweep"
)

// shardFor picks the shard a run of a script takes: -shard i/n, or the
// index a cluster's job array gives (SLURM_ARRAY_TASK_ID from
// SLURM_ARRAY_TASK_MIN, or a Kubernetes Indexed Job's JOB_COMPLETION_INDEX
// from 0) with the count from -shards, DSIM_SHARDS or
// SLURM_ARRAY_TASK_COUNT. No shard means the whole sweep.
func shardFor(flagShard string, shards int, getenv func(string) string) (sweep.Shard, error) {
	if flagShard != "" {
		return sweep.ParseShard(flagShard)
	}
	count := shards
	if count == 0 {
		for _, v := range []string{"DSIM_SHARDS", "SLURM_ARRAY_TASK_COUNT"} {
			if s := getenv(v); s != "" {
				n, err := strconv.Atoi(s)
				if err != nil || n < 1 {
					return sweep.Shard{}, fmt.Errorf("%s=%q: want a positive count", v, s)
				}
				count = n
				break
			}
		}
	}
	index, from := -1, ""
	if s := getenv("SLURM_ARRAY_TASK_ID"); s != "" {
		id, err := strconv.Atoi(s)
		if err != nil {
			return sweep.Shard{}, fmt.Errorf("SLURM_ARRAY_TASK_ID=%q: want a number", s)
		}
		first := 0
		if m := getenv("SLURM_ARRAY_TASK_MIN"); m != "" {
			if first, err = strconv.Atoi(m); err != nil {
				return sweep.Shard{}, fmt.Errorf("SLURM_ARRAY_TASK_MIN=%q: want a number", m)
			}
		}
		index, from = id-first, "SLURM_ARRAY_TASK_ID"
	} else if s := getenv("JOB_COMPLETION_INDEX"); s != "" {
		id, err := strconv.Atoi(s)
		if err != nil {
			return sweep.Shard{}, fmt.Errorf("JOB_COMPLETION_INDEX=%q: want a number", s)
		}
		index, from = id, "JOB_COMPLETION_INDEX"
	}
	if index < 0 {
		return sweep.Shard{}, nil
	}
	if count == 0 {
		return sweep.Shard{}, fmt.Errorf("%s is set but the number of shards is not: pass -shards N or set DSIM_SHARDS", from)
	}
	if index >= count {
		return sweep.Shard{}, fmt.Errorf("%s gives shard index %d, but there are %d shards", from, index, count)
	}
	return sweep.Shard{I: index + 1, N: count}, nil
}

// mergeCmd combines the results files of a sweep's shards: dsim merge
// FILE.json...
func mergeCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("merge", stderr)
	out := fs.String("out", "out", "folder where the merged results file goes")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: dsim merge [-out DIR] SHARD.json...\n\nCombines the results files that `dsim run -shard i/n` wrote into the table a single run gives,\nand writes the merged results file as DIR/NAME.json.\n\nFlags:")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return usageErr(err)
	}
	if fs.NArg() == 0 {
		return fmt.Errorf("%w: dsim merge needs results files", errUsage)
	}
	var parts []*sweep.Result
	for _, f := range fs.Args() {
		r, err := sweep.ReadFile(f)
		if err != nil {
			return err
		}
		parts = append(parts, r)
	}
	merged, err := sweep.Merge(parts...)
	if err != nil {
		return err
	}
	if !merged.Complete() {
		fmt.Fprintf(stderr, "dsim merge: %d of %d runs present: some shards are missing\n", merged.Runs(), merged.Runs()+missing(merged))
	}
	display.Show(merged.Table())
	for _, h := range merged.Histograms {
		display.Show(merged.LatencyTable(h))
	}
	path := filepath.Join(*out, merged.Spec.Name+".json")
	if err := merged.WriteFile(path); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "results:", path)
	return nil
}

func missing(r *sweep.Result) int { return len(r.Points)*r.Spec.Reps - r.Runs() }
