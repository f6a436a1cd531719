package metastable

import (
	"math"
	"time"
)

// The thresholds of the loop's judgement; doc.go gives their reasons.
const (
	// minTailWindows is the fewest windows the loop is measured over: with
	// fewer, one noisy window decides it.
	minTailWindows = 5
	// chanceZ is how many standard errors from zero a drift or a surplus
	// must lie to count: a quantity that is zero on average lies that far
	// on one side by chance about 2.5% of the time.
	chanceZ = 2.0
	// maxRemaining bounds the expected time to drain, which a backlog that
	// barely falls would put past what a time.Duration holds.
	maxRemaining = 100_000 * time.Hour
)

// loop is the feedback loop of a run that is still degraded after its
// trigger, measured over the tail: whole windows from SettleTime after the
// trigger ended, and no earlier than every request sent during the trigger
// has spent its patience (so their retries are not counted), to the end of
// the run. In the tail the load is steady again, so while the run stays
// degraded the loop's rates are constant, and the longest tail gives the
// steadiest estimate of them.
type loop struct {
	from, to  time.Duration // the tail
	offered   float64       // new requests per second over the tail
	attempts  float64       // attempts per second, first and retries
	served    float64       // attempts the server finished per second
	capacity  float64       // the most the server finishes per second
	backlog   int64         // held by the server at the end: queued and in service
	drift     float64       // the backlog's change per second over the tail
	driftSE   float64       // its standard error
	surplus   float64       // attempts minus attempts finished, per second
	surplusSE float64       // its standard error
	remaining time.Duration // for a draining backlog: backlog / -drift
}

// loop measures the tail after a trigger ending at end, or returns false
// when the tail holds fewer than minTailWindows windows.
func (r *Result) loop(end time.Duration) (loop, bool) {
	c := r.Config
	w := c.Window
	start := end + max(c.patience(), c.SettleTime)
	first, last := int((start+w-1)/w), int(c.Duration/w) // windows [first, last)
	q, f := r.Queue.Series().V, r.InFlight.Series().V
	att, fin := r.Rates.Attempts.Series().V, r.Rates.Throughput.Series().V
	last = min(last, len(q), len(f), len(att), len(fin))
	n := last - first
	if n < minTailWindows {
		return loop{}, false
	}
	l := loop{from: time.Duration(first) * w, to: time.Duration(last) * w,
		capacity: c.maxThroughput(), backlog: r.HeldAtEnd}
	l.offered = sum(r.Rates.Offered.Series().V[first:last]) / float64(n)
	l.attempts = sum(att[first:last]) / float64(n)
	l.served = sum(fin[first:last]) / float64(n)
	// The backlog moves by steps, in minus out, close to independent from
	// one window to the next (a random walk): the mean step estimates its
	// drift. A least-squares line through the levels would be thrown off
	// by the walk's own meanders.
	steps := make([]float64, n-1)
	for i := range steps {
		steps[i] = q[first+i+1] + f[first+i+1] - q[first+i] - f[first+i]
	}
	l.drift, l.driftSE = meanSE(steps)
	l.drift, l.driftSE = l.drift/w.Seconds(), l.driftSE/w.Seconds()
	gap := make([]float64, n)
	for i := range gap {
		gap[i] = att[first+i] - fin[first+i]
	}
	l.surplus, l.surplusSE = meanSE(gap)
	if l.draining() {
		l.remaining = maxRemaining
		if s := float64(l.backlog) / -l.drift; s < maxRemaining.Seconds() {
			l.remaining = time.Duration(s * float64(time.Second)).Round(time.Second)
		}
	}
	return l, true
}

// beyond reports whether x lies beyond chance above zero (or below it,
// for a negative x) over the tail: chanceZ standard errors, and at least
// one request over the tail, so that a level that never moves does not
// count by rounding.
func (l loop) beyond(x, se float64) bool {
	return math.Abs(x) > chanceZ*se && math.Abs(x)*(l.to-l.from).Seconds() >= 1
}

// draining: the backlog falls, beyond chance.
func (l loop) draining() bool { return l.drift < 0 && l.beyond(l.drift, l.driftSE) }

// overloaded: the new requests alone are as many as the server can
// finish, retries or not.
func (l loop) overloaded() bool { return l.offered >= l.capacity }

// sustained: the loop keeps the server overloaded: the backlog grows, or
// the clients send more attempts than the server finishes (the excess is
// queued, turned away or dropped, and comes back as retries), beyond
// chance.
func (l loop) sustained() bool {
	return l.drift > 0 && l.beyond(l.drift, l.driftSE) || l.surplus > 0 && l.beyond(l.surplus, l.surplusSE)
}

// meanSE is the mean of xs (at least two) and its standard error, the
// sample standard deviation over √len(xs).
func meanSE(xs []float64) (mean, se float64) {
	k := float64(len(xs))
	mean = sum(xs) / k
	var v float64
	for _, x := range xs {
		v += (x - mean) * (x - mean)
	}
	return mean, math.Sqrt(v / (k - 1) / k)
}

func sum(xs []float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s
}

// maxThroughput is the most the server finishes per second: at full
// concurrency a request takes the mean service time plus Capacity ×
// Slope, and Capacity of them run at once. Fewer in service finish fewer.
func (c Config) maxThroughput() float64 {
	return float64(c.Capacity) / (c.Service.Mean() + float64(c.Capacity)*c.Slope.Seconds())
}
