package lab

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// pinnedRuns are runs of every reference node under the nemesis, and the
// benchmarks' broadcast, whose histories and counts are pinned in
// testdata/runs.golden: a change that makes a run cheaper must leave what
// it does alone, byte for byte. A search (no trace) and a run with the
// trace must agree too.
func pinnedRuns() []Test {
	var out []Test
	for _, ref := range References() {
		for seed := uint64(1); seed <= 4; seed++ {
			out = append(out, Test{Workload: ref.Workload, Node: ref.Name, Seed: seed, Nemesis: Nemesis{Kinds: FaultKinds()}})
		}
	}
	out = append(out,
		Test{Workload: "broadcast", Node: "broadcast/gossip", Seed: 5, Nemesis: Nemesis{Kinds: FaultKinds()}, ClockSkew: 50 * time.Millisecond, ClockDrift: 1e-4, Loss: 0.05, Duplicate: 0.05},
		Test{Workload: "lin-kv", Node: "lin-kv/leader", Seed: 6, Open: true, Rate: 50, Nemesis: Nemesis{Kinds: FaultKinds()}},
		Test{Workload: "broadcast", Node: "broadcast/noretry", Rate: 200, Clients: 10, Duration: 20 * time.Second, Topology: "total", Seed: 1},
	)
	return out
}

// pinLine is what the golden file holds of a run.
func pinLine(r *Result) string {
	t, s := r.Test, r.Stats
	ok := "ok"
	if !r.OK() {
		ok = "FAIL"
	}
	return fmt.Sprintf("%s seed=%d %s events=%d msgs=%d net=%+v ops=%d %s", t.Node, t.Seed, r.History.Sum()[:16], s.Events, s.Messages, s.Net, s.Ops, ok)
}

func TestRunsPinned(t *testing.T) {
	var got strings.Builder
	for _, test := range pinnedRuns() {
		r, err := Run(test)
		if r == nil {
			t.Fatal(err)
		}
		line := pinLine(r)
		fmt.Fprintln(&got, line)
		quiet := test
		quiet.Limits.Trace = -1
		q, _ := Run(quiet)
		if q == nil || pinLine(q) != line {
			t.Errorf("without a trace the run differs:\n%s\n%v", line, q)
		}
	}
	file := filepath.Join("testdata", "runs.golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, []byte(got.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if got.String() != string(want) {
		t.Fatalf("the runs changed:\n%s\nwant:\n%s", got.String(), want)
	}
}

// Runs one after another on the same memory (a search's worker, a
// shrink) give the runs of the golden file, each on what the one before
// left.
func TestRunsPinnedOnReusedMemory(t *testing.T) {
	want, err := os.ReadFile(filepath.Join("testdata", "runs.golden"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(want)), "\n")
	tests := pinnedRuns()
	if len(lines) != len(tests) {
		t.Fatalf("%d lines for %d runs: run with -update", len(lines), len(tests))
	}
	sc := new(scratch)
	for pass := 0; pass < 2; pass++ {
		for i, test := range tests {
			test.Limits.Trace = -pass // the second pass as a search runs them
			r, c, _ := runTest(context.Background(), test, sc)
			if r == nil {
				t.Fatalf("%s seed %d: no result", test.Node, test.Seed)
			}
			if got := pinLine(r); got != lines[i] {
				t.Errorf("on reused memory:\n%s\nwant:\n%s", got, lines[i])
			}
			sc.reclaim(c)
		}
	}
	if cap(sc.events) == 0 || len(sc.stores) == 0 || len(sc.parcels) == 0 {
		t.Fatalf("nothing was given back: %d events, %d stores, %d parcels", cap(sc.events), len(sc.stores), len(sc.parcels))
	}
}
