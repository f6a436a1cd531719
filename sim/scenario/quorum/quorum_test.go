package quorum_test

import (
	"math"
	"strings"
	"testing"
	"time"

	"dsim/sim"
	"dsim/sim/net"
	"dsim/sim/scenario/internal/scenariotest"
	"dsim/sim/scenario/quorum"
)

var preset = scenariotest.Runner[*quorum.Result](quorum.Scenario())

// PACELC's "else": in normal operation a quorum costs round trips, so its
// latency follows the network's. Strong on a LAN (1ms one-way) answers
// in about 2x1ms + the replica's 10ms; across 75ms regions, in about two
// WAN hops more.
func TestQuorumLatencyGrowsWithNetworkLatency(t *testing.T) {
	lan, wan, weak := preset(t, "lan", 1), preset(t, "wan", 1), preset(t, "wan-weak", 1)
	l, w := lan.ReadLatency.Mean(), wan.ReadLatency.Mean()
	if l < 10*sim.Millisecond || l > 20*sim.Millisecond {
		t.Errorf("LAN strong read mean %v, want 10-20ms (2 x 1ms + 10ms service)", l)
	}
	if w < 150*sim.Millisecond-10*sim.Millisecond || w > 250*sim.Millisecond {
		t.Errorf("WAN strong read mean %v, want at least two 75ms hops", w)
	}
	if w < 8*l {
		t.Errorf("WAN %v is not much slower than LAN %v", w, l)
	}
	if wl := weak.WriteLatency.Mean(); wl > 20*sim.Millisecond {
		t.Errorf("Weak on the WAN %v: the local replica should answer in LAN time", wl)
	}
	if weak.StaleReads == 0 {
		t.Error("Weak across regions read nothing stale")
	}
}

// R = W = N with no faults: every read meets every completed write.
func TestAllReplicaQuorumsAreLinearizable(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3} {
		cfg := quorum.Default()
		cfg.Seed, cfg.Model, cfg.Keys, cfg.WriteRatio = seed, quorum.Linearizable, 2, 0.5
		res, err := quorum.Run(cfg)
		if err != nil {
			t.Fatal(err)
		}
		if res.Check != quorum.IsLinearizable || res.StaleReads != 0 || res.LostWrites != 0 {
			t.Fatalf("seed %d: %v", seed, res.Verdict())
		}
		if res.FailedReads+res.FailedWrites != 0 || res.Reads+res.Writes < 300 {
			t.Fatalf("seed %d: %d failures in %d operations", seed, res.FailedReads+res.FailedWrites, res.Reads+res.Writes)
		}
	}
}

// Quorum intersection: with ABD's mechanisms (counters, sync read repair)
// any R+W>N stays linearizable under loss and a partition; R+W<=N does not.
func TestQuorumIntersection(t *testing.T) {
	for _, seed := range []uint64{1, 2} {
		cfg := quorum.Default()
		cfg.Seed, cfg.Keys, cfg.WriteRatio, cfg.Loss = seed, 2, 0.5, 0.02
		cfg.Partition = sim.Window{Start: 10 * time.Second, Duration: 10 * time.Second}
		cfg.Versioning, cfg.ReadRepair = quorum.Counters, quorum.SyncRepair
		res, err := quorum.Run(cfg)
		if err != nil {
			t.Fatal(err)
		}
		if res.Check != quorum.IsLinearizable {
			t.Fatalf("ABD with R=W=3 of 5, seed %d: %v", seed, res.Verdict())
		}
		cfg.R, cfg.W = 2, 2
		res, err = quorum.Run(cfg)
		if err != nil {
			t.Fatal(err)
		}
		if res.Check != quorum.NotLinearizable || res.StaleReads == 0 {
			t.Fatalf("R=W=2 of 5 (no intersection), seed %d: %v", seed, res.Verdict())
		}
	}
}

// CAP under a partition. Strong chooses consistency: the minority side
// fails, the majority side works. Eventual chooses availability: both sides
// work, and reads go stale.
func TestPartition(t *testing.T) {
	strong := preset(t, "partition-strong", 1)
	v := strong.Verdict()
	if v.Available[0] < 0.99 || v.Available[1] > 0.01 {
		t.Errorf("Strong under partition: majority %v, minority %v answered; want ~100%% and ~0%%", v.Available[0], v.Available[1])
	}
	if strong.Check != quorum.IsLinearizable {
		t.Errorf("Strong under partition: %v", v)
	}
	from, to := strong.Spans[0].From, strong.Spans[0].To
	if a := strong.Availability("minority", 0, from-2*sim.Second); a < 0.99 {
		t.Errorf("minority before the partition answered %v", a)
	}
	if a := strong.Availability("minority", to+2*sim.Second, strong.End); a < 0.99 {
		t.Errorf("minority after the heal answered %v", a)
	}
	eventual := preset(t, "partition-eventual", 1)
	v = eventual.Verdict()
	if v.Available[0] < 0.99 || v.Available[1] < 0.99 {
		t.Errorf("Eventual under partition: %v", v)
	}
	if eventual.Check != quorum.NotLinearizable || eventual.StaleReads == 0 {
		t.Errorf("Eventual under partition should fail the check with stale reads: %v", v)
	}
}

// R+W>N is not enough: a sloppy quorum keeps the minority available by
// writing to standbys, so a later read need not meet the last write.
func TestSloppyQuorumBreaksLinearizability(t *testing.T) {
	res := preset(t, "sloppy-quorum", 1)
	v := res.Verdict()
	if v.Available[1] < 0.95 || res.Check != quorum.NotLinearizable {
		t.Fatalf("sloppy quorum under partition: %v", v)
	}
}

