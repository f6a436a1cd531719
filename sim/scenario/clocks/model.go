package clocks

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"dsim/sim"
	"dsim/sim/net"
	"dsim/sim/scenario/internal/describe"
)

// proc is a process (a replica of the register) or a client: a lane of
// the space-time diagram, with its logical clocks. Processes also have a
// physical clock: the network's, plus the correction synchronisation
// applied (adj).
type proc struct {
	index   int
	name    string
	client  bool
	id      net.Node // on the application network
	lamport int64
	vc      []int32
	adj     sim.Time
	drift   float64
	rWrite  *rand.Rand
	rSend   *rand.Rand
	writes  int64 // writes made here: the register's Seq and this replica's own version count

	reg     register   // a process's replica
	pending []*request // requests held until the replica catches up with their token
	syncID  net.Node   // on the synchronisation network
	sync    syncState

	session session // a client's
}

type run struct {
	ctx   context.Context
	cfg   Config
	s     *sim.Sim
	n     *net.Network // processes and clients
	syncN *net.Network // processes and the time server
	clock net.Node     // the time server
	procs []*proc      // processes p1..pN, then clients c1..cK
	res   *Result
	rOps  *rand.Rand
	nextW int // write numbers, from 1
}

// body is what every application message carries: the sender's logical
// clocks at the send, and one of the payloads.
type body struct {
	lamport int64
	vc      []int32
	state   *register // gossip, or a state sent to a process that pulled it
	req     *request  // a client's read or write
	rep     *reply    // a process's answer to one
	pull    bool      // a process asks for the receiver's replica
}

// Run validates cfg and runs it for Duration, or until MaxEvents events.
func Run(cfg Config) (*Result, error) { return RunContext(context.Background(), cfg) }

// RunContext is Run, stopping early with ctx's error when it is cancelled.
func RunContext(ctx context.Context, cfg Config) (*Result, error) {
	return describe.Run(ctx, cfg, Config.Validate, Config.withDefaults, execute)
}

// execute runs cfg, validated and with its defaults filled.
func execute(ctx context.Context, cfg Config) (*Result, error) {
	s := sim.New(sim.Config{Seed: cfg.Seed, Horizon: sim.FromDuration(cfg.Duration)})
	// The trace keeps every application message: each is a recorded send,
	// so MaxEvents bounds them. Synchronisation travels on a network of its
	// own, with its own streams, so turning it on leaves the application's
	// delays and losses as they were.
	n, err := net.New(s, net.Config{Latency: cfg.Latency, Loss: cfg.Loss, TraceLimit: cfg.MaxEvents + 1})
	if err != nil {
		return nil, fmt.Errorf("clocks: %v", err)
	}
	syncN, err := net.New(s, net.Config{Latency: cfg.SyncLatency, Loss: cfg.Loss, TraceLimit: -1, Streams: "sync"})
	if err != nil {
		return nil, fmt.Errorf("clocks: %v", err)
	}
	r := &run{ctx: ctx, cfg: cfg, s: s, n: n, syncN: syncN, rOps: s.Rand("clocks/ops"), res: newResult(cfg)}
	if err := r.addProcs(); err != nil {
		return nil, err
	}
	r.startWorkload()
	r.startSync()
	r.startClients()
	s.Every(0, sim.FromDuration(cfg.Window), r.sample)
	if err := s.Run(ctx); err != nil {
		return nil, fmt.Errorf("clocks: %w", err)
	}
	return r.res, r.finish()
}

// addProcs puts the processes and clients on the network, and the
// processes and the time server on the synchronisation network. Clock i
// of N starts at -Skew + 2·Skew·i/(N-1) and runs DriftPPM·(2i/(N-1) - 1)
// fast: spread evenly, the clock ahead also the fast one.
func (r *run) addProcs() error {
	cfg := r.cfg
	total := cfg.Processes + cfg.Clients
	for i := 0; i < total; i++ {
		p := &proc{index: i, client: i >= cfg.Processes, vc: make([]int32, total)}
		if p.client {
			p.name = fmt.Sprintf("c%d", i-cfg.Processes+1)
			p.session = newSession(cfg.Processes)
		} else {
			p.name = fmt.Sprintf("p%d", i+1)
			p.reg = initial(cfg.Processes)
		}
		id, err := r.n.Add(p.name, "", nil)
		if err != nil {
			return fmt.Errorf("clocks: %v", err)
		}
		p.id = id
		r.n.Handle(id, func(m net.Message) { r.deliver(p, m) })
		p.rWrite, p.rSend = r.s.Rand("clocks/"+p.name+"/writes"), r.s.Rand("clocks/"+p.name+"/messages")
		if !p.client {
			share := 0.0
			if cfg.Processes > 1 {
				share = 2*float64(i)/float64(cfg.Processes-1) - 1
			}
			p.drift = share * cfg.DriftPPM * 1e-6
			off := time.Duration(share * float64(cfg.Skew))
			if err := r.n.SetClock(id, off, p.drift); err != nil {
				return fmt.Errorf("clocks: %v", err)
			}
			if p.syncID, err = r.syncN.Add(p.name, "", func(m net.Message) { r.synced(p, m) }); err != nil {
				return fmt.Errorf("clocks: %v", err)
			}
		}
		r.procs = append(r.procs, p)
	}
	var err error
	r.clock, err = r.syncN.Add("time", "", func(m net.Message) { r.serveTime(m) })
	if err != nil {
		return fmt.Errorf("clocks: %v", err)
	}
	return nil
}

