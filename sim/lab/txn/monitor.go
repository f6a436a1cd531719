package txn

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"dsim/sim"
	"dsim/sim/lab"
)

// Kind is what a node reports to the monitor.
type Kind uint8

// The reports.
const (
	Prepared      Kind = iota // a 2PC participant's yes is durable: its locks are held
	Committed                 // a 2PC participant applied a transaction and let its locks go
	Aborted                   // a 2PC participant dropped a prepared transaction and let its locks go
	Decided                   // a 2PC coordinator decided: its commit is durable, or it aborts (Abort)
	Debited                   // a saga's debit was applied
	Credited                  // a saga's credit was applied
	Refunded                  // a saga's refund (its compensation) was applied
	RefundRefused             // a saga's refund was refused: the compensation failed, for now
)

// Report is one thing a node did, for the monitor (lab.Env.Observe).
type Report struct {
	Kind   Kind
	Tx     string
	Read   bool  // a 2PC read's locks
	Abort  bool  // a 2PC coordinator's decision to abort
	Amount int64 // a saga step's change
}

// Hold is one 2PC participant's lock on a transaction's accounts, from
// its prepare to the decision reaching it (End is the run's end for one
// still held then: the participant was blocked to the end).
type Hold struct {
	Node, Tx   string
	Read       bool
	Start, End sim.Time
	Open       bool
}

// Flight is a saga's money in flight: from its debit to its credit or
// refund (End is the run's end for one still in flight then).
type Flight struct {
	Tx         string
	Start, End sim.Time
	Refunded   bool
	Open       bool
}

// Monitor watches a bank run from inside: each 2PC participant's locks,
// each saga's money in flight, and atomicity, transaction by transaction
// (no transaction committed by one participant and aborted by another
// after both prepared it).
type Monitor struct {
	holds   []Hold
	open    map[[2]string]int // (node, tx) -> index in holds
	outcome map[string]string // tx -> "commit" or "abort" and the node that first did it
	flights []Flight
	flying  map[string]int
	refused int
	count   int
	texts   []lab.Violation
	closed  bool
	last    sim.Time            // the latest report
	decided map[string]sim.Time // 2PC transfers -> when their coordinator decided
}

// NewMonitor returns a monitor for one run.
func NewMonitor() *Monitor {
	return &Monitor{open: map[[2]string]int{}, outcome: map[string]string{}, flying: map[string]int{}, decided: map[string]sim.Time{}}
}

// maxRecords bounds the holds and flights a monitor keeps.
const maxRecords = 1_000_000

// Observe takes a node's report.
func (m *Monitor) Observe(node string, at sim.Time, v any) {
	r, ok := v.(Report)
	if !ok {
		return
	}
	m.last = max(m.last, at)
	switch r.Kind {
	case Prepared:
		if _, held := m.open[[2]string{node, r.Tx}]; !held && len(m.holds) < maxRecords {
			m.open[[2]string{node, r.Tx}] = len(m.holds)
			m.holds = append(m.holds, Hold{Node: node, Tx: r.Tx, Read: r.Read, Start: at, Open: true})
		}
	case Committed, Aborted:
		if i, held := m.open[[2]string{node, r.Tx}]; held {
			m.holds[i].End, m.holds[i].Open = at, false
			delete(m.open, [2]string{node, r.Tx})
		}
		if !r.Read {
			m.decide(node, at, r.Tx, r.Kind == Committed)
		}
	case Debited:
		if len(m.flights) < maxRecords {
			m.flying[r.Tx] = len(m.flights)
			m.flights = append(m.flights, Flight{Tx: r.Tx, Start: at, Open: true})
		}
	case Credited, Refunded:
		if i, ok := m.flying[r.Tx]; ok {
			m.flights[i].End, m.flights[i].Open, m.flights[i].Refunded = at, false, r.Kind == Refunded
			delete(m.flying, r.Tx)
		}
	case RefundRefused:
		m.refused++
	case Decided:
		if _, ok := m.decided[r.Tx]; !ok && len(m.decided) < maxRecords {
			m.decided[r.Tx] = at
		}
	}
}

func (m *Monitor) decide(node string, at sim.Time, tx string, commit bool) {
	what := "abort"
	if commit {
		what = "commit"
	}
	first, seen := m.outcome[tx]
	if !seen {
		m.outcome[tx] = what + " at " + node
		return
	}
	if first[:len(what)] != what {
		m.violate(lab.Violation{Node: node, At: at, Text: fmt.Sprintf("atomicity: %s took %s's %s after %s", node, tx, what, first)})
	}
}

