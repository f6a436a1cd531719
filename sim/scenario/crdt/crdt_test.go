package crdt_test

import (
	"strings"
	"testing"
	"time"

	"dsim/sim/scenario/crdt"
	"dsim/sim/scenario/internal/scenariotest"
)

var runPreset = scenariotest.Runner[*crdt.Result](crdt.Scenario())

// With the default knobs every type converges once gossip has had time,
// on every seed tried, and the time is reported.
func TestDefaultsConverge(t *testing.T) {
	for _, typ := range crdt.Types() {
		for seed := uint64(1); seed <= 5; seed++ {
			cfg := crdt.Default()
			cfg.Type, cfg.Seed = typ, seed
			res, err := crdt.Run(cfg)
			if err != nil {
				t.Fatal(err)
			}
			if !res.Converged || res.ConvergenceTime() < 0 || res.ConvergenceTime() > 30*time.Second {
				t.Fatalf("%s seed %d: %v", typ, seed, res.Verdict())
			}
			for _, f := range res.Final[1:] {
				if f.State != res.Final[0].State {
					t.Fatalf("%s seed %d: converged but %s differs", typ, seed, f.Replica)
				}
			}
		}
	}
	for _, name := range []string{"slow-gossip", "partition", "delta", "set-churn", "lww-skew"} {
		if res := runPreset(t, name, 1); !res.Converged {
			t.Errorf("%s: %v", name, res.Verdict())
		}
	}
}

// The shopping cart: after everyone saw the milk, r2 removes it; r3 re-adds
// the eggs concurrently with their removal and removes the bread. The
// OR-Set ends with the eggs only (the concurrent add wins, the removed items
// stay removed). The naive set, in the same run, brings milk and bread back.
// The lesson shows one run; the story holds on every seed from 1 to 5,
// whatever the delays.
func TestORSetRemovedElementNeverComesBack(t *testing.T) {
	for seed := uint64(1); seed <= 5; seed++ {
		res := runPreset(t, "shopping-cart", seed)
		for _, f := range res.Final {
			if f.Value != "{eggs}" || f.Naive != "{bread eggs milk}" {
				t.Fatalf("seed %d: %s: OR-Set %s, naive %s", seed, f.Replica, f.Value, f.Naive)
			}
		}
		if strings.Join(res.Resurrected, " ") != "bread milk" {
			t.Fatalf("seed %d: resurrected %v", seed, res.Resurrected)
		}
		// The same cart as a 2P-Set loses the eggs a client added again.
		if v := runPreset(t, "2p-cart", seed).Final[0].Value; v != "{}" {
			t.Fatalf("seed %d: 2P-Set cart: %s", seed, v)
		}
	}
}

// On random histories, the OR-Set's final value is exactly its
// specification: the elements with an add that no remove observed.
func TestORSetMatchesItsSpecificationUnderChurn(t *testing.T) {
	for seed := uint64(1); seed <= 5; seed++ {
		res := runPreset(t, "set-churn", seed)
		if !res.Converged {
			t.Fatalf("seed %d: %v", seed, res.Verdict())
		}
		// The canonical state lists each element's tags and the removed
		// tags; recompute the value from it.
		st := res.Final[0].State
		body, removed, _ := strings.Cut(strings.TrimSuffix(strings.TrimPrefix(st, "OR{"), "}"), " -{")
		dead := map[string]bool{}
		for _, tag := range strings.Fields(strings.TrimSuffix(removed, "}")) {
			dead[tag] = true
		}
		var live []string
		for _, entry := range strings.SplitAfter(body, "} ") {
			elem, tags, ok := strings.Cut(strings.TrimSpace(entry), ":{")
			if !ok {
				continue
			}
			for _, tag := range strings.Fields(strings.TrimSuffix(tags, "}")) {
				if !dead[tag] {
					live = append(live, elem)
					break
				}
			}
		}
		if want := "{" + strings.Join(live, " ") + "}"; res.Final[0].Value != want {
			t.Fatalf("seed %d: value %s, specification %s (state %s)", seed, res.Final[0].Value, want, st)
		}
	}
}

