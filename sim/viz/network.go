package viz

import (
	"cmp"
	"dsim/sim"
	"dsim/sim/net"
)

// Messages draws a network's trace as a message-sequence (Lamport)
// diagram: one vertical line per node, time flowing down, an arrow per
// message from its sending to its arrival; dropped messages end in a cross
// where they were dropped. Only messages sent in [from, to) are drawn (to
// = 0: no bound), at most limit of them (0: 60), since a diagram of
// thousands of arrows shows nothing. Partition and crash windows are
// shaded unless o has spans of its own.
func Messages(n *net.Network, o Options, from, to sim.Time, limit int) *Figure {
	if limit <= 0 {
		limit = 60
	}
	now := n.Sim().Now()
	trace, _ := n.Trace()
	var arrows []Arrow
	for _, r := range trace {
		if r.Sent < from || (to > 0 && r.Sent >= to) {
			continue
		}
		if len(arrows) == limit {
			break
		}
		at := r.At
		if r.Fate == net.InFlight {
			at = now
		}
		arrows = append(arrows, Arrow{From: int(r.From), To: int(r.To), Sent: r.Sent, At: at, Label: r.Kind, Dropped: r.Fate != net.Delivered && r.Fate != net.InFlight})
	}
	o.Title = cmp.Or(o.Title, "Messages between nodes")
	if len(o.Spans) == 0 {
		o.Spans = FaultSpans(n.Faults(), now)
	}
	return Sequence(o, n.Names(), arrows)
}

// FaultSpans turns a fault schedule into spans to shade on the figures of
// a run that ended at end, each labelled with its kind.
func FaultSpans(faults []net.Fault, end sim.Time) []Span {
	var spans []Span
	for _, f := range faults {
		spans = append(spans, Span{From: sim.FromDuration(f.Start), To: min(f.End(), end), Label: f.Kind})
	}
	return spans
}
