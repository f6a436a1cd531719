package clocks

import (
	"fmt"
	"math/bits"
	"time"

	"dsim/sim"
	"dsim/sim/net"
)

// EventKind is what an event is: a write of the register, the send of a
// message or its receipt.
type EventKind int

const (
	Write EventKind = iota
	Send
	Receive
)

func (k EventKind) String() string { return [...]string{"write", "send", "receive"}[k] }

// Event is one event of a process or a client, with the timestamps each
// kind of clock gave it.
type Event struct {
	// Index is the event's place in Result.Events, which lists events in
	// the order they happened (by virtual time, ties in the order run).
	Index int
	Proc  int // the lane: processes p1..pN first, then clients c1..cK
	Kind  EventKind
	At    sim.Time // true (virtual) time
	// Clock is the process's physical clock at the event (a client's is
	// exact). Lamport and Vector are its logical timestamps: Vector has
	// an entry per lane.
	Clock   sim.Time
	Lamport int64
	Vector  []int
	// Msg is a send's or receive's message ID in Result.Trace; Peer the
	// lane at the other end. For a write, Peer is the client that asked
	// for it (-1: the process's own) and Write its number (w1, w2, ...).
	Msg   int64
	Peer  int
	Label string // the message's kind, or "write"
	Write int
}

func vector(vc []int32) []int {
	v := make([]int, len(vc))
	for i, x := range vc {
		v[i] = int(x)
	}
	return v
}

// Order is what the run's order of events shows, computed from the
// message trace: happens-before is the transitive closure of each lane's
// order and of each delivered message's send before its receipt (Lamport
// 1978). Two events neither of which happens before the other are
// concurrent.
type Order struct {
	Pairs      int64 // pairs of distinct events
	Ordered    int64 // pairs related by happens-before
	Concurrent int64 // pairs that are not

	Writes           int
	ConcurrentWrites int64 // pairs of writes that are concurrent
	// LostPhysical and LostLamport count the writes that a write which
	// happened before them would overwrite, had the register ordered
	// writes by physical clocks or by Lamport time: last writer wins
	// keeps the larger stamp, wherever the writes meet.
	LostPhysical, LostLamport int
	LostExample               string // one lost write under the run's own Stamps, in words

	// Backward counts the messages between processes that arrived at a
	// clock reading earlier than the one they left at: received "before"
	// they were sent, by the clocks. Delivered counts those messages.
	Backward, Delivered int
}

// analyse computes happens-before from the trace and the events' lanes,
// then the order's counts. A message of the trace that does not match its
// send and receive events is a bug in the model, reported as an error.
func (r *Result) analyse() error {
	n := len(r.Events)
	r.words = (n + 63) / 64
	r.reach = make([]uint64, n*r.words)
	from, err := r.matchMessages()
	if err != nil {
		return err
	}
	r.from = from
	last := make([]int, len(r.Lanes))
	for i := range last {
		last[i] = -1
	}
	// Result.Events lists events in the order they ran: every event's
	// predecessors come first, so one pass closes the relation.
	for i, e := range r.Events {
		row := r.row(i)
		if p := last[e.Proc]; p >= 0 {
			if r.Events[p].At > e.At {
				return fmt.Errorf("clocks: events %d and %d of %s run backwards in time (a bug)", p, i, r.Lanes[e.Proc])
			}
			orInto(row, r.row(p))
			row[p/64] |= 1 << (p % 64)
		}
		if s := from[i]; s >= 0 {
			orInto(row, r.row(s))
			row[s/64] |= 1 << (s % 64)
		}
		last[e.Proc] = i
	}
	r.countOrder()
	return nil
}

