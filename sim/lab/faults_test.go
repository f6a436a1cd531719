package lab

import (
	"math"
	"strings"
	"testing"
	"time"

	"dsim/sim"
	"dsim/sim/dist"
	"dsim/sim/net"
)

// pinger sends a ping to every other node every 50ms, answers echo, and
// notes what it receives and when (its own clock) in got.
type pinger struct {
	got   *[]note
	ticks int // volatile: lost with the node's memory
}

type note struct {
	node, from, what string
	clock            time.Duration
	ticks            int
}

func (p *pinger) Start(e *Env) {
	*p.got = append(*p.got, note{node: e.ID(), what: "start", clock: e.Now()})
	e.Every(50*time.Millisecond, func() {
		p.ticks++
		for _, n := range e.Nodes() {
			if n != e.ID() {
				e.Send(n, Body{Type: "ping"})
			}
		}
	})
}

func (p *pinger) Receive(e *Env, m Message) {
	if m.Body.Type == "echo" {
		e.Reply(m, Body{Type: "echo_ok", Echo: m.Body.Echo})
		return
	}
	*p.got = append(*p.got, note{node: e.ID(), from: m.Src, what: m.Body.Type, clock: e.Now(), ticks: p.ticks})
}

// withFaults runs pingers under a schedule, with constant 1ms latency.
func withFaults(t *testing.T, faults ...Fault) (*Result, []note) {
	t.Helper()
	var got []note
	r, err := Run(Test{Workload: "echo", New: func() Node { return &pinger{got: &got} }, Seed: 1, Nodes: 3,
		Duration: 4 * time.Second, Recovery: time.Second, Latency: constLatency(), Faults: faults})
	if err != nil {
		t.Fatal(err)
	}
	return r, got
}

func constLatency() dist.Dist { return dist.MustParse("1ms") }

func window(start, length time.Duration) sim.Window {
	return sim.Window{Start: start, Duration: length}
}

// fates counts what became of the messages from a to b sent in [from, to).
func fates(r *Result, a, b string, from, to time.Duration) map[net.Fate]int {
	n := r.Network()
	ia, _ := n.Lookup(a)
	ib, _ := n.Lookup(b)
	out := map[net.Fate]int{}
	trace, _ := n.Trace()
	for _, rec := range trace {
		if rec.From == ia && rec.To == ib && rec.Sent >= sim.FromDuration(from) && rec.Sent < sim.FromDuration(to) {
			out[rec.Fate]++
		}
	}
	return out
}

// A partition cuts both ways between its sides and heals at its end; a
// one-way cut drops one direction only.
func TestPartitionAndOneWay(t *testing.T) {
	r, _ := withFaults(t, Fault{Kind: FaultPartition, Window: window(time.Second, time.Second), Sides: [][]string{{"n0"}, {"n1", "n2"}}},
		Fault{Kind: FaultOneWay, Window: window(3*time.Second, 500*time.Millisecond), From: []string{"n1"}, To: []string{"n2"}})
	in := fates(r, "n0", "n1", time.Second, 2*time.Second)
	if in[net.Cut] < 15 || in[net.Delivered] != 0 {
		t.Errorf("n0->n1 during the partition: %v", in)
	}
	if back := fates(r, "n1", "n0", time.Second, 2*time.Second); back[net.Delivered] != 0 {
		t.Errorf("n1->n0 during the partition: %v", back)
	}
	if same := fates(r, "n1", "n2", time.Second, 2*time.Second); same[net.Cut] != 0 || same[net.Delivered] < 15 {
		t.Errorf("n1->n2 on one side: %v", same)
	}
	if after := fates(r, "n0", "n1", 2*time.Second+10*time.Millisecond, 3*time.Second); after[net.Cut] != 0 || after[net.Delivered] < 15 {
		t.Errorf("n0->n1 after the heal: %v", after)
	}
	if cut := fates(r, "n1", "n2", 3*time.Second, 3500*time.Millisecond); cut[net.Cut] < 8 || cut[net.Delivered] != 0 {
		t.Errorf("n1->n2 during the one-way cut: %v", cut)
	}
	if open := fates(r, "n2", "n1", 3*time.Second, 3500*time.Millisecond); open[net.Delivered] < 8 {
		t.Errorf("n2->n1 during the one-way cut: %v", open)
	}
}

