package lab

import (
	"fmt"
	"sort"
	"strconv"

	"dsim/sim"
)

// Store is a node's disk: a small key-value store that survives crashes.
// A write takes Test.WriteLatency to become durable, and writes become
// durable in the order they were made (one disk, no reordering). Get sees
// every write at once, durable or not, as a process sees its own page
// cache; a crash that loses memory also loses the writes not yet durable,
// and their done callbacks never run. A node that acknowledges something
// before its write is durable can lose it: that is what the latency is
// for.
type Store struct {
	e       *Env
	settle1 func() // settle, bound once so that a write allocates no closure
	durable map[string]string
	view    map[string]string // durable plus pending, what Get reads
	pending []write           // from head on: writes not yet durable, oldest first
	head    int
	last    sim.Time // when the last pending write becomes durable
	stale   int      // events still to come of writes a crash threw away
	bytes   int
}

type write struct {
	key, value string
	del        bool
	done       func()
}

// newStore returns node e's store, on the memory of an earlier one when
// m holds it (scratch).
func newStore(e *Env, m storeMem) *Store {
	if m.durable == nil {
		m = storeMem{durable: map[string]string{}, view: map[string]string{}}
	}
	s := &Store{e: e, durable: m.durable, view: m.view, pending: m.pending}
	s.settle1 = s.settle
	return s
}

// Get returns the value of key, and whether it is set.
func (s *Store) Get(key string) (string, bool) {
	v, ok := s.view[key]
	return v, ok
}

// Put sets key to value. done, when not nil, runs once the write is
// durable (a callback of the node, like a timer).
func (s *Store) Put(key, value string, done func()) {
	s.write(write{key: key, value: value, done: done})
}

// Delete removes key; done as for Put.
func (s *Store) Delete(key string, done func()) { s.write(write{key: key, del: true, done: done}) }

// Keys returns the keys set, in order.
func (s *Store) Keys() []string {
	keys := make([]string, 0, len(s.view))
	for k := range s.view {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Len is the number of keys set.
func (s *Store) Len() int { return len(s.view) }

func (s *Store) write(w write) {
	c := s.e.c
	old, had := s.view[w.key]
	size := s.bytes - len(old)
	if had {
		size -= len(w.key)
	}
	if !w.del {
		size += len(w.key) + len(w.value)
	}
	lim := c.t.Limits
	if !had && !w.del && len(s.view) >= lim.MaxStoreKeys {
		c.failNode(s.e, fmt.Errorf("%w: the store holds %d keys (Limits.MaxStoreKeys)", ErrLimit, len(s.view)))
		return
	}
	if size > lim.MaxStoreBytes {
		c.failNode(s.e, fmt.Errorf("%w: the store would hold %d bytes (Limits.MaxStoreBytes=%d)", ErrLimit, size, lim.MaxStoreBytes))
		return
	}
	s.bytes = size
	if w.del {
		delete(s.view, w.key)
	} else {
		s.view[w.key] = w.value
	}
	at := max(c.s.Now()+sim.FromDuration(c.t.WriteLatency), s.last)
	s.last = at
	if s.head > 0 && len(s.pending) == cap(s.pending) {
		// Full, with settled writes at the front: move the pending ones
		// down rather than grow, so that a queue that never empties
		// holds no more than twice what is pending.
		n := copy(s.pending, s.pending[s.head:])
		clear(s.pending[n:])
		s.pending, s.head = s.pending[:n], 0
	}
	s.pending = append(s.pending, w)
	c.s.At(at, s.settle1)
}

// settle makes the oldest pending write durable. The events of writes a
// crash threw away still come, always before those of later writes (they
// were scheduled earlier, for no later a time): stale counts them.
func (s *Store) settle() {
	if s.stale > 0 {
		s.stale--
		return
	}
	if s.head == len(s.pending) {
		return
	}
	w := s.pending[s.head]
	s.pending[s.head] = write{}
	if s.head++; s.head == len(s.pending) {
		// Empty again (writes settle in a millisecond): the queue starts
		// over at the front of its array instead of growing a new one.
		s.pending, s.head = s.pending[:0], 0
	}
	if w.del {
		delete(s.durable, w.key)
	} else {
		s.durable[w.key] = w.value
	}
	if w.done != nil {
		s.e.c.call(s.e, "store write done", w.done)
	}
}

// lose drops the writes not yet durable: the crash of a node that loses
// its memory.
func (s *Store) lose() {
	s.stale += len(s.pending) - s.head
	clear(s.pending)
	s.pending, s.head = s.pending[:0], 0
	s.last = 0
	clear(s.view)
	s.bytes = 0
	for k, v := range s.durable {
		s.view[k] = v
		s.bytes += len(k) + len(v)
	}
}

// PutInt is Put of a number, in decimal.
func (s *Store) PutInt(key string, v int64, done func()) { s.Put(key, strconv.FormatInt(v, 10), done) }

// GetInt reads a number PutInt wrote; false when the key is not set or
// does not hold a number.
func (s *Store) GetInt(key string) (int64, bool) {
	v, ok := s.view[key]
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseInt(v, 10, 64)
	return n, err == nil
}
