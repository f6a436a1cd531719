package quorum_test

import (
	"testing"
	"time"

	"dsim/sim"
	"dsim/sim/scenario/quorum"
	"dsim/sim/sweep"
)

// The claims the lessons' prose makes of their figures and tables, for
// the very sweeps and runs the notebooks make (notebooks/04-quorums and
// 05-versions): a change to the model that breaks a sentence fails here.

func lessonSweep(t *testing.T, base quorum.Config, reps int, knobs ...sweep.Knob) *sweep.Result {
	t.Helper()
	sw, err := quorum.Sweep(base, sweep.Spec{Seed: 1, Reps: reps, Knobs: knobs})
	if err != nil {
		t.Fatal(err)
	}
	return sw
}

func presets(names ...string) sweep.Knob { return sweep.Knob{Name: "Preset", Labels: names} }

func point(t *testing.T, sw *sweep.Result, labels ...string) int {
	t.Helper()
	p, err := quorum.PointOf(sw, labels...)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// every reports whether each run's value of metric satisfies ok.
func every(sw *sweep.Result, p int, metric string, ok func(float64) bool) bool {
	vs := sw.Values(p, metric)
	for _, v := range vs {
		if !ok(v) {
			return false
		}
	}
	return len(vs) > 0
}

func zero(v float64) bool     { return v == 0 }
func positive(v float64) bool { return v > 0 }
func all(v float64) bool      { return v == 100 }

func TestLesson04Claims(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the lesson's sweeps")
	}
	// Else: latency against consistency.
	sw := lessonSweep(t, quorum.Default(), 10, presets("lan", "wan", "wan-weak"))
	lan, wan, weak := point(t, sw, "lan"), point(t, sw, "wan"), point(t, sw, "wan-weak")
	const read = "read mean (ms)"
	if m := sw.Stat(lan, read).Mean; m > 20 {
		t.Errorf("a LAN quorum read takes %.1f ms, not about 10 ms of work and two 1 ms hops", m)
	}
	if m := sw.Stat(wan, read).Mean; m < 140 || m > 170 {
		t.Errorf("a regional quorum read takes %.1f ms, not about two 75 ms hops", m)
	}
	if m := sw.Stat(weak, read).Mean; m > 20 {
		t.Errorf("a Weak read takes %.1f ms, not LAN speed", m)
	}
	if !every(sw, weak, "stale reads", positive) || sw.Stat(weak, "linearizable").Mean != 0 {
		t.Error("Weak should read stale in every seed and never be linearizable")
	}
	for _, p := range []int{lan, wan} {
		if !every(sw, p, "stale reads", zero) || sw.Stat(p, "linearizable").Mean != 1 {
			t.Errorf("Strong (point %d) should never read stale and be linearizable in every run", p)
		}
	}
	// The figure: one run of wan, its reads around 150 ms.
	res := preset(t, "wan", 1)
	if med := res.ReadLatency.Quantile(0.5); med < 130*sim.Millisecond || med > 170*sim.Millisecond {
		t.Errorf("the wan figure's median read is %v, not around 150 ms", med)
	}

	// Partition: every minority operation waits the whole timeout and fails.
	cfg, err := quorum.PresetConfig("partition-strong")
	if err != nil {
		t.Fatal(err)
	}
	res, err = quorum.Run(cfg)
	if err != nil {
		t.Fatal(err)
	}
	from, to := sim.FromDuration(cfg.Partition.Start), sim.FromDuration(cfg.Partition.End())
	for _, o := range res.Ops {
		if o.Side == quorum.Sides[1] && o.Start >= from && o.Start < to && (o.OK || o.End-o.Start != sim.FromDuration(cfg.Timeout)) {
			t.Fatalf("a minority operation during the partition did not fail at the timeout: %v, %v to %v", o, o.Start, o.End)
		}
	}
	sw = lessonSweep(t, quorum.Default(), 10, presets("partition-strong", "partition-eventual"))
	strong, eventual := point(t, sw, "partition-strong"), point(t, sw, "partition-eventual")
	if !every(sw, strong, "answered minority (%)", zero) || !every(sw, strong, "answered majority (%)", all) ||
		sw.Stat(strong, "linearizable").Mean != 1 || !every(sw, strong, "stale reads", zero) || !every(sw, strong, "inverted reads", zero) || !every(sw, strong, "lost writes", zero) {
		t.Error("Strong under the partition: the minority side should fail, the majority answer, every run linearizable")
	}
	if !every(sw, eventual, "answered minority (%)", all) || !every(sw, eventual, "answered majority (%)", all) ||
		sw.Stat(eventual, "linearizable").Mean != 0 || !every(sw, eventual, "stale reads", positive) {
		t.Error("Eventual under the partition: both sides should answer, no run linearizable, stale reads in each")
	}

	// What R+W>N does not guarantee: slow replicas invert reads, never stale.
	sw = lessonSweep(t, quorum.Default(), 20, presets("slow-replicas"))
	if !every(sw, 0, "stale reads", zero) || sw.Stat(0, "inverted reads").Mean == 0 || sw.Stat(0, "linearizable").Mean > 0.45 {
		t.Errorf("slow-replicas: stale %v, inverted %v, linearizable %v; the lesson says no stale read, inverted reads, most runs not linearizable",
			sw.Values(0, "stale reads"), sw.Stat(0, "inverted reads").Mean, sw.Stat(0, "linearizable").Mean)
	}
}

