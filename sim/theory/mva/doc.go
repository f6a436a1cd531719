// Package mva solves closed queueing networks by exact Mean Value
// Analysis: N users cycle between thinking and one visit to each station
// of a network, and MVA gives, for every population from 1 to N, the
// throughput, the response time and each station's queue, residence time
// and utilisation, with no simulation.
//
// # The model
//
// A Network has a think time Z (the users' own delay station) and
// stations of two kinds:
//
//   - Queue: one server in FIFO order, with a service demand D (the
//     visits per request times the mean service time per visit). A
//     request that arrives finds, on average, the queue the network held
//     with one user fewer (the arrival theorem of Reiser and Lavenberg),
//     so its residence time is R_k(n) = D_k (1 + Q_k(n−1)).
//   - Delay: as many servers as requests (a think time, a network
//     crossing, a dependency with no queue): R_k(n) = D_k.
//
// Then X(n) = n / (Z + Σ R_k(n)) (the interactive response-time law) and
// Q_k(n) = X(n) R_k(n) (Little's law), from Q_k(0) = 0 upward.
// The results are exact for a product-form network: exponential service
// at the FIFO queues (any distribution at the delay stations and for Z),
// one class of users, visits that do not depend on the state. Reiser and
// Lavenberg, "Mean-Value Analysis of Closed Multichain Queuing Networks",
// JACM 27(2), 1980; Lazowska et al., "Quantitative System Performance"
// (1984), ch. 6.
//
// # Bounds and the knee
//
// Asymptotic bounds frame the curve (Lazowska et al., ch. 5): throughput
// is at most min(N/(D+Z), 1/D_max) and the response time at least
// max(D, N·D_max − Z), where D is the total demand and D_max the largest
// queue's. The two throughput bounds cross at N* = (D+Z)/D_max, the knee:
// below it users mostly wait on themselves, above it on the bottleneck,
// and every added user adds D_max to everyone's response time.
//
// # Cost and limits
//
// Solve costs O(N·K) for K stations and holds one Point per population.
// A network has at most MaxStations stations, a run at most MaxUsers
// users, and demands and think times from 0 to an hour; Validate names
// the field that breaks one.
//
// # Usage
//
//	net := mva.Network{Think: time.Second, Stations: []mva.Station{
//		{Name: "cpu", Demand: 40 * time.Millisecond},
//		{Name: "disk", Demand: 25 * time.Millisecond},
//		{Name: "wan", Kind: mva.Delay, Demand: 50 * time.Millisecond},
//	}}
//	curve, err := net.Solve(50)
//	fmt.Println(curve[49].X, curve[49].R, net.Knee())
package mva
