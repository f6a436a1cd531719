package service

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"dsim/sim"
	"dsim/sim/dist"
)

// queueRun is a producer publishing at rate for the first 50 s of a 60 s
// run (so the queue drains before the end), a broker and one consumer.
func queueRun(t *testing.T, seed uint64, rate float64, b *Broker, c *Consumer, faults ...Fault) *System {
	t.Helper()
	sys := New(Config{Seed: seed, Duration: time.Minute, Window: time.Second})
	b.Name, c.Name, c.Broker = "queue", "worker", "queue"
	if c.Workers == 0 {
		c.Workers = 4
	}
	if c.Service == nil {
		c.Service = dist.MustParse("exp(20ms)")
	}
	sys.Add(&Source{Name: "load", Target: "queue", Rate: rate, Pattern: Stepped, Schedule: []Step{{At: 50 * time.Second}}}, b, c)
	sys.Schedule(faults...)
	run(t, sys)
	return sys
}

// crashes strike the consumer every 5 s for 200 ms.
func crashes() []Fault {
	var fs []Fault
	for at := 3 * time.Second; at < 45*time.Second; at += 5 * time.Second {
		fs = append(fs, Fault{Target: "worker", Kind: Crash, Window: sim.Window{Start: at, Duration: 200 * time.Millisecond}})
	}
	return fs
}

// Every message taken is processed, skipped (a copy whose original's
// effect an idempotent consumer knew), lost, dead-lettered or unfinished
// (a dead letter may have been processed as well).
func conserved(t *testing.T, b *Broker) {
	t.Helper()
	if pub := b.Published.Total(); pub != b.Processed+b.Skipped+b.Lost+b.DeadLettered-b.DeadProcessed+b.Unfinished {
		t.Errorf("published %d != processed %d + skipped copies %d + lost %d + dead %d + unfinished %d", pub, b.Processed, b.Skipped, b.Lost, b.DeadLettered, b.Unfinished)
	}
	if b.Unfinished != 0 {
		t.Errorf("%d messages unfinished after the drain", b.Unfinished)
	}
}

// Acknowledging before processing loses exactly the messages in
// processing when the consumer crashed, and never duplicates.
func TestAtMostOnceLosesWhatCrashed(t *testing.T) {
	b, c := &Broker{}, &Consumer{Ack: AckBefore}
	queueRun(t, 1, 150, b, c, crashes()...)
	if b.Lost == 0 || b.Lost != c.Crashed {
		t.Errorf("lost %d, crashed in processing %d", b.Lost, c.Crashed)
	}
	if b.Duplicates != 0 || b.Redelivered != 0 {
		t.Errorf("%d duplicates, %d redeliveries", b.Duplicates, b.Redelivered)
	}
	conserved(t, b)
}

// Acknowledging after processing loses nothing. A crash redelivers what
// it dropped, with no duplicate; a lost acknowledgement redelivers a
// processed message, whose effect then happens twice.
func TestAtLeastOnceDuplicatesTheRedelivered(t *testing.T) {
	t.Run("crashes", func(t *testing.T) {
		b, c := &Broker{Visibility: time.Second}, &Consumer{Ack: AckAfter}
		queueRun(t, 1, 150, b, c, crashes()...)
		if b.Lost != 0 || b.Duplicates != 0 || c.Crashed == 0 || b.Redelivered != c.Crashed {
			t.Errorf("lost %d, duplicates %d, crashed %d, redelivered %d", b.Lost, b.Duplicates, c.Crashed, b.Redelivered)
		}
		conserved(t, b)
	})
	t.Run("lost acks", func(t *testing.T) {
		b, c := &Broker{Visibility: time.Second}, &Consumer{AckLoss: 0.2}
		queueRun(t, 1, 150, b, c)
		if b.Lost != 0 || c.AcksLost == 0 || b.Duplicates != c.AcksLost || b.Redelivered != c.AcksLost || c.Repeats != b.Duplicates {
			t.Errorf("lost %d, acks lost %d, duplicates %d, redelivered %d, repeats %d", b.Lost, c.AcksLost, b.Duplicates, b.Redelivered, c.Repeats)
		}
		conserved(t, b)
	})
}

