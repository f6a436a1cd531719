package raft

import (
	"fmt"
	"sort"
	"strconv"
	"time"

	"dsim/sim"
	"dsim/sim/lab"
	"dsim/sim/viz"
)

// Snapshot is every node's log at one instant, as the monitor mirrored
// it: the term of each entry, and how many entries were committed then.
type Snapshot struct {
	At    sim.Time
	Nodes []string  // n0, n1, ...
	Terms [][]int64 // Terms[i][k]: the term of node i's entry at index k+1
	// Settled[i][k]: that entry is the one committed at its index (an
	// entry of another term there is bound to be overwritten).
	Settled   [][]bool
	Roles     []Role  // each node's role then
	NodeTerms []int64 // each node's term then
	Committed int     // the entries committed by then, by any node
}

// snapshot copies the logs as they stand.
func (m *Monitor) snapshot() {
	s := &Snapshot{At: m.snapAt, Committed: len(m.committed)}
	seen := map[string]bool{}
	for _, c := range m.roles {
		if !seen[c.node] {
			seen[c.node] = true
			s.Nodes = append(s.Nodes, c.node)
		}
	}
	sort.Slice(s.Nodes, func(i, j int) bool { return nodeBefore(s.Nodes[i], s.Nodes[j]) })
	now := map[string]roleChange{}
	for _, c := range m.roles {
		if c.at <= m.snapAt {
			now[c.node] = c
		}
	}
	for _, n := range s.Nodes {
		log := m.logs[n]
		terms, settled := make([]int64, len(log)), make([]bool, len(log))
		for k, l := range log {
			terms[k] = l.term
			settled[k] = k < len(m.committed) && m.committed[k].chain == l.chain
		}
		s.Terms, s.Settled = append(s.Terms, terms), append(s.Settled, settled)
		s.Roles = append(s.Roles, now[n].role)
		s.NodeTerms = append(s.NodeTerms, now[n].term)
	}
	m.snap = s
}

// nodeBefore orders n2 before n10.
func nodeBefore(a, b string) bool {
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}

// Logs returns the snapshot of the logs the run's monitor took
// (AvailabilityRun.Snapshot says when), false when it took none.
func Logs(r *lab.Result) (*Snapshot, bool) {
	m, ok := r.Monitor.(*Monitor)
	if !ok || m == nil || m.snap == nil {
		return nil, false
	}
	return m.snap, true
}

// The kinds of Timeline's blocks, in the legend's order.
var timelineKinds = []string{"leader", "candidate", "follower", "crashed", "paused"}

// Timeline draws a run in the manner of RaftScope: a lane per server,
// its role over time (leader, candidate, follower, pale) with its term
// written in each stretch where it fits, its crashes and pauses, and the
// faults shaded. It needs the run's Raft monitor.
func Timeline(r *lab.Result, title string) (*viz.Figure, error) {
	return TimelineBetween(r, title, 0, r.End.Duration())
}

