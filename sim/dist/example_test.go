package dist_test

import (
	"fmt"
	"math"

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
	// dist: exp(-5ms): mean=-5ms must be between 1ns and 1000000h
}

// A distribution used for durations must not draw below 0: a normal whose
// mean is not far enough above 0 is refused, with what to use instead. The
// normal cut at 0 keeps the same shape and knows its mean.
func ExampleValidateDuration() {
	err := dist.ValidateDuration(dist.MustParse("normal(30ms, 20ms)"))
	fmt.Println(err)
	d := dist.MustParse("tnormal(30ms, 20ms)")
	fmt.Println(dist.ValidateDuration(d))
	fmt.Printf("%v: mean %.2f ms, sd %.2f ms\n", d, d.Mean()*1000, math.Sqrt(dist.Variance(d))*1000)
	// Output:
	// dist: normal(30ms, 20ms): draws reach 14.2 sd below the mean, to -254ms, but a duration must not be negative: use tnormal(30ms, 20ms) (the normal cut at 0), lognormal(30ms, 0.667) or gamma(30ms, 0.667) (the same mean and sd), or a mean of at least 14.2 sd
	// <nil>
	// tnormal(30ms, 20ms): mean 32.78 ms, sd 17.58 ms
}
