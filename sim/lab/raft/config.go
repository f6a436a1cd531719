package raft

import (
	"cmp"
	"dsim/sim/lab/internal/bounds"
	"fmt"
	"strings"
	"time"
)

// Config is one Raft cluster's settings. Zero fields take the defaults,
// the paper's where it gives them (§9.3: election timeouts of 150-300 ms
// with a broadcast time well under them).
type Config struct {
	// ElectionMin and ElectionMax bound the election timeout: each time a
	// follower or candidate resets its timer it draws the timeout
	// uniformly from [ElectionMin, ElectionMax). Defaults 150ms and 300ms.
	ElectionMin, ElectionMax time.Duration
	// Heartbeat is how often a leader sends AppendEntries to each follower
	// (empty when the follower has everything), and how often a candidate
	// asks again the nodes that have not answered its RequestVote.
	// Default 50ms; it must be below ElectionMin.
	Heartbeat time.Duration
	// MaxBatch bounds the entries of one AppendEntries; default 64.
	MaxBatch int
	// ForwardTimeout is how long a follower waits for the leader's answer
	// to a client request it forwarded, before it tells the client the
	// outcome is unknown (error 13); default 500ms.
	ForwardTimeout time.Duration
	// Broken switches on one of the bugs of Bugs ("" is correct Raft).
	Broken string
}

// The broken variants (Config.Broken), each one rule of the paper left
// out.
const (
	// NoRandomness draws no election timeout: every node waits exactly
	// ElectionMin. Nodes that start (or lose their leader) together time
	// out together, each votes for itself, and the split vote repeats in
	// every term: no leader, ever (§5.2, §9.3).
	NoRandomness = "no-randomness"
	// CommitPreviousTerm lets a leader commit an entry of an earlier term
	// once it is stored on a majority, by counting replicas: the scenario
	// of the paper's Figure 8, where such an entry is overwritten after it
	// was committed (§5.4.2).
	CommitPreviousTerm = "commit-previous-term"
	// VolatileVote keeps votedFor in memory only: a node that crashes and
	// restarts in the same term can vote twice in it, and two leaders can
	// be elected in one term (Figure 2: "persistent state on all servers").
	VolatileVote = "volatile-vote"
	// FollowerReads lets every node answer reads from its own state
	// machine, which lags the leader's (§8).
	FollowerReads = "follower-reads"
	// UnconfirmedReads lets the leader answer reads from its state machine
	// at once, without checking that it is still the leader: a leader cut
	// off from the majority serves stale reads while a new one takes
	// writes (§8).
	UnconfirmedReads = "unconfirmed-reads"
)

// Bugs lists the broken variants, in order.
func Bugs() []string {
	return []string{NoRandomness, CommitPreviousTerm, VolatileVote, FollowerReads, UnconfirmedReads}
}

// Defaults of Config.
const (
	DefaultElectionMin    = 150 * time.Millisecond
	DefaultElectionMax    = 300 * time.Millisecond
	DefaultHeartbeat      = 50 * time.Millisecond
	DefaultMaxBatch       = 64
	DefaultForwardTimeout = 500 * time.Millisecond
)

func (c Config) withDefaults() Config {
	c.ElectionMin = cmp.Or(c.ElectionMin, DefaultElectionMin)
	if c.ElectionMax == 0 {
		c.ElectionMax = max(DefaultElectionMax, c.ElectionMin)
	}
	if c.Heartbeat == 0 {
		c.Heartbeat = min(DefaultHeartbeat, c.ElectionMin/3)
	}
	c.MaxBatch = cmp.Or(c.MaxBatch, DefaultMaxBatch)
	c.ForwardTimeout = cmp.Or(c.ForwardTimeout, DefaultForwardTimeout)
	return c
}

// Validate reports the first field that cannot work, naming it, its value
// and the allowed range.
func (c Config) Validate() error {
	c = c.withDefaults()
	if err := bounds.In("raft", "ElectionMin", c.ElectionMin, time.Millisecond, time.Minute); err != nil {
		return err
	}
	switch {
	case c.ElectionMax < c.ElectionMin || c.ElectionMax > time.Minute:
		return fmt.Errorf("raft: ElectionMax=%v: must be in [ElectionMin=%v, 1m]", c.ElectionMax, c.ElectionMin)
	case c.Heartbeat < time.Microsecond || c.Heartbeat >= c.ElectionMin:
		return fmt.Errorf("raft: Heartbeat=%v: must be in [1µs, ElectionMin=%v)", c.Heartbeat, c.ElectionMin)
	}
	if err := cmp.Or(
		bounds.In("raft", "MaxBatch", c.MaxBatch, 1, 10_000),
		bounds.In("raft", "ForwardTimeout", c.ForwardTimeout, time.Millisecond, time.Minute),
	); err != nil {
		return err
	}
	if c.Broken != "" && !isBug(c.Broken) {
		return fmt.Errorf("raft: Broken=%q: must be \"\" (correct) or one of %s", c.Broken, quoted(Bugs()))
	}
	return nil
}

func isBug(name string) bool {
	for _, b := range Bugs() {
		if b == name {
			return true
		}
	}
	return false
}

func quoted(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	return strings.Join(q, ", ")
}
