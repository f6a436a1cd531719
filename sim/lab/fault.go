package lab

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"time"

	"dsim/sim"
)

// Fault kinds for Fault.Kind and Nemesis.Kinds.
const (
	FaultPartition = "partition" // cut every link between Sides, both ways
	FaultOneWay    = "one-way"   // drop messages From -> To only
	FaultCrash     = "crash"     // stop Nodes; restart them at the end
	FaultPause     = "pause"     // Nodes stop processing (a GC pause), then catch up
	FaultClock     = "clock"     // Nodes' clocks jump by Jump and drift by Drift
	FaultLoss      = "loss"      // every message is lost with probability Rate
	FaultDuplicate = "duplicate" // every message is delivered twice with probability Rate
	FaultSlow      = "slow"      // messages from or to Nodes take Delay longer
)

// FaultKinds returns every fault kind, in the order above.
func FaultKinds() []string {
	return []string{FaultPartition, FaultOneWay, FaultCrash, FaultPause, FaultClock, FaultLoss, FaultDuplicate, FaultSlow}
}

// Fault is one entry of a fault schedule: what breaks, when, for how
// long. Only the fields of its kind are set.
type Fault struct {
	Kind string
	// Window places the fault. A zero Duration, or one past the test's
	// Duration, heals at the test's Duration.
	sim.Window
	Sides    [][]string // partition: two or more sides; nodes on none keep their links
	From, To []string   // one-way
	Nodes    []string   // crash, pause, clock, slow
	// Keep makes a crash keep the node's memory: the process was frozen and
	// cut off (its connections reset, its timers held), not killed. A crash
	// without Keep loses every field of the node and its writes not yet
	// durable; the restart calls Start on a new node.
	Keep  bool
	Jump  time.Duration // clock: a step of the clock (negative: back)
	Drift float64       // clock: extra rate error while the fault lasts (1e-3 is 1 ms per second fast)
	Rate  float64       // loss, duplicate: probability per message, in (0, 1)
	Delay time.Duration // slow: added to each message from or to Nodes
	Shape string        // partition: how the sides were drawn ("halves", "majority", "bridge"), for reading
}

// String describes the fault in one line:
// "partition {n0 n1} | {n2 n3 n4} (majority) from 1.2s for 800ms".
func (f Fault) String() string {
	set := func(names []string) string { return "{" + strings.Join(names, " ") + "}" }
	var what string
	switch f.Kind {
	case FaultPartition:
		parts := make([]string, len(f.Sides))
		for i, s := range f.Sides {
			parts[i] = set(s)
		}
		what = "partition " + strings.Join(parts, " | ")
		if f.Shape != "" {
			what += " (" + f.Shape + ")"
		}
	case FaultOneWay:
		what = fmt.Sprintf("one-way cut %s -> %s", set(f.From), set(f.To))
	case FaultCrash:
		what = "crash " + set(f.Nodes)
		if f.Keep {
			what += " keeping memory"
		}
	case FaultPause:
		what = "pause " + set(f.Nodes)
	case FaultClock:
		what = "clock " + set(f.Nodes)
		if f.Jump != 0 {
			what += fmt.Sprintf(" jumps %+v", f.Jump)
		}
		if f.Drift != 0 {
			what += fmt.Sprintf(" drifts %+g", f.Drift)
		}
	case FaultLoss:
		what = fmt.Sprintf("loss %g%%", f.Rate*100)
	case FaultDuplicate:
		what = fmt.Sprintf("duplicate %g%%", f.Rate*100)
	case FaultSlow:
		what = fmt.Sprintf("slow %s +%v", set(f.Nodes), f.Delay)
	default:
		what = f.Kind
	}
	if f.Duration == 0 {
		return fmt.Sprintf("%s from %v", what, f.Start)
	}
	return fmt.Sprintf("%s from %v for %v", what, f.Start, f.Duration)
}

// Schedule is a fault schedule, printed one fault a line.
type Schedule []Fault

func (s Schedule) String() string {
	if len(s) == 0 {
		return "no faults\n"
	}
	var b strings.Builder
	for _, f := range s {
		b.WriteString(f.String())
		b.WriteByte('\n')
	}
	return b.String()
}

