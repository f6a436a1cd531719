// Package tail measures a run's feedback loop over its tail, the whole
// metric windows from some time after a trigger to the end of the run:
// whether a backlog drains, grows or holds, and whether a component is
// sent more than it finishes, each beyond chance. The retry-storm and
// caching lessons judge their verdicts by it (metastable or recovering).
//
// In the tail the load is steady again, so while the run stays degraded
// the loop's rates are constant, and the longest tail gives the steadiest
// estimate of them.
package tail

import (
	"math"
	"time"
)

const (
	// MinWindows is the fewest windows a tail is measured over: with
	// fewer, one noisy window decides it.
	MinWindows = 5
	// ChanceZ is how many standard errors from zero a drift or a surplus
	// must lie to count: a quantity that is zero on average lies that far
	// on one side by chance about 2.5% of the time.
	ChanceZ = 2.0
	// MaxRemaining bounds the expected time to drain, which a backlog that
	// barely falls would put past what a time.Duration holds.
	MaxRemaining = 100_000 * time.Hour
)

// Trend is a tail's backlog and flow.
type Trend struct {
	From, To time.Duration // the tail: windows [From/w, To/w)
	// Drift is the backlog's change per second, and DriftSE its standard
	// error. The backlog moves by steps, in minus out, close to
	// independent from one window to the next (a random walk): the mean
	// step estimates its drift. A least-squares line through the levels
	// would be thrown off by the walk's own meanders.
	Drift, DriftSE float64
	// Surplus is what was sent minus what was finished, per second, and
	// SurplusSE its standard error.
	Surplus, SurplusSE float64
}

// Windows gives the tail's whole windows [first, last) of width w from
// start to end, within the shortest of the series (their lengths), or
// false when it holds fewer than MinWindows.
func Windows(start, end, w time.Duration, lengths ...int) (first, last int, ok bool) {
	first, last = int((start+w-1)/w), int(end/w)
	for _, n := range lengths {
		last = min(last, n)
	}
	return first, last, last-first >= MinWindows
}

// Measure measures the tail [first, last) of windows of width w: step(i)
// is the backlog's change from window i to window i+1, in and out the
// rates sent to and finished by the component per window, per second.
func Measure(first, last int, w time.Duration, step func(i int) float64, in, out []float64) Trend {
	n := last - first
	t := Trend{From: time.Duration(first) * w, To: time.Duration(last) * w}
	steps := make([]float64, n-1)
	for i := range steps {
		steps[i] = step(first + i)
	}
	t.Drift, t.DriftSE = MeanSE(steps)
	t.Drift, t.DriftSE = t.Drift/w.Seconds(), t.DriftSE/w.Seconds()
	gap := make([]float64, n)
	for i := range gap {
		gap[i] = in[first+i] - out[first+i]
	}
	t.Surplus, t.SurplusSE = MeanSE(gap)
	return t
}

// Beyond reports whether x lies beyond chance away from zero over the
// tail: ChanceZ standard errors, and at least one unit over the tail, so
// that a level that never moves does not count by rounding.
func (t Trend) Beyond(x, se float64) bool {
	return math.Abs(x) > ChanceZ*se && math.Abs(x)*(t.To-t.From).Seconds() >= 1
}

// Draining: the backlog falls, beyond chance.
func (t Trend) Draining() bool { return t.Drift < 0 && t.Beyond(t.Drift, t.DriftSE) }

// Growing: the backlog grows, beyond chance.
func (t Trend) Growing() bool { return t.Drift > 0 && t.Beyond(t.Drift, t.DriftSE) }

// Overfed: the component is sent more than it finishes, beyond chance.
func (t Trend) Overfed() bool { return t.Surplus > 0 && t.Beyond(t.Surplus, t.SurplusSE) }

// Remaining is the expected time for a draining backlog to empty at the
// tail's drift, to the second, at most MaxRemaining.
func (t Trend) Remaining(backlog int64) time.Duration {
	if s := float64(backlog) / -t.Drift; s < MaxRemaining.Seconds() {
		return time.Duration(s * float64(time.Second)).Round(time.Second)
	}
	return MaxRemaining
}

// Mean is the mean of xs[first:last].
func Mean(xs []float64, first, last int) float64 {
	return Sum(xs[first:last]) / float64(last-first)
}

// MeanSE is the mean of xs (at least two) and its standard error, the
// sample standard deviation over √len(xs).
func MeanSE(xs []float64) (mean, se float64) {
	k := float64(len(xs))
	mean = Sum(xs) / k
	var v float64
	for _, x := range xs {
		v += (x - mean) * (x - mean)
	}
	return mean, math.Sqrt(v / (k - 1) / k)
}

// Sum adds xs.
func Sum(xs []float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s
}
