// Package detect is failure detection on the protocol lab (sim/lab):
// nodes that send each other heartbeats, and failure detectors fed by the
// heartbeats' arrivals, measured for how fast they suspect a node that
// crashed and how often they suspect one that did not.
//
// # Why not ask the network
//
// The simulator knows who is up: net.Reachable answers at once and never
// errs. No real process has such an oracle. A process sees only the
// messages that arrive; a silent peer may have crashed, or be paused by
// its garbage collector, or sit behind a lossy or congested link, or
// behind a partition that lets others reach it. Nothing a process can
// observe tells these apart in time: in an asynchronous system a crash
// cannot be detected with certainty (Fischer, Lynch and Paterson, 1985),
// and a detector can only trade how soon it suspects against how often it
// is wrong (Chandra and Toueg, 1996; Chen, Toueg and Aguilera, 2002).
// Protocols built on an oracle would be right in the simulator and wrong
// everywhere else, so the lab's nodes, like Raft's, see only messages and
// their own clock.
//
// # Detectors
//
// Every node sends a heartbeat to every peer each Config.Interval and
// runs each detector of Config.Detectors on each peer, side by side on
// the same arrivals:
//
//   - Fixed suspects a peer Timeout after its last heartbeat arrived.
//   - Phi (Hayashibara, Défago, Yared and Katayama, "The φ Accrual
//     Failure Detector", 2004) keeps the last Window inter-arrival times,
//     takes them as normal with their mean and deviation (at least
//     MinStdDev), and computes phi = -log10 P(the next heartbeat comes
//     later than now). Phi 1 is a 10% chance of being wrong, phi 8 one in
//     a hundred million, if the arrivals were normal; a peer is suspected
//     when phi passes Threshold, which falls mean + Deviations(Threshold)
//     deviations after the last arrival. So phi adapts: jitter widens the
//     deviation and the deadline with it.
//
// A heartbeat from a suspected peer makes the detector trust it again.
// Each change is reported (Suspicion, through lab.Env.Observe) and the
// run's monitor keeps them. Deadlines are timers set at each arrival, not
// a polling loop: phi only grows between arrivals, so the moment it
// passes the threshold is known then.
//
// # Measurements
//
// Run runs the nodes in Conditions: a latency distribution (its spread is
// the latency variance), a loss rate, GC-like pauses of every node, and
// one node that crashes for good in the last third of the run. It
// returns an Outcome per detector: the detection time (crash to
// suspicion, by each live node) and the false suspicions (a node begins
// to suspect a peer that is up; a paused peer is up) per hour of one node
// watching one peer. Sweep runs it over detectors, conditions and seeds
// and returns a Table.
//
// # What it shows
//
// Sweep over Ladder and Spectrum, ten seeds of two minutes, five nodes,
// heartbeats every 100ms (mean detection / false suspicions per
// node-hour):
//
//	                  calm          jitter cv3     loss 20%       pauses/5s
//	fixed 300ms       259ms / 0     259ms / 0      233ms / 685    263ms / 200
//	fixed 1s          959ms / 0     959ms / 0      933ms / 0      970ms / 6.3
//	phi 1              71ms / 0      76ms / 1745   121ms / 4030   133ms / 403
//	phi 8             115ms / 0     143ms / 176    364ms / 127    375ms / 201
//	phi 16            141ms / 0     183ms / 67     506ms / 39     509ms / 147
//
// On a calm network phi learns that heartbeats come like clockwork and
// suspects a crash in about an interval and a half, without a mistake,
// where a timeout must be set for the worst network it expects. Raising
// phi's threshold always trades speed for fewer mistakes (the tests check
// it). But phi is no better calibrated than its model: lost heartbeats
// make gaps of whole intervals and a GC pause a rare long silence, neither
// normal, and there phi is wrong more often than a timeout of the same
// mean detection time. Pauses are the hardest: a paused node is alive and
// silent, and no detector that reads silence can tell it from a crash.
//
// # Cost
//
// A two-minute run of five nodes (24,000 heartbeats) with ten detectors
// takes about 30ms here, some 4,000 virtual seconds per wall second
// (BenchmarkRun); the sweep above, 70 runs, 2s.
//
// # Usage
//
//	cfg := detect.Config{Detectors: []detect.Detector{{Kind: detect.Fixed, Timeout: 500 * time.Millisecond}, {Kind: detect.Phi, Threshold: 8}}}
//	out, err := detect.Run(ctx, cfg, detect.Conditions{Latency: "lognormal(20ms, 1)", Seed: 1})
//	fmt.Println(out[1].MeanDetection, out[1].FalsePerHour)
package detect
