package quorum

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"dsim/sim/dist"
	"dsim/sim/net"
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

// Limits on the knobs.
const (
	MaxNodes    = 15
	maxClients  = 1000
	maxKeys     = 1_000_000
	maxDuration = 24 * time.Hour
	maxOps      = 2_000_000
	// DefaultMaxOps bounds the history the checker reads; clients stop
	// issuing operations when it is reached, and the summary says so.
	DefaultMaxOps = 200_000
)

// Config is one quorum-store experiment; start from Default. Zero fields
// take the default Default documents, except R and W (zero: from the
// model), ClockSkew, Loss, Standbys and Partition (zero: none or off), and
// Nodes: a store with zero replicas is a mistake, not a default.
type Config struct {
	// Seed is the root of every random stream of the run.
	Seed uint64
	// Duration is how long clients issue operations. Zero means 30s.
	Duration time.Duration
	// Window is the width of the throughput windows. Zero means 1s.
	Window time.Duration

	// Model picks quorum sizes and mechanisms. Empty means Strong.
	Model Model
	// R and W are the read and write quorums; 0 takes the model's.
	R, W int
	// Nodes is N, the number of replicas (3 to 9 in the seed; up to 15).
	// Default: 5. Zero is an error.
	Nodes int
	// Versioning overrides the model's versioning.
	Versioning Versioning
	// ReadRepair overrides the model's read repair.
	ReadRepair Repair

	// NodeLatency is the mean time a replica takes to handle a request
	// (lognormal, CV 0.5). Zero means 10ms.
	NodeLatency time.Duration
	// NetworkLatency is the mean one-way delay between two nodes
	// (lognormal, CV 0.3). With Regions > 1 it applies between regions.
	// Zero means 50ms.
	NetworkLatency time.Duration
	// Latency, when set, replaces NetworkLatency's distribution
	// ("pareto(0.235ms, 10)", "exp(20ms)").
	Latency string
	// Regions spreads replicas and clients round-robin over this many
	// regions. Zero means 1: every pair of nodes is NetworkLatency apart.
	Regions int
	// LocalLatency is the mean one-way delay inside a region when
	// Regions > 1. Zero means 1ms.
	LocalLatency time.Duration
	// Loss is the probability that a message is lost.
	Loss float64

	// Clients issue operations one at a time, pausing an exponential time
	// of mean 1/Rate between them. Zero means 5 (the seed: 1 to 20).
	Clients int
	// Rate is each client's operations per second when answers are
	// instant. Zero means 5.
	Rate float64
	// WriteRatio is the share of writes. Zero means 0.3; use a tiny
	// positive value for a read-only load.
	WriteRatio float64
	// Keys is the number of keys, chosen uniformly. Zero means 5.
	Keys int
	// Timeout is how long a client waits for its quorum. Zero means 1s.
	Timeout time.Duration

	// ClockSkew spreads the clients' clock offsets evenly over
	// [-ClockSkew, +ClockSkew]. Timestamps inherit the skew.
	ClockSkew time.Duration

	// SloppyQuorum lets a coordinator that cannot reach enough of a key's
	// replicas use Standbys instead, which keep the write as a hint and
	// hand it off when the home replica is reachable again (Dynamo).
	SloppyQuorum bool
	// Standbys is the number of extra nodes for sloppy quorums. Zero with
	// SloppyQuorum means 2.
	Standbys int
	// HandoffInterval is how often hinted writes and asynchronous
	// replication retry. Zero means 500ms.
	HandoffInterval time.Duration

	// Partition splits the nodes into a majority side (replicas r1..rN/2+1,
	// every other standby and client) and a minority side from
	// PartitionStart for PartitionDuration.
	Partition bool
	// PartitionStart is when the partition begins. Zero means 10s.
	PartitionStart time.Duration
	// PartitionDuration is how long it lasts. Zero means 10s.
	PartitionDuration time.Duration
	// Faults are more faults, by node name (r1.., s1.., c1..) or side
	// ("majority", "minority").
	Faults []net.Fault

	// MaxOps bounds the recorded history. Zero means 200000.
	MaxOps int
	// CheckTimeout bounds the linearizability check, in wall time; past
	// it the result is Unknown. Zero means 10s. Negative skips the check.
	CheckTimeout time.Duration
}

// Default returns the seed simulator's defaults: Strong consistency on 5
// nodes, 10ms node latency, 50ms network latency, 5 clients at 5 ops/s,
// 30% writes, 30s, no partition.
func Default() Config {
	return Config{
		Duration:          30 * time.Second,
		Window:            time.Second,
		Model:             Strong,
		Nodes:             5,
		NodeLatency:       10 * time.Millisecond,
		NetworkLatency:    50 * time.Millisecond,
		Regions:           1,
		LocalLatency:      time.Millisecond,
		Clients:           5,
		Rate:              5,
		WriteRatio:        0.3,
		Keys:              5,
		Timeout:           time.Second,
		HandoffInterval:   500 * time.Millisecond,
		PartitionStart:    10 * time.Second,
		PartitionDuration: 10 * time.Second,
		MaxOps:            DefaultMaxOps,
		CheckTimeout:      10 * time.Second,
	}
}

