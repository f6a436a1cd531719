package lab

import (
	"cmp"
	"fmt"
	"math"
	"time"

	"dsim/sim/dist"
	"dsim/sim/lab/internal/bounds"
)

// Test is one experiment on a node: the workload that drives it, the
// cluster it runs in, the faults it meets and the seed of the run. Zero
// fields take the documented defaults. Everything but New, Checkers and
// Monitor is data, and a saved case (Case) holds all of it.
type Test struct {
	// Workload is the name of Maelstrom's workload: "echo", "unique-ids",
	// "broadcast", "g-counter", "pn-counter", "lin-kv" or "kafka"; or
	// "bank", Jepsen's bank test (transfers between accounts).
	Workload string
	// Node names the node's code in reports and saved cases. A reference
	// node's name (References) also supplies New when New is nil.
	Node string
	// New makes a node: once per node at the start, and again when a crash
	// loses a node's memory. Not saved with a case.
	New func() Node `json:"-"`
	// Checkers are checked after the workload's own (Checkers of the
	// workload). Not saved with a case.
	Checkers []Checker `json:"-"`
	// Monitor makes the run's monitor (one per run), which sees what nodes
	// report with Env.Observe as the run goes and gives its verdict after
	// the checkers'. Not saved with a case.
	Monitor func() Monitor `json:"-"`

	Nodes   int     // nodes n0, n1, ...; default 5
	Clients int     // clients c0, c1, ...; default 3
	Rate    float64 // requests per second from all clients together; default 20
	// Open makes the clients open-loop: requests arrive at Rate whether or
	// not the earlier ones were answered. Closed-loop clients (the default)
	// wait for an answer or a timeout, then think for a random time.
	Open     bool
	Duration time.Duration // how long the clients send requests; default 10s
	// Recovery is how long the cluster has, after the workload and every
	// fault have ended, before the final reads; default 5s.
	Recovery time.Duration
	Timeout  time.Duration // a client's wait for an answer; default 1s

	Latency   dist.Dist `json:"-"` // one-way delay of a message; default lognormal(5ms, 0.5)
	Loss      float64   // probability that a message is lost, outside faults
	Duplicate float64   // probability that a message is delivered twice
	// Topology is the broadcast workload's neighbour map: "grid" (the
	// default), "line", "total" or "tree" (branching 4).
	Topology string
	Keys     int // keys of lin-kv and kafka, accounts of bank; default 3

	ClockSkew    time.Duration // each node's clock starts up to this far off true time
	ClockDrift   float64       // and runs up to this much fast or slow (1e-4: 100 ppm)
	WriteLatency time.Duration // a durable write's latency; default 1ms

	// Nemesis draws a fault schedule from the seed when Faults is nil.
	Nemesis Nemesis
	// Faults is an explicit schedule (a saved or shrunk case). Every fault
	// ends by Duration: one with no Duration, or running past it, heals
	// then.
	Faults Schedule

	Seed   uint64
	Limits Limits
}

// Limits bound a run. Zero fields take the defaults in parentheses.
type Limits struct {
	MaxEvents       int64         // engine events (50,000,000)
	MaxMessages     int64         // messages sent by everyone (10,000,000)
	MaxSendsPerStep int           // messages one node sends in one step (10,000)
	MaxOps          int           // client operations in the history (100,000)
	MaxBacklog      int           // messages a paused node holds (100,000)
	MaxRPCs         int           // RPCs a node waits on at once (100,000)
	MaxStoreKeys    int           // keys in one node's store (100,000)
	MaxStoreBytes   int           // bytes in one node's store (64 MiB)
	Trace           int           // messages kept in the trace, the first ones (10,000; negative: none)
	LogLines        int           // lines kept of each node's log (50)
	CheckTimeout    time.Duration // the linearizability checker's budget (10s)
	MinAnswers      int           // requests a node must get before never answering one is an error (5)
}

