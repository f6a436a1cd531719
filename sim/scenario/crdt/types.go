package crdt

import (
	"fmt"
	"sort"
	"strings"
)

// Type names a replicated data type.
type Type string

// The types. Elements and keys are strings, counter values int64.
const (
	GCounterType    Type = "g-counter"
	PNCounterType   Type = "pn-counter"
	GSetType        Type = "g-set"
	TwoPSetType     Type = "2p-set"
	ORSetType       Type = "or-set"
	LWWRegisterType Type = "lww-register"
	LWWMapType      Type = "lww-map"
	MVRegisterType  Type = "mv-register"
	NaiveSetType    Type = "naive-set"
)

// Types lists every type, the naive set last.
func Types() []Type {
	return []Type{GCounterType, PNCounterType, GSetType, TwoPSetType, ORSetType, LWWRegisterType, LWWMapType, MVRegisterType, NaiveSetType}
}

// State is a replica's state of a state-based CRDT. Merge is the lattice
// join: commutative, associative and idempotent, so replicas that have
// merged the same states hold equal states whatever the order. Mutations
// are methods of the concrete types; each returns a delta, a small state
// that merged anywhere has the mutation's effect (delta-state CRDTs).
type State interface {
	Type() Type
	// Merge joins other into the state. Other must be of the same type;
	// it is only read, never changed nor kept, so one copy of a state can
	// be merged into many replicas.
	Merge(other State) error
	// Clone returns a deep copy.
	Clone() State
	// Equal reports whether two states are the same lattice element.
	Equal(other State) bool
	// Value is what a user reads, as text: "7", "{a c}", "x".
	Value() string
	// Size is the state's size in bytes, in its canonical text form.
	Size() int
	// Tombstones counts the removal metadata the state keeps.
	Tombstones() int
	// String is the canonical text form: equal states print the same.
	String() string
}

// New returns the empty state of a type.
func New(t Type) (State, error) {
	switch t {
	case GCounterType:
		return NewGCounter(), nil
	case PNCounterType:
		return NewPNCounter(), nil
	case GSetType:
		return NewGSet(), nil
	case TwoPSetType:
		return NewTwoPSet(), nil
	case ORSetType:
		return NewORSet(), nil
	case LWWRegisterType:
		return NewLWWRegister(), nil
	case LWWMapType:
		return NewLWWMap(), nil
	case MVRegisterType:
		return NewMVRegister(), nil
	case NaiveSetType:
		return NewNaiveSet(), nil
	}
	return nil, fmt.Errorf("crdt: unknown type %q (want one of %v)", t, Types())
}

