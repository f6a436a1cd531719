package service

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"time"

	"dsim/sim"
	"dsim/sim/internal/hash"
	"dsim/sim/metrics"
)

// Policy is how a Balancer picks a backend.
type Policy string

// The balancing policies.
const (
	// Random picks a backend uniformly.
	Random Policy = "random"
	// RoundRobin takes the backends in turn.
	RoundRobin Policy = "round-robin"
	// LeastOutstanding picks the backend with the fewest calls it has
	// sent and not yet had answered; ties go to a random one of them.
	LeastOutstanding Policy = "least-outstanding"
	// PowerOfChoices samples Choices backends at random and picks the one
	// with the fewest outstanding calls (Mitzenmacher, "The Power of Two
	// Choices in Randomized Load Balancing", 2001).
	PowerOfChoices Policy = "power-of-choices"
	// ConsistentHash maps the call's key onto a ring of Replicas points
	// per backend (Karger et al., STOC 1997); with LoadBound, a backend
	// already holding more than LoadBound × the mean passes the call to
	// the next on the ring (Mirrokni, Thorup and Zadimoghaddam,
	// "Consistent Hashing with Bounded Loads", SODA 2018).
	ConsistentHash Policy = "consistent-hash"
	// Sticky sends every call of a key (a session) to the backend its
	// first call went to, chosen by least outstanding; a session whose
	// backend is down moves.
	Sticky Policy = "sticky"
)

// Policies lists the balancing policies.
func Policies() []Policy {
	return []Policy{Random, RoundRobin, LeastOutstanding, PowerOfChoices, ConsistentHash, Sticky}
}

// MaxBackends bounds a balancer's backends.
const MaxBackends = 100_000

// Balancer spreads calls over Backends by Policy, skipping backends that
// are down (a health check that knows at once) or that an Autoscaler
// holds out of the group. Least-outstanding and power-of-choices read the
// balancer's own count of calls outstanding at each backend; with
// LoadAge they read a copy refreshed every LoadAge instead, as a balancer
// fed load reports that are that old does: its choices then herd onto the
// backend that looked least loaded. A call that finds every backend down
// is rejected.
//
// Random streams: NAME/choices.
type Balancer struct {
	Name     string
	Backends []string
	Policy   Policy // "" is RoundRobin
	// Choices is how many backends PowerOfChoices samples, 1 to 100;
	// zero means 2.
	Choices int
	// LoadAge, when positive, is the age of the load the balancer sees.
	LoadAge time.Duration
	// LoadBound, for ConsistentHash, is the bound c ≥ 1 on a backend's
	// outstanding calls against the mean (1.25 is common); zero is none.
	LoadBound float64
	// Replicas is the points each backend has on the hash ring, 1 to
	// 1000; zero means 100.
	Replicas int

	BalancerStats
	part
	backends []node
	out      []int // calls outstanding at each backend
	seen     []int // the load the policies read: out, or a stale copy
	choices  *rand.Rand
	next     int
	ring     []ringPoint
	sessions []int32 // Sticky: key -> backend+1, 0 when unset; ConsistentHash: the key's last backend+1
	total    int
	refresh  func()
	// off marks the backends an Autoscaler has out of the group (not
	// launched, warming up or terminated); nil when none acts on it.
	off []bool
}

// BalancerStats is what a Balancer measured.
type BalancerStats struct {
	Calls      *metrics.Rate // calls that came
	Rejections *metrics.Rate // calls that found every backend down
	// Picks counts the calls sent to each backend, in Backends order;
	// MaxOutstanding is the most each had outstanding at once.
	Picks          []int64
	MaxOutstanding []int
	Moved          int64 // Sticky sessions moved off a backend that was down
	// Remapped counts ConsistentHash calls sent to another backend than
	// the previous call of their key: the keys of a backend that went
	// down, and, with LoadBound, keys whose backend was full. Without
	// LoadBound and with no backend coming back, it is the keys moved.
	Remapped int64
}

type ringPoint struct {
	hash    uint64
	backend int32
}

func (*Balancer) Kind() string        { return "Balancer" }
func (b *Balancer) ID() string        { return b.Name }
func (b *Balancer) targets() []string { return b.Backends }

func (b *Balancer) policy() Policy {
	if b.Policy == "" {
		return RoundRobin
	}
	return b.Policy
}

