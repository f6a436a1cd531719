package crdt

import (
	"fmt"
	"math"
	"time"
)

// Op is one scripted operation: at a time, at a replica (0-based), of a
// kind the type supports: "inc" and "dec" (counters, by Value), "add" and
// "remove" (sets), "set" and "delete" (registers and maps; a register
// ignores Elem).
type Op struct {
	At      time.Duration
	Replica int
	Kind    string
	Elem    string // element, or map key
	Value   string // register or map value; a counter's amount ("" = 1)
}

// Config is one convergence experiment; start from Default. Zero fields
// take the default Default documents, except Loss, ClockSkew, Delta,
// Partition and Script (zero: none or off).
type Config struct {
	// Seed is the root of every random stream of the run.
	Seed uint64
	// Type is the replicated type. Empty means G-Counter.
	Type Type
	// Replicas is the number of replicas (2 to 8 in the seed; up to 64).
	// Zero means 3.
	Replicas int

	// Operations is how many random operations clients apply, each to a
	// random replica. Zero means 30.
	Operations int
	// OpRate is the operations per second (Poisson). Zero means 10.
	OpRate float64
	// AddRatio is the share of growing operations (add, inc, set) among
	// them; the rest remove, decrement or delete. Zero means 0.7.
	AddRatio float64
	// Elements is the number of distinct elements or keys. Zero means 5.
	Elements int
	// Script, when set, replaces the random operations.
	Script []Op

	// MergeProbability is the seed simulator's gossip: after each
	// operation, with this probability, the replica sends its state to one
	// random other replica. Zero means 0.3; negative turns it off.
	MergeProbability float64
	// GossipPeriod is anti-entropy: every period each replica sends its
	// state to Fanout random others. Zero means 1s; negative turns it off
	// (then only MergeProbability spreads updates, and runs may not
	// converge).
	GossipPeriod time.Duration
	// Fanout is how many replicas each gossip round reaches. Zero means 1.
	Fanout int
	// Delta sends, in each gossip round, only the deltas of the replica's
	// operations since its previous round, and the full state every
	// FullEvery rounds (so a lost delta is repaired).
	Delta bool
	// FullEvery is how often, in rounds, a delta replica sends its full
	// state. Zero means 10.
	FullEvery int

	// NetworkDelay is the mean one-way delay (lognormal, CV 0.3). Zero
	// means 500ms (the seed: 0 to 2s).
	NetworkDelay time.Duration
	// Loss is the probability that a gossip message is lost.
	Loss float64
	// Partition splits the replicas in two halves from PartitionStart for
	// PartitionDuration.
	Partition bool
	// PartitionStart: zero means 2s.
	PartitionStart time.Duration
	// PartitionDuration: zero means 10s.
	PartitionDuration time.Duration
	// ClockSkew spreads the replicas' clock offsets evenly over
	// [-ClockSkew, +ClockSkew]; LWW stamps come from these clocks.
	ClockSkew time.Duration

	// Window is the sampling interval of divergence and state size. Zero
	// means 100ms.
	Window time.Duration
	// MaxTime bounds the run after the last operation: a run that has not
	// converged by then ends Diverged. Zero means 60s.
	MaxTime time.Duration
}

// Limits on the knobs.
const (
	maxReplicas   = 64
	maxOperations = 100_000
	maxElements   = 10_000
)

// Default returns the seed simulator's defaults: a G-Counter on 3
// replicas, 30 operations, merge probability 0.3 and 500ms network delay,
// plus anti-entropy every second so that every run converges.
func Default() Config {
	return Config{
		Type: GCounterType, Replicas: 3, Operations: 30, OpRate: 10, AddRatio: 0.7, Elements: 5,
		MergeProbability: 0.3, GossipPeriod: time.Second, Fanout: 1, FullEvery: 10,
		NetworkDelay: 500 * time.Millisecond, PartitionStart: 2 * time.Second, PartitionDuration: 10 * time.Second,
		Window: 100 * time.Millisecond, MaxTime: time.Minute,
	}
}

func (c Config) withDefaults() Config {
	d := Default()
	if c.Type == "" {
		c.Type = d.Type
	}
	ints := []struct {
		v   *int
		def int
	}{{&c.Replicas, d.Replicas}, {&c.Operations, d.Operations}, {&c.Elements, d.Elements}, {&c.Fanout, d.Fanout}, {&c.FullEvery, d.FullEvery}}
	for _, x := range ints {
		if *x.v == 0 {
			*x.v = x.def
		}
	}
	floats := []struct {
		v   *float64
		def float64
	}{{&c.OpRate, d.OpRate}, {&c.AddRatio, d.AddRatio}, {&c.MergeProbability, d.MergeProbability}}
	for _, x := range floats {
		if *x.v == 0 {
			*x.v = x.def
		}
	}
	durs := []struct {
		v   *time.Duration
		def time.Duration
	}{{&c.GossipPeriod, d.GossipPeriod}, {&c.NetworkDelay, d.NetworkDelay}, {&c.PartitionStart, d.PartitionStart}, {&c.PartitionDuration, d.PartitionDuration}, {&c.Window, d.Window}, {&c.MaxTime, d.MaxTime}}
	for _, x := range durs {
		if *x.v == 0 {
			*x.v = x.def
		}
	}
	return c
}

