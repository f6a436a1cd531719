package clocks

import (
	"fmt"
	"time"

	"dsim/sim"
	"dsim/sim/metrics"
	"dsim/sim/net"
)

// Result is what a run produced: every event with its timestamps, the
// application messages, the clocks' errors and synchronisations, the
// order of events and what the clients saw.
type Result struct {
	Config Config // with defaults filled in

	End       sim.Time
	Truncated bool // the run stopped at MaxEvents, before Duration

	Events []Event      // in the order they happened
	Trace  []net.Record // every application message
	Lanes  []string     // p1..pN, then c1..cK: Event.Proc and Record.From/To index it

	ClockError []*metrics.Series // per process: its clock minus true time, ms
	Syncs      []Sync
	BackSteps  int // synchronisations that set a clock back

	Order    Order
	Sessions Sessions
	Final    []int // each process's register at the end: the write it holds (0: none)

	Network   net.Stats
	SimEvents int64 // events the engine ran (timers included)

	writes []writeRec
	reach  []uint64 // reach[b*words:]: bit a set when a happens before b
	words  int
	from   []int // the send event of each receive, -1 for the others
}

func newResult(cfg Config) *Result {
	r := &Result{Config: cfg}
	for i := 0; i < cfg.Processes; i++ {
		r.ClockError = append(r.ClockError, metrics.NewSeries(fmt.Sprintf("p%d", i+1), "ms"))
	}
	return r
}

// LostWrites is the number of writes the register itself lost to a write
// that happened before them, under its own Stamps.
func (r *Result) LostWrites() int {
	if r.Config.Stamps == LamportStamp {
		return r.Order.LostLamport
	}
	return r.Order.LostPhysical
}

// MaxError is the largest clock error, in either direction, over the
// samples.
func (r *Result) MaxError() time.Duration {
	m := 0.0
	for _, s := range r.ClockError {
		for _, v := range s.V {
			m = max(m, v, -v)
		}
	}
	return time.Duration(m * float64(time.Millisecond))
}

// MaxSpread is the largest distance between two processes' clocks at one
// sample: the skew the processes saw.
func (r *Result) MaxSpread() time.Duration {
	spread := 0.0
	if len(r.ClockError) == 0 {
		return 0
	}
	for k := range r.ClockError[0].V {
		lo, hi := r.ClockError[0].V[k], r.ClockError[0].V[k]
		for _, s := range r.ClockError[1:] {
			lo, hi = min(lo, s.V[k]), max(hi, s.V[k])
		}
		spread = max(spread, hi-lo)
	}
	return time.Duration(spread * float64(time.Millisecond))
}

// MaxSyncError is the largest error, in either direction, a clock had
// just after a synchronisation (0 when none happened).
func (r *Result) MaxSyncError() time.Duration {
	var m time.Duration
	for _, s := range r.Syncs {
		m = max(m, s.After, -s.After)
	}
	return m
}

// MaxSyncBound is the largest error bound a synchronisation gave: half
// its round trip, widened by the drift (0 when none happened).
func (r *Result) MaxSyncBound() time.Duration {
	var m time.Duration
	for _, s := range r.Syncs {
		m = max(m, s.Bound)
	}
	return m
}

// Summary is the table of headline numbers.
func (r *Result) Summary() *metrics.Table {
	c := r.Config
	sync := "never synchronised"
	if c.SyncPeriod > 0 {
		sync = fmt.Sprintf("synchronised every %v", c.SyncPeriod)
	}
	t := metrics.NewTable(fmt.Sprintf("Time and order: %d processes, clocks ±%v and ±%gppm, %s, %s stamps (seed %d)",
		c.Processes, c.Skew, c.DriftPPM, sync, c.Stamps.title(), c.Seed), "metric", "value")
	t.Add("events (writes, messages)", fmt.Sprintf("%d (%d, %d)", len(r.Events), r.Order.Writes, len(r.Trace)))
	if r.Truncated {
		t.Add("stopped at MaxEvents at", r.End)
	}
	t.Add("largest clock error, spread", fmt.Sprintf("%v, %v", r.MaxError().Round(time.Microsecond), r.MaxSpread().Round(time.Microsecond)))
	if len(r.Syncs) > 0 {
		t.Add("synchronisations (clocks set back)", fmt.Sprintf("%d (%d)", len(r.Syncs), r.BackSteps))
		t.Add("largest error after a sync, largest bound", fmt.Sprintf("%v, %v", r.MaxSyncError().Round(time.Microsecond), r.MaxSyncBound().Round(time.Microsecond)))
	}
	o := r.Order
	t.Add("pairs of events: ordered, concurrent", fmt.Sprintf("%d, %d (%v)", o.Ordered, o.Concurrent, metrics.Pct(metrics.Ratio(o.Concurrent, o.Pairs))))
	t.Add("messages received before they were sent, by the clocks", fmt.Sprintf("%d of %d", o.Backward, o.Delivered))
	t.Add("writes lost to an earlier write: physical, Lamport stamps", fmt.Sprintf("%d, %d of %d", o.LostPhysical, o.LostLamport, o.Writes))
	if c.Clients > 0 {
		s := r.Sessions
		t.Add("client reads, writes answered", fmt.Sprintf("%d, %d", s.Reads, s.Writes))
		t.Add("reads breaking read-your-writes, monotonic reads", fmt.Sprintf("%d, %d", s.ReadYourWrites, s.MonotonicReads))
		t.Add("refused, timed out; pulls", fmt.Sprintf("%d, %d; %d", s.Refused, s.TimedOut, s.Pulls))
		t.Add("mean wait for an answer", s.MeanWait())
	}
	t.Note("%v", r.Verdict())
	return t
}
