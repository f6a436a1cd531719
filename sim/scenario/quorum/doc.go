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
//   - Eventual: the client writes to one reachable replica near it, which
//     acknowledges and then replicates to the others, retrying every
//     HandoffInterval until each has it. Reads ask one nearby replica.
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
// inside the run, standbys only with a sloppy quorum. A run holds at most
// MaxOps operations (clients stop there), and a node at most 100000
// writes to hand off (past that the run stops with an error).
//
// # Checking
//
// Every operation's invocation and response are recorded (a failed write
// stays in the history with no response: it may have taken effect).
// The history is checked for linearizability by
// github.com/anishathalye/porcupine with a key-value model partitioned by
// key (Config.CheckTimeout bounds it in wall time; SkipCheck skips it).
// Two counts need no checker:
//
//   - a stale read returned the value of a write that completed before a
//     newer write began, when that newer write completed before the read
//     began (or returned the initial value after a write completed);
//   - a lost write was acknowledged, yet the store ordered it before a
//     write that had completed before it started: clients never read it.
//
// The verdict's Outcome is Consistent (linearizable, no stale read, no
// lost write), Inconsistent (any of them), or Unchecked (the checker
// timed out or was skipped, and the counts found nothing). Each side's
// availability during the first fault stands beside it.
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
//   - M. Herlihy, J. Wing, "Linearizability", TOPLAS 1990.
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
package quorum
