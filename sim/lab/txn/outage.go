package txn

import (
	"cmp"
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"dsim/sim"
	"dsim/sim/lab"
	"dsim/sim/metrics"
	"dsim/sim/viz"
)

// Outage is the side-by-side experiment: one bank, the same clients and
// the same crash of one coordinator, under 2PC and under a saga.
type Outage struct {
	// Config is the bank (Design is set for each run); Accounts default
	// 12 and Frontends 1: n0 coordinates and owns no account, so its
	// crash is a coordinator's alone.
	Config   Config
	Nodes    int           // default 4
	Clients  int           // default 8: clients c0 and c4 talk to n0
	Rate     float64       // transfers and reads per second in all, open loop; default 200
	Duration time.Duration // default 6s
	// Crash is when the coordinator is down, losing its memory (its disk
	// survives); default from 2s for 2s. Crash.Start is the earliest it
	// comes: it comes at the first instant after that when the
	// coordinator has a transfer in doubt (a participant has prepared it,
	// the coordinator has not decided), found by a first 2PC run without
	// the crash. The same seed gives the same run up to that instant, so
	// the crash is the classic "kill the coordinator after prepare".
	Crash sim.Window
	// Coordinator is the crashed node; default "n0".
	Coordinator string
	Seed        uint64
}

func (o Outage) withDefaults() Outage {
	if o.Config.Accounts == 0 {
		o.Config.Accounts = 12
	}
	if o.Config.Frontends == 0 {
		o.Config.Frontends = 1
	}
	o.Nodes = cmp.Or(o.Nodes, 4)
	o.Clients = cmp.Or(o.Clients, 8)
	o.Rate = cmp.Or(o.Rate, 200)
	o.Duration = cmp.Or(o.Duration, 6*time.Second)
	if o.Crash == (sim.Window{}) {
		o.Crash = sim.Window{Start: 2 * time.Second, Duration: 2 * time.Second}
	}
	o.Coordinator = cmp.Or(o.Coordinator, "n0")
	return o
}

// OutageRun is one design's run of the experiment.
type OutageRun struct {
	Design  string
	Result  *lab.Result
	Monitor *Monitor
	// Acked is the transfers of the other coordinators' clients
	// acknowledged per second, in 250ms windows: what the crash costs
	// everyone else.
	Acked *metrics.Series
	// Stuck is what the crashed coordinator's transactions hold: the
	// participants holding their locks (2PC) or the sagas with money in flight, sampled
	// every 50ms.
	Stuck *metrics.Series
	// Blocked is the longest a participant held a lock for a transaction
	// of the crashed coordinator begun before the crash (2PC); zero when
	// none was caught by it.
	Blocked time.Duration
	// HalfDone is the reads that saw a transfer half done.
	HalfDone int
	// Refused is the transfers refused (conflicts, overdrafts, aborts).
	Refused int
}

// RunOutage runs the experiment under each design, 2PC first.
func RunOutage(ctx context.Context, o Outage) ([]OutageRun, error) {
	o = o.withDefaults()
	if o.Crash.Start < 0 || o.Crash.Duration <= 0 || o.Crash.End() > o.Duration {
		return nil, fmt.Errorf("txn: Crash=%v: must start at or after 0 and end by Duration=%v", o.Crash, o.Duration)
	}
	if err := checkCluster(o.Nodes, o.Config.Frontends); err != nil {
		return nil, err
	}
	if i, err := strconv.Atoi(strings.TrimPrefix(o.Coordinator, "n")); err != nil || !strings.HasPrefix(o.Coordinator, "n") || i < 0 || i >= o.Nodes || i >= o.Clients {
		return nil, fmt.Errorf("txn: Coordinator=%q: must be a node n0 to n%d that a client talks to (client i talks to node i mod Nodes; Clients=%d)", o.Coordinator, o.Nodes-1, o.Clients)
	}
	calm, err := o.run(ctx, TwoPC, nil)
	if err != nil {
		return nil, err
	}
	at, ok := calm.Monitor.(*Monitor).InDoubt(o.Coordinator, sim.FromDuration(o.Crash.Start))
	if ok && at.Duration()+o.Crash.Duration <= o.Duration {
		o.Crash.Start = at.Duration() + time.Microsecond // just after the participant's yes became durable
	}
	crash := lab.Schedule{{Kind: lab.FaultCrash, Window: o.Crash, Nodes: []string{o.Coordinator}}}
	var runs []OutageRun
	for _, d := range Designs() {
		r, err := o.run(ctx, d, crash)
		if err != nil {
			return nil, err
		}
		runs = append(runs, measure(d, r, o))
	}
	return runs, nil
}

