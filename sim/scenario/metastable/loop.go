package metastable

import (
	"time"

	"dsim/sim/scenario/internal/tail"
)

// loop is the feedback loop of a run that is still degraded after its
// trigger, measured over the tail: whole windows from SettleTime after the
// trigger ended, and no earlier than every request sent during the trigger
// has spent its patience (so their retries are not counted), to the end of
// the run. In the tail the load is steady again, so while the run stays
// degraded the loop's rates are constant, and the longest tail gives the
// steadiest estimate of them.
type loop struct {
	tail.Trend               // the backlog: queued and in service; the surplus: attempts minus attempts finished
	offered    float64       // new requests per second over the tail
	attempts   float64       // attempts per second, first and retries
	served     float64       // attempts the server finished per second
	capacity   float64       // the most the server finishes per second
	backlog    int64         // held by the server at the end: queued and in service
	remaining  time.Duration // for a draining backlog: backlog / -drift
}

// loop measures the tail after a trigger ending at end, or returns false
// when the tail holds fewer than tail.MinWindows windows.
func (r *Result) loop(end time.Duration) (loop, bool) {
	c := r.Config
	w := c.Window
	q, f := r.Queue.Series().V, r.InFlight.Series().V
	att, fin := r.Rates.Attempts.Series().V, r.Rates.Throughput.Series().V
	first, last, ok := tail.Windows(end+max(c.patience(), c.SettleTime), c.Duration, w, len(q), len(f), len(att), len(fin))
	if !ok {
		return loop{}, false
	}
	step := func(i int) float64 { return q[i+1] + f[i+1] - q[i] - f[i] }
	l := loop{Trend: tail.Measure(first, last, w, step, att, fin), capacity: c.maxThroughput(), backlog: r.HeldAtEnd}
	l.offered = tail.Mean(r.Rates.Offered.Series().V, first, last)
	l.attempts = tail.Mean(att, first, last)
	l.served = tail.Mean(fin, first, last)
	if l.Draining() {
		l.remaining = l.Remaining(l.backlog)
	}
	return l, true
}

// overloaded: the new requests alone are as many as the server can
// finish, retries or not.
func (l loop) overloaded() bool { return l.offered >= l.capacity }

// sustained: the loop keeps the server overloaded: the backlog grows, or
// the clients send more attempts than the server finishes (the excess is
// queued, turned away or dropped, and comes back as retries), beyond
// chance.
func (l loop) sustained() bool { return l.Growing() || l.Overfed() }

// maxThroughput is the most the server finishes per second: at full
// concurrency a request takes the mean service time plus Capacity ×
// Slope, and Capacity of them run at once. Fewer in service finish fewer.
func (c Config) maxThroughput() float64 {
	return float64(c.Capacity) / (c.Service.Mean() + float64(c.Capacity)*c.Slope.Seconds())
}
