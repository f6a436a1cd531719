package lab

import (
	"context"
	"dsim/sim/exercise"
	"fmt"
	"strings"
)

// Exercise is a step of the protocol lab's lesson: a workload, the faults
// a node must survive, and the seeds it is graded on. The steps go from
// echo to a broadcast that survives every fault; each adds one reason to
// fail.
type Exercise struct {
	Name     string
	Workload string
	Faults   []string // the nemesis's kinds; none: a calm network
	Seeds    int      // seeds 1 to Seeds must all pass
	Goal     string   // what a node that passes does, in a sentence
}

// networkFaults are the faults of the network and of time, without
// crashes: whatever they do, a node keeps its memory.
var networkFaults = []string{FaultPartition, FaultOneWay, FaultLoss, FaultDuplicate, FaultSlow, FaultPause, FaultClock}

// Exercises lists the lesson's steps in order.
func Exercises() []Exercise {
	return []Exercise{
		{"echo", "echo", FaultKinds(), 20, "answers every echo with its payload, whatever the faults (a request lost on the way is in doubt, not wrong)"},
		{"unique-ids", "unique-ids", FaultKinds(), 100, "never hands out an id twice, across crashes that wipe its memory and clocks that jump back"},
		{"broadcast", "broadcast", nil, 20, "gets every acknowledged message to every node on a calm network"},
		{"broadcast-network", "broadcast", networkFaults, 100, "gets every acknowledged message to every node after partitions, loss, pauses and slow links"},
		{"broadcast-crash", "broadcast", FaultKinds(), 100, "does the same when nodes also crash and lose their memory"},
	}
}

// ExerciseNames lists the exercises' names in order.
func ExerciseNames() []string {
	var names []string
	for _, e := range Exercises() {
		names = append(names, e.Name)
	}
	return names
}

// Grade is how a node did on an exercise: whether every seed passed, and
// when one did not, the first that failed and its shrunk case.
type Grade struct {
	Exercise Exercise
	OK       bool
	Found    *Found  // the lowest failing seed; nil when all pass
	Shrunk   *Shrunk // Found's case made small; nil when all pass
}

