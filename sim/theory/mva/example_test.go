package mva_test

import (
	"fmt"
	"time"

	"dsim/sim/theory/mva"
)

// Three stations, two that queue and a network crossing, and users who
// think for a second: throughput levels off at the bottleneck's 25
// requests per second past the knee, and each user beyond adds 40ms to
// everyone's response time.
func Example() {
	net := mva.Network{Think: time.Second, Stations: []mva.Station{
		{Name: "cpu", Demand: 40 * time.Millisecond},
		{Name: "disk", Demand: 25 * time.Millisecond},
		{Name: "wan", Kind: mva.Delay, Demand: 50 * time.Millisecond},
	}}
	curve, err := net.Solve(50)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("knee at N*=%.1f users\n", net.Knee())
	for _, n := range []int{1, 5, 20, 50} {
		p := curve[n-1]
		fmt.Printf("N=%-2d X=%5.2f/s R=%v cpu %.0f%% busy\n", n, p.X, p.R.Round(time.Millisecond), 100*p.Utilisation[0])
	}
	// Output:
	// knee at N*=27.9 users
	// N=1  X= 0.90/s R=115ms cpu 4% busy
	// N=5  X= 4.45/s R=124ms cpu 18% busy
	// N=20 X=16.79/s R=191ms cpu 67% busy
	// N=50 X=25.00/s R=1s cpu 100% busy
}
