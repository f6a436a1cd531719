package quorum

import (
	"cmp"
	"fmt"
	"time"

	"dsim/sim"
	"dsim/sim/dist"
	"dsim/sim/metrics"
	"dsim/sim/net"
	"dsim/sim/scenario"
	"dsim/sim/scenario/internal/describe"
)

// Model is a named consistency setting: quorum sizes and the mechanisms
// that go with them.
type Model string

// The models of the seed simulator. R and W in Config override the sizes;
// Versioning and ReadRepair override the mechanisms.
const (
	// Strong: majority quorums, R = W = N/2+1, versions from the client's
	// clock (last writer wins), asynchronous read repair. Dynamo-style
	// QUORUM reads and writes: R+W > N, and yet not linearizable.
	Strong Model = "strong"
	// Linearizable: R = W = N, version counters (a write first reads the
	// highest version) and synchronous read repair (a read writes back
	// what it returns before returning), as in the ABD register.
	Linearizable Model = "linearizable"
	// Eventual: a write is acknowledged by one replica, which replicates
	// it to the others asynchronously (retrying until they have it); a
	// read asks one replica. Both near the client.
	Eventual Model = "eventual"
	// Weak: R = W = 1, sent to all N replicas in parallel; the first
	// answer wins.
	Weak Model = "weak"
)

// Models lists the named models.
func Models() []Model { return []Model{Strong, Linearizable, Eventual, Weak} }

// Versioning is how a write's version is chosen.
type Versioning string

// The versioning schemes.
const (
	// Timestamps: the coordinator's local clock, ties broken by client.
	// Clock skew reorders writes: last writer wins by the clock, not by
	// real time.
	Timestamps Versioning = "timestamp"
	// Counters: a write first reads the versions of R replicas and writes
	// the highest plus one. Costs a round trip; immune to clock skew.
	Counters Versioning = "counter"
)

// Repair is what a read does when the replicas it asked disagree.
type Repair string

// The read-repair modes.
const (
	NoRepair    Repair = "off"
	AsyncRepair Repair = "async" // send the newest version to the stale replicas, return at once
	SyncRepair  Repair = "sync"  // write the newest version back to W replicas before returning
)

// Limits. The knob table bounds each field; these bound what the fields
// make together, so that no run overflows, spins inside one event or
// holds more than a few hundred megabytes.
const (
	// MaxNodes bounds the replicas (and the standbys, and the regions).
	MaxNodes    = 15
	maxClients  = 1000
	maxKeys     = 100_000        // each node holds every key: 30 nodes × 100000 cells
	maxDuration = 24 * time.Hour // the errors of Faults say 24h
	maxOps      = 2_000_000
	// maxRunOps bounds the operations a run makes, the lesser of MaxOps
	// and Clients × Rate × Duration: each costs about 1.6 KB over the run
	// (the history, the messages, the anomaly counts), and the checker
	// adds at most checkMemory, so the largest run stays under 1 GB.
	maxRunOps = 300_000
	// DefaultMaxOps bounds the history the checker reads; clients stop
	// issuing operations when it is reached, and the summary says so.
	DefaultMaxOps = 200_000
	// maxWindows bounds the metric windows of a run (Duration/Window):
	// each closes in turn, inside the event that passes it.
	maxWindows = 100_000
	// maxRounds bounds the handoff rounds of a run (Duration /
	// HandoffInterval): every node retries its pending writes each round.
	maxRounds = 1_000_000
	// maxHeld bounds the writes one node holds for others (asynchronous
	// replication, hints); past it the run stops with an error.
	maxHeld = 100_000
	// maxFaults bounds the fault schedule.
	maxFaults = 1000
	// traceLimit is the messages a run's trace keeps (the first ones),
	// about 70 bytes each: enough for the diagram of an operation in the
	// first half minute of the busiest preset (slow-replicas, 10 clients).
	traceLimit = 40_000
)