// Defaults of Test and Limits.
const (
	DefaultNodes    = 5
	DefaultClients  = 3
	DefaultRate     = 20.0
	DefaultDuration = 10 * time.Second
	DefaultRecovery = 5 * time.Second
	DefaultTimeout  = time.Second
	DefaultKeys     = 3
	DefaultLatency  = "lognormal(5ms, 0.5)"
)

// Bounds on a test, so that a typo cannot ask for a run that never ends.
const (
	MaxNodes    = 64
	MaxClients  = 1000
	MaxDuration = 24 * time.Hour
	MaxKeys     = 10_000
)

// withDefaults fills the zero fields.
func (t Test) withDefaults() Test {
	t.Nodes = cmp.Or(t.Nodes, DefaultNodes)
	t.Clients = cmp.Or(t.Clients, DefaultClients)
	t.Rate = cmp.Or(t.Rate, DefaultRate)
	t.Duration = cmp.Or(t.Duration, DefaultDuration)
	t.Recovery = cmp.Or(t.Recovery, DefaultRecovery)
	t.Timeout = cmp.Or(t.Timeout, DefaultTimeout)
	if t.Latency == nil {
		t.Latency = dist.MustParse(DefaultLatency)
	}
	t.Topology = cmp.Or(t.Topology, "grid")
	t.Keys = cmp.Or(t.Keys, DefaultKeys)
	t.WriteLatency = cmp.Or(t.WriteLatency, time.Millisecond)
	if t.New == nil {
		if ref, ok := reference(t.Node); ok {
			t.New = ref.New
		}
	}
	t.Nemesis = t.Nemesis.withDefaults()
	t.Limits = t.Limits.withDefaults()
	return t
}

func (l Limits) withDefaults() Limits {
	def := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	l.MaxEvents = cmp.Or(l.MaxEvents, 50_000_000)
	l.MaxMessages = cmp.Or(l.MaxMessages, 10_000_000)
	def(&l.MaxSendsPerStep, 10_000)
	def(&l.MaxOps, 100_000)
	def(&l.MaxBacklog, 100_000)
	def(&l.MaxRPCs, 100_000)
	def(&l.MaxStoreKeys, 100_000)
	def(&l.MaxStoreBytes, 64<<20)
	def(&l.Trace, 10_000)
	def(&l.LogLines, 50)
	def(&l.MinAnswers, 5)
	l.CheckTimeout = cmp.Or(l.CheckTimeout, 10*time.Second)
	return l
}

// Validate reports the first field that cannot work, naming it, its value
// and the allowed range.
func (t Test) Validate() error {
	t = t.withDefaults()
	if err := t.validateData(); err != nil {
		return err
	}
	if t.New == nil {
		if t.Node == "" {
			return fmt.Errorf("lab: New is nil and Node is empty: give the node's constructor, or a reference node's name (%s)", quoteList(referenceNames()))
		}
		return fmt.Errorf("lab: Node=%q is not a reference node (%s) and New is nil", t.Node, quoteList(referenceNames()))
	}
	return nil
}

