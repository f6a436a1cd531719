package crdt_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"dsim/sim"
	"dsim/sim/scenario/crdt"
)

// mutate applies one random operation to s at replica rep, as the
// scenario does, and returns the delta.
func mutate(t *testing.T, s crdt.State, rep string, seq int, r *rand.Rand) crdt.State {
	t.Helper()
	elem := fmt.Sprintf("e%d", r.IntN(4))
	stamp := crdt.Stamp{Clock: int64(r.IntN(50)), Replica: rep}
	switch x := s.(type) {
	case *crdt.GCounter:
		return x.Inc(rep, int64(r.IntN(3)))
	case *crdt.PNCounter:
		return x.Add(rep, int64(r.IntN(5)-2))
	case *crdt.GSet:
		return x.Add(elem)
	case *crdt.TwoPSet:
		if r.IntN(3) == 0 {
			return x.Remove(elem)
		}
		return x.Add(elem)
	case *crdt.ORSet:
		if r.IntN(3) == 0 {
			return x.Remove(elem)
		}
		return x.Add(elem, fmt.Sprintf("%s.%d", rep, seq))
	case *crdt.NaiveSet:
		if r.IntN(3) == 0 {
			return x.Remove(elem)
		}
		return x.Add(elem)
	case *crdt.LWWRegister:
		return x.Set(elem, stamp)
	case *crdt.LWWMap:
		if r.IntN(4) == 0 {
			return x.Delete(elem, stamp)
		}
		return x.Set(elem, fmt.Sprint(seq), stamp)
	case *crdt.MVRegister:
		return x.Set(rep, fmt.Sprint(seq))
	}
	t.Fatalf("no operation for %T", s)
	return nil
}

