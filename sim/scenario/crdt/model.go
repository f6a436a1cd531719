package crdt

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sort"
	"strconv"
	"time"

	"dsim/sim"
	"dsim/sim/dist"
	"dsim/sim/net"
	"dsim/sim/viz"
)

// replica is one node: its state, the naive set run beside a set type
// (fed the same operations, gossiped the same way), and the deltas of its
// operations since its last gossip round.
type replica struct {
	id    net.Node
	index int
	name  string
	state State
	naive *NaiveSet
	// pending[k] holds the deltas of this replica's own operations that
	// replica k has not acknowledged; version[k] counts changes to it.
	pending []State
	version []int
	rounds  int
	seq     int
	rng     *rand.Rand
}

// gossip is a message: a state (or a delta group) and the naive shadow.
// A delta group carries its version, which the receiver acknowledges.
type gossip struct {
	state   State
	naive   *NaiveSet
	from    int
	version int // 0: a full state, not acknowledged
}

type ack struct{ from, version int }

// write is an LWW write as the checker sees it.
type write struct {
	at    sim.Time
	key   string
	value string
	stamp Stamp
}

type run struct {
	cfg      Config
	s        *sim.Sim
	n        *net.Network
	reps     []*replica
	res      *Result
	lastOp   sim.Time
	opsDone  int
	writes   []write
	rOps     *rand.Rand
	shadowed bool
}

// Run validates cfg and runs it until the replicas converge after the
// last operation, or MaxTime after it.
func Run(cfg Config) (*Result, error) { return RunContext(context.Background(), cfg) }

// RunContext is Run, stopping early with ctx's error when it is cancelled.
func RunContext(ctx context.Context, cfg Config) (*Result, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	script := cfg.Script
	if len(script) == 0 {
		script = randomOps(cfg)
	}
	sort.SliceStable(script, func(i, j int) bool { return script[i].At < script[j].At })
	last := sim.FromDuration(script[len(script)-1].At)
	s := sim.New(sim.Config{Seed: cfg.Seed, Horizon: last + sim.FromDuration(cfg.MaxTime)})
	lat := dist.AsDuration(dist.LogNorm(cfg.NetworkDelay.Seconds(), 0.3))
	if cfg.NetworkDelay == 0 {
		lat = dist.AsDuration(dist.Const(0))
	}
	n, err := net.New(s, net.Config{Latency: lat, Loss: cfg.Loss})
	if err != nil {
		return nil, fmt.Errorf("crdt: %v", err)
	}
	r := &run{cfg: cfg, s: s, n: n, lastOp: last, rOps: s.Rand("crdt/ops"),
		shadowed: cfg.Type == ORSetType || cfg.Type == TwoPSetType || cfg.Type == GSetType}
	r.res = newResult(cfg, last)
	var left, right []string
	for i := 0; i < cfg.Replicas; i++ {
		name := fmt.Sprintf("r%d", i+1)
		id, _ := n.Add(name, "", nil)
		st, _ := New(cfg.Type)
		rep := &replica{id: id, index: i, name: name, state: st, naive: NewNaiveSet(), rng: s.Rand("crdt/" + name),
			pending: make([]State, cfg.Replicas), version: make([]int, cfg.Replicas)}
		for k := range rep.pending {
			rep.pending[k], _ = New(cfg.Type)
		}
		n.Handle(id, func(m net.Message) { r.receive(rep, m) })
		if cfg.ClockSkew > 0 {
			off := -cfg.ClockSkew + time.Duration(float64(2*cfg.ClockSkew)*float64(i)/float64(cfg.Replicas-1))
			n.SetClock(id, off, 0)
		}
		r.reps = append(r.reps, rep)
		if i < cfg.Replicas/2 {
			left = append(left, name)
		} else {
			right = append(right, name)
		}
	}
	if cfg.Partition {
		if err := n.Schedule(net.Fault{Kind: net.FaultPartition, Window: sim.Window{Start: cfg.PartitionStart, Duration: cfg.PartitionDuration}, Sides: [][]string{left, right}}); err != nil {
			return nil, fmt.Errorf("crdt: %v", err)
		}
	}
	for _, op := range script {
		op := op
		s.At(sim.FromDuration(op.At), func() { r.apply(op) })
	}
	if cfg.GossipPeriod > 0 {
		period := sim.FromDuration(cfg.GossipPeriod)
		for _, rep := range r.reps {
			rep := rep
			var tick func()
			tick = func() {
				r.round(rep)
				s.After(period, tick)
			}
			// Rounds start at a random phase, so replicas do not gossip in step.
			s.After(sim.Time(rep.rng.Int64N(int64(period)))+1, tick)
		}
	}
	window := sim.FromDuration(cfg.Window)
	var sample func()
	sample = func() {
		r.sample()
		s.After(window, sample)
	}
	s.At(0, sample)
	if err := s.Run(ctx); err != nil {
		return nil, fmt.Errorf("crdt: %w", err)
	}
	r.finish()
	return r.res, nil
}

