package lab

import (
	"sort"
	"strconv"
	"strings"
	"time"
)

// GossipInterval is how often the reference broadcast and counter nodes
// gossip.
const GossipInterval = 100 * time.Millisecond

// Gossip is the reference broadcast node, correct under every fault of
// the nemesis. It writes each new message to its store before it
// acknowledges it (to a client or a peer), so a crash cannot take back an
// acknowledgement; it keeps, per neighbour, the messages that neighbour
// has not acknowledged, and sends them every GossipInterval until it
// does. After a crash that lost its memory it reloads its messages and
// offers them all to its neighbours again.
type Gossip struct {
	seen      map[int64]bool
	sorted    []int64 // seen, in order, for read_ok
	neighbors []string
	unacked   map[string]map[int64]bool
}

func (g *Gossip) Start(e *Env) {
	g.seen = map[int64]bool{}
	g.unacked = map[string]map[int64]bool{}
	for _, k := range e.Store().Keys() {
		if v, err := strconv.ParseInt(strings.TrimPrefix(k, "m/"), 10, 64); err == nil && strings.HasPrefix(k, "m/") {
			g.add(v)
		}
	}
	g.setNeighbors(e, nil)
	e.Every(GossipInterval, func() { g.gossip(e) })
}

// setNeighbors takes the topology's neighbours, or every other node until
// a topology comes (it may have been lost with the node's memory).
func (g *Gossip) setNeighbors(e *Env, top map[string][]string) {
	nbs, ok := top[e.ID()]
	if !ok {
		for _, n := range e.Nodes() {
			if n != e.ID() {
				nbs = append(nbs, n)
			}
		}
	}
	g.neighbors = nbs
	for _, nb := range nbs {
		if g.unacked[nb] == nil {
			g.unacked[nb] = map[int64]bool{}
			for _, v := range g.sorted {
				g.unacked[nb][v] = true
			}
		}
	}
}

func (g *Gossip) add(v int64) {
	if g.seen[v] {
		return
	}
	g.seen[v] = true
	g.sorted = insert(g.sorted, v)
}

// insert puts v into a sorted list, in its place. (The nodes are written
// so that a script can hold the same code: the interpreter has no generic
// functions, hence sort rather than slices.)
func insert(list []int64, v int64) []int64 {
	i := sort.Search(len(list), func(i int) bool { return list[i] >= v })
	list = append(list, 0)
	copy(list[i+1:], list[i:])
	list[i] = v
	return list
}

// Receive's acknowledgements keep the sender and the request's id, not
// m: a closure over m would move every message it receives to the heap.
func (g *Gossip) Receive(e *Env, m Message) {
	switch m.Body.Type {
	case "topology":
		g.setNeighbors(e, m.Body.Topology)
		e.Reply(m, Body{Type: "topology_ok"})
	case "read":
		e.Reply(m, Body{Type: "read_ok", Messages: g.sorted})
	case "broadcast":
		src, id := m.Src, m.Body.MsgID
		g.learn(e, []int64{m.Body.Message}, src, func() { e.Send(src, Body{Type: "broadcast_ok", InReplyTo: id}) })
	case "gossip":
		src, id, vals := m.Src, m.Body.MsgID, m.Body.Messages
		g.learn(e, vals, src, func() { e.Send(src, Body{Type: "gossip_ok", InReplyTo: id, Messages: vals}) })
	case "gossip_ok":
		for _, v := range m.Body.Messages {
			delete(g.unacked[m.Src], v)
		}
	}
}

// learn makes the new values durable, then records them, queues them for
// every neighbour but the one they came from, and calls ack.
func (g *Gossip) learn(e *Env, vals []int64, from string, ack func()) {
	last := -1 // the last value it does not know
	for i, v := range vals {
		if !g.seen[v] {
			last = i
		}
	}
	if last < 0 {
		ack()
		return
	}
	for i, v := range vals[:last+1] {
		if g.seen[v] {
			continue
		}
		var done func()
		if i == last {
			// Writes become durable in order: the last one's done means
			// all are. What it knew already, it skips.
			done = func() {
				for _, v := range vals {
					if !g.seen[v] {
						g.add(v)
						for _, nb := range g.neighbors {
							if nb != from {
								g.unacked[nb][v] = true
							}
						}
					}
				}
				ack()
			}
		}
		e.Store().Put("m/"+strconv.FormatInt(v, 10), "", done)
	}
}

// gossip sends each neighbour what it has not acknowledged, in order.
func (g *Gossip) gossip(e *Env) {
	for _, nb := range g.neighbors {
		pending := g.unacked[nb]
		if len(pending) == 0 {
			continue
		}
		vals := make([]int64, 0, len(pending))
		for v := range pending {
			vals = append(vals, v)
		}
		sort.Slice(vals, func(i, j int) bool { return vals[i] < vals[j] })
		if len(vals) > 1000 {
			vals = vals[:1000]
		}
		e.Send(nb, Body{Type: "gossip", Messages: vals, MsgID: e.NextMsgID()})
	}
}

// NoRetry is a broken broadcast node: it passes each new message to its
// neighbours once, acknowledges at once, and keeps nothing on disk. A
// message lost to a partition, to loss or to a crash is never sent again,
// so some node never learns it; the broadcast checker finds it.
type NoRetry struct {
	seen      map[int64]bool
	sorted    []int64
	neighbors []string
}

func (n *NoRetry) Start(e *Env) {
	n.seen = map[int64]bool{}
	for _, id := range e.Nodes() {
		if id != e.ID() {
			n.neighbors = append(n.neighbors, id)
		}
	}
}

func (n *NoRetry) Receive(e *Env, m Message) {
	switch m.Body.Type {
	case "topology":
		if nbs, ok := m.Body.Topology[e.ID()]; ok {
			n.neighbors = nbs
		}
		e.Reply(m, Body{Type: "topology_ok"})
	case "read":
		e.Reply(m, Body{Type: "read_ok", Messages: n.sorted})
	case "broadcast", "gossip":
		v := m.Body.Message
		if m.Body.Type == "broadcast" {
			e.Reply(m, Body{Type: "broadcast_ok"})
		}
		if n.seen[v] {
			return
		}
		n.seen[v] = true
		n.sorted = insert(n.sorted, v)
		for _, nb := range n.neighbors {
			if nb != m.Src {
				e.Send(nb, Body{Type: "gossip", Message: v})
			}
		}
	}
}
