package raft

import (
	"fmt"
	"hash/fnv"
	"sort"
	"strings"

	"dsim/sim"
	"dsim/sim/lab"
)

// What a node reports to the monitor (lab.Env.Observe).
type (
	// obsRole: the node is now Role in Term.
	obsRole struct {
		Term int64
		Role Role
	}
	// obsLog: the node's log from index From on is now Entries (a load
	// after a restart reports From 1 and the whole log).
	obsLog struct {
		From    int64
		Entries []entry
		Load    bool // a restart: the volatile commit index starts again
	}
	// obsCommit: the node's commit index rose to Index in Term.
	obsCommit struct{ Term, Index int64 }
	// obsApply: the node applied its entry at Index.
	obsApply struct{ Index int64 }
)

// Property is one of Raft's guarantees (Figure 3), or liveness.
type Property int

// The properties the monitor checks.
const (
	// ElectionSafety: at most one leader can be elected in a given term.
	ElectionSafety Property = iota
	// LogMatching: if two logs contain an entry with the same index and
	// term, the logs are identical in all entries up through that index.
	LogMatching
	// LeaderCompleteness: if an entry is committed in a given term, it is
	// in the log of the leader of every higher term.
	LeaderCompleteness
	// StateMachineSafety: if a node has applied the entry at an index, no
	// node ever applies a different entry at that index.
	StateMachineSafety
	// Liveness: once the faults have healed, the cluster has a leader
	// again before the final reads (Test.Recovery later).
	Liveness
)

func (p Property) String() string {
	switch p {
	case ElectionSafety:
		return "Election Safety"
	case LogMatching:
		return "Log Matching"
	case LeaderCompleteness:
		return "Leader Completeness"
	case StateMachineSafety:
		return "State Machine Safety"
	case Liveness:
		return "Liveness"
	}
	return fmt.Sprintf("Property(%d)", int(p))
}

// Violation is one broken property, with the nodes, term and index that
// show it and when the monitor saw it.
type Violation struct {
	Property Property
	Nodes    []string
	Term     int64 // the term concerned, 0 for none
	Index    int64 // the log index concerned, 0 for none
	At       sim.Time
	Text     string // a sentence that says all of the above
}

func (v Violation) String() string { return v.Property.String() + ": " + v.Text }

// link is an entry as the monitor keeps it: its term, its request, and a
// hash of the whole log up to it, so that two logs' prefixes compare in
// one step.
type link struct {
	term  int64
	id    string
	chain uint64
}

// committedEntry is an index's committed entry: who first said so, when,
// in which term.
type committedEntry struct {
	link
	in   int64 // the term it was committed in
	node string
	at   sim.Time
}

type leaderRec struct {
	term int64
	node string
	at   sim.Time
	log  []link // its log when it was elected
}

type roleChange struct {
	at   sim.Time
	node string
	term int64
	role Role
}

// Monitor checks Raft's safety properties on every report of every node,
// as the run goes, and liveness after it. It is a lab.Monitor; make one
// per run (Test.Monitor = func() lab.Monitor { return raft.NewMonitor() }).
type Monitor struct {
	logs       map[string][]link
	commits    map[string]int64 // each node's commit index, as reported
	chains     map[[2]int64]chainOwner
	committed  []committedEntry
	applied    []committedEntry
	leaders    []leaderRec // by term
	roles      []roleChange
	violations []Violation
	count      int
	elections  int
	checked    bool // Check has run: the liveness check is done

	snapAt sim.Time  // when to take a snapshot of the logs; 0 for none
	snap   *Snapshot // taken at snapAt
}

type chainOwner struct {
	chain uint64
	node  string
}

// MaxViolations is how many violations a monitor keeps; it counts all.
const MaxViolations = 20

// maxRoleChanges bounds the role history kept for the liveness check
// (a livelock makes one change per node per election timeout).
const maxRoleChanges = 100_000

// NewMonitor returns a monitor for one run.
func NewMonitor() *Monitor {
	return &Monitor{logs: map[string][]link{}, commits: map[string]int64{}, chains: map[[2]int64]chainOwner{}}
}

func (m *Monitor) violate(p Property, nodes []string, term, index int64, at sim.Time, format string, args ...any) {
	m.count++
	if len(m.violations) < MaxViolations {
		m.violations = append(m.violations, Violation{Property: p, Nodes: nodes, Term: term, Index: index, At: at, Text: fmt.Sprintf(format, args...)})
	}
}

