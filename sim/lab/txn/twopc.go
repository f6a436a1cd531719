package txn

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"dsim/sim/lab"
)

// twoPCNode is a bank node running two-phase commit. Every node is a
// participant for the accounts it owns and the coordinator of the
// requests its clients send it.
//
// Coordinator: a transfer asks each participant it touches to prepare
// its change; a read asks every participant to prepare a read (a lock on
// all its accounts, changing nothing). All yes: a transfer's decision is
// written durably, then the client is answered and the participants told
// to commit, again and again until each acknowledges; a read is answered
// with the balances the participants locked, then released. Any no, or
// no answer within Timeout: everyone is told to abort (no decision is
// written: a coordinator with no decision on its disk answers "abort",
// the presumed-abort rule) and the client gets a definite error.
//
// Participant: a prepare is refused if another transaction holds one of
// its accounts (txn-conflict; reads share their locks with other reads) or the debit would overdraw (precondition
// failed); otherwise the accounts are locked and the prepare written
// durably before the yes goes back. From then on the participant cannot
// decide alone: it keeps its locks, through its own crashes, until the
// coordinator's decision reaches it, and asks the coordinator every
// Retry. That wait is 2PC's blocking.
type twoPCNode struct {
	cfg Config
	c   cluster
	led ledger
	// participant
	locks  map[int]string           // account -> the transfer holding it
	shared map[int]map[string]bool  // account -> the reads holding it
	since  map[string]time.Duration // prepared transaction -> when (own clock)
	asking map[string]bool          // decisions asked for and not yet answered
	// coordinator
	seen    map[string]bool            // client requests handled
	voting  map[string]bool            // transactions still deciding
	decided map[string]map[string]bool // durable commits -> participants yet to acknowledge
}

type prepareReq struct {
	Tx   string
	Ops  []op
	Read bool
}

type vote struct {
	Yes  bool
	Code int
	Bal  map[string]int64
}

func (n *twoPCNode) Start(e *lab.Env) {
	n.c = newCluster(e, n.cfg)
	n.led = load(e)
	n.locks, n.shared = map[int]string{}, map[int]map[string]bool{}
	n.since, n.asking = map[string]time.Duration{}, map[string]bool{}
	n.seen, n.voting, n.decided = map[string]bool{}, map[string]bool{}, map[string]map[string]bool{}
	for _, tx := range slices.Sorted(maps.Keys(n.led.prep)) {
		n.lock(tx, n.led.prep[tx])
		n.since[tx] = e.Now()
	}
	for _, k := range e.Store().Keys() {
		if tx, ok := strings.CutPrefix(k, "dec/"); ok {
			v, _ := e.Store().Get(k)
			n.decided[tx] = map[string]bool{}
			for _, p := range strings.Split(v, ",") {
				n.decided[tx][p] = true
			}
		}
	}
	e.Every(n.cfg.Retry, func() { n.tick(e) })
}

func (n *twoPCNode) Receive(e *lab.Env, m lab.Message) {
	switch m.Body.Type {
	case "transfer", "read":
		key := m.Src + "/" + fmt.Sprint(m.Body.MsgID)
		if n.seen[key] {
			return // the network's second copy
		}
		n.seen[key] = true
		n.coordinate(e, m)
	case "prepare":
		n.prepare(e, m)
	case "commit", "abort":
		n.finish(e, m.Body.Data.(string), m.Body.Type == "commit", func() { e.Reply(m, lab.Body{Type: "ack"}) })
	case "status":
		e.Reply(m, lab.Body{Type: "decision", Data: n.status(m.Body.Data.(string))})
	}
}

