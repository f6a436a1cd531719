package lab

import (
	"fmt"
	"sort"
	"strconv"
)

// BankBalance is what every account of the bank workload holds at the
// start, so the bank holds Keys * BankBalance in all, for ever: a
// transfer moves money and never makes or destroys it.
const BankBalance = 100

// bankWorkload is Jepsen's bank test: clients move small amounts between
// Test.Keys accounts (transfer{from, to, amount}) and read every balance
// (read -> read_ok{balances}, the accounts named "0", "1", ...). A
// transfer that would overdraw its source is refused (a definite error,
// ErrPreconditionFailed); the final reads ask every node.
type bankWorkload struct{}

func (bankWorkload) setup(*cluster) {}

func (bankWorkload) next(cl *client) Body {
	if cl.rng.IntN(4) == 0 {
		return Body{Type: "read"}
	}
	n := cl.c.t.Keys
	from := cl.rng.IntN(n)
	to := cl.rng.IntN(n - 1)
	if to >= from {
		to++
	}
	return Body{Type: "transfer", From: int64(from), To: int64(to), Amount: 1 + int64(cl.rng.IntN(5))}
}

func (bankWorkload) observe(*client, Body, Event)  {}
func (bankWorkload) final(c *cluster, done func()) { c.readEach(Body{Type: "read"}, done) }
func (bankWorkload) checkers() []Checker {
	return []Checker{BankChecker(), BankSnapshotChecker()}
}

// BankChecker checks the bank's atomicity: once the faults have healed,
// every node's final read shows every account, none below zero, and the
// total the bank started with. A transfer applied on one side only (the
// source debited, the destination never credited, or the reverse) changes
// the total, which no mix of whole transfers can.
func BankChecker() Checker { return CheckFunc(checkBank) }

// BankSnapshotChecker checks what readers saw during the run: every read
// acknowledged before the final ones shows every account, none below zero,
// and the starting total. A design that moves money in steps visible to
// readers (a saga) fails it, with a count of the reads that caught a
// transfer half done, while it may pass BankChecker.
func BankSnapshotChecker() Checker { return CheckFunc(checkBankSnapshot) }

func checkBank(r *Result) Verdict {
	v := newVerdict("bank")
	total := int64(r.Test.Keys) * BankBalance
	for _, rd := range finalReads(r, v) {
		node := rd.Node
		for _, p := range balanceProblems(rd.Resp.Balances, r.Test.Keys, total) {
			v.addf([]int{rd.Complete}, node, rd.Return, "%s's final read %s: %s", node, offsets(rd.Resp.Balances), p)
		}
	}
	ok, failed, doubt := transferCounts(r)
	v.metric("transfers acknowledged", float64(ok), "")
	v.metric("transfers refused", float64(failed), "")
	v.metric("transfers in doubt", float64(doubt), "")
	return v.done(fmt.Sprintf("every final read shows the %d the bank started with", total),
		fmt.Sprintf("%d problem(s) with the final reads (the bank started with %d)", v.Count, total))
}

func checkBankSnapshot(r *Result) Verdict {
	v := newVerdict("bank-snapshot")
	total := int64(r.Test.Keys) * BankBalance
	ops := r.History.Ops()
	reads, wrong := 0, 0
	for i := range ops {
		op := &ops[i]
		if op.Final || op.F != "read" || op.Type != OK {
			continue
		}
		reads++
		if ps := balanceProblems(op.Resp.Balances, r.Test.Keys, total); len(ps) > 0 {
			wrong++
			v.addf([]int{op.Invoke, op.Complete}, op.Node, op.Return, "%s's read by %s %s: %s", op.Node, op.Client, offsets(op.Resp.Balances), ps[0])
		}
	}
	v.metric("reads", float64(reads), "")
	v.metric("reads of a transfer half done", float64(wrong), "")
	return v.done(fmt.Sprintf("each of %d reads shows the %d the bank started with", reads, total),
		fmt.Sprintf("%d of %d reads saw money missing or made (the bank holds %d)", wrong, reads, total))
}

// balanceProblems says what is wrong with one read of the bank's
// balances: a missing or unknown account, a negative balance, a wrong
// total.
func balanceProblems(b map[string]int64, accounts int, total int64) []string {
	var out []string
	var sum int64
	for a := 0; a < accounts; a++ {
		x, ok := b[strconv.Itoa(a)]
		switch {
		case !ok:
			out = append(out, fmt.Sprintf("account %d is missing (do the nodes and Test.Keys agree on the number of accounts?)", a))
		case x < 0:
			out = append(out, fmt.Sprintf("account %d is overdrawn (%d)", a, x))
		}
		sum += x
	}
	var extra []string
	for k := range b {
		if a, err := strconv.Atoi(k); err != nil || a < 0 || a >= accounts || strconv.Itoa(a) != k {
			extra = append(extra, k)
		}
	}
	if len(extra) > 0 {
		sort.Strings(extra)
		out = append(out, fmt.Sprintf("unknown accounts %q (do the nodes and Test.Keys agree on the number of accounts?)", extra))
	}
	if sum != total {
		out = append(out, fmt.Sprintf("the balances total %d, not %d", sum, total))
	}
	return out
}

func transferCounts(r *Result) (ok, failed, doubt int) {
	for _, op := range r.History.Ops() {
		if op.F != "transfer" {
			continue
		}
		switch op.Type {
		case OK:
			ok++
		case Fail:
			failed++
		default:
			doubt++
		}
	}
	return ok, failed, doubt
}