// Processing longer than the visibility timeout duplicates with no
// failure at all: the message is delivered again while its first
// delivery is still at work, and the first one's late acknowledgement is
// ignored as stale. Here every delivery outlives its visibility, so no
// acknowledgement is ever accepted and every message cycles to the end.
func TestVisibilityShorterThanProcessing(t *testing.T) {
	b, c := &Broker{Visibility: 100 * time.Millisecond}, &Consumer{Workers: 8, Service: dist.MustParse("const(150ms)")}
	queueRun(t, 6, 10, b, c)
	t.Logf("published %d, delivered %d, duplicates %d, depth max %v", b.Published.Total(), b.Delivered.Total(), b.Duplicates, b.Depth.Max())
	if b.Duplicates == 0 || b.Redelivered == 0 || c.Crashed != 0 || c.AcksLost != 0 || b.Lost != 0 {
		t.Errorf("duplicates %d, redelivered %d", b.Duplicates, b.Redelivered)
	}
	for id, m := range b.msgs {
		if m.state == msgDone {
			t.Fatalf("message %d acknowledged after %d deliveries", id, m.attempts)
		}
	}
	conserved(t, b)
}

// With acknowledgements lost independently with chance p and unlimited
// redelivery, a message is delivered 1/(1-p) times on average (a
// geometric number of tries).
func TestDeliveriesPerMessage(t *testing.T) {
	for _, p := range []float64{0.1, 0.3} {
		b := &Broker{Visibility: 100 * time.Millisecond}
		c := &Consumer{Workers: 64, Service: dist.MustParse("exp(1ms)"), AckLoss: p}
		sys := New(Config{Seed: 3, Duration: 110 * time.Second, Window: time.Second})
		b.Name, c.Name, c.Broker = "queue", "worker", "queue"
		sys.Add(&Source{Name: "load", Target: "queue", Rate: 1100, Pattern: Stepped, Schedule: []Step{{At: 100 * time.Second}}}, b, c)
		run(t, sys)
		pub := b.Published.Total()
		got, want := float64(b.Delivered.Total())/float64(pub), 1/(1-p)
		if pub < 100_000 || math.Abs(got-want) > 0.02*want {
			t.Errorf("p=%g: %.4f deliveries per message over %d, theory %.4f", p, got, pub, want)
		}
		conserved(t, b)
	}
}

// An idempotent consumer whose store outlives the redelivery delay turns
// at-least-once delivery into one effect per message; a TTL shorter than
// the delay (the visibility timeout plus the wait in the queue), or a
// store too small, lets duplicates through.
func TestIdempotentConsumer(t *testing.T) {
	faults := crashes()
	t.Run("TTL beyond redelivery", func(t *testing.T) {
		b, c := &Broker{Visibility: time.Second}, &Consumer{AckLoss: 0.3, Idempotent: true, DedupTTL: 10 * time.Second}
		queueRun(t, 2, 100, b, c, faults...)
		if b.Duplicates != 0 || c.DedupHits == 0 || b.Lost != 0 || c.Effects != b.Processed {
			t.Errorf("duplicates %d, dedup hits %d, lost %d, effects %d of %d", b.Duplicates, c.DedupHits, b.Lost, c.Effects, b.Processed)
		}
		conserved(t, b)
	})
	t.Run("TTL under redelivery", func(t *testing.T) {
		b, c := &Broker{Visibility: time.Second}, &Consumer{AckLoss: 0.3, Idempotent: true, DedupTTL: 500 * time.Millisecond}
		queueRun(t, 2, 100, b, c, faults...)
		if b.Duplicates == 0 || c.DedupHits != 0 {
			t.Errorf("duplicates %d, dedup hits %d: a store that forgets before the redelivery cannot help", b.Duplicates, c.DedupHits)
		}
	})
	// Competing consumers catch each other's duplicates only with a shared
	// store.
	t.Run("competing consumers", func(t *testing.T) {
		for _, group := range []string{"", "orders"} {
			sys := New(Config{Seed: 2, Duration: time.Minute, Window: time.Second})
			b := &Broker{Name: "queue", Visibility: time.Second}
			sys.Add(&Source{Name: "load", Target: "queue", Rate: 100, Pattern: Stepped, Schedule: []Step{{At: 50 * time.Second}}}, b)
			for _, name := range []string{"a", "b", "c"} {
				sys.Add(&Consumer{Name: name, Broker: "queue", Workers: 2, Service: dist.MustParse("exp(20ms)"), AckLoss: 0.3,
					Idempotent: true, DedupTTL: 10 * time.Second, DedupGroup: group})
			}
			run(t, sys)
			if shared := group != ""; shared != (b.Duplicates == 0) || b.Lost != 0 {
				t.Errorf("group %q: duplicates %d, lost %d", group, b.Duplicates, b.Lost)
			}
			conserved(t, b)
		}
	})
	t.Run("store too small", func(t *testing.T) {
		b, c := &Broker{Visibility: time.Second}, &Consumer{AckLoss: 0.3, Idempotent: true, DedupSize: 20}
		queueRun(t, 2, 100, b, c)
		if b.Duplicates == 0 || c.DedupEvicted == 0 {
			t.Errorf("duplicates %d, evicted %d", b.Duplicates, c.DedupEvicted)
		}
	})
}