// Why explains the grade in a few sentences, from the runs.
func (g *Grade) Why() string {
	ex := g.Exercise
	faults := "on a calm network"
	if len(ex.Faults) > 0 {
		faults = "under the nemesis (" + strings.Join(ex.Faults, ", ") + ")"
	}
	if g.OK {
		return fmt.Sprintf("%s: all %d seeds pass %s: your node %s.", ex.Name, ex.Seeds, faults, ex.Goal)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s: seed %d fails %s (%d seeds before it pass): %s.", ex.Name, g.Found.Seed, faults, g.Found.Passed, g.Found.Result.Failure())
	if s := g.Shrunk; s != nil {
		t := s.Case.Test
		fmt.Fprintf(&b, " Shrunk in %d runs to %d nodes, %d clients, %v of workload and %d fault(s)", s.Runs, t.Nodes, t.Clients, t.Duration, len(t.Faults))
		if len(t.Faults) > 0 {
			fmt.Fprintf(&b, " (%s)", strings.ReplaceAll(strings.TrimSpace(t.Faults.String()), "\n", "; "))
		}
		fmt.Fprintf(&b, ", it still fails: %s.", firstProblem(s.Result))
	}
	return b.String()
}

// firstProblem is the first violation of a failed run, or its error.
func firstProblem(r *Result) string {
	if r.Err != nil {
		return r.Err.Error()
	}
	for _, v := range r.Verdicts {
		if !v.OK() && len(v.Violations) > 0 {
			return v.Violations[0].Text
		}
	}
	return r.Failure()
}

// String reads "Right: ..." or "Not yet: ...".
func (g *Grade) String() string {
	if g.OK {
		return "Right: " + g.Why()
	}
	return "Not yet: " + g.Why()
}

// Markdown is the grade for a notebook, the verdict in bold.
func (g *Grade) Markdown() string {
	if g.OK {
		return "**Right.** " + g.Why()
	}
	return "**Not yet.** " + g.Why()
}

// CheckExercise runs node on the named exercise's seeds, in parallel, and
// grades it: Right when every seed passes, otherwise the lowest failing
// seed and its case shrunk (at most 200 runs). A node that panics, sends
// a malformed message or never answers fails its seed like a wrong
// answer, with the error that names the node, the seed and the time. An
// unknown name or a nil node is an error.
func CheckExercise(name string, node func() Node) (*Grade, error) {
	return CheckExerciseContext(context.Background(), name, node)
}

// CheckExerciseContext is CheckExercise, stopped when ctx is done.
func CheckExerciseContext(ctx context.Context, name string, node func() Node) (*Grade, error) {
	var ex *Exercise
	for _, e := range Exercises() {
		if e.Name == name {
			ex = &e
			break
		}
	}
	if ex == nil {
		return nil, fmt.Errorf("lab: exercise %q: unknown; the exercises are %s", name, strings.Join(ExerciseNames(), ", "))
	}
	if node == nil {
		return nil, fmt.Errorf("lab: exercise %q: the node is nil: pass a func that returns a new node", name)
	}
	test := Test{Workload: ex.Workload, Node: "your node", New: node, Nemesis: Nemesis{Kinds: ex.Faults}}
	found, err := SearchContext(ctx, test, Seeds{Count: ex.Seeds})
	if err != nil {
		return nil, err
	}
	g := &Grade{Exercise: *ex, OK: found == nil, Found: found}
	if found != nil {
		if g.Shrunk, err = ShrinkContext(ctx, found.Case, 200); err != nil {
			return nil, err
		}
	}
	return g, nil
}

// Answer is the check of an answer to a "why" question: right or not,
// and why, from the runs (see package exercise).
type Answer = exercise.Answer

// whatFaultsDo says in a sentence what each kind of fault does to a node.
var whatFaultsDo = map[string]string{
	FaultPartition: "a partition cuts links both ways for a while, and messages sent over them are lost",
	FaultOneWay:    "a one-way cut loses the messages going one way only",
	FaultCrash:     "a crash stops a node and, unless it keeps its memory, restarts it from its store alone: what it had acknowledged but kept only in memory is gone",
	FaultPause:     "a pause stops a node for a while; it takes what it missed when it wakes, in order",
	FaultClock:     "a clock fault makes a node's clock jump or drift",
	FaultLoss:      "a burst of loss drops messages at random",
	FaultDuplicate: "a burst of duplication delivers messages twice",
	FaultSlow:      "a slow node's messages take longer",
}

// Blame checks an answer to the question "which kind of fault breaks this
// node?" (a FaultKinds name). The shrunk case decides: shrinking removed
// every fault the failure does not need, so the kinds it keeps are the
// answer. An empty kind asks for one; it is an error when nothing failed
// or kind is not a fault.
func (g *Grade) Blame(kind string) (Answer, error) {
	if kind == "" {
		return Answer{OK: false, Why: "write your answer first: one of " + strings.Join(FaultKinds(), ", ") + "."}, nil
	}
	if _, ok := whatFaultsDo[kind]; !ok {
		return Answer{}, fmt.Errorf("lab: Blame(%q): not a kind of fault; the kinds are %s", kind, strings.Join(FaultKinds(), ", "))
	}
	if g.OK || g.Shrunk == nil {
		return Answer{}, fmt.Errorf("lab: Blame(%q): every seed of %s passed: there is nothing to blame", kind, g.Exercise.Name)
	}
	faults := g.Shrunk.Case.Test.Faults
	if len(faults) == 0 {
		return Answer{OK: false, Why: fmt.Sprintf("no fault is to blame: the shrunk case fails with no fault at all: the node is wrong even on a calm network (%s)", firstProblem(g.Shrunk.Result))}, nil
	}
	kinds := map[string]bool{}
	var list []string
	for _, f := range faults {
		if !kinds[f.Kind] {
			kinds[f.Kind] = true
			list = append(list, f.Kind)
		}
	}
	why := fmt.Sprintf("of seed %d's faults, shrinking kept only %s, the ones the failure needs; %s. In the shrunk run, %s.",
		g.Found.Seed, strings.ReplaceAll(strings.TrimSpace(faults.String()), "\n", "; "), whatFaultsDo[list[0]], firstProblem(g.Shrunk.Result))
	if kinds[kind] {
		return Answer{OK: true, Why: why}, nil
	}
	return Answer{OK: false, Why: fmt.Sprintf("not %s: %s", kind, why)}, nil
}
