package service

import "dsim/sim"

// status is how a call ended, as its caller learns it.
type status uint8

const (
	pending  status = iota
	ok              // answered with success
	failed          // answered with an error: a dependency failed, a breaker refused, a crash reset it
	rejected        // turned away before any work: a full queue, deadline admission, a server down
	dropped         // abandoned work discarded unserved; nobody is waiting for the answer
	lost            // a hop lost it and its timeout noticed
)

// call is one request as one component hands it to another. The sender
// makes it and keeps it alive; the receiver holds it until it answers,
// once, through answer; then the sender releases it to the system's pool.
// Each hop makes a child call whose parent is the call it serves, so the
// chain from a server back to the client that started it is a walk up
// parent pointers.
//
// Fields come in two groups. The sender sets the request's identity
// (parent, from, key, deadline, expires). The receiver keeps its own state
// in the held fields while it holds the call, and uses the call's one
// timer: a call is held by one component at a time, so neither group is
// ever written by two components at once.
type call struct {
	sys    *System
	parent *call  // the call this one serves; nil for a root or a detached call
	from   caller // answered when the receiver is done
	gen    uint32 // bumped on every reuse, so stale references can tell
	status status
	gaveUp bool // the sender stopped waiting and detached it
	write  bool // a write of key, not a read
	key    uint64
	tag    int32  // the sender's own mark (a closed-loop user's index, a cache's kind of fetch)
	ver    uint32 // the version of key the sender read
	// start is when the call reached its holder; deadline the earliest
	// time any caller above still waits for it (sim.MaxTime when none).
	start, deadline sim.Time
	// expires is the sender's own timeout for it (a client's attempt).
	expires sim.Time

	// Held state, the receiver's.
	began  sim.Time // when its work began (a server's slot, a pool's connection)
	n      int32    // a counter: a client's tries, a server's next dependency, a balancer's choice
	live   int32    // a client's attempts out for it
	delay  sim.Time // a client's last backoff
	slot   int32    // a server's index in its in-service list
	a1, a2 *call    // a client's attempts out for it
	next   *call    // a cache's chain of calls waiting for one fetch
	msg    int64    // a hop's message on the network, to tell a stale delivery
	pub    uint32   // a root call's first message at a broker, plus one: its retries publish copies of it

	owner timed     // who fire calls back
	timer sim.Timer // the pending timer, if any
	fire  func()    // the method value c.onFire, made once per call object
}

// caller is a component that sends calls and takes their answers.
type caller interface {
	answered(c *call)
}

// node is a component that takes calls.
type node interface {
	accept(c *call)
	// up reports whether it takes calls now (a crashed server does not);
	// a balancer skips those that do not.
	up() bool
}

// timed is a component that sets a call's timer.
type timed interface {
	fired(c *call)
}

func (c *call) onFire() { c.owner.fired(c) }

// after sets c's one timer to call owner.fired(c) in d. Cost: O(log n)
// in pending events, no allocation.
func (c *call) after(owner timed, d sim.Time) {
	c.owner = owner
	c.timer = c.sys.sim.After(d, c.fire)
}

// answer ends the receiver's hold on c. The receiver must not touch c
// afterwards: its sender may release it at once.
func (c *call) answer(st status) {
	c.status = st
	c.owner = nil
	c.from.answered(c)
}

// abandoned reports whether nobody waits for c any more: it or a call it
// serves was given up on. Cost: the depth of the chain, a few steps.
func (c *call) abandoned() bool {
	for p := c; p != nil; p = p.parent {
		if p.gaveUp {
			return true
		}
	}
	return false
}

// abandon detaches c from the call it served: its sender stopped waiting,
// and the parent may now end and be reused while c is still held below.
func (c *call) abandon() {
	c.gaveUp = true
	c.parent = nil
}

// newCall takes a call from the pool for a sender: a child of parent (nil
// for a root), answered to from. It inherits the parent's key, kind and
// deadline. A run that would hold more than Config.MaxCalls at once stops
// with a LimitError; the call is still returned, so the event that asked
// for it ends normally.
func (s *System) newCall(parent *call, from caller) *call {
	var c *call
	if n := len(s.free); n > 0 {
		c = s.free[n-1]
		s.free = s.free[:n-1]
	} else {
		c = &call{sys: s}
		c.fire = c.onFire
	}
	s.live++
	if s.live > s.maxCalls {
		s.overLimit()
	}
	c.gen++
	c.parent, c.from = parent, from
	c.status, c.gaveUp = pending, false
	c.start, c.expires = s.sim.Now(), sim.MaxTime
	if parent != nil {
		c.key, c.write, c.deadline = parent.key, parent.write, parent.deadline
	} else {
		c.key, c.write, c.deadline = 0, false, sim.MaxTime
	}
	c.n, c.live, c.delay = 0, 0, 0
	c.a1, c.a2, c.next, c.msg, c.pub = nil, nil, nil, 0, 0
	return c
}

// release returns c to the pool. Only its sender releases it, after the
// answer (or, for a detached call, when the answer comes).
func (s *System) release(c *call) {
	c.parent, c.from, c.owner = nil, nil, nil
	c.a1, c.a2, c.next = nil, nil, nil
	s.live--
	s.free = append(s.free, c)
}

// ring is a growable ring buffer: pushed at the back, taken from the front
// (FIFO) or the back (LIFO).
type ring[T any] struct {
	buf        []T
	head, size int
}

func (q *ring[T]) push(v T) {
	if q.size == len(q.buf) {
		n := make([]T, max(16, 2*len(q.buf)))
		for i := 0; i < q.size; i++ {
			n[i] = q.buf[(q.head+i)%len(q.buf)]
		}
		q.buf, q.head = n, 0
	}
	q.buf[(q.head+q.size)%len(q.buf)] = v
	q.size++
}

func (q *ring[T]) front() T { return q.buf[q.head] }

// at is the i-th element from the front.
func (q *ring[T]) at(i int) T { return q.buf[(q.head+i)%len(q.buf)] }

func (q *ring[T]) pop() T { return q.take(false) }

// take removes the front (FIFO) or the back (LIFO) element.
func (q *ring[T]) take(back bool) T {
	var zero T
	i := q.head
	if back {
		i = (q.head + q.size - 1) % len(q.buf)
	} else {
		q.head = (q.head + 1) % len(q.buf)
	}
	v := q.buf[i]
	q.buf[i] = zero
	q.size--
	return v
}
