package raft

import (
	"context"
	"fmt"
	"sort"
	"time"

	"dsim/sim"
	"dsim/sim/lab"
	"dsim/sim/metrics"
)

// The fault scenarios of Availability. In each, n0 leads from the start
// (the cluster is restored with n0 as the leader of term 1) and the fault
// lasts from FaultStart for FaultLength.
const (
	// LeaderCrash crashes the leader; it restarts from its store.
	LeaderCrash = "leader-crash"
	// MinorityPartition cuts two followers off: the leader keeps a
	// majority and the clients of the other three nodes see nothing.
	MinorityPartition = "minority-partition"
	// LeaderMinorityPartition cuts the leader off with one follower: the
	// three others elect a new leader, while the old one goes on taking
	// requests it can never commit, until the partition heals and it
	// hears the newer term.
	LeaderMinorityPartition = "leader-minority-partition"
	// LeaderPause pauses the leader (a long garbage-collection pause): the
	// others elect a new leader; the old one wakes, still believing it
	// leads, sends its heartbeats of the old term and learns the new one.
	LeaderPause = "leader-pause"
)

// FaultScenarios lists Availability's scenarios, in order.
func FaultScenarios() []string {
	return []string{LeaderCrash, MinorityPartition, LeaderMinorityPartition, LeaderPause}
}

// The shape of every Availability run.
const (
	FaultStart  = 2 * time.Second
	FaultLength = 2 * time.Second
	// AvailabilityDuration is how long the clients send: the fault and
	// as long again after it.
	AvailabilityDuration = 6 * time.Second
	// AvailabilityWindow is the width of the time series' windows.
	AvailabilityWindow = 100 * time.Millisecond
	// AvailabilityRate is the clients' requests per second, ten
	// closed-loop clients, two per node: a client waits for its answer
	// or its timeout (1 s) before the next request.
	AvailabilityRate = 100
)

// AvailabilityRun is one scenario's run and what its clients saw.
type AvailabilityRun struct {
	Scenario string
	Result   *lab.Result // the lab run: history, faults, verdicts, monitor
	// Throughput is the operations answered per second, Timeouts the
	// operations that got no answer in the client's timeout (1 s) per
	// second, by when they ended, over windows of AvailabilityWindow.
	Throughput, Timeouts *metrics.Series
	// Latency is the mean latency (ms) of the operations answered in
	// each window.
	Latency *metrics.Series
	// Answered, Refused and TimedOut count the operations of the
	// workload (not the final reads): answered by the state machine (a
	// value, or a definite "no such key" or "precondition failed"),
	// refused for sure (error 11: no leader known), and with no answer
	// in the timeout or in doubt (error 13).
	Answered, Refused, TimedOut int
	// Unavailable is the longest time in which no operation was
	// answered; Leaderless the time in which no leader could commit
	// (see leaderless).
	Unavailable, Leaderless time.Duration
	// Snapshot is the instant of Logs: just before the fault heals.
	Snapshot sim.Time
}

// Availability runs a five-node Raft cluster (cfg) under lin-kv load
// (ten clients, two per node, AvailabilityRate requests per second)
// through one fault scenario (FaultScenarios) on a seed, and measures
// what the clients saw. The run is checked like any lab run: its
// history for linearizability, the monitor for Raft's invariants.
func Availability(cfg Config, scenario string, seed uint64) (*AvailabilityRun, error) {
	return AvailabilityContext(context.Background(), cfg, scenario, seed)
}

// AvailabilityContext is Availability, stopped when ctx is done.
func AvailabilityContext(ctx context.Context, cfg Config, scenario string, seed uint64) (*AvailabilityRun, error) {
	faults, err := scenarioFaults(scenario)
	if err != nil {
		return nil, err
	}
	test, err := LabTest(cfg)
	if err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	p := &preset{leader: "n0"}
	test.New = func() lab.Node { n := New(cfg); n.preset = p; return n }
	test.Clients, test.Rate = 10, AvailabilityRate
	test.Duration, test.Faults, test.Seed = AvailabilityDuration, faults, seed
	snap := sim.FromDuration(FaultStart + FaultLength - time.Millisecond)
	test.Monitor = func() lab.Monitor { m := NewMonitor(); m.snapAt = snap; return m }
	r, err := lab.RunContext(ctx, test)
	if err != nil {
		return nil, err
	}
	a := &AvailabilityRun{Scenario: scenario, Result: r, Snapshot: snap}
	a.measure()
	return a, nil
}

func scenarioFaults(scenario string) (lab.Schedule, error) {
	w := sim.Window{Start: FaultStart, Duration: FaultLength}
	switch scenario {
	case LeaderCrash:
		return lab.Schedule{{Kind: lab.FaultCrash, Window: w, Nodes: []string{"n0"}}}, nil
	case MinorityPartition:
		return lab.Schedule{{Kind: lab.FaultPartition, Window: w, Sides: [][]string{{"n3", "n4"}, {"n0", "n1", "n2"}}, Shape: "majority"}}, nil
	case LeaderMinorityPartition:
		return lab.Schedule{{Kind: lab.FaultPartition, Window: w, Sides: [][]string{{"n0", "n1"}, {"n2", "n3", "n4"}}, Shape: "majority"}}, nil
	case LeaderPause:
		return lab.Schedule{{Kind: lab.FaultPause, Window: w, Nodes: []string{"n0"}}}, nil
	}
	return nil, fmt.Errorf("raft: scenario=%q: must be one of %s", scenario, quoted(FaultScenarios()))
}

