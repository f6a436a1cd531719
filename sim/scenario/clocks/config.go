package clocks

import (
	"fmt"
	"time"

	"dsim/sim/dist"
	"dsim/sim/metrics"
	"dsim/sim/scenario"
	"dsim/sim/scenario/internal/describe"
)

// Stamp is what the replicated register's last-writer-wins rule orders
// writes by.
type Stamp string

const (
	// PhysicalStamp orders writes by the writing process's clock, as
	// Cassandra's cells and many caches do: skew reorders them.
	PhysicalStamp Stamp = "physical"
	// LamportStamp orders writes by Lamport time: a write that happens
	// after another always wins over it.
	LamportStamp Stamp = "lamport"
)

func (s Stamp) title() string {
	if s == LamportStamp {
		return "Lamport"
	}
	return "Physical"
}

// Stamps lists the stamps a register can use.
func Stamps() []Stamp { return []Stamp{PhysicalStamp, LamportStamp} }

// Config is one time-and-order experiment; start from Default. A zero
// field takes its default, except where the knob table says what zero
// means (no loss, no skew, no drift, no synchronisation, no clients): a
// zero Config has exact clocks. KnobTable lists every knob.
type Config struct {
	// Seed is the root of every random stream of the run.
	Seed uint64
	// Processes is the number of processes, p1..pN: each holds a replica
	// of the register, writes it and sends its state to the others.
	Processes int
	// WriteRate is each process's local writes per second (Poisson).
	WriteRate float64
	// MessageRate is each process's messages per second (Poisson), each
	// to a random other process, carrying its replica's state.
	MessageRate float64
	// Latency is the one-way delay of a message between processes and
	// clients.
	Latency dist.Dist
	// Loss is the probability that a message is lost.
	Loss float64
	// Duration is the run's length in virtual time.
	Duration time.Duration

	// Skew spreads the processes' clock offsets evenly over
	// [-Skew, +Skew]: p1 is Skew behind, pN Skew ahead.
	Skew time.Duration
	// DriftPPM spreads the clocks' rate errors evenly over
	// [-DriftPPM, +DriftPPM] parts per million, in the same order as the
	// offsets, so the clock ahead also runs fast.
	DriftPPM float64
	// SyncPeriod is how often each process synchronises its clock with
	// the time server by Cristian's algorithm; zero never does.
	SyncPeriod time.Duration
	// SyncLatency is the one-way delay to the time server and back.
	SyncLatency dist.Dist

	// Stamps is what the register's last writer wins orders writes by.
	Stamps Stamp

	// Clients is the number of clients, c1..cK, each reading and writing
	// the register at a random process per operation.
	Clients int
	// ClientRate is each client's operations per second when answers are
	// instant (it waits for each answer, then a Poisson gap).
	ClientRate float64
	// ReadShare is the share of a client's operations that read.
	ReadShare float64
	// Tokens makes clients carry session tokens: the versions they have
	// written and read. A process serves a request only once its replica
	// holds every version the token names.
	Tokens bool
	// Timeout is how long a client waits for an answer; a process holding
	// a request it is behind on refuses it after half of it.
	Timeout time.Duration

	// MaxEvents bounds the events recorded (writes, sends, receives): the
	// run stops when it reaches them.
	MaxEvents int
	// Window is the sampling interval of the clocks' errors.
	Window time.Duration
}

// Limits beyond what the knob table bounds. maxEvents keeps the
// happens-before relation (a bit per pair of events) within 3 MB;
// maxLanes keeps the diagram's lanes apart; maxSyncs bounds the
// synchronisation messages; maxSamples the points of each clock's series.
const (
	maxEvents    = 5000
	maxProcesses = 16
	maxClients   = 16
	maxSyncs     = 100_000
	maxSamples   = 10_000
	maxSpan      = 24 * time.Hour
	// maxPending bounds the requests a process holds while it catches up
	// with a token; past it, a request is refused at once.
	maxPending = 1000
)

