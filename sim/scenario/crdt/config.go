package crdt

import (
	"fmt"
	"time"

	"dsim/sim"
	"dsim/sim/dist"
	"dsim/sim/metrics"
	"dsim/sim/scenario"
	"dsim/sim/scenario/internal/describe"
)

// Config is one convergence experiment; start from Default, which holds
// the seed simulator's values. A zero field takes its default, except
// where the knob table says what zero means: MergeProbability and
// GossipPeriod zero are off, Loss and ClockSkew zero are none, a zero
// Partition.Duration is no partition. KnobTable lists every knob with its
// unit, default and range.
type Config struct {
	// Seed is the root of every random stream of the run.
	Seed uint64
	// Type is the replicated type.
	Type Type
	// Replicas is the number of replicas (2 to 8 in the seed).
	Replicas int

	// Operations is how many random operations clients apply, each to a
	// random replica.
	Operations int
	// OpRate is the operations per second (Poisson).
	OpRate float64
	// AddRatio is the share of growing operations (add, inc, set) among
	// them; the rest remove, decrement or delete.
	AddRatio float64
	// Elements is the number of distinct elements or keys.
	Elements int
	// Script, when set, replaces the random operations.
	Script []Op

	// MergeProbability is the seed simulator's gossip: after each
	// operation, with this probability, the replica sends its state to one
	// random other replica. Zero turns it off.
	MergeProbability float64
	// GossipPeriod is anti-entropy: every period each replica sends its
	// state to Fanout random others. Zero turns it off; then only
	// MergeProbability spreads updates, and runs may not converge.
	GossipPeriod time.Duration
	// Fanout is how many replicas each gossip round reaches.
	Fanout int
	// Delta sends, in each gossip round, only the deltas of the replica's
	// operations since its previous round, and the full state every
	// FullEvery rounds (so a lost delta is repaired).
	Delta bool
	// FullEvery is how often, in rounds, a delta replica sends its full
	// state.
	FullEvery int

	// NetworkDelay is the one-way delay of each message. The default is
	// the seed's: lognormal with mean 500ms and CV 0.3 (the seed drew 0 to
	// 2s); a plain "500ms" is a constant.
	NetworkDelay dist.Dist
	// Loss is the probability that a gossip message is lost.
	Loss float64
	// Partition splits the replicas in two halves (r1.. and the rest) from
	// Partition.Start for Partition.Duration, then heals. A zero Duration
	// is no partition; one longer than the run never heals.
	Partition sim.Window
	// ClockSkew spreads the replicas' clock offsets evenly over
	// [-ClockSkew, +ClockSkew]; LWW stamps come from these clocks.
	ClockSkew time.Duration

	// Window is the sampling interval of divergence and state size.
	Window time.Duration
	// MaxTime bounds the run after the last operation: a run that has not
	// converged by then ends Diverged.
	MaxTime time.Duration
}

// Limits beyond what the knob table bounds: past them a run is a mistake,
// not an experiment. maxSpan keeps every instant a run computes (the last
// operation, a partition's end, the horizon) far from overflow.
const (
	maxReplicas   = 64
	maxOperations = 100_000
	maxSpan       = 1000 * time.Hour
	// maxWindows bounds the samples of a run (each of three series).
	maxWindows = 1_000_000
	// maxMessages and maxBytes bound the gossip of a run: the messages
	// sent and the state bytes they carry (each message holds a copy of
	// a state until it arrives). Validate refuses a gossip period that
	// plans more messages; a run that still sends more stops with an
	// error naming the limit.
	maxMessages = 10_000_000
	maxBytes    = 1 << 30
	// maxState bounds a replica's state, in bytes of its canonical text.
	maxState = 4 << 20
	// maxText bounds a scripted operation's element and value.
	maxText = 1024
	// maxAmount bounds a counter operation's amount, so that no sum of
	// maxOperations of them overflows an int64.
	maxAmount = 1_000_000_000_000
)

// The types whose random operations are of two kinds (AddRatio picks
// one), and those whose operations name an element or a key (Elements):
// a counter counts and a register holds one value.
var (
	twoKinds = []string{string(PNCounterType), string(TwoPSetType), string(ORSetType), string(NaiveSetType), string(LWWMapType)}
	keyed    = []string{string(GSetType), string(TwoPSetType), string(ORSetType), string(NaiveSetType), string(LWWMapType)}
)

