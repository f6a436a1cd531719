package clocks_test

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"dsim/sim/dist"
	"dsim/sim/net"
	"dsim/sim/scenario/clocks"
)

// randomConfig draws a run: 2 to 6 processes, up to 3 clients, rates,
// delays, loss, skew, drift, synchronisation, stamps and tokens all
// varied, so that the theorems are checked on many shapes of history.
func randomConfig(r *rand.Rand, seed uint64) clocks.Config {
	c := clocks.Default()
	c.Seed = seed
	c.Processes = 2 + r.IntN(5)
	c.Clients = r.IntN(4)
	c.WriteRate = 0.2 + 4*r.Float64()
	c.MessageRate = 0.2 + 4*r.Float64()
	c.Latency = dist.MustParse(fmt.Sprintf("lognormal(%dms, 0.8)", 1+r.IntN(300)))
	if r.IntN(3) == 0 {
		c.Loss = 0.2 * r.Float64()
	}
	c.Skew = time.Duration(r.Int64N(int64(200 * time.Millisecond)))
	c.DriftPPM = float64(r.IntN(5000))
	if r.IntN(2) == 0 {
		c.SyncPeriod = time.Duration(100+r.IntN(2000)) * time.Millisecond
	}
	if r.IntN(2) == 0 {
		c.Stamps = clocks.LamportStamp
	}
	c.Tokens = r.IntN(2) == 0
	c.Duration = time.Duration(2+r.IntN(10)) * time.Second
	c.MaxEvents = 600
	return c
}

func mustRun(t *testing.T, c clocks.Config) *clocks.Result {
	t.Helper()
	res, err := clocks.Run(c)
	if err != nil {
		t.Fatalf("seed %d: %v", c.Seed, err)
	}
	return res
}

// The vector clock theorem and Lamport's clock condition, on every pair
// of events of 200 random runs: VC(a) < VC(b) exactly when a happens
// before b by the trace, concurrent exactly when neither vector is
// smaller, and a before b implies L(a) < L(b). Lamport time also orders
// concurrent events, so its converse fails.
func TestClocksAgreeWithHappensBefore(t *testing.T) {
	r := rand.New(rand.NewPCG(18, 1978))
	var events, pairs, ordered, concurrent, lamportOrdersConcurrent int64
	const runs = 200
	for seed := uint64(1); seed <= runs; seed++ {
		c := randomConfig(r, seed)
		res := mustRun(t, c)
		chk := res.CheckClocks()
		if chk.VectorWrong != 0 || chk.LamportWrong != 0 {
			t.Fatalf("seed %d (%+v): %v", seed, c, chk)
		}
		events += int64(chk.Events)
		pairs += chk.Pairs
		ordered += chk.Ordered
		concurrent += chk.Concurrent
		lamportOrdersConcurrent += chk.LamportOrdersConcurrent
	}
	t.Logf("%d runs: %d events, %d pairs (%d ordered, %d concurrent, %d of those with different Lamport times)",
		runs, events, pairs, ordered, concurrent, lamportOrdersConcurrent)
	if ordered == 0 || concurrent == 0 || lamportOrdersConcurrent == 0 {
		t.Fatalf("the runs lack ordered or concurrent pairs: %d, %d, %d", ordered, concurrent, lamportOrdersConcurrent)
	}
}

// Happens-before as the package computes it equals a plain search over
// the graph of lane order and messages, built here from the events and
// the trace alone: the closure is not checked against itself.
func TestHappensBeforeIsTheClosureOfTheTrace(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 1989))
	for seed := uint64(1); seed <= 40; seed++ {
		c := randomConfig(r, seed)
		c.MaxEvents = 250
		res := mustRun(t, c)
		next := graph(t, res)
		for a := range res.Events {
			seen := make([]bool, len(res.Events))
			stack := append([]int(nil), next[a]...)
			for len(stack) > 0 {
				v := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				if !seen[v] {
					seen[v] = true
					stack = append(stack, next[v]...)
				}
			}
			for b := range res.Events {
				if got := res.HappensBefore(a, b); got != seen[b] {
					t.Fatalf("seed %d: HappensBefore(%d, %d) = %v, the search says %v", seed, a, b, got, seen[b])
				}
			}
		}
	}
}