// A poison message is delivered MaxDeliveries times, fails each time, and
// goes to the dead-letter queue; the others are processed.
func TestDeadLetterQueue(t *testing.T) {
	b, c := &Broker{Visibility: 500 * time.Millisecond, MaxDeliveries: 3, Poison: 0.02}, &Consumer{}
	queueRun(t, 4, 100, b, c)
	poison := 0
	for _, m := range b.msgs {
		if m.poison {
			poison++
		}
	}
	if poison == 0 || b.DeadLettered != int64(poison) || c.Failed != 3*b.DeadLettered {
		t.Errorf("poison %d, dead-lettered %d, failed deliveries %d", poison, b.DeadLettered, c.Failed)
	}
	for _, id := range b.DeadLetters {
		if m := b.msgs[id]; !m.poison || m.attempts != 3 {
			t.Errorf("dead letter %d: poison %v after %d attempts", id, m.poison, m.attempts)
		}
	}
	conserved(t, b)
}

// A bounded queue under a producer faster than its consumer refuses the
// excess (DropNew) or holds the producers back (Backpressure); a producer
// that times out abandons its held publication.
func TestBrokerBound(t *testing.T) {
	slow := &Consumer{Workers: 1, Service: dist.MustParse("exp(20ms)")}
	b := &Broker{MaxDepth: 50, Overflow: DropNew}
	queueRun(t, 5, 100, b, slow)
	if b.Refused == 0 || b.Depth.Max() > 50 || b.Blocked != 0 {
		t.Errorf("drop: refused %d, max depth %v, blocked %d", b.Refused, b.Depth.Max(), b.Blocked)
	}
	conserved(t, b)

	sys := New(Config{Seed: 5, Duration: time.Minute, Window: time.Second})
	b = &Broker{Name: "queue", MaxDepth: 50}
	sys.Add(&Source{Name: "load", Target: "client", Rate: 100, Pattern: Stepped, Schedule: []Step{{At: 40 * time.Second}}},
		&Client{Name: "client", Target: "queue", Timeout: time.Second},
		b, &Consumer{Name: "worker", Broker: "queue", Workers: 1, Service: dist.MustParse("exp(20ms)")})
	run(t, sys)
	if b.Blocked == 0 || b.Abandoned == 0 || b.Depth.Max() > 50 || b.Refused != 0 {
		t.Errorf("backpressure: blocked %d, abandoned %d, max depth %v, refused %d", b.Blocked, b.Abandoned, b.Depth.Max(), b.Refused)
	}
	conserved(t, b)
}

// The same seed gives the same run, on one core or two; another seed
// another run.
func TestBrokerDeterminism(t *testing.T) {
	once := func(seed uint64) string {
		sys := New(Config{Seed: seed, Duration: time.Minute, Window: time.Second})
		sys.Add(&Source{Name: "load", Target: "client", Rate: 300, Pattern: Bursty, Peak: 600, Keys: Keys{N: 100, Skew: 1}},
			&Client{Name: "client", Target: "queue", Timeout: 500 * time.Millisecond, MaxRetries: 2},
			&Broker{Name: "queue", MaxDepth: 200, Visibility: time.Second, MaxDeliveries: 4, Poison: 0.01},
			&Consumer{Name: "a", Broker: "queue", Workers: 4, Service: dist.MustParse("exp(15ms)"), Ack: AckBefore, AckLoss: 0.05},
			&Consumer{Name: "b", Broker: "queue", Workers: 4, Service: dist.MustParse("lognorm(15ms, 1)"), AckLoss: 0.1,
				Idempotent: true, DedupSize: 1000, DedupTTL: 5 * time.Second})
		sys.Schedule(Fault{Target: "a", Kind: Crash, Window: sim.Window{Start: 10 * time.Second, Duration: time.Second}},
			Fault{Target: "b", Kind: Slowdown, Factor: 5, Window: sim.Window{Start: 20 * time.Second, Duration: 5 * time.Second}},
			Fault{Target: "b", Kind: CapacityDrop, Share: 0.5, Window: sim.Window{Start: 30 * time.Second, Duration: 5 * time.Second}})
		run(t, sys)
		// Two kinds of consumer on one queue still account for every message.
		b := sys.Find("queue").(*Broker)
		if pub := b.Published.Total(); pub != b.Processed+b.Lost+b.DeadLettered-b.DeadProcessed+b.Unfinished {
			t.Errorf("published %d != processed %d + lost %d + dead %d + unfinished %d", pub, b.Processed, b.Lost, b.DeadLettered, b.Unfinished)
		}
		return digest(sys)
	}
	seeded(t, once)
}

