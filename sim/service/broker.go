package service

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"time"

	"dsim/sim"
	"dsim/sim/metrics"
)

// Overflow is what a full broker does with a message published to it.
type Overflow string

// The overflow policies of a bounded broker.
const (
	// Backpressure holds the publish call unanswered until there is room:
	// the producer slows to the consumers' pace, or its timeout gives up.
	Backpressure Overflow = "backpressure"
	// DropNew refuses the message at once: the producer learns of it
	// (a rejection), the message never enters the queue.
	DropNew Overflow = "drop"
)

// Limits of a broker.
const (
	// DefaultMaxMessages bounds the messages a broker takes in one run when
	// Broker.MaxMessages is 0. The broker keeps 40 bytes per message (its
	// state, attempts, effects, key, place and origin, for the checker), so
	// a million take 40 MB.
	DefaultMaxMessages = 1_000_000
	// MaxMessages bounds Broker.MaxMessages: 4 GB of message records.
	MaxMessages = 100_000_000
	// MaxPartitions bounds Broker.Partitions.
	MaxPartitions = 1024
	// MaxDeliveries bounds Broker.MaxDeliveries.
	MaxDeliveries = 1000
	// MaxDeadLetterIDs bounds the ids BrokerStats.DeadLetters keeps.
	MaxDeadLetterIDs  = 1000
	defaultVisibility = 30 * time.Second
)

// msgState is where a message is in its life at the broker.
type msgState uint8

const (
	msgReady    msgState = iota // waiting in the queue
	msgInFlight                 // delivered, not acknowledged, its visibility timer running
	msgAcked                    // acknowledged before processing: the consumer alone holds it
	msgDone                     // acknowledged and, for an early ack, processed
	msgLost                     // acknowledged early, then never processed
	msgDead                     // moved to the dead-letter queue
)

// message is the broker's record of one message: what the checker needs
// to count losses and duplicates.
type message struct {
	published sim.Time
	key       uint64 // the request's key: the account, the order
	seq       uint32 // its place among the messages of its key, from 1
	off       uint32 // its offset in its partition (a log)
	origin    uint32 // the message it copies, published again by a producer's retry; itself if none
	served    bool   // its request's effect was applied, by it or a copy (kept on the origin)
	attempts  uint16 // deliveries so far
	effects   uint16 // times a consumer applied its effect, saturating
	state     msgState
	poison    bool
}

// visible is a delivered message's visibility deadline. All share one
// timeout, so they expire in delivery order and one engine timer serves
// them all.
type visible struct {
	id      uint32
	attempt uint16
	at      sim.Time
}

