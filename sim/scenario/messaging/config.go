package messaging

import (
	"fmt"
	"time"

	"dsim/sim/dist"
	"dsim/sim/metrics"
	"dsim/sim/scenario"
	"dsim/sim/scenario/internal/describe"
	"dsim/sim/service"
)

// Limits beyond what the knob table bounds.
const (
	// maxMessages bounds the messages a run publishes: the broker keeps 16
	// bytes a message for its checker, so 20 million take 320 MB.
	maxMessages = 20_000_000
	maxWindows  = 100_000
	// maxHeld bounds the publications held at once by back-pressure.
	maxHeld = 2_000_000
	// crashed is the consumer the crash schedule strikes.
	crashed = "c1"
	// maxKeys bounds Keys: the checker keeps a counter per key.
	maxKeys = 1_000_000
	// maxCommitEvery and maxRetries bound their knobs.
	maxCommitEvery = 100_000
	maxRetries     = 100
)

// The publish path's and the writer's steps: a few milliseconds each,
// so a producer's timeout of tens of milliseconds tells a lost answer
// from a slow one.
var (
	publishLatency = dist.MustParse("exp(5ms)")
	writerStep     = dist.MustParse("exp(5ms)")
)

// NoWriter is the WriteMode of runs whose producers publish themselves.
const NoWriter service.WriteMode = "none"

// writes reports whether c has a writer.
func (c Config) writes() bool { return c.WriteMode != "" && c.WriteMode != NoWriter }

// writerSlots is the orders the writer works on at once.
const writerSlots = 8

// Config is one messaging experiment: producers publishing to a broker
// whose consumers apply each message's effect downstream. Start from
// Default or a preset; a zero field takes its default, except where the
// knob table says what zero means (no ack loss, no crashes, no
// dead-letter queue...). KnobTable lists every knob.
type Config struct {
	// Seed is the root of every random stream of the run.
	Seed uint64
	// Duration is the run's length in virtual time.
	Duration time.Duration
	// Drain is the end of the run with no publishing: the producers stop
	// Drain before the end, so the consumers can finish the queue.
	Drain time.Duration
	// Window is the width of the metric windows.
	Window time.Duration

	// Rate is the messages per second the producers publish (Poisson).
	Rate float64
	// ProducerTimeout is how long a producer held by back-pressure waits
	// before it gives the message up; zero waits as long as it takes.
	ProducerTimeout time.Duration

	// Consumers is the number of competing consumers, c1..cN.
	Consumers int
	// Workers is the messages each consumer processes at once.
	Workers int
	// Service is a message's processing time.
	Service dist.Dist
	// Ack is when consumers acknowledge: before processing (at-most-once)
	// or after (at-least-once).
	Ack service.AckMode
	// AckLoss is the chance an acknowledgement is lost on its way.
	AckLoss float64
	// Idempotent gives the consumers one shared store of processed ids:
	// a message whose id it holds is acknowledged without its effect.
	Idempotent bool
	// DedupTTL is how long the store keeps an id; zero keeps it for the
	// whole run.
	DedupTTL time.Duration

	// Visibility is how long a delivered message stays invisible waiting
	// for its acknowledgement before the broker delivers it again.
	Visibility time.Duration
	// MaxDeliveries moves a message delivered that many times without an
	// acknowledgement to the dead-letter queue; zero never does.
	MaxDeliveries int
	// Poison is the share of messages no consumer can process.
	Poison float64
	// MaxDepth bounds the messages waiting in the queue; zero is unbounded.
	MaxDepth int
	// Overflow is what a full queue does with a publication.
	Overflow service.Overflow

	// CrashEvery crashes consumer c1 this often while the producers
	// publish, the first time CrashEvery after the start; zero never.
	CrashEvery time.Duration
	// CrashFor is how long c1 stays down after each crash.
	CrashFor time.Duration

	// Keys gives the messages keys (accounts), drawn uniformly from Keys
	// of them: the checker counts the messages whose first effect came
	// after that of a later message of their key. Zero: no keys, order
	// not checked.
	Keys int
	// Partitions makes the broker a log of that many partitions, each
	// delivered in order to one consumer of the group; zero is a queue.
	Partitions int
	// CommitEvery is how many acknowledged messages of a partition make
	// one commit of its offset; zero commits each.
	CommitEvery int

	// PublishLoss is the chance a publication, or the broker's answer, is
	// lost on the way; zero is a direct, lossless path.
	PublishLoss float64
	// ProducerRetries is how many times a producer publishes again when
	// no answer came within ProducerTimeout: each retry is a copy.
	ProducerRetries int

	// WriteMode puts a writer service between the producers and the
	// broker: each order is committed to its database and its event
	// published, as the mode says; NoWriter (or "") has none.
	WriteMode service.WriteMode
	// RelayBatch is the outbox rows the relay publishes at once; zero
	// is 100.
	RelayBatch int
	// WriterCrashEvery crashes the writer this often while orders come,
	// the first time WriterCrashEvery after the start; zero never.
	WriterCrashEvery time.Duration
	// WriterCrashFor is how long the writer stays down after each crash.
	WriterCrashFor time.Duration
}

