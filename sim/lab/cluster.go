package lab

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"time"

	"dsim/sim"
	"dsim/sim/net"
)

// cluster is one run: the engine, the network, the nodes, the clients.
type cluster struct {
	t        Test
	s        *sim.Sim
	n        *net.Network
	wl       workload
	nodes    []*Env
	nodeIDs  []string
	clients  []*client
	addr     map[string]net.Node
	names    []string // by net.Node
	clientOf []*client
	hist     History
	faults   Schedule
	parcels  []*parcel // free ones (wire.go)

	mon     Monitor // Test.Monitor's, or nil
	cur     *Env    // the node whose step is running
	err     *Error
	sent    int64
	end     sim.Time // the workload's end: clients stop, faults have healed
	finalAt sim.Time // the final reads start
	done    bool     // the final reads are done

	clockBase []clock
	clockOn   [][]clockFault
	slow      [][]time.Duration

	values int64 // the workload's unique values so far
	asked  []int // requests sent to each node
	answer []int // ... of which a node answered
}

type clock struct {
	offset time.Duration
	drift  float64
}

// newCluster builds the run of a test with defaults filled and checked,
// on memory from sc when sc is not nil.
func newCluster(t Test, sc *scratch) (*cluster, error) {
	c := &cluster{t: t, wl: workloads[t.Workload](), addr: map[string]net.Node{}}
	c.end = sim.FromDuration(t.Duration)
	c.finalAt = c.end + sim.FromDuration(t.Recovery)
	horizon := c.finalAt + sim.FromDuration(max(30*time.Second, 20*t.Timeout))
	c.s = sim.New(sim.Config{Seed: t.Seed, Horizon: horizon, MaxEvents: t.Limits.MaxEvents})
	n, err := net.New(c.s, net.Config{Latency: t.Latency, Loss: t.Loss, Duplicate: t.Duplicate, TraceLimit: t.Limits.Trace, Streams: "lab/net", LinkStreams: true})
	if err != nil {
		return nil, fmt.Errorf("lab: %v", err)
	}
	c.n = n
	if t.Monitor != nil {
		c.mon = t.Monitor()
	}
	c.hist.Workload = t.Workload
	// Events are large (a body each): growing the slice by doubling would
	// copy them over and over, so it starts at about the size it ends.
	expect := 2 * (int(1.1*t.Rate*t.Duration.Seconds()) + 16*(t.Nodes+t.Keys) + 64)
	c.hist.Events = sc.takeEvents(min(expect, 2*t.Limits.MaxOps))
	if sc != nil {
		c.hist.spare, sc.ops = sc.ops, nil
		c.parcels, sc.parcels = sc.parcels, nil
	}
	c.nodeIDs = t.nodeIDs()
	for i, id := range c.nodeIDs {
		a, err := n.Add(id, "nodes", nil)
		if err != nil {
			return nil, err
		}
		e := &Env{c: c, id: id, idx: i, addr: a, rng: c.s.Rand("lab/node/" + id), up: true}
		e.store = newStore(e, sc.takeStore(i))
		n.Handle(a, func(m net.Message) { c.deliver(e, m) })
		c.nodes = append(c.nodes, e)
		c.addr[id] = a
	}
	for i := 0; i < t.Clients; i++ {
		id := fmt.Sprintf("c%d", i)
		a, err := n.Add(id, "clients", nil)
		if err != nil {
			return nil, err
		}
		cl := newClient(c, i, id, a)
		n.Handle(a, cl.receive)
		c.clients = append(c.clients, cl)
		c.addr[id] = a
	}
	c.names = n.Names()
	c.clientOf = make([]*client, len(c.names))
	for _, cl := range c.clients {
		c.clientOf[cl.addr] = cl
	}
	c.asked, c.answer = make([]int, len(c.nodes)), make([]int, len(c.nodes))
	c.setClocks()
	c.faults = t.schedule()
	c.slow = make([][]time.Duration, len(c.nodes))
	c.clockOn = make([][]clockFault, len(c.nodes))
	return c, nil
}

// setClocks gives each node its clock's offset and drift, drawn from the
// test's bounds.
func (c *cluster) setClocks() {
	r := c.s.Rand("lab/clocks")
	c.clockBase = make([]clock, len(c.nodes))
	for i, e := range c.nodes {
		var k clock
		if c.t.ClockSkew > 0 {
			k.offset = time.Duration((2*r.Float64() - 1) * float64(c.t.ClockSkew))
		}
		if c.t.ClockDrift > 0 {
			k.drift = (2*r.Float64() - 1) * c.t.ClockDrift
		}
		c.clockBase[i] = k
		c.n.SetClock(e.addr, k.offset, k.drift)
	}
}

