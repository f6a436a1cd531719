package net_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"dsim/sim"
	"dsim/sim/dist"
	"dsim/sim/net"
)

// pair builds a network of two groups, a and b, with one node each, and
// counts what b receives.
func pair(t *testing.T, cfg net.Config) (*sim.Sim, *net.Network, net.Node, net.Node, *int) {
	t.Helper()
	s := sim.New(sim.Config{Seed: 7, Horizon: sim.Minute})
	n, err := net.New(s, cfg)
	if err != nil {
		t.Fatal(err)
	}
	got := new(int)
	a, _ := n.Add("a", "left", nil)
	b, _ := n.Add("b", "right", func(net.Message) { *got++ })
	return s, n, a, b, got
}

func run(t *testing.T, s *sim.Sim) {
	t.Helper()
	if err := s.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestGroupAndLinkLatency(t *testing.T) {
	s, n, a, b, _ := pair(t, net.Config{})
	var at sim.Time
	n.Handle(b, func(m net.Message) { at = s.Now() - m.Sent })
	n.SetGroupLatency("left", "right", dist.AsDuration(dist.Const(0.075)))
	n.Send(a, b, "x", nil)
	run(t, s)
	if at != 75*sim.Millisecond {
		t.Fatalf("group latency: got %v, want 75ms", at)
	}
	s2, n2, a2, b2, _ := pair(t, net.Config{})
	n2.SetGroupLatency("left", "right", dist.AsDuration(dist.Const(0.075)))
	n2.SetLinkLatency(a2, b2, dist.AsDuration(dist.Const(0.002)))
	n2.Handle(b2, func(m net.Message) { at = s2.Now() - m.Sent })
	n2.Send(a2, b2, "x", nil)
	run(t, s2)
	if at != 2*sim.Millisecond {
		t.Fatalf("a link overrides its groups: got %v, want 2ms", at)
	}
}

func TestPartitionDropsBothWaysAndHeals(t *testing.T) {
	s, n, a, b, got := pair(t, net.Config{})
	back := 0
	n.Handle(a, func(net.Message) { back++ })
	if err := n.Schedule(net.Fault{Kind: net.FaultPartition, Window: sim.Window{Start: time.Second, Duration: time.Second}, Sides: [][]string{{"left"}, {"b"}}}); err != nil {
		t.Fatal(err)
	}
	for _, at := range []sim.Time{500 * sim.Millisecond, 1500 * sim.Millisecond, 2500 * sim.Millisecond} {
		s.At(at, func() { n.Send(a, b, "x", nil); n.Send(b, a, "y", nil) })
	}
	// In flight when the partition starts: lost too.
	s.At(999*sim.Millisecond+500*sim.Microsecond, func() { n.Send(a, b, "late", nil) })
	run(t, s)
	if *got != 2 || back != 2 {
		t.Fatalf("delivered a->b %d, b->a %d; want 2 and 2 (one each cut)", *got, back)
	}
	if st := n.Stats(); st.Cut != 3 {
		t.Fatalf("cut %d messages, want 3: %+v", st.Cut, st)
	}
}

func TestOneWayCut(t *testing.T) {
	s, n, a, b, got := pair(t, net.Config{})
	back := 0
	n.Handle(a, func(net.Message) { back++ })
	if err := n.Schedule(net.Fault{Kind: net.FaultOneWay, From: []string{"a"}, To: []string{"b"}}); err != nil {
		t.Fatal(err)
	}
	s.At(sim.Second, func() { n.Send(a, b, "x", nil); n.Send(b, a, "y", nil) })
	run(t, s)
	if *got != 0 || back != 1 {
		t.Fatalf("a->b delivered %d (want 0), b->a %d (want 1)", *got, back)
	}
}

func TestCrashDropsInFlightAndRestarts(t *testing.T) {
	s, n, a, b, got := pair(t, net.Config{Latency: dist.AsDuration(dist.Const(0.1))})
	crashes, restarts := 0, 0
	n.OnCrash(b, func() { crashes++ })
	n.OnRestart(b, func() { restarts++ })
	n.Send(a, b, "in flight", nil)
	if err := n.Schedule(net.Fault{Kind: net.FaultCrash, Window: sim.Window{Start: 50 * time.Millisecond, Duration: 10 * time.Millisecond}, Nodes: []string{"b"}}); err != nil {
		t.Fatal(err)
	}
	s.At(55*sim.Millisecond, func() {
		if n.Send(b, a, "from the dead", nil) {
			t.Error("a crashed node sent a message")
		}
	})
	s.At(sim.Second, func() { n.Send(a, b, "after", nil) })
	run(t, s)
	if *got != 1 || crashes != 1 || restarts != 1 {
		t.Fatalf("delivered %d (want 1), crashes %d, restarts %d", *got, crashes, restarts)
	}
}

func TestLossAndDuplicationRates(t *testing.T) {
	s, n, a, b, got := pair(t, net.Config{Loss: 0.2, Duplicate: 0.1})
	const sent = 20000
	for i := 0; i < sent; i++ {
		n.Send(a, b, "x", i)
	}
	run(t, s)
	st := n.Stats()
	lost := float64(st.Lost) / float64(sent+st.Duplicated)
	dup := float64(st.Duplicated) / sent
	if lost < 0.19 || lost > 0.21 || dup < 0.09 || dup > 0.11 {
		t.Fatalf("loss %.3f (want 0.2), duplication %.3f (want 0.1)", lost, dup)
	}
	if int64(*got) != st.Delivered || st.Delivered+st.Lost != sent+st.Duplicated {
		t.Fatalf("counts do not add up: %+v, handler saw %d", st, *got)
	}
}

func TestReorderingFromLatencyVariance(t *testing.T) {
	s, n, a, b, _ := pair(t, net.Config{Latency: dist.MustParse("exp(10ms)")})
	var order []int
	n.Handle(b, func(m net.Message) { order = append(order, m.Body.(int)) })
	for i := 0; i < 100; i++ {
		n.Send(a, b, "x", i)
	}
	run(t, s)
	inversions := 0
	for i := 1; i < len(order); i++ {
		if order[i] < order[i-1] {
			inversions++
		}
	}
	if inversions == 0 {
		t.Fatal("messages sent together with variable latency arrived in order")
	}
}

func TestClockSkewAndDrift(t *testing.T) {
	s, n, a, _, _ := pair(t, net.Config{})
	if err := n.SetClock(a, -50*time.Millisecond, 1e-3); err != nil {
		t.Fatal(err)
	}
	var local sim.Time
	s.At(10*sim.Second, func() { local = n.Clock(a) })
	run(t, s)
	if want := 10*sim.Second - 50*sim.Millisecond + 10*sim.Millisecond; local != want {
		t.Fatalf("local clock %v, want %v", local, want)
	}
	if err := n.SetClock(a, 0, 2); err == nil || !strings.Contains(err.Error(), "drift") {
		t.Fatalf("drift 2 accepted: %v", err)
	}
}

func TestValidationNamesTheField(t *testing.T) {
	s := sim.New(sim.Config{Seed: 1})
	for _, tc := range []struct {
		cfg  net.Config
		want string
	}{
		{net.Config{Loss: 1}, "Loss=1"},
		{net.Config{Duplicate: -0.1}, "Duplicate=-0.1"},
		{net.Config{Latency: dist.AsDuration(dist.Const(-0.01))}, "Latency="},
	} {
		if _, err := net.New(s, tc.cfg); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: got %v, want an error naming %q", tc.cfg, err, tc.want)
		}
	}
	n, _ := net.New(s, net.Config{})
	n.Add("r1", "eu", nil)
	if _, err := n.Add("r1", "eu", nil); err == nil {
		t.Error("a duplicate node name was accepted")
	}
	for _, tc := range []struct {
		f    net.Fault
		want string
	}{
		{net.Fault{Kind: net.FaultPartition, Sides: [][]string{{"r1"}, {"r9"}}}, `Sides[1]: unknown node or group "r9"`},
		{net.Fault{Kind: net.FaultPartition, Sides: [][]string{{"r1"}}}, "two sides"},
		{net.Fault{Kind: net.FaultCrash, Nodes: []string{"x"}}, `Nodes: unknown node or group "x"`},
		{net.Fault{Kind: net.FaultOneWay, From: []string{"r1"}}, "To: no nodes named"},
		{net.Fault{Kind: "flood"}, `Kind="flood"`},
		{net.Fault{Kind: net.FaultCrash, Nodes: []string{"r1"}, Window: sim.Window{Start: -time.Second}}, "Start=-1s"},
	} {
		if err := n.Schedule(tc.f); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: got %v, want an error containing %q", tc.f, err, tc.want)
		}
	}
	if err := n.SetGroupLatency("eu", "us", dist.AsDuration(dist.Const(-1))); err == nil || !strings.Contains(err.Error(), "latency eu-us") {
		t.Errorf("negative group latency: %v", err)
	}
}

