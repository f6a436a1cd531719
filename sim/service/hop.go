package service

import (
	"fmt"
	"math/rand/v2"
	"time"

	"dsim/sim"
	"dsim/sim/dist"
	"dsim/sim/metrics"
	"dsim/sim/net"
)

// Hop is a network crossing between a caller and Target: the call goes
// one way and its answer comes back, each after its own delay, and either
// may be lost. A direct hop draws each delay from Latency and loses each
// message with probability Loss. A hop with Across set instead sends both
// as messages on the system's network (System.UseNetwork) between two
// nodes it adds there, in the groups Across names, so the network's
// latencies, loss, partitions and crashes apply.
//
// A lost message is not noticed by anyone: with a Timeout, the hop
// answers a call that has had no answer for that long as lost (a
// connection timeout), and abandons what is still below; without one, the
// caller's own timeout must notice, and the lost call stays held.
//
// Random streams (direct hops): NAME/latency, NAME/loss (Loss > 0).
type Hop struct {
	Name    string
	Target  string
	Latency dist.Dist // one way; nil is no delay
	Loss    float64   // the probability that a message is lost, each way, in [0, 1)
	Timeout time.Duration
	// Across names the groups of the caller's side and Target's side on
	// the system's network; empty for a direct hop.
	Across [2]string

	HopStats
	part
	target      node
	latR, lossR *rand.Rand
	timeout     sim.Time
	pending     ring[expiry]
	timer       sim.Timer
	expireFn    func()
	net         *net.Network
	near, far   net.Node
}

// HopStats is what a Hop measured.
type HopStats struct {
	Calls    *metrics.Rate // calls that came
	Lost     *metrics.Rate // messages lost, either way
	TimedOut *metrics.Rate // calls the hop answered as lost
	// RoundTrip is from a call's arrival to its answer's return.
	RoundTrip *metrics.Latency
}

// A hop's held call moves through legs, kept in its counter n.
const (
	legOut  = iota // the call is on its way to Target
	legAt          // Target holds it (its child call is c.a1)
	legBack        // the answer is on its way back; the status waits in c.delay
	legDone        // answered by the timeout
)

func (*Hop) Kind() string                { return "Hop" }
func (h *Hop) ID() string                { return h.Name }
func (h *Hop) wiredTo() (string, string) { return "Target", h.Target }
func (h *Hop) targets() []string         { return []string{h.Target} }

func (h *Hop) validate() error {
	switch {
	case !(h.Loss >= 0 && h.Loss < 1):
		return bad(h, "Loss", h.Loss, "must be a probability in [0, 1)")
	case h.Timeout < 0 || h.Timeout > time.Hour:
		return bad(h, "Timeout", h.Timeout, "must be between 0 (none) and 1h")
	case h.crosses() && h.sys.network == nil:
		return bad(h, "Across", fmt.Sprintf("%q", h.Across), "the system has no network: give it one with UseNetwork")
	case h.crosses() && (h.Latency != nil || h.Loss != 0):
		return bad(h, "Latency", h.Latency, "a hop across the network takes the network's latency and loss: leave Latency and Loss empty")
	}
	return checkDuration(h, "Latency", h.Latency, false)
}

func (h *Hop) crosses() bool { return h.Across != [2]string{} }

func (h *Hop) start() {
	sys := h.sys
	w := sys.window
	h.Calls = metrics.NewRate(h.Name+" calls", w)
	h.Lost = metrics.NewRate(h.Name+" lost", w)
	h.TimedOut = metrics.NewRate(h.Name+" timed out", w)
	h.RoundTrip = metrics.NewLatency(h.Name+" round trip", w)
	h.target = sys.node(h.Target)
	h.timeout = sim.FromDuration(h.Timeout)
	h.expireFn = h.expire
	if h.crosses() {
		h.net = sys.net
		h.near, _ = h.net.Lookup(h.Name + "/near")
		h.far, _ = h.net.Lookup(h.Name + "/far")
		deliver := h.deliver
		h.net.Handle(h.near, deliver)
		h.net.Handle(h.far, deliver)
		return
	}
	h.latR = sys.rand(h.Name + "/latency")
	if h.Loss > 0 {
		h.lossR = sys.rand(h.Name + "/loss")
	}
}

func (h *Hop) up() bool { return true }

func (h *Hop) accept(c *call) {
	now := h.sys.sim.Now()
	h.Calls.Add(now, 1)
	c.n, c.a1 = legOut, nil
	if h.timeout > 0 {
		h.pending.push(expiry{c, c.gen})
		if !h.timer.Pending() {
			h.timer = h.sys.sim.At(now+h.timeout, h.expireFn)
		}
	}
	h.send(c, h.near, h.far)
}

// send puts c's next leg on its way.
func (h *Hop) send(c *call, from, to net.Node) {
	if h.net != nil {
		if h.net.Send(from, to, "call", c) {
			c.msg = h.net.Stats().Sent // the message's ID: a stale delivery is told apart
		}
		return
	}
	if h.lossR != nil && h.lossR.Float64() < h.Loss {
		h.Lost.Add(h.sys.sim.Now(), 1)
		return
	}
	var d sim.Time
	if h.Latency != nil {
		d = dist.Time(h.Latency, h.latR)
	}
	c.after(h, d)
}

// deliver is a message arriving at one of the hop's nodes.
func (h *Hop) deliver(m net.Message) {
	c := m.Body.(*call)
	if c.msg != m.ID {
		return // the call was answered by the timeout and may be another's now
	}
	h.fired(c)
}

// fired is a leg's arrival.
func (h *Hop) fired(c *call) {
	switch c.n {
	case legOut:
		c.n = legAt
		d := h.sys.newCall(c, h)
		c.a1 = d
		h.target.accept(d)
	case legBack:
		now := h.sys.sim.Now()
		h.RoundTrip.Record(now, now-c.start)
		c.n = legDone
		c.answer(status(c.delay))
	}
}

// answered is Target's answer: it goes back.
func (h *Hop) answered(d *call) {
	c, st, gone := d.parent, d.status, d.gaveUp
	h.sys.release(d)
	if gone {
		return // the timeout answered its call already
	}
	c.a1, c.n, c.delay = nil, legBack, sim.Time(st)
	h.send(c, h.far, h.near)
}

// expire answers as lost the calls that have had no answer for Timeout.
func (h *Hop) expire() {
	now := h.sys.sim.Now()
	for h.pending.size > 0 {
		e := h.pending.front()
		if e.c.gen != e.gen || e.c.from == nil || e.c.n == legDone {
			h.pending.pop()
			continue
		}
		if due := e.c.start + h.timeout; due > now {
			h.timer = h.sys.sim.At(due, h.expireFn)
			return
		}
		h.pending.pop()
		c := e.c
		if c.n == legAt {
			c.a1.abandon()
		} else {
			c.timer.Stop()
		}
		c.n, c.msg = legDone, 0
		h.TimedOut.Add(now, 1)
		c.answer(lost)
	}
}

func (h *Hop) close(end sim.Time) {
	h.Calls.Close(end)
	h.Lost.Close(end)
	h.TimedOut.Close(end)
	h.RoundTrip.Close(end)
}

func (h *Hop) row(t *metrics.Table) {
	note := fmt.Sprintf("%d messages lost", h.Lost.Total())
	if h.net != nil {
		note = fmt.Sprintf("across %s -> %s", h.Across[0], h.Across[1])
	}
	t.Add(h.Name, "Hop", h.Calls.Total(), nil, nil, h.TimedOut.Total(), h.RoundTrip.Mean(), h.RoundTrip.Quantile(0.99), nil, note)
}
