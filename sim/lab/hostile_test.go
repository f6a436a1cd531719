package lab

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// nodeFunc is a node made of two functions, for the tests.
type nodeFunc struct {
	start   func(e *Env)
	receive func(e *Env, m Message)
}

func (n *nodeFunc) Start(e *Env) {
	if n.start != nil {
		n.start(e)
	}
}

func (n *nodeFunc) Receive(e *Env, m Message) {
	if n.receive != nil {
		n.receive(e, m)
	}
}

// echoing answers echo requests, and runs odd on the node named odd.
func echoing(odd string, fn func(e *Env, m Message)) func() Node {
	return func() Node {
		return &nodeFunc{receive: func(e *Env, m Message) {
			if e.ID() == odd {
				fn(e, m)
				return
			}
			e.Reply(m, Body{Type: "echo_ok", Echo: m.Body.Echo})
		}}
	}
}

// Each broken node ends its run with an *Error that names the node, the
// seed and the virtual time, and says what it did; none hangs.
func TestBrokenNodesGiveClearErrors(t *testing.T) {
	cases := []struct {
		name  string
		new   func() Node
		cause error
		want  string
	}{
		{"panic", echoing("n1", func(e *Env, m Message) { var a []int; _ = a[3] }), ErrPanic,
			"node n1: panic in Receive(echo from c1): runtime error: index out of range"},
		{"wrong reply type", echoing("n2", func(e *Env, m Message) { e.Reply(m, Body{Type: "read_ok"}) }), ErrMalformed,
			"n2 answered c2's echo (msg_id 1) with read_ok; expected echo_ok or error"},
		{"no type", echoing("n0", func(e *Env, m Message) { e.Reply(m, Body{}) }), ErrMalformed,
			"a body with no Type"},
		{"reply to a request never sent", echoing("n0", func(e *Env, m Message) { e.Send(m.Src, Body{Type: "echo_ok", InReplyTo: 999}) }), ErrMalformed,
			"in reply to msg_id 999, which c0 never sent"},
		{"unsolicited message to a client", echoing("n0", func(e *Env, m Message) { e.Send(m.Src, Body{Type: "hello"}) }), ErrMalformed,
			"answers no request"},
		{"unknown destination", echoing("n1", func(e *Env, m Message) { e.Send("n9", Body{Type: "hello"}) }), ErrUnknownDst,
			`to "n9", which is neither a node (n0..n4) nor a client (c0..c2)`},
		{"flood in one step", echoing("n1", func(e *Env, m Message) {
			for i := 0; i < 20_000; i++ {
				e.Send("n0", Body{Type: "spam"})
			}
		}), ErrFlood, "more than 10000 messages sent in one step, Receive(echo from c1)"},
		{"flood forever in one step", echoing("n1", func(e *Env, m Message) {
			for {
				e.Send("n0", Body{Type: "spam"})
			}
		}), ErrFlood, "more than 10000 messages sent in one step, Receive(echo from c1)"},
		{"store filled forever", echoing("n1", func(e *Env, m Message) {
			for i := 0; ; i++ {
				e.Store().PutInt(fmt.Sprint("k", i), int64(i), nil)
			}
		}), ErrLimit, "Limits.MaxStoreKeys"},
		{"silent", echoing("n2", func(e *Env, m Message) {}), ErrSilent,
			"node n2: never answered: "},
		{"bad timer", echoing("n1", func(e *Env, m Message) { e.Every(0, func() {}) }), ErrMalformed,
			"Every(0s): the period must be positive"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := Run(Test{Workload: "echo", New: c.new, Seed: 42})
			var le *Error
			if !errors.As(err, &le) {
				t.Fatalf("got %v, want an *Error", err)
			}
			if !errors.Is(err, c.cause) {
				t.Errorf("cause: got %v, want %v", err, c.cause)
			}
			msg := err.Error()
			for _, want := range []string{c.want, "reproduce with seed=42", " at t="} {
				if !strings.Contains(msg, want) {
					t.Errorf("error %q lacks %q", msg, want)
				}
			}
			if r == nil || r.History == nil || len(r.History.Events) == 0 {
				t.Errorf("no history with the error")
			}
			if r != nil && r.OK() {
				t.Error("a broken run is OK")
			}
		})
	}
}