// randomOps draws the random operations: Poisson times, random replicas,
// growing operations with probability AddRatio.
func randomOps(cfg Config) []Op {
	rng := sim.Stream(cfg.Seed, "crdt/workload")
	ks := kinds(cfg.Type)
	var ops []Op
	at := time.Duration(0)
	for i := 0; i < cfg.Operations; i++ {
		at += time.Duration(rng.ExpFloat64() / cfg.OpRate * float64(time.Second))
		kind := ks[0]
		if len(ks) > 1 && rng.Float64() >= cfg.AddRatio {
			kind = ks[1]
		}
		ops = append(ops, Op{At: at, Replica: rng.IntN(cfg.Replicas), Kind: kind,
			Elem: "e" + strconv.Itoa(rng.IntN(cfg.Elements)+1), Value: "v" + strconv.Itoa(i+1)})
	}
	return ops
}

// apply performs an operation at its replica (if the replica is up) and
// keeps its delta for the next gossip round.
func (r *run) apply(op Op) {
	rep := r.reps[op.Replica]
	rep.seq++
	now := r.s.Now()
	stamp := Stamp{Clock: int64(r.n.Clock(rep.id)), Replica: rep.name}
	amount := int64(1)
	if v, err := strconv.ParseInt(op.Value, 10, 64); err == nil && op.Value != "" {
		amount = v
	}
	var d State
	switch x := rep.state.(type) {
	case *GCounter:
		d = x.Inc(rep.name, amount)
	case *PNCounter:
		if op.Kind == "dec" {
			amount = -amount
		}
		d = x.Add(rep.name, amount)
	case *GSet:
		d = x.Add(op.Elem)
	case *TwoPSet:
		if op.Kind == "remove" {
			d = x.Remove(op.Elem)
		} else {
			d = x.Add(op.Elem)
		}
	case *ORSet:
		if op.Kind == "remove" {
			d = x.Remove(op.Elem)
		} else {
			d = x.Add(op.Elem, fmt.Sprintf("%s.%d", rep.name, rep.seq))
		}
	case *NaiveSet:
		if op.Kind == "remove" {
			d = x.Remove(op.Elem)
		} else {
			d = x.Add(op.Elem)
		}
	case *LWWRegister:
		d = x.Set(op.Value, stamp)
		r.writes = append(r.writes, write{at: now, value: op.Value, stamp: stamp})
	case *LWWMap:
		if op.Kind == "delete" {
			d = x.Delete(op.Elem, stamp)
		} else {
			d = x.Set(op.Elem, op.Value, stamp)
		}
		r.writes = append(r.writes, write{at: now, key: op.Elem, value: op.Value, stamp: stamp})
	case *MVRegister:
		d = x.Set(rep.name, op.Value)
	}
	if r.shadowed {
		if op.Kind == "remove" {
			rep.naive.Remove(op.Elem)
		} else {
			rep.naive.Add(op.Elem)
		}
	}
	if r.cfg.Delta {
		for k, p := range rep.pending {
			if k != rep.index {
				p.Merge(d)
				rep.version[k]++
			}
		}
	}
	r.res.Ops++
	r.opsDone++
	if p := r.cfg.MergeProbability; p > 0 && rep.rng.Float64() < p {
		r.send(rep, r.peer(rep), rep.state, 0)
	}
	r.checkConverged()
}

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
func (r *run) round(rep *replica) {
	rep.rounds++
	perm := rep.rng.Perm(len(r.reps) - 1)
	for _, k := range perm[:r.cfg.Fanout] {
		to := r.other(rep, k)
		if !r.cfg.Delta || rep.rounds%r.cfg.FullEvery == 0 {
			r.send(rep, to, rep.state, 0)
		} else if rep.version[to.index] > 0 {
			r.send(rep, to, rep.pending[to.index], rep.version[to.index])
		}
	}
}