// Validate reports the first bad field, naming it and its value.
func (c Config) Validate() error {
	c = c.withDefaults()
	if _, err := New(c.Type); err != nil {
		return fmt.Errorf("crdt: Type=%q: unknown type (want one of %v)", c.Type, Types())
	}
	bad := func(field string, v any, why string) error { return fmt.Errorf("crdt: %s=%v: %s", field, v, why) }
	switch {
	case c.Replicas < 2 || c.Replicas > maxReplicas:
		return bad("Replicas", c.Replicas, fmt.Sprintf("must be 2..%d", maxReplicas))
	case c.Operations < 0 || c.Operations > maxOperations:
		return bad("Operations", c.Operations, fmt.Sprintf("must be 1..%d", maxOperations))
	case !(c.OpRate > 0 && c.OpRate <= 1e6):
		return bad("OpRate", c.OpRate, "must be in (0, 1e6] operations per second")
	case !(c.AddRatio > 0 && c.AddRatio <= 1):
		return bad("AddRatio", c.AddRatio, "must be in (0, 1]")
	case c.Elements < 1 || c.Elements > maxElements:
		return bad("Elements", c.Elements, fmt.Sprintf("must be 1..%d", maxElements))
	case math.IsNaN(c.MergeProbability) || c.MergeProbability > 1:
		return bad("MergeProbability", c.MergeProbability, "must be at most 1 (negative: off)")
	case c.Fanout < 1 || c.Fanout >= c.Replicas:
		return bad("Fanout", c.Fanout, fmt.Sprintf("must be 1..Replicas-1 (%d)", c.Replicas-1))
	case c.FullEvery < 1:
		return bad("FullEvery", c.FullEvery, "must be positive")
	case c.NetworkDelay < 0:
		return bad("NetworkDelay", c.NetworkDelay, "must not be negative")
	case !(c.Loss >= 0 && c.Loss < 1):
		return bad("Loss", c.Loss, "must be in [0, 1)")
	case c.PartitionStart < 0:
		return bad("PartitionStart", c.PartitionStart, "must not be negative")
	case c.PartitionDuration < 0:
		return bad("PartitionDuration", c.PartitionDuration, "must be positive")
	case c.ClockSkew < 0 || c.ClockSkew > time.Hour:
		return bad("ClockSkew", c.ClockSkew, "must be in [0, 1h]")
	case c.Window < 0:
		return bad("Window", c.Window, "must be positive")
	case c.MaxTime < 0 || c.MaxTime > 24*time.Hour:
		return bad("MaxTime", c.MaxTime, "must be in (0, 24h]")
	case len(c.Script) > maxOperations:
		return bad("Script", len(c.Script), fmt.Sprintf("at most %d operations", maxOperations))
	}
	for i, op := range c.Script {
		field := fmt.Sprintf("Script[%d]", i)
		switch {
		case op.At < 0:
			return bad(field+".At", op.At, "must not be negative")
		case op.Replica < 0 || op.Replica >= c.Replicas:
			return bad(field+".Replica", op.Replica, fmt.Sprintf("must be 0..%d", c.Replicas-1))
		case !supports(c.Type, op.Kind):
			return bad(field+".Kind", fmt.Sprintf("%q", op.Kind), fmt.Sprintf("a %s does not support it (want one of %v)", c.Type, kinds(c.Type)))
		}
	}
	return nil
}

// kinds lists the operation kinds a type supports: growing first.
func kinds(t Type) []string {
	switch t {
	case GCounterType:
		return []string{"inc"}
	case PNCounterType:
		return []string{"inc", "dec"}
	case GSetType:
		return []string{"add"}
	case TwoPSetType, ORSetType, NaiveSetType:
		return []string{"add", "remove"}
	case LWWRegisterType, MVRegisterType:
		return []string{"set"}
	case LWWMapType:
		return []string{"set", "delete"}
	}
	return nil
}

func supports(t Type, kind string) bool {
	for _, k := range kinds(t) {
		if k == kind {
			return true
		}
	}
	return false
}
