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
//   - Replicas r1..rN sit on package net with lognormal delay (CV 0.3),
//     optional loss, a partition into two halves that heals, and clocks
//     spread by ClockSkew; LWW stamps read those clocks.
//   - Operations arrive at OpRate (Poisson) on random replicas, or come
//     from Config.Script. An operation is applied locally at once: it is
//     acknowledged without coordination.
//   - Gossip: the seed's MergeProbability sends the whole state to one
//     random peer after an operation; anti-entropy sends it every
//     GossipPeriod to Fanout peers. With Delta, a round sends each chosen
//     peer only the deltas it has not acknowledged, and the whole state
//     every FullEvery rounds.
//   - For the set types, a naive set fed the same operations is gossiped
//     beside the CRDT, so its anomalies show in the same run.
//   - The run ends at the first moment after the last operation when every
//     replica holds the same state (merges can change nothing after that),
//     or MaxTime after it. Divergence (distinct states), state size and
//     tombstones are sampled every Window.
//   - A lost LWW write is one that lost to a write made earlier in real
//     time on the same key: with synchronised clocks there are none.
//
// # Use
//
//	cfg, _ := crdt.PresetConfig("shopping-cart")
//	res, err := crdt.Run(cfg)
//	display.Show(res.Verdict())
//	display.Show(res.Figures())
//
// # Sources
//
//   - M. Shapiro, N. Preguiça, C. Baquero, M. Zawirski, "Conflict-free
//     Replicated Data Types", SSS 2011, and the INRIA report 7506
//     "A comprehensive study of Convergent and Commutative Replicated Data
//     Types" (G-/PN-Counter, G-/2P-Set, OR-Set, LWW, MV-Register).
//   - P. S. Almeida, A. Shoker, C. Baquero, "Delta State Replicated Data
//     Types", JPDC 2018.
package crdt