// Broker is a message queue between producers and consumers. Producers
// are loads or any component that calls it: each call publishes one
// message and is answered when the broker has taken it. Consumers
// (components of kind Consumer naming it as their Broker) compete for its
// messages: each message goes to one consumer with a free worker, in turn
// (round robin, in the order the consumers were added).
//
// The rules:
//   - A delivered message stays invisible for Visibility. A consumer that
//     acknowledges it in time ends it; otherwise (its consumer crashed, its
//     processing failed, its acknowledgement was lost, or it took longer
//     than Visibility) it returns to the back of the queue and is
//     delivered again, with one more attempt counted. A late
//     acknowledgement of an earlier attempt is ignored, as a stale receipt.
//   - With MaxDeliveries, a message delivered that many times without an
//     acknowledgement moves to the dead-letter queue instead of a further
//     delivery (a poison message stops blocking the queue).
//   - With MaxDepth, a message published to a queue holding that many
//     waiting messages is refused (DropNew) or its publish call waits
//     (Backpressure) until a delivery makes room. Redeliveries are never
//     refused, so the depth can pass MaxDepth by the messages in flight.
//   - Poison is the share of messages no consumer can process: each of
//     their deliveries fails.
//
// A load calling a broker directly never gives up: its held publications
// count against Config.MaxCalls. A Client with a Timeout in front makes
// producers that give up (and, with retries, publish again).
//
// The broker counts what happened to every message (the checker): an
// effect applied more than once is a duplicate; a message acknowledged
// before processing whose processing never happened is lost.
//
// Random stream: NAME/poison (Poison > 0).
type Broker struct {
	Name string
	// MaxDepth bounds the messages waiting; zero leaves the queue bounded
	// only by MaxMessages.
	MaxDepth int
	// Overflow is what a full queue does; "" is Backpressure.
	Overflow Overflow
	// Visibility is how long a delivered message stays invisible waiting
	// for its acknowledgement, 1ms to 1h; zero means 30s.
	Visibility time.Duration
	// MaxDeliveries, when positive, dead-letters a message delivered that
	// many times without an acknowledgement, up to MaxDeliveries (1000).
	MaxDeliveries int
	// Poison is the share of messages whose processing always fails, 0 to 1.
	Poison float64
	// MaxMessages bounds the messages taken in the run; a run that would
	// take more stops with a LimitError. Zero means DefaultMaxMessages.
	MaxMessages int
	// Partitions, when positive, makes the broker a log of that many
	// partitions (Kafka's model) instead of a queue: see Log semantics.
	Partitions int
	// CommitEvery is how many acknowledged messages of a partition make
	// one commit of its offset, in a log; zero or one commits each.
	CommitEvery int

	BrokerStats
	part
	msgs      []message
	ready     ring[uint32]
	blocked   ring[*call]
	expiries  ring[visible]
	timer     sim.Timer
	expire    func()
	consumers []*Consumer
	stores    map[string]*dedup // the consumers' shared stores, by DedupGroup
	turn      int
	poisonR   *rand.Rand
	vis       sim.Time
	limit     int
	inFlight  int
	order     keyOrder
	logs      []partition
	live      []*Consumer
	waiting   int // a log's messages not yet delivered from their partition's next offset
}

// BrokerStats is what a Broker measured.
type BrokerStats struct {
	Published *metrics.Rate // messages taken into the queue
	Delivered *metrics.Rate // deliveries, redeliveries included
	// Depth is the messages waiting; InFlight those delivered and not yet
	// acknowledged.
	Depth, InFlight *metrics.Gauge
	// Latency is from publication to the first applied effect.
	Latency     *metrics.Latency
	Redelivered int64 // deliveries after the first of a message
	Refused     int64 // publications refused by a full queue (DropNew)
	Blocked     int64 // publications that waited for room (Backpressure)
	Abandoned   int64 // blocked publications whose producer gave up before room came
	// Processed is the messages whose effect was applied at least once;
	// Duplicates the effects applied beyond the first of each message.
	Processed, Duplicates int64
	// Lost is the messages acknowledged before processing that were never
	// processed: their consumer crashed or failed after the acknowledgement.
	Lost         int64
	DeadLettered int64
	// DeadProcessed is the dead letters whose effect was applied anyway,
	// by a delivery whose acknowledgement was lost or came too late.
	DeadProcessed int64
	// DeadLetters is the ids of the first MaxDeadLetterIDs dead letters.
	DeadLetters []uint32
	// Unfinished is the messages neither processed, lost nor dead-lettered
	// when the run ended: waiting, in flight or being processed.
	Unfinished int64
	// OutOfOrder is the messages whose first effect came after the first
	// effect of a later message of the same key (a later deposit to the
	// same account applied first).
	OutOfOrder int64
	// Republished is the messages a producer published again: a retry of
	// a publication whose answer was lost or late (a Client with retries
	// in front, a lossy Hop). Each is a message of its own to the broker,
	// and a copy of the first to the checker.
	Republished int64
	// ExtraEffects is the effects applied beyond the first of each
	// request: the duplicates of redeliveries and those of producers'
	// retries alike. Without republication it equals Duplicates.
	ExtraEffects int64
	// Skipped is the messages acknowledged without an effect of their
	// own: an idempotent consumer knew their key, applied by a copy (a
	// producer's retry, or the original a retry copied).
	Skipped int64
	// Rewinds is how often a log's partition went back to its committed
	// offset (its owner crashed or changed, a delivery failed or outlived
	// Visibility), delivering again what was processed but not committed.
	Rewinds int64
}

