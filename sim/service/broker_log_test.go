package service

import (
	"strings"
	"testing"
	"time"

	"dsim/sim/dist"
)

// logRun is keyed messages (30 accounts) published for 50 s of a 60 s
// run to a broker consumed by two consumers of four workers, the first
// crashing every 5 s.
func logRun(t *testing.T, seed uint64, b *Broker, ack AckMode) (*System, []*Consumer) {
	t.Helper()
	sys := New(Config{Seed: seed, Duration: time.Minute, Window: time.Second})
	b.Name = "orders"
	sys.Add(&Source{Name: "load", Target: "orders", Rate: 150, Keys: Keys{N: 30}, Pattern: Stepped, Schedule: []Step{{At: 50 * time.Second}}}, b)
	var cs []*Consumer
	for _, name := range []string{"worker", "spare"} {
		c := &Consumer{Name: name, Broker: "orders", Workers: 4, Service: dist.MustParse("exp(20ms)"), Ack: ack}
		cs = append(cs, c)
		sys.Add(c)
	}
	sys.Schedule(crashes()...)
	run(t, sys)
	return sys, cs
}

// Parallel consumers of a queue apply two messages of the same key in
// either order; a log delivers each partition in order, so no key's
// messages take effect out of order, through crashes and rebalances.
func TestLogKeepsEachKeysOrder(t *testing.T) {
	q := &Broker{Visibility: time.Second}
	logRun(t, 1, q, AckAfter)
	l := &Broker{Visibility: time.Second, Partitions: 8}
	logRun(t, 1, l, AckAfter)
	t.Logf("queue: %d out of order, %d duplicates; log: %d out of order, %d duplicates, %d rewinds", q.OutOfOrder, q.Duplicates, l.OutOfOrder, l.Duplicates, l.Rewinds)
	if q.OutOfOrder == 0 {
		t.Error("a queue with eight workers applied every key in order")
	}
	if l.OutOfOrder != 0 || l.Lost != 0 || l.Rewinds == 0 {
		t.Errorf("log: %d out of order, %d lost, %d rewinds", l.OutOfOrder, l.Lost, l.Rewinds)
	}
	conserved(t, q)
	conserved(t, l)
}

// Offsets committed rarely cost duplicates: a crash rewinds its
// partitions to the last commit, and everything processed since is
// delivered again. Committing before processing loses instead what the
// crash interrupted.
func TestLogCommits(t *testing.T) {
	every := map[int]int64{}
	for _, n := range []int{1, 25} {
		b := &Broker{Visibility: time.Second, Partitions: 8, CommitEvery: n}
		logRun(t, 2, b, AckAfter)
		t.Logf("commit every %d: %d duplicates, %d rewinds, %d lost", n, b.Duplicates, b.Rewinds, b.Lost)
		if b.Lost != 0 || b.OutOfOrder != 0 {
			t.Errorf("commit every %d: %d lost, %d out of order", n, b.Lost, b.OutOfOrder)
		}
		conserved(t, b)
		every[n] = b.Duplicates
	}
	if every[25] <= 2*every[1] {
		t.Errorf("duplicates: %d committing every 25, %d every message", every[25], every[1])
	}
	b := &Broker{Visibility: time.Second, Partitions: 8}
	_, cs := logRun(t, 2, b, AckBefore)
	if b.Lost == 0 || b.Lost != cs[0].Crashed+cs[1].Crashed || b.Duplicates != 0 {
		t.Errorf("commit before processing: %d lost, %d crashed in processing, %d duplicates", b.Lost, cs[0].Crashed+cs[1].Crashed, b.Duplicates)
	}
	conserved(t, b)
}

// A poison message blocks its partition, delivered again and again,
// until it is dead-lettered; the other partitions go on.
func TestLogPoisonBlocksItsPartition(t *testing.T) {
	b := &Broker{Visibility: time.Second, Partitions: 8, MaxDeliveries: 3, Poison: 0.01}
	sys := New(Config{Seed: 3, Duration: time.Minute, Window: time.Second})
	b.Name = "orders"
	c := &Consumer{Name: "worker", Broker: "orders", Workers: 8, Service: dist.MustParse("exp(20ms)")}
	sys.Add(&Source{Name: "load", Target: "orders", Rate: 100, Keys: Keys{N: 30}, Pattern: Stepped, Schedule: []Step{{At: 50 * time.Second}}}, b, c)
	run(t, sys)
	poison := 0
	for _, m := range b.msgs {
		if m.poison {
			poison++
		}
	}
	if poison == 0 || b.DeadLettered != int64(poison) || c.Failed != 3*b.DeadLettered || b.OutOfOrder != 0 {
		t.Errorf("poison %d, dead-lettered %d, failed deliveries %d, out of order %d", poison, b.DeadLettered, c.Failed, b.OutOfOrder)
	}
	conserved(t, b)
}

func TestLogValidation(t *testing.T) {
	for _, c := range []struct {
		b    *Broker
		want string
	}{
		{&Broker{Name: "q", Partitions: -1}, "Partitions=-1"},
		{&Broker{Name: "q", Partitions: MaxPartitions + 1}, "Partitions=1025"},
		{&Broker{Name: "q", CommitEvery: 5}, "CommitEvery=5"},
		{&Broker{Name: "q", Partitions: 2, CommitEvery: -1}, "CommitEvery=-1"},
	} {
		sys := New(Config{Seed: 1, Duration: time.Second})
		sys.Add(c.b, &Consumer{Name: "c", Broker: "q", Workers: 1, Service: dist.MustParse("const(1ms)")})
		err := sys.Check()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: got %v, want an error naming %s", *c.b, err, c.want)
		}
	}
}

// A producer whose acknowledgement is lost publishes again: a second
// message, whose effect is the request's second. The broker cannot tell
// the copies apart, and neither can a consumer deduplicating by its
// delivery; an idempotency key from the producer lets the consumer
// apply each request once.
func TestProducerRetriesDuplicate(t *testing.T) {
	for _, idem := range []bool{false, true} {
		sys := New(Config{Seed: 5, Duration: time.Minute, Window: time.Second})
		b := &Broker{Name: "queue", Visibility: time.Second}
		c := &Consumer{Name: "worker", Broker: "queue", Workers: 4, Service: dist.MustParse("exp(20ms)"), Idempotent: idem}
		producer := &Client{Name: "producer", Target: "wire", Timeout: 50 * time.Millisecond, MaxRetries: 5}
		wire := &Hop{Name: "wire", Target: "queue", Latency: dist.MustParse("exp(5ms)"), Loss: 0.1}
		sys.Add(&Source{Name: "orders", Target: "producer", Rate: 100, Pattern: Stepped, Schedule: []Step{{At: 50 * time.Second}}}, producer, wire, b, c)
		run(t, sys)
		t.Logf("idempotent %v: %d published, %d republished, %d extra effects, %d duplicates, %d dedup hits", idem, b.Published.Total(), b.Republished, b.ExtraEffects, b.Duplicates, c.DedupHits)
		switch {
		case b.Republished == 0 || b.Duplicates != 0:
			t.Errorf("idempotent %v: %d republished, %d redelivery duplicates", idem, b.Republished, b.Duplicates)
		case !idem && b.ExtraEffects != b.Republished:
			t.Errorf("every copy's effect is extra: %d extra effects for %d copies", b.ExtraEffects, b.Republished)
		case idem && (b.ExtraEffects != 0 || c.DedupHits != b.Republished):
			t.Errorf("idempotent: %d extra effects, %d dedup hits for %d copies", b.ExtraEffects, c.DedupHits, b.Republished)
		}
		conserved(t, b)
	}
}
