package raft

import (
	"time"

	"dsim/sim/lab"
)

// Role is what a node is in its term.
type Role int

// The roles of Figure 2.
const (
	Follower Role = iota
	Candidate
	Leader
)

func (r Role) String() string {
	switch r {
	case Follower:
		return "follower"
	case Candidate:
		return "candidate"
	case Leader:
		return "leader"
	}
	return "role?"
}

// Node is a Raft server serving lin-kv: a lab.Node. Its durable state
// (currentTerm, votedFor, the log) lives in the node's store; the rest is
// volatile and rebuilt after a crash, the key-value state by applying the
// log again from its start once the leader says what is committed.
type Node struct {
	cfg   Config
	e     *lab.Env
	id    string
	nodes []string
	self  int // index of this node in nodes

	// Persistent state (Figure 2), written to the store before any
	// message that depends on it leaves.
	term int64
	vote string
	log  []entry

	// Volatile state.
	role    Role
	leader  string // the leader of this term, when known
	commit  int64
	applied int64
	timer   lab.Timer
	votes   []bool // candidate: who granted its vote in this term
	asked   []bool // candidate: who answered its RequestVote
	next    []int64
	match   []int64 // leader: the highest index known stored on each node, itself included once durable

	writes, durable int64 // store writes made and known durable, in order
	waiting         []waiter

	kv      kvState
	replies map[string]func(lab.Body) // client requests waiting for their entry to be applied, by ID

	preset *preset // the election experiment's starting state, nil otherwise
}

// New returns a Raft node with cfg, which must be valid (Config.Validate).
func New(cfg Config) *Node { return &Node{cfg: cfg.withDefaults()} }

// The messages nodes send each other (in Body.Data; Body.Type names them).
type (
	voteReq struct {
		Term                int64
		Candidate           string
		LastIndex, LastTerm int64
	}
	voteResp struct {
		Term    int64
		Granted bool
	}
	appendReq struct {
		Term, Prev, PrevTerm, Commit int64
		Leader                       string
		Entries                      []entry
	}
	appendResp struct {
		Term    int64
		Success bool
		Match   int64 // success: the last index now known to match the leader's log
		Hint    int64 // failure: where the leader should try next
	}
	forwardedReq struct {
		Client string
		Req    lab.Body
	}
)

func (n *Node) Start(e *lab.Env) {
	n.e, n.id, n.nodes = e, e.ID(), e.Nodes()
	for i, id := range n.nodes {
		if id == n.id {
			n.self = i
		}
	}
	n.kv = newKV()
	n.replies = map[string]func(lab.Body){}
	n.load()
	first := n.preset != nil && n.term == 0 && len(n.log) == 0
	if first {
		n.preset.apply(n)
	}
	e.Observe(obsLog{From: 1, Entries: n.log, Load: true})
	n.role = Follower
	e.Observe(obsRole{Term: n.term, Role: Follower})
	e.Every(n.cfg.Heartbeat, n.tick)
	n.resetTimer()
	if first {
		n.preset.start(n)
	}
}

func (n *Node) Receive(e *lab.Env, m lab.Message) {
	switch m.Body.Type {
	case "request_vote":
		n.onVote(m.Src, m.Body.Data.(voteReq))
	case "request_vote_ok":
		n.onVoteResp(m.Src, m.Body.Data.(voteResp))
	case "append_entries":
		n.onAppend(m.Src, m.Body.Data.(appendReq))
	case "append_entries_ok":
		n.onAppendResp(m.Src, m.Body.Data.(appendResp))
	case "read", "write", "cas":
		n.request(m.Src, m.Body, false, func(b lab.Body) { e.Reply(m, b) })
	case "forward":
		f := m.Body.Data.(forwardedReq)
		n.request(f.Client, f.Req, true, func(b lab.Body) { e.Reply(m, b) })
	}
	// Anything else (a forwarded request's answer after its timeout) is
	// late: the client has been told already.
}

func (n *Node) majority() int { return len(n.nodes)/2 + 1 }

// resetTimer restarts the election timer with a fresh timeout.
func (n *Node) resetTimer() {
	n.timer.Stop()
	d := n.cfg.ElectionMin
	if spread := n.cfg.ElectionMax - n.cfg.ElectionMin; spread > 0 && n.cfg.Broken != NoRandomness {
		d += time.Duration(n.e.Rand().Int64N(int64(spread)))
	}
	n.timer = n.e.After(d, n.campaign)
}

