// Package quorum simulates a replicated key-value store with quorum reads
// and writes over a simulated network, and checks what clients saw: the
// CAP/PACELC lesson. Partitions force a choice between consistency and
// availability; in normal operation the choice is between consistency and
// latency, and quorums cost round trips that grow with distance.
//
// # Model
//
//   - N replicas (r1..rN) hold every key. Clients (c1..) coordinate their
//     own operations, as Dynamo's client-driven coordination and
//     Voldemort do: a request goes to the replicas in parallel over
//     package net, and the operation completes when R (reads) or W
//     (writes) have answered, or fails at Timeout. Quorum latency is
//     therefore the R-th or W-th fastest round trip, so network latency
//     matters.
//   - A replica takes a draw from NodeLatency per request (lognormal,
//     mean 10ms, CV 0.5 by default), with no queueing: the lesson is about
//     coordination, not saturation. Each message takes a draw from
//     NetworkLatency (lognormal, mean 50ms, CV 0.3), or from LocalLatency
//     between two nodes of one region when Regions > 1.
//   - Versions order writes. Timestamps come from the client's own clock
//     (ClockSkew spreads the clocks), so last-writer-wins follows the
//     clocks, not real time. Counters cost a round trip (read the highest
//     version from R replicas, then write it plus one) and ignore clocks.
//   - A replica keeps the newest version it has seen and acknowledges
//     every write, even one it ignores because it holds a newer version:
//     the client cannot tell (Cassandra behaves so).
//   - Read repair: async sends the newest value to the stale replicas
//     that answered; sync writes it back to W replicas before the read
//     returns (the ABD register's second phase).
//   - Eventual: the client writes to the nearest reachable replica (one in
//     its own region when Regions > 1), which acknowledges and then
//     replicates to the others, retrying every HandoffInterval until each
//     has it. Reads ask the nearest reachable replica too.
//   - Sloppy quorum: when a home replica is unreachable, the client sends
//     to a reachable standby (s1..) instead; the standby keeps the write
//     as a hint and hands it off when the home replica is reachable again.
//     Coordinators know reachability (an oracle standing in for gossip).
//   - The partition (Config.Partition, a sim.Window; a zero Duration means
//     none) puts r1..r(N/2+1), odd standbys and odd clients on the
//     majority side and the rest on the minority side. Faults lists more,
//     by node name or side.
//
// # Knobs and limits
//
// Every Config field but Faults is a knob of KnobTable(): its flag, unit,
// default and range; a zero field takes the default unless the table
// says what zero means. Validate checks the ranges, then the rules across
// fields: R and W at most N, a Window at most Duration and at most
// 100000 windows, at most 1000000 handoff rounds, the partition starting
// inside the run, standbys only with a sloppy quorum, and at most 300000
// operations (the lesser of MaxOps and Clients × Rate × Duration), so that
// a run stays under 1 GB. A run holds at most MaxOps operations (clients
// stop there), and a node at most 100000 writes to hand off (past that
// the run stops with an error). The checker's search stops at 512 MB
// (CheckTooLarge), and an interrupt ends it as it ends the run.
//
// # Checking
//
// Every operation's invocation and response are recorded (a failed write
// stays in the history with no response: it may have taken effect).
// The history is checked for linearizability by
// github.com/anishathalye/porcupine with a key-value model partitioned by
// key (Config.CheckTimeout bounds it in wall time; SkipCheck skips it).
//
// Linearizable (Herlihy and Wing): every operation can be given one
// instant between its invocation and its response such that, taken in
// the order of those instants, every read returns the value of the
// latest write before it. The store then behaves as one copy: once an
// operation has completed, every operation that begins later sees it.
// Three kinds of violation are counted without the checker, from starts,
// ends and values (anomalies.go); each is certain, and the checker finds
// others too:
//
//   - a stale read returned the value of a write that completed before a
//     newer write began, when that newer write completed before the read
//     began (or returned the initial value after a write completed);
//   - an inverted read returned an older value than a read that ended
//     before it began, one whose write had completed before that earlier
//     read began (or the initial value): the earlier read saw a write the
//     later one missed;
//   - a lost write was acknowledged, yet the store ordered it before a
//     write that had completed before it started: clients never read it.
//
// # What quorums guarantee
//
// With R+W>N every read quorum meets the W replicas of every completed
// write, and a replica keeps the newest version it has seen. So when
// versions follow real time (synchronised clocks, or counters), a read
// returns every write completed before it began, or a newer one: no stale
// read, no lost write. That is all: a write still in progress (or one
// that timed out) sits on fewer than W replicas, and one read can meet it
// while a later read misses it, an inverted read. Strong's asynchronous
// read repair narrows that window without closing it (preset
// slow-replicas); synchronous read repair closes it, since a read returns
// only once what it returns is on W replicas. With skewed clocks,
// timestamps stop following real time, and writes are lost and reads go
// stale whatever R and W (lww-skew); counters, which read the highest
// version from R replicas before writing, fix that. Counters with
// synchronous read repair are the ABD register (Attiya, Bar-Noy, Dolev),
// linearizable whatever the clocks: the Linearizable model.
//
// The verdict's Outcome is Consistent (linearizable, no stale or inverted
// read, no lost write), Inconsistent (any of them), or Unchecked (the
// checker timed out or was skipped, and the counts found nothing). Each
// side's availability during the first fault stands beside it. A write
// lost before any client read its key leaves the history linearizable,
// yet the store broke its promise: that run is Inconsistent.
//
// # Over seeds
//
// One run is one sample. Sweep runs a configuration over many seeds (a
// "Preset" knob, or any knob, with Reps runs per point), and SeedTable
// shows the few metrics a lesson states, each with its 95% interval. A
// "linearizable in 10 of 10 runs" is evidence about a load, not a proof;
// the guarantees above are what holds in every run.
//
// # Exercises
//
// The lessons' exercises are graded by functions that run the model over
// ExerciseSeeds seeds and explain, from those runs, why an answer is
// right or not: CheckMinorityReads and CheckWhyInvertedReads (lesson 04),
// CheckPBSPrediction, CheckWhyWANWrites and CheckWhyCounters (lesson 05).
//
// # Figures
//
// Figures gives the standard plots: operations by side over time, the
// latency distributions, and the messages around the first fault.
// OperationFigure draws the messages of chosen operations only (FirstOp
// finds one; FirstInversion gives an inverted read's three operations),
// which is how one quorum reads on the wire.
//
// # PBS
//
// PBS computes t-visibility, the probability that a read starting t after
// a write commits sees it, by Monte Carlo over the WARS model, and
// KStaleness the closed form for versions; Profiles holds the paper's four
// latency profiles. For N=3, R=W=1 at t=0 the paper reports 97.4%
// (LNKD-SSD), 43.9% (LNKD-DISK), 89.3% (YMMR) and 33.6% (WAN); the tests
// pin those within one percentage point.
//
// # Sources
//
//   - G. DeCandia et al., "Dynamo: Amazon's Highly Available Key-value
//     Store", SOSP 2007 (sloppy quorum, hinted handoff, read repair).
//   - H. Attiya, A. Bar-Noy, D. Dolev, "Sharing Memory Robustly in
//     Message-Passing Systems", JACM 1995 (the ABD register).
//   - D. Abadi, "Consistency Tradeoffs in Modern Distributed Database
//     System Design", IEEE Computer 2012 (PACELC).
//   - P. Bailis et al., "Probabilistically Bounded Staleness for Practical
//     Partial Quorums", VLDB 2012 (WARS, t-visibility, profiles).
//   - M. Herlihy, J. Wing, "Linearizability: A Correctness Condition for
//     Concurrent Objects", TOPLAS 1990.
//   - I. Gorton, "Foundations of Scalable Systems", O'Reilly 2022:
//     chapter 2 (distributing the database), chapter 3 (time in
//     distributed systems), and the replication and consistency chapters
//     of its part 3.
//
// # Use
//
//	cfg := quorum.Default()
//	cfg.Partition.Duration = 10 * time.Second   // from 10s, the default start
//	cfg.NetworkLatency = dist.MustParse("exp(20ms)")
//	res, err := quorum.Run(cfg)
//	display.Show(res.Summary())
//	display.Show(res.Figures())
//	sw, err := quorum.Sweep(cfg, sweep.Spec{Knobs: []sweep.Knob{{Name: "R", Values: []float64{1, 2, 3}}}})
//
// # Knobs
//
// Every field of Config is a knob of this table, or named below it
// (generated from the knob table: go test ./sim/scenario/registry -update).
// A flag is -NAME on the command line (dsim quorum -h); a sweep
// knob takes the Name.
//
//	| knob | flag | unit | default | range | what it sets |
//	| --- | --- | --- | --- | --- | --- |
//	| Duration | -duration | duration | 30s | 1s to 24h | how long clients issue operations |
//	| Window | -window | duration | 1s | 1ms to 1h | width of the throughput windows |
//	| Model | -model | choice | strong | strong, linearizable, eventual, weak | quorum sizes and mechanisms |
//	| Nodes | -nodes | replicas | 5 | 1 to 15 | N, the number of replicas |
//	| R | -r | replicas | the model's | 1 to 15; 0: auto (the model's) | read quorum |
//	| W | -w | replicas | the model's | 1 to 15; 0: auto (the model's) | write quorum |
//	| Versioning | -versioning | choice | the model's | timestamp, counter | how a write's version is chosen |
//	| ReadRepair | -read-repair | choice | the model's | off, async, sync | what a read does with stale replicas |
//	| NodeLatency | -node-latency | distribution | lognormal(10ms, 0.5) | mean 0s to 1m | a replica's time to handle a request |
//	| NetworkLatency | -network-latency | distribution | lognormal(50ms, 0.3) | mean 0s to 1m | one-way delay between nodes (between regions when Regions > 1) |
//	| Regions | -regions | regions | 1 | 1 to 15 | regions the nodes are spread over, round-robin |
//	| LocalLatency | -local-latency | distribution | lognormal(1ms, 0.3) | mean 0s to 1m | one-way delay inside a region when Regions > 1 (only with -regions other than 1) |
//	| Loss | -loss | share | 0 | 0 to 0.99; 0: no loss | probability that a message is lost |
//	| Clients | -clients | clients | 5 | 1 to 1000 | clients, each issuing one operation at a time |
//	| Rate | -rate | ops/s | 5 | 0.001 to 100000 | each client's operations per second when answers are instant |
//	| WriteRatio | -write-ratio | share | 0.3 | 0.001 to 1 | share of writes |
//	| Keys | -keys | keys | 5 | 1 to 100000 | keys, chosen uniformly |
//	| Timeout | -timeout | duration | 1s | 1ms to 1h | how long a client waits for its quorum |
//	| ClockSkew | -clock-skew | duration | 0s | 0s to 1h; 0: synchronised clocks | clients' clock offsets spread over ± this (only with -clients other than 1 and -versioning other than counter) |
//	| SloppyQuorum | -sloppy-quorum | on/off | off | off, on | write to standbys when home replicas are unreachable (hinted handoff) |
//	| Standbys | -standbys | nodes | 0 | 1 to 15; 0: none, or 2 with SloppyQuorum | extra nodes for sloppy quorums (only with -sloppy-quorum on) |
//	| HandoffInterval | -handoff-interval | duration | 500ms | 1ms to 1h | how often hints and asynchronous replication retry (only with either -model eventual, or -sloppy-quorum on) |
//	| Partition.Start | -partition-start | duration | 10s | 0s to 24h; 0: at the start of the run | when the majority/minority partition begins (only with -partition-duration other than 0s) |
//	| Partition.Duration | -partition-duration | duration | 0s | 1ms to 24h; 0: no partition | how long the partition lasts |
//	| MaxOps | -max-ops | operations | 200000 | 1 to 2e+06 | bound on the recorded history; clients stop there |
//	| CheckTimeout | -check-timeout | duration | 10s | 1ms to 1m | wall time the linearizability check may take (only with -skip-check off) |
//	| SkipCheck | -skip-check | on/off | off | off, on | skip the linearizability check |
//
// Set in Go only: Faults: more faults, a list of net.Fault by node or side name.
package quorum