var knobs = scenario.NewTable("clocks", Config{}, nil,
	scenario.Int("Processes", "processes", "processes, each a replica of the register", 3, 2, maxProcesses),
	scenario.Num("WriteRate", "writes/s", "each process's local writes per second (Poisson)", 1, 0.001, 1000),
	scenario.Num("MessageRate", "msgs/s", "each process's messages per second to a random other (Poisson)", 2, 0.001, 1000).Alias("rate"),
	scenario.Distribution("Latency", "one-way delay of a message", "lognormal(20ms, 0.5)", 0, time.Minute),
	scenario.Num("Loss", "share", "chance a message is lost", 0, 0, 0.99).ZeroMeans("no loss"),
	scenario.Dur("Duration", "the run's length in virtual time", 10*time.Second, 100*time.Millisecond, maxSpan),
	scenario.Dur("Skew", "clock offsets spread evenly over ± this", 30*time.Millisecond, time.Nanosecond, time.Hour).ZeroMeans("clocks start together"),
	scenario.Num("DriftPPM", "ppm", "clock rate errors spread evenly over ± this", 200, 0.001, 100_000).ZeroMeans("no drift").Alias("drift"),
	scenario.Dur("SyncPeriod", "each process synchronises with the time server every period (Cristian)", 0, time.Millisecond, time.Hour).ZeroMeans("never").Alias("sync"),
	scenario.Distribution("SyncLatency", "one-way delay to the time server", "lognormal(5ms, 0.5)", 0, time.Minute).OnlyWithout("SyncPeriod", "0s"),
	scenario.OneOf("Stamps", "what the register's last writer wins orders writes by", string(PhysicalStamp), describe.Strings(Stamps())...),
	scenario.Int("Clients", "clients", "clients reading and writing at a random process each time", 0, 1, maxClients).ZeroMeans("none"),
	scenario.Num("ClientRate", "ops/s", "each client's operations per second when answers are instant", 4, 0.001, 1000).OnlyWithout("Clients", "0"),
	scenario.Num("ReadShare", "share", "share of a client's operations that read", 0.5, 0.01, 0.99).OnlyWithout("Clients", "0"),
	scenario.Bool("Tokens", "clients carry session tokens: the versions they have seen", false).OnlyWithout("Clients", "0"),
	scenario.Dur("Timeout", "how long a client waits for an answer", time.Second, time.Millisecond, time.Hour).OnlyWithout("Clients", "0"),
	scenario.Int("MaxEvents", "events", "events recorded before the run stops", 2000, 10, maxEvents),
	scenario.Dur("Window", "sampling interval of the clocks' errors", 100*time.Millisecond, time.Millisecond, time.Hour),
)

// KnobTable lists every knob of Config: its flag, unit, default, range
// and what it sets. Sweeps, the command line and the explorer take the
// same names.
func KnobTable() *metrics.Table { return knobs.Doc() }

// Default returns the defaults: three processes whose clocks start up to
// 30ms apart and drift up to 200ppm, writing once and sending twice a
// second for 10 seconds over 20ms links, never synchronised, the register
// ordered by physical stamps, no clients.
func Default() Config {
	return describe.Default[Config](knobs, 1)
}

// withDefaults fills the zero fields that mean "default".
func (c Config) withDefaults() Config {
	_ = knobs.Fill(&c)
	return c
}

func bad(field string, value any, why string) error {
	return fmt.Errorf("clocks: %s=%v: %s", field, value, why)
}

// Validate reports the first field that cannot work, naming it, its value
// and the limit: the knobs' ranges first, then the rules across fields.
func (c Config) Validate() error {
	c = c.withDefaults()
	if err := knobs.Check(c); err != nil {
		return err
	}
	switch {
	case c.Window > c.Duration:
		return bad("Window", c.Window, fmt.Sprintf("is longer than Duration=%v", c.Duration))
	case c.Duration/c.Window > maxSamples:
		return bad("Window", c.Window, fmt.Sprintf("gives %d samples of each clock over Duration=%v; at most %d", c.Duration/c.Window, c.Duration, maxSamples))
	case c.SyncPeriod > 0 && int64(c.Duration/c.SyncPeriod)*int64(c.Processes) > maxSyncs:
		return bad("SyncPeriod", c.SyncPeriod, fmt.Sprintf("plans %d synchronisations over Duration=%v with %d processes; at most %d",
			int64(c.Duration/c.SyncPeriod)*int64(c.Processes), c.Duration, c.Processes, maxSyncs))
	}
	return nil
}
