package clocks

import (
	"math"
	"time"

	"dsim/sim"
	"dsim/sim/net"
)

// syncState is a process's synchronisation in progress: the request it
// waits for and its clock when it asked.
type syncState struct {
	req     int64
	t0      sim.Time
	waiting bool
}

// syncMsg is a request to the time server, or its answer with the
// server's time.
type syncMsg struct {
	req int64
	t   sim.Time
}

// Sync is one synchronisation by Cristian's algorithm: the round trip the
// process measured on its own clock, the error bound that round trip
// gives, and the clock's error (its reading minus true time) just before
// and just after the correction.
type Sync struct {
	Proc          string
	At            sim.Time
	RTT, Bound    time.Duration
	Before, After time.Duration
}

// startSync makes each process ask the time server every SyncPeriod,
// first at a random phase so they do not all ask at once.
func (r *run) startSync() {
	if r.cfg.SyncPeriod == 0 {
		return
	}
	period := sim.FromDuration(r.cfg.SyncPeriod)
	rng := r.s.Rand("clocks/sync")
	for _, p := range r.procs[:r.cfg.Processes] {
		r.s.Every(sim.Time(rng.Int64N(int64(period))), period, func() { r.ask(p) })
	}
}

// ask sends a synchronisation request, remembering the clock's reading.
// An earlier request still unanswered is abandoned (its answer, if it
// comes, is ignored), so a lost message costs one period.
func (r *run) ask(p *proc) {
	p.sync.req++
	p.sync.t0, p.sync.waiting = r.physical(p), true
	r.syncN.Send(p.syncID, r.clock, "sync", syncMsg{req: p.sync.req})
}

// serveTime answers at once with the server's time, which is exact.
func (r *run) serveTime(m net.Message) {
	q := m.Body.(syncMsg)
	r.syncN.Send(r.clock, m.From, "time", syncMsg{req: q.req, t: r.s.Now()})
}

// synced applies Cristian's estimate: the server's time plus half the
// round trip. The server read its clock somewhere within the round trip,
// so the estimate is off by at most half of it; measured on a clock whose
// rate is off by up to ρ, the bound widens to RTT/2·(1+ρ)/(1-ρ), plus 4ns
// for the clocks' rounding to whole nanoseconds. The clock is stepped,
// backwards too when it was ahead.
func (r *run) synced(p *proc, m net.Message) {
	a := m.Body.(syncMsg)
	if !p.sync.waiting || a.req != p.sync.req {
		return
	}
	p.sync.waiting = false
	now, t1 := r.s.Now(), r.physical(p)
	rtt := t1 - p.sync.t0
	estimate := a.t + rtt/2
	rho := r.cfg.DriftPPM * 1e-6
	bound := sim.Time(math.Ceil(float64(rtt)/2*(1+rho)/(1-rho))) + 4
	p.adj += estimate - t1
	if estimate < t1 {
		r.res.BackSteps++
	}
	r.res.Syncs = append(r.res.Syncs, Sync{Proc: p.name, At: now, RTT: rtt.Duration(), Bound: bound.Duration(),
		Before: (t1 - now).Duration(), After: (r.physical(p) - now).Duration()})
}