func (m *Monitor) violate(v lab.Violation) {
	m.count++
	if len(m.texts) < lab.MaxViolations {
		m.texts = append(m.texts, v)
	}
}

// close ends the records still open at the run's end. A lock taken by a
// final read may still be held when the run stops; one taken before the
// final reads began means a participant blocked to the end.
func (m *Monitor) close(final sim.Time) {
	if m.closed {
		return
	}
	m.closed = true
	end := max(m.last, final)
	for i := range m.holds {
		if m.holds[i].Open {
			m.holds[i].End = end
			h := m.holds[i]
			if h.Start >= final {
				continue
			}
			m.violate(lab.Violation{Node: h.Node, At: end, Text: fmt.Sprintf("blocked: %s still held %s prepared at the end, since %v", h.Node, h.Tx, h.Start.Duration())})
		}
	}
	for i := range m.flights {
		if m.flights[i].Open {
			m.flights[i].End = end
			f := m.flights[i]
			m.violate(lab.Violation{At: end, Text: fmt.Sprintf("in flight: saga %s debited at %v was neither credited nor refunded by the end", f.Tx, f.Start.Duration())})
		}
	}
}

// Check gives the monitor's verdict: atomicity held and nothing was left
// blocked or in flight at the end; its metrics are the lock holds and
// the money in flight.
func (m *Monitor) Check(r *lab.Result) lab.Verdict {
	m.close(r.FinalAt)
	v := lab.Verdict{Checker: "txn", Count: m.count, Violations: append([]lab.Violation(nil), m.texts...)}
	holds := m.Holds()
	if len(holds) > 0 {
		d := durations(len(holds), func(i int) sim.Time { return holds[i].End - holds[i].Start })
		v.Metrics = append(v.Metrics, lab.Metric{Name: "lock holds", Value: float64(len(holds))},
			lab.Metric{Name: "lock hold median", Value: ms(d[len(d)/2]), Unit: "ms"},
			lab.Metric{Name: "lock hold max", Value: ms(d[len(d)-1]), Unit: "ms"})
	}
	fl := m.Flights()
	if len(fl) > 0 {
		d := durations(len(fl), func(i int) sim.Time { return fl[i].End - fl[i].Start })
		refunds := 0
		for _, f := range fl {
			if f.Refunded {
				refunds++
			}
		}
		v.Metrics = append(v.Metrics, lab.Metric{Name: "sagas debited", Value: float64(len(fl))},
			lab.Metric{Name: "sagas refunded", Value: float64(refunds)},
			lab.Metric{Name: "refunds refused", Value: float64(m.refused)},
			lab.Metric{Name: "in flight median", Value: ms(d[len(d)/2]), Unit: "ms"},
			lab.Metric{Name: "in flight max", Value: ms(d[len(d)-1]), Unit: "ms"})
	}
	if m.count == 0 {
		v.Outcome, v.Summary = lab.Valid, "every transaction was committed everywhere or nowhere, and nothing was left locked or in flight"
		return v
	}
	v.Outcome, v.Summary = lab.Invalid, fmt.Sprintf("%d violation(s) of atomicity or progress", m.count)
	return v
}

// Holds returns the 2PC lock holds, in the order they began.
func (m *Monitor) Holds() []Hold { return slices.Clone(m.holds) }

// Flights returns the sagas' money in flight, in the order it left.
func (m *Monitor) Flights() []Flight { return slices.Clone(m.flights) }

// InDoubt returns the first instant at or after from when a transfer
// coordinated by node is in doubt: prepared by a participant, not yet
// decided by its coordinator. A crash of the coordinator then leaves that
// participant blocked. It reports false when there is none.
func (m *Monitor) InDoubt(node string, from sim.Time) (sim.Time, bool) {
	best, found := sim.Time(0), false
	for _, h := range m.holds {
		if h.Read || h.Start < from || !strings.HasPrefix(h.Tx, node+"/") {
			continue
		}
		if d, ok := m.decided[h.Tx]; (!ok || d > h.Start) && (!found || h.Start < best) {
			best, found = h.Start, true
		}
	}
	return best, found
}

// RefundsRefused is how often a saga's compensation was refused.
func (m *Monitor) RefundsRefused() int { return m.refused }

func durations(n int, at func(int) sim.Time) []sim.Time {
	d := make([]sim.Time, n)
	for i := range d {
		d[i] = at(i)
	}
	slices.Sort(d)
	return d
}

func ms(t sim.Time) float64 { return float64(t.Duration()) / float64(time.Millisecond) }