// coordinate runs the first phase for a client's request.
func (n *twoPCNode) coordinate(e *lab.Env, m lab.Message) {
	tx := fmt.Sprintf("%s/%s/%d", e.ID(), m.Src, m.Body.MsgID)
	read := m.Body.Type == "read"
	plan := map[string][]op{}
	if read {
		for _, p := range n.c.holders() {
			plan[p] = nil
		}
	} else {
		from, to := int(m.Body.From), int(m.Body.To)
		if from < 0 || to < 0 || from >= n.cfg.Accounts || to >= n.cfg.Accounts || from == to || m.Body.Amount <= 0 {
			e.Reply(m, lab.ErrorBody(lab.ErrMalformedRequest, "a transfer needs two different accounts and a positive amount"))
			return
		}
		plan[n.c.owner(from)] = append(plan[n.c.owner(from)], op{from, -m.Body.Amount})
		plan[n.c.owner(to)] = append(plan[n.c.owner(to)], op{to, m.Body.Amount})
	}
	parts := slices.Sorted(maps.Keys(plan))
	n.voting[tx] = true
	left, failed, bal := len(parts), false, map[string]int64{}
	for _, p := range parts {
		e.RPC(p, lab.Body{Type: "prepare", Data: prepareReq{Tx: tx, Ops: plan[p], Read: read}}, n.cfg.Timeout, func(r lab.Message, ok bool) {
			if failed {
				return
			}
			v, _ := r.Body.Data.(vote)
			if !ok || !v.Yes {
				failed = true
				delete(n.voting, tx)
				if !read {
					e.Observe(Report{Kind: Decided, Tx: tx, Abort: true})
				}
				for _, q := range parts {
					e.Send(q, lab.Body{Type: "abort", Data: tx})
				}
				e.Reply(m, refusal(ok, v.Code))
				return
			}
			for k, x := range v.Bal {
				bal[k] = x
			}
			if left--; left > 0 {
				return
			}
			if read {
				delete(n.voting, tx)
				e.Reply(m, lab.Body{Type: "read_ok", Balances: bal})
				for _, q := range parts {
					e.Send(q, lab.Body{Type: "abort", Data: tx})
				}
				return
			}
			n.commit(e, m, tx, parts)
		})
	}
}

func refusal(answered bool, code int) lab.Body {
	switch {
	case !answered:
		return lab.ErrorBody(lab.ErrAbort, "a participant did not vote in time: aborted")
	case code == lab.ErrPreconditionFailed:
		return lab.ErrorBody(code, "the transfer would overdraw its source: aborted")
	}
	return lab.ErrorBody(lab.ErrTxnConflict, "another transaction holds an account: aborted")
}

// commit writes the decision, then answers the client and tells the
// participants.
func (n *twoPCNode) commit(e *lab.Env, m lab.Message, tx string, parts []string) {
	e.Store().Put("dec/"+tx, strings.Join(parts, ","), func() {
		delete(n.voting, tx)
		n.decided[tx] = map[string]bool{}
		for _, p := range parts {
			n.decided[tx][p] = true
		}
		e.Observe(Report{Kind: Decided, Tx: tx})
		e.Reply(m, lab.Body{Type: "transfer_ok"})
		n.sendDecision(e, tx)
	})
}

// sendDecision tells the participants that have not acknowledged a
// commit; the last acknowledgement deletes the decision.
func (n *twoPCNode) sendDecision(e *lab.Env, tx string) {
	for _, p := range slices.Sorted(maps.Keys(n.decided[tx])) {
		e.RPC(p, lab.Body{Type: "commit", Data: tx}, n.cfg.Timeout, func(_ lab.Message, ok bool) {
			left, open := n.decided[tx]
			if !ok || !open || !left[p] {
				return
			}
			delete(left, p)
			if len(left) == 0 {
				delete(n.decided, tx)
				e.Store().Delete("dec/"+tx, nil)
			}
		})
	}
}

// status is the coordinator's answer to a participant asking for tx's
// decision: commit once it is durable, wait while it is being decided,
// and otherwise abort (presumed abort: this node never wrote a commit).
func (n *twoPCNode) status(tx string) string {
	switch {
	case n.decided[tx] != nil:
		return "commit"
	case n.voting[tx]:
		return "wait"
	}
	return "abort"
}