// withDefaults fills zero fields from Default and resolves the model.
func (c Config) withDefaults() Config {
	d := Default()
	setDur := func(v *time.Duration, def time.Duration) {
		if *v == 0 {
			*v = def
		}
	}
	setInt := func(v *int, def int) {
		if *v == 0 {
			*v = def
		}
	}
	setDur(&c.Duration, d.Duration)
	setDur(&c.Window, d.Window)
	setDur(&c.NodeLatency, d.NodeLatency)
	setDur(&c.NetworkLatency, d.NetworkLatency)
	setDur(&c.LocalLatency, d.LocalLatency)
	setDur(&c.Timeout, d.Timeout)
	setDur(&c.HandoffInterval, d.HandoffInterval)
	setDur(&c.PartitionStart, d.PartitionStart)
	setDur(&c.PartitionDuration, d.PartitionDuration)
	setDur(&c.CheckTimeout, d.CheckTimeout)
	setInt(&c.Regions, d.Regions)
	setInt(&c.Clients, d.Clients)
	setInt(&c.Keys, d.Keys)
	setInt(&c.MaxOps, d.MaxOps)
	if c.Rate == 0 {
		c.Rate = d.Rate
	}
	if c.WriteRatio == 0 {
		c.WriteRatio = d.WriteRatio
	}
	if c.Model == "" {
		c.Model = d.Model
	}
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
	setInt(&c.R, r)
	setInt(&c.W, w)
	if c.Versioning == "" {
		c.Versioning = v
	}
	if c.ReadRepair == "" {
		c.ReadRepair = rr
	}
	return c
}

// Validate reports the first bad field, naming it and its value.
func (c Config) Validate() error {
	c = c.withDefaults()
	checks := []struct {
		bad        bool
		field, why string
		value      any
	}{
		{!slices.Contains(Models(), c.Model), "Model", fmt.Sprintf("unknown model (want one of %v)", Models()), c.Model},
		{c.Duration < 0 || c.Duration > maxDuration, "Duration", "must be in (0, 24h]", c.Duration},
		{c.Window < 0 || c.Window > c.Duration, "Window", "must be positive and at most Duration", c.Window},
		{c.Nodes < 1 || c.Nodes > MaxNodes, "Nodes", fmt.Sprintf("must be 1..%d: a store needs replicas", MaxNodes), c.Nodes},
		{c.R < 0, "R", "must not be negative (0 takes the model's)", c.R},
		{c.R > c.Nodes, "R", fmt.Sprintf("is larger than N=%d", c.Nodes), c.R},
		{c.W < 0, "W", "must not be negative (0 takes the model's)", c.W},
		{c.W > c.Nodes, "W", fmt.Sprintf("is larger than N=%d", c.Nodes), c.W},
		{c.Versioning != Timestamps && c.Versioning != Counters, "Versioning", "must be timestamp or counter", c.Versioning},
		{c.ReadRepair != NoRepair && c.ReadRepair != AsyncRepair && c.ReadRepair != SyncRepair, "ReadRepair", "must be off, async or sync", c.ReadRepair},
		{c.NodeLatency < 0, "NodeLatency", "must not be negative", c.NodeLatency},
		{c.NetworkLatency < 0, "NetworkLatency", "must not be negative", c.NetworkLatency},
		{c.LocalLatency < 0, "LocalLatency", "must not be negative", c.LocalLatency},
		{c.Regions < 1 || c.Regions > MaxNodes, "Regions", fmt.Sprintf("must be 1..%d", MaxNodes), c.Regions},
		{!(c.Loss >= 0 && c.Loss < 1), "Loss", "must be in [0, 1)", c.Loss},
		{c.Clients < 1 || c.Clients > maxClients, "Clients", fmt.Sprintf("must be 1..%d", maxClients), c.Clients},
		{!(c.Rate > 0 && c.Rate <= 1e5), "Rate", "must be in (0, 100000] operations per second per client", c.Rate},
		{!(c.WriteRatio > 0 && c.WriteRatio <= 1), "WriteRatio", "must be in (0, 1]", c.WriteRatio},
		{c.Keys < 1 || c.Keys > maxKeys, "Keys", fmt.Sprintf("must be 1..%d", maxKeys), c.Keys},
		{c.Timeout < 0, "Timeout", "must be positive", c.Timeout},
		{c.ClockSkew < 0 || c.ClockSkew > time.Hour, "ClockSkew", "must be in [0, 1h]", c.ClockSkew},
		{c.Standbys < 0 || c.Standbys > MaxNodes, "Standbys", fmt.Sprintf("must be 0..%d", MaxNodes), c.Standbys},
		{c.HandoffInterval < 0, "HandoffInterval", "must be positive", c.HandoffInterval},
		{c.PartitionStart < 0, "PartitionStart", "must not be negative", c.PartitionStart},
		{c.PartitionDuration < 0, "PartitionDuration", "must be positive", c.PartitionDuration},
		{c.MaxOps < 1 || c.MaxOps > maxOps, "MaxOps", fmt.Sprintf("must be 1..%d", maxOps), c.MaxOps},
	}
	for _, k := range checks {
		if k.bad {
			sep := ": "
			if strings.HasPrefix(k.why, "is ") {
				sep = " "
			}
			return fmt.Errorf("quorum: %s=%v%s%s", k.field, k.value, sep, k.why)
		}
	}
	if c.Latency != "" {
		d, err := dist.Parse(c.Latency)
		if err != nil {
			return fmt.Errorf("quorum: Latency=%q: %v", c.Latency, err)
		}
		if err := dist.ValidateDuration(d); err != nil {
			return fmt.Errorf("quorum: Latency=%q: %v", c.Latency, err)
		}
	}
	return nil
}
