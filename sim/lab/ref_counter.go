package lab

import "strconv"

// Counter is the reference counter node for both g-counter and
// pn-counter: a PN-counter CRDT. Each node counts its own additions and
// subtractions apart, writes them to its store before it acknowledges the
// add, and gossips its durable counts to every other node every
// GossipInterval; a node merges what it hears by taking the larger count
// per node, and reads the sum. Only durable counts travel, so a crash
// cannot leave a peer believing in an add the node itself forgot.
type Counter struct {
	seen        map[string]bool  // requests handled: the network duplicates
	plus, minus map[string]int64 // per node: the largest durable count heard
	myPlus      int64            // this node's counts, durable or not
	myMinus     int64
}

// counts is what the counter nodes gossip.
type counts struct{ Plus, Minus map[string]int64 }

func (c *Counter) Start(e *Env) {
	c.plus, c.minus, c.seen = map[string]int64{}, map[string]int64{}, map[string]bool{}
	c.myPlus, _ = e.Store().GetInt("plus")
	c.myMinus, _ = e.Store().GetInt("minus")
	c.plus[e.ID()], c.minus[e.ID()] = c.myPlus, c.myMinus
	e.Every(GossipInterval, func() { c.gossip(e) })
}

func (c *Counter) Receive(e *Env, m Message) {
	switch m.Body.Type {
	case "add":
		// A second copy of an add must not count twice.
		req := m.Src + "/" + strconv.FormatInt(m.Body.MsgID, 10)
		if c.seen[req] {
			return
		}
		c.seen[req] = true
		d := m.Body.Delta
		key, total := "plus", &c.myPlus
		if d < 0 {
			key, total, d = "minus", &c.myMinus, -d
		}
		*total += d
		v := *total
		e.Store().PutInt(key, v, func() {
			if key == "plus" {
				c.plus[e.ID()] = max(c.plus[e.ID()], v)
			} else {
				c.minus[e.ID()] = max(c.minus[e.ID()], v)
			}
			e.Reply(m, Body{Type: "add_ok"})
		})
	case "read":
		var sum int64
		for _, v := range c.plus {
			sum += v
		}
		for _, v := range c.minus {
			sum -= v
		}
		e.Reply(m, Body{Type: "read_ok", Value: sum})
	case "counts":
		got := m.Body.Data.(counts)
		merge(c.plus, got.Plus)
		merge(c.minus, got.Minus)
	}
}

func merge(into, from map[string]int64) {
	for k, v := range from {
		if v > into[k] {
			into[k] = v
		}
	}
}

func (c *Counter) gossip(e *Env) {
	// Data is not copied by the network: send copies.
	msg := counts{Plus: copyCounts(c.plus), Minus: copyCounts(c.minus)}
	for _, n := range e.Nodes() {
		if n != e.ID() {
			e.Send(n, Body{Type: "counts", Data: msg})
		}
	}
}

func copyCounts(m map[string]int64) map[string]int64 {
	out := make(map[string]int64, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
