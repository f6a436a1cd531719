package raft

import (
	"strconv"
	"strings"
)

// entry is one entry of a node's log: a client's command and the term of
// the leader that took it. ID names the client request ("c1/17"), so that
// a request delivered twice is applied once.
type entry struct {
	Term            int64
	Op              string // "read", "write" or "cas"
	Key             string
	Value, From, To int64
	ID              string
}

// The store's keys: the term and vote in one key, so that a crash never
// leaves a new term beside an old term's vote, and one key per entry.
const (
	metaKey   = "meta"
	logPrefix = "log/"
)

func logKey(index int64) string { return logPrefix + strconv.FormatInt(index, 10) }

// encode writes an entry for the store; the key goes last, as it is the
// only field that could hold the separator.
func (en entry) encode() string {
	var b strings.Builder
	b.WriteString(strconv.FormatInt(en.Term, 10))
	for _, f := range []string{en.Op, strconv.FormatInt(en.Value, 10), strconv.FormatInt(en.From, 10), strconv.FormatInt(en.To, 10), en.ID, en.Key} {
		b.WriteByte('|')
		b.WriteString(f)
	}
	return b.String()
}

func decodeEntry(s string) (entry, bool) {
	f := strings.SplitN(s, "|", 7)
	if len(f) != 7 {
		return entry{}, false
	}
	var en entry
	var err [4]error
	en.Term, err[0] = strconv.ParseInt(f[0], 10, 64)
	en.Op = f[1]
	en.Value, err[1] = strconv.ParseInt(f[2], 10, 64)
	en.From, err[2] = strconv.ParseInt(f[3], 10, 64)
	en.To, err[3] = strconv.ParseInt(f[4], 10, 64)
	en.ID, en.Key = f[5], f[6]
	for _, e := range err {
		if e != nil {
			return entry{}, false
		}
	}
	return en, true
}

// waiter is work that must wait until the writes made before it are
// durable.
type waiter struct {
	seq int64
	fn  func()
}

// put writes to the store and counts the write; writes become durable in
// order, so the count of writes done says which are.
func (n *Node) put(key, value string) {
	n.writes++
	seq := n.writes
	n.e.Store().Put(key, value, func() { n.durableTo(seq) })
}

func (n *Node) del(key string) {
	n.writes++
	seq := n.writes
	n.e.Store().Delete(key, func() { n.durableTo(seq) })
}

// afterDurable runs fn once every write made so far is durable: a reply
// that promises a vote, a term or a log must not leave before them, or a
// crash could take back what it promised.
func (n *Node) afterDurable(fn func()) {
	if n.durable == n.writes {
		fn()
		return
	}
	n.waiting = append(n.waiting, waiter{n.writes, fn})
}

func (n *Node) durableTo(seq int64) {
	n.durable = seq
	for len(n.waiting) > 0 && n.waiting[0].seq <= seq {
		w := n.waiting[0]
		n.waiting[0] = waiter{}
		n.waiting = n.waiting[1:]
		w.fn()
	}
}

func (n *Node) saveMeta() {
	v := strconv.FormatInt(n.term, 10)
	if n.cfg.Broken != VolatileVote {
		v += " " + n.vote
	}
	n.put(metaKey, v)
}

// load reads the term, the vote and the log from the store; the log ends
// at the first index missing (truncations delete from the end, so a
// crash leaves no hole).
func (n *Node) load() {
	s := n.e.Store()
	if v, ok := s.Get(metaKey); ok {
		term, vote, _ := strings.Cut(v, " ")
		n.term, _ = strconv.ParseInt(term, 10, 64)
		n.vote = vote
	}
	n.log = n.log[:0]
	for i := int64(1); ; i++ {
		v, ok := s.Get(logKey(i))
		if !ok {
			break
		}
		en, ok := decodeEntry(v)
		if !ok {
			break
		}
		n.log = append(n.log, en)
	}
}

// last is the index of the last entry (0 for an empty log).
func (n *Node) last() int64 { return int64(len(n.log)) }

// termAt is the term of the entry at index, 0 at index 0 or past the end.
func (n *Node) termAt(index int64) int64 {
	if index < 1 || index > n.last() {
		return 0
	}
	return n.log[index-1].Term
}

// truncate deletes the entries from index on, last first, so that a crash
// in the middle leaves a shorter log and never a hole.
func (n *Node) truncate(index int64) {
	for i := n.last(); i >= index; i-- {
		n.del(logKey(i))
	}
	n.log = n.log[:index-1]
}

// appendLog appends entries, durably, and reports the log's new tail.
func (n *Node) appendLog(from int64, entries []entry) {
	for _, en := range entries {
		n.log = append(n.log, en)
		n.put(logKey(n.last()), en.encode())
	}
	n.e.Observe(obsLog{From: from, Entries: entries})
}
