package detect

import (
	"math"
	"time"
)

// window holds the last inter-arrival times of one peer's heartbeats, in
// a ring, with their running sum and sum of squares (in seconds) so that
// the mean and deviation cost nothing per arrival.
type window struct {
	xs        []float64
	next, n   int
	sum, sumq float64
}

func newWindow(size int) *window { return &window{xs: make([]float64, size)} }

func (w *window) add(d time.Duration) {
	x := d.Seconds()
	if w.n == len(w.xs) {
		old := w.xs[w.next]
		w.sum -= old
		w.sumq -= old * old
	} else {
		w.n++
	}
	w.xs[w.next] = x
	w.next = (w.next + 1) % len(w.xs)
	w.sum += x
	w.sumq += x * x
}

// stats returns the mean and deviation of the window; with fewer than two
// samples, the bootstrap guess of Akka's detector: the heartbeat interval,
// give or take a quarter of it.
func (w *window) stats(interval time.Duration) (mean, std time.Duration) {
	if w.n < 2 {
		return interval, interval / 4
	}
	m := w.sum / float64(w.n)
	// The running sums drift by rounding; a variance a hair below zero is
	// zero.
	v := max(w.sumq/float64(w.n)-m*m, 0)
	return time.Duration(m * 1e9), time.Duration(math.Sqrt(v) * 1e9)
}