// TimelineBetween is Timeline over [from, to) of the run only.
func TimelineBetween(r *lab.Result, title string, from, to time.Duration) (*viz.Figure, error) {
	if from < 0 || to <= from {
		return nil, fmt.Errorf("raft: TimelineBetween: from=%v, to=%v: must have 0 <= from < to", from, to)
	}
	m, ok := r.Monitor.(*Monitor)
	if !ok || m == nil {
		return nil, fmt.Errorf("raft: Timeline: the run has no Raft monitor (Test.Monitor from LabTest)")
	}
	lane := map[string]int{}
	for i, n := range r.Nodes {
		lane[n] = i
	}
	end := r.End.Seconds()
	var blocks []viz.Block
	open := map[string]roleChange{}
	closeAt := func(c roleChange, to float64) {
		if to > c.at.Seconds() {
			blocks = append(blocks, viz.Block{Lane: lane[c.node], From: c.at.Seconds(), To: to, Kind: c.role.String(),
				Label: "t" + strconv.FormatInt(c.term, 10), Faint: c.role == Follower})
		}
	}
	for _, c := range m.roles {
		if c.at > r.End {
			break
		}
		if prev, ok := open[c.node]; ok {
			closeAt(prev, c.at.Seconds())
		}
		open[c.node] = c
	}
	for _, n := range r.Nodes {
		if c, ok := open[n]; ok {
			closeAt(c, end)
		}
	}
	for _, f := range r.Test.Faults {
		from, to := f.Start.Seconds(), min(f.Window.End(), r.End.Duration()).Seconds()
		if f.Duration == 0 {
			to = end
		}
		if f.Kind != lab.FaultCrash && f.Kind != lab.FaultPause {
			continue
		}
		kind := "crashed"
		if f.Kind == lab.FaultPause {
			kind = "paused"
		}
		for _, n := range f.Nodes {
			blocks = append(blocks, viz.Block{Lane: lane[n], From: from, To: to, Kind: kind})
		}
	}
	lo, hi := from.Seconds(), to.Seconds()
	var kept []viz.Block
	for _, b := range blocks {
		b.From, b.To = max(b.From, lo), min(b.To, hi)
		if b.To > b.From {
			kept = append(kept, b)
		}
	}
	var spans []viz.Span
	for _, sp := range viz.LabSpans(r) {
		sp.From, sp.To = max(sp.From, sim.FromDuration(from)), min(sp.To, sim.FromDuration(to))
		if sp.To > sp.From {
			spans = append(spans, sp)
		}
	}
	o := viz.Options{Title: title, XLabel: "time (s)", Spans: spans}
	return viz.Blocks(o, r.Nodes, timelineKinds, kept), nil
}

// LogCells is how many entries of each log LogsFigure shows.
const LogCells = 36

// LogsFigure draws a snapshot of the logs: a row per server (its role
// and term then beside its name), a cell per entry labelled with its
// term and coloured by it; entries not committed yet are pale. It shows
// LogCells indexes: from a few before the first index where two logs
// disagree, or the last ones when they all agree.
func LogsFigure(s *Snapshot, title string) *viz.Figure {
	var lanes, kinds []string
	var blocks []viz.Block
	seen := map[int64]bool{}
	var terms []int64
	from, to := s.window()
	for i, n := range s.Nodes {
		lanes = append(lanes, fmt.Sprintf("%s %s t%d", n, s.Roles[i], s.NodeTerms[i]))
		for k, t := range s.Terms[i] {
			if k < from || k >= to {
				continue
			}
			if !seen[t] {
				seen[t] = true
				terms = append(terms, t)
			}
			blocks = append(blocks, viz.Block{Lane: i, From: float64(k) + 0.55, To: float64(k) + 1.45,
				Kind: "term " + strconv.FormatInt(t, 10), Label: strconv.FormatInt(t, 10), Faint: !s.Settled[i][k]})
		}
	}
	sort.Slice(terms, func(i, j int) bool { return terms[i] < terms[j] })
	for _, t := range terms {
		kinds = append(kinds, "term "+strconv.FormatInt(t, 10))
	}
	o := viz.Options{Title: title, XLabel: "log index", Note: fmt.Sprintf("at %v: %d entries committed; pale: not committed", s.At.Duration().Round(time.Millisecond), s.Committed)}
	return viz.Blocks(o, lanes, kinds, blocks)
}

// window is the slice of indexes LogsFigure shows, 0-based, end
// excluded.
func (s *Snapshot) window() (from, to int) {
	longest, diff := 0, -1
	for _, t := range s.Terms {
		longest = max(longest, len(t))
	}
	for k := 0; k < longest && diff < 0; k++ {
		var term int64
		for _, t := range s.Terms {
			if k >= len(t) {
				continue
			}
			if term != 0 && t[k] != term {
				diff = k
				break
			}
			term = t[k]
		}
	}
	from = max(0, longest-LogCells)
	if diff >= 0 {
		from = max(0, diff-LogCells/4)
	}
	return from, min(longest, from+LogCells)
}
