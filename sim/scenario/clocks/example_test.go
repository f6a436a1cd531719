package clocks_test

import (
	"fmt"

	"dsim/sim/scenario/clocks"
)

// Clocks 100ms apart order writes by physical stamps: some write made
// after another loses to it. Lamport stamps keep them in order.
func Example() {
	cfg, err := clocks.PresetConfig("lww-skew")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, stamps := range clocks.Stamps() {
		cfg.Stamps = stamps
		res, err := clocks.Run(cfg)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(res.Verdict())
	}
	// Output:
	// Misordered: Physical stamps let 10 of 143 writes lose to a write that happened before them; by the clocks, 92 of 169 messages were received before they were sent
	// Ordered: Lamport stamps ordered each of 143 writes after every write that happened before it; by the clocks, 92 of 169 messages were received before they were sent
}

// Every pair of events: vector clocks order them exactly as
// happens-before does, Lamport clocks respect it.
func ExampleResult_CheckClocks() {
	cfg, err := clocks.PresetConfig("spacetime")
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := clocks.Run(cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.CheckClocks())
	// Output:
	// 40 events, 780 pairs: 563 ordered by happens-before, 217 concurrent; vector clocks disagree on 0, Lamport clocks break the clock condition on 0, physical clocks order 7 ordered pairs backwards (and 0 at the same reading); Lamport times order 183 concurrent pairs
}

// Clients switching replicas, without and with session tokens.
func ExampleSessions() {
	for _, name := range []string{"sessions", "session-tokens"} {
		cfg, err := clocks.PresetConfig(name)
		if err != nil {
			fmt.Println(err)
			return
		}
		res, err := clocks.Run(cfg)
		if err != nil {
			fmt.Println(err)
			return
		}
		s := res.Sessions
		fmt.Printf("%s: %d reads, %d missed the client's own write, %d went back in time, mean wait %v\n",
			name, s.Reads, s.ReadYourWrites, s.MonotonicReads, s.MeanWait().Round(1e6))
	}
	// Output:
	// sessions: 36 reads, 14 missed the client's own write, 12 went back in time, mean wait 40ms
	// session-tokens: 35 reads, 0 missed the client's own write, 0 went back in time, mean wait 53ms
}