// graph gives each event its direct successors: the next event on its
// lane (by time, then by index) and, for a send, the receipt of its
// message when the trace says it was delivered.
func graph(t *testing.T, res *clocks.Result) [][]int {
	next := make([][]int, len(res.Events))
	last := map[int]int{}
	sends, recvs := map[int64]int{}, map[int64]int{}
	for i, e := range res.Events {
		if p, ok := last[e.Proc]; ok {
			next[p] = append(next[p], i)
		}
		last[e.Proc] = i
		switch e.Kind {
		case clocks.Send:
			sends[e.Msg] = i
		case clocks.Receive:
			recvs[e.Msg] = i
		}
	}
	for _, m := range res.Trace {
		s, okS := sends[m.ID]
		v, okR := recvs[m.ID]
		if !okS {
			t.Fatalf("message %d has no send", m.ID)
		}
		if m.Fate == net.Delivered && okR {
			next[s] = append(next[s], v)
		}
	}
	return next
}

// A corrupted vector is caught: the check is not vacuous.
func TestCheckClocksCatchesAWrongVector(t *testing.T) {
	res := mustRun(t, presetConfig(t, "spacetime"))
	res.Events[5].Vector = make([]int, len(res.Events[5].Vector))
	if chk := res.CheckClocks(); chk.VectorWrong == 0 || chk.First == "" {
		t.Fatalf("a zeroed vector went unnoticed: %v", chk)
	}
}

// Cristian's algorithm: after every synchronisation the clock is within
// the bound its round trip gives, RTT/2·(1+ρ)/(1-ρ), on 60 runs with
// drifts up to 10% and slow, variable time servers; between them, the
// error grows by at most the drift times the time since.
func TestSyncErrorWithinTheBound(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 1989))
	syncs := 0
	for seed := uint64(1); seed <= 60; seed++ {
		c := clocks.Default()
		c.Seed = seed
		c.Processes = 2 + r.IntN(6)
		c.Skew = time.Duration(r.Int64N(int64(time.Second)))
		c.DriftPPM = []float64{0, 100, 5000, 100_000}[r.IntN(4)]
		c.SyncPeriod = time.Duration(50+r.IntN(1000)) * time.Millisecond
		c.SyncLatency = dist.MustParse(fmt.Sprintf("lognormal(%dms, 1)", 1+r.IntN(100)))
		c.Loss = 0.1 * r.Float64()
		c.Duration = 20 * time.Second
		res := mustRun(t, c)
		rho := c.DriftPPM * 1e-6
		for _, s := range res.Syncs {
			syncs++
			if s.After > s.Bound || -s.After > s.Bound {
				t.Fatalf("seed %d: %+v: error after the sync beyond the bound", seed, s)
			}
			if want := time.Duration(float64(s.RTT)/2*(1+rho)/(1-rho)) + 4; s.Bound > want+1 || s.RTT < 0 {
				t.Fatalf("seed %d: %+v: bound, want %v", seed, s, want)
			}
		}
		checkGrowth(t, res, rho)
	}
	if syncs < 1000 {
		t.Fatalf("only %d synchronisations", syncs)
	}
	t.Logf("%d synchronisations within their bounds", syncs)
}

// checkGrowth checks every sample after a process's first sync: the
// error is within the last sync's error plus ρ times the time since.
func checkGrowth(t *testing.T, res *clocks.Result, rho float64) {
	t.Helper()
	for i, s := range res.ClockError {
		name := res.Lanes[i]
		k := 0
		var last *clocks.Sync
		for j, at := range s.T {
			for ; k < len(res.Syncs) && res.Syncs[k].At <= at; k++ {
				if res.Syncs[k].Proc == name {
					last = &res.Syncs[k]
				}
			}
			if last == nil {
				continue
			}
			err := time.Duration(s.V[j] * float64(time.Millisecond))
			limit := abs(last.After) + time.Duration(rho*float64(at-last.At)) + time.Microsecond
			if abs(err) > limit {
				t.Fatalf("%s at %v: error %v, more than %v after the sync at %v", name, at, err, limit, last.At)
			}
		}
	}
}

