package detect

import (
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"dsim/sim"
	"dsim/sim/dist"
	"dsim/sim/lab"
	"dsim/sim/lab/internal/bounds"
)

// Conditions are the network and the faults a measurement runs in. One
// node, drawn from the seed, crashes for good at a time drawn from the
// seed in the last third of the run (after phi's window has filled);
// every node may pause. Zero fields take the defaults.
type Conditions struct {
	Name     string        // for tables and figures
	Nodes    int           // default 5
	Duration time.Duration // default 2m
	// Latency is a message's one-way delay, as sim/dist parses it; its
	// spread is the latency variance; default "lognormal(5ms, 0.2)".
	Latency string
	Loss    float64 // probability that a heartbeat is lost
	// PauseEvery is the mean gap between two pauses of a node (GC-like:
	// the process stops, then catches up on what it missed); zero: no
	// pauses. PauseLength is a pause's mean length (exponential, at least
	// a tenth of it); default 200ms.
	PauseEvery, PauseLength time.Duration
	Seed                    uint64
}

// DefaultLatency is the latency of Conditions when none is given: a calm
// network.
const DefaultLatency = "lognormal(5ms, 0.2)"

func (c Conditions) withDefaults() Conditions {
	c.Nodes = cmp.Or(c.Nodes, 5)
	c.Duration = cmp.Or(c.Duration, 2*time.Minute)
	c.Latency = cmp.Or(c.Latency, DefaultLatency)
	c.PauseLength = cmp.Or(c.PauseLength, 200*time.Millisecond)
	return c
}

// Validate reports the first field that cannot work.
func (c Conditions) Validate() error {
	c = c.withDefaults()
	if err := cmp.Or(
		bounds.In("detect", "Nodes", c.Nodes, 2, lab.MaxNodes),
		bounds.In("detect", "Duration", c.Duration, 10*time.Second, 24*time.Hour),
		bounds.Under("detect", "Loss", c.Loss, 0, 1),
	); err != nil {
		return err
	}
	if c.PauseEvery < 0 || c.PauseEvery > 0 && c.PauseEvery < 100*time.Millisecond {
		return fmt.Errorf("detect: PauseEvery=%v: must be 0 (no pauses) or at least 100ms", c.PauseEvery)
	}
	if err := bounds.In("detect", "PauseLength", c.PauseLength, time.Millisecond, time.Minute); err != nil {
		return err
	}
	if _, err := dist.Parse(c.Latency); err != nil {
		return fmt.Errorf("detect: Latency=%q: %v", c.Latency, err)
	}
	return nil
}

// Outcome is what one detector did in one run, or over several (Sweep
// adds them up).
type Outcome struct {
	Detector Detector
	// Detections are the live nodes that suspected the crashed one, and
	// the time from the crash to each one's suspicion (zero for a node
	// that suspected it already); Missed did not by the end.
	Detections    int
	Missed        int
	MeanDetection time.Duration
	MaxDetection  time.Duration
	// FalseSuspicions count the times a node began to suspect a peer that
	// was up (paused counts as up: it is alive, only slow). WatchHours
	// are the hours of one node watching one live peer, summed over the
	// pairs; FalsePerHour is their ratio, the mistake rate of Chen, Toueg
	// and Aguilera's QoS metrics.
	FalseSuspicions int
	WatchHours      float64
	FalsePerHour    float64
}

// MaxReports bounds the suspicions a run may report; past it the run
// fails with an error rather than grow without end.
const MaxReports = 2_000_000

// Run runs one measurement: heartbeat nodes with cfg in conditions c, and
// what each detector of cfg did, in cfg.Detectors' order. The same
// arguments give the same outcomes.
func Run(ctx context.Context, cfg Config, c Conditions) ([]Outcome, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	cfg, c = cfg.withDefaults(), c.withDefaults()
	t, crashed, crashAt := labTest(cfg, c)
	r, err := lab.RunContext(ctx, t)
	if err != nil {
		return nil, err
	}
	if !r.OK() {
		return nil, fmt.Errorf("detect: seed %d: %s", c.Seed, r.Failure())
	}
	m := r.Monitor.(*monitor)
	if m.over {
		return nil, fmt.Errorf("detect: seed %d: more than %d suspicions reported (MaxReports)", c.Seed, MaxReports)
	}
	return m.outcomes(cfg, c, crashed, crashAt), nil
}

// labTest builds the lab test of a measurement: a slow echo workload (the
// nodes' real traffic is their heartbeats), the crash and the pauses as
// an explicit schedule.
func labTest(cfg Config, c Conditions) (lab.Test, string, time.Duration) {
	r := sim.Stream(c.Seed, "detect/faults")
	crashed := fmt.Sprintf("n%d", r.IntN(c.Nodes))
	crashAt := (c.Duration*2/3 + time.Duration(r.Int64N(int64(c.Duration/6)))).Round(time.Millisecond)
	faults := lab.Schedule{{Kind: lab.FaultCrash, Nodes: []string{crashed},
		Window: sim.Window{Start: crashAt, Duration: c.Duration - crashAt}}}
	if c.PauseEvery > 0 {
		for i := range c.Nodes {
			faults = append(faults, pauses(r, c, fmt.Sprintf("n%d", i), crashed, crashAt)...)
		}
	}
	slices.SortStableFunc(faults, func(a, b lab.Fault) int { return int(a.Start - b.Start) })
	t := lab.Test{Workload: "echo", Node: "detect", New: func() lab.Node { return New(cfg) },
		Monitor: func() lab.Monitor { return &monitor{} },
		Nodes:   c.Nodes, Clients: 1, Rate: 1, Duration: c.Duration, Recovery: time.Millisecond,
		Latency: dist.MustParse(c.Latency), Loss: c.Loss, Faults: faults, Seed: c.Seed,
		Limits: lab.Limits{Trace: -1}}
	return t, crashed, crashAt
}

// pauses draws one node's pauses: exponential gaps and lengths, none
// overlapping the next, none of the crashed node past its crash.
func pauses(r *rand.Rand, c Conditions, node, crashed string, crashAt time.Duration) lab.Schedule {
	var out lab.Schedule
	end := c.Duration
	if node == crashed {
		end = crashAt
	}
	at := time.Duration(0)
	for len(out) < lab.MaxFaults/c.Nodes {
		at += time.Duration(r.ExpFloat64() * float64(c.PauseEvery))
		length := max(time.Duration(r.ExpFloat64()*float64(c.PauseLength)), c.PauseLength/10).Round(time.Millisecond)
		at = at.Round(time.Millisecond)
		if at+length >= end {
			break
		}
		out = append(out, lab.Fault{Kind: lab.FaultPause, Nodes: []string{node}, Window: sim.Window{Start: at, Duration: length}})
		at += length
	}
	return out
}

// monitor keeps every suspicion reported, with its node and time.
type monitor struct {
	reports []report
	over    bool
}

type report struct {
	at   sim.Time
	node string
	s    Suspicion
}

func (m *monitor) Observe(node string, at sim.Time, v any) {
	s, ok := v.(Suspicion)
	if !ok {
		return
	}
	if len(m.reports) >= MaxReports {
		m.over = true
		return
	}
	m.reports = append(m.reports, report{at, node, s})
}

func (m *monitor) Check(r *lab.Result) lab.Verdict {
	if m.over {
		return lab.Verdict{Checker: "detect", Outcome: lab.Unknown, Summary: fmt.Sprintf("more than %d suspicions reported", MaxReports)}
	}
	return lab.Verdict{Checker: "detect", Outcome: lab.Valid, Summary: fmt.Sprintf("%d suspicions and trusts reported", len(m.reports))}
}
