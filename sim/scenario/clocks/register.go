package clocks

import (
	"math"
)

// version orders the register's writes: by T (a clock reading or a
// Lamport time, as Config.Stamps says), then the writing process, then
// its own count of writes, so two writes never tie.
type version struct {
	T    int64
	Proc int
	Seq  int64
}

func (a version) less(b version) bool {
	switch {
	case a.T != b.T:
		return a.T < b.T
	case a.Proc != b.Proc:
		return a.Proc < b.Proc
	}
	return a.Seq < b.Seq
}

// register is a process's replica of the last-writer-wins register: the
// write it holds and that write's version, and vv, how many writes of each
// process it has seen (its version vector). Merging keeps the larger
// version and the entrywise maximum of vv, so a replica always holds a
// version at least as large as every write vv covers.
type register struct {
	write int
	ver   version
	vv    []int32
}

// initial is the register before any write: write 0, below every version.
func initial(processes int) register {
	return register{ver: version{T: math.MinInt64, Proc: -1}, vv: make([]int32, processes)}
}

func (g *register) clone() *register {
	c := *g
	c.vv = append([]int32(nil), g.vv...)
	return &c
}

// covers reports whether vv has seen every write that token names.
func covers(vv, token []int32) bool {
	for i, t := range token {
		if vv[i] < t {
			return false
		}
	}
	return true
}

// writeRec is one write with both of the versions it could have had, so
// the run can say what each stamp would have lost.
type writeRec struct {
	event    int
	number   int
	physical version
	lamport  version
}

// write is a write event at process p, on its own or for client (-1: its
// own): a fresh version from its clock or its Lamport time, kept if it is
// the largest the replica has seen. It reports false when the run has no
// room left.
func (r *run) write(p *proc, client int) (version, int, bool) {
	if !r.room() {
		return version{}, 0, false
	}
	tick(p)
	p.writes++
	r.nextW++
	phys := version{T: int64(r.physical(p)), Proc: p.index, Seq: p.writes}
	lam := version{T: p.lamport, Proc: p.index, Seq: p.writes}
	v := phys
	if r.cfg.Stamps == LamportStamp {
		v = lam
	}
	idx := r.event(p, Write, 0, client, "write")
	r.res.Events[idx].Write = r.nextW
	r.res.writes = append(r.res.writes, writeRec{event: idx, number: r.nextW, physical: phys, lamport: lam})
	p.reg.vv[p.index]++
	if p.reg.ver.less(v) {
		p.reg.write, p.reg.ver = r.nextW, v
	}
	return v, r.nextW, true
}

// gossip sends p's replica to a random other process.
func (r *run) gossip(p *proc) {
	to := p.rSend.IntN(r.cfg.Processes - 1)
	if to >= p.index {
		to++
	}
	r.send(p, to, "gossip", &body{state: p.reg.clone()})
}

// merge joins a replica received from another process into p's, then
// serves the requests that were waiting for it.
func (r *run) merge(p *proc, st *register) {
	if p.reg.ver.less(st.ver) {
		p.reg.write, p.reg.ver = st.write, st.ver
	}
	for i, v := range st.vv {
		p.reg.vv[i] = max(p.reg.vv[i], v)
	}
	r.servePending(p)
}
