package messaging

import (
	"time"

	"dsim/sim/dist"
	"dsim/sim/scenario/internal/describe"
	"dsim/sim/service"
)

// Preset is a named configuration that reproduces one step of the lesson.
type Preset = describe.Named[Config]

// Presets returns the lesson's experiments, in teaching order.
func Presets() []Preset {
	calm := Default()

	mostOnce := Default()
	mostOnce.Ack = service.AckBefore
	mostOnce.CrashEvery, mostOnce.CrashFor = 5*time.Second, time.Second

	leastOnce := mostOnce
	leastOnce.Ack, leastOnce.AckLoss = service.AckAfter, 0.05

	idem := leastOnce
	idem.Idempotent, idem.DedupTTL = true, time.Minute

	shortTTL := idem
	shortTTL.DedupTTL = 2 * time.Second

	poison := Default()
	poison.Poison, poison.MaxDeliveries = 0.01, 3
	// A shorter visibility lets the last poison messages reach the
	// dead-letter queue before the end; a processing outlasts 2s with
	// chance e^-20.
	poison.Visibility = 2 * time.Second

	slow := Default()
	slow.Rate, slow.Service = 200, dist.MustParse("exp(100ms)")
	slowBound := slow
	slowBound.MaxDepth = 500
	slowDrop := slowBound
	slowDrop.Overflow = service.DropNew

	// Ordering: 30 accounts' deposits, processing fast enough that a log
	// of 8 partitions, one message of each at a time, keeps up.
	reorders := Default()
	reorders.Keys, reorders.Service = 30, dist.MustParse("exp(20ms)")
	inOrder := reorders
	inOrder.Partitions = 8
	rarely := inOrder
	rarely.CrashEvery, rarely.CrashFor, rarely.CommitEvery = 5*time.Second, time.Second, 25

	// Producers' retries over a lossy path: 10% of publications or their
	// answers lost, a retry after 50ms without an answer.
	retries := Default()
	retries.PublishLoss, retries.ProducerTimeout, retries.ProducerRetries = 0.1, 50*time.Millisecond, 5
	retriesKeyed := retries
	retriesKeyed.Idempotent = true

	// A writer committing orders and publishing their events, crashing
	// every 2s for 300ms.
	loses := Default()
	loses.WriteMode, loses.WriterCrashEvery, loses.WriterCrashFor = service.CommitThenPublish, 2*time.Second, 300*time.Millisecond
	phantoms := loses
	phantoms.WriteMode = service.PublishThenCommit
	outbox := loses
	outbox.WriteMode, outbox.Idempotent = service.Outbox, true

	return []Preset{
		{Name: "calm", Description: "Two consumers at 60% of their capacity, acknowledging after processing, nothing failing: every message has its effect once.", Config: calm},
		{Name: "at-most-once", Description: "Consumers acknowledge on delivery, then process; c1 crashes every 5s for 1s: what it held is lost, exactly the processings the crashes dropped, and nothing is delivered twice.", Config: mostOnce},
		{Name: "at-least-once", Description: "The same crashes with consumers that acknowledge after processing, 5% of acknowledgements lost: nothing is lost, and a lost acknowledgement makes a duplicate effect when its message comes back.", Config: leastOnce},
		{Name: "idempotent", Description: "The same with idempotent consumers sharing a store of processed ids kept for a minute: every redelivery is caught, no effect happens twice.", Config: idem},
		{Name: "short-ttl", Description: "The same store forgetting ids after 2s, sooner than a redelivery comes back (after the 5s visibility timeout): the duplicates return.", Config: shortTTL},
		{Name: "poison", Description: "1% of messages are poison (their processing always fails); after 3 deliveries, 2s apart, each goes to the dead-letter queue, and the rest flow.", Config: poison},
		{Name: "slow-consumers", Description: "200 msg/s to consumers that can do 160: the queue grows as long as the producers publish, the lag with it, and the drain at the end cannot finish it.", Config: slow},
		{Name: "backpressure", Description: "The same with the queue bounded at 500: producers wait for room, at the consumers' pace, and the queue stays at its bound: the lag moves to the producers.", Config: slowBound},
		{Name: "drop", Description: "The same bound refusing what does not fit: producers are told at once, and the excess never enters the queue.", Config: slowDrop},
		{Name: "queue-reorders", Description: "Deposits to 30 accounts through a queue to 16 parallel workers, nothing failing: each applied once, but some after a later deposit to the same account.", Config: reorders},
		{Name: "log-keeps-order", Description: "The same through a log of 8 partitions by account, each delivered in order to one consumer: no deposit applied out of order.", Config: inOrder},
		{Name: "commit-rarely", Description: "The log with c1 crashing every 5s for 1s and offsets committed every 25 messages: each crash rewinds c1's partitions to their last commit and delivers again, in order, what was processed since: duplicates in batches.", Config: rarely},
		{Name: "producer-retries", Description: "Producers publishing over a path that loses 10% of publications or answers, retrying after 50ms: each retry of a lost answer is a copy the broker takes as a new message, and its effect is a duplicate.", Config: retries},
		{Name: "producer-retries-idempotent", Description: "The same with consumers deduplicating by the producer's key: every copy is skipped, each order applied once.", Config: retriesKeyed},
		{Name: "dual-write-loses", Description: "A writer commits each order, then publishes its event, crashing every 2s for 300ms: an order committed when the crash comes before the publication is never heard of downstream.", Config: loses},
		{Name: "dual-write-phantoms", Description: "The writer publishes, then commits: a crash between the two leaves an event for an order the database never got, a phantom.", Config: phantoms},
		{Name: "outbox", Description: "The writer commits each order with its event to an outbox table in one transaction; a relay publishes the rows: nothing lost, no phantom, and the relay's copies after a crash are skipped by idempotent consumers.", Config: outbox},
	}
}

// PresetConfig returns the configuration of the named preset, or an error
// listing the presets there are.
func PresetConfig(name string) (Config, error) {
	return describe.Find(knobs, Presets(), name)
}
