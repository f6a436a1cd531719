package quorum

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"sort"

	"dsim/sim"
	"dsim/sim/dist"
	"dsim/sim/net"
)

// version orders writes: by stamp (a clock reading or a counter), ties
// broken by the writing client. The zero version is the initial value.
type version struct {
	stamp  int64
	writer int32
}

func (v version) less(o version) bool {
	return v.stamp < o.stamp || v.stamp == o.stamp && v.writer < o.writer
}

// cell is one key's value on one node. Values are write IDs (1, 2, ...):
// 0 is the initial value, so every value names the write that made it.
type cell struct {
	v     version
	value int64
}

// Messages between clients (coordinators) and nodes.
type (
	getReq  struct{ op, phase, key int }
	getResp struct {
		op, phase int
		c         cell
	}
	putReq struct {
		op, phase, key int
		c              cell
		hint           net.Node // home replica a standby holds this for; -1 if none
		async          bool     // replication or repair: no one waits for the ack
	}
	putResp struct{ op, phase int }
	// handoff carries async replication and hints between nodes.
	handoff struct {
		from net.Node
		key  int
		c    cell
		seq  int64
	}
	handoffAck struct{ seq int64 }
)

// pending is a write a node must get to another node: asynchronous
// replication, or a hint a standby holds for a home replica.
type pending struct {
	to   net.Node
	key  int
	c    cell
	seq  int64
	done bool // acknowledged: skipped, and dropped at the next compaction
}

// storeNode is a replica or a standby.
type storeNode struct {
	id      net.Node
	cells   []cell
	pending []pending // in seq order
	acked   int       // pending entries marked done
	seq     int64
}

// Op is one client operation as the checker sees it.
type Op struct {
	ID       int
	Client   int
	Side     string // "majority" or "minority"
	Key      int
	Write    bool
	Value    int64 // written, or read
	Start    sim.Time
	End      sim.Time // completion or failure time
	OK       bool
	version  version
	writeVer version // for a read: the version of what it returned
}

// op is an operation in progress.
type op struct {
	Op
	phase   int
	targets []target
	acks    int
	best    cell
	seen    []net.Node // responders and their cells, for read repair
	cells   []cell
	timer   sim.Timer
	done    bool
}

type client struct {
	id    net.Node
	index int
	side  string
	home  []net.Node // replicas in the order this client prefers them (eventual)
	rng   *rand.Rand
}

// store is one run of the model.
type store struct {
	cfg      Config
	s        *sim.Sim
	n        *net.Network
	replicas []*storeNode // home replicas r1..rN
	standbys []*storeNode
	clients  []*client
	ops      []*op
	service  dist.Dist
	rService *rand.Rand
	rKeys    *rand.Rand
	stopped  bool                // MaxOps reached
	sides    map[string][]string // node names on each side of the default partition

	res *Result
}

func (st *store) allNodes() []*storeNode {
	return append(append([]*storeNode(nil), st.replicas...), st.standbys...)
}

func (st *store) think(c *client) sim.Time {
	return sim.Seconds(c.rng.ExpFloat64() / st.cfg.Rate)
}

// issue starts a client's next operation.
func (st *store) issue(c *client) {
	now := st.s.Now()
	if now >= sim.FromDuration(st.cfg.Duration) {
		return
	}
	if len(st.ops) >= st.cfg.MaxOps {
		st.stopped = true
		return
	}
	o := &op{Op: Op{ID: len(st.ops), Client: c.index, Side: c.side, Key: c.rng.IntN(st.cfg.Keys), Write: c.rng.Float64() < st.cfg.WriteRatio, Start: now}}
	st.ops = append(st.ops, o)
	o.timer = st.s.After(sim.FromDuration(st.cfg.Timeout), func() { st.finish(c, o, false) })
	o.targets = st.targets(c)
	if o.Write {
		o.Value = int64(o.ID + 1)
		if st.cfg.Versioning == Counters {
			st.sendGets(c, o)
			return
		}
		o.version = version{stamp: int64(st.n.Clock(c.id)), writer: int32(c.index)}
		st.sendPuts(c, o)
		return
	}
	st.sendGets(c, o)
}

// target is a node an operation goes to; hint is the home replica a
// standby stands in for under a sloppy quorum, or -1.
type target struct{ to, hint net.Node }

// targets picks the nodes a client's operation goes to. Eventual goes to
// the first reachable replica the client prefers (that replica does the
// rest). The others go to all N home replicas; with a sloppy quorum,
// unreachable ones are replaced by reachable standbys (the coordinator
// knows reachability, as Dynamo's gossip-based membership would).
func (st *store) targets(c *client) []target {
	if st.cfg.Model == Eventual {
		for _, r := range c.home {
			if st.n.Reachable(c.id, r) {
				return []target{{r, -1}}
			}
		}
		return []target{{c.home[0], -1}}
	}
	var spare []net.Node
	if st.cfg.SloppyQuorum {
		for _, sb := range st.standbys {
			if st.n.Reachable(c.id, sb.id) {
				spare = append(spare, sb.id)
			}
		}
	}
	out := make([]target, 0, len(st.replicas))
	for _, r := range st.replicas {
		if len(spare) > 0 && !st.n.Reachable(c.id, r.id) {
			out = append(out, target{spare[0], r.id})
			spare = spare[1:]
			continue
		}
		out = append(out, target{r.id, -1})
	}
	return out
}

func (st *store) sendGets(c *client, o *op) {
	o.phase++
	o.acks, o.best, o.seen, o.cells = 0, cell{}, o.seen[:0], o.cells[:0]
	for _, t := range o.targets {
		st.n.Send(c.id, t.to, "get", getReq{op: o.ID, phase: o.phase, key: o.Key})
	}
}

