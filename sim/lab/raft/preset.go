package raft

import "strconv"

// preset is the starting state of the election experiment (Figure 16):
// a cluster that elected a leader in term 1 earlier and comes back from
// its store. Every node is in term 1, has voted for the leader and holds
// a log of its own length, made of the same entries of term 1 (the
// shorter logs prefixes of the longer ones, as in a cluster where some
// followers lag); the leader takes up its leadership at once. So the
// leader to crash is known before the run, whatever the timeouts: with
// 12-24 ms timeouts and a 15 ms broadcast time, a first election from
// scratch can take several rounds. It applies only to a node's first
// start (an empty store).
type preset struct {
	lengths []int  // log length of each node, by index
	leader  string // the leader of term 1
}

// apply gives the node its term and log, durably.
func (p *preset) apply(n *Node) {
	n.term, n.vote = 1, p.leader
	n.saveMeta()
	length := 0
	if n.self < len(p.lengths) {
		length = p.lengths[n.self]
	}
	entries := make([]entry, length)
	for i := range entries {
		entries[i] = entry{Term: 1, Op: "write", Key: "0", Value: int64(i + 1), ID: "preset/" + strconv.Itoa(i+1)}
	}
	for _, en := range entries {
		n.log = append(n.log, en)
		n.put(logKey(n.last()), en.encode())
	}
}

// start makes the leader lead; the others keep the timer Start set.
func (p *preset) start(n *Node) {
	if n.id == p.leader {
		n.lead()
	}
}
