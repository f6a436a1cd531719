// Package sim is dsim's discrete-event engine: a virtual clock, a queue of
// callbacks, seeded random streams and limits on everything.
//
// # Model
//
// A model is a set of callbacks. Each runs at one instant of virtual time and
// may schedule further callbacks with At or After, or cancel them through the
// Timer those return. Nothing else advances the clock: there is no wall time,
// no goroutine and no sleeping in a model. Run executes the callbacks in order
// until the model is quiet, the horizon is reached, or something goes wrong.
//
// # Rules
//
//   - Virtual time is an integer count of nanoseconds (Time). Floats never
//     order events.
//   - Events at equal times run in the order they were scheduled, so a model
//     that schedules the same things in the same order gets the same run.
//   - All randomness comes from streams derived from the run's one root seed
//     and a name (Sim.Rand, Stream). A model must not use math/rand's global
//     functions, time.Now, goroutines, or map iteration order.
//   - Every run is bounded: a horizon (Config.Horizon), an event budget
//     (Config.MaxEvents) and a bound on pending events (Config.MaxPending).
//     Reaching the horizon ends the run normally; the other two, a cancelled
//     context, a panic in a callback or a call to Fail end it with an *Error
//     that names the cause, the seed and the virtual time.
//
// # Cost
//
// The queue is a hand-rolled binary heap of (time, sequence) keys with the
// callbacks held apart in a slab, so scheduling and cancelling are O(log n)
// and allocate nothing once the queue has reached its working size, provided
// the func values passed in are reused rather than built per event.
// BenchmarkMMC measures a bare M/M/4 queue; BenchmarkBareHeap the practical
// limit of a minimal heap of callbacks with no timers or limits.
//
// # Usage
//
//	s := sim.New(sim.Config{Seed: 42, Horizon: sim.Minute})
//	arrivals := s.Rand("arrivals")
//	var arrive func()
//	arrive = func() {
//		// ... handle an arrival ...
//		s.After(sim.Seconds(arrivals.ExpFloat64()*0.1), arrive)
//	}
//	s.At(0, arrive)
//	s.Every(0, sim.Second, sample) // a periodic round: at 0, then every second
//	if err := s.Run(ctx); err != nil {
//		return err // "sim: ... at t=12.3s (reproduce with seed=42)"
//	}
package sim
