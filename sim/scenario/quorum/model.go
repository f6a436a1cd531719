package quorum

import (
	"context"
	"fmt"
	"sort"
	"time"

	"dsim/sim"
	"dsim/sim/metrics"
	"dsim/sim/net"
	"dsim/sim/scenario/internal/describe"
	"dsim/sim/viz"
)

// Run validates cfg and runs it to the end.
func Run(cfg Config) (*Result, error) { return RunContext(context.Background(), cfg) }

// RunContext is Run, stopping early with ctx's error when it is cancelled.
func RunContext(ctx context.Context, cfg Config) (*Result, error) {
	return describe.Run(ctx, cfg, Config.Validate, Config.withDefaults, execute)
}

// execute runs cfg, validated and with its defaults filled.
func execute(ctx context.Context, cfg Config) (*Result, error) {
	st, err := newStore(cfg)
	if err != nil {
		return nil, err
	}
	win := sim.FromDuration(cfg.Window)
	r := &Result{Config: cfg, net: st.n,
		ReadLatency: metrics.NewLatency("read", win), WriteLatency: metrics.NewLatency("write", win)}
	for _, name := range Sides {
		r.Sides = append(r.Sides, &Side{Name: name,
			OK: metrics.NewRate("answered ("+name+")", win), Failed: metrics.NewRate("failed ("+name+")", win)})
	}
	st.res = r
	if err := st.s.Run(ctx); err != nil {
		return nil, fmt.Errorf("quorum: %w", err)
	}
	r.End = sim.FromDuration(cfg.Duration)
	for _, s := range r.Sides {
		s.OK.Close(r.End)
		s.Failed.Close(r.End)
	}
	r.ReadLatency.Close(r.End)
	r.WriteLatency.Close(r.End)
	r.Truncated = st.stopped
	r.Network = st.n.Stats()
	r.Events = st.s.Events()
	r.Spans = viz.FaultSpans(st.n.Faults(), r.End)
	r.StaleReads = staleReads(r.Ops)
	r.LostWrites = lostWrites(r.Ops)
	r.InvertedReads, r.inversion = inversions(r.Ops)
	// An interrupt that came after the last event stops here; one that
	// comes during the check ends the check (see check).
	err = ctx.Err()
	if err != nil {
		return nil, fmt.Errorf("quorum: %w before the check: %w", sim.ErrInterrupted, err)
	}
	r.Check, r.info, err = check(ctx, r.Ops, cfg.CheckTimeout, cfg.SkipCheck)
	if err != nil {
		return nil, err
	}
	return r, nil
}

// newStore builds one run: the network, the replicas, standbys and
// clients on it, the faults, and the first events.
func newStore(cfg Config) (*store, error) {
	// Clients stop issuing at Duration; the last operations may take their
	// whole Timeout, and their read repairs one more.
	horizon := sim.FromDuration(cfg.Duration + 2*cfg.Timeout + time.Second)
	s := sim.New(sim.Config{Seed: cfg.Seed, Horizon: horizon})
	n, err := net.New(s, net.Config{Latency: cfg.NetworkLatency, Loss: cfg.Loss, TraceLimit: traceLimit})
	if err != nil {
		return nil, fmt.Errorf("quorum: %v", err)
	}
	st := &store{cfg: cfg, s: s, n: n, service: cfg.NodeLatency,
		rService: s.Rand("quorum/service"), rKeys: s.Rand("quorum/keys"),
		sides: map[string][]string{}}
	st.addNodes()
	if cfg.Regions > 1 {
		for r := 1; r <= cfg.Regions; r++ {
			g := fmt.Sprintf("region%d", r)
			if err := n.SetGroupLatency(g, g, cfg.LocalLatency); err != nil {
				return nil, fmt.Errorf("quorum: LocalLatency: %v", err)
			}
		}
	}
	if err := st.scheduleFaults(); err != nil {
		return nil, err
	}
	for _, sn := range st.allNodes() {
		sn := sn
		handoff := sim.FromDuration(cfg.HandoffInterval)
		s.Every(s.Now()+handoff, handoff, func() { st.retryPending(sn) })
	}
	for _, c := range st.clients {
		c := c
		s.After(st.think(c), func() { st.issue(c) })
	}
	return st, nil
}

// region names the group of the i-th replica, standby or client.
func (st *store) region(i int) string {
	if st.cfg.Regions <= 1 {
		return "dc"
	}
	return fmt.Sprintf("region%d", i%st.cfg.Regions+1)
}

