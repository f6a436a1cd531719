package quorum

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"dsim/sim"
	"dsim/sim/net"
	"dsim/sim/viz"
)

// OpKind picks reads or writes.
type OpKind int

// The kinds of operation.
const (
	ReadOp OpKind = iota + 1
	WriteOp
)

func (k OpKind) String() string {
	switch k {
	case ReadOp:
		return "read"
	case WriteOp:
		return "write"
	}
	return fmt.Sprintf("OpKind(%d)", int(k))
}

// FirstOp returns the first successful operation of the kind that started
// at or after `after`: the one a diagram of a single operation shows.
func (r *Result) FirstOp(kind OpKind, after time.Duration) (Op, error) {
	if kind != ReadOp && kind != WriteOp {
		return Op{}, fmt.Errorf("quorum: FirstOp: kind=%v: must be ReadOp or WriteOp", kind)
	}
	from := sim.FromDuration(after)
	var best *Op
	for i := range r.Ops {
		o := &r.Ops[i]
		if o.OK && o.Write == (kind == WriteOp) && o.Start >= from && (best == nil || o.Start < best.Start) {
			best = o
		}
	}
	if best == nil {
		return Op{}, fmt.Errorf("quorum: FirstOp: no successful %v started at or after %v", kind, after)
	}
	return *best, nil
}

// String names an operation as the diagrams and sentences do: "c2 read
// of k1 -> w7" or "c1 write w9 to k0 (timed out)".
func (o Op) String() string {
	var s string
	if o.Write {
		s = fmt.Sprintf("c%d write %s to k%d", o.Client+1, writeName(o.Value), o.Key)
	} else {
		s = fmt.Sprintf("c%d read of k%d", o.Client+1, o.Key)
		if o.OK {
			s += " -> " + writeName(o.Value)
		}
	}
	if !o.OK {
		s += " (timed out)"
	}
	return s
}

// OperationFigure draws the messages of the given operations only, as a
// sequence diagram with time flowing down: the requests each client sent
// when its operation started, the replies, the read repairs, and the
// messages a fault dropped (a cross). Lanes are the replicas, the
// standbys the operations used and their clients. One operation's arrows
// take a colour per message kind, and its span from start to end is
// shaded: its quorum's answers are the ones inside. Several operations'
// arrows take a colour per operation. It returns an error when given no operation, or one that began
// after the trace was full: the trace keeps the run's first 40000
// messages. Cost: one pass over the trace per operation.
func (r *Result) OperationFigure(ops ...Op) (*viz.Figure, error) {
	trace, untraced := r.net.Trace()
	if len(ops) == 0 {
		return nil, fmt.Errorf("quorum: OperationFigure: no operation to draw")
	}
	for _, o := range ops {
		if untraced > 0 && len(trace) > 0 && o.Start > trace[len(trace)-1].Sent {
			return nil, fmt.Errorf("quorum: OperationFigure: %v began at %s, after the trace's last message (%s): the trace keeps the first %d messages",
				o, clock(o.Start), clock(trace[len(trace)-1].Sent), len(trace))
		}
	}
	lane := map[net.Node]int{}
	var lanes []string
	addLane := func(id net.Node) {
		if _, ok := lane[id]; !ok {
			lane[id] = len(lanes)
			lanes = append(lanes, r.net.Name(id))
		}
	}
	for i := 0; i < r.Config.Nodes; i++ {
		id, _ := r.net.Lookup(fmt.Sprintf("r%d", i+1))
		addLane(id)
	}
	var arrows []viz.Arrow
	var names []string
	for _, o := range ops {
		c, _ := r.net.Lookup(fmt.Sprintf("c%d", o.Client+1))
		// Replies to this operation may come after it ended, until the
		// client's next operation begins.
		replies := r.nextStart(o)
		for _, m := range trace {
			mine := m.From == c && m.Sent >= o.Start && m.Sent <= o.End ||
				m.To == c && m.Sent >= o.Start && m.Sent < replies
			if !mine {
				continue
			}
			// One operation's arrows are coloured by kind (get, value,
			// put, ack); several operations', by operation.
			label := m.Kind
			if len(ops) > 1 {
				label = o.String()
			}
			arrows = append(arrows, viz.Arrow{From: int(m.From), To: int(m.To), Sent: m.Sent, At: m.At, Label: label,
				Dropped: m.Fate != net.Delivered && m.Fate != net.InFlight})
		}
		names = append(names, o.String())
	}
	// Lanes: replicas first, then standbys and clients in the order they
	// appear.
	sort.SliceStable(arrows, func(i, j int) bool { return arrows[i].Sent < arrows[j].Sent })
	for _, a := range arrows {
		addLane(net.Node(a.From))
		addLane(net.Node(a.To))
	}
	for i := range arrows {
		arrows[i].From, arrows[i].To = lane[net.Node(arrows[i].From)], lane[net.Node(arrows[i].To)]
	}
	o := viz.Options{Title: "Messages of " + strings.Join(names, "; "),
		Name: "quorum-operation-" + viz.Slug(r.Config.label())}
	if len(ops) == 1 {
		o.Spans = []viz.Span{{From: ops[0].Start, To: ops[0].End, Label: "start to end"}}
	}
	if len(arrows) == 0 {
		o.End = r.End // an empty diagram still spans the run
	}
	return viz.Sequence(o, lanes, arrows), nil
}

// nextStart is when o's client began its next operation, or the end of
// the run's horizon.
func (r *Result) nextStart(o Op) sim.Time {
	next := sim.MaxTime
	for _, p := range r.Ops {
		if p.Client == o.Client && p.Start > o.Start && p.Start < next {
			next = p.Start
		}
	}
	return next
}

// FirstInversion returns the run's first inverted read (the one whose
// later read began first), and false when no read was inverted.
func (r *Result) FirstInversion() (Inversion, bool) {
	if r.inversion == nil {
		return Inversion{}, false
	}
	return *r.inversion, true
}

// String tells the inversion in a sentence, with its times.
func (i Inversion) String() string {
	w := i.Write.String()
	if !i.Write.OK {
		w += ", yet it reached some replicas"
	}
	return fmt.Sprintf("%s began at %v and returned %s (%s); %s began at %v, after it had ended, and returned the older %s.",
		i.Before.short(), clock(i.Before.Start), writeName(i.Before.Value), w, i.After.short(), clock(i.After.Start), writeName(i.After.Value))
}

// Markdown is the sentence for a notebook.
func (i Inversion) Markdown() string { return "**Inverted read:** " + i.String() }

// short names a read without its value.
func (o Op) short() string {
	return fmt.Sprintf("c%d's read of k%d", o.Client+1, o.Key)
}

// clock writes a time of the run in seconds, to the millisecond.
func clock(t sim.Time) string { return fmt.Sprintf("%.3fs", t.Seconds()) }