func (b *Balancer) validate() error {
	switch {
	case len(b.Backends) == 0 || len(b.Backends) > MaxBackends:
		return bad(b, "Backends", fmt.Sprintf("[%d names]", len(b.Backends)), fmt.Sprintf("must name 1 to %d backends", MaxBackends))
	case !slices.Contains(Policies(), b.policy()):
		return bad(b, "Policy", b.Policy, fmt.Sprintf("want one of %v", Policies()))
	case b.Choices < 0 || b.Choices > 100:
		return bad(b, "Choices", b.Choices, "must be between 1 and 100 (0: 2)")
	case b.LoadAge < 0 || b.LoadAge > time.Hour:
		return bad(b, "LoadAge", b.LoadAge, "must be between 0 (live) and 1h")
	case b.LoadAge > 0 && b.LoadAge < time.Microsecond:
		return bad(b, "LoadAge", b.LoadAge, "must be at least 1µs")
	case b.LoadBound != 0 && !(b.LoadBound >= 1 && b.LoadBound <= 100):
		return bad(b, "LoadBound", b.LoadBound, "must be between 1 and 100 (0: unbounded)")
	case b.Replicas < 0 || b.Replicas > 1000:
		return bad(b, "Replicas", b.Replicas, "must be between 1 and 1000 (0: 100)")
	}
	seen := map[string]bool{}
	for i, t := range b.Backends {
		if err := checkTarget(b, fmt.Sprintf("Backends[%d]", i), t); err != nil {
			return err
		}
		if seen[t] {
			return bad(b, fmt.Sprintf("Backends[%d]", i), t, "is named twice")
		}
		seen[t] = true
	}
	return nil
}

func (b *Balancer) start() {
	sys := b.sys
	w := sys.window
	b.Calls = metrics.NewRate(b.Name+" calls", w)
	b.Rejections = metrics.NewRate(b.Name+" rejections", w)
	n := len(b.Backends)
	for _, t := range b.Backends {
		b.backends = append(b.backends, sys.node(t))
	}
	b.out, b.Picks, b.MaxOutstanding = make([]int, n), make([]int64, n), make([]int, n)
	b.seen = b.out
	b.choices = sys.rand(b.Name + "/choices")
	if b.LoadAge > 0 {
		b.seen = make([]int, n)
		b.refresh = b.onRefresh
		sys.sim.At(0, b.refresh)
	}
	if b.policy() == ConsistentHash {
		b.buildRing()
	}
}

// onRefresh copies the outstanding counts the policies read.
func (b *Balancer) onRefresh() {
	copy(b.seen, b.out)
	b.sys.sim.After(sim.FromDuration(b.LoadAge), b.refresh)
}

// buildRing places Replicas points per backend, by the hash of its name
// and the point's number, so a backend keeps its points whatever the others.
func (b *Balancer) buildRing() {
	r := b.Replicas
	if r == 0 {
		r = 100
	}
	for i, name := range b.Backends {
		for k := 0; k < r; k++ {
			b.ring = append(b.ring, ringPoint{hash: hash.Mix(hash.String(name) + uint64(k)*0x9e3779b97f4a7c15), backend: int32(i)})
		}
	}
	sort.Slice(b.ring, func(i, j int) bool {
		if b.ring[i].hash != b.ring[j].hash {
			return b.ring[i].hash < b.ring[j].hash
		}
		return b.ring[i].backend < b.ring[j].backend
	})
}

func (b *Balancer) up() bool {
	for j := range b.backends {
		if b.usable(j) {
			return true
		}
	}
	return false
}

// usable reports whether backend j takes calls now: it is up and in the
// group.
func (b *Balancer) usable(j int) bool {
	return b.backends[j].up() && (b.off == nil || !b.off[j])
}

func (b *Balancer) accept(c *call) {
	now := b.sys.sim.Now()
	b.Calls.Add(now, 1)
	i := b.pick(c)
	if i < 0 {
		b.Rejections.Add(now, 1)
		c.answer(rejected)
		return
	}
	b.out[i]++
	b.total++
	b.Picks[i]++
	if b.out[i] > b.MaxOutstanding[i] {
		b.MaxOutstanding[i] = b.out[i]
	}
	c.n = int32(i)
	d := b.sys.newCall(c, b)
	b.backends[i].accept(d)
}

func (b *Balancer) answered(d *call) {
	c, st := d.parent, d.status
	b.sys.release(d)
	b.out[c.n]--
	b.total--
	c.answer(st)
}

