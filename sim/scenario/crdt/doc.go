// Package crdt simulates replicas of conflict-free replicated data types
// that accept updates without coordination and gossip their state over a
// simulated network: the convergence lesson.
//
// # Types
//
// G-Counter, PN-Counter, G-Set, 2P-Set, OR-Set (observed-remove, add
// wins), LWW-Register, LWW-Map and MV-Register, and a naive set (a plain
// set merged by union) to contrast. Elements, keys and register values are
// strings; counters are int64. Every type is state-based: Merge is the
// lattice join (commutative, associative, idempotent), and every mutation
// returns a delta, a small state whose merge has the mutation's effect
// (delta-state CRDTs). States print canonically, so equal states print the
// same; Size is the length of that text in bytes.
//
// # Replication
//
//   - Replicas r1..rN sit on package net; each message takes a draw of
//     NetworkDelay (the seed's lognormal, mean 500ms, CV 0.3), is lost with
//     probability Loss, and is cut while the Partition window splits the
//     replicas in two halves (r1..r[N/2] and the rest). Clocks are spread
//     by ClockSkew; LWW stamps read those clocks.
//   - Operations arrive at OpRate per second (Poisson) on random replicas,
//     or come from Config.Script. An operation is applied locally at once:
//     it is acknowledged without coordination.
//   - Gossip: the seed's MergeProbability sends the whole state to one
//     random peer after an operation; anti-entropy sends it every
//     GossipPeriod to Fanout peers. Either is off at zero (Default sets
//     both to the seed's values); with both off the replicas never talk.
//     With Delta, a round sends each chosen peer only the deltas it has not
//     acknowledged, and the whole state every FullEvery rounds.
//   - For the set types, a naive set fed the same operations is gossiped
//     beside the CRDT, so its anomalies show in the same run.
//   - The run ends at the first moment after the last operation when every
//     replica holds the same state (merges can change nothing after that),
//     or MaxTime after it. Divergence (distinct states), state size and
//     tombstones are sampled every Window; with a partition, so is the most
//     distinct states within one half (HalfDivergence), and Split reads
//     from the samples what the partition did: whether each half settled
//     on one state before the heal, how many states the replicas held at
//     the heal, and how soon after it they agreed.
//   - A lost LWW write is one that lost to a write made earlier in real
//     time on the same key: with synchronised clocks there are none.
//
// # Knobs and limits
//
// Every field of Config but Script is a knob of KnobTable: its unit,
// default, range and what zero means. The command line, sweeps (Sweep,
// SweepContext) and Scenario take the same names. Zero fields take the
// default except MergeProbability and GossipPeriod (off), Loss and
// ClockSkew (none) and Partition.Duration (no partition; a partition
// longer than the run never heals).
//
// Validate also refuses what would overflow, spin or eat memory: a Window
// longer than MaxTime or giving more than a million samples over the run
// (the last operation, planned, plus MaxTime), a GossipPeriod planning
// more than ten million messages, a partition starting after the run,
// random operations spread over more than 1000h, a script operation after
// 1000h, a counter amount beyond 10¹², an element or value over 1 KiB.
// A run stops with an error naming the limit when it sends more than ten
// million messages or 1 GiB of state, or when a replica's state passes
// 4 MiB; every event checks for cancellation, so an interrupt stops it.
//
// # Cost
//
// A gossip round copies the sender's state once, whatever its fanout. A
// replica rebuilds its canonical text only after its state changed, so a
// sample costs the replicas that changed since the last one, each in its
// state size. An OR-Set grows with every operation it has seen: a run of
// 100000 operations on one takes minutes.
//
// # Use
//
//	cfg, _ := crdt.PresetConfig("shopping-cart")
//	cfg.NetworkDelay = dist.MustParse("exp(200ms)") // any knob of KnobTable
//	res, err := crdt.Run(cfg)                       // validates first
//	display.Show(res.Verdict())
//	display.Show(res.Figures())
//
// Sweep runs the model over a grid of knobs named after Config fields,
// several seeds per point, on every core; each run reports the shares
// converged and diverged, the time to converge, the traffic and the final
// state (see Sweep). GossipSweep runs one seed per gossip period;
// DeltaTable compares state and delta gossip over many seeds, with 95%
// intervals.
//
// # Exercises
//
// The lesson's exercises are checked here, over many seeds, so that the
// notebook's exercise cell does not hold its answer. CheckGossipPeriod
// checks the longest anti-entropy period (of GossipPeriods) with which at
// least DeadlineShare of DeadlineRuns runs (seeds 1 to DeadlineRuns)
// converge within Deadline of the last operation; MeetsDeadline counts
// them for one period. CheckWhyWritesLost checks the "why" question of
// the clock-skew experiment against the lww-skew preset run with and
// without skew.
//
// # Sources
//
//   - M. Shapiro, N. Preguiça, C. Baquero, M. Zawirski, "Conflict-free
//     Replicated Data Types", SSS 2011, and the INRIA report 7506
//     "A comprehensive study of Convergent and Commutative Replicated Data
//     Types" (G-/PN-Counter, G-/2P-Set, OR-Set, LWW, MV-Register).
//   - P. S. Almeida, A. Shoker, C. Baquero, "Delta State Replicated Data
//     Types", JPDC 2018.
//
// # Knobs
//
// Every field of Config is a knob of this table, or named below it
// (generated from the knob table: go test ./sim/scenario/registry -update).
// A flag is -NAME on the command line (dsim crdt -h); a sweep
// knob takes the Name.
//
//	| knob | flag | unit | default | range | what it sets |
//	| --- | --- | --- | --- | --- | --- |
//	| Type | -type | choice | g-counter | g-counter, pn-counter, g-set, 2p-set, or-set, lww-register, lww-map, mv-register, naive-set | the replicated data type |
//	| Replicas | -replicas | replicas | 3 | 2 to 64 | replicas gossiping |
//	| Operations | -operations | ops | 30 | 1 to 100000 | random operations, each at a random replica |
//	| OpRate | -op-rate | ops/s | 10 | 0.001 to 1e+06 | operations per second (Poisson) |
//	| AddRatio | -add-ratio | share | 0.7 | 0.01 to 1 | share of growing operations (add, inc, set) (only with -type pn-counter or 2p-set or or-set or naive-set or lww-map) |
//	| Elements | -elements | elements | 5 | 1 to 10000 | distinct elements or keys (only with -type g-set or 2p-set or or-set or naive-set or lww-map) |
//	| MergeProbability | -merge-probability | share | 0.3 | 0.001 to 1; 0: off | chance a replica sends its state to one peer after an operation |
//	| GossipPeriod | -gossip-period | duration | 1s | 1ms to 1h; 0: off | anti-entropy: each replica sends its state every period |
//	| Fanout | -fanout | peers | 1 | 1 to 63 | peers each gossip round reaches (only with -gossip-period other than 0s) |
//	| Delta | -delta | on/off | off | off, on | gossip rounds send unacknowledged deltas instead of the state (only with -gossip-period other than 0s) |
//	| FullEvery | -full-every | rounds | 10 | 1 to 1e+06 | a delta replica sends its full state every this many rounds (only with -gossip-period other than 0s and -delta on) |
//	| NetworkDelay | -network-delay | distribution | lognormal(500ms, 0.3) | mean 0s to 1h | one-way delay of a message |
//	| Loss | -loss | share | 0 | 0 to 0.99; 0: no loss | chance a message is lost |
//	| Partition.Start | -partition-start | duration | 2s | 1ms to 1000h; 0: at the start of the run | when the replicas split in two halves (only with -partition-duration other than 0s) |
//	| Partition.Duration | -partition-duration | duration | 0s | 1ms to 1000h; 0: no partition | how long the halves stay apart |
//	| ClockSkew | -clock-skew | duration | 0s | 1µs to 1h; 0: synchronised clocks | replica clocks spread over ± this (LWW stamps) (only with -type lww-register or lww-map) |
//	| Window | -window | duration | 100ms | 1ms to 1h | sampling interval of divergence and state size |
//	| MaxTime | -max-time | duration | 1m | 1ms to 24h | how long after the last operation a run may take to converge |
//
// Set in Go only: Script: scripted operations (Op) that replace the random ones.
package crdt
