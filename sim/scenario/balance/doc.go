// Package balance is the load-balancing lesson: one balancer in front of
// a group of servers, and the question of which server each request
// should go to. It compares the policies on the mean and the tail of the
// time in system and on the longest queue; puts one server in a gray
// failure (ten times slower, still answering) under round robin and under
// least-outstanding; feeds the balancer load information that is T old,
// so that least-loaded choices herd; lets sticky sessions pile onto a few
// servers; and takes a server off a consistent-hash ring, counting the
// keys that move and the load after. Mitzenmacher's supermarket model
// stands beside the runs it describes.
//
// # The model
//
// A composition of sim/service components, nothing of its own:
//
//	load (Source) -> clients (Client) -> lb (Balancer) -> s1 .. sN (Server)
//
// The rules:
//
//   - Requests arrive as one Poisson stream at Load × Servers × Slots /
//     the mean service time per second (Config.Rate), each carrying a key
//     drawn from Keys keys by Zipf's law with exponent KeySkew (uniform at
//     zero): a user's session, or the key of the data it asks for.
//   - The client waits as long as it takes and never retries, so its
//     latency is the request's time in the system: the balancer's choice,
//     the wait in that server's queue and the service.
//   - The balancer picks a server by Policy (service.Balancer: random,
//     round robin, least outstanding calls by its own count, the less
//     loaded of Choices servers sampled at random, consistent hashing of
//     the key with an optional LoadBound, sticky sessions chosen by least
//     outstanding at their first request). With LoadAge > 0 the policies
//     that read load read a copy refreshed every LoadAge.
//   - Each server has Slots slots and a FIFO queue without bound; its
//     service time is a draw from Service, times SlowFactor for the first
//     SlowServers servers during Slow (a service.Slowdown fault).
//   - At LeaveAt the last server crashes for good (a service.Crash fault):
//     the calls it holds fail, and the balancer, whose health check knows
//     at once, sends no more. Consistent hashing then moves that server's
//     keys to the next servers on the ring; sticky sessions move to the
//     least loaded.
//
// # Outcomes
//
// A server has fallen behind when its queue reaches 50 calls per slot (a
// request there waits 50 service times). Overloaded: some server fell
// behind. Uneven: none did, but the busiest took more than 1.25 times an
// even share of the calls. Balanced: neither.
//
// # Theory beside the runs
//
//   - The supermarket model (Mitzenmacher 2001, Theorem 3.6; Vvedenskaya,
//     Dobrushin and Karpelevich 1996): n → ∞ servers of one slot with
//     exponential service and Poisson arrivals at λ < 1 per server, each
//     sent to the shortest of d queues sampled at random, spend
//     T_d = Σ_{i≥1} λ^((d^i − d)/(d − 1)) mean service times in the
//     system; T_1 = 1/(1 − λ) is M/M/1, random choice. Result.Theory puts
//     it beside a run of random (d = 1) or power of d choices on live load
//     with one slot and exponential service, none slow and none leaving;
//     the run's figure is its mean time in system by Little's law over all
//     but the first tenth of the run (the queues start empty). The tests
//     pin it within 3% at n = 500 for d = 1, 2, 3 and λ = 0.5 and 0.9.
//   - Stale information (Mitzenmacher, "How Useful Is Old Information?",
//     IEEE TPDS 11(1), 2000; Dahlin, "Interpreting Stale Load
//     Information", 2000): every request of an interval sees the same
//     loads, so "least loaded" sends them all to one server; with old
//     enough information choosing at random does better, and two choices
//     degrade more gracefully than the least of all.
//   - Consistent hashing (Karger et al., STOC 1997): a server that leaves
//     hands on only its own keys, about 1/n of them (KeysMoved), where
//     hashing modulo n moves a key unless its hash modulo n and n − 1
//     agree, about (n − 1)/n (ModuloMoved). Bounded loads (Mirrokni,
//     Thorup and Zadimoghaddam, SODA 2018) pass a call on from a server
//     already holding LoadBound times the mean.
//   - Gray failure (Huang et al., "Gray Failure: The Achilles' Heel of
//     Cloud-Scale Systems", HotOS 2017): a server that still answers
//     passes health checks; only a policy that reads its load notices it.
//
// # Sources
//
//   - I. Gorton, Foundations of Scalable Systems, O'Reilly 2022, chapter 5
//     (load balancing: algorithms, health checks, session affinity).
//   - M. Mitzenmacher, "The Power of Two Choices in Randomized Load
//     Balancing", IEEE TPDS 12(10), 2001.
//   - M. Mitzenmacher, "How Useful Is Old Information?", IEEE TPDS 11(1),
//     2000.
//   - D. Karger et al., "Consistent Hashing and Random Trees", STOC 1997;
//     V. Mirrokni, M. Thorup, M. Zadimoghaddam, "Consistent Hashing with
//     Bounded Loads", SODA 2018.
//
// # Cost and limits
//
// A server's latency recorders take about 760 kB, so Servers is at most
// 500 (about 400 MB); a run is at most 10 million requests (Duration ×
// Config.Rate), a million a wall second or so.
//
// # Knobs
//
// Every field of Config is a knob of this table, or named below it
// (generated from the knob table: go test ./sim/scenario/registry -update).
// A flag is -NAME on the command line (dsim balance -h); a sweep
// knob takes the Name.
//
//	| knob | flag | unit | default | range | what it sets |
//	| --- | --- | --- | --- | --- | --- |
//	| Servers | -servers | servers | 8 | 1 to 500 | servers behind the balancer |
//	| Slots | -slots | calls | 1 | 1 to 64 | calls each server serves at once |
//	| Service | -service | distribution | exp(100ms) | mean 1µs to 1m | a call's service time at a server |
//	| Load | -load | share | 0.7 | 0.01 to 0.99 | offered load per server, λ: arrival rate × mean service / (Servers × Slots) |
//	| Policy | -policy | choice | round-robin | random, round-robin, least-outstanding, power-of-choices, consistent-hash, sticky | how the balancer picks a server |
//	| Choices | -choices | servers | 2 | 1 to 10 | d: servers power-of-choices samples per request (only with -policy power-of-choices) |
//	| LoadAge | -load-age | duration | 0s | 1ms to 1h; 0: live | age of the load the balancer sees, refreshed every LoadAge (only with -policy least-outstanding or power-of-choices) |
//	| LoadBound | -load-bound | × | 0 | 1 to 10; 0: unbounded | consistent hashing's bound on a server's calls against the mean (only with -policy consistent-hash) |
//	| Keys | -keys | keys | 1000 | 1 to 1e+06 | distinct keys (sessions) requests carry (only with -policy consistent-hash or sticky) |
//	| KeySkew | -key-skew | s | 0 | 0.01 to 3; 0: uniform | Zipf exponent of the keys' popularity (only with -policy consistent-hash or sticky) |
//	| SlowFactor | -slow-factor | × | 0 | 1 to 1000; 0: no slow server | service time multiplier of the slow servers (a gray failure) |
//	| SlowServers | -slow-servers | servers | 1 | 1 to 500 | how many servers are slow, s1 first (only with -slow-factor other than 0) |
//	| Slow.Start | -slow-start | duration | 0s | 0s to 24h; 0: from the start | when the slow servers slow down (only with -slow-factor other than 0) |
//	| Slow.Duration | -slow-duration | duration | 0s | 1ms to 24h; 0: to the end | how long they stay slow (only with -slow-factor other than 0) |
//	| LeaveAt | -leave-at | duration | 0s | 1ms to 24h; 0: none leaves | when the last server leaves for good |
//	| Duration | -duration | duration | 10m | 1s to 24h | the run's length in virtual time |
//	| Window | -window | duration | Duration/60 | 1ms to 1h; 0: auto (Duration/60) | width of the metric windows |
package balance
