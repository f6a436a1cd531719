package lab

import "dsim/sim/net"

// parcel is a body on the wire. A run sends thousands of messages and
// each needs its body on the heap while it flies; parcels whose copies
// have all arrived go back to the cluster's free list and carry the next
// message, so a run allocates about as many bodies as are ever in flight
// at once, not one per message. A copy the network drops never comes
// back, and its parcel is left to the collector: reuse is only ever of a
// parcel no copy of which is still on its way.
type parcel struct {
	Body
	copies int // copies still to arrive: 2 when the network duplicated it
}

// post sends body from one address to another in a parcel, as the node's
// or client's own copy (Body.clone).
func (c *cluster) post(from, to net.Node, body *Body) {
	var p *parcel
	if n := len(c.parcels); n > 0 {
		p = c.parcels[n-1]
		c.parcels[n-1] = nil
		c.parcels = c.parcels[:n-1]
	} else {
		p = new(parcel)
	}
	p.Body = body.clone()
	dup := c.n.Stats().Duplicated
	if !c.n.Send(from, to, body.Type, p) {
		c.free(p) // the sender is down: no copy left
		return
	}
	p.copies = 1 + int(c.n.Stats().Duplicated-dup)
}

// unwrap is the arrival of one copy of a parcel, whose body the receiver
// has copied: the last copy frees it.
func (c *cluster) unwrap(p *parcel) {
	if p.copies--; p.copies == 0 {
		c.free(p)
	}
}

func (c *cluster) free(p *parcel) {
	p.Body, p.copies = Body{}, 0 // keep nothing of the message alive
	c.parcels = append(c.parcels, p)
}
