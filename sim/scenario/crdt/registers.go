package crdt

import (
	"fmt"
	"sort"
	"strings"
)

// Stamp orders LWW writes: a replica's local clock reading, ties broken
// by replica name. Skewed clocks reorder writes against real time.
type Stamp struct {
	Clock   int64 // the writer's local clock, ns
	Replica string
}

// Less orders stamps.
func (s Stamp) Less(o Stamp) bool {
	return s.Clock < o.Clock || s.Clock == o.Clock && s.Replica < o.Replica
}

func (s Stamp) String() string { return fmt.Sprintf("%d@%s", s.Clock, s.Replica) }

// ---- LWW-Register ----

// LWWRegister holds one value; the write with the greatest stamp wins.
type LWWRegister struct {
	value string
	stamp Stamp
	set   bool
}

// NewLWWRegister returns an empty register.
func NewLWWRegister() *LWWRegister { return &LWWRegister{} }

// Set writes v with the stamp and returns the delta. A write whose stamp
// is older than the register's is acknowledged and lost.
func (r *LWWRegister) Set(v string, st Stamp) *LWWRegister {
	d := &LWWRegister{value: v, stamp: st, set: true}
	r.Merge(d)
	return d
}

// Stamp returns the winning write's stamp.
func (r *LWWRegister) Stamp() Stamp { return r.stamp }

func (r *LWWRegister) Type() Type { return LWWRegisterType }
func (r *LWWRegister) Merge(o State) error {
	x, ok := o.(*LWWRegister)
	if !ok {
		return mismatch(r, o)
	}
	// Equal stamps with different values only come from one replica
	// writing twice at one clock reading; the value breaks the tie so
	// that merge stays commutative.
	if x.set && (!r.set || r.stamp.Less(x.stamp) || r.stamp == x.stamp && r.value < x.value) {
		*r = *x
	}
	return nil
}
func (r *LWWRegister) Clone() State       { c := *r; return &c }
func (r *LWWRegister) Equal(o State) bool { return o != nil && r.String() == o.String() }
func (r *LWWRegister) Value() string      { return r.value }
func (r *LWWRegister) Size() int          { return len(r.String()) }
func (r *LWWRegister) Tombstones() int    { return 0 }
func (r *LWWRegister) String() string {
	if !r.set {
		return "LWW{}"
	}
	return fmt.Sprintf("LWW{%s %s}", r.value, r.stamp)
}

// ---- LWW-Map ----

// LWWMap maps keys to LWW registers; a delete is a write of a tombstone.
type LWWMap struct{ entries map[string]*lwwEntry }

type lwwEntry struct {
	value   string
	stamp   Stamp
	deleted bool
}

// key orders entries with equal stamps, so merge stays commutative.
func (e *lwwEntry) key() string { return fmt.Sprint(e.deleted, e.value) }

// NewLWWMap returns an empty map.
func NewLWWMap() *LWWMap { return &LWWMap{entries: map[string]*lwwEntry{}} }

// Set writes key=v with the stamp and returns the delta.
func (m *LWWMap) Set(key, v string, st Stamp) *LWWMap {
	d := NewLWWMap()
	d.entries[key] = &lwwEntry{value: v, stamp: st}
	m.Merge(d)
	return d
}

// Delete writes a tombstone for key and returns the delta.
func (m *LWWMap) Delete(key string, st Stamp) *LWWMap {
	d := NewLWWMap()
	d.entries[key] = &lwwEntry{stamp: st, deleted: true}
	m.Merge(d)
	return d
}

// Get returns key's value and whether it is set.
func (m *LWWMap) Get(key string) (string, bool) {
	e := m.entries[key]
	if e == nil || e.deleted {
		return "", false
	}
	return e.value, true
}

// KeyStamp returns the stamp of key's winning write.
func (m *LWWMap) KeyStamp(key string) Stamp {
	if e := m.entries[key]; e != nil {
		return e.stamp
	}
	return Stamp{}
}

