package service

import (
	"fmt"
	"math/rand/v2"
	"time"

	"dsim/sim"
	"dsim/sim/dist"
	"dsim/sim/metrics"
)

// AckMode is when a consumer acknowledges a message: it decides what a
// crash loses or duplicates.
type AckMode string

// The acknowledgement modes.
const (
	// AckBefore acknowledges on delivery, then processes: at-most-once. A
	// crash or a failure during processing loses the message.
	AckBefore AckMode = "before"
	// AckAfter processes, then acknowledges: at-least-once. A crash, a
	// failure or a lost acknowledgement leaves the message to be delivered
	// again once its visibility runs out, so its effect may happen twice.
	AckAfter AckMode = "after"
)

// Limits of a consumer's deduplication store.
const (
	// DefaultDedupSize bounds an idempotent consumer's store of processed
	// ids when DedupSize is 0.
	DefaultDedupSize = 1_000_000
	// MaxDedupSize bounds DedupSize; an entry takes about 40 bytes.
	MaxDedupSize = 100_000_000
)

// Consumer takes messages from a Broker and processes them on Workers
// workers, one message each, for a draw from Service; processing ends
// with the message's effect downstream (counted by the broker), unless the
// message is poison. Ack decides when it acknowledges.
//
// An idempotent consumer keeps the idempotency keys it has processed in a
// deduplication store, bounded by DedupSize (the oldest entry goes first)
// and DedupTTL (an entry older than that is forgotten); a message whose
// key the store holds is acknowledged without its effect. The key is the
// producer's: a copy published again by a producer's retry carries its
// first publication's. A duplicate that
// comes after its id was evicted or expired has its effect again. The
// store survives the consumer's crashes, as a database table would. It is
// the consumer's own unless DedupGroup shares it: competing consumers with
// stores of their own each catch only the duplicates that come back to
// them.
//
// Faults: a Crash drops the work in progress (an acknowledged message is
// lost, an unacknowledged one waits for its visibility to run out) and
// takes no messages until the restart; Slowdown lengthens processing
// begun during it; CapacityDrop takes workers away.
//
// Random streams: NAME/service, NAME/acks (AckLoss > 0).
type Consumer struct {
	Name    string
	Broker  string    // the broker it consumes from
	Workers int       // messages processed at once, 1 to MaxSlots
	Service dist.Dist // a message's processing time
	// Ack is when it acknowledges; "" is AckAfter.
	Ack AckMode
	// AckLoss is the chance an acknowledgement is lost on its way, 0 to
	// 0.99: the broker delivers the message again.
	AckLoss float64
	// Idempotent keeps a store of processed ids and skips the effect of a
	// message it has processed already.
	Idempotent bool
	// DedupSize bounds the store; zero means DefaultDedupSize.
	DedupSize int
	// DedupTTL forgets an entry this long after it was stored; zero keeps
	// entries until the size bound evicts them.
	DedupTTL time.Duration
	// DedupGroup, when set, shares one store among the idempotent
	// consumers of the same broker that name the same group, as one table
	// they all write; their DedupSize and DedupTTL must agree.
	DedupGroup string

	ConsumerStats
	part
	faulty
	broker  *Broker
	service *rand.Rand
	acks    *rand.Rand
	early   bool
	active  int
	working []*job
	free    []*job
	store   *dedup
}

// ConsumerStats is what a Consumer measured.
type ConsumerStats struct {
	Received *metrics.Rate  // deliveries taken
	Busy     *metrics.Gauge // messages in processing
	// Processing is from delivery to the end of processing.
	Processing *metrics.Latency
	Effects    int64 // effects applied
	// Repeats is the deliveries of a message whose effect was applied
	// already: the duplicates it was offered.
	Repeats   int64
	DedupHits int64 // effects the store skipped
	// DedupEvicted is the store's entries the size bound dropped (a
	// shared store's, for each consumer sharing it).
	DedupEvicted int64
	Failed       int64 // processings of a poison message
	Crashed      int64 // processings a crash dropped
	AcksLost     int64 // acknowledgements lost on the way
}

// job is one message in processing; jobs are reused.
type job struct {
	c       *Consumer
	id      uint32
	attempt uint16
	poison  bool
	began   sim.Time
	slot    int32
	timer   sim.Timer
	fire    func()
}

func (*Consumer) Kind() string                { return "Consumer" }
func (c *Consumer) ID() string                { return c.Name }
func (c *Consumer) wiredTo() (string, string) { return "Broker", c.Broker }
func (c *Consumer) targets() []string         { return nil }