// A crash that loses memory restarts the node on a fresh value (Start
// again, volatile state gone, messages in flight dropped); one that keeps
// memory holds the node's timers and does not call Start again.
func TestCrashWithAndWithoutMemory(t *testing.T) {
	r, got := withFaults(t, Fault{Kind: FaultCrash, Window: window(time.Second, 500*time.Millisecond), Nodes: []string{"n1"}},
		Fault{Kind: FaultCrash, Window: window(2*time.Second, 500*time.Millisecond), Nodes: []string{"n2"}, Keep: true})
	starts := map[string]int{}
	for _, n := range got {
		if n.what == "start" {
			starts[n.node]++
		}
	}
	if starts["n0"] != 1 || starts["n1"] != 2 || starts["n2"] != 1 {
		t.Errorf("starts: %v", starts)
	}
	var afterCrash, afterFreeze []int
	for _, n := range got {
		if n.what != "ping" {
			continue
		}
		switch {
		case n.node == "n1" && n.clock >= 1500*time.Millisecond && n.clock < 1600*time.Millisecond:
			afterCrash = append(afterCrash, n.ticks)
		case n.node == "n2" && n.clock >= 2500*time.Millisecond && n.clock < 2600*time.Millisecond:
			afterFreeze = append(afterFreeze, n.ticks)
		}
		if (n.node == "n1" && n.clock >= time.Second && n.clock < 1500*time.Millisecond) || (n.node == "n2" && n.clock >= 2*time.Second && n.clock < 2500*time.Millisecond) {
			t.Errorf("%s received a %s while crashed, at %v", n.node, n.what, n.clock)
		}
	}
	if len(afterCrash) == 0 || afterCrash[0] > 2 {
		t.Errorf("n1's ticks after losing its memory: %v (want a count from 0)", afterCrash)
	}
	// n2 ticked about 40 times before its freeze, none while frozen, one
	// held tick at the wake.
	if len(afterFreeze) == 0 || afterFreeze[0] < 38 || afterFreeze[0] > 42 {
		t.Errorf("n2's ticks after its freeze: %v", afterFreeze)
	}
	if down := fates(r, "n0", "n1", time.Second, 1500*time.Millisecond); down[net.Down] < 8 || down[net.Delivered] != 0 {
		t.Errorf("n0->n1 while n1 is down: %v", down)
	}
}

// A paused node takes no message while paused and all of them at the
// wake, in order.
func TestPause(t *testing.T) {
	r, got := withFaults(t, Fault{Kind: FaultPause, Window: window(time.Second, 300*time.Millisecond), Nodes: []string{"n0"}})
	held := 0
	for _, n := range got {
		if n.node != "n0" || n.what != "ping" {
			continue
		}
		if n.clock >= time.Second && n.clock < 1300*time.Millisecond {
			t.Errorf("n0 took a ping at %v, while paused", n.clock)
		}
		if n.clock == 1300*time.Millisecond {
			held++
		}
	}
	if held < 10 {
		t.Errorf("%d pings taken at the wake", held)
	}
	if d := fates(r, "n1", "n0", time.Second, 1300*time.Millisecond); d[net.Delivered] < 5 {
		t.Errorf("pings to a paused node are delivered (and held): %v", d)
	}
}

