package dist_test

import (
	"fmt"

	"dsim/sim"
	"dsim/sim/dist"
)

// The LNKD-SSD write latency profile of Bailis et al. (VLDB 2012), written
// as text, sampled as virtual time.
func Example() {
	d, err := dist.Parse("mix(0.9122: pareto(0.235ms, 10), 0.0878: exp(0.6024ms))")
	if err != nil {
		fmt.Println(err)
		return
	}
	r := sim.Stream(42, "write")
	fmt.Println(d)
	fmt.Printf("mean %.4f ms\n", d.Mean()*1000)
	fmt.Println("one draw:", dist.Time(d, r))
	// Output:
	// mix(0.9122: pareto(0.235ms, 10), 0.0878: exp(0.6024ms))
	// mean 0.2911 ms
	// one draw: 247.286µs
}

// Bad text gives an error that says where and why.
func ExampleParse_error() {
	_, err := dist.Parse("pareto(1ms, 2ms)")
	fmt.Println(err)
	_, err = dist.Parse("exp(-5ms)")
	fmt.Println(err)
	// Output:
	// dist: "pareto(1ms, 2ms)" at position 13: argument 2 of pareto is a shape and takes a plain number, not a duration
	// dist: exp(-5ms): mean must be positive and finite
}
