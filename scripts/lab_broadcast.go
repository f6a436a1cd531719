//go:build ignore

// Write a broadcast protocol, and let dsim find where it breaks.
//
// The nodes below are written here, in the script, and run on the lab's
// simulated network (sim/lab) under Maelstrom's broadcast workload:
// clients broadcast numbers to some nodes and read them back from all;
// after the faults heal, every node must hold every number that was
// acknowledged. A search runs a test over seeds until one fails; a shrink
// cuts the failing case down to what is needed to fail; the figures show
// the messages around the violation and every client's operations.
//
//  1. Once tells every other node once. A burst of loss or a partition
//     takes a message, and no one ever sends it again.
//  2. Retry keeps, for each peer, what the peer has not acknowledged, and
//     sends it again every 100ms. The network can do its worst: it passes.
//     But a node that crashes forgets what it acknowledged.
//  3. Retry with durable set writes each message to the node's store
//     before acknowledging it, and offers everything again after a
//     restart: it passes every fault the nemesis has.
//
// Run it with:
//
//	dsim run scripts/lab_broadcast.go
package main

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"dsim/kernel/display"
	"dsim/kernel/script"
	"dsim/sim/lab"
	"dsim/sim/viz"
)

// Once tells every other node once, and never again.
type Once struct{ seen []int64 }

func (n *Once) Start(e *lab.Env) {}

func (n *Once) Receive(e *lab.Env, m lab.Message) {
	switch m.Body.Type {
	case "topology":
		e.Reply(m, lab.Body{Type: "topology_ok"})
	case "read":
		e.Reply(m, lab.Body{Type: "read_ok", Messages: n.seen})
	case "broadcast":
		e.Reply(m, lab.Body{Type: "broadcast_ok"})
		for _, peer := range e.Nodes() {
			if peer != e.ID() {
				e.Send(peer, lab.Body{Type: "tell", Message: m.Body.Message})
			}
		}
		n.seen = append(n.seen, m.Body.Message)
	case "tell":
		n.seen = append(n.seen, m.Body.Message)
	}
}

// Retry sends each peer, every 100ms, what it has not acknowledged.
type Retry struct {
	durable bool
	seen    map[int64]bool
	list    []int64
	unacked map[string]map[int64]bool
}

func (n *Retry) Start(e *lab.Env) {
	n.seen, n.unacked = map[int64]bool{}, map[string]map[int64]bool{}
	for _, peer := range e.Nodes() {
		if peer != e.ID() {
			n.unacked[peer] = map[int64]bool{}
		}
	}
	// After a crash, whatever the store kept is offered to every peer again.
	for _, key := range e.Store().Keys() {
		if v, err := strconv.ParseInt(strings.TrimPrefix(key, "m/"), 10, 64); err == nil {
			n.add(v, "")
		}
	}
	e.Every(100*time.Millisecond, func() { n.gossip(e) })
}

func (n *Retry) add(v int64, from string) {
	if n.seen[v] {
		return
	}
	n.seen[v] = true
	n.list = append(n.list, v)
	sort.Slice(n.list, func(i, j int) bool { return n.list[i] < n.list[j] })
	for peer, pending := range n.unacked {
		if peer != from {
			pending[v] = true
		}
	}
}

func (n *Retry) Receive(e *lab.Env, m lab.Message) {
	switch m.Body.Type {
	case "topology":
		e.Reply(m, lab.Body{Type: "topology_ok"})
	case "read":
		e.Reply(m, lab.Body{Type: "read_ok", Messages: n.list})
	case "broadcast":
		n.learn(e, []int64{m.Body.Message}, m.Src, func() { e.Reply(m, lab.Body{Type: "broadcast_ok"}) })
	case "gossip":
		vals := m.Body.Messages
		n.learn(e, vals, m.Src, func() { e.Reply(m, lab.Body{Type: "gossip_ok", Messages: vals}) })
	case "gossip_ok":
		for _, v := range m.Body.Messages {
			delete(n.unacked[m.Src], v)
		}
	}
}