// A clock fault steps or skews a node's clock while it lasts, and the
// clock is corrected at its end.
func TestClockFaults(t *testing.T) {
	_, got := withFaults(t, Fault{Kind: FaultClock, Window: window(time.Second, time.Second), Nodes: []string{"n0"}, Jump: 520 * time.Millisecond},
		Fault{Kind: FaultClock, Window: window(3*time.Second, 500*time.Millisecond), Nodes: []string{"n1"}, Drift: 0.1})
	// A ping sent at a tick (k x 50ms) arrives 1ms later by the engine's
	// clock: the receiver's clock minus that is its error.
	onTick := func(at time.Duration) bool {
		off := (at - time.Millisecond) % (50 * time.Millisecond)
		return off <= time.Microsecond || off >= 50*time.Millisecond-time.Microsecond
	}
	jumped, skewed := 0, 0
	for _, n := range got {
		if n.what != "ping" || onTick(n.clock) {
			continue
		}
		switch {
		case n.node == "n0" && onTick(n.clock-520*time.Millisecond) && n.clock >= 1520*time.Millisecond && n.clock < 2520*time.Millisecond:
			jumped++
		case n.node == "n1" && onTick(3*time.Second+time.Duration(float64(n.clock-3*time.Second)/1.1)):
			skewed++
		default:
			t.Errorf("%s's clock read %v at a ping, off the ticks", n.node, n.clock)
		}
	}
	if jumped < 30 || skewed < 15 {
		t.Errorf("%d pings read the jumped clock, %d the skewed one", jumped, skewed)
	}
}

// Loss and duplication bursts act only while they last; a slow node's
// messages take the extra delay.
func TestBurstsAndSlowNodes(t *testing.T) {
	r, _ := withFaults(t, Fault{Kind: FaultLoss, Window: window(time.Second, time.Second), Rate: 0.9},
		Fault{Kind: FaultDuplicate, Window: window(2*time.Second, time.Second), Rate: 0.5},
		Fault{Kind: FaultSlow, Window: window(3*time.Second, 500*time.Millisecond), Nodes: []string{"n2"}, Delay: 100 * time.Millisecond})
	lost := fates(r, "n0", "n1", time.Second, 2*time.Second)
	if lost[net.Lost] < 12 || lost[net.Lost] > 20 {
		t.Errorf("n0->n1 during 90%% loss: %v", lost)
	}
	if before := fates(r, "n0", "n1", 0, time.Second); before[net.Lost] != 0 {
		t.Errorf("loss before the burst: %v", before)
	}
	trace, _ := r.Network().Trace()
	copies := 0
	for _, rec := range trace {
		at := rec.Sent.Duration()
		if rec.Copy {
			copies++
			if at < 2*time.Second || at >= 3*time.Second {
				t.Errorf("a copy sent at %v, outside the burst", at)
			}
		}
		from := r.Network().Name(rec.From)
		if rec.Fate == net.Delivered && from == "n2" && at >= 3*time.Second && at < 3500*time.Millisecond {
			if d := rec.At - rec.Sent; d != 101*sim.Millisecond {
				t.Errorf("a message of the slow node took %v", d)
			}
		}
	}
	if copies < 40 || copies > 80 {
		t.Errorf("%d copies in a 50%% duplication burst of about 120 messages", copies)
	}
}

// Faults that run past the workload heal at its end, and one with no
// Duration lasts until then.
func TestFaultsHealByTheEnd(t *testing.T) {
	r, _ := withFaults(t, Fault{Kind: FaultPartition, Window: window(3*time.Second, 0), Sides: [][]string{{"n0"}, {"n1"}}},
		Fault{Kind: FaultCrash, Window: window(3*time.Second, time.Hour), Nodes: []string{"n2"}})
	if d := fates(r, "n0", "n1", 3*time.Second, 4*time.Second); d[net.Delivered] != 0 {
		t.Errorf("the open-ended partition: %v", d)
	}
	if d := fates(r, "n0", "n1", 4*time.Second+10*time.Millisecond, 5*time.Second); d[net.Delivered] < 15 {
		t.Errorf("after the workload: %v", d)
	}
	if d := fates(r, "n0", "n2", 4*time.Second+10*time.Millisecond, 5*time.Second); d[net.Delivered] < 15 {
		t.Errorf("n2 after the workload: %v", d)
	}
}

