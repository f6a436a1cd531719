package raft

import (
	"strings"
	"testing"

	"dsim/sim/lab"
)

// figure8 runs the targeted schedule of Figure 8 on seeds from 1 and
// returns the first run that fails, with its case; nil after max seeds.
func figure8(t *testing.T, cfg Config, max uint64) (*lab.Result, int) {
	t.Helper()
	test, err := LabTest(cfg)
	if err != nil {
		t.Fatal(err)
	}
	test.Nodes = 3
	built := 0
	for seed := uint64(1); seed <= max; seed++ {
		test.Seed, test.Faults = seed, nil
		s, err := Figure8Schedule(test)
		if err != nil {
			continue // the sequence did not come about on this seed
		}
		built++
		test.Faults = s
		r, err := lab.Run(test)
		if err != nil {
			t.Fatal(err)
		}
		if !r.OK() {
			return r, built
		}
	}
	return nil, built
}

// The paper's Figure 8 (§5.4.2), on three nodes: a leader commits an
// entry of an earlier term by counting its replicas, and a leader of a
// later term overwrites it. The targeted schedule catches it within 500
// seeds with three partitions, the shrunk case keeps at most three, and
// it replays byte for byte from its file.
func TestFigure8IsCaughtWithThreeFaults(t *testing.T) {
	r, _ := figure8(t, Config{Broken: CommitPreviousTerm}, 500)
	if r == nil {
		t.Fatal("commit-previous-term passed 500 seeds of the Figure 8 schedule")
	}
	rep, _ := Safety(r)
	if rep.Count == 0 || rep.Violations[0].Property != LeaderCompleteness {
		t.Fatalf("seed %d: %s", r.Test.Seed, r.Failure())
	}
	small, err := lab.Shrink(lab.NewCase(r), 0)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(small.Case.Test.Faults); n > 3 {
		t.Fatalf("shrunk to %d faults:\n%s", n, small)
	}
	t.Logf("seed %d: %s\n%s", r.Test.Seed, rep.Violations[0], small.Case.Test.Faults)
	failsFromFile(t, small.Case)
}

// Correct Raft passes the same schedule: it commits the old entry only
// with one of its own term, which the cut-off leader's rival lacks.
func TestRaftPassesTheFigure8Schedule(t *testing.T) {
	r, built := figure8(t, Config{}, uint64(soakSeeds()))
	if r != nil {
		t.Fatalf("seed %d: %s\n%s", r.Test.Seed, r.Failure(), r.Test.Faults)
	}
	if built < soakSeeds()/4 {
		t.Fatalf("the schedule came about on %d of %d seeds only", built, soakSeeds())
	}
	t.Logf("%d seeds, the schedule built on %d", soakSeeds(), built)
}

func TestFigure8ScheduleNeedsThreeNodes(t *testing.T) {
	test, _ := LabTest(Config{})
	test.Nodes = 5
	if _, err := Figure8Schedule(test); err == nil || !strings.Contains(err.Error(), "Nodes=5") {
		t.Fatal(err)
	}
}
