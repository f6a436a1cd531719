package net

import (
	"fmt"
	"time"

	"dsim/sim"
)

// SetLoss changes the probability that a message is lost, from the next
// message sent on: a burst of loss starts and ends with it.
func (n *Network) SetLoss(p float64) error {
	if !(p >= 0 && p < 1) {
		return fmt.Errorf("net: Loss=%v: must be in [0, 1)", p)
	}
	n.cfg.Loss = p
	return nil
}

// SetDuplicate changes the probability that a message is delivered twice,
// from the next message sent on.
func (n *Network) SetDuplicate(p float64) error {
	if !(p >= 0 && p < 1) {
		return fmt.Errorf("net: Duplicate=%v: must be in [0, 1)", p)
	}
	n.cfg.Duplicate = p
	return nil
}

// Loss and Duplicate return the probabilities in force.
func (n *Network) Loss() float64      { return n.cfg.Loss }
func (n *Network) Duplicate() float64 { return n.cfg.Duplicate }

// SetDelay adds d to the delay of every message sent from or to a node
// from now on, on top of its drawn latency: a slow link, an overloaded
// NIC, a latency spike. Zero removes it. Messages already in flight keep
// the delay they left with.
func (n *Network) SetDelay(id Node, d time.Duration) error {
	if d < 0 {
		return fmt.Errorf("net: delay of %s=%v: must not be negative", n.nodes[id].name, d)
	}
	n.nodes[id].delay = sim.FromDuration(d)
	return nil
}