func (st *store) sendPuts(c *client, o *op) {
	o.phase++
	o.acks = 0
	cl := cell{v: o.version, value: o.Value}
	if !o.Write {
		cl = o.best // a synchronous read repair writes back what it read
	}
	for _, t := range o.targets {
		st.n.Send(c.id, t.to, "put", putReq{op: o.ID, phase: o.phase, key: o.Key, c: cl, hint: t.hint})
	}
}

func (st *store) need(o *op, write bool) int {
	if st.cfg.Model == Eventual {
		return 1
	}
	if write {
		return st.cfg.W
	}
	return st.cfg.R
}

// onClient handles a reply at the coordinator.
func (st *store) onClient(c *client, m net.Message) {
	switch b := m.Body.(type) {
	case getResp:
		o := st.ops[b.op]
		if o.done || b.phase != o.phase {
			return
		}
		o.acks++
		o.seen = append(o.seen, m.From)
		o.cells = append(o.cells, b.c)
		if o.best.v.less(b.c.v) {
			o.best = b.c
		}
		if o.acks < st.need(o, false) {
			return
		}
		if o.Write { // a counter write's first phase: the highest version
			o.version = version{stamp: o.best.v.stamp + 1, writer: int32(c.index)}
			st.sendPuts(c, o)
			return
		}
		o.Value, o.writeVer = o.best.value, o.best.v
		switch st.cfg.ReadRepair {
		case SyncRepair:
			st.sendPuts(c, o)
			return
		case AsyncRepair:
			for i, from := range o.seen {
				if o.cells[i].v.less(o.best.v) {
					st.n.Send(c.id, from, "repair", putReq{op: o.ID, phase: -1, key: o.Key, c: o.best, hint: -1, async: true})
				}
			}
		}
		st.finish(c, o, true)
	case putResp:
		o := st.ops[b.op]
		if o.done || b.phase != o.phase {
			return
		}
		o.acks++
		if o.acks >= st.need(o, true) {
			st.finish(c, o, true)
		}
	}
}

func (st *store) finish(c *client, o *op, ok bool) {
	if o.done {
		return
	}
	o.done, o.OK, o.End = true, ok, st.s.Now()
	o.timer.Stop()
	st.res.record(&o.Op)
	st.s.After(st.think(c), func() { st.issue(c) })
}

// onNode handles a message at a replica or standby, after its service time.
func (st *store) onNode(sn *storeNode, m net.Message) {
	st.s.After(dist.Time(st.service, st.rService), func() {
		if !st.n.Up(sn.id) {
			return
		}
		switch b := m.Body.(type) {
		case getReq:
			st.n.Send(sn.id, m.From, "value", getResp{op: b.op, phase: b.phase, c: sn.cells[b.key]})
		case putReq:
			st.apply(sn, b.key, b.c)
			if b.hint >= 0 {
				st.enqueue(sn, b.hint, b.key, b.c)
			}
			if st.cfg.Model == Eventual && !b.async && b.hint < 0 {
				for _, r := range st.replicas {
					if r.id != sn.id {
						st.enqueue(sn, r.id, b.key, b.c)
					}
				}
			}
			if !b.async {
				st.n.Send(sn.id, m.From, "ack", putResp{op: b.op, phase: b.phase})
			}
		case handoff:
			st.apply(sn, b.key, b.c)
			st.n.Send(sn.id, m.From, "handoff-ack", handoffAck{seq: b.seq})
		case handoffAck:
			sn.ack(b.seq)
		}
	})
}

// apply keeps the newer of the stored and the incoming value: last writer
// wins, by version.
func (st *store) apply(sn *storeNode, key int, c cell) {
	if sn.cells[key].v.less(c.v) {
		sn.cells[key] = c
	}
}

// enqueue records a write sn must get to another node, and sends it now.
// A node holding maxHeld writes stops the run: the load outruns what the
// handoff can deliver (a long partition under heavy writes).
func (st *store) enqueue(sn *storeNode, to net.Node, key int, c cell) {
	if held := len(sn.pending) - sn.acked; held >= maxHeld {
		st.s.Fail(fmt.Errorf("%s holds %d writes not yet handed off, the limit: fewer writes or a shorter partition", st.n.Name(sn.id), held))
		return
	}
	sn.seq++
	p := pending{to: to, key: key, c: c, seq: sn.seq}
	sn.pending = append(sn.pending, p)
	st.n.Send(sn.id, to, "replicate", handoff{from: sn.id, key: key, c: c, seq: p.seq})
}

// retryPending resends what sn still owes to nodes it can reach.
func (st *store) retryPending(sn *storeNode) {
	for _, p := range sn.pending {
		if !p.done && st.n.Reachable(sn.id, p.to) {
			st.n.Send(sn.id, p.to, "replicate", handoff{from: sn.id, key: p.key, c: p.c, seq: p.seq})
		}
	}
}

// ack marks the pending write seq delivered. Entries stay in seq order,
// so it is found by binary search; acknowledged entries are dropped in one
// pass once they are half the list, which keeps acks O(log n) amortised
// and the order of the resends unchanged.
func (sn *storeNode) ack(seq int64) {
	i, found := sort.Find(len(sn.pending), func(i int) int { return cmp.Compare(seq, sn.pending[i].seq) })
	if !found || sn.pending[i].done {
		return
	}
	sn.pending[i].done = true
	sn.acked++
	if 2*sn.acked < len(sn.pending) {
		return
	}
	kept := sn.pending[:0]
	for _, p := range sn.pending {
		if !p.done {
			kept = append(kept, p)
		}
	}
	clear(sn.pending[len(kept):])
	sn.pending, sn.acked = kept, 0
}