// Last-writer-wins by skewed client clocks: a write that completed before
// another began still wins over it, and the later write, acknowledged to
// its client, is never read. Counters (ABD) fix it.
func TestSkewedClocksLoseAcknowledgedWrites(t *testing.T) {
	skew := preset(t, "lww-skew", 1)
	if skew.LostWrites == 0 || skew.Check != quorum.NotLinearizable {
		t.Fatalf("LWW with 100ms skew: %v", skew.Verdict())
	}
	cfg, _ := quorum.PresetConfig("lww-skew")
	cfg.Seed, cfg.ClockSkew = 1, 0
	calm, err := quorum.Run(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if calm.LostWrites != 0 {
		t.Fatalf("no skew, yet %d writes lost", calm.LostWrites)
	}
	abd := preset(t, "abd", 1)
	if abd.LostWrites != 0 || abd.Check != quorum.IsLinearizable {
		t.Fatalf("ABD with skew: %v", abd.Verdict())
	}
	// The lost write, shown: acknowledged, and a later read of its key
	// (after it completed, with no write in between) returned an older one.
	var lost quorum.Op
	found := false
	for _, w := range skew.Ops {
		if !w.Write || !w.OK {
			continue
		}
		for _, r := range skew.Ops {
			if !r.Write && r.OK && r.Key == w.Key && r.Start > w.End && r.Value != w.Value && !writtenBetween(skew.Ops, w.Key, w.Start, r.End, w.ID) {
				lost, found = w, true
				break
			}
		}
		if found {
			break
		}
	}
	if !found {
		t.Fatal("no read shows an acknowledged write missing")
	}
	t.Logf("write w%d acknowledged at %v was never read back", lost.Value, lost.End)
}

// writtenBetween reports whether another write to key overlapped [from, to).
func writtenBetween(ops []quorum.Op, key int, from, to sim.Time, except int) bool {
	for _, o := range ops {
		if o.Write && o.Key == key && o.ID != except && o.Start < to && (o.End > from || !o.OK) {
			return true
		}
	}
	return false
}

// The paper's t-visibility at t=0 for N=3, R=W=1 (Bailis et al. 2012,
// section 5.3): LNKD-SSD 97.4%, LNKD-DISK 43.9%, YMMR 89.3%, WAN 33.6%.
func TestPBSMatchesThePaper(t *testing.T) {
	want := map[string]float64{"LNKD-SSD": 0.974, "LNKD-DISK": 0.439, "YMMR": 0.893, "WAN": 0.336}
	curves, err := quorum.PBSCurves(3, 1, 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range curves {
		got := c.At(0)
		if math.Abs(got-want[c.Profile]) > 0.01 {
			t.Errorf("%s: t-visibility at 0 = %.3f, paper %.3f", c.Profile, got, want[c.Profile])
		}
		for i := 1; i < len(c.Consistent); i++ {
			if c.Consistent[i] < c.Consistent[i-1] {
				t.Errorf("%s: not monotone in t: %v", c.Profile, c.Consistent)
			}
		}
	}
	// Strict quorums always see the write.
	ssd, _ := quorum.ProfileByName("LNKD-SSD")
	strict, err := quorum.PBS(quorum.PBSConfig{Profile: ssd, N: 3, R: 2, W: 2, Trials: 10000})
	if err != nil || strict.At(0) != 1 {
		t.Fatalf("R+W>N: %v %v", strict.At(0), err)
	}
	if k := quorum.KStaleness(3, 1, 1, 1); math.Abs(k-1.0/3) > 1e-12 {
		t.Fatalf("k-staleness N=3 R=W=1 k=1: %v, want 1/3", k)
	}
	if k := quorum.KStaleness(3, 2, 2, 1); k != 1 {
		t.Fatalf("k-staleness with R+W>N: %v", k)
	}
}

func TestDeterminism(t *testing.T) {
	a, b := preset(t, "sloppy-quorum", 9), preset(t, "sloppy-quorum", 9)
	if a.Summary().Text() != b.Summary().Text() || a.Trace() != b.Trace() || a.Events != b.Events {
		t.Fatal("same seed, different runs")
	}
	c := preset(t, "sloppy-quorum", 10)
	if a.Trace() == c.Trace() {
		t.Fatal("different seeds, same trace")
	}
}

// Faults by side name, and a crash: the crashed replica's share of
// answers is taken by the others, so Strong keeps working with one down.
func TestCrashOfOneReplica(t *testing.T) {
	cfg := quorum.Default()
	cfg.Seed = 1
	cfg.Faults = []net.Fault{{Kind: net.FaultCrash, Window: sim.Window{Start: 5 * time.Second, Duration: 10 * time.Second}, Nodes: []string{"r1"}}}
	res, err := quorum.Run(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if res.FailedReads+res.FailedWrites != 0 || res.Check != quorum.IsLinearizable {
		t.Fatalf("one replica down of five: %v", res.Verdict())
	}
	cfg.Model = quorum.Linearizable
	res, err = quorum.Run(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if a := res.Verdict().Available[0]; a > 0.01 {
		t.Fatalf("R=W=N with a replica down answered %v", a)
	}
}

func TestVisualizationOfAViolation(t *testing.T) {
	res := preset(t, "lww-skew", 1)
	page, err := res.Visualization()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(page.HTML(), "<html") || len(page) < 1000 {
		t.Fatalf("not an HTML page: %.200s", page)
	}
	if _, err := preset(t, "lan", 1).Visualization(); err == nil {
		t.Fatal("a linearizable run has no violation to show")
	}
}
