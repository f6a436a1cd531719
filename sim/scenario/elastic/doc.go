// Package elastic is the elasticity and cost lesson: capacity that follows
// the load, and what it costs. An autoscaled group of servers, or a
// serverless function, meets a ramp, a spike, a day of load or a steady
// crowd of users; every run reports its p99, its instance-hours and its
// dollars at list prices. A ramp slow beside the warm-up is absorbed; a
// spike shorter than the warm-up is over before its instances serve; a
// cooldown shorter than the warm-up makes a steady load oscillate; a quiet
// function's calls start cold; a platform's burst limit throttles a spike
// until its growth catches up; a reserve starves a neighbour. CostStudy
// sweeps target utilisation by maximum instances, as Gorton's
// twelve-configuration study does, and marks the Pareto fronts of cost
// against throughput and against p99.
//
// # The model
//
// A composition of sim/service components, nothing of its own:
//
//	load (Source) or users (Users) -> client (Client) -> lb (Balancer) -> s1 .. sMax (Server), scaler (Autoscaler) on lb
//	load (Source) or users (Users) -> client (Client) -> app (Function) on platform (Platform)
//	neighbour (Source) -> batch (Function) on platform, when Neighbour > 0
//
// The rules:
//
//   - The load is a Poisson stream whose rate follows Pattern (constant;
//     ramp or ramp-up-down or spike in Surge, from Rate to Peak; diurnal,
//     a cosine day over the run), or, with Users > 0, a closed crowd of
//     users who each send, wait and think for a draw from Think.
//   - The client waits as long as it takes and never retries: its latency
//     is a request's response time (queue, cold start and work); a
//     throttled request fails.
//   - Servers (service.Autoscaler on a least-outstanding balancer): every
//     Period the scaler reads the serving instances' utilisation; target
//     tracking sizes the group to bring it back to ScaleOutAt when it
//     leaves the band ScaleInAt..ScaleOutAt, counting instances warming
//     up; step scaling adds Step above the band and removes InStep below
//     it, blind to instances warming up. After an action none is taken
//     for Cooldown. A launch is billed at once and serves after Warmup.
//   - Function (service.Function on service.Platform): each call runs on
//     an instance of its own; a call that finds no idle instance starts
//     one (ColdStart); an idle instance is kept KeepAlive. The platform
//     allows Burst calls at once, then Growth more each minute from its
//     first throttle; Reserved is set aside for the function alone, and
//     the neighbour shares the rest.
//   - Prices (service.ListPrices, AWS on-demand list prices): $0.096 an
//     instance-hour; $0.20 a million function requests and $0.0000166667
//     a GB-second. Warming instances are billed; throttled calls are not.
//
// # Outcomes
//
// Starved: the neighbour was throttled while the reserve sat partly idle.
// Throttled: the platform refused requests. Oscillating: the group
// reversed its scaling three times or more. Lagged: some window's p99
// missed the SLO. Absorbed: none of these.
//
// # Theory beside the runs
//
//   - Capacity planning: at a rate λ, a work S and Slots per instance,
//     ceil(λ·S / (Slots·target)) instances run at the target utilisation
//     (Config.Needed); the capacity figure draws it from the offered rate
//     beside the instances billed and serving, and a fixed group sized
//     for the peak is priced beside the run (Result.FixedDollars).
//   - A spike shorter than the warm-up cannot be absorbed by scaling: the
//     instances launched for it serve only after Warmup (a test pins the
//     tenfold p99 rise). A cooldown shorter than the warm-up lets step
//     scaling act again on utilisation read before its launches serve
//     (the component's test and this package's pin the cycles).
//   - The latency figure draws the SLO as a dashed line across it. When
//     the slowest window passes ten times the SLO (the spike's backlog of
//     a minute), its axis is logarithmic, so that the windows around the
//     spike and the SLO stay apart instead of lying flat at zero.
//   - Lambda's scaling (Gorton, ch. 8): a burst of 1000 to 3000 calls at
//     once by region, then 500 more a minute; calls beyond are throttled
//     (HTTP 429). The presets scale these figures down a hundredfold with
//     the load, and a test checks the calls at once never pass the
//     ceiling and the throttling stops once it is far above the demand.
//
// # Sources
//
//   - I. Gorton, Foundations of Scalable Systems, O'Reilly 2022, chapter
//     8 (serverless: GAE autoscaling parameters, Lambda cold starts,
//     burst limits and reserved concurrency, the case study "Balancing
//     Throughput and Costs") and chapter 5 (autoscaling groups).
//   - AWS, EC2 Auto Scaling: target tracking and step scaling policies,
//     instance warm-up, cooldowns.
//
// # Cost and limits
//
// A run is at most 5 million requests (about five wall seconds); a group
// at most 200 instances, whose latency recorders take about 150 MB. A
// preset runs in about a tenth of a wall second or less; the cost study's
// twelve configurations × 3 runs in a few seconds on one core.
//
// # Knobs
//
// Every field of Config is a knob of this table, or named below it
// (generated from the knob table: go test ./sim/scenario/registry -update).
// A flag is -NAME on the command line (dsim elastic -h); a sweep
// knob takes the Name.
//
//	| knob | flag | unit | default | range | what it sets |
//	| --- | --- | --- | --- | --- | --- |
//	| Deploy | -deploy | choice | servers | servers, function | what serves the load: an autoscaled server group or a serverless function |
//	| Pattern | -pattern | choice | ramp-up-down | constant, ramp, ramp-up-down, spike, diurnal | the load's shape over the run (only with -users 0) |
//	| Rate | -rate | req/s | 20 | 0.01 to 100000 | requests a second outside the surge (the diurnal night) (only with -users 0) |
//	| Peak | -peak | req/s | 80 | 0.01 to 100000 | requests a second at the surge's top (the diurnal noon) (only with -users 0) |
//	| Surge.Start | -surge-start | duration | 10m | 0s to 48h | when the ramp or spike starts (only with -users 0 and -pattern ramp or ramp-up-down or spike) |
//	| Surge.Duration | -surge-duration | duration | 1h | 1s to 48h; 0: to the end | how long the ramp or spike lasts (only with -users 0 and -pattern ramp or ramp-up-down or spike) |
//	| Users | -users | users | 0 | 1 to 100000; 0: open load (Pattern) | closed load instead: users who each send, wait for the answer, think, send again |
//	| Think | -think | distribution | exp(1s) | mean 0s to 1h | a closed load's user's pause between an answer and the next request (only with -users other than 0) |
//	| Service | -service | distribution | exp(200ms) | mean 1µs to 1h | a request's work on a server slot or a function instance |
//	| Slots | -slots | requests | 2 | 1 to 1000 | requests a server instance serves at once (only with -deploy servers) |
//	| Policy | -policy | choice | target-tracking | target-tracking, step | how the autoscaler sizes the group (only with -deploy servers) |
//	| ScaleOutAt | -scale-out-at | share | 0.7 | 0.05 to 1 | utilisation above which the group grows (the target) (only with -deploy servers) |
//	| ScaleInAt | -scale-in-at | share | 0.4 | 0.01 to 0.99 | utilisation below which the group shrinks (only with -deploy servers) |
//	| Step | -step | instances | 1 | 1 to 200 | instances step scaling adds (and removes) per action (only with -deploy servers and -policy step) |
//	| InStep | -in-step | instances | 0 | 1 to 200; 0: Step | instances step scaling removes per action (only with -deploy servers and -policy step) |
//	| Min | -min | instances | 4 | 1 to 200 | fewest instances the group runs (only with -deploy servers) |
//	| Max | -max | instances | 20 | 1 to 200 | most instances the group may run (only with -deploy servers) |
//	| Initial | -initial | instances | 0 | 1 to 200; 0: Min | instances serving at the start (only with -deploy servers) |
//	| Period | -period | duration | 1m | 1s to 1h | how often the autoscaler reads the utilisation (only with -deploy servers) |
//	| Warmup | -warmup | duration | 3m | 0s to 1h; 0: none | from an instance's launch to its first request (billed) (only with -deploy servers) |
//	| Cooldown | -cooldown | duration | 3m | 0s to 24h; 0: none | after a scaling action, how long no other is taken (only with -deploy servers) |
//	| Memory | -memory | MB | 1024 | 128 to 10240 | the function's memory: prices its GB-seconds (only with -deploy function) |
//	| ColdStart | -cold-start | distribution | lognormal(400ms, 0.5) | mean 0s to 1m | a new function instance's start-up (only with -deploy function) |
//	| KeepAlive | -keep-alive | duration | 10m | 1s to 24h | how long an idle function instance is kept (only with -deploy function) |
//	| Burst | -burst | calls | 1000 | 1 to 1e+07 | the platform's concurrency at first (Gorton: 1000 to 3000 by region) (only with -deploy function) |
//	| Growth | -growth | calls/min | 500 | 1 to 1e+07; 0: no growth, the burst is the limit | concurrency the platform adds each minute after the first throttle (Gorton: 500) (only with -deploy function) |
//	| Limit | -limit | calls | 0 | 1 to 1e+07; 0: no cap | the platform's concurrency cap, an account's quota (Gorton: negotiable) (only with -deploy function) |
//	| Reserved | -reserved | calls | 0 | 1 to 1e+07; 0: none | the function's reserved concurrency, set aside from the platform's (only with -deploy function) |
//	| Neighbour | -neighbour | req/s | 0 | 0.01 to 100000; 0: none | requests a second to a second, unreserved function on the platform (only with -deploy function) |
//	| SLO | -slo | duration | 2s | 1ms to 1h | the p99 a window must meet |
//	| Duration | -duration | duration | 1h20m | 1m to 48h | the run's length in virtual time |
//	| Window | -window | duration | Duration/120 | 1s to 1h; 0: auto (Duration/120) | width of the metric windows |
package elastic