func (*Broker) Kind() string        { return "Broker" }
func (b *Broker) ID() string        { return b.Name }
func (b *Broker) targets() []string { return nil }

func (b *Broker) validate() error {
	switch {
	case b.MaxMessages < 0 || b.MaxMessages > MaxMessages:
		return bad(b, "MaxMessages", b.MaxMessages, fmt.Sprintf("must be between 0 (default %d) and %d", DefaultMaxMessages, MaxMessages))
	case b.MaxDepth < 0 || b.MaxDepth > MaxMessages:
		return bad(b, "MaxDepth", b.MaxDepth, fmt.Sprintf("must be between 0 (unbounded) and %d", MaxMessages))
	case b.Overflow != "" && b.Overflow != Backpressure && b.Overflow != DropNew:
		return bad(b, "Overflow", b.Overflow, fmt.Sprintf("want %s or %s", Backpressure, DropNew))
	case b.Visibility != 0 && (b.Visibility < time.Millisecond || b.Visibility > time.Hour):
		return bad(b, "Visibility", b.Visibility, "must be between 1ms and 1h (0 means 30s)")
	case b.MaxDeliveries < 0 || b.MaxDeliveries > MaxDeliveries:
		return bad(b, "MaxDeliveries", b.MaxDeliveries, fmt.Sprintf("must be between 0 (no dead-letter queue) and %d", MaxDeliveries))
	case !(b.Poison >= 0 && b.Poison <= 1):
		return bad(b, "Poison", b.Poison, "must be a share between 0 and 1")
	case b.Partitions < 0 || b.Partitions > MaxPartitions:
		return bad(b, "Partitions", b.Partitions, fmt.Sprintf("must be between 0 (a queue) and %d", MaxPartitions))
	case b.CommitEvery < 0 || b.CommitEvery > MaxMessages:
		return bad(b, "CommitEvery", b.CommitEvery, fmt.Sprintf("must be between 0 (each message) and %d", MaxMessages))
	case b.CommitEvery > 1 && b.Partitions == 0:
		return bad(b, "CommitEvery", b.CommitEvery, "commits offsets, which only a log has: set Partitions")
	}
	return nil
}

func (b *Broker) start() {
	sys := b.sys
	w := sys.window
	b.Published = metrics.NewRate(b.Name+" published", w)
	b.Delivered = metrics.NewRate(b.Name+" delivered", w)
	b.Depth = metrics.NewGauge(b.Name+" depth", "messages", w)
	b.InFlight = metrics.NewGauge(b.Name+" in flight", "messages", w)
	b.Latency = metrics.NewLatency(b.Name+" end to end", w)
	if b.Poison > 0 {
		b.poisonR = sys.rand(b.Name + "/poison")
	}
	b.vis = sim.FromDuration(b.Visibility)
	if b.Visibility == 0 {
		b.vis = sim.FromDuration(defaultVisibility)
	}
	b.limit = b.MaxMessages
	b.limit = cmp.Or(b.limit, DefaultMaxMessages)
	b.expire = b.onExpire
	if b.Partitions > 0 {
		b.logs = make([]partition, b.Partitions)
	}
}

// up: a broker does not crash (its consumers do).
func (b *Broker) up() bool { return true }

// accept is a publication: the message is taken, refused, or waits
// behind the publications waiting already.
func (b *Broker) accept(c *call) {
	now := b.sys.sim.Now()
	switch {
	case b.MaxDepth == 0 || b.depth() < b.MaxDepth && b.blocked.size == 0:
		b.take(c, now)
		c.answer(ok)
	case b.Overflow == DropNew:
		b.Refused++
		c.answer(rejected)
	default:
		b.Blocked++
		b.blocked.push(c)
	}
	b.pump(now)
}

// depth is the messages waiting to be delivered.
func (b *Broker) depth() int {
	if b.logs != nil {
		return b.waiting
	}
	return b.ready.size
}

