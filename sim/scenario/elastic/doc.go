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
// A run is at most 5 million requests; a group at most 200 instances. A
// preset runs in well under a tenth of a wall second; the cost study's
// twelve configurations × 3 runs in a few seconds on one core.
//
// # Knobs
//
// Every field of Config is a knob of this table, or named below it
// (generated from the knob table: go test ./sim/scenario/registry -update).
// A flag is -NAME on the command line (dsim elastic -h); a sweep
// knob takes the Name.
package elastic