// prepare is a participant's vote.
func (n *twoPCNode) prepare(e *lab.Env, m lab.Message) {
	req := m.Body.Data.(prepareReq)
	no := func(code int) { e.Reply(m, lab.Body{Type: "vote", Data: vote{Code: code}}) }
	if _, again := n.led.prep[req.Tx]; again {
		n.led.again(e, req.Tx, func() { e.Reply(m, lab.Body{Type: "vote", Data: n.yes(req)}) })
		return
	}
	if _, over := n.led.done[req.Tx]; over {
		no(lab.ErrAbort)
		return
	}
	p := prepared{Ops: req.Ops, Read: req.Read}
	for _, a := range n.touched(p) {
		if _, held := n.locks[a]; held || !p.Read && len(n.shared[a]) > 0 {
			no(lab.ErrTxnConflict)
			return
		}
	}
	for _, o := range req.Ops {
		if n.led.balance(o.Acct)+o.Delta < 0 {
			no(lab.ErrPreconditionFailed)
			return
		}
	}
	n.lock(req.Tx, p)
	n.led.prep[req.Tx] = p
	n.since[req.Tx] = e.Now()
	n.led.record(e, req.Tx, entry{State: statePrepared, Ops: p.Ops, Read: p.Read}, func() {
		if _, still := n.led.prep[req.Tx]; still { // not aborted while it was written
			e.Observe(Report{Kind: Prepared, Tx: req.Tx, Read: req.Read})
		}
		e.Reply(m, lab.Body{Type: "vote", Data: n.yes(req)})
	})
}

func (n *twoPCNode) yes(req prepareReq) vote {
	v := vote{Yes: true}
	if req.Read {
		v.Bal = n.c.balances(&n.led)
	}
	return v
}

// touched lists the accounts a prepared transaction locks: a read, all of
// this node's.
func (n *twoPCNode) touched(p prepared) []int {
	if p.Read {
		return n.c.mine()
	}
	out := make([]int, len(p.Ops))
	for i, o := range p.Ops {
		out[i] = o.Acct
	}
	return out
}

// lock takes a transfer's accounts for it alone, or a read's shared
// with other reads: reads never conflict with each other.
func (n *twoPCNode) lock(tx string, p prepared) {
	for _, a := range n.touched(p) {
		if !p.Read {
			n.locks[a] = tx
			continue
		}
		if n.shared[a] == nil {
			n.shared[a] = map[string]bool{}
		}
		n.shared[a][tx] = true
	}
}

func (n *twoPCNode) unlock(tx string, p prepared) {
	for _, a := range n.touched(p) {
		if n.locks[a] == tx {
			delete(n.locks, a)
		}
		if delete(n.shared[a], tx); len(n.shared[a]) == 0 {
			delete(n.shared, a)
		}
	}
}

// finish applies (commit) or drops (abort) a prepared transaction, then
// runs done once that is durable. A transaction not prepared here (seen
// through already, or never prepared) is acknowledged as it stands.
func (n *twoPCNode) finish(e *lab.Env, tx string, commit bool, done func()) {
	p, ok := n.led.prep[tx]
	if !ok {
		if _, over := n.led.done[tx]; !over && !commit {
			n.led.done[tx] = false // a prepare that comes after its abort is refused
			n.led.record(e, tx, entry{State: stateAborted}, done)
			return
		}
		n.led.again(e, tx, done)
		return
	}
	delete(n.led.prep, tx)
	delete(n.since, tx)
	n.unlock(tx, p)
	switch {
	case p.Read:
		e.Observe(Report{Kind: Aborted, Tx: tx, Read: true})
		n.led.forget(e, tx, done)
	case commit:
		n.led.apply(p.Ops)
		n.led.done[tx] = true
		e.Observe(Report{Kind: Committed, Tx: tx})
		n.led.record(e, tx, entry{State: stateCommitted, Ops: p.Ops}, done)
	default:
		n.led.done[tx] = false
		e.Observe(Report{Kind: Aborted, Tx: tx})
		n.led.record(e, tx, entry{State: stateAborted}, done)
	}
}

// tick resends unacknowledged decisions and asks the coordinators of
// transactions prepared here for a while what they decided.
func (n *twoPCNode) tick(e *lab.Env) {
	for _, tx := range slices.Sorted(maps.Keys(n.decided)) {
		n.sendDecision(e, tx)
	}
	now := e.Now()
	for _, tx := range slices.Sorted(maps.Keys(n.since)) {
		if n.asking[tx] || now-n.since[tx] < n.cfg.Timeout {
			continue
		}
		n.asking[tx] = true
		coord, _, _ := strings.Cut(tx, "/")
		e.RPC(coord, lab.Body{Type: "status", Data: tx}, n.cfg.Timeout, func(r lab.Message, ok bool) {
			delete(n.asking, tx)
			if d, _ := r.Body.Data.(string); ok && d != "wait" {
				n.finish(e, tx, d == "commit", func() {})
			}
		})
	}
}
