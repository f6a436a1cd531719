package crdt

import (
	"fmt"
	"time"

	"dsim/sim/metrics"
	"dsim/sim/scenario/internal/describe"
	"dsim/sim/viz"
)

// Preset is a named configuration that reproduces one experiment of the
// lesson.
type Preset struct {
	Name        string
	Description string
	Config      Config
}

// cart is a shopping cart on three replicas: r1 adds three items; once
// everyone has them, r2 removes the milk while r3, which has not heard of
// the removal, adds the eggs again and removes the bread.
func cart() []Op {
	return []Op{
		{At: 0, Replica: 0, Kind: "add", Elem: "milk"},
		{At: 100 * time.Millisecond, Replica: 0, Kind: "add", Elem: "eggs"},
		{At: 200 * time.Millisecond, Replica: 0, Kind: "add", Elem: "bread"},
		{At: 5 * time.Second, Replica: 1, Kind: "remove", Elem: "milk"},
		{At: 5 * time.Second, Replica: 1, Kind: "remove", Elem: "eggs"},
		{At: 5100 * time.Millisecond, Replica: 2, Kind: "add", Elem: "eggs"},
		{At: 5200 * time.Millisecond, Replica: 2, Kind: "remove", Elem: "bread"},
	}
}

// Presets returns the lesson's experiments, in teaching order.
func Presets() []Preset {
	seed := Default()

	slow := Default()
	slow.MergeProbability = -1
	slow.GossipPeriod = 5 * time.Second

	orset := Default()
	orset.Type = ORSetType
	orset.Script = cart()

	naive := orset
	naive.Type = TwoPSetType

	churn := Default()
	churn.Type = ORSetType
	churn.Operations, churn.AddRatio, churn.Elements = 60, 0.5, 4

	lww := Default()
	lww.Type = LWWRegisterType
	lww.Operations, lww.OpRate = 60, 20
	lww.ClockSkew = 200 * time.Millisecond

	part := Default()
	part.Type = ORSetType
	part.Replicas = 4
	part.Operations = 100
	part.Partition = true

	delta := part
	delta.Delta = true

	return []Preset{
		{"seed", "The seed simulator's defaults: a G-Counter on 3 replicas, 30 increments, merge probability 0.3, 500ms delay, plus anti-entropy every second.", seed},
		{"slow-gossip", "The same counter with anti-entropy every 5s and no merges after operations: the replicas disagree for seconds.", slow},
		{"shopping-cart", "An OR-Set shopping cart: milk removed after everyone saw it, eggs removed and re-added concurrently, bread removed. The naive set beside it brings the milk and bread back.", orset},
		{"2p-cart", "The same cart as a 2P-Set: the eggs, removed once, can never come back, although a client added them again.", naive},
		{"set-churn", "An OR-Set with as many removes as adds over 4 elements: tombstones pile up, and the naive set resurrects removed elements.", churn},
		{"lww-skew", "An LWW-Register written 20 times a second on replicas whose clocks are up to 200ms apart: writes acknowledged by a replica with a slow clock are lost.", lww},
		{"partition", "An OR-Set on 4 replicas split in two from 2s to 12s: each side converges on its own, then all do after the heal.", part},
		{"delta", "The partition with delta-state gossip: each round sends only the operations a peer has not acknowledged, so fewer bytes; convergence takes longer, since deltas go only to the peers a replica picks.", delta},
	}
}

// PresetConfig returns the configuration of the named preset.
func PresetConfig(name string) (Config, error) {
	p, err := describe.Named("crdt", Presets(), name, func(p Preset) string { return p.Name })
	return p.Config, err
}

// GossipSweep runs cfg once per gossip period, same seed, and reports the
// convergence time after the last operation and the bytes sent: the
// lesson's convergence against gossip rate.
func GossipSweep(cfg Config, periods []time.Duration) (*metrics.Table, *viz.Figure, error) {
	if len(periods) == 0 || len(periods) > 1000 {
		return nil, nil, fmt.Errorf("crdt: GossipSweep needs 1 to 1000 periods, got %d", len(periods))
	}
	t := metrics.NewTable("Convergence against gossip period", "gossip period", "converged after", "messages", "bytes")
	curve := viz.Curve{Name: "time to converge after the last operation", Points: false}
	for _, p := range periods {
		c := cfg
		c.GossipPeriod = p
		res, err := Run(c)
		if err != nil {
			return nil, nil, err
		}
		after := any("never")
		if res.Converged {
			after = res.ConvergenceTime()
			curve.X = append(curve.X, p.Seconds())
			curve.Y = append(curve.Y, res.ConvergenceTime().Seconds())
		}
		t.Add(p, after, fmt.Sprint(res.Messages), fmt.Sprint(res.Bytes))
	}
	fig := viz.XY(viz.Options{Title: fmt.Sprintf("Convergence against gossip period (%s, %d replicas)", cfg.withDefaults().Type, cfg.withDefaults().Replicas),
		XLabel: "gossip period (s)", YLabel: "time to converge (s)", Name: "crdt-gossip-sweep"}, curve)
	return t, fig, nil
}
