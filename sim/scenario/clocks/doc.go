// Package clocks simulates processes whose clocks disagree, exchanging
// messages over a simulated network: the time-and-order lesson. It asks
// which event came first, by physical clocks, Lamport clocks and vector
// clocks, against happens-before computed from the message trace; what
// skew does to a last-writer-wins register; and what clients that switch
// replicas see, with and without session tokens.
//
// # Physical clocks
//
//   - Processes p1..pN sit on package net. Process i of N has a clock that
//     reads true time + offset + drift·t (net.SetClock), with the offsets
//     spread evenly over [-Skew, +Skew] and the drifts over
//     [-DriftPPM, +DriftPPM] in the same order: p1 starts behind and runs
//     slow, pN starts ahead and runs fast, so unsynchronised clocks fan
//     out at 2·DriftPPM a second. Clients' clocks are exact.
//   - With SyncPeriod set, each process asks a time server with an exact
//     clock for the time every period, first at a random phase, by
//     Cristian's algorithm: it notes its clock at the request (T0) and at
//     the answer (T1), and sets its clock to the server's time plus half
//     the round trip, T1-T0. The server read its clock somewhere within
//     the round trip, so the estimate is off by at most half of it, widened
//     to RTT/2·(1+ρ)/(1-ρ) since the round trip was measured on a clock
//     whose rate is off by up to ρ = DriftPPM·10⁻⁶ (plus 4ns of rounding).
//     Each Sync records the round trip, that bound and the error before and
//     after. The clock is stepped, backwards too (BackSteps counts those),
//     where NTP would slew it. Between synchronisations the error grows by
//     the clock's drift.
//   - Synchronisation travels on a network of its own (one-way delay
//     SyncLatency, the same Loss), with its own random streams, so turning
//     it on changes no delay or loss of the application's messages. A lost
//     request or answer costs one period.
//
// # Events and logical clocks
//
//   - Each process writes its replica of the register WriteRate times a
//     second and sends its replica to a random other process MessageRate
//     times a second (independent Poisson streams); a process that
//     receives a replica merges it. Messages take a draw of Latency and are
//     lost with probability Loss.
//   - Every write, send and receipt is an Event, stamped with the
//     process's physical clock, its Lamport time and its vector time
//     (Lamport 1978, rules IR1 and IR2: tick before each event, and on a
//     receipt first move past the message's stamp; Fidge 1988 and Mattern
//     1989: the vector's own entry ticks, a receipt takes the entrywise
//     maximum). Clients are lanes too, with clocks of their own.
//   - Happens-before is computed from the message trace alone, not from
//     the clocks: the transitive closure of each lane's order and of each
//     delivered message's send before its receipt (Result.HappensBefore).
//     Two events neither of which happens before the other are concurrent.
//     Synchronisation messages are not application events: they carry no
//     logical clocks and are left out.
//   - CheckClocks compares every pair of events: vector time orders a
//     before b exactly when a happens before b; Lamport time increases
//     along happens-before but also orders concurrent events; physical
//     time can run backwards along it.
//
// # The register and last writer wins
//
//   - Each process holds a replica: the write it keeps, that write's
//     version, and a version vector (how many writes of each process it
//     has seen). A write gets the version (stamp, process, the process's
//     count of writes), where the stamp is its physical clock or its
//     Lamport time (Stamps); merging keeps the larger version, the last
//     writer by that stamp, and the entrywise maximum of the vectors.
//   - A write is lost when a write that happened before it has the larger
//     version: wherever the two meet, the earlier one wins. Order counts
//     them under both kinds of stamp (LostPhysical, LostLamport) whatever
//     the register uses. With Lamport stamps there are none (a → b implies
//     L(a) < L(b)); with physical stamps there are some once two clocks
//     are further apart than the chain of messages from one write to the
//     other takes. Concurrent writes are ordered arbitrarily by either
//     stamp; Order counts their pairs.
//
// # Sessions
//
//   - Clients c1..cK each issue one operation at a time (a read with
//     probability ReadShare, else a write) to a random process, wait for
//     the answer up to Timeout, then wait a Poisson gap (ClientRate).
//   - A read breaks read-your-writes when its version is older than the
//     client's last acknowledged write, and monotonic reads when it is
//     older than a version the client has read (Terry et al. 1994). Both
//     are judged by the register's own order of versions.
//   - With Tokens, a client carries the entrywise maximum of the version
//     vectors of every answer it got. A process serves a request only when
//     its replica's vector covers the token; otherwise it holds the request
//     (at most 1000 held), asks each process whose writes it lacks for its
//     replica (each holds all of its own writes), and serves it when the
//     answers cover the token, or refuses it after Timeout/2. A replica
//     covering the token holds a version at least as large as every write
//     the client wrote or read, so neither guarantee breaks.
//
// # Verdict
//
// Misordered when the register lost a write under its own stamps; else
// Stale when a client read broke a session guarantee; else Ordered.
//
// # Limits
//
// A run records at most MaxEvents events (5000 at most) and stops there
// (Result.Truncated); the trace keeps every application message, at most
// one per event. Happens-before is a bit per pair of events: 3 MB at 5000
// events, computed in O(events²/64); Order's counts cost O(events²/64 +
// writes²) and CheckClocks O(events²·lanes). Validate refuses a Window
// giving more than 10000 samples of each clock and a SyncPeriod planning
// more than 100000 synchronisations. The engine checks for cancellation
// every 4096 events.
//
// # Use
//
//	cfg, err := clocks.PresetConfig("lww-skew")
//	cfg.Stamps = clocks.LamportStamp             // any knob of KnobTable
//	res, err := clocks.Run(cfg)                  // validates first
//	display.Show(res.Verdict())
//	display.Show(res.SpaceTimeFigure(clocks.ShowLamport|clocks.ShowVector, 0, 2*time.Second))
//	fmt.Println(res.CheckClocks())
//
// # Sources
//
//   - L. Lamport, "Time, Clocks, and the Ordering of Events in a
//     Distributed System", CACM 21(7), 1978 (happens-before, logical
//     clocks, the clock condition, space-time diagrams).
//   - C. J. Fidge, "Timestamps in Message-Passing Systems That Preserve
//     the Partial Ordering", ACSC 1988; F. Mattern, "Virtual Time and
//     Global States of Distributed Systems", 1989 (vector clocks).
//   - F. Cristian, "Probabilistic Clock Synchronization", Distributed
//     Computing 3(3), 1989; D. Mills, RFC 5905 (NTPv4).
//   - D. Terry, A. Demers, K. Petersen, M. Spreitzer, M. Theimer,
//     B. Welch, "Session Guarantees for Weakly Consistent Replicated
//     Data", PDIS 1994.
//   - I. Gorton, Foundations of Scalable Systems, O'Reilly 2022, chapter 3
//     (time in distributed systems: drift, NTP, clocks set backwards).
//   - M. van Steen and A. S. Tanenbaum, Distributed Systems (3rd ed.),
//     chapter 6 (coordination: clock synchronisation, logical and vector
//     clocks) and chapter 7 (client-centric consistency).
//
// # Knobs
//
// Every field of Config is a knob of this table, or named below it
// (generated from the knob table: go test ./sim/scenario/registry -update).
// A flag is -NAME on the command line (dsim clocks -h); a sweep
// knob takes the Name.
//
//	| knob | flag | unit | default | range | what it sets |
//	| --- | --- | --- | --- | --- | --- |
//	| Processes | -processes | processes | 3 | 2 to 16 | processes, each a replica of the register |
//	| WriteRate | -write-rate | writes/s | 1 | 0.001 to 1000 | each process's local writes per second (Poisson) |
//	| MessageRate | -message-rate | msgs/s | 2 | 0.001 to 1000 | each process's messages per second to a random other (Poisson) |
//	| Latency | -latency | distribution | lognormal(20ms, 0.5) | mean 0s to 1m | one-way delay of a message |
//	| Loss | -loss | share | 0 | 0 to 0.99; 0: no loss | chance a message is lost |
//	| Duration | -duration | duration | 10s | 100ms to 24h | the run's length in virtual time |
//	| Skew | -skew | duration | 30ms | 1ns to 1h; 0: clocks start together | clock offsets spread evenly over ± this |
//	| DriftPPM | -drift-ppm | ppm | 200 | 0.001 to 100000; 0: no drift | clock rate errors spread evenly over ± this |
//	| SyncPeriod | -sync-period | duration | 0s | 1ms to 1h; 0: never | each process synchronises with the time server every period (Cristian) |
//	| SyncLatency | -sync-latency | distribution | lognormal(5ms, 0.5) | mean 0s to 1m | one-way delay to the time server (only with -sync-period other than 0s) |
//	| Stamps | -stamps | choice | physical | physical, lamport | what the register's last writer wins orders writes by |
//	| Clients | -clients | clients | 0 | 1 to 16; 0: none | clients reading and writing at a random process each time |
//	| ClientRate | -client-rate | ops/s | 4 | 0.001 to 1000 | each client's operations per second when answers are instant (only with -clients other than 0) |
//	| ReadShare | -read-share | share | 0.5 | 0.01 to 0.99 | share of a client's operations that read (only with -clients other than 0) |
//	| Tokens | -tokens | on/off | off | off, on | clients carry session tokens: the versions they have seen (only with -clients other than 0) |
//	| Timeout | -timeout | duration | 1s | 1ms to 1h | how long a client waits for an answer (only with -clients other than 0) |
//	| MaxEvents | -max-events | events | 2000 | 10 to 5000 | events recorded before the run stops |
//	| Window | -window | duration | 100ms | 1ms to 1h | sampling interval of the clocks' errors |
package clocks