// Config is one quorum-store experiment. Default() holds the seed
// simulator's values, and a zero field takes its default, except where the
// knob table says what zero means (no partition, no loss, synchronised
// clocks) or how the default follows from other fields (R, W, Versioning,
// ReadRepair from the Model; Standbys from SloppyQuorum). KnobTable()
// lists every knob with its unit, default and range.
type Config struct {
	// Seed is the root of every random stream of the run.
	Seed uint64
	// Duration is how long clients issue operations.
	Duration time.Duration
	// Window is the width of the throughput windows.
	Window time.Duration

	// Model picks quorum sizes and mechanisms.
	Model Model
	// R and W are the read and write quorums; zero takes the model's.
	R, W int
	// Nodes is N, the number of replicas (3 to 9 in the seed; up to 15).
	Nodes int
	// Versioning overrides the model's versioning.
	Versioning Versioning
	// ReadRepair overrides the model's read repair.
	ReadRepair Repair

	// NodeLatency is the time a replica takes to handle a request, drawn
	// per request: lognormal with mean 10ms and CV 0.5 by default.
	NodeLatency dist.Dist
	// NetworkLatency is the one-way delay between two nodes, drawn per
	// message: lognormal with mean 50ms and CV 0.3 by default; any
	// distribution of durations ("pareto(0.235ms, 10)", "exp(20ms)").
	// With Regions > 1 it applies between regions.
	NetworkLatency dist.Dist
	// Regions spreads replicas and clients round-robin over this many
	// regions. With 1, every pair of nodes is NetworkLatency apart.
	Regions int
	// LocalLatency is the one-way delay inside a region when Regions > 1:
	// lognormal with mean 1ms and CV 0.3 by default.
	LocalLatency dist.Dist
	// Loss is the probability that a message is lost.
	Loss float64

	// Clients issue operations one at a time, pausing an exponential time
	// of mean 1/Rate between them (the seed: 1 to 20 clients).
	Clients int
	// Rate is each client's operations per second when answers are
	// instant.
	Rate float64
	// WriteRatio is the share of writes; a tiny value makes a read-only
	// load.
	WriteRatio float64
	// Keys is the number of keys, chosen uniformly.
	Keys int
	// Timeout is how long a client waits for its quorum.
	Timeout time.Duration

	// ClockSkew spreads the clients' clock offsets evenly over
	// [-ClockSkew, +ClockSkew]. Timestamps inherit the skew.
	ClockSkew time.Duration

	// SloppyQuorum lets a coordinator that cannot reach enough of a key's
	// replicas use Standbys instead, which keep the write as a hint and
	// hand it off when the home replica is reachable again (Dynamo).
	SloppyQuorum bool
	// Standbys is the number of extra nodes for sloppy quorums; zero with
	// SloppyQuorum means 2.
	Standbys int
	// HandoffInterval is how often hinted writes and asynchronous
	// replication retry.
	HandoffInterval time.Duration

	// Partition splits the nodes into a majority side (replicas
	// r1..rN/2+1, every other standby and client) and a minority side for
	// this window. A zero Duration means no partition; the default Start
	// is 10s, so setting Partition.Duration alone splits from 10s.
	Partition sim.Window
	// Faults are more faults, by node name (r1.., s1.., c1..) or side
	// ("majority", "minority").
	Faults []net.Fault

	// MaxOps bounds the recorded history.
	MaxOps int
	// CheckTimeout bounds the linearizability check, in wall time; past
	// it the result is Unknown. An interrupt ends the check; its memory
	// is bounded too (CheckTooLarge).
	CheckTimeout time.Duration
	// SkipCheck skips the linearizability check (the counts of stale
	// reads and lost writes are still made).
	SkipCheck bool
}