// physical reads process p's clock: the network's, corrected by the last
// synchronisation. Clients' clocks are exact.
func (r *run) physical(p *proc) sim.Time {
	if p.client {
		return r.s.Now()
	}
	return r.n.Clock(p.id) + p.adj
}

// startWorkload starts each process's writes and messages, two Poisson
// streams of their own.
func (r *run) startWorkload() {
	for _, p := range r.procs[:r.cfg.Processes] {
		r.poisson(p.rWrite, r.cfg.WriteRate, func() { r.write(p, -1) })
		r.poisson(p.rSend, r.cfg.MessageRate, func() { r.gossip(p) })
	}
}

// poisson runs fn at the given rate per second until the run ends.
func (r *run) poisson(rng *rand.Rand, rate float64, fn func()) {
	if rate == 0 {
		return
	}
	var tick func()
	tick = func() {
		if r.res.Truncated {
			return
		}
		fn()
		r.s.After(sim.Seconds(rng.ExpFloat64()/rate), tick)
	}
	r.s.After(sim.Seconds(rng.ExpFloat64()/rate), tick)
}

// room reports whether one more event may be recorded; at MaxEvents it
// stops the run there.
func (r *run) room() bool {
	if len(r.res.Events) < r.cfg.MaxEvents {
		return true
	}
	if !r.res.Truncated {
		r.res.Truncated = true
		r.s.Stop()
	}
	return false
}

// event records an event of p with its clocks as they are now (the caller
// has ticked them).
func (r *run) event(p *proc, kind EventKind, msg int64, peer int, label string) int {
	e := Event{Index: len(r.res.Events), Proc: p.index, Kind: kind, At: r.s.Now(), Clock: r.physical(p),
		Lamport: p.lamport, Vector: vector(p.vc), Msg: msg, Peer: peer, Label: label}
	r.res.Events = append(r.res.Events, e)
	return e.Index
}

// tick advances p's logical clocks for a local event or a send: Lamport's
// rule IR1 and the vector's own entry.
func tick(p *proc) {
	p.lamport++
	p.vc[p.index]++
}

// send records a send event at p and puts the message on the wire to
// process or client to. It reports false when the run has no room left.
func (r *run) send(p *proc, to int, kind string, b *body) bool {
	if !r.room() {
		return false
	}
	tick(p)
	b.lamport, b.vc = p.lamport, append([]int32(nil), p.vc...)
	r.n.Send(p.id, r.procs[to].id, kind, b)
	// The message just sent is the trace's last record: Send keeps every
	// message (TraceLimit is above MaxEvents) and none is duplicated.
	trace, _ := r.n.Trace()
	r.event(p, Send, trace[len(trace)-1].ID, to, kind)
	return true
}

// deliver is a receive event: Lamport's rule IR2 (past both the local
// clock and the message's stamp) and the vector's entrywise maximum, then
// the payload.
func (r *run) deliver(p *proc, m net.Message) {
	if !r.room() {
		return
	}
	b := m.Body.(*body)
	p.lamport = max(p.lamport, b.lamport) + 1
	for i, v := range b.vc {
		p.vc[i] = max(p.vc[i], v)
	}
	p.vc[p.index]++
	from := int(m.From)
	r.event(p, Receive, m.ID, from, m.Kind)
	switch {
	case b.state != nil:
		r.merge(p, b.state)
	case b.req != nil:
		r.request(p, from, b.req)
	case b.rep != nil:
		r.answer(p, b.rep)
	case b.pull:
		r.pulled(p, from)
	}
}

// sample records every process's clock error: its clock minus true time.
func (r *run) sample() {
	now := r.s.Now()
	for i, p := range r.procs[:r.cfg.Processes] {
		r.res.ClockError[i].Add(now, float64(r.physical(p)-now)/float64(sim.Millisecond))
	}
}

// finish fills the result: the end, the network's counts, the register's
// final values and the order of events computed from the trace.
func (r *run) finish() error {
	res := r.res
	res.End = r.s.Now()
	res.Network = r.n.Stats()
	res.SimEvents = r.s.Events()
	trace, untraced := r.n.Trace()
	if untraced > 0 {
		return fmt.Errorf("clocks: the trace lost %d messages (a bug: it keeps MaxEvents+1)", untraced)
	}
	res.Trace = append([]net.Record(nil), trace...)
	res.Lanes = r.n.Names()
	for _, p := range r.procs[:r.cfg.Processes] {
		res.Final = append(res.Final, p.reg.write)
	}
	for _, p := range r.procs[r.cfg.Processes:] {
		res.Sessions.add(p.session)
	}
	return res.analyse()
}
