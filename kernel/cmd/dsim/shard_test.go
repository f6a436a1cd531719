package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"dsim/sim/sweep"
)

// Shards 1/3, 2/3 and 3/3 of a script's sweep, merged with dsim merge,
// print the table the single run prints.
func TestShardsMergeLikeOneRun(t *testing.T) {
	dir := t.TempDir()
	var single, errs bytes.Buffer
	if code := run(context.Background(), []string{"run", "-out", dir, "testdata/sweep.go"}, &single, &errs); code != 0 {
		t.Fatalf("exit %d: %s", code, errs.String())
	}
	var files []string
	for i := 1; i <= 3; i++ {
		var out bytes.Buffer
		if code := run(context.Background(), []string{"run", "-out", dir, "-shard", fmt.Sprintf("%d/3", i), "testdata/sweep.go"}, &out, &errs); code != 0 {
			t.Fatalf("shard %d: exit %d: %s", i, code, errs.String())
		}
		files = append(files, filepath.Join(dir, sweep.ShardFileName("small", sweep.Shard{I: i, N: 3})))
	}
	var merged bytes.Buffer
	if code := run(context.Background(), append([]string{"merge", "-out", dir}, files...), &merged, &errs); code != 0 {
		t.Fatalf("merge: exit %d: %s", code, errs.String())
	}
	table := strings.TrimSpace(single.String())
	if !strings.HasPrefix(merged.String(), table) {
		t.Fatalf("single run:\n%s\nmerged:\n%s", single.String(), merged.String())
	}

	// A shard left out is refused, unless -partial says to merge what is
	// there.
	var stderr bytes.Buffer
	code := run(context.Background(), append([]string{"merge", "-out", dir}, files[:2]...), &merged, &stderr)
	if code != 2 || !strings.Contains(stderr.String(), "some shards are missing") || !strings.Contains(stderr.String(), "-partial") {
		t.Errorf("two shards of three: exit %d, %q; want exit 2 naming the missing shards and -partial", code, stderr.String())
	}
	stderr.Reset()
	code = run(context.Background(), append([]string{"merge", "-out", dir, "-partial"}, files[:2]...), &merged, &stderr)
	if code != 0 || !strings.Contains(stderr.String(), "some shards are missing") {
		t.Errorf("-partial: exit %d, %q; want 0 with a warning", code, stderr.String())
	}
}

func TestShardFromTheEnvironment(t *testing.T) {
	env := func(kv ...string) func(string) string {
		return func(k string) string {
			for i := 0; i+1 < len(kv); i += 2 {
				if kv[i] == k {
					return kv[i+1]
				}
			}
			return ""
		}
	}
	cases := []struct {
		flag   string
		shards int
		env    func(string) string
		want   sweep.Shard
		err    string
	}{
		{"2/4", 0, env(), sweep.Shard{I: 2, N: 4}, ""},
		{"", 0, env(), sweep.Shard{}, ""},
		{"", 0, env("SLURM_ARRAY_TASK_ID", "3", "SLURM_ARRAY_TASK_MIN", "1", "SLURM_ARRAY_TASK_COUNT", "5"), sweep.Shard{I: 3, N: 5}, ""},
		{"", 0, env("SLURM_ARRAY_TASK_ID", "0", "SLURM_ARRAY_TASK_COUNT", "3"), sweep.Shard{I: 1, N: 3}, ""},
		{"", 3, env("JOB_COMPLETION_INDEX", "2"), sweep.Shard{I: 3, N: 3}, ""},
		{"", 0, env("JOB_COMPLETION_INDEX", "2", "DSIM_SHARDS", "4"), sweep.Shard{I: 3, N: 4}, ""},
		{"", 0, env("JOB_COMPLETION_INDEX", "1"), sweep.Shard{}, "pass -shards N"},
		{"", 2, env("JOB_COMPLETION_INDEX", "2"), sweep.Shard{}, "there are 2 shards"},
		{"", 0, env("JOB_COMPLETION_INDEX", "x", "DSIM_SHARDS", "2"), sweep.Shard{}, `JOB_COMPLETION_INDEX="x"`},
		{"0/2", 0, env(), sweep.Shard{}, "want 1 <= i <= n"},
		{"", 0, env("JOB_COMPLETION_INDEX", "-1", "DSIM_SHARDS", "2"), sweep.Shard{}, `JOB_COMPLETION_INDEX="-1": want a number from 0`},
		{"", 0, env("JOB_COMPLETION_INDEX", "-1"), sweep.Shard{}, `JOB_COMPLETION_INDEX="-1"`},
		{"", 0, env("SLURM_ARRAY_TASK_ID", "0", "SLURM_ARRAY_TASK_MIN", "1", "SLURM_ARRAY_TASK_COUNT", "3"), sweep.Shard{}, "SLURM_ARRAY_TASK_ID=0: below SLURM_ARRAY_TASK_MIN=1"},
		{"", -2, env(), sweep.Shard{}, "-shards=-2: want 1..1000000"},
		{"", -2, env("JOB_COMPLETION_INDEX", "0"), sweep.Shard{}, "-shards=-2"},
		{"", 3, env(), sweep.Shard{}, "-shards=3: the shard index comes from SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX, and neither is set"},
		{"1/3", 3, env(), sweep.Shard{}, "-shard=1/3 and -shards=3: give one"},
		{"", 0, env("DSIM_SHARDS", "0", "JOB_COMPLETION_INDEX", "0"), sweep.Shard{}, `DSIM_SHARDS="0": want a count`},
		{"", 0, env("DSIM_SHARDS", "2000000", "JOB_COMPLETION_INDEX", "0"), sweep.Shard{}, `DSIM_SHARDS="2000000": want a count, 1..1000000`},
		{"", 0, env("SLURM_ARRAY_TASK_ID", "99999999999999999999", "SLURM_ARRAY_TASK_COUNT", "3"), sweep.Shard{}, "want a number"},
	}
	for _, c := range cases {
		got, err := shardFor(c.flag, c.shards, c.env)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%+v: error %v, want %q", c, err, c.err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("%q %d: got %v, %v; want %v", c.flag, c.shards, got, err, c.want)
		}
	}
}

// A bad shard is a usage error (exit 2) naming the flag or variable,
// before the script runs; never a silent whole sweep.
func TestShardUsageErrors(t *testing.T) {
	for _, c := range []struct {
		env  []string
		args []string
		want string
	}{
		{nil, []string{"-shards", "-2"}, "-shards=-2"},
		{[]string{"JOB_COMPLETION_INDEX", "-1", "DSIM_SHARDS", "2"}, nil, `JOB_COMPLETION_INDEX="-1"`},
		{[]string{"SLURM_ARRAY_TASK_ID", "1", "SLURM_ARRAY_TASK_MIN", "2", "SLURM_ARRAY_TASK_COUNT", "4"}, nil, "SLURM_ARRAY_TASK_ID=1: below SLURM_ARRAY_TASK_MIN=2"},
	} {
		for i := 0; i+1 < len(c.env); i += 2 {
			t.Setenv(c.env[i], c.env[i+1])
		}
		var out, errs bytes.Buffer
		args := append(append([]string{"run", "-out", t.TempDir()}, c.args...), "testdata/sweep.go")
		if code := run(context.Background(), args, &out, &errs); code != 2 || !strings.Contains(errs.String(), c.want) || out.Len() > 0 {
			t.Errorf("%v %v: exit %d, stderr %q, stdout %q", c.env, c.args, code, errs.String(), out.String())
		}
		for i := 0; i+1 < len(c.env); i += 2 {
			os.Unsetenv(c.env[i])
		}
	}
}