// Observe takes a node's report: see the properties for what each checks.
func (m *Monitor) Observe(node string, at sim.Time, v any) {
	if m.snapAt > 0 && m.snap == nil && at > m.snapAt {
		m.snapshot()
	}
	switch o := v.(type) {
	case obsLog:
		m.onLog(node, at, o)
	case obsRole:
		m.onRole(node, at, o)
	case obsCommit:
		m.onCommit(node, at, o)
	case obsApply:
		m.onApply(node, at, o)
	}
}

func chainOf(prev uint64, term int64, id string) uint64 {
	h := fnv.New64a()
	var b [16]byte
	for i := 0; i < 8; i++ {
		b[i] = byte(prev >> (8 * i))
		b[8+i] = byte(uint64(term) >> (8 * i))
	}
	h.Write(b[:])
	h.Write([]byte(id))
	return h.Sum64()
}

// onLog mirrors the node's log and checks Log Matching: an (index, term)
// seen before must come with the same prefix.
func (m *Monitor) onLog(node string, at sim.Time, o obsLog) {
	log := m.logs[node]
	if o.From-1 < int64(len(log)) {
		log = log[:o.From-1]
	}
	if o.Load {
		m.commits[node] = 0
	}
	for _, en := range o.Entries {
		var prev uint64
		if len(log) > 0 {
			prev = log[len(log)-1].chain
		}
		l := link{term: en.Term, id: en.ID, chain: chainOf(prev, en.Term, en.ID)}
		log = append(log, l)
		k := [2]int64{int64(len(log)), en.Term}
		if c, ok := m.chains[k]; !ok {
			m.chains[k] = chainOwner{l.chain, node}
		} else if c.chain != l.chain {
			m.violate(LogMatching, []string{c.node, node}, en.Term, k[0], at,
				"%s and %s both hold an entry of term %d at index %d, but their logs differ up to it", c.node, node, en.Term, k[0])
		}
	}
	m.logs[node] = log
}

// onRole checks Election Safety, and Leader Completeness for a new
// leader: it must hold every entry committed in an earlier term.
func (m *Monitor) onRole(node string, at sim.Time, o obsRole) {
	if len(m.roles) < maxRoleChanges {
		m.roles = append(m.roles, roleChange{at, node, o.Term, o.Role})
	}
	if o.Role != Leader {
		return
	}
	m.elections++
	i := sort.Search(len(m.leaders), func(i int) bool { return m.leaders[i].term >= o.Term })
	if i < len(m.leaders) && m.leaders[i].term == o.Term {
		l := m.leaders[i]
		m.violate(ElectionSafety, []string{l.node, node}, o.Term, 0, at,
			"%s and %s were both elected leader of term %d (at %v and %v)", l.node, node, o.Term, l.at, at)
		return
	}
	log := append([]link(nil), m.logs[node]...)
	m.leaders = append(m.leaders, leaderRec{})
	copy(m.leaders[i+1:], m.leaders[i:])
	m.leaders[i] = leaderRec{term: o.Term, node: node, at: at, log: log}
	for idx, c := range m.committed {
		if c.in < o.Term && !holds(log, int64(idx+1), c.chain) {
			m.violate(LeaderCompleteness, []string{c.node, node}, o.Term, int64(idx+1), at,
				"%s was elected leader of term %d without the entry at index %d (term %d) that %s committed in term %d", node, o.Term, idx+1, c.term, c.node, c.in)
			return
		}
	}
}

func holds(log []link, index int64, chain uint64) bool {
	return index <= int64(len(log)) && log[index-1].chain == chain
}

// onCommit records what the node now says is committed; a leader of a
// later term already elected without it breaks Leader Completeness, and
// so does a second entry committed at the same index.
func (m *Monitor) onCommit(node string, at sim.Time, o obsCommit) {
	log := m.logs[node]
	for idx := m.commits[node] + 1; idx <= o.Index && idx <= int64(len(log)); idx++ {
		l := log[idx-1]
		if idx <= int64(len(m.committed)) {
			c := m.committed[idx-1]
			if c.chain != l.chain {
				m.violate(LeaderCompleteness, []string{c.node, node}, o.Term, idx, at,
					"%s committed an entry of term %d at index %d in term %d, where %s had committed one of term %d in term %d", node, l.term, idx, o.Term, c.node, c.term, c.in)
			}
			continue
		}
		c := committedEntry{link: l, in: o.Term, node: node, at: at}
		m.committed = append(m.committed, c)
		for _, ld := range m.leaders {
			if ld.term > o.Term && !holds(ld.log, idx, l.chain) {
				m.violate(LeaderCompleteness, []string{node, ld.node}, ld.term, idx, at,
					"%s committed the entry at index %d (term %d) in term %d, but %s had been elected leader of term %d without it", node, idx, l.term, o.Term, ld.node, ld.term)
			}
		}
	}
	m.commits[node] = max(m.commits[node], o.Index)
}