func TestTraceIsBoundedAndDeterministic(t *testing.T) {
	trace := func() string {
		s, n, a, b, _ := pair(t, net.Config{Latency: dist.MustParse("exp(5ms)"), Loss: 0.1, TraceLimit: 5})
		n.Handle(b, func(m net.Message) { n.Send(b, a, "ack", nil) })
		for i := 0; i < 4; i++ {
			n.Send(a, b, "req", i)
		}
		run(t, s)
		return n.TraceText()
	}
	one, two := trace(), trace()
	if one != two {
		t.Fatalf("same seed, different traces:\n%s\n%s", one, two)
	}
	if strings.Count(one, "\n") != 6 || !strings.Contains(one, "more messages not kept") {
		t.Fatalf("trace not bounded at 5:\n%s", one)
	}
}

// Two networks on one Sim with their own stream prefixes draw apart: the
// delays on one do not change when the other sends more.
func TestStreamsKeepTwoNetworksApart(t *testing.T) {
	delays := func(others int) []sim.Time {
		s := sim.New(sim.Config{Seed: 3})
		lat := dist.MustParse("exp(10ms)")
		app, _ := net.New(s, net.Config{Latency: lat})
		side, _ := net.New(s, net.Config{Latency: lat, Streams: "side"})
		var got []sim.Time
		a, _ := app.Add("a", "", nil)
		b, _ := app.Add("b", "", func(m net.Message) { got = append(got, s.Now()-m.Sent) })
		x, _ := side.Add("x", "", nil)
		y, _ := side.Add("y", "", nil)
		for i := 0; i < 5; i++ {
			for k := 0; k < others; k++ {
				side.Send(x, y, "noise", nil)
			}
			app.Send(a, b, "m", nil)
		}
		run(t, s)
		return got
	}
	quiet, busy := delays(0), delays(3)
	if len(quiet) != 5 {
		t.Fatalf("delivered %d", len(quiet))
	}
	for i := range quiet {
		if quiet[i] != busy[i] {
			t.Fatalf("message %d took %v alone and %v beside the other network's traffic", i, quiet[i], busy[i])
		}
	}
}
