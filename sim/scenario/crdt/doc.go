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
// # Sources
//
//   - M. Shapiro, N. Preguiça, C. Baquero, M. Zawirski, "Conflict-free
//     Replicated Data Types", SSS 2011, and the INRIA report 7506
//     "A comprehensive study of Convergent and Commutative Replicated Data
//     Types" (G-/PN-Counter, G-/2P-Set, OR-Set, LWW, MV-Register).
//   - P. S. Almeida, A. Shoker, C. Baquero, "Delta State Replicated Data
//     Types", JPDC 2018.
package crdt
