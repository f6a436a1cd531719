package txn

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"dsim/sim/lab"
)

// sagaNode is a bank node running each transfer as a saga. Every node
// owns some accounts and runs the sagas of the requests its clients send
// it.
//
// A saga writes its plan to a durable log, then asks the source's owner
// to debit, and once that is done the destination's owner to credit,
// each step asked again every Retry until it is answered. A refused debit
// (it would overdraw) ends the saga with nothing done. A refused credit
// (it would take the account over CreditLimit) starts the compensation: a
// refund to the source, which can itself be refused while the source is
// full, and is then asked again until it goes through. No account is ever
// locked, so nothing waits on a crashed coordinator but its own sagas,
// and a reader can see the money while it is in flight: gone from the
// source and not yet at the destination.
//
// Each step has a name (the saga's id and the step), and a participant
// keeps the answer it gave to each in its ledger, so a step asked twice,
// or a first request that arrives after the second, gets the same answer
// and changes the balance once.
type sagaNode struct {
	cfg     Config
	c       cluster
	led     ledger
	seen    map[string]bool
	running map[string]*sagaRun
}

// sagaLog is a saga's durable record at its coordinator.
type sagaLog struct {
	From, To int
	Amount   int64
	Stage    string // "debit", "credit" or "refund"
}

type sagaRun struct {
	tx    string
	log   sagaLog
	reply func(lab.Body) // the client's answer; nil for a saga resumed after a crash
}

type stepReq struct {
	Step  string
	Acct  int
	Delta int64
}

const sagaPrefix = "saga/"

func (n *sagaNode) Start(e *lab.Env) {
	n.c = newCluster(e, n.cfg)
	n.led = load(e)
	n.seen, n.running = map[string]bool{}, map[string]*sagaRun{}
	for _, k := range e.Store().Keys() {
		tx, ok := strings.CutPrefix(k, sagaPrefix)
		if !ok {
			continue
		}
		v, _ := e.Store().Get(k)
		r := &sagaRun{tx: tx}
		if err := json.Unmarshal([]byte(v), &r.log); err != nil {
			panic(fmt.Sprintf("txn: %s's saga log %s does not decode: %v", e.ID(), tx, err))
		}
		n.running[tx] = r
		n.step(e, r)
	}
}

func (n *sagaNode) Receive(e *lab.Env, m lab.Message) {
	switch m.Body.Type {
	case "transfer", "read":
		key := m.Src + "/" + strconv.FormatInt(m.Body.MsgID, 10)
		if n.seen[key] {
			return
		}
		n.seen[key] = true
		if m.Body.Type == "read" {
			n.read(e, m)
			return
		}
		n.begin(e, m)
	case "step":
		n.apply(e, m)
	case "balances":
		e.Reply(m, lab.Body{Type: "balances_ok", Balances: n.c.balances(&n.led)})
	}
}

// read asks every owner for its balances, with no lock: what it returns
// may catch a saga between its steps.
func (n *sagaNode) read(e *lab.Env, m lab.Message) {
	holders := n.c.holders()
	left, failed, bal := len(holders), false, map[string]int64{}
	for _, p := range holders {
		e.RPC(p, lab.Body{Type: "balances"}, n.cfg.Timeout, func(r lab.Message, ok bool) {
			if failed {
				return
			}
			if !ok {
				failed = true
				e.Reply(m, lab.ErrorBody(lab.ErrTemporarilyUnavailable, p+" did not answer"))
				return
			}
			for k, x := range r.Body.Balances {
				bal[k] = x
			}
			if left--; left == 0 {
				e.Reply(m, lab.Body{Type: "read_ok", Balances: bal})
			}
		})
	}
}

// begin logs a new saga durably, then runs its first step.
func (n *sagaNode) begin(e *lab.Env, m lab.Message) {
	from, to := int(m.Body.From), int(m.Body.To)
	if from < 0 || to < 0 || from >= n.cfg.Accounts || to >= n.cfg.Accounts || from == to || m.Body.Amount <= 0 {
		e.Reply(m, lab.ErrorBody(lab.ErrMalformedRequest, "a transfer needs two different accounts and a positive amount"))
		return
	}
	r := &sagaRun{tx: fmt.Sprintf("%s/%s/%d", e.ID(), m.Src, m.Body.MsgID),
		log: sagaLog{From: from, To: to, Amount: m.Body.Amount, Stage: "debit"}, reply: func(b lab.Body) { e.Reply(m, b) }}
	n.running[r.tx] = r
	n.record(e, r, func() { n.step(e, r) })
}