// LWW with skewed clocks: r2's clock is 200ms ahead of r1's. r2 writes "a"
// at 1s; r1 writes "b" at 1.1s, before "a" reaches it, and reads "b" back:
// its write is acknowledged and visible. Once the states merge, "a" wins
// everywhere, by its stamp, though "b" came later.
func TestLWWSkewLosesAnAcknowledgedWrite(t *testing.T) {
	cfg := crdt.Default()
	cfg.Seed, cfg.Type, cfg.Replicas, cfg.ClockSkew = 1, crdt.LWWRegisterType, 2, 100*time.Millisecond
	cfg.MergeProbability = 0 // off
	cfg.Script = []crdt.Op{
		{At: time.Second, Replica: 1, Kind: "set", Value: "a"},
		{At: 1100 * time.Millisecond, Replica: 0, Kind: "set", Value: "b"},
	}
	res, err := crdt.Run(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Converged || res.Final[0].Value != "a" || res.LostWrites != 1 {
		t.Fatalf("final %s, lost %d: %v", res.Final[0].Value, res.LostWrites, res.Verdict())
	}
	t.Log(res.LostExample)
	cfg.ClockSkew = 0
	res, _ = crdt.Run(cfg)
	if res.Final[0].Value != "b" || res.LostWrites != 0 {
		t.Fatalf("no skew: final %s, lost %d", res.Final[0].Value, res.LostWrites)
	}
	if runPreset(t, "lww-skew", 1).LostWrites == 0 {
		t.Fatal("the lww-skew preset lost nothing")
	}
}

// A partition, as the lesson tells it, on every seed from 1 to 5: the
// operations stop inside the partition; from then until the heal each half
// holds one state of its own, so the replicas hold exactly two; all agree
// soon after the heal. Delta gossip sends fewer bytes and agrees later.
func TestPartitionEachHalfSettlesThenAllAgree(t *testing.T) {
	for seed := uint64(1); seed <= 5; seed++ {
		res := runPreset(t, "partition", seed)
		s, ok := res.Split()
		switch {
		case !ok:
			t.Fatalf("seed %d: no split", seed)
		case s.LastOp >= s.Heal || s.HalvesAgreed < s.LastOp || s.HalvesAgreed >= s.Heal:
			t.Errorf("seed %d: operations until %v, halves settled at %v, heal at %v", seed, s.LastOp, s.HalvesAgreed, s.Heal)
		case s.StatesAtHeal != 2 || s.MostInHalf != 1:
			t.Errorf("seed %d: %d states at the heal, %d in a half", seed, s.StatesAtHeal, s.MostInHalf)
		case !s.Healed || s.AgreedAfter < 0 || s.AgreedAfter > 10*time.Second:
			t.Errorf("seed %d: agreed %v after the heal", seed, s.AgreedAfter)
		}
		if !strings.Contains(s.String(), "held 2 distinct states, one per half, until the heal") {
			t.Errorf("seed %d: %s", seed, s)
		}
	}
	cfg, err := crdt.PresetConfig("partition")
	if err != nil {
		t.Fatal(err)
	}
	tb, err := crdt.DeltaTable(cfg, 10)
	if err != nil {
		t.Fatal(err)
	}
	state, delta := tb.Rows[0], tb.Rows[1]
	if state[1] != "10 of 10" || delta[1] != "10 of 10" {
		t.Fatalf("not every run converged:\n%s", tb.Text())
	}
	// Means and half-widths: delta is later and lighter, beyond the intervals.
	f := func(row []any, i int) float64 { return row[i].(float64) }
	if f(delta, 2)-f(delta, 3) <= f(state, 2)+f(state, 3) || f(delta, 6)+f(delta, 7) >= f(state, 6)-f(state, 7) {
		t.Errorf("delta gossip should agree later and send fewer bytes:\n%s", tb.Text())
	}
}

// Operations that go on past the heal leave the halves unsettled, and the
// story says so instead of claiming two states.
func TestSplitTellsWhatTheSamplesShow(t *testing.T) {
	cfg, err := crdt.PresetConfig("partition")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Seed, cfg.Operations = 1, 130
	res, err := crdt.Run(cfg)
	if err != nil {
		t.Fatal(err)
	}
	s, ok := res.Split()
	if !ok || s.LastOp < s.Heal || !strings.Contains(s.String(), "after the heal") || strings.Contains(s.String(), "one per half") {
		t.Errorf("%v: %s", ok, s)
	}
	if _, ok := runPreset(t, "seed", 1).Split(); ok {
		t.Error("a run without a partition has no split")
	}
}

// More gossip, faster convergence.
func TestGossipSweep(t *testing.T) {
	cfg, _ := crdt.PresetConfig("seed")
	cfg.Seed = 1
	cfg.MergeProbability = 0 // off
	tb, fig, err := crdt.GossipSweep(cfg, []time.Duration{200 * time.Millisecond, 5 * time.Second})
	if err != nil || fig == nil || len(tb.Rows) != 2 {
		t.Fatal(err)
	}
	fast, slow := tb.Rows[0][1].(time.Duration), tb.Rows[1][1].(time.Duration)
	if fast >= slow {
		t.Fatalf("gossip every 200ms converged in %v, every 5s in %v", fast, slow)
	}
}

func TestDeterminism(t *testing.T) {
	a, b := runPreset(t, "partition", 3), runPreset(t, "partition", 3)
	if a.Summary().Text() != b.Summary().Text() || a.Events != b.Events {
		t.Fatal("same seed, different runs")
	}
	if c := runPreset(t, "partition", 4); c.Summary().Text() == a.Summary().Text() {
		t.Fatal("different seeds, same run")
	}
}
