package net

import (
	"fmt"
	"math/rand/v2"
	"time"

	"dsim/sim"
)

// linkRand holds one link's streams (Config.LinkStreams).
type linkRand struct{ lat, loss, dup *rand.Rand }

func (n *Network) link(from, to Node) *linkRand {
	for len(n.links) < len(n.nodes) {
		n.links = append(n.links, nil)
	}
	row := n.links[from]
	for len(row) < len(n.nodes) {
		row = append(row, nil)
	}
	n.links[from] = row
	if row[to] == nil {
		name := fmt.Sprintf("%s/link/%s-%s", n.prefix, n.nodes[from].name, n.nodes[to].name)
		row[to] = &linkRand{lat: n.s.Rand(name + "/latency"), loss: n.s.Rand(name + "/loss"), dup: n.s.Rand(name + "/dup")}
	}
	return row[to]
}

func (n *Network) latencyRand(from, to Node) *rand.Rand {
	if n.cfg.LinkStreams {
		return n.link(from, to).lat
	}
	return n.rLat
}

// lost draws whether a message is lost: to the configured loss, or to a
// burst in force.
func (n *Network) lost(from, to Node) bool {
	return n.draw(n.cfg.Loss, n.rLoss, from, to,
		func(l *linkRand) *rand.Rand { return l.loss }, func(b *Burst) float64 { return b.Loss })
}

// duplicated draws whether a message is delivered twice, likewise.
func (n *Network) duplicated(from, to Node) bool {
	return n.draw(n.cfg.Duplicate, n.rDup, from, to,
		func(l *linkRand) *rand.Rand { return l.dup }, func(b *Burst) float64 { return b.Duplicate })
}

// draw is true with probability p, drawn from r or, with LinkStreams, from
// the link's own stream (stream picks it), or else if any burst in force
// says so with its own probability (of picks it). When p says yes the
// bursts do not draw; otherwise every burst draws, so that none shifts
// another's draws.
func (n *Network) draw(p float64, r *rand.Rand, from, to Node,
	stream func(*linkRand) *rand.Rand, of func(*Burst) float64) bool {
	if p > 0 {
		if n.cfg.LinkStreams {
			r = stream(n.link(from, to))
		}
		if r.Float64() < p {
			return true
		}
	}
	yes := false
	for i := range n.bursts {
		if b := &n.bursts[i]; of(&b.Burst) > 0 && b.r.Float64() < of(&b.Burst) {
			yes = true
		}
	}
	return yes
}

// Burst is a spell of extra loss or duplication, with its own random
// stream, so that adding or removing one burst leaves the draws of the
// others as they were.
type Burst struct {
	Loss      float64 // probability that a message is lost, in [0, 1)
	Duplicate float64 // probability that a message is delivered twice, in [0, 1)
	Stream    string  // the name of its random stream, under the network's prefix
}

type burst struct {
	Burst
	id int
	r  *rand.Rand
}

// StartBurst puts a burst in force, on every message sent from now on,
// and returns its id for EndBurst. Bursts add up: a message is lost if
// the configured loss or any burst loses it.
func (n *Network) StartBurst(b Burst) (int, error) {
	if !(b.Loss >= 0 && b.Loss < 1) {
		return 0, fmt.Errorf("net: burst %q: Loss=%v: must be in [0, 1)", b.Stream, b.Loss)
	}
	if !(b.Duplicate >= 0 && b.Duplicate < 1) {
		return 0, fmt.Errorf("net: burst %q: Duplicate=%v: must be in [0, 1)", b.Stream, b.Duplicate)
	}
	n.nextBurst++
	n.bursts = append(n.bursts, burst{Burst: b, id: n.nextBurst, r: n.s.Rand(n.prefix + "/burst/" + b.Stream)})
	return n.nextBurst, nil
}

// EndBurst ends a burst StartBurst began; an unknown id does nothing.
func (n *Network) EndBurst(id int) {
	for i, b := range n.bursts {
		if b.id == id {
			n.bursts = append(n.bursts[:i], n.bursts[i+1:]...)
			return
		}
	}
}

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