// Bad settings are refused before the run, naming the field.
func TestBrokerValidation(t *testing.T) {
	exp := dist.MustParse("exp(10ms)")
	for _, tc := range []struct {
		b    Broker
		c    Consumer
		want string
	}{
		{Broker{MaxDepth: -1}, Consumer{}, `Broker "queue": MaxDepth=-1: must be between 0`},
		{Broker{Overflow: "spill"}, Consumer{}, "Overflow=spill: want backpressure or drop"},
		{Broker{Visibility: time.Microsecond}, Consumer{}, "Visibility=1µs: must be between 1ms and 1h"},
		{Broker{MaxDeliveries: 1001}, Consumer{}, "MaxDeliveries=1001"},
		{Broker{Poison: math.NaN()}, Consumer{}, "Poison=NaN"},
		{Broker{MaxMessages: MaxMessages + 1}, Consumer{}, "MaxMessages=100000001"},
		{Broker{}, Consumer{Workers: -1}, `Consumer "worker": Workers=-1: must be between 1`},
		{Broker{}, Consumer{Ack: "never"}, "Ack=never: want before (at-most-once) or after"},
		{Broker{}, Consumer{AckLoss: 1}, "AckLoss=1: must be a chance between 0 and 0.99"},
		{Broker{}, Consumer{Idempotent: true, DedupSize: -5}, "DedupSize=-5"},
		{Broker{}, Consumer{Idempotent: true, DedupTTL: -time.Second}, "DedupTTL=-1s"},
		{Broker{}, Consumer{DedupTTL: time.Second}, "Idempotent=false: DedupSize, DedupTTL and DedupGroup"},
		{Broker{}, Consumer{DedupGroup: "g"}, "Idempotent=false"},
		{Broker{}, Consumer{Service: dist.MustParse("exp(2h)")}, "Service=exp(7200s)"},
		{Broker{}, Consumer{Broker: "load"}, `Broker=load: is a Source`},
		{Broker{}, Consumer{Broker: "nowhere"}, `Broker=nowhere: no component has that name`},
	} {
		b, c := tc.b, tc.c
		b.Name = "queue"
		c.Name = "worker"
		if c.Broker == "" {
			c.Broker = "queue"
		}
		if c.Workers == 0 {
			c.Workers = 1
		}
		if c.Service == nil {
			c.Service = exp
		}
		sys := New(Config{Seed: 1})
		sys.Add(&Source{Name: "load", Target: "queue", Rate: 10}, &b, &c)
		err := sys.Run(context.Background())
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("got %v, want %q", err, tc.want)
		}
	}
	sys := New(Config{Seed: 1})
	sys.Add(&Source{Name: "load", Target: "queue", Rate: 10}, &Broker{Name: "queue"},
		&Consumer{Name: "a", Broker: "queue", Workers: 1, Service: exp, Idempotent: true, DedupGroup: "g", DedupTTL: time.Second},
		&Consumer{Name: "b", Broker: "queue", Workers: 1, Service: exp, Idempotent: true, DedupGroup: "g"})
	if err := sys.Check(); err == nil || !strings.Contains(err.Error(), `Consumer "a": DedupGroup=g: shares a store with Consumer "b", whose DedupSize=0 and DedupTTL=0s differ`) {
		t.Errorf("a shared store set two ways: %v", err)
	}
	sys = New(Config{Seed: 1})
	sys.Add(&Source{Name: "load", Target: "worker", Rate: 10}, &Broker{Name: "queue"}, &Consumer{Name: "worker", Broker: "queue", Workers: 1, Service: exp})
	if err := sys.Check(); err == nil || !strings.Contains(err.Error(), `calls "worker", a Consumer`) {
		t.Errorf("a load calling a consumer: %v", err)
	}
}