func (n *sagaNode) record(e *lab.Env, r *sagaRun, done func()) {
	data, err := json.Marshal(r.log)
	if err != nil {
		panic(fmt.Sprintf("txn: saga log does not encode: %v", err))
	}
	e.Store().Put(sagaPrefix+r.tx, string(data), done)
}

// step asks for the saga's current step until it is answered, and moves
// the saga on.
func (n *sagaNode) step(e *lab.Env, r *sagaRun) {
	acct, delta := r.log.From, -r.log.Amount
	switch r.log.Stage {
	case "credit":
		acct, delta = r.log.To, r.log.Amount
	case "refund":
		delta = r.log.Amount
	}
	req := stepReq{Step: r.tx + "/" + r.log.Stage, Acct: acct, Delta: delta}
	e.RPC(n.c.owner(acct), lab.Body{Type: "step", Data: req}, n.cfg.Timeout, func(reply lab.Message, ok bool) {
		if n.running[r.tx] != r {
			return
		}
		done, _ := reply.Body.Data.(bool)
		switch {
		case !ok:
			e.After(n.cfg.Retry, func() { n.step(e, r) })
		case r.log.Stage == "debit" && !done:
			n.end(e, r, lab.ErrorBody(lab.ErrPreconditionFailed, "the transfer would overdraw its source: nothing done"))
		case r.log.Stage == "debit":
			n.advance(e, r, "credit")
		case r.log.Stage == "credit" && done:
			n.end(e, r, lab.Body{Type: "transfer_ok"})
		case r.log.Stage == "credit":
			n.advance(e, r, "refund")
		case done: // the refund went through
			n.end(e, r, lab.ErrorBody(lab.ErrAbort, "the destination refused the credit: refunded"))
		default: // the refund was refused: the compensation failed, for now
			e.Observe(Report{Kind: RefundRefused, Tx: r.tx, Amount: r.log.Amount})
			e.After(n.cfg.Retry, func() { n.step(e, r) })
		}
	})
}

func (n *sagaNode) advance(e *lab.Env, r *sagaRun, stage string) {
	r.log.Stage = stage
	n.record(e, r, func() { n.step(e, r) })
}

// end deletes the saga's log and answers its client, if it still waits.
func (n *sagaNode) end(e *lab.Env, r *sagaRun, answer lab.Body) {
	delete(n.running, r.tx)
	e.Store().Delete(sagaPrefix+r.tx, func() {
		if r.reply != nil {
			r.reply(answer)
		}
	})
}

// apply is a participant's step: a debit, a credit or a refund, each
// answered as it was the first time it was asked.
func (n *sagaNode) apply(e *lab.Env, m lab.Message) {
	req := m.Body.Data.(stepReq)
	answer := func(done bool) func() {
		return func() { e.Reply(m, lab.Body{Type: "step_ok", Data: done}) }
	}
	if done, seen := n.led.done[req.Step]; seen {
		n.led.again(e, req.Step, answer(done)) // after the write of the first answer
		return
	}
	b := n.led.balance(req.Acct) + req.Delta
	ok := b >= 0 && (n.cfg.CreditLimit == 0 || req.Delta < 0 || b <= n.cfg.CreditLimit)
	switch {
	case ok:
		ops := []op{{req.Acct, req.Delta}}
		n.led.done[req.Step] = true
		n.led.apply(ops)
		kind := Debited
		switch stageOf(req.Step) {
		case "credit":
			kind = Credited
		case "refund":
			kind = Refunded
		}
		n.led.record(e, req.Step, entry{State: stateApplied, Ops: ops}, func() {
			// Reported once durable: a crash before then undoes the step.
			e.Observe(Report{Kind: kind, Tx: strings.TrimSuffix(req.Step, "/"+stageOf(req.Step)), Amount: req.Delta})
			answer(true)()
		})
	case stageOf(req.Step) == "refund":
		// A refused refund is not final: the saga asks again until it goes
		// through. Nothing is recorded, so the next ask is judged afresh.
		answer(false)()
	default:
		// A refused debit or credit is final: the saga moves on, so a late
		// copy of the request must not go through.
		n.led.done[req.Step] = false
		n.led.record(e, req.Step, entry{State: stateRefused}, answer(false))
	}
}

func stageOf(step string) string {
	i := strings.LastIndexByte(step, '/')
	return step[i+1:]
}
