package lab

import "dsim/sim"

// Monitor checks invariants from inside a run, as it goes: a node reports
// what it does with Env.Observe (it became leader, it appended to its
// log, it applied an entry), and the monitor sees each report at once,
// with the node's name and the engine's time, so it can name the moment
// an invariant broke. After the run it gives its verdict like any
// checker; Result.Monitor keeps it for a typed report of its own.
//
// Test.Monitor makes one per run: a monitor holds the state of one run
// only, and a search runs several at once.
type Monitor interface {
	// Observe takes one report of a node, inside the node's step: it must
	// not keep v past the call unless v is its own to keep.
	Observe(node string, at sim.Time, v any)
	Checker
}

// Observe reports v to the run's monitor (Test.Monitor), with the node's
// name and the engine's time; without a monitor it does nothing. A report
// costs the monitor's work and nothing else: the run's history and its
// random draws do not change.
func (e *Env) Observe(v any) {
	if m := e.c.mon; m != nil {
		m.Observe(e.id, e.c.s.Now(), v)
	}
}
