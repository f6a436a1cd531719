package raft

import (
	"fmt"
	"time"

	"dsim/sim"
	"dsim/sim/lab"
)

// Figure8Schedule builds, for a three-node test on its seed, the three
// partitions of the paper's Figure 8, each placed by watching a run
// without it (a targeted nemesis):
//
//  1. the leader of the first term is cut off just after it appended an
//     entry X from a client, which stays in its log alone;
//  2. when the two others have elected a leader of a newer term, that one
//     is cut off at once (it will append an entry Y of its term alone)
//     and the first leader is back with the third node, which elects it
//     again, in a still newer term: it copies X to the third node;
//  3. as soon as the first leader says X is committed, it is cut off,
//     for a second.
//
// With CommitPreviousTerm, step 2 commits X by counting its replicas;
// after step 3 the second leader, whose last entry Y has a newer term
// than X, wins the third node's vote and overwrites X: a committed entry
// lost (Leader Completeness). Correct Raft does not commit X there, and
// nothing is lost. It returns an error naming the step that did not come
// about on this seed (another client request landed in the window, say).
// Cost: three runs of the test.
func Figure8Schedule(test lab.Test) (lab.Schedule, error) {
	if test.Nodes != 3 {
		return nil, fmt.Errorf("raft: Figure8Schedule: Nodes=%d: the schedule is for 3 nodes", test.Nodes)
	}
	const settle = 300 * time.Millisecond
	// Step 1: the first leader and an entry it appends from then on.
	rec, err := record(test, lab.Schedule{})
	if err != nil {
		return nil, err
	}
	first, ok := rec.firstLeader(0, "")
	if !ok {
		return nil, fmt.Errorf("raft: Figure8Schedule: seed %d: no leader elected", test.Seed)
	}
	x, ok := rec.appendBy(first.node, first.term, first.at+sim.FromDuration(settle))
	if !ok {
		return nil, fmt.Errorf("raft: Figure8Schedule: seed %d: %s appended nothing in term %d", test.Seed, first.node, first.term)
	}
	others := without(test, first.node)
	cut := func(node string, from sim.Time) lab.Fault {
		return lab.Fault{Kind: lab.FaultPartition, Window: sim.Window{Start: (from + 1).Duration()},
			Sides: [][]string{{node}, without(test, node)}, Shape: "majority"}
	}
	a := cut(first.node, x.at)
	// Step 2: the leader the others elect, cut off at once.
	rec, err = record(test, lab.Schedule{a})
	if err != nil {
		return nil, err
	}
	second, ok := rec.firstLeader(x.at, first.node)
	if !ok || !contains(others, second.node) {
		return nil, fmt.Errorf("raft: Figure8Schedule: seed %d: %v elected no new leader", test.Seed, others)
	}
	a.Duration = (second.at + 1).Duration() - a.Start
	b := cut(second.node, second.at)
	// Step 3: the first leader back in a newer term, cut off once it says
	// X is committed.
	rec, err = record(test, lab.Schedule{a, b})
	if err != nil {
		return nil, err
	}
	c, ok := rec.commitOf(first.node, x.index, second.term, second.at)
	if !ok {
		return nil, fmt.Errorf("raft: Figure8Schedule: seed %d: %s never committed index %d after term %d", test.Seed, first.node, x.index, second.term)
	}
	b.Duration = (c.at + 1).Duration() - b.Start
	last := cut(first.node, c.at)
	last.Duration = time.Second
	return lab.Schedule{a, b, last}, nil
}

func without(test lab.Test, node string) []string {
	var out []string
	for i := 0; i < test.Nodes; i++ {
		if id := fmt.Sprintf("n%d", i); id != node {
			out = append(out, id)
		}
	}
	return out
}

// recorder is Raft's monitor that also keeps when each entry was
// appended and each commit reported.
type recorder struct {
	*Monitor
	appends []event
	commits []event
}

type event struct {
	node        string
	at          sim.Time
	term, index int64
}

func (r *recorder) Observe(node string, at sim.Time, v any) {
	r.Monitor.Observe(node, at, v)
	switch o := v.(type) {
	case obsLog:
		if !o.Load {
			for k, en := range o.Entries {
				r.appends = append(r.appends, event{node, at, en.Term, o.From + int64(k)})
			}
		}
	case obsCommit:
		r.commits = append(r.commits, event{node, at, o.Term, o.Index})
	}
}

// record runs the test with faults and returns what its monitor saw.
func record(test lab.Test, faults lab.Schedule) (*recorder, error) {
	rec := &recorder{Monitor: NewMonitor()}
	test.Faults, test.Monitor = faults, func() lab.Monitor { return rec }
	if _, err := lab.Run(test); err != nil {
		return nil, err
	}
	return rec, nil
}

// firstLeader is the first node but skip to become leader after t.
func (r *recorder) firstLeader(t sim.Time, skip string) (event, bool) {
	for _, c := range r.roles {
		if c.at > t && c.role == Leader && c.node != skip {
			return event{node: c.node, at: c.at, term: c.term}, true
		}
	}
	return event{}, false
}

// appendBy is the first entry of term that node appended after t.
func (r *recorder) appendBy(node string, term int64, t sim.Time) (event, bool) {
	for _, e := range r.appends {
		if e.node == node && e.term == term && e.at > t {
			return e, true
		}
	}
	return event{}, false
}

// commitOf is node's first report, in a term above after and later than
// t, that index is committed.
func (r *recorder) commitOf(node string, index, after int64, t sim.Time) (event, bool) {
	for _, e := range r.commits {
		if e.node == node && e.term > after && e.index >= index && e.at > t {
			return e, true
		}
	}
	return event{}, false
}
