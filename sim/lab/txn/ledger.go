package txn

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"dsim/sim/lab"
)

// op is one change to one account.
type op struct {
	Acct  int   `json:"a"`
	Delta int64 `json:"d"`
}

// prepared is a transaction a 2PC participant has voted yes to: its
// changes, held under lock until the decision. A read locks the
// participant's accounts and changes nothing.
type prepared struct {
	Ops  []op
	Read bool
}

// entry is one record of a participant's journal: what became of one
// transaction (2PC) or one saga step at this participant.
type entry struct {
	State string `json:"s"` // prepared, committed, aborted (2PC); applied, refused (saga)
	Ops   []op   `json:"ops,omitempty"`
	Read  bool   `json:"r,omitempty"`
}

// The states of an entry.
const (
	statePrepared  = "prepared"
	stateCommitted = "committed"
	stateAborted   = "aborted"
	stateApplied   = "applied"
	stateRefused   = "refused"
)

// ledger is a participant's state, kept as a journal in its store: one
// record per transaction or saga step, written whole, so each change is
// durable all at once or not at all, and small, so a write costs the
// same however long the run. The balances, the prepared transactions and
// the outcomes are rebuilt from the journal when the node starts. An
// outcome is kept for the run, so a message that comes twice, or late, is
// answered as the first was (the store's key limit bounds a run's
// transactions per node).
type ledger struct {
	bal  map[int]int64
	prep map[string]prepared
	done map[string]bool // transaction or step -> applied (true), or aborted or refused
}

const journal = "j/"

// load rebuilds the ledger from the journal.
func load(e *lab.Env) ledger {
	l := ledger{bal: map[int]int64{}, prep: map[string]prepared{}, done: map[string]bool{}}
	for _, k := range e.Store().Keys() {
		id, ok := strings.CutPrefix(k, journal)
		if !ok {
			continue
		}
		v, _ := e.Store().Get(k)
		var x entry
		if err := json.Unmarshal([]byte(v), &x); err != nil {
			panic(fmt.Sprintf("txn: %s's journal entry %s does not decode: %v", e.ID(), id, err))
		}
		switch x.State {
		case statePrepared:
			l.prep[id] = prepared{Ops: x.Ops, Read: x.Read}
		case stateCommitted, stateApplied:
			l.apply(x.Ops)
			l.done[id] = true
		default:
			l.done[id] = false
		}
	}
	return l
}

// record writes id's entry; done runs once it is durable.
func (l *ledger) record(e *lab.Env, id string, x entry, done func()) {
	data, err := json.Marshal(x)
	if err != nil {
		panic(fmt.Sprintf("txn: journal entry %s does not encode: %v", id, err))
	}
	e.Store().Put(journal+id, string(data), done)
}

// forget deletes id's entry: a read's locks leave nothing behind.
func (l *ledger) forget(e *lab.Env, id string, done func()) { e.Store().Delete(journal+id, done) }

// again writes id's entry once more, as it stands, so that done runs
// only once every earlier write (of it too) is durable: the store makes
// writes durable in order.
func (l *ledger) again(e *lab.Env, id string, done func()) {
	v, ok := e.Store().Get(journal + id)
	if !ok {
		done()
		return
	}
	e.Store().Put(journal+id, v, done)
}

// balance is account a's balance: what it started with, changed by what
// was applied.
func (l *ledger) balance(a int) int64 {
	if b, ok := l.bal[a]; ok {
		return b
	}
	return lab.BankBalance
}

func (l *ledger) apply(ops []op) {
	for _, o := range ops {
		l.bal[o.Acct] = l.balance(o.Acct) + o.Delta
	}
}

// cluster is where accounts live: after the front nodes, account a on
// the owner a mod owners.
type cluster struct {
	nodes    []string
	me       int
	front    int
	accounts int
}

func newCluster(e *lab.Env, cfg Config) cluster {
	nodes := e.Nodes()
	if cfg.Frontends >= len(nodes) {
		panic(fmt.Sprintf("txn: Frontends=%d: must be below the %d nodes, or no node owns an account", cfg.Frontends, len(nodes)))
	}
	me := 0
	for i, n := range nodes {
		if n == e.ID() {
			me = i
		}
	}
	return cluster{nodes: nodes, me: me, front: cfg.Frontends, accounts: cfg.Accounts}
}

func (c cluster) owners() int { return len(c.nodes) - c.front }

func (c cluster) owner(a int) string { return c.nodes[c.front+a%c.owners()] }

// mine lists the accounts this node owns.
func (c cluster) mine() []int {
	var out []int
	if c.me < c.front {
		return nil
	}
	for a := c.me - c.front; a < c.accounts; a += c.owners() {
		out = append(out, a)
	}
	return out
}

// holders lists the nodes that own at least one account, in order.
func (c cluster) holders() []string {
	return c.nodes[c.front : c.front+min(c.owners(), c.accounts)]
}

// balances is what this node's accounts hold, by name.
func (c cluster) balances(l *ledger) map[string]int64 {
	out := map[string]int64{}
	for _, a := range c.mine() {
		out[strconv.Itoa(a)] = l.balance(a)
	}
	return out
}
