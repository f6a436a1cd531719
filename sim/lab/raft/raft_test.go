package raft

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"dsim/sim/internal/simtest"
	"dsim/sim/lab"
)

// soakSeeds is 50 seeds in go test, 1,000 under make soak (DSIM_SOAK=1).
func soakSeeds() int {
	if os.Getenv("DSIM_SOAK") != "" {
		return 1000
	}
	return 50
}

func nemesisTest(t *testing.T, cfg Config) lab.Test {
	t.Helper()
	test, err := LabTest(cfg)
	if err != nil {
		t.Fatal(err)
	}
	test.Nemesis = lab.Nemesis{Kinds: lab.FaultKinds()}
	return test
}

// Correct Raft keeps every invariant and a linearizable history under
// every fault the nemesis has: partitions, one-way cuts, crashes with and
// without memory (the store keeps term, vote and log), pauses, clock
// jumps, loss, duplication, slow nodes.
func TestRaftPassesUnderTheNemesis(t *testing.T) {
	n := soakSeeds()
	found, err := lab.Search(nemesisTest(t, Config{}), lab.Seeds{Count: n})
	if err != nil {
		t.Fatal(err)
	}
	if found != nil {
		t.Fatalf("%v\n%s", found, found.Case.Test.Faults)
	}
	t.Logf("raft: %d seeds pass", n)
}

// The same seed gives the same history, on any number of cores, and the
// monitor's report is the same too.
func TestRaftIsDeterministic(t *testing.T) {
	test := nemesisTest(t, Config{})
	test.Seed = 7
	simtest.SameAcrossProcs(t, func() string {
		r, err := lab.Run(test)
		if err != nil {
			t.Fatal(err)
		}
		rep, ok := Safety(r)
		if !ok || rep.Committed == 0 {
			t.Fatalf("the monitor's report is missing or empty: %+v", rep)
		}
		return fmt.Sprintf("history %s, %d elections, %d committed", r.History.Sum(), rep.Elections, rep.Committed)
	})
}

// A calm run elects one leader, commits every request and answers
// nearly all of them.
func TestRaftCalmRunElectsOnceAndCommits(t *testing.T) {
	test := nemesisTest(t, Config{})
	test.Nemesis = lab.Nemesis{}
	test.Seed = 1
	r, err := lab.Run(test)
	if err != nil || !r.OK() {
		t.Fatal(err, r)
	}
	rep, _ := Safety(r)
	if rep.Elections != 1 {
		t.Fatalf("%d elections in a calm run", rep.Elections)
	}
	ok := 0
	for _, op := range r.History.Ops() {
		if op.Type != lab.Info {
			ok++
		}
	}
	if ok < r.Stats.Ops-3 || rep.Committed < ok-3 {
		t.Fatalf("%d of %d operations answered, %d entries committed", ok, r.Stats.Ops, rep.Committed)
	}
}

func TestConfigValidate(t *testing.T) {
	bad := []struct {
		cfg  Config
		want string
	}{
		{Config{ElectionMin: -time.Second}, "ElectionMin=-1s"},
		{Config{ElectionMin: 200 * time.Millisecond, ElectionMax: 100 * time.Millisecond}, "ElectionMax=100ms: must be in [ElectionMin=200ms"},
		{Config{Heartbeat: time.Second}, "Heartbeat=1s"},
		{Config{MaxBatch: -1}, "MaxBatch=-1"},
		{Config{ForwardTimeout: -1}, "ForwardTimeout=-1ns"},
		{Config{Broken: "sloppy"}, `Broken="sloppy"`},
	}
	for _, b := range bad {
		err := b.cfg.Validate()
		if err == nil || !strings.Contains(err.Error(), b.want) || !strings.HasPrefix(err.Error(), "raft: ") {
			t.Errorf("%+v: %v, want %q", b.cfg, err, b.want)
		}
	}
	if err := (Config{}).Validate(); err != nil {
		t.Fatal(err)
	}
	if _, err := LabTest(Config{Broken: "x"}); err == nil {
		t.Fatal("LabTest took a bad config")
	}
}

func TestAttach(t *testing.T) {
	for _, name := range []string{"raft", "raft/volatile-vote"} {
		test := lab.Test{Workload: "lin-kv", Node: name}
		if err := Attach(&test); err != nil || test.New == nil || test.Monitor == nil {
			t.Fatal(name, err)
		}
	}
	for _, name := range []string{"", "raf", "raft/", "raft/x", "raftx"} {
		test := lab.Test{Node: name}
		if err := Attach(&test); err == nil || !strings.Contains(err.Error(), "Node=") {
			t.Fatalf("%q: %v", name, err)
		}
	}
}