// A run that would take more messages than MaxMessages stops with a
// LimitError naming the bound.
func TestBrokerMaxMessages(t *testing.T) {
	sys := New(Config{Seed: 1, Duration: time.Minute})
	sys.Add(&Source{Name: "load", Target: "queue", Rate: 100}, &Broker{Name: "queue", MaxMessages: 1000},
		&Consumer{Name: "worker", Broker: "queue", Workers: 1, Service: dist.MustParse("exp(1ms)")})
	err := sys.Run(context.Background())
	if err == nil || !strings.Contains(err.Error(), "Broker.MaxMessages=1000") {
		t.Errorf("got %v", err)
	}
}

// BenchmarkBroker moves a million messages per iteration (10,000 a second
// for 100 virtual seconds) through a broker to two idempotent consumers
// sharing a store, that lose 10% of their acknowledgements, with the checker and every
// metric on, and reports messages published per wall second.
func BenchmarkBroker(b *testing.B) {
	b.ReportAllocs()
	var msgs int64
	for i := 0; i < b.N; i++ {
		sys := New(Config{Seed: uint64(i + 1), Duration: 100 * time.Second, Window: time.Second})
		br := &Broker{Name: "queue", Visibility: time.Second, MaxMessages: 2_000_000}
		sys.Add(&Source{Name: "load", Target: "queue", Rate: 10_000}, br)
		for _, name := range []string{"a", "b"} {
			sys.Add(&Consumer{Name: name, Broker: "queue", Workers: 16, Service: dist.MustParse("exp(1ms)"), AckLoss: 0.1,
				Idempotent: true, DedupTTL: 10 * time.Second, DedupGroup: "effects"})
		}
		if err := sys.Run(context.Background()); err != nil {
			b.Fatal(err)
		}
		msgs += br.Published.Total()
		if i == 0 {
			b.Logf("delivered %d, duplicates %d, p99 %v, events %d", br.Delivered.Total(), br.Duplicates, br.Latency.Quantile(0.99), sys.Sim().Events())
		}
	}
	b.ReportMetric(float64(msgs)/b.Elapsed().Seconds(), "messages/s")
}

// Over many random settings every message is accounted for, and
// consumers that all acknowledge after processing lose nothing.
func TestBrokerAccounting(t *testing.T) {
	for seed := uint64(1); seed <= 40; seed++ {
		r := rand.New(rand.NewPCG(seed, 0))
		sys := New(Config{Seed: seed, Duration: 20 * time.Second, Window: time.Second})
		b := &Broker{Name: "queue", Visibility: time.Duration(50+r.IntN(1000)) * time.Millisecond,
			MaxDeliveries: r.IntN(4), Poison: 0.02 * r.Float64()}
		if r.IntN(2) == 0 {
			b.MaxDepth, b.Overflow = 1+r.IntN(100), []Overflow{Backpressure, DropNew}[r.IntN(2)]
		}
		sys.Add(&Source{Name: "load", Target: "client", Rate: 50 + 300*r.Float64()},
			&Client{Name: "client", Target: "queue", Timeout: time.Second, MaxRetries: r.IntN(3)}, b)
		early := false
		for i := 0; i <= r.IntN(3); i++ {
			c := &Consumer{Name: fmt.Sprintf("c%d", i), Broker: "queue", Workers: 1 + r.IntN(8),
				Service: dist.MustParse("exp(20ms)"), Ack: []AckMode{AckBefore, AckAfter}[r.IntN(2)], AckLoss: 0.3 * r.Float64()}
			if r.IntN(2) == 0 {
				c.Idempotent, c.DedupGroup, c.DedupTTL = true, "g", 2*time.Second
			}
			early = early || c.Ack == AckBefore
			sys.Add(c)
			sys.Schedule(Fault{Target: c.Name, Kind: Crash, Window: sim.Window{Start: time.Duration(1+r.IntN(15)) * time.Second, Duration: time.Second}})
		}
		run(t, sys)
		if pub := b.Published.Total(); pub != b.Processed+b.Lost+b.DeadLettered-b.DeadProcessed+b.Unfinished {
			t.Errorf("seed %d: published %d != processed %d + lost %d + dead %d - %d + unfinished %d",
				seed, pub, b.Processed, b.Lost, b.DeadLettered, b.DeadProcessed, b.Unfinished)
		}
		if !early && b.Lost != 0 {
			t.Errorf("seed %d: %d lost with every acknowledgement after processing", seed, b.Lost)
		}
	}
}
