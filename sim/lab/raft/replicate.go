package raft

import "dsim/sim/lab"

// broadcast sends AppendEntries to every follower.
func (n *Node) broadcast() {
	for i := range n.nodes {
		if i != n.self {
			n.sendAppend(i)
		}
	}
}

// sendAppend sends follower i the entries from its nextIndex on (at most
// MaxBatch), after the one they must follow. The entries are copied: the
// receiver keeps them, and this log may be cut and written over later.
func (n *Node) sendAppend(i int) {
	next := n.next[i]
	end := min(n.last(), next-1+int64(n.cfg.MaxBatch))
	var entries []entry
	if end >= next {
		entries = append([]entry(nil), n.log[next-1:end]...)
	}
	req := appendReq{Term: n.term, Leader: n.id, Prev: next - 1, PrevTerm: n.termAt(next - 1), Commit: n.commit, Entries: entries}
	n.e.Send(n.nodes[i], lab.Body{Type: "append_entries", Data: req})
}

// onAppend is the AppendEntries rule of Figure 2: refuse an old term;
// refuse unless the log holds the entry the new ones follow (the
// consistency check); cut the log at the first entry that conflicts and
// append what is new, never cutting entries that agree (a late message
// must not take back what a newer one brought); learn the commit index.
func (n *Node) onAppend(from string, r appendReq) {
	if r.Term < n.term {
		n.replyAppend(from, appendResp{Term: n.term})
		return
	}
	if r.Term > n.term {
		n.setTerm(r.Term)
	} else if n.role != Follower {
		n.become(Follower)
	}
	n.leader = r.Leader
	n.resetTimer()
	if r.Prev > n.last() {
		n.replyAppend(from, appendResp{Term: n.term, Hint: n.last() + 1})
		return
	}
	if t := n.termAt(r.Prev); t != r.PrevTerm {
		// Skip back over every entry of the conflicting term at once
		// (§5.3's optimisation), rather than one entry a round trip.
		hint := r.Prev
		for hint > 1 && n.termAt(hint-1) == t {
			hint--
		}
		n.replyAppend(from, appendResp{Term: n.term, Hint: hint})
		return
	}
	for k, en := range r.Entries {
		idx := r.Prev + int64(k) + 1
		if idx <= n.last() && n.termAt(idx) == en.Term {
			continue
		}
		if idx <= n.last() {
			n.truncate(idx)
		}
		n.appendLog(idx, r.Entries[k:])
		break
	}
	matched := r.Prev + int64(len(r.Entries))
	if c := min(r.Commit, matched); c > n.commit {
		n.setCommit(c)
	}
	n.replyAppend(from, appendResp{Term: n.term, Success: true, Match: matched})
}

// replyAppend answers once the term and the entries are durable: a leader
// counts this node's copy towards a majority.
func (n *Node) replyAppend(to string, resp appendResp) {
	n.afterDurable(func() { n.e.Send(to, lab.Body{Type: "append_entries_ok", Data: resp}) })
}

func (n *Node) onAppendResp(from string, r appendResp) {
	if !n.answers(r.Term, Leader) {
		return
	}
	i := n.index(from)
	if r.Success {
		if r.Match > n.match[i] {
			n.match[i] = r.Match
			n.advanceCommit()
		}
		n.next[i] = max(n.next[i], r.Match+1)
		if n.next[i] <= n.last() {
			n.sendAppend(i) // more to send than one batch held
		}
		return
	}
	// A refusal: try from the hint, never below what is known matched (a
	// late refusal may arrive after a success).
	next := max(min(r.Hint, n.next[i]), n.match[i]+1, 1)
	if next != n.next[i] {
		n.next[i] = next
		n.sendAppend(i)
	}
}

// advanceCommit commits the highest index stored on a majority whose
// entry is of the leader's own term (§5.4.2): entries of earlier terms
// are committed with it, never by counting their replicas alone.
func (n *Node) advanceCommit() {
	for idx := n.last(); idx > n.commit; idx-- {
		if n.termAt(idx) != n.term && n.cfg.Broken != CommitPreviousTerm {
			return
		}
		count := 0
		for _, m := range n.match {
			if m >= idx {
				count++
			}
		}
		if count >= n.majority() {
			n.setCommit(idx)
			return
		}
	}
}

// setCommit raises the commit index and applies what it covers.
func (n *Node) setCommit(c int64) {
	n.commit = c
	n.e.Observe(obsCommit{Term: n.term, Index: c})
	for n.applied < n.commit {
		n.applied++
		en := n.log[n.applied-1]
		res := n.kv.apply(en)
		n.e.Observe(obsApply{Index: n.applied})
		if reply, ok := n.replies[en.ID]; ok {
			delete(n.replies, en.ID)
			reply(res)
		}
	}
}
