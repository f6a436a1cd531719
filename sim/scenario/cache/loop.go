package cache

import (
	"fmt"
	"time"

	"dsim/sim/scenario/internal/tail"
)

// busyShare and coldShare: a database sent this share of its capacity is
// busy, and a cache under this share of its warm hit ratio is cold.
const busyShare, coldShare = 0.95, 0.8

// loop is the feedback loop of a run still degraded after the flush,
// measured over the tail: whole windows from the later of SettleTime and
// the clients' patience after the flush, to the end.
type loop struct {
	tail.Trend          // the database's backlog; the surplus: queries sent minus finished
	hit, warm   float64 // hit ratio over the tail, and before the flush
	offered     float64 // requests per second
	attempts    float64 // attempts per second
	dbIn, dbOut float64 // queries sent to and finished by the database, per second
	capacity    float64 // the most the database finishes per second
	warmLoad    float64 // the misses per second at the warm hit ratio
	backlog     int64   // at the database at the end
	remaining   time.Duration
}

// loop measures the tail after the flush, or returns false when it holds
// fewer than tail.MinWindows windows.
func (r *Result) loop() (loop, bool) {
	c := r.Config
	w := c.Window
	s := r.Series
	first, last, ok := tail.Windows(c.FlushAt+max(c.patience(), c.SettleTime), r.End, w,
		len(s.DBHeld.V), len(s.DBArrived.V), len(s.DBServed.V), len(s.Offered.V), len(s.Attempts.V))
	if !ok {
		return loop{}, false
	}
	step := func(i int) float64 { return s.DBHeld.V[i+1] - s.DBHeld.V[i] }
	l := loop{Trend: tail.Measure(first, last, w, step, s.DBArrived.V, s.DBServed.V), capacity: c.dbCapacity(), backlog: r.HeldAtEnd}
	l.hit = r.HitRatioBetween(l.From, l.To)
	l.warm = r.SteadyHitRatio()
	l.offered, l.attempts = tail.Mean(s.Offered.V, first, last), tail.Mean(s.Attempts.V, first, last)
	l.dbIn, l.dbOut = tail.Mean(s.DBArrived.V, first, last), tail.Mean(s.DBServed.V, first, last)
	reads := c.Rate * (1 - c.Writes)
	l.warmLoad = reads*(1-l.warm) + c.Rate*c.Writes
	if l.Draining() {
		l.remaining = l.Remaining(l.backlog)
	}
	return l, true
}

func (l loop) overloaded() bool { return l.warmLoad >= l.capacity }

// sustained: the database's backlog grows or it is sent more than it
// finishes, beyond chance; or it runs at its capacity (sent at least
// busyShare of it) while the cache stays colder than before the flush
// (a hit ratio under coldShare of the warm one): misses the cache would
// not make warm keep the database from warming it.
func (l loop) sustained() bool {
	return l.Growing() || l.Overfed() || l.dbIn >= busyShare*l.capacity && l.hit < coldShare*l.warm
}

func (l loop) moved() string {
	if l.Growing() {
		return fmt.Sprintf("the database's backlog grew by %.0f/s to %d", l.Drift, l.backlog)
	}
	return fmt.Sprintf("the database ran at %.0f%% of its capacity, its backlog holding at %d (%+.0f/s)", 100*l.dbIn/l.capacity, l.backlog, l.Drift)
}