func (c *Consumer) validate() error {
	switch {
	case c.Workers < 1 || c.Workers > MaxSlots:
		return bad(c, "Workers", c.Workers, fmt.Sprintf("must be between 1 and %d", MaxSlots))
	case c.Ack != "" && c.Ack != AckBefore && c.Ack != AckAfter:
		return bad(c, "Ack", c.Ack, fmt.Sprintf("want %s (at-most-once) or %s (at-least-once)", AckBefore, AckAfter))
	case !(c.AckLoss >= 0 && c.AckLoss <= 0.99):
		return bad(c, "AckLoss", c.AckLoss, "must be a chance between 0 and 0.99")
	case c.DedupSize < 0 || c.DedupSize > MaxDedupSize:
		return bad(c, "DedupSize", c.DedupSize, fmt.Sprintf("must be between 0 (default %d) and %d", DefaultDedupSize, MaxDedupSize))
	case c.DedupTTL < 0 || c.DedupTTL > maxDuration:
		return bad(c, "DedupTTL", c.DedupTTL, fmt.Sprintf("must be between 0 (no visible) and %v", maxDuration))
	case !c.Idempotent && (c.DedupSize != 0 || c.DedupTTL != 0 || c.DedupGroup != ""):
		return bad(c, "Idempotent", false, "DedupSize, DedupTTL and DedupGroup set a store only an idempotent consumer keeps")
	}
	return checkDuration(c, "Service", c.Service, true)
}

// checkGroup checks that Broker names a broker, once every name is known.
func (c *Consumer) checkGroup() error {
	to, ok := c.sys.byName[c.Broker]
	if !ok {
		return bad(c, "Broker", c.Broker, fmt.Sprintf("no component has that name (have %s)", c.sys.names()))
	}
	if _, ok := to.(*Broker); !ok {
		return bad(c, "Broker", c.Broker, fmt.Sprintf("is a %s: a consumer takes messages from a Broker", to.Kind()))
	}
	if c.DedupGroup == "" {
		return nil
	}
	for _, o := range c.sys.comps {
		other, ok := o.(*Consumer)
		if !ok || other == c || other.Broker != c.Broker || other.DedupGroup != c.DedupGroup {
			continue
		}
		if other.DedupSize != c.DedupSize || other.DedupTTL != c.DedupTTL {
			return bad(c, "DedupGroup", c.DedupGroup, fmt.Sprintf("shares a store with Consumer %q, whose DedupSize=%d and DedupTTL=%v differ from %d and %v",
				other.Name, other.DedupSize, other.DedupTTL, c.DedupSize, c.DedupTTL))
		}
	}
	return nil
}

func (c *Consumer) start() {
	sys := c.sys
	w := sys.window
	c.Received = metrics.NewRate(c.Name+" received", w)
	c.Busy = metrics.NewGauge(c.Name+" busy", "messages", w)
	c.Processing = metrics.NewLatency(c.Name+" processing", w)
	c.service = sys.rand(c.Name + "/service")
	if c.AckLoss > 0 {
		c.acks = sys.rand(c.Name + "/acks")
	}
	c.early = c.Ack == AckBefore
	c.broker = sys.byName[c.Broker].(*Broker)
	c.broker.consumers = append(c.broker.consumers, c)
	c.faulty.init(c.Workers)
	if c.Idempotent {
		size := c.DedupSize
		if size == 0 {
			size = DefaultDedupSize
		}
		if c.DedupGroup != "" {
			c.store = c.broker.stores[c.DedupGroup]
		}
		if c.store == nil {
			c.store = &dedup{max: size, ttl: sim.FromDuration(c.DedupTTL), seen: map[uint32]sim.Time{}}
		}
		if c.DedupGroup != "" {
			if c.broker.stores == nil {
				c.broker.stores = map[string]*dedup{}
			}
			c.broker.stores[c.DedupGroup] = c.store
		}
	}
}

// deliver starts processing message id, delivery attempt; done tells
// whether its effect was applied already.
func (c *Consumer) deliver(id uint32, attempt uint16, done, poison bool, now sim.Time) {
	c.Received.Add(now, 1)
	if done {
		c.Repeats++
	}
	if c.early {
		c.acknowledge(id, attempt, now)
	}
	j := c.job()
	j.id, j.attempt, j.poison, j.began = id, attempt, poison, now
	j.slot = int32(len(c.working))
	c.working = append(c.working, j)
	c.active++
	c.Busy.Set(now, float64(c.active))
	x := c.Service.Sample(c.service)
	if !(x >= 0) {
		panic(fmt.Sprintf("service: Consumer %q: Service %v drew %v, which is not a duration", c.Name, c.Service, x))
	}
	if c.slow != 1 {
		x *= c.slow
	}
	j.timer = c.sys.sim.After(sim.Seconds(x), j.fire)
}

