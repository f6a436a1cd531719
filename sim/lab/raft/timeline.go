package raft

import (
	"fmt"
	"strconv"
	"time"

	"dsim/sim"
	"dsim/sim/lab"
	"dsim/sim/viz"
)

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
