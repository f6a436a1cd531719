package lab_test

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
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

// The README's lab section runs as written (its lines are below, word for
// word: checkReadmeCode compares them) and says what the run says.
func TestReadme(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	checkReadmeCode(t, string(readme))
	t.Chdir(t.TempDir()) // once.json goes there

	// The README's lines: an error left out there shows here as a nil
	// dereference, which fails the test.
	test := lab.Test{Workload: "broadcast", New: func() lab.Node { return &Once{} }, Nemesis: lab.Nemesis{Kinds: lab.FaultKinds()}}
	found, _ := lab.Search(test, lab.Seeds{Count: 200})
	small, _ := lab.Shrink(found.Case, 0)
	small.Case.Save("once.json")
	c, _ := lab.Load("once.json")
	c.Test.New = test.New
	r, err := lab.Replay(c)
	if err != nil {
		t.Fatal(err)
	}

	ct := c.Test
	checks := []struct{ what, got, want string }{
		{"found", found.Result.Failure(), "broadcast: INVALID: 2 problem(s) with 127 acknowledged messages on 5 nodes"},
		{"seed", strconv.FormatUint(found.Seed, 10), "1"},
		{"shrink runs", strconv.Itoa(small.Runs), "22"},
		{"shrunk nodes", strconv.Itoa(ct.Nodes), "3"},
		{"shrunk workload", ct.Duration.String(), "5s"},
		{"shrunk faults", strings.TrimSpace(ct.Faults.String()), "loss 22% from 3.135s for 8ms"},
		{"verdict", r.Verdicts[0].String(), "broadcast: INVALID: 1 problem(s) with 69 acknowledged messages on 3 nodes"},
		{"violation", r.Verdicts[0].Violations[0].Text, "n2's final read lacks 1 acknowledged message(s): [38]"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: the run gives %q, the README's text was %q", c.what, c.got, c.want)
		}
	}
	// The README says them in its words.
	text := strings.Join(strings.Fields(strings.ReplaceAll(string(readme), "`", "")), " ")
	for _, s := range []string{"seed 1 fails: 2 problems with 127 acknowledged messages", "22 runs: 3 nodes, 5 s, one fault: loss 22% from 3.135s for 8ms",
		"broadcast: INVALID: 1 problem(s) with 69 acknowledged messages on 3 nodes", "n2's final read lacks 1 acknowledged message(s): [38]"} {
		if !strings.Contains(text, s) {
			t.Errorf("the README no longer says %q", s)
		}
	}
}

// checkReadmeCode checks that every line of the README's lab example is a
// line of this file, comments aside, and that the example is under 30
// lines.
func checkReadmeCode(t *testing.T, readme string) {
	t.Helper()
	i := strings.Index(readme, "## The protocol lab")
	if i < 0 {
		t.Fatal("the README has no section \"The protocol lab\"")
	}
	block := readme[i:]
	start := strings.Index(block, "```go\n")
	end := strings.Index(block[start+6:], "```")
	if start < 0 || end < 0 {
		t.Fatal("the README's lab section has no Go block")
	}
	lines := strings.Split(strings.TrimSpace(block[start+6:start+6+end]), "\n")
	if len(lines) >= 30 {
		t.Errorf("the README's lab example has %d lines; it promises under 30", len(lines))
	}
	src, err := os.ReadFile("readme_test.go")
	if err != nil {
		t.Fatal(err)
	}
	here := map[string]bool{}
	for _, l := range strings.Split(string(src), "\n") {
		here[code(l)] = true
	}
	for _, l := range lines {
		if !here[code(l)] {
			t.Errorf("the README's line %q is not run by TestReadme", strings.TrimSpace(l))
		}
	}
}

// code is a line without its trailing comment and spaces.
func code(l string) string {
	if i := strings.Index(l, " //"); i >= 0 {
		l = l[:i]
	}
	return strings.TrimSpace(l)
}
