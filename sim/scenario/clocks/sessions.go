package clocks

import (
	"math"
	"time"

	"dsim/sim"
)

// request is a client's read or write, with its session token when the
// client carries one.
type request struct {
	op     int64
	read   bool
	token  []int32
	from   int // the client, once it has arrived
	refuse sim.Timer
}

// reply is a process's answer: the version read or written, and the
// replica's version vector, which a client with tokens adds to its token.
type reply struct {
	op    int64
	read  bool
	ok    bool // false: refused, the process could not catch up in time
	write int
	ver   version
	vv    []int32
}

// session is a client's view: what it last wrote and read, its token, the
// operation it waits for, and its tallies.
type session struct {
	token     []int32
	lastWrite version
	lastRead  version
	op        int64
	waiting   bool
	sent      sim.Time
	timer     sim.Timer
	stats     Sessions
}

func newSession(processes int) session {
	low := version{T: math.MinInt64, Proc: -1}
	return session{token: make([]int32, processes), lastWrite: low, lastRead: low}
}

// Sessions counts what the clients saw (Terry et al. 1994): reads that
// missed a write the same client had made (read your writes), reads older
// than one the client had already read (monotonic reads), and operations
// refused or unanswered.
type Sessions struct {
	Reads, Writes  int // answered
	ReadYourWrites int // reads older than the client's own last write
	MonotonicReads int // reads older than the client's previous read
	StaleReads     int // reads that broke either guarantee (or both)
	Refused        int // a process could not catch up with the token in time
	TimedOut       int // no answer within Timeout
	Pulls          int // requests a process sent to catch up with a token
	Wait           time.Duration
}

// MeanWait is the mean time a client waited for an answered operation.
func (s Sessions) MeanWait() time.Duration {
	if s.Reads+s.Writes == 0 {
		return 0
	}
	return s.Wait / time.Duration(s.Reads+s.Writes)
}

func (s *Sessions) add(o session) {
	t := o.stats
	s.Reads += t.Reads
	s.Writes += t.Writes
	s.ReadYourWrites += t.ReadYourWrites
	s.MonotonicReads += t.MonotonicReads
	s.StaleReads += t.StaleReads
	s.Refused += t.Refused
	s.TimedOut += t.TimedOut
	s.Wait += t.Wait
}

// startClients starts each client's first operation.
func (r *run) startClients() {
	for _, c := range r.procs[r.cfg.Processes:] {
		r.next(c)
	}
}

// next schedules a client's next operation after a Poisson gap.
func (r *run) next(c *proc) {
	r.s.After(sim.Seconds(c.rWrite.ExpFloat64()/r.cfg.ClientRate), func() { r.issue(c) })
}

// issue sends a client's next operation to a random process.
func (r *run) issue(c *proc) {
	if r.res.Truncated {
		return
	}
	ss := &c.session
	ss.op++
	to := c.rSend.IntN(r.cfg.Processes)
	q := &request{op: ss.op, read: c.rSend.Float64() < r.cfg.ReadShare}
	if r.cfg.Tokens {
		q.token = append([]int32(nil), ss.token...)
	}
	kind := "write"
	if q.read {
		kind = "read"
	}
	if !r.send(c, to, kind, &body{req: q}) {
		return
	}
	ss.waiting, ss.sent = true, r.s.Now()
	op := ss.op
	ss.timer = r.s.After(sim.FromDuration(r.cfg.Timeout), func() {
		if ss.waiting && ss.op == op {
			ss.waiting = false
			ss.stats.TimedOut++
			r.next(c)
		}
	})
}

// request handles a client's request at process p: served at once when
// the replica covers the token, else held while p pulls what it lacks,
// and refused after half the client's timeout.
func (r *run) request(p *proc, from int, q *request) {
	if q.token == nil || covers(p.reg.vv, q.token) {
		r.serve(p, from, q)
		return
	}
	if len(p.pending) >= maxPending {
		r.send(p, from, "refused", &body{rep: &reply{op: q.op}})
		return
	}
	q.from = from
	p.pending = append(p.pending, q)
	q.refuse = r.s.After(sim.FromDuration(r.cfg.Timeout/2), func() {
		for i, h := range p.pending {
			if h == q {
				p.pending = append(p.pending[:i], p.pending[i+1:]...)
				r.send(p, from, "refused", &body{rep: &reply{op: q.op}})
				return
			}
		}
	})
	r.pull(p, q.token)
}

// pull asks every process whose writes p lacks, by the token, for its
// replica: each holds all of its own writes, so their answers cover it.
func (r *run) pull(p *proc, token []int32) {
	for k, t := range token {
		if p.reg.vv[k] < t && k != p.index {
			if r.send(p, k, "pull", &body{pull: true}) {
				r.res.Sessions.Pulls++
			}
		}
	}
}

// pulled answers a pull with p's replica.
func (r *run) pulled(p *proc, from int) {
	r.send(p, from, "state", &body{state: p.reg.clone()})
}

// servePending serves, in arrival order, the held requests p's replica
// now covers.
func (r *run) servePending(p *proc) {
	kept := p.pending[:0]
	for _, q := range p.pending {
		if covers(p.reg.vv, q.token) {
			q.refuse.Stop()
			r.serve(p, q.from, q)
			continue
		}
		kept = append(kept, q)
	}
	clear(p.pending[len(kept):])
	p.pending = kept
}

// serve performs a request at p and answers it.
func (r *run) serve(p *proc, from int, q *request) {
	rep := &reply{op: q.op, read: q.read, ok: true}
	kind := "value"
	if q.read {
		rep.write, rep.ver = p.reg.write, p.reg.ver
	} else {
		v, w, ok := r.write(p, from)
		if !ok {
			return
		}
		rep.write, rep.ver, kind = w, v, "ack"
	}
	rep.vv = append([]int32(nil), p.reg.vv...)
	r.send(p, from, kind, &body{rep: rep})
}

// answer is a client's receipt of a reply: the session checks, then the
// next operation. A late answer, after the timeout, changes nothing.
func (r *run) answer(c *proc, rep *reply) {
	ss := &c.session
	if !ss.waiting || rep.op != ss.op {
		return
	}
	ss.waiting = false
	ss.timer.Stop()
	defer r.next(c)
	if !rep.ok {
		ss.stats.Refused++
		return
	}
	ss.stats.Wait += (r.s.Now() - ss.sent).Duration()
	for i, v := range rep.vv {
		ss.token[i] = max(ss.token[i], v)
	}
	if !rep.read {
		ss.stats.Writes++
		if ss.lastWrite.less(rep.ver) {
			ss.lastWrite = rep.ver
		}
		return
	}
	ss.stats.Reads++
	ryw, mr := rep.ver.less(ss.lastWrite), rep.ver.less(ss.lastRead)
	if ryw {
		ss.stats.ReadYourWrites++
	}
	if mr {
		ss.stats.MonotonicReads++
	}
	if ryw || mr {
		ss.stats.StaleReads++
	}
	if ss.lastRead.less(rep.ver) {
		ss.lastRead = rep.ver
	}
}
