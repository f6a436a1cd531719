// Package messaging is the asynchronous messaging lesson: producers
// publish to a broker, competing consumers take the messages and apply
// each one's effect downstream (a deposit, say), and a checker counts what
// every design loses or duplicates. What does acknowledging before
// processing lose when a consumer crashes? What does acknowledging after
// duplicate when an acknowledgement goes missing? What does an idempotent
// consumer's store of processed ids buy, and what happens when it forgets
// sooner than a redelivery comes back? Where does a poison message go?
// And what does a consumer slower than its producers do to the queue?
//
// The textbook chapter: Gorton, "Foundations of Scalable Systems", ch. 7
// (asynchronous messaging); ch. 3 for partial failure.
//
// # The model
//
// A composition of sim/service components: a Source of Rate messages a
// second (Poisson) for Duration - Drain, then none, so the consumers can
// finish the queue; a Client (the producers) holding each publication
// until the broker takes it, and giving it up after ProducerTimeout; a
// service.Broker (visibility timeout, redelivery with an attempt count,
// dead-letter queue after MaxDeliveries, Poison messages, a MaxDepth bound
// with back-pressure or drop); and Consumers service.Consumer c1..cN of
// Workers workers at Service a message, acknowledging before or after
// processing (Ack), losing AckLoss of their acknowledgements, and, when
// Idempotent, sharing one store of processed ids kept for DedupTTL. c1
// crashes every CrashEvery for CrashFor while the producers publish.
// service.Broker's and service.Consumer's docs give the rules.
//
// Ordering, retries and the outbox: with Keys, each message carries an
// account's key; with Partitions the broker is a log, each partition
// (keys mod Partitions) delivered in order to one consumer of the group,
// committing its offset every CommitEvery messages and rewinding to the
// last commit when c1's crash moves its partitions. PublishLoss puts a
// lossy hop between producers and broker: a producer with
// ProducerRetries publishes again after ProducerTimeout without an
// answer, a copy the broker takes as a new message. WriteMode puts a
// service.Writer ("orders") between producers and broker, committing each
// order to its database and publishing its event: a dual write either
// way round, or an outbox with a relay; it crashes every WriterCrashEvery
// for WriterCrashFor. service.Broker's log semantics and service.Writer's
// doc give the rules.
//
// # The checker
//
// The broker counts what happened to every message: processed (its
// effect applied at least once), duplicated (effects beyond the first),
// lost (acknowledged before processing and never processed),
// dead-lettered, refused by a full queue, or unfinished at the end. The
// tests hold every run to published = processed + copies skipped + lost
// + dead-lettered - dead-lettered-but-processed + unfinished. With Keys it
// counts the messages whose first effect came after a later one of their
// key (out of order); with producers' retries the copies republished,
// their extra effects and the copies an idempotent consumer skipped (it
// deduplicates by the producer's key); with a writer, the events lost
// (committed, never published) and the phantoms (published, never
// committed).
//
// # Theory beside the run
//
// With acknowledgements lost independently with chance p and unlimited
// redelivery, a message's deliveries are geometric: 1/(1-p) on average.
// The summary shows it beside the run; the tests hold the run within 2% of
// it over more than 100,000 messages for p = 0.1 and 0.3. Acknowledging
// before processing loses exactly the messages whose consumer crashed
// mid-processing (the tests count both); an idempotent store whose TTL is
// longer than the largest redelivery delay lets no effect through twice.
//
// # The verdict
//
// Outcome names what the run did to the effects, the worst first:
// LostEvents, Phantoms, LostAndDuplicated, Lost, Duplicated (redeliveries
// or producers' copies), OutOfOrder (with Keys), Refused (a full queue turned
// publications away, or held producers gave up), HeldBack (back-pressure
// held producers), Behind (messages unfinished at the end), DeadLettered,
// EffectivelyOnce.
//
// # Usage
//
//	cfg, _ := messaging.PresetConfig("at-least-once")
//	res, err := messaging.Run(cfg)
//	fmt.Println(res.Verdict())
//	cmp, err := messaging.CompareDesigns(cfg) // the same crashes under each design
//	figs := cmp.Bars()                         // lost, duplicated, dead-lettered per design
//	w, err := messaging.ComparePresets(1, "dual-write-loses", "dual-write-phantoms", "outbox")
//	figs, err = w.CountBars("lost events", "phantoms") // a bar per design
//
// # Knobs
//
// Every field of Config is a knob of this table, or named below it
// (generated from the knob table: go test ./sim/scenario/registry -update).
// A flag is -NAME on the command line (dsim messaging -h); a sweep
// knob takes the Name.
//
//	| knob | flag | unit | default | range | what it sets |
//	| --- | --- | --- | --- | --- | --- |
//	| Duration | -duration | duration | 1m | 1s to 100h | the run's length in virtual time |
//	| Drain | -drain | duration | 10s | 1ms to 100h; 0: no drain | the end of the run with no publishing, for the queue to drain |
//	| Window | -window | duration | 1s | 1ms to 1h | width of the metric windows |
//	| Rate | -rate | msg/s | 100 | 0.01 to 1e+06 | messages per second the producers publish (Poisson) |
//	| ProducerTimeout | -producer-timeout | duration | 0s | 1ms to 1h; 0: waits for ever | how long a producer held by back-pressure waits before giving the message up |
//	| Consumers | -consumers | consumers | 2 | 1 to 100 | competing consumers c1..cN |
//	| Workers | -workers | messages | 8 | 1 to 1000 | messages each consumer processes at once |
//	| Service | -service | distribution | exp(100ms) | mean 1µs to 1h | a message's processing time |
//	| Ack | -ack | choice | after | before, after | when consumers acknowledge: before processing (at-most-once) or after (at-least-once) |
//	| AckLoss | -ack-loss | chance | 0 | 0.0001 to 0.99; 0: none lost | chance an acknowledgement is lost on its way |
//	| Idempotent | -idempotent | on/off | off | off, on | consumers share a store of processed ids and skip repeated effects |
//	| DedupTTL | -dedup-ttl | duration | 0s | 1ms to 100h; 0: the whole run | how long the store keeps an id (only with -idempotent on) |
//	| Visibility | -visibility | duration | 5s | 1ms to 1h | how long a delivered message waits for its acknowledgement before redelivery |
//	| MaxDeliveries | -max-deliveries | deliveries | 0 | 1 to 1000; 0: no dead-letter queue | deliveries without an acknowledgement before the dead-letter queue |
//	| Poison | -poison | share | 0 | 0.0001 to 1; 0: none | share of messages no consumer can process |
//	| MaxDepth | -max-depth | messages | 0 | 1 to 2e+07; 0: unbounded | messages the queue holds waiting |
//	| Overflow | -overflow | choice | backpressure | backpressure, drop | what a full queue does with a publication (only with -max-depth other than 0) |
//	| CrashEvery | -crash-every | duration | 0s | 100ms to 100h; 0: never | how often consumer c1 crashes while the producers publish |
//	| CrashFor | -crash-for | duration | 1s | 1ms to 100h | how long c1 stays down after each crash (only with -crash-every other than 0s) |
//	| Keys | -keys | keys | 0 | 1 to 1e+06; 0: no keys, order not checked | message keys (accounts), each key's effects due in publication order |
//	| Partitions | -partitions | partitions | 0 | 1 to 1024; 0: a queue | a log of that many partitions, each delivered in order |
//	| CommitEvery | -commit-every | messages | 0 | 1 to 100000; 0: every message | acknowledged messages of a partition per commit of its offset (only with -partitions other than 0) |
//	| PublishLoss | -publish-loss | chance | 0 | 0.0001 to 0.99; 0: a lossless path | chance a publication or its answer is lost on the way to the broker (only with -write-mode none and -producer-timeout other than 0s) |
//	| ProducerRetries | -producer-retries | retries | 0 | 1 to 100; 0: none | publications again when no answer came within ProducerTimeout (only with -producer-timeout other than 0s) |
//	| WriteMode | -write-mode | choice | none | none, commit-then-publish, publish-then-commit, outbox | a writer committing each order and publishing its event |
//	| RelayBatch | -relay-batch | rows | 0 | 1 to 100000; 0: 100 | outbox rows the relay publishes at once (only with -write-mode outbox) |
//	| WriterCrashEvery | -writer-crash-every | duration | 0s | 100ms to 100h; 0: never | how often the writer crashes while orders come (only with -write-mode other than none) |
//	| WriterCrashFor | -writer-crash-for | duration | 300ms | 1ms to 100h | how long the writer stays down after each crash (only with -write-mode other than none and -writer-crash-every other than 0s) |
package messaging
