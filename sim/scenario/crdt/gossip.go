package crdt

import (
	"context"
	"fmt"

	"dsim/sim"
	"dsim/sim/net"
)

// gossip is a message: a state (or a delta group) and the naive shadow.
// A delta group carries its version, which the receiver acknowledges.
type gossip struct {
	state   State
	naive   *NaiveSet
	from    int
	version int // 0: a full state, not acknowledged
	size    int // the state's size in bytes
}

type ack struct{ from, version int }

// peer picks a random other replica.
func (r *run) peer(rep *replica) *replica { return r.other(rep, rep.rng.IntN(len(r.reps)-1)) }

// other maps k in [0, replicas-1) to the k-th replica that is not rep.
func (r *run) other(rep *replica, k int) *replica {
	if k >= rep.index {
		k++
	}
	return r.reps[k]
}

// round is one anti-entropy round: the state, or the deltas each peer has
// not acknowledged, to Fanout distinct random peers. Every FullEvery-th
// round of a delta replica sends the full state, which repairs what
// acknowledgements cannot (a replica that lost its state).
//
// The peers of a round share one copy of the state: receivers only read
// a message's state (Merge never changes its argument), so a round costs
// one copy whatever the fanout.
func (r *run) round(rep *replica) {
	if r.interrupted() {
		return
	}
	rep.rounds++
	perm := rep.rng.Perm(len(r.reps) - 1)
	var full *gossip
	for _, k := range perm[:r.cfg.Fanout] {
		to := r.other(rep, k)
		if !r.cfg.Delta || rep.rounds%r.cfg.FullEvery == 0 {
			if full == nil {
				g := r.full(rep)
				full = &g
			}
			r.send(rep, to, *full)
		} else if rep.version[to.index] > 0 {
			g := r.message(rep, rep.pending[to.index].Clone(), rep.version[to.index])
			g.size = g.state.Size()
			r.send(rep, to, g)
		}
	}
}

// full is a message holding a copy of rep's whole state.
func (r *run) full(rep *replica) gossip {
	g := r.message(rep, rep.state.Clone(), 0)
	g.size = len(rep.text.of(rep.state))
	return g
}

// message wraps a state (a copy) with the sender's naive shadow.
func (r *run) message(from *replica, st State, version int) gossip {
	g := gossip{state: st, from: from.index, version: version}
	if r.shadowed {
		g.naive = from.naive.Clone().(*NaiveSet)
	}
	return g
}

func (r *run) send(from, to *replica, g gossip) {
	if r.n.Send(from.id, to.id, "gossip", g) {
		r.res.Messages++
		r.res.Bytes += int64(g.size)
		r.checkTraffic()
	}
}

// interrupted stops the run when its context is done. The engine looks
// only every few thousand events, and with large states a few thousand
// events (copies, merges, canonical texts) take minutes, so every event of
// the model looks too.
func (r *run) interrupted() bool {
	if r.ctx.Err() != nil {
		r.s.Fail(fmt.Errorf("%w: %w", sim.ErrInterrupted, context.Cause(r.ctx)))
		return true
	}
	return false
}

// checkTraffic stops a run whose gossip passes the limits: Validate plans
// within them, but a state can grow past what any plan foresees.
func (r *run) checkTraffic() {
	switch {
	case r.res.Messages > r.limits.messages:
		r.s.Fail(fmt.Errorf("more than %d messages sent (the limit): lengthen GossipPeriod or lower Fanout", r.limits.messages))
	case r.res.Bytes > r.limits.bytes:
		r.s.Fail(fmt.Errorf("more than %d bytes of state sent (the limit): lengthen GossipPeriod, lower Fanout or use Delta", r.limits.bytes))
	}
}

func (r *run) receive(rep *replica, m net.Message) {
	if r.interrupted() {
		return
	}
	if a, ok := m.Body.(ack); ok {
		// Clear the group only if nothing was added since it was sent.
		if rep.version[a.from] == a.version {
			rep.pending[a.from], _ = New(r.cfg.Type)
			rep.version[a.from] = 0
		}
		return
	}
	g := m.Body.(gossip)
	if g.version > 0 && r.n.Send(rep.id, m.From, "ack", ack{from: rep.index, version: g.version}) {
		r.res.Messages++
		r.checkTraffic()
	}
	rep.state.Merge(g.state)
	rep.text.touch()
	if g.naive != nil {
		rep.naive.Merge(g.naive)
		rep.naiveText.touch()
	}
	r.res.Merges++
	r.checkConverged()
}