// knobs is the single source of Config's defaults, ranges, flags and
// sweep knobs. The ranges keep every sum and product a run computes (the
// horizon Duration + 2×Timeout, a partition's end, skew offsets) far from
// overflow; Validate bounds the counts they make together.
var knobs = scenario.NewTable("quorum", Config{},
	[]string{"Faults: more faults, a list of net.Fault by node or side name"},
	scenario.Dur("Duration", "how long clients issue operations", 30*time.Second, time.Second, maxDuration),
	scenario.Dur("Window", "width of the throughput windows", time.Second, time.Millisecond, time.Hour),
	scenario.OneOf("Model", "quorum sizes and mechanisms", string(Strong), describe.Strings(Models())...),
	scenario.Int("Nodes", "replicas", "N, the number of replicas", 5, 1, MaxNodes).Alias("n"),
	derived(scenario.Int("R", "replicas", "read quorum", 0, 1, MaxNodes), "the model's"),
	derived(scenario.Int("W", "replicas", "write quorum", 0, 1, MaxNodes), "the model's"),
	derived(scenario.OneOf("Versioning", "how a write's version is chosen", "", string(Timestamps), string(Counters)), "the model's"),
	derived(scenario.OneOf("ReadRepair", "what a read does with stale replicas", "", string(NoRepair), string(AsyncRepair), string(SyncRepair)), "the model's").Alias("repair"),
	scenario.Distribution("NodeLatency", "a replica's time to handle a request", "lognormal(10ms, 0.5)", 0, time.Minute),
	scenario.Distribution("NetworkLatency", "one-way delay between nodes (between regions when Regions > 1)", "lognormal(50ms, 0.3)", 0, time.Minute).Alias("latency"),
	scenario.Int("Regions", "regions", "regions the nodes are spread over, round-robin", 1, 1, MaxNodes),
	scenario.Distribution("LocalLatency", "one-way delay inside a region when Regions > 1", "lognormal(1ms, 0.3)", 0, time.Minute).OnlyWithout("Regions", "1"),
	scenario.Num("Loss", "share", "probability that a message is lost", 0, 0, 0.99).ZeroMeans("no loss"),
	scenario.Int("Clients", "clients", "clients, each issuing one operation at a time", 5, 1, maxClients),
	scenario.Num("Rate", "ops/s", "each client's operations per second when answers are instant", 5, 0.001, 1e5),
	scenario.Num("WriteRatio", "share", "share of writes", 0.3, 0.001, 1).Alias("writes"),
	scenario.Int("Keys", "keys", "keys, chosen uniformly", 5, 1, maxKeys),
	scenario.Dur("Timeout", "how long a client waits for its quorum", time.Second, time.Millisecond, time.Hour),
	scenario.Dur("ClockSkew", "clients' clock offsets spread over ± this", 0, 0, time.Hour).ZeroMeans("synchronised clocks").Alias("skew").OnlyWithout("Clients", "1").OnlyWithout("Versioning", string(Counters)),
	scenario.Bool("SloppyQuorum", "write to standbys when home replicas are unreachable (hinted handoff)", false).Alias("sloppy"),
	scenario.Int("Standbys", "nodes", "extra nodes for sloppy quorums", 0, 1, MaxNodes).ZeroMeans("none, or 2 with SloppyQuorum").OnlyWith("SloppyQuorum", "on"),
	scenario.Dur("HandoffInterval", "how often hints and asynchronous replication retry", 500*time.Millisecond, time.Millisecond, time.Hour).Alias("handoff").
		OnlyWithEither(scenario.With("Model", string(Eventual)), scenario.With("SloppyQuorum", "on")),
	scenario.Dur("Partition.Start", "when the majority/minority partition begins", 10*time.Second, 0, maxDuration).ZeroMeans("at the start of the run").OnlyWithout("Partition.Duration", "0s"),
	scenario.Dur("Partition.Duration", "how long the partition lasts", 0, time.Millisecond, maxDuration).ZeroMeans("no partition"),
	scenario.Int("MaxOps", "operations", "bound on the recorded history; clients stop there", DefaultMaxOps, 1, maxOps),
	scenario.Dur("CheckTimeout", "wall time the linearizability check may take", 10*time.Second, time.Millisecond, time.Minute).OnlyWith("SkipCheck", "off"),
	scenario.Bool("SkipCheck", "skip the linearizability check", false),
)

// derived marks a knob whose default follows from other fields: zero is
// left for withDefaults to fill, and Default() leaves it zero.
func derived(k scenario.Knob, how string) scenario.Knob {
	k = k.DerivedFrom(how)
	k.Default = nil
	return k
}

// KnobTable lists every knob of Config: its flag, unit, default, range
// and what it sets. Sweeps, the command line and the explorer take the
// same names.
func KnobTable() *metrics.Table { return knobs.Doc() }

