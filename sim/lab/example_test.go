package lab_test

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"dsim/sim/lab"
)

// Echo is a node: it answers every echo with its payload.
type Echo struct{}

func (*Echo) Start(e *lab.Env) {}

func (*Echo) Receive(e *lab.Env, m lab.Message) {
	if m.Body.Type == "echo" {
		e.Reply(m, lab.Body{Type: "echo_ok", Echo: m.Body.Echo})
	}
}

// A node of one's own, on Maelstrom's echo workload, with every kind of
// fault.
func Example() {
	r, err := lab.Run(lab.Test{
		Workload: "echo",
		New:      func() lab.Node { return &Echo{} },
		Nemesis:  lab.Nemesis{Kinds: lab.FaultKinds()},
		Seed:     1,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.OK(), r.Verdicts[0])
	// Output:
	// true echo: valid: all 156 echoes came back as sent
}

// Search finds the first seed on which a broken node fails, Shrink makes
// the case small, and a saved case replays to the same history.
func ExampleSearch() {
	test := lab.Test{Workload: "broadcast", Node: "broadcast/noretry", Nemesis: lab.Nemesis{Kinds: lab.FaultKinds()}}
	found, _ := lab.Search(test, lab.Seeds{Count: 200})
	fmt.Println("fails on seed", found.Seed, "with", len(found.Case.Test.Faults), "faults")
	small, _ := lab.Shrink(found.Case, 0)
	fmt.Print(small)

	path := filepath.Join(os.TempDir(), "dsim-lab-example.json")
	small.Case.Save(path)
	c, _ := lab.Load(path)
	r, err := lab.Replay(c) // an error if the history is not the same
	fmt.Println(err)
	fmt.Print(r.Verdicts[0].Text())
	// Output:
	// fails on seed 1 with 6 faults
	// shrunk in 20 runs to 5 nodes, 3 clients, 5s, 1 faults (seed 1): broadcast: INVALID: 1 problem(s) with 69 acknowledged messages on 5 nodes
	//   kept only 3 of 6 faults: loss 22% from 3.135s for 118ms; slow {n2} +30ms from 3.306s for 205ms; slow {n1} +192ms from 4.911s for 177ms
	//   kept only 1 of 3 faults: loss 22% from 3.135s for 118ms
	//   shortened fault 1 to 59ms
	//   shortened fault 1 to 30ms
	//   shortened fault 1 to 15ms
	//   shortened fault 1 to 8ms
	//   shortened the workload to 5s
	//   loss 22% from 3.135s for 8ms
	// <nil>
	// broadcast: INVALID: 1 problem(s) with 69 acknowledged messages on 5 nodes
	//   - n2's final read lacks 1 acknowledged message(s): [38]
	//   acknowledged broadcasts: 69
	//   latency median: 0 s
	//   latency p95: 0 s
	//   latency max: 6.873 s
}

// The nemesis draws a fault schedule from a spec and the seed.
func ExampleDraw() {
	s, _ := lab.Draw(lab.Test{Workload: "lin-kv", Node: "lin-kv/leader", Seed: 4, Duration: 6 * time.Second,
		Nemesis: lab.Nemesis{Kinds: []string{lab.FaultPartition, lab.FaultCrash, lab.FaultClock}}})
	fmt.Print(s)
	// Output:
	// clock {n2 n4} jumps 547ms from 2.206s for 1.048s
	// crash {n0 n1 n2} from 5.393s for 528ms
}
