package sim

// The event queue is a binary min-heap of small value entries ordered by
// (at, seq). The callbacks live in a separate slab of slots, so the heap
// moves 24-byte keys around and never touches a func value while sifting.
// container/heap would box every entry in an interface (an allocation and an
// indirect call per comparison); this heap allocates nothing once its slices
// have grown to the model's working size.

// entry is one scheduled event as the heap sees it.
type entry struct {
	at   Time
	seq  uint64 // scheduling order breaks ties at equal times
	slot int32  // index into Sim.slots
}

// slot holds what the heap does not need to compare.
type slot struct {
	fn  func()
	pos int32  // index in the heap, or -1 when free, fired or cancelled
	gen uint32 // bumped on every reuse, so stale Timers cannot cancel a stranger
}

func (e *entry) less(o *entry) bool {
	return e.at < o.at || (e.at == o.at && e.seq < o.seq)
}

// place puts e at heap index i and tells its slot where it now is.
func (s *Sim) place(h []entry, i int, e entry) {
	h[i] = e
	s.slots[e.slot].pos = int32(i)
}

// push adds e and restores heap order. Cost: O(log n).
func (s *Sim) push(e entry) {
	s.heap = append(s.heap, e)
	s.up(len(s.heap) - 1)
}

// popMin removes and returns the earliest entry. Cost: O(log n).
func (s *Sim) popMin() entry {
	h := s.heap
	top := h[0]
	last := len(h) - 1
	if last > 0 {
		s.place(h, 0, h[last])
	}
	s.heap = h[:last]
	if last > 1 {
		s.down(0)
	}
	return top
}

// remove takes the entry at heap index i out. Cost: O(log n).
func (s *Sim) remove(i int) {
	h := s.heap
	last := len(h) - 1
	if i != last {
		s.place(h, i, h[last])
	}
	s.heap = h[:last]
	if i < last {
		if !s.down(i) {
			s.up(i)
		}
	}
}

func (s *Sim) up(i int) {
	h := s.heap
	e := h[i]
	for i > 0 {
		p := (i - 1) / 2
		if !e.less(&h[p]) {
			break
		}
		s.place(h, i, h[p])
		i = p
	}
	s.place(h, i, e)
}

// down sifts the entry at i towards the leaves and reports whether it moved.
func (s *Sim) down(i0 int) bool {
	h := s.heap
	n := len(h)
	i := i0
	e := h[i]
	for {
		c := 2*i + 1
		if c >= n {
			break
		}
		if r := c + 1; r < n && h[r].less(&h[c]) {
			c = r
		}
		if !h[c].less(&e) {
			break
		}
		s.place(h, i, h[c])
		i = c
	}
	s.place(h, i, e)
	return i > i0
}

// alloc returns a free slot index, growing the slab when none is free.
func (s *Sim) alloc(fn func()) int32 {
	var k int32
	if n := len(s.free); n > 0 {
		k = s.free[n-1]
		s.free = s.free[:n-1]
	} else {
		s.slots = append(s.slots, slot{pos: -1})
		k = int32(len(s.slots) - 1)
	}
	s.slots[k].fn = fn
	return k
}

// release returns slot k to the free list. The func is dropped so the slab
// does not keep a model's closures alive after they fired.
func (s *Sim) release(k int32) {
	sl := &s.slots[k]
	sl.fn = nil
	sl.pos = -1
	sl.gen++
	s.free = append(s.free, k)
}