func TestLesson05Claims(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the lesson's sweeps")
	}
	// Lost writes against clock skew: none at small skews, then growing;
	// none ever with counters.
	base, err := quorum.PresetConfig("lww-skew")
	if err != nil {
		t.Fatal(err)
	}
	skews := []float64{0, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2}
	sw := lessonSweep(t, base, 5, sweep.Knob{Name: "ClockSkew", Values: skews}, sweep.Knob{Name: "Versioning", Labels: []string{"timestamp", "counter"}})
	last := -1.0
	for _, p := range sw.Points {
		lost := sw.Stat(p.Index, "lost writes").Mean
		skew, versions := p.Get("ClockSkew"), p.Label("Versioning")
		switch {
		case versions == "counter" && lost != 0:
			t.Errorf("counters lost %.1f writes per run at ClockSkew=%gs", lost, skew)
		case versions == "timestamp" && skew <= 0.025 && lost != 0:
			t.Errorf("timestamps lost %.1f writes per run at ClockSkew=%gs, smaller than a write", lost, skew)
		case versions == "timestamp" && skew >= 0.1:
			if lost <= last {
				t.Errorf("lost writes do not grow with the skew: %.1f at %gs after %.1f", lost, skew, last)
			}
			last = lost
		}
	}

	// Which fixes which.
	sw = lessonSweep(t, quorum.Default(), 10, presets("lww-skew", "slow-replicas"),
		sweep.Knob{Name: "Versioning", Labels: []string{"timestamp", "counter"}},
		sweep.Knob{Name: "ReadRepair", Labels: []string{"async", "sync"}})
	for _, repair := range []string{"async", "sync"} {
		if !every(sw, point(t, sw, "lww-skew", "counter", repair), "lost writes", zero) {
			t.Errorf("counters with %s repair lost writes on lww-skew", repair)
		}
		if sw.Stat(point(t, sw, "lww-skew", "timestamp", repair), "lost writes").Mean == 0 {
			t.Errorf("timestamps with %s repair lost no write on lww-skew", repair)
		}
		if !every(sw, point(t, sw, "slow-replicas", "timestamp", "sync"), "inverted reads", zero) ||
			!every(sw, point(t, sw, "slow-replicas", "counter", "sync"), "inverted reads", zero) {
			t.Error("synchronous repair left inverted reads on slow-replicas")
		}
	}
	for _, versions := range []string{"timestamp", "counter"} {
		if sw.Stat(point(t, sw, "slow-replicas", versions, "async"), "inverted reads").Mean == 0 {
			t.Errorf("%s versions with asynchronous repair inverted no read on slow-replicas", versions)
		}
	}
	for _, store := range []string{"lww-skew", "slow-replicas"} {
		if sw.Stat(point(t, sw, store, "counter", "sync"), "linearizable").Mean != 1 {
			t.Errorf("the ABD register (counters, sync repair) is not linearizable in every run of %s", store)
		}
		stamps, counters := point(t, sw, store, "timestamp", "async"), point(t, sw, store, "counter", "async")
		if r := sw.Stat(counters, "write mean (ms)").Mean / sw.Stat(stamps, "write mean (ms)").Mean; r < 1.7 || r > 2.3 {
			t.Errorf("%s: counters make writes %.2f times as slow, not about twice", store, r)
		}
		sync := point(t, sw, store, "timestamp", "sync")
		if r := sw.Stat(sync, "read mean (ms)").Mean / sw.Stat(stamps, "read mean (ms)").Mean; r < 1.7 || r > 2.3 {
			t.Errorf("%s: synchronous repair makes reads %.2f times as slow, not about twice", store, r)
		}
	}

	// Sloppy quorums: the minority answers, and reads go stale.
	sw = lessonSweep(t, quorum.Default(), 10, presets("partition-strong", "sloppy-quorum"))
	sloppy := point(t, sw, "sloppy-quorum")
	if !every(sw, sloppy, "answered minority (%)", all) || !every(sw, sloppy, "stale reads", positive) || sw.Stat(sloppy, "linearizable").Mean != 0 {
		t.Error("a sloppy quorum should answer on the minority side, read stale in every run, and never be linearizable")
	}

	// PBS, N=3 R=W=1, seed 1.
	curves, err := quorum.PBSCurves(3, 1, 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	at := map[string]quorum.PBSResult{}
	for _, c := range curves {
		at[c.Profile] = c
	}
	if at["LNKD-SSD"].At(0) < 0.95 {
		t.Error("on SSDs a read right after the write should nearly always see it")
	}
	disk, ok := at["LNKD-DISK"].TimeTo(0.99)
	if at["LNKD-DISK"].At(0) >= 0.5 || !ok || disk < 10*time.Millisecond || disk > 90*time.Millisecond {
		t.Errorf("on disks less than half should see it at once (%.3f) and 99%% after tens of ms (%v)", at["LNKD-DISK"].At(0), disk)
	}
	wan := at["WAN"]
	if wan.At(0) >= 0.5 || wan.At(50*time.Millisecond) >= 0.5 || wan.At(100*time.Millisecond) < 0.99 {
		t.Errorf("on WAN the curve should jump once the write has crossed: %.3f, %.3f, %.3f", wan.At(0), wan.At(50*time.Millisecond), wan.At(100*time.Millisecond))
	}
}
