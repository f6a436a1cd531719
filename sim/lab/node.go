package lab

import (
	"fmt"
	"math/rand/v2"
	"time"

	"dsim/sim"
	"dsim/sim/net"
)

// Node is the code of one node: a state machine the engine drives. Start
// runs when the node starts (at time zero, and again after a crash that
// lost its memory, on a fresh value from Test.New); Receive runs for each
// message delivered to it. Everything else a node does (send, set timers,
// write to its durable store, read its clock) goes through the Env it is
// handed, which stays the same for the node's whole life.
//
// A node's fields are its volatile state: a crash that loses memory
// throws the value away. What must survive goes to Env.Store.
//
// A Node runs on one goroutine, inside the run: it must not start
// goroutines, sleep, read the wall clock or iterate over a map where the
// order matters (sort the keys), or the same seed stops giving the same
// run.
type Node interface {
	Start(e *Env)
	Receive(e *Env, m Message)
}

// Env is a node's world: its name, its peers, its clock, its random
// stream, the network and its disk. The methods may be called only from
// inside the node's Start, Receive or a callback the Env runs.
type Env struct {
	c     *cluster
	id    string
	idx   int
	addr  net.Node
	node  Node
	rng   *rand.Rand
	store *Store

	life    int  // lives so far: a crash that loses memory starts a new one
	up      bool // not crashed
	paused  int  // pauses in force
	held    []held
	dropped int64 // messages dropped while paused, past Limits.MaxBacklog

	crashes int // crash faults in force

	nextID   int64
	rpcs     map[int64]*rpcWait
	step     string // what the node is doing now, for errors
	stepType string // ... the type of the message it handles
	stepFrom string // ... and its sender
	sends    int    // messages sent in this step
	logs     []string
}

// held is work for a paused (or frozen) node: a message or a callback,
// done in order when it wakes.
type held struct {
	msg *net.Message
	fn  func()
	why string
}

type rpcWait struct {
	fn    func(Message, bool)
	timer sim.Timer
}

// ID returns the node's name: "n0", "n1", ...
func (e *Env) ID() string { return e.id }

// Nodes returns every node's name, in order, this one included.
func (e *Env) Nodes() []string { return append([]string(nil), e.c.nodeIDs...) }

// Now reads the node's own clock: the time since the run started, as
// this node's clock has it, with its offset and drift (Test.ClockSkew,
// Test.ClockDrift and clock faults). Clocks of two nodes disagree; the
// engine's time is not available to nodes, as it would not be to a real
// process.
func (e *Env) Now() time.Duration { return e.c.n.Clock(e.addr).Duration() }

// Rand returns the node's random stream, derived from the run's seed and
// the node's name: the same seed gives the same draws. It survives
// crashes (it stands for the machine's entropy, not the process's).
func (e *Env) Rand() *rand.Rand { return e.rng }

// Store returns the node's durable store.
func (e *Env) Store() *Store { return e.store }

// Send sends a message to a node or a client. The body's Type must not be
// empty; a destination that does not exist, or more than
// Limits.MaxSendsPerStep messages in one step, ends the run with an error
// naming the node.
func (e *Env) Send(to string, body Body) { e.c.send(e, to, body) }

// Reply answers a request: body goes to the request's sender, with
// InReplyTo set to the request's MsgID.
func (e *Env) Reply(req Message, body Body) {
	body.InReplyTo = req.Body.MsgID
	e.c.send(e, req.Src, body)
}

// RPC sends a request with a fresh MsgID and calls fn once: with the
// reply (ok true) when one comes back, or with ok false when none has
// after timeout. A crash that loses memory forgets the pending calls.
// Replies that come after the timeout, and second copies of a reply, go
// to Receive.
func (e *Env) RPC(to string, body Body, timeout time.Duration, fn func(reply Message, ok bool)) {
	if timeout <= 0 {
		e.c.failNode(e, fmt.Errorf("%w: RPC to %s with timeout %v: must be positive", ErrMalformed, to, timeout))
		return
	}
	e.nextID++
	id := e.nextID
	body.MsgID = id
	if len(e.rpcs) >= e.c.t.Limits.MaxRPCs {
		e.c.failNode(e, fmt.Errorf("%w: %d RPCs waiting for replies (Limits.MaxRPCs)", ErrLimit, len(e.rpcs)))
		return
	}
	w := &rpcWait{fn: fn}
	life := e.life
	w.timer = e.c.s.After(sim.FromDuration(timeout), func() {
		if e.life != life || e.rpcs[id] != w {
			return
		}
		delete(e.rpcs, id)
		e.c.call(e, "RPC timeout", func() { fn(Message{}, false) })
	})
	if e.rpcs == nil {
		e.rpcs = map[int64]*rpcWait{}
	}
	e.rpcs[id] = w
	e.c.send(e, to, body)
}

// NextMsgID returns a fresh message ID for a request the node tracks
// itself.
func (e *Env) NextMsgID() int64 {
	e.nextID++
	return e.nextID
}

// Timer is a timer a node set; Stop cancels it.
type Timer struct {
	t sim.Timer
	p *periodic
}

type periodic struct{ stopped, held bool }

// Stop cancels the timer (a periodic one for good) and reports whether it
// was pending.
func (t Timer) Stop() bool {
	if t.p != nil {
		was := !t.p.stopped
		t.p.stopped = true
		t.t.Stop()
		return was
	}
	return t.t.Stop()
}

// After runs fn once, d from now (in the engine's time: a node's clock
// may run fast or slow, its timers do not). A crash that loses memory
// cancels it; a pause or a crash that keeps memory delays it to the wake.
func (e *Env) After(d time.Duration, fn func()) Timer {
	life := e.life
	return Timer{t: e.c.s.After(sim.FromDuration(d), func() {
		if e.life == life {
			e.c.call(e, "timer", fn)
		}
	})}
}

// Every runs fn every d, starting d from now, until the timer is stopped
// or a crash loses the node's memory. d must be positive.
func (e *Env) Every(d time.Duration, fn func()) Timer {
	if d <= 0 {
		e.c.failNode(e, fmt.Errorf("%w: Every(%v): the period must be positive", ErrMalformed, d))
		return Timer{}
	}
	life := e.life
	p := &periodic{}
	var tick, fire func()
	fire = func() { p.held = false; fn() }
	tick = func() {
		if e.life != life || p.stopped {
			return
		}
		e.c.s.After(sim.FromDuration(d), tick)
		if e.asleep() {
			// A sleeping node wakes to one tick, not to every tick it
			// slept through, as a ticker that fell behind does.
			if !p.held {
				p.held = true
				e.hold(held{fn: fire, why: "periodic timer"})
			}
			return
		}
		e.c.call(e, "periodic timer", fn)
	}
	return Timer{t: e.c.s.After(sim.FromDuration(d), tick), p: p}
}

// Logf writes a line to the node's log, stamped with the engine's time.
// The log keeps the last Limits.LogLines lines; an error report shows
// them.
func (e *Env) Logf(format string, args ...any) {
	line := fmt.Sprintf("%v %s: %s", e.c.s.Now(), e.id, fmt.Sprintf(format, args...))
	if len(e.logs) >= e.c.t.Limits.LogLines {
		copy(e.logs, e.logs[1:])
		e.logs = e.logs[:len(e.logs)-1]
	}
	e.logs = append(e.logs, line)
}

// Log returns the node's log lines, oldest first.
func (e *Env) Log() []string { return append([]string(nil), e.logs...) }