// measure counts the operations and draws the series.
func (a *AvailabilityRun) measure() {
	r := a.Result
	win := sim.FromDuration(AvailabilityWindow)
	n := int((r.End + win - 1) / win)
	ok, lost, lat := make([]float64, n), make([]float64, n), make([]float64, n)
	var done []sim.Time
	for _, op := range r.History.Ops() {
		if op.Final {
			continue
		}
		end := op.Return
		if op.Type == lab.Info && op.Complete >= 0 {
			end = r.History.Events[op.Complete].Time
		} else if op.Type == lab.Info {
			end = op.Call + sim.FromDuration(r.Test.Timeout)
		}
		i := min(int(end/win), n-1)
		switch {
		case op.Type == lab.Fail && op.Resp.Code == lab.ErrTemporarilyUnavailable:
			a.Refused++
		case op.Type == lab.Info:
			a.TimedOut++
			lost[i]++
		default:
			// An answer from the state machine: a value, or a definite
			// "no such key" or "cas precondition failed".
			a.Answered++
			ok[i]++
			lat[i] += (op.Return - op.Call).Seconds() * 1000
			done = append(done, op.Return)
		}
	}
	perSecond := 1 / AvailabilityWindow.Seconds()
	a.Throughput = metrics.NewSeries(a.Scenario+": answered", "operations per second")
	a.Timeouts = metrics.NewSeries(a.Scenario+": timed out", "operations per second")
	a.Latency = metrics.NewSeries(a.Scenario, "ms")
	for i := 0; i < n; i++ {
		at := sim.Time(i)*win + win/2
		a.Throughput.Add(at, ok[i]*perSecond)
		a.Timeouts.Add(at, lost[i]*perSecond)
		if ok[i] > 0 {
			a.Latency.Add(at, lat[i]/ok[i])
		}
	}
	sort.Slice(done, func(i, j int) bool { return done[i] < done[j] })
	prev := sim.Time(0)
	for _, t := range append(done, r.End) {
		a.Unavailable = max(a.Unavailable, (t - prev).Duration())
		prev = t
	}
	if m, ok := r.Monitor.(*Monitor); ok {
		a.Leaderless = leaderless(m, r)
	}
}

// leaderless is the time, sampled every millisecond up to the end of
// the workload, in which no node could commit as leader: one that leads,
// is neither crashed nor paused, and has on its side of every partition
// a majority of nodes whose term is not above its own (nodes that would
// take its AppendEntries).
func leaderless(m *Monitor, r *lab.Result) time.Duration {
	now := map[string]roleChange{}
	next := 0
	var without time.Duration
	for t := sim.Time(0); t < r.End; t += sim.Millisecond {
		for next < len(m.roles) && m.roles[next].at <= t {
			now[m.roles[next].node] = m.roles[next]
			next++
		}
		if !commitLeader(now, r, t) {
			without += time.Millisecond
		}
	}
	return without
}

func commitLeader(now map[string]roleChange, r *lab.Result, t sim.Time) bool {
	for _, l := range r.Nodes {
		c, ok := now[l]
		if !ok || c.role != Leader || asleep(r.Test.Faults, l, t) {
			continue
		}
		follow := 0
		for _, n := range r.Nodes {
			if p, ok := now[n]; ok && p.term <= c.term && linked(r.Test.Faults, l, n, t) {
				follow++
			}
		}
		if follow > len(r.Nodes)/2 {
			return true
		}
	}
	return false
}

func active(f lab.Fault, t sim.Time) bool {
	return t >= sim.FromDuration(f.Start) && (f.Duration == 0 || t < sim.FromDuration(f.Window.End()))
}

// asleep: node is crashed or paused at t.
func asleep(faults lab.Schedule, node string, t sim.Time) bool {
	for _, f := range faults {
		if (f.Kind == lab.FaultCrash || f.Kind == lab.FaultPause) && active(f, t) && contains(f.Nodes, node) {
			return true
		}
	}
	return false
}

// linked: no active partition puts a and b on different sides.
func linked(faults lab.Schedule, a, b string, t sim.Time) bool {
	for _, f := range faults {
		if f.Kind != lab.FaultPartition || !active(f, t) {
			continue
		}
		for _, side := range f.Sides {
			if contains(side, a) != contains(side, b) {
				return false
			}
		}
	}
	return true
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// String is one line of the scenario's numbers.
func (a *AvailabilityRun) String() string {
	return fmt.Sprintf("%-26s %4d answered, %3d refused, %3d timed out; longest with no answer %v, without a leader %v",
		a.Scenario, a.Answered, a.Refused, a.TimedOut, a.Unavailable.Round(time.Millisecond), a.Leaderless.Round(time.Millisecond))
}
