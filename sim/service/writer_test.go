package service

import (
	"strings"
	"testing"
	"time"

	"dsim/sim"
	"dsim/sim/dist"
)

// writerRun is orders for 50 s of a 60 s run into a writer that crashes
// every 5 s for 300 ms, publishing to a queue an idempotent consumer
// drains.
func writerRun(t *testing.T, mode WriteMode) (*Writer, *Broker) {
	t.Helper()
	sys := New(Config{Seed: 7, Duration: time.Minute, Window: time.Second})
	w := &Writer{Name: "orders", Broker: "events", Mode: mode, Slots: 8, Commit: dist.MustParse("exp(5ms)"), Publish: dist.MustParse("exp(5ms)")}
	b := &Broker{Name: "events", Visibility: time.Second}
	c := &Consumer{Name: "shipping", Broker: "events", Workers: 4, Service: dist.MustParse("exp(5ms)"), Idempotent: true}
	sys.Add(&Source{Name: "shop", Target: "orders", Rate: 200, Pattern: Stepped, Schedule: []Step{{At: 50 * time.Second}}}, w, b, c)
	for at := 3 * time.Second; at < 48*time.Second; at += 5 * time.Second {
		sys.Schedule(Fault{Target: "orders", Kind: Crash, Window: sim.Window{Start: at, Duration: 300 * time.Millisecond}})
	}
	run(t, sys)
	return w, b
}

// A crash between the two writes of a dual write loses events (commit,
// then publish) or publishes phantoms (publish, then commit); the outbox
// does neither, and the relay's copies are skipped by the idempotent
// consumer.
func TestOutboxAgainstDualWrites(t *testing.T) {
	for _, mode := range WriteModes() {
		w, b := writerRun(t, mode)
		t.Logf("%-20s %d committed, %d published, %d lost events, %d phantoms, %d failed, %d relayed, %d pending; broker: %d republished, %d extra effects",
			mode, w.Committed, w.Published, w.LostEvents, w.Phantoms, w.Failed, w.Relayed, w.Pending, b.Republished, b.ExtraEffects)
		if w.Failed == 0 {
			t.Fatalf("%s: no order failed: the crashes missed", mode)
		}
		switch mode {
		case CommitThenPublish:
			if w.LostEvents == 0 || w.Phantoms != 0 {
				t.Errorf("%s: %d lost events, %d phantoms", mode, w.LostEvents, w.Phantoms)
			}
		case PublishThenCommit:
			if w.Phantoms == 0 || w.LostEvents != 0 {
				t.Errorf("%s: %d lost events, %d phantoms", mode, w.LostEvents, w.Phantoms)
			}
		case Outbox:
			if w.LostEvents != 0 || w.Phantoms != 0 || w.Pending != 0 || w.Published != w.Committed || b.Republished == 0 || b.ExtraEffects != 0 {
				t.Errorf("%s: %d lost, %d phantoms, %d pending, %d of %d published, %d republished, %d extra effects",
					mode, w.LostEvents, w.Phantoms, w.Pending, w.Published, w.Committed, b.Republished, b.ExtraEffects)
			}
		}
		conserved(t, b)
	}
}

func TestWriterValidation(t *testing.T) {
	good := func() *Writer {
		return &Writer{Name: "w", Broker: "q", Slots: 1, Commit: dist.MustParse("const(1ms)"), Publish: dist.MustParse("const(1ms)")}
	}
	for _, c := range []struct {
		change func(w *Writer)
		want   string
	}{
		{func(w *Writer) { w.Mode = "twice" }, `Mode=twice`},
		{func(w *Writer) { w.Slots = 0 }, "Slots=0"},
		{func(w *Writer) { w.Commit = nil }, "Commit=none"},
		{func(w *Writer) { w.Publish = dist.MustParse("normal(1ms, 5ms)") }, "Publish="},
		{func(w *Writer) { w.Broker = "nowhere" }, `Broker=nowhere`},
		{func(w *Writer) { w.Broker = "c" }, "is a Consumer"},
	} {
		w := good()
		c.change(w)
		sys := New(Config{Seed: 1, Duration: time.Second})
		sys.Add(w, &Broker{Name: "q"}, &Consumer{Name: "c", Broker: "q", Workers: 1, Service: dist.MustParse("const(1ms)")})
		if err := sys.Check(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("want an error naming %s, got %v", c.want, err)
		}
	}
}