// validate checks a fault against the test's nodes.
func (f Fault) validate(nodes []string) error {
	known := map[string]bool{}
	for _, n := range nodes {
		known[n] = true
	}
	names := func(field string, list []string) error {
		if len(list) == 0 {
			return fmt.Errorf("%s fault: %s is empty", f.Kind, field)
		}
		seen := map[string]bool{}
		for _, n := range list {
			if !known[n] {
				return fmt.Errorf("%s fault: %s names %q, which is not a node (%s)", f.Kind, field, n, strings.Join(nodes, ", "))
			}
			if seen[n] {
				return fmt.Errorf("%s fault: %s names %q twice", f.Kind, field, n)
			}
			seen[n] = true
		}
		return nil
	}
	if f.Start < 0 || f.Start > MaxDuration {
		return fmt.Errorf("%s fault: Start=%v: must be in [0, %v]", f.Kind, f.Start, MaxDuration)
	}
	if f.Duration < 0 {
		return fmt.Errorf("%s fault: Duration=%v: must not be negative (0 lasts to the end of the workload)", f.Kind, f.Duration)
	}
	switch f.Kind {
	case FaultPartition:
		if len(f.Sides) < 2 {
			return fmt.Errorf("partition fault: Sides has %d sides, needs at least 2", len(f.Sides))
		}
		var all []string
		for i, s := range f.Sides {
			if err := names(fmt.Sprintf("Sides[%d]", i), s); err != nil {
				return err
			}
			all = append(all, s...)
		}
		return names("Sides", all)
	case FaultOneWay:
		if err := names("From", f.From); err != nil {
			return err
		}
		return names("To", f.To)
	case FaultCrash, FaultPause, FaultSlow:
		if err := names("Nodes", f.Nodes); err != nil {
			return err
		}
		if f.Kind == FaultSlow && (f.Delay <= 0 || f.Delay > time.Hour) {
			return fmt.Errorf("slow fault: Delay=%v: must be in (0, 1h]", f.Delay)
		}
	case FaultClock:
		if err := names("Nodes", f.Nodes); err != nil {
			return err
		}
		if f.Jump < -time.Hour || f.Jump > time.Hour {
			return fmt.Errorf("clock fault: Jump=%v: must be in [-1h, 1h]", f.Jump)
		}
		if math.IsNaN(f.Drift) || f.Drift <= -0.5 || f.Drift >= 0.5 {
			return fmt.Errorf("clock fault: Drift=%v: must be in (-0.5, 0.5)", f.Drift)
		}
	case FaultLoss, FaultDuplicate:
		if !(f.Rate > 0 && f.Rate < 1) {
			return fmt.Errorf("%s fault: Rate=%v: must be in (0, 1)", f.Kind, f.Rate)
		}
	default:
		return fmt.Errorf("Kind=%q: must be one of %s", f.Kind, quoteList(FaultKinds()))
	}
	return nil
}

// faultJSON is a fault in a case file: durations as text ("1.5s").
type faultJSON struct {
	Kind     string     `json:"kind"`
	Start    string     `json:"start"`
	Duration string     `json:"duration,omitempty"`
	Sides    [][]string `json:"sides,omitempty"`
	From     []string   `json:"from,omitempty"`
	To       []string   `json:"to,omitempty"`
	Nodes    []string   `json:"nodes,omitempty"`
	Keep     bool       `json:"keep,omitempty"`
	Jump     string     `json:"jump,omitempty"`
	Drift    float64    `json:"drift,omitempty"`
	Rate     float64    `json:"rate,omitempty"`
	Delay    string     `json:"delay,omitempty"`
	Shape    string     `json:"shape,omitempty"`
}

// MarshalJSON writes the fault with its durations as text.
func (f Fault) MarshalJSON() ([]byte, error) {
	d := func(v time.Duration) string {
		if v == 0 {
			return ""
		}
		return v.String()
	}
	return json.Marshal(faultJSON{Kind: f.Kind, Start: f.Start.String(), Duration: d(f.Duration), Sides: f.Sides,
		From: f.From, To: f.To, Nodes: f.Nodes, Keep: f.Keep, Jump: d(f.Jump), Drift: f.Drift, Rate: f.Rate,
		Delay: d(f.Delay), Shape: f.Shape})
}

// UnmarshalJSON reads what MarshalJSON writes.
func (f *Fault) UnmarshalJSON(data []byte) error {
	var j faultJSON
	if err := json.Unmarshal(data, &j); err != nil {
		return err
	}
	var err error
	parse := func(field, s string) time.Duration {
		if s == "" || err != nil {
			return 0
		}
		v, e := time.ParseDuration(s)
		if e != nil {
			err = fmt.Errorf("fault %s: %s=%q: %v", j.Kind, field, s, e)
		}
		return v
	}
	*f = Fault{Kind: j.Kind, Window: sim.Window{Start: parse("start", j.Start), Duration: parse("duration", j.Duration)},
		Sides: j.Sides, From: j.From, To: j.To, Nodes: j.Nodes, Keep: j.Keep, Jump: parse("jump", j.Jump),
		Drift: j.Drift, Rate: j.Rate, Delay: parse("delay", j.Delay), Shape: j.Shape}
	return err
}
