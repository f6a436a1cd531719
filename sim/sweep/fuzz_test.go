package sweep_test

import (
	"bytes"
	"context"
	"flag"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"dsim/sim/sweep"
)

var update = flag.Bool("update", false, "rewrite the results files under testdata/results")

// resultsFiles are real results files, the fuzz target's seeds (kept
// small, so the fuzzer's minimising is quick): a small sweep whole, a
// shard of the tiny sweep, a shard over explicit labelled points, and a
// sweep of plain numbers (very large and small, NaN, absent) without
// histograms.
func resultsFiles(t testing.TB) map[string]*sweep.Result {
	do := func(s sweep.Spec, fn sweep.Func) *sweep.Result {
		r, err := sweep.Run(context.Background(), s, fn)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	points := tinySpec(sweep.Shard{I: 1, N: 2})
	points.Name, points.Points = "points", [][]float64{{1, 0}, {20, 1}, {5, 1}}
	small := tinySpec(sweep.Shard{})
	small.Name, small.Reps, small.Knobs = "small", 3, []sweep.Knob{{Name: "load", Values: []float64{2, 8}}}
	numbers := sweep.Spec{Name: "numbers", Reps: 2, Knobs: []sweep.Knob{{Name: "x", Values: []float64{0.5, 1e-9, 1e300}}}}
	plain := func(p sweep.Point, seed uint64) (*sweep.Metrics, error) {
		m := sweep.NewMetrics().Set("x", p.Get("x")).Share("odd", seed%2 == 1)
		if seed%3 == 0 {
			m.Set("none", math.NaN())
		}
		return m, nil
	}
	return map[string]*sweep.Result{
		"small.json":               do(small, tiny),
		"numbers.json":             do(numbers, plain),
		"tiny.shard-2-of-3.json":   runTiny(t, sweep.Shard{I: 2, N: 3}),
		"points.shard-1-of-2.json": do(points, tiny),
	}
}

// The results files a sweep writes are pinned: a change to the format
// shows here (go test -run TestResultsFiles -update rewrites them).
func TestResultsFiles(t *testing.T) {
	for name, r := range resultsFiles(t) {
		path := filepath.Join("testdata", "results", name)
		if *update {
			if _, err := r.Save(context.Background(), filepath.Dir(path)); err != nil {
				t.Fatal(err)
			}
			continue
		}
		// Compared as written again: zlib's output (inside the histograms)
		// may change with Go's version, what it holds may not.
		want, err := sweep.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if encode(t, r) != encode(t, want) {
			t.Errorf("%s differs from what the sweep writes now (rerun with -update after review)", path)
		}
	}
}

// FuzzResultsFile feeds the reader of results files (and Merge, which
// checks parts against each other) anything: it must give an error or a
// sound result, never a panic; a result read must render, write, read
// back the same, and refuse to be merged with itself.
func FuzzResultsFile(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "results", "*.json"))
	for _, path := range files {
		b, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
		f.Add(b[:len(b)/2])
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := sweep.Decode(bytes.NewReader(data))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "sweep: ") {
				t.Fatalf("an error without the package's name: %v", err)
			}
			return
		}
		var buf bytes.Buffer
		if err := r.Encode(&buf); err != nil {
			t.Fatalf("a result read cannot be written: %v", err)
		}
		back, err := sweep.Decode(bytes.NewReader(buf.Bytes()))
		if err != nil {
			t.Fatalf("a file written cannot be read: %v\n%s", err, buf.String())
		}
		var again bytes.Buffer
		if err := back.Encode(&again); err != nil || again.String() != buf.String() {
			t.Fatalf("read back differs: %v", err)
		}
		if len(r.Points)*r.Spec.Reps <= 1000 { // tables of the largest sweeps take long to fuzz
			if back.Table().Text() != r.Table().Text() {
				t.Fatal("the table read back differs")
			}
			for _, h := range r.Histograms {
				r.LatencyTable(h)
			}
		}
		m, err := sweep.Merge(r)
		if err != nil || m.Runs() != r.Runs() {
			t.Fatalf("merging one part: %v", err)
		}
		if _, err := sweep.Merge(r, back); err == nil && r.Runs() > 0 {
			t.Fatal("a part merged with itself")
		}
	})
}