func (r *run) send(from, to *replica, st State, version int) {
	g := gossip{state: st.Clone(), from: from.index, version: version}
	if r.shadowed {
		g.naive = from.naive.Clone().(*NaiveSet)
	}
	if r.n.Send(from.id, to.id, "gossip", g) {
		r.res.Messages++
		r.res.Bytes += int64(g.state.Size())
	}
}

func (r *run) receive(rep *replica, m net.Message) {
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
	}
	rep.state.Merge(g.state)
	if g.naive != nil {
		rep.naive.Merge(g.naive)
	}
	r.res.Merges++
	r.checkConverged()
}

// distinct counts the different states among the replicas.
func (r *run) distinct() int {
	seen := map[string]bool{}
	for _, rep := range r.reps {
		seen[rep.state.String()] = true
	}
	return len(seen)
}

// checkConverged ends the run at the first moment after the last
// operation when every replica holds the same state: from then on merges
// cannot change anything.
func (r *run) checkConverged() {
	if r.opsDone < r.res.planned || r.distinct() > 1 {
		return
	}
	if r.shadowed {
		v := r.reps[0].naive.String()
		for _, rep := range r.reps[1:] {
			if rep.naive.String() != v {
				return
			}
		}
	}
	r.res.Converged = true
	r.res.ConvergedAt = r.s.Now()
	r.sample()
	r.s.Stop()
}

func (r *run) sample() {
	now := r.s.Now()
	var size, tomb int
	for _, rep := range r.reps {
		size += rep.state.Size()
		tomb += rep.state.Tombstones()
	}
	r.res.Divergence.Add(now, float64(r.distinct()))
	r.res.StateSize.Add(now, float64(size)/float64(len(r.reps)))
	r.res.TombstoneCount.Add(now, float64(tomb)/float64(len(r.reps)))
}

// finish fills the result from the final states.
func (r *run) finish() {
	res := r.res
	res.End = r.s.Now()
	res.Network = r.n.Stats()
	res.Events = r.s.Events()
	res.Spans = viz.FaultSpans(r.n.Faults(), res.End)
	for _, rep := range r.reps {
		fs := FinalState{Replica: rep.name, Value: rep.state.Value(), Size: rep.state.Size(), Tombstones: rep.state.Tombstones(), State: rep.state.String()}
		if r.shadowed {
			fs.Naive = rep.naive.Value()
		}
		res.Final = append(res.Final, fs)
	}
	if r.shadowed {
		res.Resurrected = resurrected(r.reps[0].state, r.reps[0].naive)
	}
	res.LostWrites, res.LostExample = lostWrites(r.writes, r.reps[0].state)
}

// resurrected lists the elements the naive set holds and the CRDT does
// not: removed, and brought back by a merge.
func resurrected(s State, naive *NaiveSet) []string {
	var out []string
	for _, e := range sortedKeys(naive.elems) {
		has := false
		switch x := s.(type) {
		case *ORSet:
			has = x.Has(e)
		case *TwoPSet:
			has = x.Has(e)
		case *GSet:
			has = x.Has(e)
		}
		if !has {
			out = append(out, e)
		}
	}
	return out
}

// lostWrites counts LWW writes that lost to a write made earlier in real
// time on the same key: each was acknowledged by its replica, and is gone
// once the earlier write's larger stamp reaches it. With synchronised
// clocks a later write always has the larger stamp and none is lost.
func lostWrites(ws []write, _ State) (int, string) {
	best := map[string]write{}
	lost, example := 0, ""
	for _, w := range ws { // in real-time order
		b, seen := best[w.key]
		if seen && w.stamp.Less(b.stamp) {
			lost++
			if example == "" {
				example = fmt.Sprintf("%s=%s, written by %s at %v, lost to %s=%s written by %s %v earlier with a clock %v ahead",
					or(w.key, "register"), w.value, w.stamp.Replica, w.at, or(b.key, "register"), b.value, b.stamp.Replica,
					w.at-b.at, sim.Time(b.stamp.Clock-int64(b.at))-sim.Time(w.stamp.Clock-int64(w.at)))
			}
			continue
		}
		best[w.key] = w
	}
	return lost, example
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