// run starts the nodes, the clients and the faults, and runs to the end
// of the final reads.
func (c *cluster) run(ctx context.Context) error {
	for _, e := range c.nodes {
		e.node = c.t.New()
		if e.node == nil {
			return c.nodeError(e, fmt.Errorf("New returned a nil Node"))
		}
		c.s.At(0, func() { c.call(e, "Start", func() { e.node.Start(e) }) })
	}
	c.s.At(0, func() { c.wl.setup(c) })
	for _, cl := range c.clients {
		cl.start()
	}
	if c.t.Open {
		c.startOpenLoop()
	}
	for i := range c.faults {
		c.scheduleFault(&c.faults[i])
	}
	c.s.At(c.finalAt, func() { c.wl.final(c, func() { c.done = true; c.s.Stop() }) })
	err := c.s.Run(ctx)
	if c.err != nil {
		return c.err
	}
	if err != nil {
		var se *sim.Error
		if errors.Is(err, sim.ErrInterrupted) {
			return fmt.Errorf("lab: run stopped at t=%v: %w", c.s.Now(), err)
		}
		if errors.As(err, &se) {
			who := ""
			if c.cur != nil {
				who = c.cur.id
			}
			return &Error{Node: who, Seed: se.Seed, At: se.At, Err: se.Err, Stack: se.Stack}
		}
		return err
	}
	c.closeOpen()
	return c.silent()
}

// silent names a node that never answered a client, though asked often.
func (c *cluster) silent() error {
	for i, e := range c.nodes {
		if c.asked[i] >= c.t.Limits.MinAnswers && c.answer[i] == 0 {
			return &Error{Node: e.id, Seed: c.t.Seed, At: c.s.Now(),
				Err: fmt.Errorf("%w: %d requests from clients went to it and none got a reply", ErrSilent, c.asked[i])}
		}
	}
	return nil
}

// deliver hands a message to a node, or holds it while the node sleeps.
func (c *cluster) deliver(e *Env, m net.Message) {
	if c.err != nil {
		return
	}
	if e.asleep() {
		if len(e.held) >= c.t.Limits.MaxBacklog {
			e.dropped++
			return
		}
		mm := m // a copy, so that m itself does not escape on every delivery
		e.hold(held{msg: &mm, why: "Receive"})
		return
	}
	c.receive(e, m)
}

func (c *cluster) receive(e *Env, m net.Message) {
	p := m.Body.(*parcel)
	msg := Message{Src: c.names[m.From], Dest: e.id, Body: p.Body}
	c.unwrap(p)
	if msg.Body.InReplyTo != 0 {
		if w := e.rpcs[msg.Body.InReplyTo]; w != nil {
			delete(e.rpcs, msg.Body.InReplyTo)
			w.timer.Stop()
			reply := msg // only this branch's closure moves a copy to the heap
			c.call(e, "RPC reply", func() { w.fn(reply, true) })
			return
		}
	}
	defer c.leave(e)
	c.enter(e, "Receive", msg.Body.Type, msg.Src)
	e.node.Receive(e, msg)
}

// call runs a callback of node e as one step, or holds it while the node
// sleeps.
func (c *cluster) call(e *Env, what string, fn func()) {
	if c.err != nil {
		return
	}
	if e.asleep() {
		e.hold(held{fn: fn, why: what})
		return
	}
	defer c.leave(e)
	c.enter(e, what, "", "")
	fn()
}

func (c *cluster) enter(e *Env, what, typ, from string) {
	c.cur = e
	e.step, e.stepType, e.stepFrom = what, typ, from
	e.sends = 0
}

// abortStep unwinds a node's step once the run has failed: the node
// stops at the Env call that found the fault, so that a loop that sends
// forever (or writes, or sets timers) cannot hang the run.
type abortStep struct{}

// leave ends a step; a panic in the node's code ends the run with an
// error naming the node and what it was doing.
func (c *cluster) leave(e *Env) {
	c.cur = nil
	if r := recover(); r != nil {
		if _, ok := r.(abortStep); ok {
			return // the run's error is already set
		}
		err := c.nodeError(e, fmt.Errorf("%w in %s: %v", ErrPanic, e.doing(), r))
		err.Stack = string(debug.Stack())
		c.fail(err)
	}
}

// doing says what node e is doing: "Receive(broadcast from c1)".
func (e *Env) doing() string {
	if e.stepType != "" {
		return fmt.Sprintf("%s(%s from %s)", e.step, e.stepType, e.stepFrom)
	}
	return e.step
}

func (c *cluster) nodeError(e *Env, err error) *Error {
	return &Error{Node: e.id, Seed: c.t.Seed, At: c.s.Now(), Err: err}
}

// failNode ends the run with an error of node e.
func (c *cluster) failNode(e *Env, err error) { c.fail(c.nodeError(e, err)) }

