package lab

import (
	"strings"
	"testing"

	"dsim/sim"
)

// hist builds a history by hand, one operation at a time.
type hist struct{ r Result }

func newHist(workload string, nodes ...string) *hist {
	h := &hist{r: Result{Nodes: nodes, History: &History{Workload: workload}, FinalAt: 100 * sim.Millisecond}}
	h.r.Test = Test{Workload: workload}.withDefaults()
	return h
}

// op adds an operation called at call ms, completed at ret ms with typ
// (Info: no reply).
func (h *hist) op(client, node string, call, ret int, typ EventType, req, resp Body) *hist {
	ev := &h.r.History.Events
	i := len(*ev)
	final := sim.Time(call)*sim.Millisecond >= h.r.FinalAt
	*ev = append(*ev, Event{Index: i, Time: sim.Time(call) * sim.Millisecond, Type: Invoke, Client: client, Node: node, F: req.Type, Body: req, Pair: i + 1, Final: final},
		Event{Index: i + 1, Time: sim.Time(ret) * sim.Millisecond, Type: typ, Client: client, Node: node, F: req.Type, Body: resp, Pair: i, Final: final})
	return h
}

func (h *hist) check(t *testing.T, c Checker, outcome Outcome, want ...string) Verdict {
	t.Helper()
	v := c.Check(&h.r)
	if v.Outcome != outcome {
		t.Fatalf("got %v, want %v", v.Text(), outcome)
	}
	text := v.Text()
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("verdict lacks %q:\n%s", w, text)
		}
	}
	return v
}

func TestBroadcastChecker(t *testing.T) {
	bc := func(m int64) Body { return Body{Type: "broadcast", Message: m} }
	ok := Body{Type: "broadcast_ok"}
	read := Body{Type: "read"}
	got := func(ms ...int64) Body { return Body{Type: "read_ok", Messages: ms} }
	h := newHist("broadcast", "n0", "n1").
		op("c0", "n0", 1, 2, OK, bc(1), ok).
		op("c0", "n0", 3, 4, OK, bc(2), ok).
		op("c1", "n1", 3, 5, Info, bc(3), Body{}).
		op("c1", "n1", 10, 11, OK, read, got(1)).
		op("c0", "n0", 100, 101, OK, read, got(1, 2, 3)).
		op("c1", "n1", 100, 102, OK, read, got(1, 2))
	v := h.check(t, BroadcastChecker(), Valid, "all 2 acknowledged messages reached all 2 nodes")
	if v.Metrics[len(v.Metrics)-1].Value != 0.008 {
		t.Errorf("latency: %v (message 2, broadcast at 3ms, missed by the read ending at 11ms)", v.Metrics)
	}
	h.op("c1", "n1", 105, 106, OK, read, got(2, 7))
	v = h.check(t, BroadcastChecker(), Invalid, "n1's final read lacks 1 acknowledged message(s): [1]", "holds 7, which no client broadcast")
	if len(v.Violations[0].Events) == 0 {
		t.Error("no events with the violation")
	}
	newHist("broadcast", "n0", "n1").op("c0", "n0", 100, 101, OK, read, got()).
		check(t, BroadcastChecker(), Invalid, "n1 answered none of its final reads")
}

func TestCounterChecker(t *testing.T) {
	add := func(d int64) Body { return Body{Type: "add", Delta: d} }
	ok := Body{Type: "add_ok"}
	read := Body{Type: "read"}
	val := func(v int64) Body { return Body{Type: "read_ok", Value: v} }
	base := func() *hist {
		return newHist("pn-counter", "n0", "n1").
			op("c0", "n0", 1, 2, OK, add(5), ok).
			op("c0", "n0", 3, 4, Info, add(3), Body{}).
			op("c1", "n1", 3, 4, Info, add(-2), Body{}).
			op("c1", "n1", 5, 6, Fail, add(100), ErrorBody(ErrTemporarilyUnavailable, ""))
	}
	base().op("c0", "n0", 100, 101, OK, read, val(6)).op("c1", "n1", 100, 101, OK, read, val(6)).
		check(t, CounterChecker(), Valid, "within [3, 8]")
	base().op("c0", "n0", 100, 101, OK, read, val(9)).op("c1", "n1", 100, 101, OK, read, val(6)).
		check(t, CounterChecker(), Invalid, "n0's final read 9 is outside [3, 8]", "the final reads disagree: n0 9, n1 6")
}

func TestUniqueIDsAndEchoCheckers(t *testing.T) {
	gen := Body{Type: "generate"}
	id := func(s string) Body { return Body{Type: "generate_ok", ID: s} }
	newHist("unique-ids", "n0").op("c0", "n0", 1, 2, OK, gen, id("a")).op("c1", "n0", 1, 3, OK, gen, id("b")).
		check(t, UniqueIDsChecker(), Valid, "all 2 ids are distinct")
	newHist("unique-ids", "n0").op("c0", "n0", 1, 2, OK, gen, id("a")).op("c1", "n0", 1, 3, OK, gen, id("a")).op("c1", "n0", 4, 5, OK, gen, id("")).
		check(t, UniqueIDsChecker(), Invalid, `id "a" given twice`, "an empty id")
	newHist("echo", "n0").op("c0", "n0", 1, 2, OK, Body{Type: "echo", Echo: "hi"}, Body{Type: "echo_ok", Echo: "ho"}).
		check(t, EchoChecker(), Invalid, `answered echo "hi" with "ho"`)
}