// Default returns the seed simulator's defaults: Strong consistency on 5
// nodes, 10ms node latency, 50ms network latency, 5 clients at 5 ops/s,
// 30% writes, 30s, no partition.
func Default() Config { return describe.Default[Config](knobs, 1) }

// withDefaults fills the zero fields that mean "default" and resolves
// what the model decides.
func (c Config) withDefaults() Config {
	_ = knobs.Fill(&c)
	if c.SloppyQuorum && c.Standbys == 0 {
		c.Standbys = 2
	}
	majority := c.Nodes/2 + 1
	r, w, v, rr := 0, 0, Timestamps, NoRepair
	switch c.Model {
	case Strong:
		r, w, rr = majority, majority, AsyncRepair
	case Linearizable:
		r, w, v, rr = c.Nodes, c.Nodes, Counters, SyncRepair
	case Eventual, Weak:
		r, w = 1, 1
	}
	c.R = cmp.Or(c.R, r)
	c.W = cmp.Or(c.W, w)
	c.Versioning = cmp.Or(c.Versioning, v)
	c.ReadRepair = cmp.Or(c.ReadRepair, rr)
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
	case c.R > c.Nodes:
		return fmt.Errorf("quorum: R=%d is larger than N=%d", c.R, c.Nodes)
	case c.W > c.Nodes:
		return fmt.Errorf("quorum: W=%d is larger than N=%d", c.W, c.Nodes)
	case c.Window > c.Duration:
		return bad("Window", c.Window, fmt.Sprintf("is longer than Duration=%v", c.Duration))
	case c.Duration/c.Window > maxWindows:
		return bad("Window", c.Window, fmt.Sprintf("gives more than %d windows over Duration=%v", maxWindows, c.Duration))
	case c.Duration/c.HandoffInterval > maxRounds:
		return bad("HandoffInterval", c.HandoffInterval, fmt.Sprintf("gives more than %d handoff rounds over Duration=%v", maxRounds, c.Duration))
	case c.Partition.Duration > 0 && c.Partition.Start >= c.Duration:
		return bad("Partition.Start", c.Partition.Start, fmt.Sprintf("must lie inside the run (Duration=%v)", c.Duration))
	case c.runOps() > maxRunOps:
		return fmt.Errorf("quorum: MaxOps=%d with Clients=%d × Rate=%g/s × Duration=%v: about %.3g operations, at most %d (memory); lower MaxOps or the load",
			c.MaxOps, c.Clients, c.Rate, c.Duration, c.runOps(), maxRunOps)
	case len(c.Faults) > maxFaults:
		return bad("Faults", fmt.Sprintf("[%d faults]", len(c.Faults)), fmt.Sprintf("at most %d faults", maxFaults))
	}
	for i, f := range c.Faults {
		field := fmt.Sprintf("Faults[%d]", i)
		switch {
		case f.Start < 0 || f.Start > maxDuration:
			return bad(field+".Start", f.Start, "must be between 0s and 24h")
		case f.Duration < 0 || f.Duration > maxDuration:
			return bad(field+".Duration", f.Duration, "must be between 0s and 24h (0 lasts to the end)")
		}
	}
	return nil
}

// runOps is about how many operations a run makes: clients stop at
// MaxOps, and each issues at most Rate a second.
func (c Config) runOps() float64 {
	return min(float64(c.MaxOps), float64(c.Clients)*c.Rate*c.Duration.Seconds())
}

// latencyText says where the network's delays come from.
func (c Config) latencyText() string {
	if c.Regions > 1 {
		return fmt.Sprintf("%v between %d regions, %v inside", c.NetworkLatency, c.Regions, c.LocalLatency)
	}
	return c.NetworkLatency.String()
}

// distance says how far apart the nodes are, short enough for a figure's
// title: the network's distribution, or the regions and their mean delay.
func (c Config) distance() string {
	if c.Regions > 1 {
		return fmt.Sprintf("%d regions, %v apart", c.Regions, time.Duration(c.NetworkLatency.Mean()*float64(time.Second)).Round(time.Millisecond))
	}
	return "network " + c.NetworkLatency.String()
}
