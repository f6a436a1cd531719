package net

import (
	"fmt"
	"strings"

	"dsim/sim"
)

// Fault kinds for Fault.Kind.
const (
	FaultPartition = "partition" // cut every link between Sides, both ways
	FaultOneWay    = "one-way"   // drop messages From -> To only
	FaultCrash     = "crash"     // stop Nodes, restart them at the end
)

// Fault is one entry of a fault schedule: what breaks, when, and for how
// long. Names in Sides, From, To and Nodes are node names or group names
// (a group stands for all its nodes).
type Fault struct {
	Kind string
	// Window places the fault; a zero Duration lasts until the end of the
	// run.
	sim.Window
	Sides    [][]string // partition: two or more sides
	From, To []string   // one-way
	Nodes    []string   // crash
}

// End is when the fault heals, or sim.MaxTime when it never does.
func (f Fault) End() sim.Time {
	if f.Duration == 0 {
		return sim.MaxTime
	}
	return sim.FromDuration(f.Window.End())
}

// String describes the fault in words: "partition {r1 r2} | {r3} from 10s for 5s".
func (f Fault) String() string {
	var what string
	switch f.Kind {
	case FaultPartition:
		parts := make([]string, len(f.Sides))
		for i, s := range f.Sides {
			parts[i] = "{" + strings.Join(s, " ") + "}"
		}
		what = "partition " + strings.Join(parts, " | ")
	case FaultOneWay:
		what = fmt.Sprintf("one-way cut {%s} -> {%s}", strings.Join(f.From, " "), strings.Join(f.To, " "))
	case FaultCrash:
		what = fmt.Sprintf("crash {%s}", strings.Join(f.Nodes, " "))
	default:
		what = f.Kind
	}
	if f.Duration == 0 {
		return fmt.Sprintf("%s from %v", what, f.Start)
	}
	return fmt.Sprintf("%s from %v for %v", what, f.Start, f.Duration)
}

// Schedule checks a fault against the network's nodes and schedules its
// start and its end. Errors name the fault's field and the bad value.
func (n *Network) Schedule(f Fault) error {
	field := func(name string) string { return fmt.Sprintf("net: fault %d (%s): %s", len(n.faults)+1, f.Kind, name) }
	if f.Start < 0 {
		return fmt.Errorf("%s=%v: must not be negative", field("Start"), f.Start)
	}
	if f.Duration < 0 {
		return fmt.Errorf("%s=%v: must not be negative (0 lasts to the end)", field("Duration"), f.Duration)
	}
	var start, stop func()
	switch f.Kind {
	case FaultPartition:
		if len(f.Sides) < 2 {
			return fmt.Errorf("%s: a partition needs at least two sides, got %d", field("Sides"), len(f.Sides))
		}
		sides := make([][]Node, len(f.Sides))
		for i, names := range f.Sides {
			ids, err := n.resolve(names)
			if err != nil {
				return fmt.Errorf("%s[%d]: %v", field("Sides"), i, err)
			}
			sides[i] = ids
		}
		start = func() { n.Partition(sides...) }
		stop = func() {
			for i, a := range sides {
				for j, b := range sides {
					if i != j {
						n.cutAll(a, b, -1)
					}
				}
			}
		}
	case FaultOneWay:
		from, err := n.resolve(f.From)
		if err != nil {
			return fmt.Errorf("%s: %v", field("From"), err)
		}
		to, err := n.resolve(f.To)
		if err != nil {
			return fmt.Errorf("%s: %v", field("To"), err)
		}
		start = func() { n.CutOneWay(from, to) }
		stop = func() { n.cutAll(from, to, -1) }
	case FaultCrash:
		ids, err := n.resolve(f.Nodes)
		if err != nil {
			return fmt.Errorf("%s: %v", field("Nodes"), err)
		}
		start = func() {
			for _, id := range ids {
				n.Crash(id)
			}
		}
		stop = func() {
			for _, id := range ids {
				n.Restart(id)
			}
		}
	default:
		return fmt.Errorf("net: fault %d: Kind=%q: must be %q, %q or %q", len(n.faults)+1, f.Kind, FaultPartition, FaultOneWay, FaultCrash)
	}
	n.faults = append(n.faults, f)
	n.s.At(sim.FromDuration(f.Start), start)
	if end := f.End(); end != sim.MaxTime {
		n.s.At(end, stop)
	}
	return nil
}

// Faults returns the faults scheduled so far.
func (n *Network) Faults() []Fault { return n.faults }

// resolve turns node or group names into nodes, in the order given.
func (n *Network) resolve(names []string) ([]Node, error) {
	if len(names) == 0 {
		return nil, fmt.Errorf("no nodes named")
	}
	var ids []Node
	for _, name := range names {
		if id, ok := n.byName[name]; ok {
			ids = append(ids, id)
			continue
		}
		found := false
		for i, nd := range n.nodes {
			if nd.group == name {
				ids = append(ids, Node(i))
				found = true
			}
		}
		if !found {
			return nil, fmt.Errorf("unknown node or group %q (nodes: %s)", name, strings.Join(n.Names(), ", "))
		}
	}
	return ids, nil
}