func mismatch(a, b State) error {
	return fmt.Errorf("crdt: cannot merge a %s into a %s", b.Type(), a.Type())
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func setText(m map[string]bool) string { return "{" + strings.Join(sortedKeys(m), " ") + "}" }

// ---- G-Counter ----

// GCounter is a grow-only counter: one count per replica, merged by
// maximum; the value is the sum.
type GCounter struct{ counts map[string]int64 }

func NewGCounter() *GCounter { return &GCounter{counts: map[string]int64{}} }

// Inc adds n >= 0 at replica and returns the delta.
func (g *GCounter) Inc(replica string, n int64) *GCounter {
	if n < 0 {
		n = 0
	}
	g.counts[replica] += n
	return &GCounter{counts: map[string]int64{replica: g.counts[replica]}}
}

func (g *GCounter) Total() int64 {
	var s int64
	for _, k := range sortedKeys(g.counts) {
		s += g.counts[k]
	}
	return s
}

func (g *GCounter) Type() Type { return GCounterType }
func (g *GCounter) Merge(o State) error {
	x, ok := o.(*GCounter)
	if !ok {
		return mismatch(g, o)
	}
	for k, v := range x.counts {
		g.counts[k] = max(g.counts[k], v)
	}
	return nil
}
func (g *GCounter) Clone() State {
	c := NewGCounter()
	for k, v := range g.counts {
		c.counts[k] = v
	}
	return c
}
func (g *GCounter) Equal(o State) bool { return o != nil && g.String() == o.String() }
func (g *GCounter) Value() string      { return fmt.Sprint(g.Total()) }
func (g *GCounter) Size() int          { return len(g.String()) }
func (g *GCounter) Tombstones() int    { return 0 }
func (g *GCounter) String() string {
	var parts []string
	for _, k := range sortedKeys(g.counts) {
		if g.counts[k] != 0 {
			parts = append(parts, fmt.Sprintf("%s:%d", k, g.counts[k]))
		}
	}
	return "G{" + strings.Join(parts, " ") + "}"
}

// ---- PN-Counter ----

// PNCounter counts up and down: two G-Counters, increments and decrements.
type PNCounter struct{ p, n *GCounter }

func NewPNCounter() *PNCounter { return &PNCounter{p: NewGCounter(), n: NewGCounter()} }

// Add adds n (negative to decrement) at replica and returns the delta.
func (c *PNCounter) Add(replica string, n int64) *PNCounter {
	d := &PNCounter{p: NewGCounter(), n: NewGCounter()}
	if n >= 0 {
		d.p = c.p.Inc(replica, n)
	} else {
		d.n = c.n.Inc(replica, -n)
	}
	return d
}

func (c *PNCounter) Total() int64 { return c.p.Total() - c.n.Total() }
func (c *PNCounter) Type() Type   { return PNCounterType }
func (c *PNCounter) Merge(o State) error {
	x, ok := o.(*PNCounter)
	if !ok {
		return mismatch(c, o)
	}
	c.p.Merge(x.p)
	c.n.Merge(x.n)
	return nil
}
func (c *PNCounter) Clone() State {
	return &PNCounter{p: c.p.Clone().(*GCounter), n: c.n.Clone().(*GCounter)}
}
func (c *PNCounter) Equal(o State) bool { return o != nil && c.String() == o.String() }
func (c *PNCounter) Value() string      { return fmt.Sprint(c.Total()) }
func (c *PNCounter) Size() int          { return len(c.String()) }
func (c *PNCounter) Tombstones() int    { return 0 }
func (c *PNCounter) String() string     { return "PN{+" + c.p.String() + " -" + c.n.String() + "}" }

// ---- G-Set ----

// GSet is a grow-only set: merge is union.
type GSet struct{ elems map[string]bool }

func NewGSet() *GSet { return &GSet{elems: map[string]bool{}} }

// Add adds e and returns the delta.
func (s *GSet) Add(e string) *GSet {
	s.elems[e] = true
	return &GSet{elems: map[string]bool{e: true}}
}

func (s *GSet) Has(e string) bool { return s.elems[e] }
func (s *GSet) Type() Type        { return GSetType }
func (s *GSet) Merge(o State) error {
	x, ok := o.(*GSet)
	if !ok {
		return mismatch(s, o)
	}
	for e := range x.elems {
		s.elems[e] = true
	}
	return nil
}
func (s *GSet) Clone() State {
	c := NewGSet()
	for e := range s.elems {
		c.elems[e] = true
	}
	return c
}
func (s *GSet) Equal(o State) bool { return o != nil && s.String() == o.String() }
func (s *GSet) Value() string      { return setText(s.elems) }
func (s *GSet) Size() int          { return len(s.String()) }
func (s *GSet) Tombstones() int    { return 0 }
func (s *GSet) String() string     { return "GS" + setText(s.elems) }

// ---- 2P-Set ----

// TwoPSet is a set of two G-Sets, added and removed (the tombstones). An
// element removed once can never be added again.
type TwoPSet struct{ added, removed *GSet }

func NewTwoPSet() *TwoPSet { return &TwoPSet{added: NewGSet(), removed: NewGSet()} }

// Add adds e (to no effect if e was ever removed) and returns the delta.
func (s *TwoPSet) Add(e string) *TwoPSet {
	return &TwoPSet{added: s.added.Add(e), removed: NewGSet()}
}

// Remove removes e if this replica has it, and returns the delta.
func (s *TwoPSet) Remove(e string) *TwoPSet {
	if !s.Has(e) {
		return NewTwoPSet()
	}
	return &TwoPSet{added: NewGSet(), removed: s.removed.Add(e)}
}

func (s *TwoPSet) Has(e string) bool { return s.added.Has(e) && !s.removed.Has(e) }
func (s *TwoPSet) Type() Type        { return TwoPSetType }
func (s *TwoPSet) Merge(o State) error {
	x, ok := o.(*TwoPSet)
	if !ok {
		return mismatch(s, o)
	}
	s.added.Merge(x.added)
	s.removed.Merge(x.removed)
	return nil
}
func (s *TwoPSet) Clone() State {
	return &TwoPSet{added: s.added.Clone().(*GSet), removed: s.removed.Clone().(*GSet)}
}
func (s *TwoPSet) Equal(o State) bool { return o != nil && s.String() == o.String() }
func (s *TwoPSet) Value() string {
	live := map[string]bool{}
	for e := range s.added.elems {
		if !s.removed.elems[e] {
			live[e] = true
		}
	}
	return setText(live)
}
func (s *TwoPSet) Size() int       { return len(s.String()) }
func (s *TwoPSet) Tombstones() int { return len(s.removed.elems) }
func (s *TwoPSet) String() string {
	return "2P{+" + setText(s.added.elems) + " -" + setText(s.removed.elems) + "}"
}

// ---- OR-Set ----

// ORSet is the observed-remove set: each add makes a unique tag; a remove
// tombstones the tags its replica has observed, so an add concurrent with
// a remove survives (add wins), and a removed element comes back only by a
// new add.
type ORSet struct {
	tags    map[string]map[string]bool // element -> tags added
	removed map[string]bool            // tags removed (tombstones)
}

func NewORSet() *ORSet { return &ORSet{tags: map[string]map[string]bool{}, removed: map[string]bool{}} }

// Add adds e with a tag unique in the whole system (the replica's name and
// a sequence number) and returns the delta.
func (s *ORSet) Add(e, tag string) *ORSet {
	if s.tags[e] == nil {
		s.tags[e] = map[string]bool{}
	}
	s.tags[e][tag] = true
	d := NewORSet()
	d.tags[e] = map[string]bool{tag: true}
	return d
}

// Remove tombstones every tag of e this replica has seen, and returns the
// delta.
func (s *ORSet) Remove(e string) *ORSet {
	d := NewORSet()
	for t := range s.tags[e] {
		if !s.removed[t] {
			s.removed[t] = true
			d.removed[t] = true
			if d.tags[e] == nil {
				d.tags[e] = map[string]bool{}
			}
			d.tags[e][t] = true
		}
	}
	return d
}

// Has reports whether e has a tag that is not removed.
func (s *ORSet) Has(e string) bool {
	for t := range s.tags[e] {
		if !s.removed[t] {
			return true
		}
	}
	return false
}

// Tags returns e's live tags, sorted.
func (s *ORSet) Tags(e string) []string {
	var out []string
	for _, t := range sortedKeys(s.tags[e]) {
		if !s.removed[t] {
			out = append(out, t)
		}
	}
	return out
}

func (s *ORSet) Type() Type { return ORSetType }
func (s *ORSet) Merge(o State) error {
	x, ok := o.(*ORSet)
	if !ok {
		return mismatch(s, o)
	}
	for e, ts := range x.tags {
		if s.tags[e] == nil {
			s.tags[e] = map[string]bool{}
		}
		for t := range ts {
			s.tags[e][t] = true
		}
	}
	for t := range x.removed {
		s.removed[t] = true
	}
	return nil
}
func (s *ORSet) Clone() State {
	c := NewORSet()
	c.Merge(s)
	return c
}
func (s *ORSet) Equal(o State) bool { return o != nil && s.String() == o.String() }
func (s *ORSet) Value() string {
	live := map[string]bool{}
	for e := range s.tags {
		if s.Has(e) {
			live[e] = true
		}
	}
	return setText(live)
}
func (s *ORSet) Size() int       { return len(s.String()) }
func (s *ORSet) Tombstones() int { return len(s.removed) }
func (s *ORSet) String() string {
	var parts []string
	for _, e := range sortedKeys(s.tags) {
		parts = append(parts, e+":"+setText(s.tags[e]))
	}
	return "OR{" + strings.Join(parts, " ") + " -" + setText(s.removed) + "}"
}

// ---- Naive set ----

// NaiveSet is what one writes first: a plain set per replica, merged by
// union. Remove deletes locally; the next merge with a replica that still
// has the element brings it back. It is a lattice (union), and wrong.
type NaiveSet struct{ elems map[string]bool }

func NewNaiveSet() *NaiveSet { return &NaiveSet{elems: map[string]bool{}} }

// Add adds e and returns the delta.
func (s *NaiveSet) Add(e string) *NaiveSet {
	s.elems[e] = true
	return &NaiveSet{elems: map[string]bool{e: true}}
}

// Remove deletes e here; the delta is empty, since union cannot remove.
func (s *NaiveSet) Remove(e string) *NaiveSet {
	delete(s.elems, e)
	return NewNaiveSet()
}

func (s *NaiveSet) Has(e string) bool { return s.elems[e] }
func (s *NaiveSet) Type() Type        { return NaiveSetType }
func (s *NaiveSet) Merge(o State) error {
	x, ok := o.(*NaiveSet)
	if !ok {
		return mismatch(s, o)
	}
	for e := range x.elems {
		s.elems[e] = true
	}
	return nil
}
func (s *NaiveSet) Clone() State {
	c := NewNaiveSet()
	c.Merge(s)
	return c
}
func (s *NaiveSet) Equal(o State) bool { return o != nil && s.String() == o.String() }
func (s *NaiveSet) Value() string      { return setText(s.elems) }
func (s *NaiveSet) Size() int          { return len(s.String()) }
func (s *NaiveSet) Tombstones() int    { return 0 }
func (s *NaiveSet) String() string     { return "NS" + setText(s.elems) }
