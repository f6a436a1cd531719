package balance

import (
	"fmt"
	"math"
	"time"

	"dsim/sim/service"
)

// Supermarket is the mean time in system, in mean service times, of
// Mitzenmacher's supermarket model: n → ∞ servers of one slot with
// exponential service, Poisson arrivals at λ per server, each sent to the
// shortest of d queues sampled at random. Then
//
//	T_d = Σ_{i≥1} λ^((d^i − d)/(d − 1)),  and T_1 = 1/(1 − λ) (M/M/1),
//
// from "The Power of Two Choices in Randomized Load Balancing" (IEEE
// TPDS 12(10), 2001), Theorem 3.6: the tail of the queue lengths falls
// doubly exponentially with d ≥ 2, so two choices cut the wait far more
// than a third adds. It needs 0 ≤ λ < 1 and d ≥ 1. Cost: the terms until
// they vanish, a few dozen.
func Supermarket(d int, lambda float64) (float64, error) {
	switch {
	case d < 1:
		return math.NaN(), fmt.Errorf("balance: supermarket model: d=%d: must be at least 1", d)
	case !(lambda >= 0 && lambda < 1):
		return math.NaN(), fmt.Errorf("balance: supermarket model: λ=%v: must be in [0, 1)", lambda)
	case d == 1:
		return 1 / (1 - lambda), nil
	}
	sum := 0.0
	for i := 1; i < 64; i++ {
		e := (math.Pow(float64(d), float64(i)) - float64(d)) / float64(d-1)
		term := math.Pow(lambda, e)
		sum += term
		if term < 1e-15 || math.IsInf(e, 1) {
			break
		}
	}
	return sum, nil
}

// Theory is the supermarket model beside a run.
type Theory struct {
	D      int
	Lambda float64
	// T is T_d in time: the model's mean time in system times the mean
	// service time. Measured is the run's, by Little's law (TimeInSystem).
	T, Measured time.Duration
}

// Off is the run's relative distance from the model: Measured/T − 1.
func (t Theory) Off() float64 { return t.Measured.Seconds()/t.T.Seconds() - 1 }

// Theory is the supermarket model for this run, when it is one: random
// (d = 1) or power of d choices on live load, servers of one slot with
// exponential service, none slow and none leaving. Its n is finite, so
// the model holds as n grows: within 3% at n = 500 (the tests check
// d = 1, 2, 3 at λ = 0.5 and 0.9).
func (r *Result) Theory() (Theory, bool) {
	c := r.Config
	d := 0
	switch c.Policy {
	case service.Random:
		d = 1
	case service.PowerOfChoices:
		d = min(c.Choices, c.Servers)
	}
	if d == 0 || c.Slots != 1 || c.LoadAge > 0 || c.SlowFactor > 0 || c.LeaveAt > 0 || !exponential(c.Service) {
		return Theory{}, false
	}
	t, err := Supermarket(d, c.Load)
	if err != nil {
		return Theory{}, false
	}
	mean := c.Service.Mean()
	return Theory{D: d, Lambda: c.Load, T: time.Duration(t * mean * float64(time.Second)), Measured: r.TimeInSystem()}, true
}