// The store: writes are durable after the write latency and in order; a
// crash loses those not yet durable, and their callbacks never run.
func TestStoreDurability(t *testing.T) {
	var log []string
	node := func() Node {
		return &nodeFunc{start: func(e *Env) {
			if e.ID() != "n0" {
				return
			}
			v, _ := e.Store().Get("k")
			log = append(log, "start "+v)
			if v != "" {
				return
			}
			e.Store().Put("k", "one", func() { log = append(log, "one durable") })
			e.After(time.Second, func() {
				e.Store().Put("k", "two", func() { log = append(log, "two durable") })
				v, _ := e.Store().Get("k")
				log = append(log, "reads "+v)
			})
		}}
	}
	_, err := Run(Test{Workload: "echo", New: node, Seed: 1, WriteLatency: 10 * time.Millisecond, Limits: Limits{MinAnswers: 1 << 30},
		Faults: Schedule{{Kind: FaultCrash, Window: window(time.Second+5*time.Millisecond, time.Second), Nodes: []string{"n0"}}}})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(log, ", "); got != "start , one durable, reads two, start one" {
		t.Fatalf("got %q", got)
	}
}

// The nemesis draws the same schedule from the same seed, every kind it
// is given, within the workload, and prints it.
func TestNemesisDraw(t *testing.T) {
	test := Test{Workload: "echo", Node: "echo", Seed: 9, Duration: time.Minute, Nemesis: Nemesis{Kinds: FaultKinds()}}
	a, err := Draw(test)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Draw(test)
	if a.String() != b.String() {
		t.Fatal("two draws of one seed differ")
	}
	kinds := map[string]bool{}
	for _, f := range a {
		kinds[f.Kind] = true
		if f.Start < 0 || f.Window.End() > test.Duration || f.Duration <= 0 {
			t.Errorf("%v is outside the workload", f)
		}
		if err := f.validate(test.withDefaults().nodeIDs()); err != nil {
			t.Error(err)
		}
	}
	if len(kinds) != len(FaultKinds()) {
		t.Errorf("kinds drawn: %v", kinds)
	}
	test.Seed = 10
	if c, _ := Draw(test); c.String() == a.String() {
		t.Error("two seeds drew the same schedule")
	}
	if s := a.String(); !strings.Contains(s, " from ") || strings.Count(s, "\n") != len(a) {
		t.Errorf("schedule text:\n%s", s)
	}
	if math.Abs(float64(len(a))-30) > 15 {
		t.Errorf("%d faults in a minute at one every 2s", len(a))
	}
}

// A store whose writes never all settle (one a millisecond, each taking
// ten) keeps them in order and its queue stays the size of what is
// pending, not of every write it took.
func TestStoreQueueStaysSmall(t *testing.T) {
	var st *Store
	var durable, order int
	node := func() Node {
		return &nodeFunc{start: func(e *Env) {
			if e.ID() != "n0" {
				return
			}
			st = e.Store()
			n := 0
			e.Every(time.Millisecond, func() {
				n++
				want := n
				e.Store().PutInt("k", int64(n), func() {
					durable++
					if want != durable {
						order++
					}
				})
			})
		}}
	}
	_, err := Run(Test{Workload: "echo", New: node, Seed: 1, Nodes: 1, Duration: 5 * time.Second, Recovery: time.Second,
		WriteLatency: 10 * time.Millisecond, Limits: Limits{MinAnswers: 1 << 30}})
	if err != nil {
		t.Fatal(err)
	}
	if durable < 5000 || order != 0 {
		t.Fatalf("%d writes durable, %d out of order", durable, order)
	}
	if c := cap(st.pending); c > 64 {
		t.Fatalf("the queue holds room for %d writes, with about 10 pending", c)
	}
}
