package lab

import (
	"fmt"
	"testing"

	"dsim/sim"
)

// countingMonitor counts the reports of each node and fails when a node
// reports a number twice.
type countingMonitor struct {
	seen  map[string]int
	dup   string
	first sim.Time
}

func (m *countingMonitor) Observe(node string, at sim.Time, v any) {
	if m.seen == nil {
		m.seen, m.first = map[string]int{}, at
	}
	k := fmt.Sprintf("%s/%v", node, v)
	m.seen[k]++
	if m.seen[k] == 2 && m.dup == "" {
		m.dup = k
	}
}

func (m *countingMonitor) Check(r *Result) Verdict {
	v := newVerdict("counting")
	if m.dup != "" {
		v.addf(nil, "", 0, "%s reported twice", m.dup)
	}
	v.metric("reports", float64(len(m.seen)), "")
	return v.done("no report twice", "a report twice")
}

// observer reports each echo it answers.
type observer struct{ n int }

func (o *observer) Start(e *Env) {}
func (o *observer) Receive(e *Env, m Message) {
	o.n++
	e.Observe(o.n)
	e.Reply(m, Body{Type: "echo_ok", Echo: m.Body.Echo})
}

// A monitor sees every report, one monitor per run, and its verdict
// comes after the workload's; reports leave the history alone.
func TestMonitorSeesReportsAndJudges(t *testing.T) {
	base := Test{Workload: "echo", New: func() Node { return &observer{} }, Seed: 3}
	plain, err := Run(base)
	if err != nil {
		t.Fatal(err)
	}
	withMon := base
	withMon.Monitor = func() Monitor { return &countingMonitor{} }
	r, err := Run(withMon)
	if err != nil {
		t.Fatal(err)
	}
	if plain.History.Sum() != r.History.Sum() {
		t.Fatal("a monitor changed the history")
	}
	if len(r.Verdicts) != 2 || r.Verdicts[1].Checker != "counting" || !r.OK() {
		t.Fatalf("verdicts: %v", r.Verdicts)
	}
	m := r.Monitor.(*countingMonitor)
	if len(m.seen) != r.Stats.Ops {
		t.Fatalf("%d reports for %d echoes", len(m.seen), r.Stats.Ops)
	}
	// A node that reports the same thing twice (a restart from zero) fails
	// the monitor, and the run with it.
	withMon.Nemesis = Nemesis{Kinds: []string{FaultCrash}, Interval: 500 * 1e6}
	for seed := uint64(1); seed < 20; seed++ {
		withMon.Seed = seed
		r, err := Run(withMon)
		if err != nil {
			t.Fatal(err)
		}
		if !r.OK() {
			if r.Verdicts[len(r.Verdicts)-1].Outcome != Invalid {
				t.Fatalf("seed %d: %v", seed, r.Verdicts)
			}
			return
		}
	}
	t.Fatal("no crash made a node report a number twice in 19 seeds")
}
