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
	Settled [][]bool
	// Roles are each node's role then, as it last reported it: a node
	// that is down keeps the role it had when it went down (see Down).
	Roles     []Role
	NodeTerms []int64 // each node's term then
	Committed int     // the entries committed by then, by any node
	// Down[i] is lab.FaultCrash or lab.FaultPause when node i was crashed
	// or paused then, "" when it was running; CutOff[i] says a partition
	// then left node i with no majority to reach. Logs fills both from the
	// run's faults.
	Down   []string
	CutOff []bool
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
// (AvailabilityRun.Snapshot says when), with the nodes down or cut off
// then, false when it took none.
func Logs(r *lab.Result) (*Snapshot, bool) {
	m, ok := r.Monitor.(*Monitor)
	if !ok || m == nil || m.snap == nil {
		return nil, false
	}
	s := *m.snap
	s.Down, s.CutOff = make([]string, len(s.Nodes)), make([]bool, len(s.Nodes))
	for i, n := range s.Nodes {
		s.Down[i], s.CutOff[i] = faultState(r.Test.Faults, len(r.Nodes), n, s.At)
	}
	return &s, true
}

// faultState is what the faults do to node at t: crashed or paused
// (down), and whether a partition leaves it fewer than a majority of the
// cluster's size nodes to reach, itself included (nodes on no side keep
// their links).
func faultState(faults lab.Schedule, size int, node string, t sim.Time) (down string, cutOff bool) {
	for _, f := range faults {
		if !active(f, t) {
			continue
		}
		switch f.Kind {
		case lab.FaultCrash, lab.FaultPause:
			if contains(f.Nodes, node) {
				down = f.Kind
			}
		case lab.FaultPartition:
			reach, onSide := size, false
			for _, side := range f.Sides {
				if contains(side, node) {
					onSide = true
					continue
				}
				reach -= len(side)
			}
			cutOff = cutOff || onSide && 2*reach <= size
		}
	}
	return down, cutOff
}

// lane describes node i as it was then, for LogsFigure's rows: its name,
// what it was doing and its term. A crashed node is "down"; a paused one
// says so before the role it will wake in; a leader is "deposed" once a
// leader of a later term is elected, since it can no longer commit.
func (s *Snapshot) lane(i int) string {
	role := s.Roles[i].String()
	if s.Roles[i] == Leader {
		for j, r := range s.Roles {
			if r == Leader && s.NodeTerms[j] > s.NodeTerms[i] {
				role = "deposed leader"
				break
			}
		}
	}
	if i < len(s.Down) {
		switch s.Down[i] {
		case lab.FaultCrash:
			role = "down"
		case lab.FaultPause:
			role = "paused, " + role
		}
	}
	label := fmt.Sprintf("%s %s t%d", s.Nodes[i], role, s.NodeTerms[i])
	if i < len(s.CutOff) && s.CutOff[i] {
		label += ", cut off"
	}
	return label
}

// LogCells is how many entries of each log LogsFigure shows at least;
// it shows up to four times as many to reach the end of the longest log.
const LogCells = 36

// LogsFigure draws a snapshot of the logs: a row per server (what it was
// doing then, see lane, and its term beside its name), a cell per entry
// labelled with its term and coloured by it; entries not committed yet
// are pale. It shows the indexes from a few before the first where the
// logs differ (in term, or one ends) to the end of the longest log, at
// least LogCells of them and at most 4·LogCells (then the last ones). A
// log that ends before the indexes shown says where it ends.
func LogsFigure(s *Snapshot, title string) *viz.Figure {
	var lanes, kinds []string
	var blocks []viz.Block
	seen := map[int64]bool{}
	var terms []int64
	from, to := s.window()
	for i := range s.Nodes {
		lane := s.lane(i)
		if n := len(s.Terms[i]); n < from {
			lane += fmt.Sprintf(" (log ends at %d)", n)
		}
		lanes = append(lanes, lane)
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
	f := viz.Blocks(o, lanes, kinds, blocks)
	// The axis spans the window, so a log that ends early ends visibly
	// short of the longest.
	f.Plot.X.Min, f.Plot.X.Max = float64(from)+0.5, float64(to)+0.5
	return f
}

// window is the slice of indexes LogsFigure shows, 0-based, end
// excluded: from a quarter of LogCells before the first index where the
// logs differ in term or one of them ends, to the end of the longest.
func (s *Snapshot) window() (from, to int) {
	longest, shortest := 0, -1
	for _, t := range s.Terms {
		longest = max(longest, len(t))
		if shortest < 0 || len(t) < shortest {
			shortest = len(t)
		}
	}
	diff := max(shortest, 0)
	for k := 0; k < diff; k++ {
		if differ(s.Terms, k) {
			diff = k
			break
		}
	}
	from = min(max(0, diff-LogCells/4), max(0, longest-LogCells))
	from = max(from, longest-4*LogCells)
	return from, longest
}

// differ: two logs hold entries of different terms at index k.
func differ(logs [][]int64, k int) bool {
	for _, t := range logs[1:] {
		if t[k] != logs[0][k] {
			return true
		}
	}
	return false
}