// pick returns the backend for c, or -1 when every one is down.
func (b *Balancer) pick(c *call) int {
	n := len(b.backends)
	switch b.policy() {
	case Random:
		return b.firstUp(b.choices.IntN(n))
	case RoundRobin:
		i := b.firstUp(b.next)
		b.next = (i + 1) % n
		return i
	case LeastOutstanding:
		return b.least()
	case PowerOfChoices:
		return b.sample()
	case ConsistentHash:
		i := b.hashed(c.key)
		if i >= 0 && b.remember(c.key, i) {
			b.Remapped++
		}
		return i
	}
	return b.sticky(c.key)
}

// firstUp is the first backend that is up from i on, cyclically.
func (b *Balancer) firstUp(i int) int {
	n := len(b.backends)
	for k := 0; k < n; k++ {
		j := (i + k) % n
		if b.usable(j) {
			return j
		}
	}
	return -1
}

// least scans every backend from a random start, so that ties do not all
// go to the first. Cost: O(backends).
func (b *Balancer) least() int {
	n := len(b.backends)
	start := b.choices.IntN(n)
	best := -1
	for k := 0; k < n; k++ {
		j := (start + k) % n
		if b.usable(j) && (best < 0 || b.seen[j] < b.seen[best]) {
			best = j
		}
	}
	return best
}

// sample draws Choices distinct backends that are up and keeps the least
// loaded; the first drawn wins ties.
func (b *Balancer) sample() int {
	n := len(b.backends)
	d := b.Choices
	if d == 0 {
		d = 2
	}
	best := -1
	var drawn [100]int
	for k := 0; k < d && k < n; k++ {
		j := b.choices.IntN(n)
		for slices.Contains(drawn[:k], j) {
			j = (j + 1) % n
		}
		drawn[k] = j
		if !b.usable(j) {
			continue
		}
		if best < 0 || b.seen[j] < b.seen[best] {
			best = j
		}
	}
	if best < 0 {
		return b.firstUp(b.choices.IntN(n))
	}
	return best
}

// hashed walks the ring clockwise from the key's point to the first
// backend that is up and, with LoadBound, under its bound. Cost:
// O(log points), more when backends are full or down.
func (b *Balancer) hashed(key uint64) int {
	h := hash.Mix(key)
	i, j := 0, len(b.ring) // the first point at or after h, by bisection
	for i < j {
		m := int(uint(i+j) >> 1)
		if b.ring[m].hash < h {
			i = m + 1
		} else {
			j = m
		}
	}
	limit := math.MaxInt
	if b.LoadBound > 0 {
		up := 0
		for j := range b.backends {
			if b.usable(j) {
				up++
			}
		}
		if up == 0 {
			return -1
		}
		limit = int(math.Ceil(b.LoadBound * float64(b.total+1) / float64(up)))
	}
	for k := 0; k < len(b.ring); k++ {
		p := b.ring[(i+k)%len(b.ring)]
		if j := int(p.backend); b.usable(j) && b.out[j] < limit {
			return j
		}
	}
	return -1
}

// session is the entry of key in the sessions table, grown to hold it.
func (b *Balancer) session(key uint64) *int32 {
	if key >= MaxKeys {
		key %= MaxKeys
	}
	if int(key) >= len(b.sessions) {
		b.sessions = slices.Grow(b.sessions, int(key)+1-len(b.sessions))[:key+1]
	}
	return &b.sessions[key]
}

// remember records that key went to backend i and reports whether its
// previous call went elsewhere.
func (b *Balancer) remember(key uint64, i int) bool {
	s := b.session(key)
	moved := *s > 0 && int(*s-1) != i
	*s = int32(i + 1)
	return moved
}

// sticky keeps a key's backend, choosing it by least outstanding the
// first time and again when it is down.
func (b *Balancer) sticky(key uint64) int {
	s := b.session(key)
	if *s > 0 {
		if b.usable(int(*s - 1)) {
			return int(*s - 1)
		}
		b.Moved++
	}
	i := b.least()
	*s = int32(i + 1)
	return i
}

func (b *Balancer) close(end sim.Time) {
	b.Calls.Close(end)
	b.Rejections.Close(end)
}

// Spread is the busiest backend's share of the calls over the mean share:
// 1 when the calls were spread evenly.
func (b *Balancer) Spread() float64 {
	var most, all int64
	for _, p := range b.Picks {
		most = max(most, p)
		all += p
	}
	if all == 0 {
		return math.NaN()
	}
	return float64(most) / (float64(all) / float64(len(b.Picks)))
}

func (b *Balancer) row(t *metrics.Table) {
	t.Add(b.Name, "Balancer", b.Calls.Total(), nil, nil, b.Rejections.Total(), nil, nil, nil,
		fmt.Sprintf("%s over %d, busiest %.2f× the mean", b.policy(), len(b.Backends), b.Spread()))
}
