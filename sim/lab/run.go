package lab

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/anishathalye/porcupine"

	"dsim/sim"
	"dsim/sim/net"
)

// Result is one run of a test: its history, the faults it met, what the
// checkers found and what the network carried.
type Result struct {
	Test     Test     // the test as run: defaults filled, Faults the schedule
	Nodes    []string // the nodes' names
	History  *History
	Verdicts []Verdict
	// Err is the run's error when a node broke it (a panic, a malformed
	// message, a flood, silence) or it hit a limit; the history then ends
	// where the run stopped and no checker ran.
	Err   error
	Stats Stats
	// Monitor is the run's monitor (Test.Monitor), nil without one.
	Monitor Monitor
	End     sim.Time // when the workload stopped and every fault had healed
	FinalAt sim.Time // when the final reads began

	net *net.Network
	lin []porcupine.Operation // a lin-kv history that is not linearizable
}

// Stats counts what a run did.
type Stats struct {
	Events   int64     // engine events
	Messages int64     // messages sent by nodes and clients
	Net      net.Stats // what became of them
	Ops      int       // client operations
}

// OK reports whether the run ended without error and every checker passed.
func (r *Result) OK() bool {
	if r.Err != nil {
		return false
	}
	for _, v := range r.Verdicts {
		if !v.OK() {
			return false
		}
	}
	return true
}

// Failure is a sentence on what went wrong, or "" when nothing did.
func (r *Result) Failure() string {
	if r.Err != nil {
		return r.Err.Error()
	}
	var bad []string
	for _, v := range r.Verdicts {
		if !v.OK() {
			bad = append(bad, v.String())
		}
	}
	return strings.Join(bad, "; ")
}

// Network returns the run's network, for its trace (viz.Messages draws
// it). Its fault list holds the partitions; Result.Test.Faults holds all
// the faults.
func (r *Result) Network() *net.Network { return r.net }

// String summarises the run in a few lines: the test, the faults, the
// verdicts.
func (r *Result) String() string {
	var b strings.Builder
	t := r.Test
	fmt.Fprintf(&b, "%s on %s: %d nodes, %d clients, %v, seed %d: %d operations, %d messages, %d faults\n",
		t.Workload, nodeName(t), t.Nodes, t.Clients, t.Duration, t.Seed, r.Stats.Ops, r.Stats.Messages, len(t.Faults))
	if r.Err != nil {
		fmt.Fprintf(&b, "error: %v\n", r.Err)
	}
	for _, v := range r.Verdicts {
		b.WriteString(v.String())
		b.WriteByte('\n')
	}
	return b.String()
}

func nodeName(t Test) string {
	if t.Node != "" {
		return t.Node
	}
	return "a node"
}

// Run runs the test once, on its seed, and checks the history. It returns
// an error for a test that does not validate (naming the field) and for
// a run a node broke (an *Error naming the node, the seed and the virtual
// time); in the second case the Result holds the history so far too.
func Run(t Test) (*Result, error) { return RunContext(context.Background(), t) }

// RunContext is Run, stopped when ctx is done.
func RunContext(ctx context.Context, t Test) (*Result, error) {
	r, _, err := runTest(ctx, t, nil)
	return r, err
}

// runTest is RunContext on memory from sc (when not nil); the cluster it
// returns gives the memory back to sc (scratch.reclaim) once the Result
// is dropped.
func runTest(ctx context.Context, t Test, sc *scratch) (*Result, *cluster, error) {
	if err := t.Validate(); err != nil {
		return nil, nil, err
	}
	t = t.withDefaults()
	c, err := newCluster(t, sc)
	if err != nil {
		return nil, nil, err
	}
	err = c.run(ctx)
	t.Faults = c.faults
	r := &Result{Test: t, Nodes: c.nodeIDs, History: &c.hist, Err: err, End: c.end, FinalAt: c.finalAt, net: c.n,
		Stats: Stats{Events: c.s.Events(), Messages: c.sent, Net: c.n.Stats(), Ops: countOps(&c.hist)}, Monitor: c.mon}
	if err != nil {
		var le *Error
		if !errors.As(err, &le) {
			return nil, c, err
		}
		return r, c, err
	}
	checkers := append(c.wl.checkers(), t.Checkers...)
	if c.mon != nil {
		checkers = append(checkers, c.mon)
	}
	for _, ch := range checkers {
		if ch == nil {
			continue
		}
		r.Verdicts = append(r.Verdicts, safeCheck(ch, r))
	}
	return r, c, nil
}

// safeCheck turns a checker's panic into a verdict that says so.
func safeCheck(ch Checker, r *Result) (v Verdict) {
	defer func() {
		if p := recover(); p != nil {
			v = Verdict{Checker: fmt.Sprintf("%T", ch), Outcome: Unknown, Summary: fmt.Sprintf("the checker panicked: %v", p)}
		}
	}()
	return ch.Check(r)
}

func countOps(h *History) int {
	n := 0
	for _, e := range h.Events {
		if e.Type == Invoke {
			n++
		}
	}
	return n
}