func (c *cluster) fail(err *Error) {
	if c.err == nil {
		c.err = err
		if e := c.byID(err.Node); e != nil && len(e.logs) > 0 {
			err.Log = append([]string(nil), e.logs...)
		}
	}
	c.s.Stop()
	if c.cur != nil {
		panic(abortStep{}) // out of the node's code, back to leave
	}
}

func (c *cluster) byID(id string) *Env {
	for _, e := range c.nodes {
		if e.id == id {
			return e
		}
	}
	return nil
}

// send puts a node's message on the wire after checking it.
func (c *cluster) send(e *Env, to string, body Body) {
	if c.err != nil {
		return
	}
	if c.cur != e {
		c.failNode(e, fmt.Errorf("%w: Send to %s outside the node's own Start, Receive or callbacks", ErrMalformed, to))
		return
	}
	if body.Type == "" {
		c.failNode(e, fmt.Errorf("%w: %s sent %s a body with no Type: %v", ErrMalformed, e.doing(), to, body))
		return
	}
	dst, ok := c.addr[to]
	if !ok {
		c.failNode(e, fmt.Errorf("%w: %s sent %s to %q, which is neither a node (n0..n%d) nor a client (c0..c%d)", ErrUnknownDst, e.doing(), body.Type, to, len(c.nodes)-1, len(c.clients)-1))
		return
	}
	if c.clientOf[dst] != nil && body.InReplyTo == 0 {
		c.failNode(e, fmt.Errorf("%w: %s sent client %s a %s that answers no request (InReplyTo is 0)", ErrMalformed, e.doing(), to, body.Type))
		return
	}
	e.sends++
	if e.sends > c.t.Limits.MaxSendsPerStep {
		c.failNode(e, fmt.Errorf("%w: more than %d messages sent in one step, %s (Limits.MaxSendsPerStep)", ErrFlood, c.t.Limits.MaxSendsPerStep, e.doing()))
		return
	}
	if !c.count() {
		return
	}
	c.post(e.addr, dst, &body)
}

// count counts a message against the run's budget.
func (c *cluster) count() bool {
	c.sent++
	if c.sent > c.t.Limits.MaxMessages {
		who := ""
		if c.cur != nil {
			who = c.cur.id
		}
		c.fail(&Error{Node: who, Seed: c.t.Seed, At: c.s.Now(), Err: fmt.Errorf("%w: more than %d messages sent in the run (Limits.MaxMessages)%s", ErrFlood, c.t.Limits.MaxMessages, c.topSender())})
		return false
	}
	return true
}

// topSender names the node that sent the most messages, for a flood's
// error.
func (c *cluster) topSender() string {
	counts := make([]int, len(c.names))
	trace, _ := c.n.Trace()
	for _, r := range trace {
		counts[r.From]++
	}
	best := -1
	for i, n := range counts {
		if best < 0 || n > counts[best] {
			best = i
		}
	}
	if best < 0 || counts[best] == 0 {
		return ""
	}
	return fmt.Sprintf("; %s sent %d of the first %d", c.names[best], counts[best], len(trace))
}

// asleep: crashed or paused, so its work waits.
func (e *Env) asleep() bool { return !e.up || e.paused > 0 }

func (e *Env) hold(h held) { e.held = append(e.held, h) }

// wake does the work a node held while it slept, in order, as one event.
func (c *cluster) wake(e *Env) {
	if e.asleep() || len(e.held) == 0 {
		return
	}
	life := e.life
	c.s.After(0, func() {
		if e.life != life {
			return
		}
		for len(e.held) > 0 && !e.asleep() && c.err == nil {
			h := e.held[0]
			e.held[0] = held{}
			e.held = e.held[1:]
			if h.msg != nil {
				c.receive(e, *h.msg)
			} else {
				c.call(e, h.why, h.fn)
			}
		}
	})
}

// crash stops node e; without keep it loses its memory.
func (c *cluster) crash(e *Env, keep bool) {
	e.crashes++
	if e.crashes > 1 {
		if !keep && e.node != nil {
			c.forget(e)
		}
		return
	}
	e.up = false
	c.n.Crash(e.addr)
	if !keep {
		c.forget(e)
	}
}

// forget throws away a node's volatile state: its value, its timers (the
// life they belong to ends), its pending RPCs, its held work and its
// writes not yet durable.
func (c *cluster) forget(e *Env) {
	e.life++
	e.node = nil
	e.rpcs = nil
	e.held = nil
	e.store.lose()
}

func (c *cluster) restart(e *Env) {
	if e.crashes--; e.crashes > 0 {
		return
	}
	e.up = true
	c.n.Restart(e.addr)
	if e.node == nil {
		e.node = c.t.New()
		if e.node == nil {
			c.failNode(e, fmt.Errorf("New returned a nil Node at a restart"))
			return
		}
		c.call(e, "Start", func() { e.node.Start(e) })
	}
	c.wake(e)
}