var knobs = scenario.NewTable("messaging", Config{}, nil,
	scenario.Dur("Duration", "the run's length in virtual time", time.Minute, time.Second, 100*time.Hour),
	scenario.Dur("Drain", "the end of the run with no publishing, for the queue to drain", 10*time.Second, time.Millisecond, 100*time.Hour).ZeroMeans("no drain").Alias("drain"),
	scenario.Dur("Window", "width of the metric windows", time.Second, time.Millisecond, time.Hour),
	scenario.Num("Rate", "msg/s", "messages per second the producers publish (Poisson)", 100, 0.01, 1e6),
	scenario.Dur("ProducerTimeout", "how long a producer held by back-pressure waits before giving the message up", 0, time.Millisecond, time.Hour).ZeroMeans("waits for ever"),
	scenario.Int("Consumers", "consumers", "competing consumers c1..cN", 2, 1, 100),
	scenario.Int("Workers", "messages", "messages each consumer processes at once", 8, 1, 1000),
	scenario.Distribution("Service", "a message's processing time", "exp(100ms)", time.Microsecond, time.Hour),
	scenario.OneOf("Ack", "when consumers acknowledge: before processing (at-most-once) or after (at-least-once)", string(service.AckAfter), string(service.AckBefore), string(service.AckAfter)),
	scenario.Num("AckLoss", "chance", "chance an acknowledgement is lost on its way", 0, 0.0001, 0.99).ZeroMeans("none lost"),
	scenario.Bool("Idempotent", "consumers share a store of processed ids and skip repeated effects", false),
	scenario.Dur("DedupTTL", "how long the store keeps an id", 0, time.Millisecond, 100*time.Hour).ZeroMeans("the whole run").Alias("ttl").OnlyWith("Idempotent", "on"),
	scenario.Dur("Visibility", "how long a delivered message waits for its acknowledgement before redelivery", 5*time.Second, time.Millisecond, time.Hour),
	scenario.Int("MaxDeliveries", "deliveries", "deliveries without an acknowledgement before the dead-letter queue", 0, 1, service.MaxDeliveries).ZeroMeans("no dead-letter queue"),
	scenario.Num("Poison", "share", "share of messages no consumer can process", 0, 0.0001, 1).ZeroMeans("none"),
	scenario.Int("MaxDepth", "messages", "messages the queue holds waiting", 0, 1, maxMessages).ZeroMeans("unbounded").Alias("depth"),
	scenario.OneOf("Overflow", "what a full queue does with a publication", string(service.Backpressure), string(service.Backpressure), string(service.DropNew)).OnlyWithout("MaxDepth", "0"),
	scenario.Dur("CrashEvery", "how often consumer c1 crashes while the producers publish", 0, 100*time.Millisecond, 100*time.Hour).ZeroMeans("never"),
	scenario.Dur("CrashFor", "how long c1 stays down after each crash", time.Second, time.Millisecond, 100*time.Hour).OnlyWithout("CrashEvery", "0s"),
	scenario.Int("Keys", "keys", "message keys (accounts), each key's effects due in publication order", 0, 1, maxKeys).ZeroMeans("no keys, order not checked"),
	scenario.Int("Partitions", "partitions", "a log of that many partitions, each delivered in order", 0, 1, service.MaxPartitions).ZeroMeans("a queue"),
	scenario.Int("CommitEvery", "messages", "acknowledged messages of a partition per commit of its offset", 0, 1, maxCommitEvery).ZeroMeans("every message").OnlyWithout("Partitions", "0"),
	scenario.Num("PublishLoss", "chance", "chance a publication or its answer is lost on the way to the broker", 0, 0.0001, 0.99).ZeroMeans("a lossless path").OnlyWith("WriteMode", string(NoWriter)).OnlyWithout("ProducerTimeout", "0s"),
	scenario.Int("ProducerRetries", "retries", "publications again when no answer came within ProducerTimeout", 0, 1, maxRetries).ZeroMeans("none").Alias("retries").OnlyWithout("ProducerTimeout", "0s"),
	scenario.OneOf("WriteMode", "a writer committing each order and publishing its event", string(NoWriter), string(NoWriter), string(service.CommitThenPublish), string(service.PublishThenCommit), string(service.Outbox)),
	scenario.Int("RelayBatch", "rows", "outbox rows the relay publishes at once", 0, 1, service.MaxRelayBatch).ZeroMeans("100").OnlyWith("WriteMode", string(service.Outbox)),
	scenario.Dur("WriterCrashEvery", "how often the writer crashes while orders come", 0, 100*time.Millisecond, 100*time.Hour).ZeroMeans("never").OnlyWithout("WriteMode", string(NoWriter)),
	scenario.Dur("WriterCrashFor", "how long the writer stays down after each crash", 300*time.Millisecond, time.Millisecond, 100*time.Hour).OnlyWithout("WriteMode", string(NoWriter)).OnlyWithout("WriterCrashEvery", "0s"),
)