// onApply checks State Machine Safety.
func (m *Monitor) onApply(node string, at sim.Time, o obsApply) {
	log := m.logs[node]
	if o.Index < 1 || o.Index > int64(len(log)) {
		return
	}
	l := log[o.Index-1]
	if o.Index <= int64(len(m.applied)) {
		a := m.applied[o.Index-1]
		if a.term != l.term || a.id != l.id {
			m.violate(StateMachineSafety, []string{a.node, node}, l.term, o.Index, at,
				"%s applied %s (term %d) at index %d, where %s had applied %s (term %d)", node, l.id, l.term, o.Index, a.node, a.id, a.term)
		}
		return
	}
	if o.Index == int64(len(m.applied))+1 {
		m.applied = append(m.applied, committedEntry{link: l, node: node, at: at})
	}
}

// leaderAt is the leader at time t: a node whose last role by then is
// leader, in a term no node had passed.
func (m *Monitor) leaderAt(t sim.Time) (string, int64, bool) {
	type state struct {
		term int64
		role Role
	}
	now := map[string]state{}
	var names []string
	for _, c := range m.roles {
		if c.at > t {
			break
		}
		if _, ok := now[c.node]; !ok {
			names = append(names, c.node)
		}
		now[c.node] = state{c.term, c.role}
	}
	sort.Strings(names)
	var top int64
	for _, n := range names {
		top = max(top, now[n].term)
	}
	for _, n := range names {
		if s := now[n]; s.role == Leader && s.term == top {
			return n, top, true
		}
	}
	return "", top, false
}

// Report is what the monitor found.
type Report struct {
	Violations []Violation // the first MaxViolations
	Count      int         // violations in all
	Elections  int         // leaders elected
	Committed  int         // entries committed
}

// Report returns the violations so far and the run's numbers.
func (m *Monitor) Report() Report {
	return Report{Violations: append([]Violation(nil), m.violations...), Count: m.count, Elections: m.elections, Committed: len(m.committed)}
}

// Check adds the liveness check (a leader at the final reads, the faults
// healed Test.Recovery before) and gives the verdict.
func (m *Monitor) Check(r *lab.Result) lab.Verdict {
	if _, term, ok := m.leaderAt(r.FinalAt); !ok && !m.checked {
		elections := 0
		for _, c := range m.roles {
			if c.at >= r.End && c.at <= r.FinalAt && c.role == Candidate {
				elections++
			}
		}
		m.violate(Liveness, nil, term, 0, r.FinalAt,
			"no leader at %v, %v after the faults healed: %d candidacies since, none won", r.FinalAt, r.Test.Recovery, elections)
	}
	m.checked = true
	v := lab.Verdict{Checker: "raft", Count: m.count}
	for _, x := range m.violations {
		node := ""
		if len(x.Nodes) > 0 {
			node = x.Nodes[len(x.Nodes)-1]
		}
		v.Violations = append(v.Violations, lab.Violation{Text: x.String(), Node: node, At: x.At})
	}
	v.Metrics = []lab.Metric{{Name: "leaders elected", Value: float64(m.elections)}, {Name: "entries committed", Value: float64(len(m.committed))}}
	if m.count == 0 {
		v.Outcome = lab.Valid
		v.Summary = fmt.Sprintf("Election Safety, Log Matching, Leader Completeness and State Machine Safety held through %d elections and %d committed entries, and a leader stood at the end", m.elections, len(m.committed))
		return v
	}
	v.Outcome = lab.Invalid
	v.Summary = fmt.Sprintf("%d violation(s) of %s", m.count, m.broken())
	return v
}

// broken names the properties violated, in order.
func (m *Monitor) broken() string {
	seen := map[Property]bool{}
	var names []string
	for p := ElectionSafety; p <= Liveness; p++ {
		for _, x := range m.violations {
			if x.Property == p && !seen[p] {
				seen[p] = true
				names = append(names, p.String())
			}
		}
	}
	return strings.Join(names, ", ")
}

// Safety returns the report of a run's Raft monitor, false when the run
// had none.
func Safety(r *lab.Result) (Report, bool) {
	m, ok := r.Monitor.(*Monitor)
	if !ok || m == nil {
		return Report{}, false
	}
	return m.Report(), true
}
