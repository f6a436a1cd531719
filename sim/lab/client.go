package lab

import (
	"fmt"
	"math/rand/v2"
	"slices"

	"dsim/sim"
	"dsim/sim/net"
)

// client is one of the workload's clients: it sends requests to its node,
// waits for the answer or a timeout, and records both in the history.
type client struct {
	c       *cluster
	idx     int
	id      string
	addr    net.Node
	node    int // the node it talks to
	rng     *rand.Rand
	nextID  int64
	pending map[int64]*pendingOp
	spare   []*pendingOp // ended, for the next requests
	next    func()       // the closed loop's next request
	// state the workloads keep per client
	seen     map[string]int64 // lin-kv: last value seen per key; kafka: next offset to poll
	consumed map[string]int64 // kafka: highest offset polled per key
}

// pendingOp is a request waiting for its answer. Its request is the body
// of its invoke event. A client reuses the pendingOps of ended requests,
// each with its timeout bound once.
type pendingOp struct {
	cl     *client
	id     int64
	invoke int
	node   int
	timer  sim.Timer
	then   func(Event) // called with the completion; nil for the workload's ordinary requests
	expire func()      // timeout, bound once
}

func (p *pendingOp) timeout() { p.cl.complete(p.id, Info, Body{}) }

func (cl *client) pendingOp() *pendingOp {
	if n := len(cl.spare); n > 0 {
		p := cl.spare[n-1]
		cl.spare = cl.spare[:n-1]
		return p
	}
	p := &pendingOp{cl: cl}
	p.expire = p.timeout
	return p
}

func newClient(c *cluster, i int, id string, a net.Node) *client {
	cl := &client{c: c, idx: i, id: id, addr: a, node: i % len(c.nodes), rng: c.s.Rand("lab/client/" + id),
		pending: map[int64]*pendingOp{}, seen: map[string]int64{}, consumed: map[string]int64{}}
	cl.next = cl.issue
	return cl
}

// think is a closed-loop client's pause between requests: exponential,
// with the mean that gives the test's Rate over all clients.
func (cl *client) think() sim.Time {
	mean := float64(cl.c.t.Clients) / cl.c.t.Rate
	return sim.Seconds(cl.rng.ExpFloat64() * mean)
}

func (cl *client) start() {
	if !cl.c.t.Open {
		cl.c.s.After(cl.think(), cl.next)
	}
}

// issue sends the workload's next request, if the workload is still on.
func (cl *client) issue() {
	c := cl.c
	if c.s.Now() >= c.end || c.err != nil {
		return
	}
	cl.request(c.wl.next(cl), cl.node, false, nil)
}

// startOpenLoop makes requests arrive at the test's Rate, a Poisson
// stream, each to the next client in turn, busy or not.
func (c *cluster) startOpenLoop() {
	r := c.s.Rand("lab/arrivals")
	turn := 0
	var arrive func()
	arrive = func() {
		if c.s.Now() >= c.end || c.err != nil {
			return
		}
		c.clients[turn%len(c.clients)].issue()
		turn++
		c.s.After(sim.Seconds(r.ExpFloat64()/c.t.Rate), arrive)
	}
	c.s.After(sim.Seconds(r.ExpFloat64()/c.t.Rate), arrive)
}

// request sends body to node, recording the invoke; then (if set) gets
// the completion instead of the closed loop.
func (cl *client) request(body Body, node int, final bool, then func(Event)) {
	c := cl.c
	if len(c.hist.Events) >= 2*c.t.Limits.MaxOps {
		c.fail(&Error{Seed: c.t.Seed, At: c.s.Now(), Err: fmt.Errorf("%w: %d operations in the history (Limits.MaxOps)", ErrLimit, c.t.Limits.MaxOps)})
		return
	}
	cl.nextID++
	body.MsgID = cl.nextID
	e := c.nodes[node]
	inv := c.record(Event{Type: Invoke, Client: cl.id, Node: e.id, F: body.Type, Body: body, Pair: -1, Final: final})
	p := cl.pendingOp()
	p.id, p.invoke, p.node, p.then = body.MsgID, inv, node, then
	p.timer = c.s.After(sim.FromDuration(c.t.Timeout), p.expire)
	cl.pending[p.id] = p
	c.asked[node]++
	if !c.count() {
		return
	}
	c.post(cl.addr, e.addr, &body)
}

// receive takes a node's reply.
func (cl *client) receive(m net.Message) {
	c := cl.c
	if c.err != nil {
		return
	}
	pc := m.Body.(*parcel)
	body := pc.Body
	c.unwrap(pc)
	b := &body
	from := c.names[m.From]
	p := cl.pending[b.InReplyTo]
	if p == nil {
		if b.InReplyTo > cl.nextID || b.InReplyTo <= 0 {
			c.failNode(c.nodes[m.From], fmt.Errorf("%w: %s sent %s a %s in reply to msg_id %d, which %s never sent", ErrMalformed, from, cl.id, b.Type, b.InReplyTo, cl.id))
		}
		return // a late or second answer to a request already over
	}
	if req := c.hist.Events[p.invoke].F; b.Type != "error" && !okOf(b.Type, req) {
		c.failNode(c.nodes[m.From], fmt.Errorf("%w: %s answered %s's %s (msg_id %d) with %s; expected %s_ok or error", ErrMalformed, from, cl.id, req, p.id, b.Type, req))
		return
	}
	t := OK
	if b.Type == "error" {
		t = Info
		if Definite(b.Code) {
			t = Fail
		}
	}
	c.answer[p.node]++
	cl.complete(b.InReplyTo, t, *b)
}

// okOf reports whether typ is req+"_ok", without building that string
// for every reply.
func okOf(typ, req string) bool {
	return len(typ) == len(req)+3 && typ[:len(req)] == req && typ[len(req):] == "_ok"
}

// complete ends a pending request: its completion goes to the history,
// and the client moves on.
func (cl *client) complete(id int64, t EventType, reply Body) {
	c := cl.c
	p := cl.pending[id]
	if p == nil || c.err != nil {
		return
	}
	delete(cl.pending, id)
	p.timer.Stop()
	invoke, then := p.invoke, p.then
	p.then, p.timer = nil, sim.Timer{}
	cl.spare = append(cl.spare, p)
	inv := c.hist.Events[invoke]
	ev := c.record(Event{Type: t, Client: cl.id, Node: inv.Node, F: inv.F, Body: reply, Pair: invoke, Final: inv.Final})
	c.hist.Events[invoke].Pair = ev
	done := c.hist.Events[ev]
	c.wl.observe(cl, inv.Body, done)
	if then != nil {
		then(done)
		return
	}
	if !c.t.Open {
		c.s.After(cl.think(), cl.next)
	}
}

func (c *cluster) record(e Event) int {
	e.Index = len(c.hist.Events)
	e.Time = c.s.Now()
	c.hist.Events = append(c.hist.Events, e)
	return e.Index
}

// closeOpen ends the requests still pending when the run stopped: info.
func (c *cluster) closeOpen() {
	for _, cl := range c.clients {
		ids := make([]int64, 0, len(cl.pending))
		for id := range cl.pending {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		for _, id := range ids {
			p := cl.pending[id]
			p.then = func(Event) {}
			cl.complete(id, Info, Body{})
		}
	}
}
