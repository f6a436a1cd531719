package clocks

import (
	"fmt"
)

// ClockCheck compares the clocks with happens-before on every pair of
// events of a run: the vector clock theorem (Fidge 1988, Mattern 1989)
// says VC(a) < VC(b) exactly when a happens before b, and Lamport's clock
// condition that a happens before b implies L(a) < L(b), not the reverse.
type ClockCheck struct {
	Events     int
	Pairs      int64 // unordered pairs of distinct events
	Ordered    int64 // pairs related by happens-before
	Concurrent int64
	// VectorWrong counts the pairs where the vectors' order differs from
	// happens-before; LamportWrong the ordered pairs whose Lamport times
	// do not increase. Both are zero if the clocks keep their theorems.
	VectorWrong, LamportWrong int64
	// LamportOrdersConcurrent counts concurrent pairs with different
	// Lamport times: Lamport time orders them, though neither happened
	// before the other.
	LamportOrdersConcurrent int64
	// PhysicalWrong counts the ordered pairs whose physical clock readings
	// decrease: the clocks say the later event came first. PhysicalTies
	// counts those read at the same instant (a reply sent in the same
	// instant its request arrived, for one).
	PhysicalWrong, PhysicalTies int64
	First                       string // the first pair that broke a theorem, in words
}

// String reads as a sentence.
func (c ClockCheck) String() string {
	s := fmt.Sprintf("%d events, %d pairs: %d ordered by happens-before, %d concurrent; vector clocks disagree on %d, Lamport clocks break the clock condition on %d, physical clocks order %d ordered pairs backwards (and %d at the same reading); Lamport times order %d concurrent pairs",
		c.Events, c.Pairs, c.Ordered, c.Concurrent, c.VectorWrong, c.LamportWrong, c.PhysicalWrong, c.PhysicalTies, c.LamportOrdersConcurrent)
	if c.First != "" {
		s += "; first: " + c.First
	}
	return s
}

// CheckClocks compares every pair of events' vector, Lamport and physical
// timestamps with happens-before as computed from the trace. Cost: the
// events squared times the lanes: about 0.1s for 5000 events on 5 lanes.
func (r *Result) CheckClocks() ClockCheck {
	c := ClockCheck{Events: len(r.Events)}
	for b := range r.Events {
		eb := r.Events[b]
		for a := 0; a < b; a++ {
			ea := r.Events[a]
			c.Pairs++
			ab, ba := r.HappensBefore(a, b), r.HappensBefore(b, a)
			if ab || ba {
				c.Ordered++
			} else {
				c.Concurrent++
			}
			if VectorBefore(ea.Vector, eb.Vector) != ab || VectorBefore(eb.Vector, ea.Vector) != ba {
				c.VectorWrong++
				c.first(r, "vector", a, b, ab, ba)
			}
			if ab && ea.Lamport >= eb.Lamport || ba && eb.Lamport >= ea.Lamport {
				c.LamportWrong++
				c.first(r, "Lamport", a, b, ab, ba)
			}
			switch {
			case ab && ea.Clock > eb.Clock || ba && eb.Clock > ea.Clock:
				c.PhysicalWrong++
			case (ab || ba) && ea.Clock == eb.Clock:
				c.PhysicalTies++
			}
			if !ab && !ba && ea.Lamport != eb.Lamport {
				c.LamportOrdersConcurrent++
			}
		}
	}
	return c
}

func (c *ClockCheck) first(r *Result, clock string, a, b int, ab, ba bool) {
	if c.First != "" {
		return
	}
	rel := "concurrent with"
	if ab {
		rel = "before"
	} else if ba {
		rel = "after"
	}
	c.First = fmt.Sprintf("%s clocks: %s is %s %s", clock, r.Describe(a), rel, r.Describe(b))
}

// Describe names event i: its kind, lane, time and timestamps.
func (r *Result) Describe(i int) string {
	if i < 0 || i >= len(r.Events) {
		return fmt.Sprintf("no event %d", i)
	}
	e := r.Events[i]
	what := e.Kind.String()
	switch e.Kind {
	case Write:
		what = fmt.Sprintf("write w%d", e.Write)
	case Send:
		what = fmt.Sprintf("send of %s to %s", e.Label, r.Lanes[e.Peer])
	case Receive:
		what = fmt.Sprintf("receipt of %s from %s", e.Label, r.Lanes[e.Peer])
	}
	return fmt.Sprintf("event %d (%s at %s, t=%v, L=%d, V=%v)", i, what, r.Lanes[e.Proc], short(e.At), e.Lamport, e.Vector)
}

// VectorBefore reports whether vector timestamp a is before b: no entry
// larger and at least one smaller.
func VectorBefore(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	less := false
	for i := range a {
		if a[i] > b[i] {
			return false
		}
		if a[i] < b[i] {
			less = true
		}
	}
	return less
}
