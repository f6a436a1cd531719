package sim

import (
	"math"
	"time"
)

// Time is a point in virtual time, or a span of it, in integer nanoseconds.
// Integers keep event order exact: two events scheduled for the same instant
// are equal, never 1e-17 apart, so the run is the same on every machine.
type Time int64

// Units of virtual time. They mirror time.Duration so that
// 3*sim.Second and sim.FromDuration(3*time.Second) are the same value.
const (
	Nanosecond  Time = 1
	Microsecond      = 1000 * Nanosecond
	Millisecond      = 1000 * Microsecond
	Second           = 1000 * Millisecond
	Minute           = 60 * Second
	Hour             = 60 * Minute
)

// MaxTime is the largest representable instant (about 292 years).
const MaxTime Time = math.MaxInt64

// FromDuration converts a time.Duration to virtual time. Both count nanoseconds.
func FromDuration(d time.Duration) Time { return Time(d) }

// Seconds converts a float number of seconds to virtual time, rounding to the
// nearest nanosecond. It saturates at ±MaxTime, and NaN becomes 0, so a
// sampled duration can never wrap around into the past.
func Seconds(s float64) Time {
	ns := s * 1e9
	switch {
	case ns != ns:
		return 0
	case ns >= math.MaxInt64:
		return MaxTime
	case ns <= math.MinInt64:
		return -MaxTime
	}
	return Time(math.Round(ns))
}

// Duration converts virtual time to a time.Duration.
func (t Time) Duration() time.Duration { return time.Duration(t) }

// Seconds returns t as a float number of seconds, for plots and statistics.
func (t Time) Seconds() float64 { return float64(t) / 1e9 }

// String formats t like a time.Duration: "1.5s", "250ms".
func (t Time) String() string { return time.Duration(t).String() }