// KnobTable lists every knob of Config: its flag, unit, default, range
// and what it sets. Sweeps, the command line and the explorer take the
// same names.
func KnobTable() *metrics.Table { return knobs.Doc() }

// Default returns the defaults: 100 messages a second for 50s, then 10s
// of drain; two consumers of 8 workers at exp(100ms) a message (160 a
// second in all), acknowledging after processing; a 5s visibility
// timeout; no losses, no crashes, no poison, an unbounded queue.
func Default() Config { return describe.Default[Config](knobs, 1) }

// withDefaults fills the zero fields that mean "default".
func (c Config) withDefaults() Config {
	_ = knobs.Fill(&c)
	return c
}

func bad(field string, value any, why string) error { return describe.Bad(knobs, field, value, why) }

// Validate reports the first field that cannot work, naming it, its value
// and the limit: the knobs' ranges first, then the rules across fields.
func (c Config) Validate() error { return describe.Validate(knobs, c.withDefaults(), Config.rules) }

func (c Config) rules() error {
	switch {
	case c.Drain >= c.Duration:
		return bad("Drain", c.Drain, fmt.Sprintf("leaves no time to publish in Duration=%v", c.Duration))
	case c.Window > c.Duration:
		return bad("Window", c.Window, fmt.Sprintf("is longer than Duration=%v", c.Duration))
	case c.Duration/c.Window > maxWindows:
		return bad("Window", c.Window, fmt.Sprintf("gives more than %d windows over Duration=%v", maxWindows, c.Duration))
	case c.DedupTTL > 0 && !c.Idempotent:
		return bad("DedupTTL", c.DedupTTL, "is the store of idempotent consumers: set Idempotent")
	case c.CrashEvery > 0 && c.CrashFor >= c.CrashEvery:
		return bad("CrashFor", c.CrashFor, fmt.Sprintf("must be shorter than CrashEvery=%v, so c1 comes back between crashes", c.CrashEvery))
	case c.CrashEvery > 0 && c.CrashEvery >= c.publishing():
		return bad("CrashEvery", c.CrashEvery, fmt.Sprintf("must be shorter than the publishing time (Duration - Drain = %v), or no crash comes", c.publishing()))
	case c.CommitEvery > 0 && c.Partitions == 0:
		return bad("CommitEvery", c.CommitEvery, "commits a log's offsets: set Partitions")
	case c.ProducerRetries > 0 && c.ProducerTimeout == 0:
		return bad("ProducerRetries", c.ProducerRetries, "retries after ProducerTimeout: set it (tens of milliseconds)")
	case c.PublishLoss > 0 && c.ProducerTimeout == 0:
		return bad("PublishLoss", c.PublishLoss, "loses answers a producer waits for forever: set ProducerTimeout")
	case c.writes() && c.PublishLoss > 0:
		return bad("PublishLoss", c.PublishLoss, "is the producers' path to the broker; with a writer (WriteMode) the writer publishes")
	case c.RelayBatch > 0 && c.WriteMode != service.Outbox:
		return bad("RelayBatch", c.RelayBatch, "sets the outbox's relay: WriteMode must be outbox")
	case c.WriterCrashEvery > 0 && !c.writes():
		return bad("WriterCrashEvery", c.WriterCrashEvery, "crashes the writer: set WriteMode")
	case c.WriterCrashEvery > 0 && c.WriterCrashFor >= c.WriterCrashEvery:
		return bad("WriterCrashFor", c.WriterCrashFor, fmt.Sprintf("must be shorter than WriterCrashEvery=%v", c.WriterCrashEvery))
	case c.WriterCrashEvery > 0 && c.WriterCrashEvery >= c.publishing():
		return bad("WriterCrashEvery", c.WriterCrashEvery, fmt.Sprintf("must be shorter than the publishing time (Duration - Drain = %v), or no crash comes", c.publishing()))
	case c.Rate*c.publishing().Seconds() > maxMessages/2:
		return bad("Rate", c.Rate, fmt.Sprintf("publishes about %.3g messages over %v; at most %d", c.Rate*c.publishing().Seconds(), c.publishing(), maxMessages/2))
	}
	return nil
}

