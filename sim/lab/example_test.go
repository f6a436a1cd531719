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
	// true echo: valid: all 154 echoes came back as sent
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
	fmt.Print(r.History.Text())
	fmt.Print(r.Verdicts[0].Text())
	// Output:
	// fails on seed 2 with 5 faults
	// shrunk in 35 runs to 4 nodes, 2 clients, 157ms, 1 faults (seed 2): broadcast: INVALID: 1 problem(s) with 1 acknowledged messages on 4 nodes
	//   kept only 2 of 5 faults: one-way cut {n0 n1 n2 n4} -> {n3} from 69ms for 565ms; crash {n0} keeping memory from 3.18s for 200ms
	//   kept only 1 of 2 faults: one-way cut {n0 n1 n2 n4} -> {n3} from 69ms for 565ms
	//   shortened fault 1 to 283ms
	//   shortened fault 1 to 142ms
	//   shortened fault 1 to 71ms
	//   shortened fault 1 to 36ms
	//   shortened the workload to 5s
	//   shortened the workload to 2.5s
	//   shortened the workload to 1.25s
	//   shortened the workload to 625ms
	//   shortened the workload to 313ms
	//   shortened the workload to 157ms
	//   4 node(s): n4 removed
	//   2 client(s)
	//   shortened fault 1 to 18ms
	//   shortened fault 1 to 9ms
	//   one-way cut {n0 n1 n2} -> {n3} from 69ms for 9ms
	// <nil>
	//     0.000000s c0   invoke n0   topology
	//     0.000000s c1   invoke n1   topology
	//     0.000000s c0   invoke n2   topology
	//     0.000000s c1   invoke n3   topology
	//     0.006435s c0   ok     n0   topology_ok
	//     0.008483s c1   ok     n3   topology_ok
	//     0.009595s c0   ok     n2   topology_ok
	//     0.014281s c1   ok     n1   topology_ok
	//     0.026414s c1   invoke n1   read
	//     0.032684s c1   ok     n1   read_ok []
	//     0.059939s c0   invoke n0   broadcast 0
	//     0.066459s c0   ok     n0   broadcast_ok
	//     5.157000s c0   invoke n0   read (final)
	//     5.157000s c1   invoke n1   read (final)
	//     5.157000s c0   invoke n2   read (final)
	//     5.157000s c1   invoke n3   read (final)
	//     5.163201s c0   ok     n0   read_ok [0] (final)
	//     5.164744s c1   ok     n3   read_ok [] (final)
	//     5.165292s c1   ok     n1   read_ok [0] (final)
	//     5.168050s c0   ok     n2   read_ok [0] (final)
	// broadcast: INVALID: 1 problem(s) with 1 acknowledged messages on 4 nodes
	//   - n3's final read lacks 1 acknowledged message(s): [0]
	//   acknowledged broadcasts: 1
	//   latency median: 5.105 s
	//   latency p95: 5.105 s
	//   latency max: 5.105 s
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