func TestKafkaChecker(t *testing.T) {
	send := func(k string, m int64) Body { return Body{Type: "send", Key: k, Msg: m} }
	at := func(o int64) Body { return Body{Type: "send_ok", Offset: o} }
	poll := func(k string, from int64) Body { return Body{Type: "poll", Offsets: map[string]int64{k: from}} }
	got := func(k string, p ...[2]int64) Body { return Body{Type: "poll_ok", Msgs: map[string][][2]int64{k: p}} }
	commit := func(k string, o int64) Body { return Body{Type: "commit_offsets", Offsets: map[string]int64{k: o}} }
	list := Body{Type: "list_committed_offsets", Keys: []string{"k0"}}
	listed := func(o int64) Body { return Body{Type: "list_committed_offsets_ok", Offsets: map[string]int64{"k0": o}} }
	good := newHist("kafka", "n0").
		op("c0", "n0", 1, 2, OK, send("k0", 10), at(0)).
		op("c0", "n0", 3, 4, OK, send("k0", 11), at(1)).
		op("c1", "n0", 5, 6, OK, poll("k0", 0), got("k0", [2]int64{0, 10}, [2]int64{1, 11})).
		op("c1", "n0", 7, 8, OK, commit("k0", 1), Body{Type: "commit_offsets_ok"}).
		op("c1", "n0", 9, 10, OK, list, listed(1)).
		op("c0", "n0", 100, 101, OK, poll("k0", 0), got("k0", [2]int64{0, 10}, [2]int64{1, 11}))
	good.check(t, KafkaChecker(), Valid, "all 2 acknowledged sends")
	newHist("kafka", "n0").
		op("c0", "n0", 1, 2, OK, send("k0", 10), at(0)).
		op("c0", "n0", 3, 4, OK, send("k0", 11), at(0)).
		op("c0", "n0", 5, 6, OK, send("k0", 12), at(2)).
		op("c0", "n0", 7, 8, OK, send("k0", 13), at(3)).
		op("c1", "n0", 9, 10, OK, poll("k0", 1), got("k0", [2]int64{0, 10}, [2]int64{3, 13}, [2]int64{3, 99})).
		op("c1", "n0", 11, 12, OK, commit("k0", 3), Body{Type: "commit_offsets_ok"}).
		op("c1", "n0", 13, 14, OK, list, listed(1)).
		op("c0", "n0", 100, 101, OK, poll("k0", 0), got("k0", [2]int64{0, 10}, [2]int64{3, 13})).
		check(t, KafkaChecker(), Invalid,
			"offset k0:0 acknowledged for both 10 and 11",
			"poll of k0 from 1 answered from offset 0",
			"poll of k0 skipped offset 2 (the acknowledged send of 12) between 1 and 3",
			"poll of k0 answered offsets out of order: 3 after 3",
			"poll of k0 returned 99, which no client sent",
			"committed offset of k0 listed as 1 after a commit of 3 was acknowledged",
			"acknowledged send of 12 to k0 at offset 2 is lost")
}

func TestLinearizableChecker(t *testing.T) {
	w := func(k string, v int64) Body { return Body{Type: "write", Key: k, Value: v} }
	r := func(k string) Body { return Body{Type: "read", Key: k} }
	cas := func(k string, from, to int64) Body { return Body{Type: "cas", Key: k, From: from, To: to} }
	val := func(v int64) Body { return Body{Type: "read_ok", Value: v} }
	good := newHist("lin-kv", "n0").
		op("c0", "n0", 0, 1, Fail, r("a"), ErrorBody(ErrKeyDoesNotExist, "")).
		op("c0", "n0", 2, 3, OK, w("a", 1), Body{Type: "write_ok"}).
		op("c1", "n0", 2, 9, Info, w("a", 2), Body{}).
		op("c0", "n0", 4, 5, OK, r("a"), val(1)).
		op("c0", "n0", 6, 7, Fail, cas("a", 5, 6), ErrorBody(ErrPreconditionFailed, "")).
		op("c0", "n0", 10, 11, OK, r("a"), val(2)).
		op("c0", "n0", 12, 13, OK, cas("a", 2, 3), Body{Type: "cas_ok"}).
		op("c1", "n0", 14, 15, OK, r("b"), val(0)).
		op("c1", "n0", 0, 1, OK, w("b", 0), Body{Type: "write_ok"})
	good.check(t, LinearizableChecker(), Valid, "linearizable")
	if _, err := good.r.Linearizability(); err == nil {
		t.Error("a view of a linearizable history")
	}
	bad := newHist("lin-kv", "n0", "n1").
		op("c0", "n0", 0, 1, OK, w("a", 1), Body{Type: "write_ok"}).
		op("c0", "n0", 2, 3, OK, w("a", 2), Body{Type: "write_ok"}).
		op("c1", "n1", 4, 5, OK, r("a"), val(1))
	v := bad.check(t, LinearizableChecker(), Invalid, "key a: no legal order of its 3 operations")
	if len(v.Violations[0].Events) == 0 {
		t.Error("no events")
	}
	html, err := bad.r.Linearizability()
	if err != nil || !strings.Contains(html.HTML(), "<html") {
		t.Fatalf("porcupine's view: %v", err)
	}
}

// A checker that panics gives an Unknown verdict that says so, not a
// crashed program.
func TestPanickingChecker(t *testing.T) {
	boom := CheckFunc(func(*Result) Verdict { panic("boom") })
	r, err := Run(Test{Workload: "echo", Node: "echo", Seed: 1, Checkers: []Checker{boom}})
	if err != nil {
		t.Fatal(err)
	}
	v := r.Verdicts[1]
	if v.Outcome != Unknown || !strings.Contains(v.Summary, "the checker panicked: boom") {
		t.Fatal(v)
	}
}
