package main

import (
	"bytes"
	"context"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"dsim/sim"
	"dsim/sim/metrics"
	"dsim/sim/sweep"
)

// shardFiles runs a small compiled sweep as shards 1/2 and 2/2 (explicit
// points when given) and gives the texts of their results files.
func shardFiles(t *testing.T, points [][]float64) [2]string {
	t.Helper()
	var files [2]string
	for i := range files {
		spec := sweep.Spec{Name: "small", Seed: 5, Reps: 2, Workers: 1, Shard: sweep.Shard{I: i + 1, N: 2}, Points: points,
			Knobs: []sweep.Knob{{Name: "load", Values: []float64{1, 4}}, {Name: "size", Values: []float64{1, 2}}}}
		res, err := sweep.Run(context.Background(), spec, func(p sweep.Point, seed uint64) (*sweep.Metrics, error) {
			r := rand.New(rand.NewPCG(seed, 2))
			l := metrics.NewLatency("latency", sim.Second)
			for j := 0; j < 50; j++ {
				l.Record(0, sim.Time(r.ExpFloat64()*p.Get("load")*float64(sim.Millisecond)))
			}
			return sweep.NewMetrics().Share("slow", r.IntN(2) == 0).Set("goodput (%)", 100*r.Float64()).Set("amplification", 1+r.Float64()).Latency("latency", l), nil
		})
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := res.Encode(&b); err != nil {
			t.Fatal(err)
		}
		files[i] = b.String()
	}
	return files
}

// firstValues replaces the values of a file's first run.
func firstValues(s, with string) string {
	loc := regexp.MustCompile(`, "values": \[[^\]]*\]`).FindStringIndex(s)
	return s[:loc[0]] + `, "values": [` + with + `]` + s[loc[1]:]
}

// filesUnder lists the files under dir.
func filesUnder(t *testing.T, dir string) []string {
	var got []string
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, path)
			got = append(got, rel)
		}
		return nil
	})
	return got
}

// dsim merge checks everything it reads: a crafted file is a usage error
// (exit 2) naming the file, the field and the value; it never panics and
// writes nothing, least of all outside -out.
func TestMergeRefusesCraftedFiles(t *testing.T) {
	good := shardFiles(t, nil)
	other := shardFiles(t, [][]float64{{1, 1}, {4, 2}})
	otherPoints := shardFiles(t, [][]float64{{1, 1}, {4, 1}})
	values := firstValues
	swap := func(s string) string {
		s = strings.Replace(s, `"goodput (%)"`, `"X"`, 1)
		s = strings.Replace(s, `"amplification"`, `"goodput (%)"`, 1)
		return strings.Replace(s, `"X"`, `"amplification"`, 1)
	}
	firstRun := regexp.MustCompile(`\n  \{"run": [^\n]*\}`).FindString(good[0])
	cases := []struct {
		name  string
		files []string
		want  string
	}{
		{"more values than metrics", []string{values(good[0], "1, 50, 1.5, 7, 8")}, "a.json: runs[0]: values: 5 values for 3 metrics"},
		{"no metrics", []string{regexp.MustCompile(`(?s)"metrics": \[.*?\],\n "shares": \[.*?\]`).ReplaceAllString(good[0], `"metrics": [], "shares": []`)}, "a.json: runs[0]: values: 3 values for 0 metrics"},
		{"a path for a name", []string{strings.Replace(good[0], `"name": "small"`, `"name": "../../x"`, 1)}, `a.json: Name="../../x": want letters, digits`},
		{"a goodput of 12345%", []string{values(good[0], "1, 12345")}, `a.json: runs[0]: run 0: metric "goodput (%)"=12345: a percentage (a name ending in (%)) must be within [0, 100]`},
		{"a share of 0.5", []string{values(good[0], "0.5")}, `a.json: runs[0]: run 0: metric "slow"=0.5: a share (Metrics.Share) must be 0 or 1`},
		{"infinity", []string{values(good[0], "1, 1e999")}, `a.json: runs[0]: values[1]="1e999" ("goodput (%)"): must be finite`},
		{"a run listed twice", []string{strings.Replace(good[0], firstRun, firstRun+","+firstRun, 1)}, "a.json: runs[1]: run 0: given twice"},
		{"swapped metric names", []string{good[0], swap(good[1])}, `metrics "amplification" and "goodput (%)" come in one order in`},
		{"different points", []string{other[0], otherPoints[1]}, "b.json is not from the same sweep as"},
		{"a shard twice", []string{good[0], good[0]}, "are both shard 1/2"},
		{"not JSON", []string{"\x00\x01"}, "a.json: the file: not a results file"},
	}
	for _, c := range cases {
		dir := t.TempDir()
		out := filepath.Join(dir, "o", "u", "t")
		args := []string{"merge", "-out", out}
		for i, f := range c.files {
			path := filepath.Join(dir, string(rune('a'+i))+".json")
			if err := os.WriteFile(path, []byte(f), 0o644); err != nil {
				t.Fatal(err)
			}
			args = append(args, path)
		}
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), args, &stdout, &stderr)
		if code != 2 || !strings.Contains(stderr.String(), c.want) || strings.Contains(stderr.String(), "panic") {
			t.Errorf("%s: exit %d, stderr %q; want 2 and %q", c.name, code, stderr.String(), c.want)
		}
		if got := filesUnder(t, dir); len(got) != len(c.files) {
			t.Errorf("%s: files written: %v", c.name, got)
		}
	}
}

// A good merge writes NAME.json under -out and nothing else, through a
// symbolic link neither; huge values print in %g form (5e+307 is the
// mean of 1e308 and a small value).
func TestMergeWritesOnlyUnderOut(t *testing.T) {
	good := shardFiles(t, nil)
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	os.MkdirAll(out, 0o755)
	victim := filepath.Join(dir, "victim")
	os.WriteFile(victim, []byte("keep"), 0o644)
	if err := os.Symlink(victim, filepath.Join(out, "small.json")); err != nil {
		t.Fatal(err)
	}
	a, b := filepath.Join(dir, "a.json"), filepath.Join(dir, "b.json")
	os.WriteFile(a, []byte(firstValues(good[0], "1, 50, 1e308")), 0o644)
	os.WriteFile(b, []byte(good[1]), 0o644)
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"merge", "-out", out, a, b}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if !strings.Contains(stdout.String(), "5e+307") || !strings.Contains(stdout.String(), "results: "+filepath.Join(out, "small.json")) {
		t.Errorf("stdout:\n%s", stdout.String())
	}
	if b, _ := os.ReadFile(victim); string(b) != "keep" {
		t.Errorf("wrote through the link: %q", b)
	}
	if fi, err := os.Lstat(filepath.Join(out, "small.json")); err != nil || !fi.Mode().IsRegular() {
		t.Errorf("the merged file: %v %v", fi, err)
	}
	if got := filesUnder(t, dir); strings.Join(got, " ") != "a.json b.json out/small.json victim" {
		t.Errorf("files: %v", got)
	}
	// Writing the result failed: a run that failed, exit 1.
	blocked := filepath.Join(dir, "file")
	os.WriteFile(blocked, nil, 0o644)
	stderr.Reset()
	if code := run(context.Background(), []string{"merge", "-out", blocked, a, b}, &stdout, &stderr); code != 1 {
		t.Errorf("-out a file: exit %d, %s", code, stderr.String())
	}
}
