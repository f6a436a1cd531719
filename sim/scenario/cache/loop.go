package cache

import (
	"fmt"
	"math"
	"time"
)

// The thresholds of the loop's judgement, as in the retry-storm lesson.
const (
	// minTailWindows is the fewest windows the loop is measured over.
	minTailWindows = 5
	// chanceZ is how many standard errors from zero a drift or a surplus
	// must lie to count.
	chanceZ = 2.0
	// busyShare and coldShare: a database sent this share of its capacity
	// is busy, and a cache under this share of its warm hit ratio is cold.
	busyShare, coldShare = 0.95, 0.8
	// maxRemaining bounds the expected time to drain.
	maxRemaining = 100_000 * time.Hour
)

// loop is the feedback loop of a run still degraded after the flush,
// measured over the tail: whole windows from the later of SettleTime and
// the clients' patience after the flush, to the end.
type loop struct {
	from, to       time.Duration
	hit, warm      float64 // hit ratio over the tail, and before the flush
	offered        float64 // requests per second
	attempts       float64 // attempts per second
	dbIn, dbOut    float64 // queries sent to and finished by the database, per second
	capacity       float64 // the most the database finishes per second
	warmLoad       float64 // the misses per second at the warm hit ratio
	backlog        int64   // at the database at the end
	drift, driftSE float64 // the backlog's change per second
	surplus, surSE float64 // queries sent minus finished, per second
	remaining      time.Duration
}

// loop measures the tail after the flush, or returns false when it holds
// fewer than minTailWindows windows.
func (r *Result) loop() (loop, bool) {
	c := r.Config
	w := c.Window
	start := c.FlushAt + max(c.patience(), c.SettleTime)
	s := r.Series
	first, last := int((start+w-1)/w), int(r.End/w)
	last = min(last, len(s.DBHeld.V), len(s.DBArrived.V), len(s.DBServed.V), len(s.Offered.V), len(s.Attempts.V))
	n := last - first
	if n < minTailWindows {
		return loop{}, false
	}
	l := loop{from: time.Duration(first) * w, to: time.Duration(last) * w, capacity: c.dbCapacity(), backlog: r.HeldAtEnd}
	l.hit = r.HitRatioBetween(l.from, l.to)
	l.warm = r.SteadyHitRatio()
	mean := func(v []float64) float64 { return sum(v[first:last]) / float64(n) }
	l.offered, l.attempts = mean(s.Offered.V), mean(s.Attempts.V)
	l.dbIn, l.dbOut = mean(s.DBArrived.V), mean(s.DBServed.V)
	reads := c.Rate * (1 - c.Writes)
	l.warmLoad = reads*(1-l.warm) + c.Rate*c.Writes
	steps := make([]float64, n-1)
	for i := range steps {
		steps[i] = s.DBHeld.V[first+i+1] - s.DBHeld.V[first+i]
	}
	l.drift, l.driftSE = meanSE(steps)
	l.drift, l.driftSE = l.drift/w.Seconds(), l.driftSE/w.Seconds()
	gap := make([]float64, n)
	for i := range gap {
		gap[i] = s.DBArrived.V[first+i] - s.DBServed.V[first+i]
	}
	l.surplus, l.surSE = meanSE(gap)
	if l.draining() {
		l.remaining = maxRemaining
		if sec := float64(l.backlog) / -l.drift; sec < maxRemaining.Seconds() {
			l.remaining = time.Duration(sec * float64(time.Second)).Round(time.Second)
		}
	}
	return l, true
}

// beyond reports whether x lies beyond chance away from zero over the
// tail, and by at least one query over it.
func (l loop) beyond(x, se float64) bool {
	return math.Abs(x) > chanceZ*se && math.Abs(x)*(l.to-l.from).Seconds() >= 1
}

func (l loop) draining() bool   { return l.drift < 0 && l.beyond(l.drift, l.driftSE) }
func (l loop) overloaded() bool { return l.warmLoad >= l.capacity }

// sustained: the database's backlog grows or it is sent more than it
// finishes, beyond chance; or it runs at its capacity (sent at least
// busyShare of it) while the cache stays colder than before the flush
// (a hit ratio under coldShare of the warm one): misses the cache would
// not make warm keep the database from warming it.
func (l loop) sustained() bool {
	grows := l.drift > 0 && l.beyond(l.drift, l.driftSE) || l.surplus > 0 && l.beyond(l.surplus, l.surSE)
	return grows || l.dbIn >= busyShare*l.capacity && l.hit < coldShare*l.warm
}

func (l loop) moved() string {
	if l.drift > 0 && l.beyond(l.drift, l.driftSE) {
		return fmt.Sprintf("the database's backlog grew by %.0f/s to %d", l.drift, l.backlog)
	}
	return fmt.Sprintf("the database ran at %.0f%% of its capacity, its backlog holding at %d (%+.0f/s)", 100*l.dbIn/l.capacity, l.backlog, l.drift)
}

// meanSE is the mean of xs (at least two) and its standard error.
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
