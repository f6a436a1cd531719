package crdt

import "dsim/sim/internal/hash"

// canon caches a replica's canonical text (State.String) and its hash.
// Whether replicas agree is asked after every operation and merge once the
// operations are done, and at every sample; rebuilding every replica's
// text each time would cost replicas × state size per event. So a replica
// rebuilds its text only after its own state changed, replicas are told
// apart by the hash, and agreement is confirmed on the text.
type canon struct {
	text  string
	sum   uint64
	fresh bool
}

// of returns the text of s, rebuilding it if s changed since.
func (c *canon) of(s State) string {
	if !c.fresh {
		c.text = s.String()
		c.sum, c.fresh = hash.String(c.text), true
	}
	return c.text
}

// hash returns the hash of s's text, rebuilding it if s changed since.
func (c *canon) hash(s State) uint64 {
	c.of(s)
	return c.sum
}

// touch marks the state changed.
func (c *canon) touch() { c.fresh = false }
