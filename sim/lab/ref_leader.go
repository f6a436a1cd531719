package lab

import (
	"strconv"
	"time"
)

// Leader is the node the leader-based reference nodes send everything to.
const Leader = "n0"

// forwardTimeout is how long a follower waits for the leader before it
// answers its client with an indefinite error (crash, 13).
const forwardTimeout = 500 * time.Millisecond

// forwarded is a client's request a follower passes to the leader.
type forwarded struct {
	Client string
	Req    Body
}

// leaderBase holds what the leader-based nodes share: forwarding to the
// leader, dropping requests seen twice (the network duplicates), and
// answering in an order that never shows what is not yet durable.
type leaderBase struct {
	seen map[string]bool // requests handled, "c1/17"
	last *pendingWrite   // the latest write not yet durable
}

type pendingWrite struct {
	done    bool
	waiters []func()
}

func (l *leaderBase) reset() {
	l.seen = map[string]bool{}
	l.last = nil
}

// first reports whether a request from client with id is new, and
// remembers it.
func (l *leaderBase) first(client string, id int64) bool {
	k := client + "/" + strconv.FormatInt(id, 10)
	if l.seen[k] {
		return false
	}
	l.seen[k] = true
	return true
}

// route handles a client's request on the leader (handle), or forwards it
// there from a follower, relaying the answer. It reports false for a
// request already seen.
func (l *leaderBase) route(e *Env, m Message, handle func(req Body, reply func(Body))) {
	if !l.first(m.Src, m.Body.MsgID) {
		return
	}
	if e.ID() == Leader {
		handle(m.Body, func(b Body) { e.Reply(m, b) })
		return
	}
	e.RPC(Leader, Body{Type: "forward", Data: forwarded{Client: m.Src, Req: m.Body}}, forwardTimeout, func(r Message, ok bool) {
		if !ok {
			e.Reply(m, ErrorBody(ErrCrash, "no answer from the leader"))
			return
		}
		b := r.Body
		b.MsgID = 0
		e.Reply(m, b)
	})
}

// forwardedTo handles a request a follower forwarded, on the leader.
func (l *leaderBase) forwardedTo(e *Env, m Message, handle func(req Body, reply func(Body))) {
	f := m.Body.Data.(forwarded)
	if !l.first(f.Client, f.Req.MsgID) {
		return
	}
	handle(f.Req, func(b Body) { e.Reply(m, b) })
}

// persist writes key and calls fn once the write is durable; reads
// answered after this wait for it.
func (l *leaderBase) persist(e *Env, key, value string, fn func()) {
	w := &pendingWrite{}
	l.last = w
	e.Store().Put(key, value, func() {
		w.done = true
		fn()
		for _, f := range w.waiters {
			f()
		}
	})
}

// afterWrites calls fn once every write made so far is durable: an answer
// computed from state that includes a write must not leave before the
// write is safe, or a crash could take back what a client saw.
func (l *leaderBase) afterWrites(fn func()) {
	if l.last == nil || l.last.done {
		fn()
		return
	}
	l.last.waiters = append(l.last.waiters, fn)
}

// LeaderKV is the reference lin-kv node: n0 (Leader) holds the data and
// serves every read, write and cas; the others forward to it. The leader
// writes each change to its store and answers once it is durable, and
// answers reads and failed cas only once every earlier write is durable.
// With followerReads set it is broken: the leader sends each change to
// the followers without waiting, and followers answer reads from their
// own copy, which lags, so a read can miss a write that was already
// acknowledged.
type LeaderKV struct {
	leaderBase
	followerReads bool
	values        map[string]int64
}

// NewLeaderKV returns the reference lin-kv node, broken with followerReads.
func NewLeaderKV(followerReads bool) *LeaderKV { return &LeaderKV{followerReads: followerReads} }

func (k *LeaderKV) Start(e *Env) {
	k.reset()
	k.values = map[string]int64{}
	for _, key := range e.Store().Keys() {
		if v, ok := e.Store().GetInt(key); ok && len(key) > 2 && key[:2] == "k/" {
			k.values[key[2:]] = v
		}
	}
}

func (k *LeaderKV) Receive(e *Env, m Message) {
	switch m.Body.Type {
	case "read":
		if k.followerReads && e.ID() != Leader {
			e.Reply(m, k.read(m.Body.Key))
			return
		}
		k.route(e, m, func(req Body, reply func(Body)) { k.handle(e, req, reply) })
	case "write", "cas":
		k.route(e, m, func(req Body, reply func(Body)) { k.handle(e, req, reply) })
	case "forward":
		k.forwardedTo(e, m, func(req Body, reply func(Body)) { k.handle(e, req, reply) })
	case "replicate":
		k.values[m.Body.Key] = m.Body.Value
	}
}

func (k *LeaderKV) read(key string) Body {
	v, ok := k.values[key]
	if !ok {
		return ErrorBody(ErrKeyDoesNotExist, "no such key")
	}
	return Body{Type: "read_ok", Value: v}
}

// handle serves a request on the leader.
func (k *LeaderKV) handle(e *Env, req Body, reply func(Body)) {
	key := req.Key
	switch req.Type {
	case "read":
		b := k.read(key)
		k.afterWrites(func() { reply(b) })
	case "write":
		k.set(e, key, req.Value, func() { reply(Body{Type: "write_ok"}) })
	case "cas":
		cur, ok := k.values[key]
		switch {
		case !ok:
			k.afterWrites(func() { reply(ErrorBody(ErrKeyDoesNotExist, "no such key")) })
		case cur != req.From:
			k.afterWrites(func() {
				reply(ErrorBody(ErrPreconditionFailed, "expected "+strconv.FormatInt(req.From, 10)+", had "+strconv.FormatInt(cur, 10)))
			})
		default:
			k.set(e, key, req.To, func() { reply(Body{Type: "cas_ok"}) })
		}
	}
}

func (k *LeaderKV) set(e *Env, key string, v int64, done func()) {
	k.values[key] = v
	k.persist(e, "k/"+key, strconv.FormatInt(v, 10), func() {
		if k.followerReads {
			for _, n := range e.Nodes() {
				if n != e.ID() {
					e.Send(n, Body{Type: "replicate", Key: key, Value: v})
				}
			}
		}
		done()
	})
}
