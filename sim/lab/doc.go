// Package lab is the protocol lab: write a node of a distributed
// protocol, drive it with one of Maelstrom's workloads over dsim's
// simulated network, attack it with a nemesis, check what its clients
// saw, and when a check fails, get the seed that replays it, a file that
// holds the case, and a shrunk case small enough to read.
//
// It follows Jepsen's Maelstrom (its workloads, message shapes and error
// codes, so that exercises of the Gossip Glomers carry over), MIT 6.5840's
// labs and UW's DSLabs (nodes as event handlers, tests that search for
// the schedule that breaks them). What dsim adds is determinism: a run is
// a function of its seed, so a failure found once is found every time,
// and a saved case replays to the same history, byte for byte.
//
// # Nodes
//
// A node is a Go value with two methods (Node): Start, run when the node
// starts, and Receive, run for each message delivered to it. It acts
// through the Env it is handed: Send and Reply messages (Body, with
// Maelstrom's fields), RPC with a timeout, set timers (After, Every),
// read its own clock (Now: offset and drifting, never the engine's time),
// draw from its own random stream (Rand), write to its durable Store, and
// log (Logf). Nothing else is allowed: no goroutines, no sleeping, no
// wall clock, no map iteration where order shows (sort the keys).
//
// A node's fields are its volatile state. A crash that loses memory
// throws the value away and calls Test.New for a fresh one, whose Start
// finds only the Store: a small key-value store whose writes take
// Test.WriteLatency to become durable, in order; Get sees every write at
// once, and a crash loses those not yet durable, and their callbacks. A
// crash that keeps memory (Fault.Keep: a frozen, cut-off process) holds
// the node's timers until it restarts; messages sent to a crashed node
// are lost either way. A paused node (a GC pause) keeps everything and
// takes the messages and timers it missed when it wakes, in order.
//
// Nodes are named n0, n1, ...; clients c0, c1, ...; client i sends to
// node i mod Nodes. A node may send to any node and reply to a client.
//
// # Workloads
//
// The workloads and their requests, as in Maelstrom's workload document
// (the reply of each is its type with "_ok", or an error body):
//
//	echo        echo{echo}                         -> echo_ok{echo}
//	unique-ids  generate                           -> generate_ok{id}
//	broadcast   topology{topology} (once, at t=0), broadcast{message}, read -> read_ok{messages}
//	g-counter   add{delta >= 0}, read              -> read_ok{value}
//	pn-counter  add{delta}, read                   -> read_ok{value}
//	lin-kv      read{key}, write{key, value}, cas{key, from, to}; errors 20, 22
//	kafka       send{key, msg} -> send_ok{offset}; poll{offsets} -> poll_ok{msgs};
//	            commit_offsets{offsets}; list_committed_offsets{keys} -> {offsets}
//	bank        transfer{from, to, amount}, read -> read_ok{balances}; error 22 (overdraw)
//
// bank is not Maelstrom's but Jepsen's bank test: Keys accounts start
// with BankBalance each, and transfers move money between them.
//
// Clients are closed-loop by default (one request at a time, an
// exponential think time between, Test.Rate in all) or open-loop
// (Test.Open: requests arrive as a Poisson stream at Rate whatever the
// answers). A request gets Test.Timeout to be answered. The history
// records each as Jepsen does: invoke, then ok, fail (a definite error:
// it did not happen) or info (a timeout or an indefinite error: it may
// have happened, at any time after the invoke). Written values are
// unique, so checkers can tell writes apart.
//
// After Test.Duration the clients stop and every fault heals; after
// Test.Recovery more, the final reads ask every node (broadcast,
// counters) or poll every log from its start (kafka), each tried up to
// five times.
//
// # Checkers
//
// Each workload brings its checker (Test.Checkers adds one's own, a
// Checker or a CheckFunc); each returns a Verdict: Valid, Invalid or
// Unknown, a sentence, the violations with the events that show them,
// and metrics.
//
//   - echo: every echo_ok carries its request's payload.
//   - unique-ids: no id twice, none empty.
//   - broadcast: every acknowledged message is in every node's final
//     read; no read holds a message never broadcast; the delivery latency.
//   - counters: every final read lies within the acknowledged sum plus
//     what the adds in doubt could add or take, and the final reads agree.
//   - lin-kv: linearizability, checked by porcupine per key (Herlihy and
//     Wing's definition; the checker of Horn and Kroening's P-compositionality),
//     with porcupine's HTML view of a violation (Result.Linearizability).
//   - bank: every final read shows every account, none overdrawn, and
//     the total the bank started with (atomicity: BankChecker); every
//     read during the run does too (BankSnapshotChecker: a design whose
//     readers can see a transfer half done fails it).
//   - kafka: no acknowledged send missing from the final polls; one
//     message per offset; polls in order, from the offset asked, skipping
//     no acknowledged offset; a client's sends to a key get growing
//     offsets; committed offsets never listed below an acknowledged commit.
//
// What clients saw cannot show everything: two leaders in one term, say,
// break no client's history until much later. A Monitor (Test.Monitor,
// one per run) checks invariants from inside: nodes report what they do
// with Env.Observe, the monitor sees each report as it happens, with the
// node's name and the engine's time, and gives its verdict after the
// checkers (sim/lab/raft's safety monitor is one). Reports change nothing
// of the run: the same seed gives the same history with or without one.
//
// # Faults
//
// A Nemesis spec draws a fault schedule from the seed (its own stream, so
// the node's behaviour never changes the schedule): partitions (random
// halves, a minority cut off, a bridge node that sees both sides), one-way
// cuts, crashes with or without memory, pauses, clock jumps and drifts,
// bursts of loss and duplication, slow nodes. Draw returns it; it prints
// one fault a line; Test.Faults replays a given one. Faults heal by
// Test.Duration. Each link draws its own latency, loss and duplication,
// and each burst its own, so removing a fault leaves the fate of unrelated
// messages alone: that is what lets a shrink converge.
//
// # Search, replay, shrink
//
// Search runs a test over a range of seeds on every core and returns the
// lowest seed that fails (the same whatever the number of workers), with
// the run and a Case: the test with its schedule written out and the
// history's fingerprint. Case.Save writes it as JSON; Load reads it back
// (checking every field); Replay runs it and fails if the history is not
// the same, byte for byte. Shrink makes a failing case smaller while it
// keeps failing the same way: Zeller's ddmin over the faults, then
// shorter faults, a shorter workload, fewer clients, a lower rate, fewer
// nodes, until nothing more can go.
//
// Runs are short and many, so a search is built not to keep the
// collector busy: passing runs keep no message trace (the failing seed
// is run again with one), each worker (and a shrink) runs a seed on the
// memory of the runs it dropped (history, store maps, message bodies),
// a message in flight allocates nothing of its own, and the collector's
// target is GOGC=400 while a search runs, unless the program set its
// own. A node must therefore not keep its Env or Store past its run.
//
// # Limits and errors
//
// Everything is bounded (Limits): engine events, messages in the run and
// per step, operations, a paused node's backlog, pending RPCs, the store's
// keys and bytes, the trace, the checker's time. A node that panics,
// sends a malformed message (no type, an unknown destination, a reply of
// the wrong type or to a request never made, a message to a client that
// answers nothing), floods the network, or never answers its clients ends
// the run with an *Error that names the node, the seed and the virtual
// time, with the node's last log lines; the Result still holds the
// history so far. The node's step stops at the Env call that found the
// fault, so a loop that sends, writes or sets timers without end stops
// too; a loop that calls nothing of the Env cannot be stopped from inside
// the run (the script runner's timeout and Ctrl-C stop a script, the
// kernel's interrupt a notebook cell). A context ends a run, a search or
// a shrink.
//
// # Exercises
//
// Exercises lists the steps of the lab's lesson (notebooks/11-protocol-lab):
// echo, unique ids across crashes, broadcast on a calm network, under
// network faults, under crashes. CheckExercise runs a node on an
// exercise's seeds under its faults and returns a Grade: Right, or the
// lowest failing seed and its shrunk case; Grade.Blame checks an answer
// to "which kind of fault breaks it?" against the shrunk case.
//
// # Scripts
//
// A script can write a node: Yaegi's generated wrapper lets an interpreted
// type implement Node. The same code gives the same history, byte for
// byte, compiled or interpreted (kernel/interp's tests run the reference
// broadcast nodes both ways). An interpreted node costs about 6 µs per
// message delivered, against about 0.6 µs compiled (BenchmarkInterpretedNode
// and BenchmarkBroadcast); a script's search runs one seed at a time,
// since interpreted code may not run on two goroutines at once.
//
// # Reference nodes
//
// References lists the nodes that come with the lab: correct ones
// (echo, unique-ids, broadcast/gossip, counter, lin-kv/leader,
// kafka/leader) that pass a thousand seeds under every fault, and broken
// ones (broadcast/noretry, lin-kv/follower-reads) that the checkers
// catch. Test.Node names one, and a case saved with it replays without
// code.
//
// # Usage
//
//	test := lab.Test{Workload: "broadcast", New: func() lab.Node { return &MyNode{} },
//		Nemesis: lab.Nemesis{Kinds: lab.FaultKinds()}}
//	found, err := lab.Search(test, lab.Seeds{Count: 200})   // nil: every seed passed
//	small, err := lab.Shrink(found.Case, 0)                  // a smaller case failing the same way
//	small.Case.Save("case.json")
//	c, err := lab.Load("case.json")
//	c.Test.New = func() lab.Node { return &MyNode{} }
//	r, err := lab.Replay(c)                                  // the same history, or an error
package lab
