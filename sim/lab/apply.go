package lab

import (
	"fmt"
	"time"

	"dsim/sim"
	"dsim/sim/net"
)

// scheduleFault schedules a fault's start and its healing, which comes at
// its end or the workload's, whichever is first.
func (c *cluster) scheduleFault(f *Fault) {
	start := sim.FromDuration(f.Start)
	if start >= c.end {
		return
	}
	end := c.end
	if f.Duration > 0 {
		end = min(end, sim.FromDuration(f.Window.End()))
	}
	switch f.Kind {
	case FaultPartition, FaultOneWay:
		nf := net.Fault{Kind: net.FaultPartition, Window: sim.Window{Start: f.Start, Duration: (end - start).Duration()}, Sides: f.Sides}
		if f.Kind == FaultOneWay {
			nf.Kind, nf.Sides, nf.From, nf.To = net.FaultOneWay, nil, f.From, f.To
		}
		if err := c.n.Schedule(nf); err != nil {
			c.fail(&Error{Seed: c.t.Seed, Err: err})
		}
		return
	}
	on, off := c.faultActions(f)
	c.s.At(start, on)
	c.s.At(end, off)
}

// faultActions returns what starts a fault and what heals it.
func (c *cluster) faultActions(f *Fault) (on, off func()) {
	nodes := c.envs(f.Nodes)
	switch f.Kind {
	case FaultCrash:
		return func() {
				for _, e := range nodes {
					c.crash(e, f.Keep)
				}
			}, func() {
				for _, e := range nodes {
					c.restart(e)
				}
			}
	case FaultPause:
		return func() {
				for _, e := range nodes {
					e.paused++
				}
			}, func() {
				for _, e := range nodes {
					e.paused--
					c.wake(e)
				}
			}
	case FaultClock:
		var at sim.Time
		return func() {
				at = c.s.Now()
				for _, e := range nodes {
					c.clockOn[e.idx] = append(c.clockOn[e.idx], clockFault{f: f, at: at})
					c.setClock(e)
				}
			}, func() {
				for _, e := range nodes {
					c.clockOn[e.idx] = removeClock(c.clockOn[e.idx], f)
					c.setClock(e)
				}
			}
	case FaultLoss, FaultDuplicate:
		// The stream is named by what the burst is, not when or where in
		// the schedule, so that shrinking (moving it, removing others)
		// keeps its draws.
		b := net.Burst{Loss: f.Rate, Stream: fmt.Sprintf("%s/%g#%d", f.Kind, f.Rate, c.sameBefore(f))}
		if f.Kind == FaultDuplicate {
			b.Loss, b.Duplicate = 0, f.Rate
		}
		id := 0
		return func() {
				var err error
				if id, err = c.n.StartBurst(b); err != nil {
					c.fail(&Error{Seed: c.t.Seed, At: c.s.Now(), Err: err})
				}
			}, func() {
				c.n.EndBurst(id)
			}
	case FaultSlow:
		return func() {
				for _, e := range nodes {
					c.slow[e.idx] = append(c.slow[e.idx], f.Delay)
					c.setDelay(e)
				}
			}, func() {
				for _, e := range nodes {
					c.slow[e.idx] = removeDelay(c.slow[e.idx], f.Delay)
					c.setDelay(e)
				}
			}
	}
	return func() {}, func() {}
}

func (c *cluster) envs(names []string) []*Env {
	var out []*Env
	for _, n := range names {
		if e := c.byID(n); e != nil {
			out = append(out, e)
		}
	}
	return out
}

// clockFault is a clock fault in force on a node since at.
type clockFault struct {
	f  *Fault
	at sim.Time
}

// setClock sets a node's clock from its base and the clock faults in
// force. A drift that starts at t0 keeps the clock continuous at t0; the
// end of a fault corrects the clock at once, as a time daemon stepping it
// back would.
func (c *cluster) setClock(e *Env) {
	k := c.clockBase[e.idx]
	offset, drift := k.offset, k.drift
	for _, cf := range c.clockOn[e.idx] {
		offset += cf.f.Jump - time.Duration(cf.f.Drift*float64(cf.at))
		drift += cf.f.Drift
	}
	drift = max(-0.9, min(0.9, drift))
	c.n.SetClock(e.addr, offset, drift)
}

func removeClock(list []clockFault, f *Fault) []clockFault {
	for i, cf := range list {
		if cf.f == f {
			return append(list[:i], list[i+1:]...)
		}
	}
	return list
}

func (c *cluster) setDelay(e *Env) {
	var d time.Duration
	for _, x := range c.slow[e.idx] {
		d += x
	}
	c.n.SetDelay(e.addr, d)
}

func removeDelay(list []time.Duration, d time.Duration) []time.Duration {
	for i, x := range list {
		if x == d {
			return append(list[:i], list[i+1:]...)
		}
	}
	return list
}

// sameBefore counts the faults of the schedule before f of the same kind
// and rate.
func (c *cluster) sameBefore(f *Fault) int {
	n := 0
	for i := range c.faults {
		g := &c.faults[i]
		if g == f {
			break
		}
		if g.Kind == f.Kind && g.Rate == f.Rate {
			n++
		}
	}
	return n
}
