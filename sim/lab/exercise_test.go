package lab

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"
)

// counterIDs hands out its name and a counter: after a crash that wipes
// its memory it hands out the same ids again.
type counterIDs struct{ next int }

func (*counterIDs) Start(*Env) {}
func (n *counterIDs) Receive(e *Env, m Message) {
	n.next++
	e.Reply(m, Body{Type: "generate_ok", ID: fmt.Sprintf("%s-%d", e.ID(), n.next)})
}

// retry resends to each peer what it has not acknowledged, from memory
// only: it survives the network, not a crash that loses memory.
type retry struct {
	seen    map[int64]bool
	list    []int64
	unacked map[string]map[int64]bool
}

func (n *retry) Start(e *Env) {
	n.seen, n.unacked = map[int64]bool{}, map[string]map[int64]bool{}
	for _, p := range e.Nodes() {
		if p != e.ID() {
			n.unacked[p] = map[int64]bool{}
		}
	}
	e.Every(100*time.Millisecond, func() {
		for _, p := range sorted(e.Nodes()) {
			var vals []int64
			for v := range n.unacked[p] {
				vals = append(vals, v)
			}
			if len(vals) > 0 {
				sort.Slice(vals, func(i, j int) bool { return vals[i] < vals[j] })
				e.Send(p, Body{Type: "gossip", Messages: vals})
			}
		}
	})
}

func (n *retry) Receive(e *Env, m Message) {
	switch m.Body.Type {
	case "topology":
		e.Reply(m, Body{Type: "topology_ok"})
	case "read":
		e.Reply(m, Body{Type: "read_ok", Messages: n.list})
	case "broadcast", "gossip":
		vals := append(m.Body.Messages, m.Body.Message)
		if m.Body.Type == "gossip" {
			vals = m.Body.Messages
			e.Send(m.Src, Body{Type: "gossip_ok", Messages: vals})
		} else {
			vals = vals[len(vals)-1:]
			e.Reply(m, Body{Type: "broadcast_ok"})
		}
		for _, v := range vals {
			if n.seen[v] {
				continue
			}
			n.seen[v] = true
			n.list = append(n.list, v)
			for p, pending := range n.unacked {
				if p != m.Src {
					pending[v] = true
				}
			}
		}
	case "gossip_ok":
		for _, v := range m.Body.Messages {
			delete(n.unacked[m.Src], v)
		}
	}
}

// Each exercise passes the node that does what it asks and fails the one
// that misses what the step adds, with a shrunk case of at most two faults.
func TestExercises(t *testing.T) {
	cases := []struct {
		exercise    string
		right, miss func() Node
	}{
		{"echo", func() Node { return &Echo{} }, nil},
		{"unique-ids", func() Node { return &UniqueIDs{} }, func() Node { return &counterIDs{} }},
		{"broadcast", func() Node { return &NoRetry{} }, nil},
		{"broadcast-network", func() Node { return &retry{} }, func() Node { return &NoRetry{} }},
		{"broadcast-crash", func() Node { return &Gossip{} }, func() Node { return &retry{} }},
	}
	if len(cases) != len(Exercises()) {
		t.Fatalf("%d exercises, %d tested", len(Exercises()), len(cases))
	}
	for _, c := range cases {
		t.Run(c.exercise, func(t *testing.T) {
			g, err := CheckExercise(c.exercise, c.right)
			if err != nil {
				t.Fatal(err)
			}
			if !g.OK || !strings.HasPrefix(g.Markdown(), "**Right.**") {
				t.Errorf("the right node fails: %s", g)
			}
			if c.miss == nil {
				return
			}
			g, err = CheckExercise(c.exercise, c.miss)
			if err != nil {
				t.Fatal(err)
			}
			if g.OK || g.Shrunk == nil || len(g.Shrunk.Case.Test.Faults) > 2 || !strings.HasPrefix(g.String(), "Not yet: ") {
				t.Fatalf("the node that misses the step: %s", g)
			}
			t.Log(g)
		})
	}
}

func TestExerciseErrors(t *testing.T) {
	if _, err := CheckExercise("broadcst", func() Node { return &Echo{} }); err == nil || !strings.Contains(err.Error(), `exercise "broadcst": unknown; the exercises are echo, unique-ids,`) {
		t.Errorf("unknown exercise: %v", err)
	}
	if _, err := CheckExercise("echo", nil); err == nil || !strings.Contains(err.Error(), "nil") {
		t.Errorf("nil node: %v", err)
	}
}

// A node that panics fails its exercise with the error naming the node,
// the seed and the time, shrunk like any other failure.
func TestExercisePanickingNode(t *testing.T) {
	g, err := CheckExercise("echo", func() Node { return &panicky{} })
	if err != nil {
		t.Fatal(err)
	}
	if g.OK || !strings.Contains(g.Why(), "panic") || !strings.Contains(g.Why(), "reproduce with seed=") {
		t.Fatalf("%s", g)
	}
	t.Log(g)
}

type panicky struct{}

func (*panicky) Start(*Env) {}
func (*panicky) Receive(e *Env, m Message) {
	var peers map[string]int
	peers[m.Src]++ // a nil map: panics
}

// The "why" question: the crash is to blame for the retrying node, not the
// network; bad answers are errors.
func TestBlame(t *testing.T) {
	g, err := CheckExercise("broadcast-crash", func() Node { return &retry{} })
	if err != nil {
		t.Fatal(err)
	}
	right, err := g.Blame(FaultCrash)
	if err != nil || !right.OK || !strings.Contains(right.Why, "crash {n1}") {
		t.Errorf("crash: %v, %v", right, err)
	}
	wrong, err := g.Blame(FaultLoss)
	if err != nil || wrong.OK || !strings.HasPrefix(wrong.String(), "Not yet: not loss: ") {
		t.Errorf("loss: %v, %v", wrong, err)
	}
	t.Log(right, "\n", wrong)
	if _, err := g.Blame("gremlins"); err == nil || !strings.Contains(err.Error(), "the kinds are partition") {
		t.Errorf("unknown kind: %v", err)
	}
	ok, err := CheckExercise("broadcast", func() Node { return &NoRetry{} })
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ok.Blame(FaultCrash); err == nil || !strings.Contains(err.Error(), "nothing to blame") {
		t.Errorf("a passing grade: %v", err)
	}
}
