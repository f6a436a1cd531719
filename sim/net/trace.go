package net

import (
	"fmt"
	"strings"

	"dsim/sim"
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