// knobs is the single source of Config's defaults, ranges, flags and
// sweep knobs.
var knobs = scenario.NewTable("crdt", Config{},
	[]string{"Script: scripted operations (Op) that replace the random ones"},
	scenario.OneOf("Type", "the replicated data type", string(GCounterType), describe.Strings(Types())...),
	scenario.Int("Replicas", "replicas", "replicas gossiping", 3, 2, maxReplicas),
	scenario.Int("Operations", "ops", "random operations, each at a random replica", 30, 1, maxOperations).Alias("ops"),
	scenario.Num("OpRate", "ops/s", "operations per second (Poisson)", 10, 0.001, 1e6).Alias("rate"),
	scenario.Num("AddRatio", "share", "share of growing operations (add, inc, set)", 0.7, 0.01, 1).OnlyWith("Type", twoKinds...),
	scenario.Int("Elements", "elements", "distinct elements or keys", 5, 1, 10_000).OnlyWith("Type", keyed...),
	scenario.Num("MergeProbability", "share", "chance a replica sends its state to one peer after an operation", 0.3, 0.001, 1).ZeroMeans("off").Alias("merge"),
	scenario.Dur("GossipPeriod", "anti-entropy: each replica sends its state every period", time.Second, time.Millisecond, time.Hour).ZeroMeans("off").Alias("gossip"),
	scenario.Int("Fanout", "peers", "peers each gossip round reaches", 1, 1, maxReplicas-1).OnlyWithout("GossipPeriod", "0s"),
	scenario.Bool("Delta", "gossip rounds send unacknowledged deltas instead of the state", false).OnlyWithout("GossipPeriod", "0s"),
	scenario.Int("FullEvery", "rounds", "a delta replica sends its full state every this many rounds", 10, 1, 1_000_000).OnlyWithout("GossipPeriod", "0s").OnlyWith("Delta", "on"),
	scenario.Distribution("NetworkDelay", "one-way delay of a message", "lognormal(500ms, 0.3)", 0, time.Hour).Alias("delay"),
	scenario.Num("Loss", "share", "chance a message is lost", 0, 0, 0.99).ZeroMeans("no loss"),
	scenario.Dur("Partition.Start", "when the replicas split in two halves", 2*time.Second, time.Millisecond, maxSpan).ZeroMeans("at the start of the run").OnlyWithout("Partition.Duration", "0s"),
	scenario.Dur("Partition.Duration", "how long the halves stay apart", 0, time.Millisecond, maxSpan).ZeroMeans("no partition"),
	scenario.Dur("ClockSkew", "replica clocks spread over ± this (LWW stamps)", 0, time.Microsecond, time.Hour).ZeroMeans("synchronised clocks").Alias("skew").OnlyWith("Type", string(LWWRegisterType), string(LWWMapType)),
	scenario.Dur("Window", "sampling interval of divergence and state size", 100*time.Millisecond, time.Millisecond, time.Hour),
	scenario.Dur("MaxTime", "how long after the last operation a run may take to converge", time.Minute, time.Millisecond, 24*time.Hour),
)

// KnobTable lists every knob of Config: its flag, unit, default, range
// and what it sets. Sweeps, the command line and the explorer take the
// same names.
func KnobTable() *metrics.Table { return knobs.Doc() }

// Default returns the seed simulator's defaults: a G-Counter on 3
// replicas, 30 operations, merge probability 0.3 and a 500ms network
// delay, plus anti-entropy every second so that every run converges. The
// partition starts at 2s but lasts zero: there is none until
// Partition.Duration is set.
func Default() Config { return describe.Default[Config](knobs, 1) }

// withDefaults fills the zero fields that mean "default".
func (c Config) withDefaults() Config {
	_ = knobs.Fill(&c)
	return c
}

func bad(field string, value any, why string) error { return describe.Bad(knobs, field, value, why) }

// Validate reports the first field that cannot work, naming it, its value
// and the limit: the knobs' ranges first, then the rules across fields.
func (c Config) Validate() error { return describe.Validate(knobs, c.withDefaults(), Config.rules) }

// rules reports the first rule across fields that c, filled and with its
// knobs in range, breaks.
func (c Config) rules() error {
	switch {
	case c.Fanout >= c.Replicas:
		return bad("Fanout", c.Fanout, fmt.Sprintf("must be less than Replicas=%d", c.Replicas))
	case c.Delta && c.GossipPeriod == 0:
		return bad("Delta", "on", "sends deltas in anti-entropy rounds, and GossipPeriod=0 turns them off")
	case c.Window > c.MaxTime:
		return bad("Window", c.Window, fmt.Sprintf("is longer than MaxTime=%v", c.MaxTime))
	case len(c.Script) > maxOperations:
		return bad("Script", fmt.Sprintf("[%d ops]", len(c.Script)), fmt.Sprintf("at most %d operations", maxOperations))
	case len(c.Script) == 0 && float64(c.Operations)/c.OpRate > maxSpan.Seconds():
		return bad("OpRate", c.OpRate, fmt.Sprintf("spreads Operations=%d over more than %v", c.Operations, maxSpan))
	}
	if err := c.validateScript(); err != nil {
		return err
	}
	return c.checkSpan(c.plannedLast())
}

// plannedLast is when the last operation is planned: the script's last,
// or the mean end of the random operations (Operations/OpRate).
func (c Config) plannedLast() time.Duration {
	if len(c.Script) == 0 {
		return time.Duration(float64(c.Operations) / c.OpRate * float64(time.Second))
	}
	var last time.Duration
	for _, op := range c.Script {
		last = max(last, op.At)
	}
	return last
}

// checkSpan checks what depends on the run's length, last + MaxTime: the
// samples, the planned gossip and the partition. Run calls it again with
// the drawn operations' last time, which may pass the mean.
func (c Config) checkSpan(last time.Duration) error {
	span := last + c.MaxTime
	if n := span / c.Window; n > maxWindows {
		return bad("Window", c.Window, fmt.Sprintf("gives %d samples over the run (last operation at %v + MaxTime=%v); at most %d", n, last.Round(time.Millisecond), c.MaxTime, maxWindows))
	}
	if c.GossipPeriod > 0 {
		if n := int64(span/c.GossipPeriod) * int64(c.Replicas*c.Fanout); n > maxMessages {
			return bad("GossipPeriod", c.GossipPeriod, fmt.Sprintf("plans %d messages over the run (last operation at %v + MaxTime=%v, %d replicas, Fanout=%d); at most %d", n, last.Round(time.Millisecond), c.MaxTime, c.Replicas, c.Fanout, maxMessages))
		}
	}
	if c.Partition.Duration > 0 && c.Partition.Start >= span {
		return bad("Partition.Start", c.Partition.Start, fmt.Sprintf("must lie inside the run, which ends by %v (last operation at %v + MaxTime=%v)", span.Round(time.Millisecond), last.Round(time.Millisecond), c.MaxTime))
	}
	return nil
}
