package crdt

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sort"
	"time"

	"dsim/sim"
	"dsim/sim/net"
	"dsim/sim/scenario/internal/describe"
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
	// text and naiveText cache the canonical texts of state and naive.
	text, naiveText canon
}

type run struct {
	ctx      context.Context
	limits   limits
	cfg      Config
	s        *sim.Sim
	n        *net.Network
	reps     []*replica
	halves   [2][]*replica // the partition's sides
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
	return runWith(ctx, cfg, limits{messages: maxMessages, bytes: maxBytes, state: maxState})
}

// limits are what a run may hold and send; tests lower them to reach them.
type limits struct {
	messages, bytes int64
	state           int
}

func runWith(ctx context.Context, cfg Config, lim limits) (*Result, error) {
	return describe.Run(ctx, cfg, Config.Validate, Config.withDefaults, lim.execute)
}

// execute runs cfg, validated and with its defaults filled, within lim.
func (lim limits) execute(ctx context.Context, cfg Config) (*Result, error) {
	script := cfg.Script
	if len(script) == 0 {
		script = randomOps(cfg)
		// The drawn operations may end later than their mean.
		if err := cfg.checkSpan(script[len(script)-1].At); err != nil {
			return nil, err
		}
	} else {
		script = append([]Op(nil), script...)
	}
	sort.SliceStable(script, func(i, j int) bool { return script[i].At < script[j].At })
	last := sim.FromDuration(script[len(script)-1].At)
	s := sim.New(sim.Config{Seed: cfg.Seed, Horizon: last + sim.FromDuration(cfg.MaxTime)})
	n, err := net.New(s, net.Config{Latency: cfg.NetworkDelay, Loss: cfg.Loss})
	if err != nil {
		return nil, fmt.Errorf("crdt: %v", err)
	}
	r := &run{ctx: ctx, limits: lim, cfg: cfg, s: s, n: n, lastOp: last, rOps: s.Rand("crdt/ops"),
		shadowed: cfg.Type == ORSetType || cfg.Type == TwoPSetType || cfg.Type == GSetType}
	r.res = newResult(cfg, last)
	if err := r.addReplicas(); err != nil {
		return nil, err
	}
	for _, op := range script {
		op := op
		s.At(sim.FromDuration(op.At), func() { r.apply(op) })
	}
	r.startGossip()
	s.Every(0, sim.FromDuration(cfg.Window), r.sample)
	if err := s.Run(ctx); err != nil {
		return nil, fmt.Errorf("crdt: %w", err)
	}
	r.finish()
	return r.res, nil
}

// addReplicas puts the replicas on the network, with their clocks, and
// schedules the partition between the two halves.
func (r *run) addReplicas() error {
	cfg := r.cfg
	var left, right []string
	for i := 0; i < cfg.Replicas; i++ {
		name := fmt.Sprintf("r%d", i+1)
		id, _ := r.n.Add(name, "", nil)
		st, _ := New(cfg.Type)
		rep := &replica{id: id, index: i, name: name, state: st, naive: NewNaiveSet(), rng: r.s.Rand("crdt/" + name),
			pending: make([]State, cfg.Replicas), version: make([]int, cfg.Replicas)}
		for k := range rep.pending {
			rep.pending[k], _ = New(cfg.Type)
		}
		r.n.Handle(id, func(m net.Message) { r.receive(rep, m) })
		if cfg.ClockSkew > 0 {
			off := -cfg.ClockSkew + time.Duration(float64(2*cfg.ClockSkew)*float64(i)/float64(cfg.Replicas-1))
			r.n.SetClock(id, off, 0)
		}
		r.reps = append(r.reps, rep)
		half := 0
		if i < cfg.Replicas/2 {
			left = append(left, name)
		} else {
			right = append(right, name)
			half = 1
		}
		r.halves[half] = append(r.halves[half], rep)
	}
	if cfg.Partition.Duration == 0 {
		return nil
	}
	if err := r.n.Schedule(net.Fault{Kind: net.FaultPartition, Window: cfg.Partition, Sides: [][]string{left, right}}); err != nil {
		return fmt.Errorf("crdt: %v", err)
	}
	return nil
}

