package lab_test

import (
	"path/filepath"
	"testing"

	"dsim/sim/lab"
)

// Once is the README's node: a broadcast that tells every other node
// once, and never again.
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
		fallthrough
	case "tell":
		n.seen = append(n.seen, m.Body.Message)
	}
}

// The README's lab section runs as written.
func TestReadme(t *testing.T) {
	test := lab.Test{Workload: "broadcast", New: func() lab.Node { return &Once{} }, Nemesis: lab.Nemesis{Kinds: lab.FaultKinds()}}
	found, _ := lab.Search(test, lab.Seeds{Count: 200})
	small, _ := lab.Shrink(found.Case, 0)
	path := filepath.Join(t.TempDir(), "once.json")
	small.Case.Save(path)
	c, _ := lab.Load(path)
	c.Test.New = test.New
	r, err := lab.Replay(c)
	if err != nil || r.OK() || len(c.Test.Faults) > 2 {
		t.Fatal(err, r.OK(), len(c.Test.Faults))
	}
	t.Log(found, "\n", small, r.Verdicts[0].Text())
}