// randomStates builds three replica states by random operations and
// random merges between them.
func randomStates(t *testing.T, typ crdt.Type, r *rand.Rand) []crdt.State {
	reps := make([]crdt.State, 3)
	for i := range reps {
		reps[i], _ = crdt.New(typ)
	}
	for k := 0; k < 30; k++ {
		i := r.IntN(3)
		if r.IntN(4) == 0 {
			must(t, reps[i].Merge(reps[r.IntN(3)].Clone()))
			continue
		}
		mutate(t, reps[i], fmt.Sprintf("r%d", i), k, r)
	}
	return reps
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func join(t *testing.T, a, b crdt.State) crdt.State {
	c := a.Clone()
	must(t, c.Merge(b))
	return c
}

// The lattice laws, on seeded random states of every type: merge is
// commutative, associative and idempotent (Shapiro et al. 2011, CvRDT).
func TestMergeIsASemilattice(t *testing.T) {
	for _, typ := range crdt.Types() {
		r := sim.Stream(1, "lattice/"+string(typ))
		for trial := 0; trial < 200; trial++ {
			s := randomStates(t, typ, r)
			a, b, c := s[0], s[1], s[2]
			if ab, ba := join(t, a, b), join(t, b, a); !ab.Equal(ba) {
				t.Fatalf("%s: not commutative:\n%v\n%v", typ, ab, ba)
			}
			if l, rr := join(t, join(t, a, b), c), join(t, a, join(t, b, c)); !l.Equal(rr) {
				t.Fatalf("%s: not associative:\n%v\n%v", typ, l, rr)
			}
			if aa := join(t, a, a); !aa.Equal(a) {
				t.Fatalf("%s: not idempotent:\n%v\n%v", typ, aa, a)
			}
			// Merge only grows: a is below a join b.
			if ab := join(t, a, b); !join(t, ab, a).Equal(ab) {
				t.Fatalf("%s: a join b does not include a", typ)
			}
		}
	}
}

// Merge only reads its argument: merging one state into several replicas
// and then changing them leaves it as it was. Gossip rounds rely on this
// to send one copy of a state to every peer.
func TestMergeDoesNotChangeOrKeepItsArgument(t *testing.T) {
	for _, typ := range crdt.Types() {
		r := sim.Stream(3, "argument/"+string(typ))
		for trial := 0; trial < 50; trial++ {
			s := randomStates(t, typ, r)
			msg := s[2]
			before := msg.String()
			for i, rep := range s[:2] {
				must(t, rep.Merge(msg))
				for k := 0; k < 5; k++ {
					mutate(t, rep, fmt.Sprintf("r%d", i), 100+k, r)
				}
			}
			if after := msg.String(); after != before {
				t.Fatalf("%s: merging changed the argument:\n%v\n%v", typ, before, after)
			}
		}
	}
}

// Any delivery order converges: replicas that receive the same deltas in
// different orders, with duplicates, end equal.
func TestAnyDeliveryOrderConverges(t *testing.T) {
	for _, typ := range crdt.Types() {
		r := sim.Stream(2, "order/"+string(typ))
		for trial := 0; trial < 100; trial++ {
			src := make([]crdt.State, 3)
			for i := range src {
				src[i], _ = crdt.New(typ)
			}
			var deltas []crdt.State
			for k := 0; k < 20; k++ {
				i := r.IntN(3)
				if r.IntN(5) == 0 { // a replica hears another before writing
					must(t, src[i].Merge(src[r.IntN(3)].Clone()))
				}
				deltas = append(deltas, mutate(t, src[i], fmt.Sprintf("r%d", i), k, r).Clone())
			}
			var finals []crdt.State
			for v := 0; v < 4; v++ {
				s, _ := crdt.New(typ)
				order := r.Perm(len(deltas))
				for _, k := range order {
					must(t, s.Merge(deltas[k]))
					if r.IntN(4) == 0 {
						must(t, s.Merge(deltas[k])) // a duplicate
					}
				}
				finals = append(finals, s)
			}
			for _, f := range finals[1:] {
				if !f.Equal(finals[0]) {
					t.Fatalf("%s: delivery order changed the result:\n%v\n%v", typ, f, finals[0])
				}
			}
			// The deltas carry the whole effect: merging them gives the
			// join of the sources.
			all, _ := crdt.New(typ)
			for _, s := range src {
				must(t, all.Merge(s))
			}
			if typ != crdt.NaiveSetType && !all.Equal(finals[0]) {
				t.Fatalf("%s: deltas lost an effect:\n%v\n%v", typ, all, finals[0])
			}
		}
	}
}

func TestMergeOfAnotherTypeIsAnError(t *testing.T) {
	if err := crdt.NewGSet().Merge(crdt.NewORSet()); err == nil {
		t.Fatal("merged an OR-Set into a G-Set")
	}
	if _, err := crdt.New("bag"); err == nil {
		t.Fatal("unknown type accepted")
	}
}

// A removed OR-Set element comes back only through an add its remove did
// not observe; the naive set brings it back by merging alone.
func TestORSetRemoveSticksNaiveSetDoesNot(t *testing.T) {
	a, b := crdt.NewORSet(), crdt.NewORSet()
	a.Add("milk", "a.1")
	must(t, b.Merge(a.Clone())) // b has seen the add
	a.Remove("milk")
	must(t, a.Merge(b.Clone())) // b's stale copy merges back
	if a.Has("milk") {
		t.Fatal("OR-Set: a removed element came back by merging")
	}
	b.Add("milk", "b.1") // a new add, not observed by the remove
	must(t, a.Merge(b.Clone()))
	if !a.Has("milk") || a.Tags("milk")[0] != "b.1" {
		t.Fatal("OR-Set: a concurrent add must win")
	}

	x, y := crdt.NewNaiveSet(), crdt.NewNaiveSet()
	x.Add("milk")
	must(t, y.Merge(x.Clone()))
	x.Remove("milk")
	must(t, x.Merge(y.Clone()))
	if !x.Has("milk") {
		t.Fatal("naive set: expected the removed element to come back")
	}
}

func TestMVRegisterKeepsConcurrentWrites(t *testing.T) {
	a, b := crdt.NewMVRegister(), crdt.NewMVRegister()
	a.Set("a", "x")
	b.Set("b", "y")
	must(t, a.Merge(b.Clone()))
	if fmt.Sprint(a.Values()) != "[x y]" {
		t.Fatalf("concurrent writes: %v", a.Values())
	}
	a.Set("a", "z") // supersedes both
	must(t, b.Merge(a.Clone()))
	if fmt.Sprint(b.Values()) != "[z]" {
		t.Fatalf("a later write: %v", b.Values())
	}
}