// startGossip starts each replica's anti-entropy rounds, if any.
func (r *run) startGossip() {
	if r.cfg.GossipPeriod == 0 {
		return
	}
	period := sim.FromDuration(r.cfg.GossipPeriod)
	for _, rep := range r.reps {
		rep := rep
		// Rounds start at a random phase, so replicas do not gossip in step.
		r.s.Every(r.s.Now()+sim.Time(rep.rng.Int64N(int64(period)))+1, period, func() { r.round(rep) })
	}
}

// apply performs an operation at its replica (if the replica is up) and
// keeps its delta for the next gossip round.
func (r *run) apply(op Op) {
	if r.interrupted() {
		return
	}
	rep := r.reps[op.Replica]
	rep.seq++
	now := r.s.Now()
	stamp := Stamp{Clock: int64(r.n.Clock(rep.id)), Replica: rep.name}
	var d State
	switch x := rep.state.(type) {
	case *GCounter:
		n, _ := amount(op.Value) // checked by Validate
		d = x.Inc(rep.name, n)
	case *PNCounter:
		n, _ := amount(op.Value)
		if op.Kind == "dec" {
			n = -n
		}
		d = x.Add(rep.name, n)
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
	rep.text.touch()
	if r.shadowed {
		if op.Kind == "remove" {
			rep.naive.Remove(op.Elem)
		} else {
			rep.naive.Add(op.Elem)
		}
		rep.naiveText.touch()
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
		r.send(rep, r.peer(rep), r.full(rep))
	}
	r.checkConverged()
}

// distinct counts the different states among the replicas, by their
// hashes. Cost: the replicas squared, at most 64² comparisons of numbers.
func (r *run) distinct() int { return distinctAmong(r.reps) }

// distinctAmong counts the different states among reps.
func distinctAmong(reps []*replica) int {
	n := 0
	for i, rep := range reps {
		h := rep.text.hash(rep.state)
		seen := false
		for _, o := range reps[:i] {
			if o.text.sum == h {
				seen = true
				break
			}
		}
		if !seen {
			n++
		}
	}
	return n
}

// agree reports whether every replica holds the same state and the same
// naive shadow, comparing the texts themselves.
func (r *run) agree() bool {
	first := r.reps[0]
	for _, rep := range r.reps[1:] {
		if rep.text.of(rep.state) != first.text.of(first.state) {
			return false
		}
		if r.shadowed && rep.naiveText.of(rep.naive) != first.naiveText.of(first.naive) {
			return false
		}
	}
	return true
}

// checkConverged ends the run at the first moment after the last
// operation when every replica holds the same state: from then on merges
// cannot change anything.
func (r *run) checkConverged() {
	if r.opsDone < r.res.planned || r.distinct() > 1 || !r.agree() {
		return
	}
	r.res.Converged = true
	r.res.ConvergedAt = r.s.Now()
	r.sample()
	r.s.Stop()
}

// sample records divergence, state size and tombstones, and stops a run
// whose states outgrow maxState.
func (r *run) sample() {
	now := r.s.Now()
	var size, tomb int
	for _, rep := range r.reps {
		if r.interrupted() {
			return
		}
		n := len(rep.text.of(rep.state))
		if n > r.limits.state {
			r.s.Fail(fmt.Errorf("the state of %s holds %d bytes, more than the limit of %d: fewer Operations or Elements", rep.name, n, r.limits.state))
		}
		size += n
		tomb += rep.state.Tombstones()
	}
	r.res.Divergence.Add(now, float64(r.distinct()))
	if r.res.HalfDivergence != nil {
		r.res.HalfDivergence.Add(now, float64(max(distinctAmong(r.halves[0]), distinctAmong(r.halves[1]))))
	}
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
		text := rep.text.of(rep.state)
		fs := FinalState{Replica: rep.name, Value: rep.state.Value(), Size: len(text), Tombstones: rep.state.Tombstones(), State: text}
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