func (c *Consumer) job() *job {
	if n := len(c.free); n > 0 {
		j := c.free[n-1]
		c.free = c.free[:n-1]
		return j
	}
	j := &job{c: c}
	j.fire = j.done
	return j
}

// acknowledge sends an acknowledgement, which may be lost.
func (c *Consumer) acknowledge(id uint32, attempt uint16, now sim.Time) {
	if c.acks != nil && c.acks.Float64() < c.AckLoss {
		c.AcksLost++
		return
	}
	c.broker.ack(id, attempt, c.early, now)
}

// done is the end of a message's processing: its effect, unless it is
// poison or the store knows it, then the acknowledgement.
func (j *job) done() {
	c := j.c
	now := c.sys.sim.Now()
	c.leave(j, now)
	c.Processing.Record(now, now-j.began)
	switch {
	case j.poison:
		c.Failed++
		c.broker.abandon(j.id, j.attempt)
		c.recycle(j)
		c.broker.pump(now)
		return
	case c.Idempotent && c.store.has(c.broker.msgs[j.id].origin, now):
		c.DedupHits++
	default:
		c.Effects++
		c.broker.effect(j.id, now)
		if c.Idempotent {
			c.store.add(c.broker.msgs[j.id].origin, now)
		}
	}
	if !c.early {
		c.acknowledge(j.id, j.attempt, now)
	}
	c.broker.finished(j.id, j.attempt)
	c.recycle(j)
	c.broker.pump(now)
}

// leave takes j out of the work in progress.
func (c *Consumer) leave(j *job, now sim.Time) {
	last := c.working[len(c.working)-1]
	last.slot = j.slot
	c.working[j.slot] = last
	c.working = c.working[:len(c.working)-1]
	c.active--
	c.Busy.Set(now, float64(c.active))
}

func (c *Consumer) recycle(j *job) { c.free = append(c.free, j) }

// crash drops the work in progress.
func (c *Consumer) crash() {
	now := c.sys.sim.Now()
	for len(c.working) > 0 {
		j := c.working[len(c.working)-1]
		j.timer.Stop()
		c.leave(j, now)
		c.Crashed++
		c.broker.abandon(j.id, j.attempt)
		c.recycle(j)
	}
}

// restart and capacity changes may let messages in.
func (c *Consumer) changed() { c.broker.pump(c.sys.sim.Now()) }

func (c *Consumer) close(end sim.Time) {
	c.Received.Close(end)
	c.Busy.Close(end)
	c.Processing.Close(end)
	if c.store != nil {
		c.DedupEvicted = c.store.evicted
	}
}

func (c *Consumer) row(t *metrics.Table) {
	note := fmt.Sprintf("ack %s, %d repeats, %d crashed", c.mode(), c.Repeats, c.Crashed)
	if c.Idempotent {
		note += fmt.Sprintf(", %d deduplicated", c.DedupHits)
	}
	t.Add(c.Name, "Consumer", c.Received.Total(), c.Effects, c.Failed+c.Crashed, nil,
		c.Processing.Mean(), c.Processing.Quantile(0.99), nil, note)
}

func (c *Consumer) mode() AckMode {
	if c.Ack == "" {
		return AckAfter
	}
	return c.Ack
}

// dedup is an idempotent consumer's store of processed ids: a map for
// lookups and a FIFO of insertions for eviction by age and by size. A
// FIFO entry whose id was stored again later is stale and deletes
// nothing.
type dedup struct {
	max     int
	ttl     sim.Time
	seen    map[uint32]sim.Time
	order   ring[visible]
	evicted int64 // entries the size bound dropped
}

func (d *dedup) has(id uint32, now sim.Time) bool {
	d.expire(now)
	at, ok := d.seen[id]
	return ok && (d.ttl == 0 || now-at < d.ttl)
}

func (d *dedup) add(id uint32, now sim.Time) {
	d.seen[id] = now
	d.order.push(visible{id: id, at: now})
	for d.order.size > d.max {
		d.evicted++
		d.drop(d.order.pop())
	}
}

// expire forgets the entries older than the TTL.
func (d *dedup) expire(now sim.Time) {
	for d.ttl > 0 && d.order.size > 0 && now-d.order.front().at >= d.ttl {
		d.drop(d.order.pop())
	}
}

func (d *dedup) drop(e visible) {
	if at, ok := d.seen[e.id]; ok && at == e.at {
		delete(d.seen, e.id)
	}
}