// matchMessages pairs each delivered message of the trace with its send
// and receive events; from[i] is the send event of receive i (-1 for the
// other events).
func (r *Result) matchMessages() ([]int, error) {
	sendOf, recvOf := map[int64]int{}, map[int64]int{}
	for _, e := range r.Events {
		switch e.Kind {
		case Send:
			sendOf[e.Msg] = e.Index
		case Receive:
			recvOf[e.Msg] = e.Index
		}
	}
	from := make([]int, len(r.Events))
	for i := range from {
		from[i] = -1
	}
	for _, m := range r.Trace {
		s, ok := sendOf[m.ID]
		if !ok || r.Events[s].Proc != int(m.From) || r.Events[s].At != m.Sent {
			return nil, fmt.Errorf("clocks: message %d of the trace has no matching send event (a bug)", m.ID)
		}
		v, got := recvOf[m.ID]
		switch {
		case m.Fate != net.Delivered && got:
			return nil, fmt.Errorf("clocks: message %d was %v but has a receive event (a bug)", m.ID, m.Fate)
		case m.Fate != net.Delivered:
			continue
		case !got && r.Truncated:
			continue // delivered as the run stopped at MaxEvents
		case !got || r.Events[v].Proc != int(m.To) || r.Events[v].At != m.At:
			return nil, fmt.Errorf("clocks: message %d of the trace has no matching receive event (a bug)", m.ID)
		}
		from[v] = s
	}
	for i, e := range r.Events {
		if e.Kind == Receive && from[i] < 0 {
			return nil, fmt.Errorf("clocks: receive event %d matches no message of the trace (a bug)", i)
		}
	}
	return from, nil
}

func (r *Result) row(i int) []uint64 { return r.reach[i*r.words : (i+1)*r.words] }

func orInto(dst, src []uint64) {
	for i, w := range src {
		dst[i] |= w
	}
}

// HappensBefore reports whether event a happens before event b (indices
// into Events), by the relation computed from the trace. Cost: O(1).
func (r *Result) HappensBefore(a, b int) bool {
	if a < 0 || b < 0 || a >= len(r.Events) || b >= len(r.Events) {
		return false
	}
	return r.row(b)[a/64]&(1<<(a%64)) != 0
}

// Concurrent reports whether two distinct events are concurrent: neither
// happens before the other.
func (r *Result) Concurrent(a, b int) bool {
	return a != b && !r.HappensBefore(a, b) && !r.HappensBefore(b, a)
}

// countOrder fills Result.Order. Cost: O(events²/64) for the pairs,
// O(writes²) for the writes.
func (r *Result) countOrder() {
	o := &r.Order
	n := int64(len(r.Events))
	o.Pairs = n * (n - 1) / 2
	for i := range r.Events {
		for _, w := range r.row(i) {
			o.Ordered += int64(bits.OnesCount64(w))
		}
	}
	o.Concurrent = o.Pairs - o.Ordered
	o.Writes = len(r.writes)
	for j, b := range r.writes {
		lostP, lostL := false, false
		for _, a := range r.writes[:j] {
			if !r.HappensBefore(a.event, b.event) {
				o.ConcurrentWrites++
				continue
			}
			if b.physical.less(a.physical) {
				if !lostP && o.LostExample == "" && r.Config.Stamps == PhysicalStamp {
					o.LostExample = r.lostText(a, b)
				}
				lostP = true
			}
			lostL = lostL || b.lamport.less(a.lamport)
		}
		o.LostPhysical += boolInt(lostP)
		o.LostLamport += boolInt(lostL)
	}
	procs := r.Config.Processes
	for _, e := range r.Events {
		if e.Kind != Receive || e.Proc >= procs || e.Peer >= procs {
			continue
		}
		o.Delivered++
		if e.Clock < r.sendOf(e).Clock {
			o.Backward++
		}
	}
}

// sendOf returns the send event of receive e.
func (r *Result) sendOf(e Event) Event { return r.Events[r.from[e.Index]] }

// lostText says in words how write b lost to a, which happened before it.
func (r *Result) lostText(a, b writeRec) string {
	ea, eb := r.Events[a.event], r.Events[b.event]
	return fmt.Sprintf("w%d (%s at t=%v, its clock read %v) happened after w%d (%s at t=%v, clock %v), yet its stamp is smaller: w%d wins",
		b.number, r.Lanes[eb.Proc], short(eb.At), short(eb.Clock), a.number, r.Lanes[ea.Proc], short(ea.At), short(ea.Clock), a.number)
}

// short rounds a time for a sentence: to 0.1ms.
func short(t sim.Time) time.Duration { return t.Duration().Round(100 * time.Microsecond) }

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
