package raft

import (
	"path/filepath"
	"testing"
	"time"

	"dsim/sim/lab"
)

// brokenCase is where each broken variant is looked for: the nemesis
// that exposes it, and the faults its shrunk case may keep.
type brokenCase struct {
	bug       string
	nodes     int
	nemesis   lab.Nemesis
	maxFaults int
}

func brokenCases() []brokenCase {
	every := lab.Nemesis{Kinds: lab.FaultKinds()}
	return []brokenCase{
		// Nodes that start together time out together: no fault needed.
		{NoRandomness, 0, every, 0},
		// Figure 8 takes a leader cut off with entries of its term, a
		// second one likewise, and the first back in time to commit by
		// counting: partitions, often, on three nodes. The shrinker stops
		// at five faults (the early ones set up the terms and the logs of
		// the later ones; dropping any changes all the timing after it).
		{CommitPreviousTerm, 3, lab.Nemesis{Kinds: []string{lab.FaultPartition}, Interval: 600 * time.Millisecond, Length: 600 * time.Millisecond}, 5},
		// A node must lose its memory between two candidates' requests in
		// one term: crashes, often.
		{VolatileVote, 0, lab.Nemesis{Kinds: []string{lab.FaultCrash}, Interval: time.Second, Length: 300 * time.Millisecond}, 3},
		{FollowerReads, 0, every, 3},
		{UnconfirmedReads, 0, every, 3},
	}
}

// Each broken variant is caught within 500 seeds (by the monitor or by
// porcupine), shrunk, saved, loaded with Attach and replayed byte for
// byte; the correct Raft passes the same nemesis.
func TestBrokenVariantsAreCaughtAndShrunk(t *testing.T) {
	for _, bc := range brokenCases() {
		t.Run(bc.bug, func(t *testing.T) {
			test := nemesisTest(t, Config{Broken: bc.bug})
			test.Nodes, test.Nemesis = bc.nodes, bc.nemesis
			found, err := lab.Search(test, lab.Seeds{Count: 500})
			if err != nil {
				t.Fatal(err)
			}
			if found == nil {
				t.Fatalf("%s passed 500 seeds", bc.bug)
			}
			small, err := lab.Shrink(found.Case, 0)
			if err != nil {
				t.Fatal(err)
			}
			if n := len(small.Case.Test.Faults); n > bc.maxFaults {
				t.Fatalf("shrunk to %d faults, more than %d:\n%s", n, bc.maxFaults, small)
			}
			t.Logf("seed %d: %s\n%s", found.Seed, found.Result.Failure(), small)
			failsFromFile(t, small.Case)
		})
	}
}

// failsFromFile saves a failing case, loads it back, attaches Raft's
// nodes to it and checks that its replay fails again.
func failsFromFile(t *testing.T, failing *lab.Case) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "case.json")
	if err := failing.Save(path); err != nil {
		t.Fatal(err)
	}
	c, err := lab.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := Attach(&c.Test); err != nil {
		t.Fatal(err)
	}
	if r, err := lab.Replay(c); err != nil || r.OK() {
		t.Fatalf("replay: %v (ok %v)", err, r != nil && r.OK())
	}
}

// The targeted nemeses of the broken variants do not fail correct Raft.
// Under the partitions every 600 ms, in-doubt writes pile up and
// porcupine may run out of its time (an Unknown verdict, not a
// violation): such a seed passes if the monitor's invariants held, and
// is counted.
func TestRaftPassesTheTargetedNemeses(t *testing.T) {
	for _, bc := range brokenCases()[1:3] {
		test := nemesisTest(t, Config{})
		test.Nodes, test.Nemesis = bc.nodes, bc.nemesis
		undecided := 0
		for from := uint64(1); from <= uint64(soakSeeds()); {
			found, err := lab.Search(test, lab.Seeds{From: from, Count: soakSeeds() - int(from) + 1})
			if err != nil {
				t.Fatal(err)
			}
			if found == nil {
				break
			}
			if !onlyUndecided(found.Result) {
				t.Fatalf("under %s's nemesis: %v\n%s", bc.bug, found, found.Case.Test.Faults)
			}
			undecided++
			from = found.Seed + 1
		}
		t.Logf("under %s's nemesis: %d seeds pass, porcupine undecided on %d of them", bc.bug, soakSeeds(), undecided)
	}
}

// onlyUndecided: the run failed only for a checker out of time, and the
// monitor's invariants held.
func onlyUndecided(r *lab.Result) bool {
	if r.Err != nil {
		return false
	}
	for _, v := range r.Verdicts {
		if v.Outcome == lab.Invalid {
			return false
		}
	}
	return true
}

// The monitor names what broke: the property, the nodes and the term.
func TestMonitorNamesTheViolation(t *testing.T) {
	test := nemesisTest(t, Config{Broken: VolatileVote})
	bc := brokenCases()[2]
	test.Nemesis = bc.nemesis
	found, err := lab.Search(test, lab.Seeds{Count: 500})
	if err != nil || found == nil {
		t.Fatal(err, found)
	}
	rep, ok := Safety(found.Result)
	if !ok || rep.Count == 0 {
		t.Fatalf("no report: %+v", rep)
	}
	v := rep.Violations[0]
	if v.Property != ElectionSafety || len(v.Nodes) != 2 || v.Nodes[0] == v.Nodes[1] || v.Term < 1 || v.At <= 0 {
		t.Fatalf("violation: %+v", v)
	}
	t.Log(v)
}