// publishing is how long the producers publish.
func (c Config) publishing() time.Duration { return c.Duration - c.Drain }

// Capacity is the messages per second the consumers process when every
// worker is busy and none is down. A log serves one message per partition
// at a time, so only as many workers as the partitions its keys use.
func (c Config) Capacity() float64 {
	c = c.withDefaults()
	if c.Service == nil || !(c.Service.Mean() > 0) {
		return 0
	}
	busy := c.Consumers * c.Workers
	if c.Partitions > 0 {
		busy = min(busy, c.partitionsUsed())
	}
	return float64(busy) / c.Service.Mean()
}

// partitionsUsed is how many of a log's partitions the messages' keys
// fall in: keys 0 to Keys-1 (all 0 without Keys), mod Partitions.
func (c Config) partitionsUsed() int {
	return min(c.Partitions, max(c.Keys, 1))
}

// Design names the delivery design of c: "at-most-once",
// "at-least-once" or "idempotent" (at-least-once with a store).
func (c Config) Design() string {
	switch {
	case c.Ack == service.AckBefore && c.AckLoss > 0:
		// A lost early acknowledgement leaves the message to be delivered
		// again: acknowledging first is at-most-once only if the
		// acknowledgement arrives.
		return "ack before processing, acks lost"
	case c.Ack == service.AckBefore:
		return "at-most-once"
	case c.Idempotent:
		return "idempotent"
	}
	return "at-least-once"
}
