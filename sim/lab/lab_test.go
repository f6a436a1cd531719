package lab

import (
	"bytes"
	"dsim/sim/internal/simtest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// soakSeeds is how many seeds each correct reference node must pass with
// the nemesis on: 1,000 under make soak (DSIM_SOAK=1), a sample of 50 in
// make test, 10 with -short.
func soakSeeds() int {
	switch {
	case os.Getenv("DSIM_SOAK") != "":
		return 1000
	case testing.Short():
		return 10
	}
	return 50
}

// Every correct reference node passes its workload's checkers on every
// seed with every kind of fault drawn by the nemesis. The figure of the
// soak (1,000 seeds) is in the README.
func TestCorrectReferencesPassUnderTheNemesis(t *testing.T) {
	n := soakSeeds()
	for _, ref := range References() {
		if !ref.Correct {
			continue
		}
		t.Run(ref.Name, func(t *testing.T) {
			test := Test{Workload: ref.Workload, Node: ref.Name, Nemesis: Nemesis{Kinds: FaultKinds()}}
			found, err := Search(test, Seeds{Count: n})
			if err != nil {
				t.Fatal(err)
			}
			if found != nil {
				t.Fatalf("%v\n%s", found, found.Case.Test.Faults)
			}
			t.Logf("%s: %d seeds pass", ref.Name, n)
		})
	}
}

// pn-counter runs on the same counter node.
func TestCounterPassesPNCounter(t *testing.T) {
	test := Test{Workload: "pn-counter", Node: "counter", Nemesis: Nemesis{Kinds: FaultKinds()}}
	if found, err := Search(test, Seeds{Count: soakSeeds() / 5}); err != nil || found != nil {
		t.Fatal(err, found)
	}
}

// The broken reference nodes are caught within 200 seeds, shrunk to at
// most two faults, saved, loaded and replayed with the same history byte
// for byte.
func TestBrokenReferencesAreCaughtShrunkAndReplayed(t *testing.T) {
	for _, ref := range References() {
		if ref.Correct {
			continue
		}
		t.Run(ref.Name, func(t *testing.T) {
			test := Test{Workload: ref.Workload, Node: ref.Name, Nemesis: Nemesis{Kinds: FaultKinds()}}
			found, err := Search(test, Seeds{Count: 200})
			if err != nil {
				t.Fatal(err)
			}
			if found == nil {
				t.Fatal("no seed of 200 fails")
			}
			sh, err := Shrink(found.Case, 0)
			if err != nil {
				t.Fatal(err)
			}
			if n := len(sh.Case.Test.Faults); n > 2 {
				t.Fatalf("shrunk to %d faults:\n%v", n, sh)
			}
			path := filepath.Join(t.TempDir(), "case.json")
			if err := sh.Case.Save(path); err != nil {
				t.Fatal(err)
			}
			c, err := Load(path)
			if err != nil {
				t.Fatal(err)
			}
			r, err := Replay(c)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := r.History.Text(), sh.Result.History.Text(); got != want {
				t.Fatalf("the replay's history differs from the shrunk run's")
			}
			if r.OK() {
				t.Fatal("the replay passes")
			}
			t.Logf("seed %d: %d faults before, %d after %d runs; %s", found.Seed, len(found.Case.Test.Faults), len(sh.Case.Test.Faults), sh.Runs, r.Failure())
		})
	}
}

// The same seed gives the same history, byte for byte: twice in a row,
// and with GOMAXPROCS 1 and 2; and a search finds the same seed with one
// worker or two.
func TestSameSeedSameHistory(t *testing.T) {
	for _, ref := range References() {
		t.Run(ref.Name, func(t *testing.T) {
			test := Test{Workload: ref.Workload, Node: ref.Name, Seed: 7, Nemesis: Nemesis{Kinds: FaultKinds()}}
			text := simtest.SameAcrossProcs(t, func() string {
				r, err := Run(test)
				if err != nil {
					t.Fatal(err)
				}
				return r.History.Text()
			})
			if len(text) < 1000 {
				t.Errorf("a short history (%d bytes)", len(text))
			}
		})
	}
	test := Test{Workload: "broadcast", Node: "broadcast/noretry", Nemesis: Nemesis{Kinds: FaultKinds()}}
	a, err := Search(test, Seeds{Count: 40, Workers: 1})
	if err != nil || a == nil {
		t.Fatal(err, a)
	}
	b, err := Search(test, Seeds{Count: 40, Workers: 2})
	if err != nil || b == nil {
		t.Fatal(err, b)
	}
	if a.Seed != b.Seed || a.Result.History.Sum() != b.Result.History.Sum() {
		t.Errorf("one worker finds seed %d, two find %d", a.Seed, b.Seed)
	}
}

// A user's checker runs after the workload's, and its verdict counts.
func TestUserChecker(t *testing.T) {
	saw := 0
	never := CheckFunc(func(r *Result) Verdict {
		saw = len(r.History.Events)
		return Verdict{Checker: "mine", Outcome: Invalid, Summary: "never happy"}
	})
	r, err := Run(Test{Workload: "echo", Node: "echo", Seed: 1, Checkers: []Checker{never}})
	if err != nil {
		t.Fatal(err)
	}
	if saw == 0 || r.OK() || len(r.Verdicts) != 2 || r.Verdicts[1].Checker != "mine" {
		t.Fatalf("saw %d events, verdicts %v", saw, r.Verdicts)
	}
	if !strings.Contains(r.Failure(), "mine: INVALID: never happy") {
		t.Fatal(r.Failure())
	}
}

// A run's summary names the workload, the node and the verdicts; a case
// file reads back as the same case.
func TestCaseRoundTrip(t *testing.T) {
	r, err := Run(Test{Workload: "lin-kv", Node: "lin-kv/follower-reads", Seed: 3, Nemesis: Nemesis{Kinds: FaultKinds()}, ClockSkew: 50e6, ClockDrift: 1e-4})
	if err != nil {
		t.Fatal(err)
	}
	c := NewCase(r)
	var a bytes.Buffer
	if err := c.Encode(&a); err != nil {
		t.Fatal(err)
	}
	d, err := Decode(bytes.NewReader(a.Bytes()))
	if err != nil {
		t.Fatalf("%v\n%s", err, a.String())
	}
	var b bytes.Buffer
	if err := d.Encode(&b); err != nil {
		t.Fatal(err)
	}
	if a.String() != b.String() {
		t.Fatalf("the case changed on the round trip:\n%s\n%s", a.String(), b.String())
	}
	rr, err := Replay(d)
	if err != nil {
		t.Fatal(err)
	}
	if rr.History.Text() != r.History.Text() {
		t.Fatal("the replay gave another history")
	}
	if !strings.Contains(r.String(), "lin-kv on lin-kv/follower-reads: 5 nodes") {
		t.Fatal(r.String())
	}
}

// A replay whose node behaves differently says so.
func TestReplayNoticesAChangedNode(t *testing.T) {
	r, err := Run(Test{Workload: "broadcast", Node: "broadcast/gossip", Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	c := NewCase(r)
	c.Test.New = func() Node { return &NoRetry{} }
	_, err = Replay(c)
	if err == nil || !strings.Contains(err.Error(), "another history") {
		t.Fatalf("got %v", err)
	}
}
