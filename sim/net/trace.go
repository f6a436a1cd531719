package net

import (
	"fmt"
	"strings"

	"dsim/sim"
	"dsim/sim/viz"
)

// Fate is what became of a message.
type Fate int

const (
	InFlight  Fate = iota // not yet arrived when the trace was read
	Delivered             // handed to the receiver's handler
	Lost                  // dropped by random loss
	Cut                   // dropped by a partition
	Down                  // dropped because the receiver was down or had restarted
)

func (f Fate) String() string {
	return [...]string{"in flight", "delivered", "lost", "cut", "down"}[f]
}

// Record is one message in the trace.
type Record struct {
	ID       int64
	From, To Node
	Kind     string
	Sent, At sim.Time // At: delivery or drop time
	Fate     Fate
	Copy     bool // a duplicate made by the network
}

// record keeps a message in the trace and returns its index, or -1 past
// the trace's bound.
func (n *Network) record(m Message, dup bool) int {
	if len(n.trace) >= n.limit {
		n.untraced++
		return -1
	}
	n.trace = append(n.trace, Record{ID: m.ID, From: m.From, To: m.To, Kind: m.Kind, Sent: m.Sent, Copy: dup})
	return len(n.trace) - 1
}

func (n *Network) settle(i int, at sim.Time, f Fate) {
	if i >= 0 {
		n.trace[i].At, n.trace[i].Fate = at, f
	}
}

// Trace returns the messages kept so far (the first TraceLimit ones) and
// how many more were sent but not kept.
func (n *Network) Trace() (kept []Record, untraced int64) { return n.trace, n.untraced }

// TraceText writes the trace as one line per message, for small runs and
// golden files: "12.000ms c1 -> r2 write delivered at 22.310ms".
func (n *Network) TraceText() string {
	var b strings.Builder
	for _, r := range n.trace {
		cp := ""
		if r.Copy {
			cp = " (copy)"
		}
		fmt.Fprintf(&b, "%s %s -> %s %s%s %s at %s\n", ms(r.Sent), n.nodes[r.From].name, n.nodes[r.To].name, r.Kind, cp, r.Fate, ms(r.At))
	}
	if n.untraced > 0 {
		fmt.Fprintf(&b, "... %d more messages not kept (TraceLimit)\n", n.untraced)
	}
	return b.String()
}

func ms(t sim.Time) string { return fmt.Sprintf("%.3fms", float64(t)/float64(sim.Millisecond)) }

// TraceFigure draws the trace as a message-sequence (Lamport) diagram: one
// vertical line per node, time flowing down, an arrow per message from its
// sending to its arrival; dropped messages end in a cross where they were
// dropped. Only messages sent in [from, to) are drawn (to = 0: no bound),
// at most limit of them (0: 60), since a diagram of thousands of arrows
// shows nothing. Partition and crash windows are shaded.
func (n *Network) TraceFigure(o viz.Options, from, to sim.Time, limit int) *viz.Figure {
	if limit <= 0 {
		limit = 60
	}
	var arrows []viz.Arrow
	for _, r := range n.trace {
		if r.Sent < from || (to > 0 && r.Sent >= to) {
			continue
		}
		if len(arrows) == limit {
			break
		}
		at := r.At
		if r.Fate == InFlight {
			at = n.s.Now()
		}
		arrows = append(arrows, viz.Arrow{From: int(r.From), To: int(r.To), Sent: r.Sent, At: at, Label: r.Kind, Dropped: r.Fate != Delivered && r.Fate != InFlight})
	}
	if o.Title == "" {
		o.Title = "Messages between nodes"
	}
	if len(o.Spans) == 0 {
		o.Spans = n.FaultSpans(n.s.Now())
	}
	return viz.Sequence(o, n.Names(), arrows)
}

// FaultSpans returns the scheduled faults as spans to shade on figures
// of a run that ended at end.
func (n *Network) FaultSpans(end sim.Time) []viz.Span {
	var spans []viz.Span
	for _, f := range n.faults {
		spans = append(spans, viz.Span{From: sim.FromDuration(f.Start), To: min(f.End(), end), Label: f.Kind})
	}
	return spans
}