// learn takes new values and acknowledges them: at once, or once they are
// on disk (the last write's callback: writes become durable in order).
func (n *Retry) learn(e *lab.Env, vals []int64, from string, ack func()) {
	if !n.durable {
		for _, v := range vals {
			n.add(v, from)
		}
		ack()
		return
	}
	var fresh []int64
	for _, v := range vals {
		if !n.seen[v] {
			fresh = append(fresh, v)
		}
	}
	if len(fresh) == 0 {
		ack()
		return
	}
	for i, v := range fresh {
		var done func()
		if i == len(fresh)-1 {
			done = func() {
				for _, v := range fresh {
					n.add(v, from)
				}
				ack()
			}
		}
		e.Store().Put("m/"+strconv.FormatInt(v, 10), "", done)
	}
}

func (n *Retry) gossip(e *lab.Env) {
	var peers []string
	for peer := range n.unacked {
		peers = append(peers, peer)
	}
	sort.Strings(peers) // map order is random: sort before anything shows it
	for _, peer := range peers {
		var vals []int64
		for v := range n.unacked[peer] {
			vals = append(vals, v)
		}
		if len(vals) == 0 {
			continue
		}
		sort.Slice(vals, func(i, j int) bool { return vals[i] < vals[j] })
		e.Send(peer, lab.Body{Type: "gossip", Messages: vals, MsgID: e.NextMsgID()})
	}
}

var network = []string{lab.FaultPartition, lab.FaultOneWay, lab.FaultLoss, lab.FaultDuplicate, lab.FaultSlow, lab.FaultPause, lab.FaultClock}

// hunt searches 30 seeds; on a failure it shrinks the case, prints it and
// shows its figures.
func hunt(name string, node func() lab.Node, faults []string) {
	test := lab.Test{Workload: "broadcast", Node: name, New: node, Nemesis: lab.Nemesis{Kinds: faults}}
	found, err := lab.Search(test, lab.Seeds{From: script.Seed(), Count: 30})
	if err != nil {
		panic(err)
	}
	if found == nil {
		fmt.Printf("%s: all 30 seeds pass (%d kinds of fault)\n", name, len(faults))
		return
	}
	small, err := lab.Shrink(found.Case, 0)
	if err != nil {
		panic(err)
	}
	t := small.Case.Test
	fmt.Printf("%s: seed %d fails; shrunk in %d runs to %d nodes, %v of workload and %s", name, found.Seed, small.Runs, t.Nodes, t.Duration, t.Faults)
	fmt.Print(small.Result.Verdicts[0].Violations[0].Text, "\n")
	display.Show(viz.LabFigures(small.Result))
}

func main() {
	hunt("once", func() lab.Node { return &Once{} }, network)
	hunt("retry", func() lab.Node { return &Retry{} }, network)
	hunt("retry", func() lab.Node { return &Retry{} }, lab.FaultKinds())
	hunt("retry-durable", func() lab.Node { return &Retry{durable: true} }, lab.FaultKinds())
}

// Output:
// once: seed 1 fails; shrunk in 33 runs to 3 nodes, 157ms of workload and partition {n2} | {n0 n1} (halves) from 13ms for 103ms
// n0's final read lacks 1 acknowledged message(s): [0]
// figure: out/lab-operations.svg (and .png)
// figure: out/lab-messages.svg (and .png)
// retry: all 30 seeds pass (7 kinds of fault)
// retry: seed 3 fails; shrunk in 39 runs to 2 nodes, 157ms of workload and crash {n1} from 10ms for 7ms
// n0's final read lacks 1 acknowledged message(s): [0]
// figure: out/lab-operations-2.svg (and .png)
// figure: out/lab-messages-2.svg (and .png)
// retry-durable: all 30 seeds pass (8 kinds of fault)