// tick is the heartbeat: a leader sends AppendEntries to every follower,
// a candidate asks again whoever has not answered.
func (n *Node) tick() {
	switch n.role {
	case Leader:
		n.broadcast()
	case Candidate:
		n.requestVotes()
	}
}

// setTerm moves to a newer term as a follower, with no vote yet.
func (n *Node) setTerm(term int64) {
	n.term, n.vote, n.leader = term, "", ""
	n.saveMeta()
	n.become(Follower)
}

func (n *Node) become(r Role) {
	was := n.role
	n.role = r
	if was == Leader && r != Leader {
		n.resetTimer()
	}
	n.e.Observe(obsRole{Term: n.term, Role: r})
}

// campaign starts an election: a new term, a vote for itself, durable
// before anyone is asked.
func (n *Node) campaign() {
	if n.role == Leader {
		return
	}
	n.term++
	n.vote, n.leader = n.id, ""
	n.saveMeta()
	n.become(Candidate)
	n.votes = make([]bool, len(n.nodes))
	n.asked = make([]bool, len(n.nodes))
	n.votes[n.self], n.asked[n.self] = true, true
	n.resetTimer()
	term := n.term
	n.afterDurable(func() {
		if n.term == term && n.role == Candidate {
			n.requestVotes()
			n.countVotes()
		}
	})
}

func (n *Node) requestVotes() {
	if n.durable != n.writes {
		return // the vote for itself is not durable yet
	}
	req := voteReq{Term: n.term, Candidate: n.id, LastIndex: n.last(), LastTerm: n.termAt(n.last())}
	for i, p := range n.nodes {
		if !n.asked[i] {
			n.e.Send(p, lab.Body{Type: "request_vote", Data: req})
		}
	}
}

// onVote is the RequestVote rule: grant at most one vote a term, and only
// to a candidate whose log is at least as up to date (§5.4.1).
func (n *Node) onVote(from string, r voteReq) {
	if r.Term > n.term {
		n.setTerm(r.Term)
	}
	granted := false
	if r.Term == n.term && (n.vote == "" || n.vote == r.Candidate) && n.upToDate(r.LastIndex, r.LastTerm) {
		granted = true
		if n.vote != r.Candidate {
			n.vote = r.Candidate
			n.saveMeta()
		}
		n.resetTimer()
	}
	resp := voteResp{Term: n.term, Granted: granted}
	n.afterDurable(func() { n.e.Send(from, lab.Body{Type: "request_vote_ok", Data: resp}) })
}

// upToDate compares the last entries' terms, then the logs' lengths.
func (n *Node) upToDate(lastIndex, lastTerm int64) bool {
	mine := n.termAt(n.last())
	return lastTerm > mine || lastTerm == mine && lastIndex >= n.last()
}

// answers reports whether a response of the given term still answers this
// node in role: it is of the node's term and the node has not changed
// role since. A higher term turns the node into a follower of that term
// first (§5.1), and the response is dropped.
func (n *Node) answers(term int64, role Role) bool {
	if term > n.term {
		n.setTerm(term)
		return false
	}
	return n.role == role && term == n.term
}

func (n *Node) onVoteResp(from string, r voteResp) {
	if !n.answers(r.Term, Candidate) {
		return
	}
	i := n.index(from)
	n.asked[i] = true
	n.votes[i] = n.votes[i] || r.Granted
	n.countVotes()
}

func (n *Node) countVotes() {
	got := 0
	for _, v := range n.votes {
		if v {
			got++
		}
	}
	if got >= n.majority() {
		n.lead()
	}
}

// lead takes leadership: every follower is assumed to have everything
// until it says otherwise (nextIndex), and nothing is known matched.
func (n *Node) lead() {
	n.timer.Stop()
	n.leader = n.id
	n.become(Leader)
	n.next = make([]int64, len(n.nodes))
	n.match = make([]int64, len(n.nodes))
	for i := range n.next {
		n.next[i] = n.last() + 1
	}
	n.matchSelf()
	n.broadcast()
}

// matchSelf counts the leader's own log once it is durable.
func (n *Node) matchSelf() {
	term, last := n.term, n.last()
	n.afterDurable(func() {
		if n.role == Leader && n.term == term && last > n.match[n.self] {
			n.match[n.self] = last
			n.advanceCommit()
		}
	})
}

func (n *Node) index(id string) int {
	for i, p := range n.nodes {
		if p == id {
			return i
		}
	}
	return -1
}