// take adds the message c publishes to the queue, or to its partition.
// A call whose request published a message already (a producer's retry)
// publishes a copy of it.
func (b *Broker) take(c *call, now sim.Time) {
	if len(b.msgs) >= b.limit {
		b.sys.sim.Fail(&LimitError{Kind: "Broker", Name: b.Name, Limit: "Broker.MaxMessages", Value: b.limit, What: "messages published"})
		return
	}
	key := c.key
	root := c
	for root.parent != nil {
		root = root.parent
	}
	id := uint32(len(b.msgs))
	m := message{published: now, key: key, seq: b.order.next(key), origin: id}
	if root.pub != 0 {
		m.origin = root.pub - 1
		b.Republished++
	} else {
		root.pub = id + 1
	}
	if b.poisonR != nil {
		m.poison = b.poisonR.Float64() < b.Poison
	}
	if b.logs != nil {
		p := &b.logs[key%uint64(len(b.logs))]
		m.off = uint32(len(p.log))
		p.log = append(p.log, id)
		b.waiting++
	} else {
		b.ready.push(id)
	}
	b.msgs = append(b.msgs, m)
	b.Published.Add(now, 1)
	b.Depth.Set(now, float64(b.depth()))
}

// pump delivers waiting messages to consumers with a free worker, then
// lets blocked publications in while there is room.
func (b *Broker) pump(now sim.Time) {
	if b.logs != nil {
		b.pumpLog(now)
		return
	}
	for b.ready.size > 0 {
		c := b.free()
		if c == nil {
			break
		}
		id := b.ready.pop()
		m := &b.msgs[id]
		m.state = msgInFlight
		m.attempts++
		if m.attempts > 1 {
			b.Redelivered++
		}
		b.send(c, id, m, now)
	}
	b.Depth.Set(now, float64(b.ready.size))
}

// send delivers message id to consumer c, its visibility timer running.
func (b *Broker) send(c *Consumer, id uint32, m *message, now sim.Time) {
	b.inFlight++
	b.InFlight.Set(now, float64(b.inFlight))
	b.Delivered.Add(now, 1)
	b.expiries.push(visible{id: id, attempt: m.attempts, at: now + b.vis})
	if !b.timer.Pending() {
		b.timer = b.sys.sim.At(now+b.vis, b.expire)
	}
	c.deliver(id, m.attempts, m.effects > 0, m.poison, now)
	b.admit(now)
}

// admit takes blocked publications while there is room.
func (b *Broker) admit(now sim.Time) {
	for b.blocked.size > 0 && b.depth() < b.MaxDepth {
		c := b.blocked.pop()
		if c.abandoned() {
			b.Abandoned++
			c.answer(dropped)
			continue
		}
		b.take(c, now)
		c.answer(ok)
	}
}

// free is the next consumer, in turn, that is up and has a free worker.
func (b *Broker) free() *Consumer {
	n := len(b.consumers)
	for i := 0; i < n; i++ {
		c := b.consumers[(b.turn+i)%n]
		if !c.down && c.active < c.capacity {
			b.turn = (b.turn + i + 1) % n
			return c
		}
	}
	return nil
}

// onExpire returns the messages whose visibility ran out unacknowledged
// to the queue, or to the dead-letter queue.
func (b *Broker) onExpire() {
	now := b.sys.sim.Now()
	for b.expiries.size > 0 && b.expiries.front().at <= now {
		e := b.expiries.pop()
		m := &b.msgs[e.id]
		if m.state != msgInFlight || m.attempts != e.attempt {
			continue // acknowledged, or a stale entry
		}
		b.inFlight--
		if b.logs != nil {
			b.failLog(e.id, m)
			continue
		}
		if b.deadLetter(e.id, m) {
			continue
		}
		m.state = msgReady
		b.ready.push(e.id)
	}
	b.InFlight.Set(now, float64(b.inFlight))
	if b.expiries.size > 0 {
		b.timer = b.sys.sim.At(b.expiries.front().at, b.expire)
	}
	b.pump(now)
}

