// Package service is a library of instrumented service components, the
// parts of a request path: loads, clients, servers, pools, dependencies,
// hops, balancers and caches. A system of your own is composed from them
// in a few lines, run on the deterministic engine, and read component by
// component. The lessons' models (sim/scenario/metastable and queueing)
// are compositions of these same parts.
//
// # Components
//
// Each component is a small state machine on the engine, configured by
// the exported fields of its struct and named by Name:
//
//   - Source: an open-loop load, Poisson arrivals whose rate follows a
//     Pattern (constant, ramp, ramp-up-down, spike, diurnal, bursty,
//     schedule), with keys drawn from Keys (Zipf) and a share of writes.
//   - Users: a closed-loop load, N users who wait for each answer and
//     think before the next request.
//   - Client: timeouts, retries after a resilience.Backoff, a retry
//     budget, a circuit breaker and hedged requests; goodput apart from
//     attempts, latency from the first attempt.
//   - Server: slots, a service-time distribution with a contention slope,
//     a FIFO or LIFO queue with a bound, deadline-aware admission, a queue
//     timeout, cancellation of abandoned work, and calls to dependencies
//     made while holding the slot.
//   - Pool: a bounded resource (connections, threads) with its own wait
//     queue and acquire timeout, in front of what it guards.
//   - Dependency: a service known only by its latency and error rate.
//   - Hop: a network crossing between two components, direct (a latency
//     and a loss rate) or across a sim/net network.
//   - Balancer: picks one of a group of backends by a policy.
//   - Cache: answers reads of the keys it holds and sends the rest to its
//     backend.
//   - Autoscaler: sizes the group of servers behind a balancer by their
//     utilisation (target tracking or step scaling), with a warm-up, a
//     cooldown, a minimum and a maximum; instances and instance-hours
//     over time.
//   - Function: a serverless function, one call per instance, with cold
//     starts, keep-alive of idle instances and reserved concurrency.
//   - Platform: the concurrency the functions of an account share, a
//     burst and then a growth a minute; calls beyond it are throttled.
//   - Broker: a message queue. Each call publishes a message; a bound
//     refuses the excess or holds its producers back; a delivered message
//     unacknowledged within the visibility timeout is delivered again,
//     and after MaxDeliveries goes to the dead-letter queue. With
//     Partitions it is a log instead (Kafka's model): partitions by key,
//     one consumer group, in-order delivery per partition, offsets
//     committed every CommitEvery, rewinds on crashes and rebalances.
//   - Consumer: takes a broker's messages on its workers and acknowledges
//     before processing (at-most-once) or after (at-least-once); an
//     idempotent consumer skips the effects its deduplication store (a
//     size bound, a TTL) has seen, by the producer's idempotency key.
//   - Writer: a service that commits each order to its database and
//     publishes its event: by a dual write (commit then publish, or
//     publish then commit) or through an outbox and its relay.
//
// System.Cost prices a run by Prices: instance-hours of servers and
// autoscaled groups, requests and GB-seconds of functions.
//
// Each component's doc states its rules and their sources.
//
// # Wiring
//
// A component calls others by name: a load's Target, a client's Target,
// a server's Calls, a pool's Target, a balancer's Backends, a cache's
// Backend. A call travels down the names and its answer comes back up, so
// a composition reads as its request path (an autoscaler, which takes and
// makes no calls, names the balancer whose servers it sizes: its Group; a
// consumer, which takes no calls, names the broker it takes messages from):
//
//	sys := service.New(service.Config{Seed: 1, Duration: time.Minute})
//	sys.Add(
//		&service.Source{Name: "load", Target: "client", Rate: 200},
//		&service.Client{Name: "client", Target: "app", Timeout: time.Second, MaxRetries: 2},
//		&service.Server{Name: "app", Slots: 8, Service: dist.MustParse("exp(20ms)"), Calls: []string{"db"}},
//		&service.Pool{Name: "db", Target: "database", Size: 4},
//		&service.Server{Name: "database", Slots: 4, Service: dist.MustParse("exp(5ms)")},
//	)
//	sys.Schedule(service.Fault{Target: "database", Kind: service.Slowdown, Factor: 10,
//		Window: sim.Window{Start: 20 * time.Second, Duration: 10 * time.Second}})
//	if err := sys.Run(ctx); err != nil { ... }
//	fmt.Print(sys.Table())
//
// Check (which Run calls first) refuses, before anything runs, a field out
// of its range ("service: Server "app": Slots=0: must be between 1 and
// 1000000"), a name given twice, a call to a name no component has, a call
// to a load, and calls that go round in a cycle ("service: calls go round
// in a cycle: app -> db -> app").
//
// A composition is data: names and settings, checked before the run and
// then resolved to direct references, so every component is compiled Go
// and a system composed in a script or a notebook runs at the speed of
// one composed in Go, with no interpreted code per event. The components
// are pointers to their structs; after the run their statistics are read
// from the same pointers (Find returns one by name).
//
// # Calls, abandonment and deadlines
//
// A call is answered exactly once, with success, a failure, a rejection
// (no work done) or, for work nobody waits for any more, a drop. A client
// that times out abandons its attempt: the attempt stays where it is, the
// work done on it is wasted, and a server with Cancellation drops it
// unserved. A client passes its deadline down with every call, so servers
// deeper in the system can refuse work that cannot finish in time.
//
// # Messages
//
// A broker is also the checker of what its messages became: it counts
// each message's deliveries and the effects its consumers applied, so a
// run reports the messages published, delivered and redelivered, the
// effects duplicated, the messages lost (acknowledged before processing
// and never processed: their consumer crashed), dead-lettered, and still
// unfinished at the end; its depth over time and its end-to-end latency,
// from publication to the first effect. Every message taken is processed,
// skipped (an idempotent consumer knew its key), lost, dead-lettered or
// unfinished (a dead letter can be processed too, by a delivery whose
// acknowledgement was lost). Per key (the request's key: an account, an
// order), it counts the messages whose first effect came after a later
// message's (OutOfOrder). A producer's retry publishes a copy the broker
// knows as such (Republished), and ExtraEffects counts the effects beyond
// the first of each request, whether a redelivery or a copy applied them.
// The broker keeps 40 bytes per message for this, bounded by
// Broker.MaxMessages. A Writer checks its own side: events lost (orders
// committed, never published) and phantoms (published, never committed).
//
// # Metrics
//
// Every component records what it did in virtual-time windows of
// Config.Window: rates per second of arrivals, answers, failures and
// rejections; time-weighted gauges of queue length and work in service
// (the L of Little's law); latency percentiles on HdrHistogram (1 µs to
// 1 h, 3 significant digits); and counters of its own (timeouts, retries,
// drops, hits). They are exported fields of its Stats, complete once Run
// returns; System.Table is the per-component table.
//
// # Determinism
//
// One seed per run. Each component draws from its own named streams,
// "NAME/purpose" (its doc lists them), so adding a component does not
// change the draws of the others. Events at one instant run in the order
// they were scheduled; faults are scheduled before any load, so at the
// instant a fault starts or ends it takes effect first.
//
// # Cost
//
// A call costs one pooled object per hop and an engine event per delay
// (a service time, a latency, a backoff); timeouts, hedges and acquire
// timeouts of one component share one engine timer, because they all
// last the same. Steady state allocates nothing per call: the
// allocations left are per metric window (a window's percentiles) and
// while queues and pools grow to their working size. BenchmarkFiveTier
// (clients, a balancer, four servers, a cache, a pool and a database, a
// million requests with every metric) runs about 1.8 million requests per
// wall second on one core; BenchmarkMillion in sim/scenario/queueing is
// the M/M/4 queue of the capacity lesson on these parts. A latency
// recorder holds two HdrHistograms (about 380 kB), so a system of
// hundreds of servers holds hundreds of megabytes, and its per-window
// percentiles cost a walk of each histogram per window.
//
// # Limits
//
// Config.MaxCalls bounds the calls alive at once (queued, in service,
// backing off, in flight); a run that would hold more stops with a
// LimitError wrapped in the engine's *sim.Error, which names the seed and
// the virtual time. A system has at most MaxComponents parts; every count,
// rate and duration a component takes is bounded, and Check names the
// bound it breaks (MaxSlots, MaxKeys, MaxUsers, MaxRate, MaxSteps,
// MaxBackends, an hour for a mean latency or a timeout); Config.Window
// bounds the windows every series holds (MaxWindows). A lost message on a
// hop without a Timeout is never answered: its call stays held, counted
// against MaxCalls, until the run ends.
//
// # Examples
//
// Example composes four app servers behind a balancer and a database
// behind a pool, and slows the database tenfold; ExampleBalancer puts a
// slow server among four; ExampleSystem_Table is a cache in front of a
// database; ExampleSystem_Check shows the wiring refused; ExampleBroker
// counts what three delivery designs lose and duplicate under crashes.
package service