// A node that floods the network with timers stops at the run's message
// budget; one that loops through events stops at the event budget; a
// cancelled context stops a run. None hangs.
func TestBudgetsStopRunaways(t *testing.T) {
	storm := func() Node {
		return &nodeFunc{start: func(e *Env) {
			e.Every(time.Microsecond, func() {
				for _, n := range e.Nodes() {
					e.Send(n, Body{Type: "spam"})
				}
			})
		}}
	}
	_, err := Run(Test{Workload: "echo", New: storm, Seed: 5, Limits: Limits{MaxMessages: 100_000}})
	if !errors.Is(err, ErrFlood) || !strings.Contains(err.Error(), "more than 100000 messages sent in the run") || !strings.Contains(err.Error(), "reproduce with seed=5") {
		t.Fatalf("got %v", err)
	}
	spin := func() Node {
		return &nodeFunc{start: func(e *Env) { e.Every(time.Nanosecond, func() {}) }}
	}
	_, err = Run(Test{Workload: "echo", New: spin, Seed: 6, Limits: Limits{MaxEvents: 1_000_000}})
	if err == nil || !strings.Contains(err.Error(), "event budget") || !strings.Contains(err.Error(), "seed=6") {
		t.Fatalf("got %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = RunContext(ctx, Test{Workload: "echo", New: spin, Seed: 6})
	if err == nil || !strings.Contains(err.Error(), "interrupted") {
		t.Fatalf("got %v", err)
	}
	var le *Error
	if errors.As(err, &le) {
		t.Fatal("an interrupted run is not the node's error")
	}
	if _, err := SearchContext(ctx, Test{Workload: "echo", Node: "echo"}, Seeds{Count: 10}); err == nil {
		t.Fatal("a cancelled search returned no error")
	}
}

// Misuses of the Env: a node that sends from another node's step, a nil
// node, a store past its bounds.
func TestEnvMisuse(t *testing.T) {
	var other *Env
	steal := func() Node {
		return &nodeFunc{start: func(e *Env) {
			if e.ID() == "n0" {
				other = e
			}
		}, receive: func(e *Env, m Message) {
			if e.ID() == "n1" && other != nil {
				other.Send("n2", Body{Type: "hi"})
			}
			e.Reply(m, Body{Type: "echo_ok", Echo: m.Body.Echo})
		}}
	}
	_, err := Run(Test{Workload: "echo", New: steal, Seed: 1})
	if !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), "outside the node's own") {
		t.Fatalf("got %v", err)
	}
	_, err = Run(Test{Workload: "echo", New: func() Node { return nil }, Seed: 1})
	if err == nil || !strings.Contains(err.Error(), "New returned a nil Node") {
		t.Fatalf("got %v", err)
	}
	hoard := func() Node {
		return &nodeFunc{start: func(e *Env) {
			for i := 0; i < 20; i++ {
				e.Store().Put(string(rune('a'+i)), "x", nil)
			}
		}}
	}
	_, err = Run(Test{Workload: "echo", New: hoard, Seed: 1, Limits: Limits{MaxStoreKeys: 10}})
	if !errors.Is(err, ErrLimit) || !strings.Contains(err.Error(), "MaxStoreKeys") {
		t.Fatalf("got %v", err)
	}
}