// deadLetter moves message id to the dead-letter queue if it has had its
// deliveries.
func (b *Broker) deadLetter(id uint32, m *message) bool {
	if b.MaxDeliveries == 0 || int(m.attempts) < b.MaxDeliveries {
		return false
	}
	m.state = msgDead
	b.DeadLettered++
	if len(b.DeadLetters) < MaxDeadLetterIDs {
		b.DeadLetters = append(b.DeadLetters, id)
	}
	return true
}

// ack is a consumer's acknowledgement of delivery attempt of message id;
// early is an acknowledgement before processing. A stale one is ignored.
func (b *Broker) ack(id uint32, attempt uint16, early bool, now sim.Time) {
	m := &b.msgs[id]
	if m.state != msgInFlight || m.attempts != attempt {
		return
	}
	m.state = msgDone
	if early {
		m.state = msgAcked
	}
	b.inFlight--
	b.InFlight.Set(now, float64(b.inFlight))
	if b.logs != nil {
		b.commit(m)
	}
}

// effect is a consumer applying message id's effect downstream.
func (b *Broker) effect(id uint32, now sim.Time) {
	m := &b.msgs[id]
	if o := &b.msgs[m.origin]; o.served {
		b.ExtraEffects++
	} else {
		o.served = true
	}
	if m.effects == 0 {
		b.Processed++
		b.Latency.Record(now, now-m.published)
		if !b.order.applied(m.key, m.seq) {
			b.OutOfOrder++
		}
		// An earlier delivery, slower than the visibility timeout, can
		// apply the effect of a message since lost.
		if m.state == msgLost {
			m.state = msgDone
			b.Lost--
		}
	} else {
		b.Duplicates++
	}
	if m.effects < ^uint16(0) {
		m.effects++
	}
	if m.state == msgAcked {
		m.state = msgDone
	}
}

// abandon is a consumer giving up on delivery attempt of message id
// without its effect (a crash, a failure): a message it acknowledged
// early is then lost, unless an earlier delivery applied its effect. An earlier attempt, still in processing when the
// message was delivered again, loses nothing.
func (b *Broker) abandon(id uint32, attempt uint16) {
	m := &b.msgs[id]
	if b.logs != nil && m.state == msgInFlight && m.attempts == attempt {
		// A log's consumer that fails a message rewinds its partition at
		// once, rather than waiting out the visibility timeout.
		b.inFlight--
		b.InFlight.Set(b.sys.sim.Now(), float64(b.inFlight))
		b.failLog(id, m)
		return
	}
	if b.logs != nil {
		defer b.finished(id, attempt)
	}
	switch {
	case m.state != msgAcked || m.attempts != attempt:
	case m.effects > 0:
		m.state = msgDone // an earlier delivery applied it
	default:
		m.state = msgLost
		b.Lost++
	}
}

// Waiting is the messages in the queue now (in a log, those not yet
// delivered: the consumers' lag).
func (b *Broker) Waiting() int { return b.depth() }

func (b *Broker) close(end sim.Time) {
	for i := range b.msgs {
		m := &b.msgs[i]
		switch {
		case m.state == msgDead && m.effects > 0:
			b.DeadProcessed++
		case m.effects == 0 && m.state == msgDone && b.msgs[m.origin].served:
			b.Skipped++
		case m.effects == 0 && m.state != msgLost && m.state != msgDead:
			b.Unfinished++
		}
	}
	b.Published.Close(end)
	b.Delivered.Close(end)
	b.Depth.Close(end)
	b.InFlight.Close(end)
	b.Latency.Close(end)
}

func (b *Broker) row(t *metrics.Table) {
	note := fmt.Sprintf("%d redelivered, %d duplicated, %d lost, %d dead-lettered", b.Redelivered, b.Duplicates, b.Lost, b.DeadLettered)
	if b.Refused > 0 {
		note += fmt.Sprintf(", %d refused", b.Refused)
	}
	t.Add(b.Name, "Broker", b.Published.Total()+b.Refused+b.Abandoned, b.Processed, b.Lost+b.DeadLettered, b.Refused,
		b.Latency.Mean(), b.Latency.Quantile(0.99), b.Depth.Max(), note)
}
