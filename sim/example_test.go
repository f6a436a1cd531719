package sim_test

import (
	"fmt"

	"dsim/sim"
)

// A ticker and a timeout that is cancelled before it fires. At t=2s the
// cancel runs before the tick: it was scheduled first.
func Example() {
	s := sim.New(sim.Config{Seed: 42, Horizon: 3 * sim.Second})
	var tick func()
	tick = func() {
		fmt.Println("tick at", s.Now())
		s.After(sim.Second, tick)
	}
	s.At(0, tick)
	timeout := s.After(2500*sim.Millisecond, func() { fmt.Println("timed out") })
	s.At(2*sim.Second, func() { fmt.Println("cancelled:", timeout.Stop()) })
	if err := s.Run(nil); err != nil {
		fmt.Println(err)
	}
	fmt.Println("stopped at", s.Now())
	// Output:
	// tick at 0s
	// tick at 1s
	// cancelled: true
	// tick at 2s
	// tick at 3s
	// stopped at 3s
}

// Limits turn a runaway model into an error that says how to reproduce it.
func ExampleSim_Run_limit() {
	s := sim.New(sim.Config{Seed: 7, MaxEvents: 100})
	var loop func()
	loop = func() { s.After(sim.Millisecond, loop) }
	s.At(0, loop)
	fmt.Println(s.Run(nil))
	// Output:
	// sim: event budget exhausted (Config.MaxEvents): 100 events run at t=99ms (reproduce with seed=7)
}

// Named streams: the same seed and name always give the same numbers.
func ExampleStream() {
	a := sim.Stream(42, "arrivals")
	b := sim.Stream(42, "arrivals")
	fmt.Println(a.IntN(1000) == b.IntN(1000))
	// Output:
	// true
}