// Every bad field of a test is refused, naming it and its value.
func TestValidate(t *testing.T) {
	ok := Test{Workload: "echo", Node: "echo"}
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		edit func(*Test)
		want string
	}{
		{func(t *Test) { t.Workload = "paxos" }, `Workload="paxos": must be one of "echo"`},
		{func(t *Test) { t.Node = "raft" }, `Node="raft" is not a reference node`},
		{func(t *Test) { t.Node = "" }, "New is nil and Node is empty"},
		{func(t *Test) { t.Nodes = 65 }, "Nodes=65: must be in [1, 64]"},
		{func(t *Test) { t.Nodes = -1 }, "Nodes=-1"},
		{func(t *Test) { t.Clients = 1001 }, "Clients=1001"},
		{func(t *Test) { t.Rate = -3 }, "Rate=-3"},
		{func(t *Test) { t.Duration = -time.Second }, "Duration=-1s"},
		{func(t *Test) { t.Duration = 25 * time.Hour }, "Duration=25h0m0s"},
		{func(t *Test) { t.Recovery = -time.Second }, "Recovery=-1s"},
		{func(t *Test) { t.Timeout = time.Nanosecond }, "Timeout=1ns"},
		{func(t *Test) { t.Loss = 1 }, "Loss=1: must be in [0, 1)"},
		{func(t *Test) { t.Duplicate = -0.1 }, "Duplicate=-0.1"},
		{func(t *Test) { t.Topology = "ring" }, `Topology="ring"`},
		{func(t *Test) { t.Keys = 20_000 }, "Keys=20000"},
		{func(t *Test) { t.ClockSkew = -1 }, "ClockSkew=-1ns"},
		{func(t *Test) { t.ClockDrift = 0.7 }, "ClockDrift=0.7"},
		{func(t *Test) { t.WriteLatency = -1 }, "WriteLatency=-1ns"},
		{func(t *Test) { t.Rate, t.Duration = 1e5, time.Hour }, "more than Limits.MaxOps=100000"},
		{func(t *Test) { t.Limits.MaxEvents = -1 }, "Limits.MaxEvents=-1"},
		{func(t *Test) { t.Limits.CheckTimeout = -1 }, "Limits.CheckTimeout=-1ns"},
		{func(t *Test) { t.Nemesis.Kinds = []string{"meteor"} }, `Nemesis.Kinds[0]="meteor"`},
		{func(t *Test) { t.Nemesis.Interval = time.Microsecond }, "Nemesis.Interval=1µs"},
		{func(t *Test) { t.Nemesis.Max = -1 }, "Nemesis.Max=-1"},
		{func(t *Test) { t.Faults = Schedule{{Kind: "meteor"}} }, `Faults[0]: Kind="meteor"`},
		{func(t *Test) { t.Faults = Schedule{{Kind: FaultCrash, Nodes: []string{"n7"}}} }, `Faults[0]: crash fault: Nodes names "n7", which is not a node (n0, n1, n2, n3, n4)`},
		{func(t *Test) { t.Faults = Schedule{{Kind: FaultPartition, Sides: [][]string{{"n0"}}}} }, "needs at least 2"},
		{func(t *Test) { t.Faults = Schedule{{Kind: FaultPartition, Sides: [][]string{{"n0"}, {"n0"}}}} }, `names "n0" twice`},
		{func(t *Test) { t.Faults = Schedule{{Kind: FaultLoss, Rate: 1}} }, "loss fault: Rate=1"},
		{func(t *Test) { t.Faults = Schedule{{Kind: FaultSlow, Nodes: []string{"n0"}}} }, "slow fault: Delay=0s"},
		{func(t *Test) { t.Faults = Schedule{{Kind: FaultClock, Nodes: []string{"n0"}, Drift: 0.6}} }, "clock fault: Drift=0.6"},
		{func(t *Test) { t.Faults = Schedule{{Kind: FaultPause, Nodes: []string{"n0"}}}; t.Faults[0].Start = -1 }, "Start=-1ns"},
		{func(t *Test) { t.Faults = Schedule{{Kind: FaultOneWay, From: []string{"n0"}}} }, "To is empty"},
	}
	for _, c := range cases {
		bad := ok
		c.edit(&bad)
		err := bad.Validate()
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "lab: ") {
			t.Errorf("got %v, want %q", err, c.want)
		}
		if _, err := Run(bad); err == nil {
			t.Errorf("Run accepted what Validate refuses (%s)", c.want)
		}
	}
	if _, err := Search(ok, Seeds{Count: -1}); err == nil || !strings.Contains(err.Error(), "Seeds.Count=-1") {
		t.Errorf("got %v", err)
	}
	if _, err := Search(ok, Seeds{Workers: 5000}); err == nil || !strings.Contains(err.Error(), "Seeds.Workers=5000") {
		t.Errorf("got %v", err)
	}
}