func (m *LWWMap) Type() Type { return LWWMapType }
func (m *LWWMap) Merge(o State) error {
	x, ok := o.(*LWWMap)
	if !ok {
		return mismatch(m, o)
	}
	for k, e := range x.entries {
		if cur := m.entries[k]; cur == nil || cur.stamp.Less(e.stamp) || cur.stamp == e.stamp && cur.key() < e.key() {
			c := *e
			m.entries[k] = &c
		}
	}
	return nil
}
func (m *LWWMap) Clone() State {
	c := NewLWWMap()
	c.Merge(m)
	return c
}
func (m *LWWMap) Equal(o State) bool { return o != nil && m.String() == o.String() }
func (m *LWWMap) Value() string {
	var parts []string
	for _, k := range sortedKeys(m.entries) {
		if e := m.entries[k]; !e.deleted {
			parts = append(parts, k+"="+e.value)
		}
	}
	return "{" + strings.Join(parts, " ") + "}"
}
func (m *LWWMap) Size() int { return len(m.String()) }
func (m *LWWMap) Tombstones() int {
	n := 0
	for _, e := range m.entries {
		if e.deleted {
			n++
		}
	}
	return n
}
func (m *LWWMap) String() string {
	var parts []string
	for _, k := range sortedKeys(m.entries) {
		e := m.entries[k]
		v := e.value
		if e.deleted {
			v = "†"
		}
		parts = append(parts, fmt.Sprintf("%s=%s@%s", k, v, e.stamp))
	}
	return "LM{" + strings.Join(parts, " ") + "}"
}

// ---- MV-Register ----

// MVRegister keeps every concurrent write: each value carries a version
// vector, a write supersedes the values its replica has seen, and a merge
// keeps the values no other value dominates. Concurrent writes show as
// several values, for the application to resolve.
type MVRegister struct{ vals []mvValue }

type mvValue struct {
	value string
	vv    map[string]int64
}

// NewMVRegister returns an empty register.
func NewMVRegister() *MVRegister { return &MVRegister{} }

// Set writes v at replica, superseding what the replica holds, and returns
// the delta.
func (r *MVRegister) Set(replica, v string) *MVRegister {
	vv := map[string]int64{}
	for _, x := range r.vals {
		for k, n := range x.vv {
			vv[k] = max(vv[k], n)
		}
	}
	vv[replica]++
	r.vals = []mvValue{{value: v, vv: vv}}
	return &MVRegister{vals: []mvValue{{value: v, vv: copyVV(vv)}}}
}

// Values returns the concurrent values, sorted.
func (r *MVRegister) Values() []string {
	var out []string
	for _, x := range r.vals {
		out = append(out, x.value)
	}
	sort.Strings(out)
	return out
}

func copyVV(vv map[string]int64) map[string]int64 {
	c := make(map[string]int64, len(vv))
	for k, n := range vv {
		c[k] = n
	}
	return c
}

// dominates reports a >= b in every entry and a != b.
func dominates(a, b map[string]int64) bool {
	strict := false
	for k, n := range b {
		if a[k] < n {
			return false
		}
		if a[k] > n {
			strict = true
		}
	}
	for k, n := range a {
		if _, ok := b[k]; !ok && n > 0 {
			strict = true
		}
	}
	return strict
}

func vvText(vv map[string]int64) string {
	var parts []string
	for _, k := range sortedKeys(vv) {
		parts = append(parts, fmt.Sprintf("%s:%d", k, vv[k]))
	}
	return "[" + strings.Join(parts, " ") + "]"
}

func (r *MVRegister) Type() Type { return MVRegisterType }
func (r *MVRegister) Merge(o State) error {
	x, ok := o.(*MVRegister)
	if !ok {
		return mismatch(r, o)
	}
	all := append(append([]mvValue(nil), r.vals...), x.vals...)
	var keep []mvValue
	seen := map[string]bool{}
	for i, a := range all {
		dominated := false
		for j, b := range all {
			if i != j && dominates(b.vv, a.vv) {
				dominated = true
				break
			}
		}
		key := a.value + vvText(a.vv)
		if !dominated && !seen[key] {
			seen[key] = true
			keep = append(keep, mvValue{value: a.value, vv: copyVV(a.vv)})
		}
	}
	sort.Slice(keep, func(i, j int) bool {
		return keep[i].value+vvText(keep[i].vv) < keep[j].value+vvText(keep[j].vv)
	})
	r.vals = keep
	return nil
}
func (r *MVRegister) Clone() State {
	c := &MVRegister{}
	for _, x := range r.vals {
		c.vals = append(c.vals, mvValue{value: x.value, vv: copyVV(x.vv)})
	}
	return c
}
func (r *MVRegister) Equal(o State) bool { return o != nil && r.String() == o.String() }
func (r *MVRegister) Value() string      { return "{" + strings.Join(r.Values(), " ") + "}" }
func (r *MVRegister) Size() int          { return len(r.String()) }
func (r *MVRegister) Tombstones() int    { return 0 }
func (r *MVRegister) String() string {
	var parts []string
	for _, x := range r.vals {
		parts = append(parts, x.value+vvText(x.vv))
	}
	sort.Strings(parts)
	return "MV{" + strings.Join(parts, " ") + "}"
}