func (o Outage) run(ctx context.Context, design string, faults lab.Schedule) (*lab.Result, error) {
	cfg := o.Config
	cfg.Design = design
	test, err := LabTest(cfg)
	if err != nil {
		return nil, err
	}
	test.Nodes, test.Clients, test.Rate, test.Open, test.Duration, test.Seed = o.Nodes, o.Clients, o.Rate, true, o.Duration, o.Seed
	test.Faults = faults
	r, err := lab.RunContext(ctx, test)
	if err == nil && r.Err != nil {
		err = r.Err
	}
	return r, err
}

func measure(design string, r *lab.Result, o Outage) OutageRun {
	o.Crash = r.Test.Faults[0].Window
	m := r.Monitor.(*Monitor)
	run := OutageRun{Design: design, Result: r, Monitor: m}
	acked := metrics.NewRate("transfers acknowledged", sim.FromDuration(250*time.Millisecond))
	for _, op := range r.History.Ops() {
		switch {
		case op.F == "transfer" && op.Type == lab.OK && op.Node != o.Coordinator:
			acked.Add(op.Return, 1)
		case op.F == "transfer" && op.Type == lab.Fail:
			run.Refused++
		}
	}
	acked.Close(r.End)
	run.Acked = acked.Series()
	for _, v := range r.Verdicts {
		if v.Checker == "bank-snapshot" {
			for _, x := range v.Metrics {
				if x.Name == "reads of a transfer half done" {
					run.HalfDone = int(x.Value)
				}
			}
		}
	}
	crash := sim.FromDuration(o.Crash.Start)
	type span struct{ from, to sim.Time }
	var spans []span
	mine := func(tx string) bool { return strings.HasPrefix(tx, o.Coordinator+"/") }
	if design == TwoPC {
		run.Stuck = metrics.NewSeries("participants holding its locks", "participants")
		for _, h := range m.Holds() {
			if h.Read || !mine(h.Tx) {
				continue
			}
			spans = append(spans, span{h.Start, h.End})
			if h.Start < crash && h.End > crash {
				run.Blocked = max(run.Blocked, (h.End - h.Start).Duration())
			}
		}
	} else {
		run.Stuck = metrics.NewSeries("sagas with money in flight", "sagas")
		for _, f := range m.Flights() {
			if mine(f.Tx) {
				spans = append(spans, span{f.Start, f.End})
			}
		}
	}
	step := sim.FromDuration(50 * time.Millisecond)
	for t := sim.Time(0); t <= r.End; t += step {
		n := 0
		for _, s := range spans {
			if s.from <= t && t < s.to {
				n++
			}
		}
		run.Stuck.Add(t, float64(n))
	}
	return run
}

// OutageFigures draws the runs side by side: transfers acknowledged per
// second, and what the crash left stuck (accounts locked by 2PC, money
// in flight in sagas), the crash shaded. Where the designs' lines lie on
// each other (both hold one thing through the crash) the second is
// dashed, so both show.
func OutageFigures(runs []OutageRun) []*viz.Figure {
	if len(runs) == 0 {
		return nil
	}
	r0 := runs[0].Result
	spans := viz.LabSpans(r0)
	var acked, stuck []*metrics.Series
	for _, run := range runs {
		a, s := *run.Acked, *run.Stuck
		a.Name = designName(run.Design)
		s.Name = designName(run.Design) + ": " + run.Stuck.Name
		acked, stuck = append(acked, &a), append(stuck, &s)
	}
	crash := "a coordinator crash"
	if len(spans) > 0 {
		crash = spans[0].Label
	}
	return []*viz.Figure{
		viz.Lines(viz.Options{Title: "The other coordinators' transfers through " + crash, XLabel: "time (s)", YLabel: "transfers acknowledged per second", Spans: spans, End: r0.End, Name: "txn-outage-throughput"}, acked...),
		viz.Lines(viz.Options{Title: "What the crashed coordinator's transactions hold", XLabel: "time (s)", YLabel: "participants locked or sagas in flight", Spans: spans, End: r0.End, Name: "txn-outage-stuck"}, stuck...),
	}
}

func designName(d string) string {
	if d == TwoPC {
		return "2PC"
	}
	return "saga"
}