func abs(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

// Unsynchronised clocks fan out exactly: p1 and pN end 2·Skew plus
// 2·drift·Duration apart.
func TestUnsyncedClocksFanOut(t *testing.T) {
	c := presetConfig(t, "drift")
	res := mustRun(t, c)
	want := 2*c.Skew + time.Duration(2*c.DriftPPM*1e-6*float64(res.End))
	if got := res.MaxSpread(); abs(got-want) > 100*time.Microsecond {
		t.Fatalf("spread %v, want %v", got, want)
	}
}

// Exact clocks never see a message arrive before it left; skewed ones do.
func TestExactClocksKeepMessagesInOrder(t *testing.T) {
	c := clocks.Default()
	c.Skew, c.DriftPPM = 0, 0
	if res := mustRun(t, c); res.Order.Backward != 0 || res.Order.Delivered == 0 {
		t.Fatalf("exact clocks: %d of %d backward", res.Order.Backward, res.Order.Delivered)
	}
	if res := mustRun(t, clocks.Default()); res.Order.Backward == 0 {
		t.Fatal("skewed clocks: no message backward")
	}
}

// Last writer wins: Lamport stamps never let a write lose to one that
// happened before it, on 200 random runs; physical stamps on clocks 100ms
// apart lose some on every seed of the lesson's preset.
func TestLamportStampsKeepCausalWrites(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 1978))
	for seed := uint64(1); seed <= 200; seed++ {
		if res := mustRun(t, randomConfig(r, seed)); res.Order.LostLamport != 0 {
			t.Fatalf("seed %d: Lamport stamps lost %d writes", seed, res.Order.LostLamport)
		}
	}
	for seed := uint64(1); seed <= 5; seed++ {
		c := presetConfig(t, "lww-skew")
		c.Seed = seed
		res := mustRun(t, c)
		if res.Order.LostPhysical == 0 || res.Verdict().Outcome != clocks.Misordered || res.Order.LostExample == "" {
			t.Fatalf("seed %d: physical stamps lost %d writes: %v", seed, res.Order.LostPhysical, res.Verdict())
		}
		c.Stamps = clocks.LamportStamp
		lam := mustRun(t, c)
		if v := lam.Verdict(); v.Outcome != clocks.Ordered {
			t.Fatalf("seed %d, Lamport stamps: %v", seed, v)
		}
		// The stamps change what the register keeps, not what happens.
		if !reflect.DeepEqual(lam.Events, res.Events) || lam.Order.LostPhysical != res.Order.LostPhysical {
			t.Fatalf("seed %d: the runs with physical and Lamport stamps differ in their events", seed)
		}
	}
}

// Session guarantees: without tokens clients read stale versions on
// every seed; with tokens never, on those seeds and on 200 random runs
// (loss, skew and physical stamps included).
func TestSessionTokensRestoreTheGuarantees(t *testing.T) {
	for seed := uint64(1); seed <= 10; seed++ {
		c := presetConfig(t, "sessions")
		c.Seed = seed
		plain := mustRun(t, c)
		if plain.Sessions.ReadYourWrites == 0 || plain.Sessions.MonotonicReads == 0 || plain.Verdict().Outcome != clocks.Stale {
			t.Fatalf("seed %d without tokens: %+v %v", seed, plain.Sessions, plain.Verdict())
		}
		c.Tokens = true
		tok := mustRun(t, c)
		if tok.Sessions.StaleReads != 0 || tok.Sessions.Reads == 0 || tok.Sessions.Pulls == 0 {
			t.Fatalf("seed %d with tokens: %+v", seed, tok.Sessions)
		}
	}
	r := rand.New(rand.NewPCG(11, 1994))
	for seed := uint64(1); seed <= 200; seed++ {
		c := randomConfig(r, seed)
		c.Tokens, c.Clients = true, 1+r.IntN(3)
		if res := mustRun(t, c); res.Sessions.StaleReads != 0 {
			t.Fatalf("seed %d (%+v): %+v", seed, c, res.Sessions)
		}
	}
}

func presetConfig(t *testing.T, name string) clocks.Config {
	t.Helper()
	c, err := clocks.PresetConfig(name)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
