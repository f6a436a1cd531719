package dist

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"

	"dsim/sim"
)

// Dist is a distribution of non-negative or real values: latencies, service
// times, message sizes.
//
// Values are float64 in the distribution's unit. A distribution of durations
// (one whose text form used duration literals like 10ms, or that went
// through AsDuration) has its values in seconds; use Time to draw a sim.Time.
type Dist interface {
	// Sample draws one value from r. Cost: a few random numbers.
	Sample(r *rand.Rand) float64
	// Mean is the expected value (+Inf when it does not exist, as for
	// Pareto with alpha <= 1).
	Mean() float64
	// String is the text form, which Parse reads back.
	String() string
}

// Time draws a duration from d (whose values are seconds), rounded to the
// nanosecond; a draw beyond sim.MaxTime (292 years) becomes sim.MaxTime.
// No distribution that passed ValidateDuration draws below 0. A negative or
// NaN draw (from a Dist of the caller's own) panics, naming d, rather than
// silently becoming 0; inside a run the engine turns the panic into an error
// with the seed and virtual time.
func Time(d Dist, r *rand.Rand) sim.Time {
	x := d.Sample(r)
	if !(x >= 0) {
		panic(fmt.Sprintf("dist: %s drew %v, which is not a duration (check it with ValidateDuration)", quote(d), x))
	}
	return sim.Seconds(x)
}

// unit marks whether a distribution's values are durations in seconds.
type unit struct{ dur bool }

func (u *unit) setDuration() { u.dur = true }

// durationer is implemented by every distribution of this package.
type durationer interface{ setDuration() }

// AsDuration marks d (and the distributions inside it) as a distribution of
// durations in seconds, so that it prints as exp(10ms) rather than
// exp(0.01). It changes d in place and returns it.
func AsDuration(d Dist) Dist {
	if u, ok := d.(durationer); ok {
		u.setDuration()
	}
	return d
}

// IsDuration reports whether d's values are durations in seconds.
func IsDuration(d Dist) bool {
	type reporter interface{ isDuration() bool }
	if r, ok := d.(reporter); ok {
		return r.isDuration()
	}
	return false
}

func (u *unit) isDuration() bool { return u.dur }

// format prints v as a duration when the distribution is one.
func (u *unit) format(v float64) string {
	if u.dur && !math.IsInf(v, 0) {
		return fmtDuration(v)
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// fmtDuration prints seconds as a duration literal that parses back to the
// same nanosecond: 0.235ms, 1.5s, 120s (never 2m0s). From 2^22 s (48 days)
// up a float64 of seconds no longer holds every nanosecond, so those print
// as the shortest decimal of the float64 itself, which parses back to the
// same float64 when it came from a literal (a whole number of nanoseconds;
// FuzzParse checks it), and to within one ulp otherwise.
func fmtDuration(sec float64) string {
	if math.Abs(sec) >= 1<<22 {
		return strconv.FormatFloat(sec, 'f', -1, 64) + "s"
	}
	ns := sim.Seconds(sec)
	// Each unit is used down to a tenth of itself (0.235ms, not 235us),
	// which keeps published parameters recognisable.
	units := []struct {
		suffix    string
		size, min sim.Time
	}{{"s", sim.Second, sim.Second}, {"ms", sim.Millisecond, 100 * sim.Microsecond}, {"us", sim.Microsecond, sim.Microsecond}}
	a := ns
	if a < 0 {
		a = -a
	}
	for _, u := range units {
		if a >= u.min {
			return strconv.FormatFloat(float64(ns)/float64(u.size), 'f', -1, 64) + u.suffix
		}
	}
	return strconv.FormatInt(int64(ns), 10) + "ns"
}