// validateData checks every field but New: what a case file holds.
func (t Test) validateData() error {
	if _, ok := workloads[t.Workload]; !ok {
		return fmt.Errorf("lab: Workload=%q: must be one of %s", t.Workload, quoteList(WorkloadNames()))
	}
	if err := cmp.Or(
		bounds.In("lab", "Nodes", t.Nodes, 1, MaxNodes),
		bounds.In("lab", "Clients", t.Clients, 1, MaxClients),
		bounds.In("lab", "Timeout", t.Timeout, time.Microsecond, time.Hour),
		bounds.Under("lab", "Loss", t.Loss, 0, 1),
		bounds.Under("lab", "Duplicate", t.Duplicate, 0, 1),
		bounds.In("lab", "Keys", t.Keys, 1, MaxKeys),
		bounds.In("lab", "ClockSkew", t.ClockSkew, 0, time.Hour),
		bounds.Under("lab", "ClockDrift", t.ClockDrift, 0, 0.5),
		bounds.In("lab", "WriteLatency", t.WriteLatency, 0, time.Minute),
	); err != nil {
		return err
	}
	switch {
	case !(t.Rate > 0) || math.IsInf(t.Rate, 0) || t.Rate > 1e6:
		return fmt.Errorf("lab: Rate=%v: must be in (0, 1e6] requests per second", t.Rate)
	case t.Duration < 0 || t.Duration > MaxDuration:
		return fmt.Errorf("lab: Duration=%v: must be in (0, %v]", t.Duration, MaxDuration)
	case t.Recovery < 0 || t.Recovery > MaxDuration:
		return fmt.Errorf("lab: Recovery=%v: must be in (0, %v]", t.Recovery, MaxDuration)
	case t.Workload == "bank" && t.Keys < 2:
		return fmt.Errorf("lab: Keys=%d: the bank workload transfers between accounts, so it needs at least 2", t.Keys)
	}
	if !validTopology(t.Topology) {
		return fmt.Errorf("lab: Topology=%q: must be \"grid\", \"line\", \"total\" or \"tree\"", t.Topology)
	}
	if err := dist.ValidateDuration(t.Latency); err != nil {
		return fmt.Errorf("lab: Latency=%v: %v", t.Latency, err)
	}
	if ops := t.Rate * t.Duration.Seconds(); ops > float64(t.Limits.MaxOps) {
		return fmt.Errorf("lab: Rate=%v for Duration=%v makes about %.0f requests, more than Limits.MaxOps=%d", t.Rate, t.Duration, ops, t.Limits.MaxOps)
	}
	if err := t.Limits.validate(); err != nil {
		return err
	}
	if t.Faults == nil {
		return t.Nemesis.validate()
	}
	if len(t.Faults) > MaxFaults {
		return fmt.Errorf("lab: Faults has %d faults, more than %d", len(t.Faults), MaxFaults)
	}
	for i, f := range t.Faults {
		if err := f.validate(t.nodeIDs()); err != nil {
			return fmt.Errorf("lab: Faults[%d]: %v", i, err)
		}
	}
	return nil
}

func (l Limits) validate() error {
	ints := []struct {
		name string
		v    int64
	}{
		{"MaxEvents", l.MaxEvents}, {"MaxMessages", l.MaxMessages}, {"MaxSendsPerStep", int64(l.MaxSendsPerStep)},
		{"MaxOps", int64(l.MaxOps)}, {"MaxBacklog", int64(l.MaxBacklog)}, {"MaxRPCs", int64(l.MaxRPCs)},
		{"MaxStoreKeys", int64(l.MaxStoreKeys)}, {"MaxStoreBytes", int64(l.MaxStoreBytes)},
		{"LogLines", int64(l.LogLines)}, {"MinAnswers", int64(l.MinAnswers)},
	}
	for _, f := range ints {
		if f.v < 0 {
			return fmt.Errorf("lab: Limits.%s=%d: must not be negative (0 is the default)", f.name, f.v)
		}
	}
	if l.MaxOps > 10_000_000 {
		return fmt.Errorf("lab: Limits.MaxOps=%d: must be at most 10,000,000", l.MaxOps)
	}
	if l.CheckTimeout < 0 {
		return fmt.Errorf("lab: Limits.CheckTimeout=%v: must not be negative", l.CheckTimeout)
	}
	return nil
}

// nodeIDs names the nodes: n0, n1, ...
func (t Test) nodeIDs() []string {
	ids := make([]string, t.Nodes)
	for i := range ids {
		ids[i] = fmt.Sprintf("n%d", i)
	}
	return ids
}

func quoteList(names []string) string {
	s := ""
	for i, n := range names {
		if i > 0 {
			s += ", "
		}
		s += fmt.Sprintf("%q", n)
	}
	return s
}