// addNodes adds the replicas, the standbys and the clients, in that order
// (node IDs follow it), and puts each on a side of the default partition.
func (st *store) addNodes() {
	cfg, n := st.cfg, st.n
	majority := cfg.Nodes/2 + 1
	side := func(name string, major bool) string {
		s := Sides[1]
		if major {
			s = Sides[0]
		}
		st.sides[s] = append(st.sides[s], name)
		return s
	}
	addNode := func(name, group string) *storeNode {
		id, _ := n.Add(name, group, nil)
		sn := &storeNode{id: id, cells: make([]cell, cfg.Keys)}
		n.Handle(id, func(m net.Message) { st.onNode(sn, m) })
		return sn
	}
	for i := 0; i < cfg.Nodes; i++ {
		name := fmt.Sprintf("r%d", i+1)
		st.replicas = append(st.replicas, addNode(name, st.region(i)))
		side(name, i < majority)
	}
	// Standbys without a sloppy quorum would take no write: none are built.
	for i := 0; cfg.SloppyQuorum && i < cfg.Standbys; i++ {
		name := fmt.Sprintf("s%d", i+1)
		st.standbys = append(st.standbys, addNode(name, st.region(i)))
		side(name, i%2 == 0)
	}
	for i := 0; i < cfg.Clients; i++ {
		name := fmt.Sprintf("c%d", i+1)
		id, _ := n.Add(name, st.region(i), nil)
		c := &client{id: id, index: i, side: side(name, i%2 == 0), rng: st.s.Rand("quorum/" + name)}
		c.home = st.preference(c, majority)
		n.Handle(id, func(m net.Message) { st.onClient(c, m) })
		if cfg.ClockSkew > 0 && cfg.Clients > 1 {
			off := -cfg.ClockSkew + time.Duration(float64(2*cfg.ClockSkew)*float64(i)/float64(cfg.Clients-1))
			n.SetClock(id, off, 0)
		}
		st.clients = append(st.clients, c)
	}
}

// scheduleFaults puts the partition and the other faults on the network,
// with side names expanded to their nodes.
func (st *store) scheduleFaults() error {
	cfg := st.cfg
	if cfg.Partition.Duration > 0 {
		f := net.Fault{Kind: net.FaultPartition, Window: cfg.Partition, Sides: [][]string{st.sides[Sides[0]], st.sides[Sides[1]]}}
		if err := st.n.Schedule(f); err != nil {
			return fmt.Errorf("quorum: Partition: %v", err)
		}
	}
	for i, f := range cfg.Faults {
		f.Sides = expandSides(f.Sides, st.sides)
		f.From, f.To, f.Nodes = expand(f.From, st.sides), expand(f.To, st.sides), expand(f.Nodes, st.sides)
		if err := st.n.Schedule(f); err != nil {
			return fmt.Errorf("quorum: Faults[%d]: %v", i, err)
		}
	}
	return nil
}

// preference is the order in which a client tries the replicas when it
// talks to one (Eventual): nearest first, that is those in its own region
// before the others (Regions > 1); among equals, its own side's replicas
// before the other side's, rotated by the client's index so that clients
// spread over the replicas.
func (st *store) preference(c *client, majority int) []net.Node {
	var home []net.Node
	for _, r := range st.replicas {
		if (int(r.id) < majority) == (c.side == Sides[0]) {
			home = append(home, r.id)
		}
	}
	for _, r := range st.replicas {
		if (int(r.id) < majority) != (c.side == Sides[0]) {
			home = append(home, r.id)
		}
	}
	rotate(home, c.index)
	local := st.n.Group(c.id)
	sort.SliceStable(home, func(i, j int) bool {
		return st.n.Group(home[i]) == local && st.n.Group(home[j]) != local
	})
	return home
}

func rotate(xs []net.Node, k int) {
	if len(xs) == 0 {
		return
	}
	k %= len(xs)
	tmp := append(append([]net.Node(nil), xs[k:]...), xs[:k]...)
	copy(xs, tmp)
}

func expand(names []string, sides map[string][]string) []string {
	var out []string
	for _, n := range names {
		if s, ok := sides[n]; ok {
			out = append(out, s...)
		} else {
			out = append(out, n)
		}
	}
	return out
}

func expandSides(sides [][]string, m map[string][]string) [][]string {
	out := make([][]string, len(sides))
	for i, s := range sides {
		out[i] = expand(s, m)
	}
	return out
}
