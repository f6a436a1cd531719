package service

import "dsim/sim"

// Log semantics
//
// A broker with Partitions is a log, as Kafka is: each message goes to
// the partition of its key (the request's key, from the Source's or the
// Users' Keys, mod Partitions) and keeps its offset there. The consumers
// are one consumer group: partition p belongs to the (p mod n)-th of the
// n consumers that are up, in the order they were added, so a crash or a
// restart moves partitions (a rebalance). A partition delivers its
// messages in offset order, one at a time, to its owner; the owner's
// workers serve different partitions at once.
//
// Acknowledging a message acknowledges its offset; every CommitEvery
// acknowledgements the partition commits its offset, past every message
// acknowledged so far (a lost acknowledgement is made good by the next
// commit). When a partition's owner changes, a delivery fails (a crash,
// a poison message) or outlives Visibility, the partition rewinds to its
// committed offset and delivers again, in order, what was processed but
// not committed: the duplicates of at-least-once, in batches when
// commits are rare. A message acknowledged before processing
// (AckBefore) is committed on delivery and lost if its processing fails.
// A poison message blocks its partition (head-of-line blocking) until
// MaxDeliveries dead-letters it.

// partition is one of a log's partitions.
type partition struct {
	log       []uint32 // message ids, by offset
	next      int      // the offset delivered next
	committed int      // the first offset not committed
	acked     int      // one past the highest offset acknowledged
	busy      bool     // a delivery is out: of cur, attempt
	cur       uint32
	attempt   uint16
	owner     *Consumer
}

// pumpLog delivers the next message of each idle partition to its owner,
// if the owner has a free worker, starting from a different partition
// each time so no partition is always served last.
func (b *Broker) pumpLog(now sim.Time) {
	b.live = b.live[:0]
	for _, c := range b.consumers {
		if !c.down {
			b.live = append(b.live, c)
		}
	}
	n := len(b.logs)
	for i := 0; i < n && len(b.live) > 0; i++ {
		pi := (b.turn + i) % n
		p := &b.logs[pi]
		if owner := b.live[pi%len(b.live)]; p.owner != owner {
			if p.owner != nil {
				b.rebalance(p)
			}
			p.owner = owner
		}
		for p.next < len(p.log) && b.msgs[p.log[p.next]].state == msgDead {
			p.next++
			b.waiting--
		}
		if p.busy || p.next >= len(p.log) || p.owner.active >= p.owner.capacity {
			continue
		}
		id := p.log[p.next]
		m := &b.msgs[id]
		p.next++
		b.waiting--
		m.state = msgInFlight
		m.attempts++
		if m.attempts > 1 {
			b.Redelivered++
		}
		p.busy, p.cur, p.attempt = true, id, m.attempts
		b.send(p.owner, id, m, now)
	}
	b.turn = (b.turn + 1) % max(n, 1)
	b.Depth.Set(now, float64(b.waiting))
}

// rebalance hands p to a new owner: a delivery still out to the old one
// is revoked (its acknowledgement will be stale; its effect, if the old
// owner still applies it, a duplicate), and the new owner starts from
// the committed offset.
func (b *Broker) rebalance(p *partition) {
	if p.busy {
		m := &b.msgs[p.cur]
		if m.state == msgInFlight && m.attempts == p.attempt {
			m.state = msgReady
			b.inFlight--
		}
		p.busy = false
	}
	b.rewind(p)
}

// rewind goes back to the committed offset.
func (b *Broker) rewind(p *partition) {
	if p.next > p.committed {
		b.Rewinds++
		b.waiting += p.next - p.committed
		p.next = p.committed
	}
	p.acked = min(p.acked, p.committed)
}

// failLog is a log's delivery of message id that failed or outlived its
// visibility: the partition rewinds, or moves past a message that has
// had its deliveries.
func (b *Broker) failLog(id uint32, m *message) {
	p := &b.logs[m.key%uint64(len(b.logs))]
	if p.busy && p.cur == id && p.attempt == m.attempts {
		p.busy = false
	}
	if b.deadLetter(id, m) {
		if int(m.off) == p.committed {
			p.committed++ // nothing before it waits: commit past it
		}
		return
	}
	m.state = msgReady
	b.rewind(p)
}

// commit counts an acknowledged message of a log, and commits its
// partition's offset every CommitEvery.
func (b *Broker) commit(m *message) {
	p := &b.logs[m.key%uint64(len(b.logs))]
	p.acked = max(p.acked, int(m.off)+1)
	if p.acked-p.committed >= max(b.CommitEvery, 1) {
		p.committed = p.acked
	}
}

// finished is the end of a delivery's processing: its partition may
// deliver the next message.
func (b *Broker) finished(id uint32, attempt uint16) {
	if b.logs == nil {
		return
	}
	p := &b.logs[b.msgs[id].key%uint64(len(b.logs))]
	if p.busy && p.cur == id && p.attempt == attempt {
		p.busy = false
	}
}

// keyOrder numbers each key's messages as they are published and checks
// that their first effects come in that order. Key 0 (requests without
// keys) is kept apart from the map, which most runs then never touch.
type keyOrder struct {
	seq0, done0 uint32
	seq, done   map[uint64]uint32
}

// next is the place of a new message of key.
func (o *keyOrder) next(key uint64) uint32 {
	if key == 0 {
		o.seq0++
		return o.seq0
	}
	if o.seq == nil {
		o.seq, o.done = map[uint64]uint32{}, map[uint64]uint32{}
	}
	o.seq[key]++
	return o.seq[key]
}

// applied records the first effect of the seq-th message of key, and
// reports whether it kept the key's order (no later message went first).
func (o *keyOrder) applied(key uint64, seq uint32) bool {
	last := &o.done0
	if key != 0 {
		v := o.done[key]
		defer func() { o.done[key] = v }()
		last = &v
	}
	if seq < *last {
		return false
	}
	*last = seq
	return true
}
