package service

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"dsim/sim"
	"dsim/sim/dist"
	"dsim/sim/metrics"
)

// Eviction is which entry a full cache gives up for a new one.
type Eviction string

// The eviction policies.
const (
	EvictLRU  Eviction = "lru"  // the least recently used
	EvictLFU  Eviction = "lfu"  // the least frequently used (ties: the least recent)
	EvictFIFO Eviction = "fifo" // the oldest inserted
)

// Evictions lists the eviction policies.
func Evictions() []Eviction { return []Eviction{EvictLRU, EvictLFU, EvictFIFO} }

// WritePolicy is how a cache handles a write of a key.
type WritePolicy string

// The write policies.
const (
	// CacheAside sends the write to the backend and, once it is done,
	// drops the key's entry; the next read fetches the new value.
	CacheAside WritePolicy = "cache-aside"
	// WriteThrough sends the write to the backend and, once it is done,
	// puts the new value in the cache.
	WriteThrough WritePolicy = "write-through"
	// WriteBack puts the new value in the cache and answers at once; the
	// backend gets it when the entry is evicted. A Flush loses it.
	WriteBack WritePolicy = "write-back"
	// WriteAround sends the write to the backend and leaves the cache as
	// it is: a cached entry keeps its old value until it expires (TTL) or
	// is evicted, and hits on it are stale meanwhile. It is the cache of
	// a database that other services write, which nobody tells of writes.
	WriteAround WritePolicy = "write-around"
)

// WritePolicies lists the write policies.
func WritePolicies() []WritePolicy {
	return []WritePolicy{CacheAside, WriteThrough, WriteBack, WriteAround}
}

// Cache answers reads of the keys it holds and sends the rest to Backend,
// keeping what comes back, at most Capacity keys, evicting by Eviction.
//
// The rules:
//   - An entry older than TTL is expired: a read of it is a miss (expiry
//     is lazy: the entry holds its place until read or evicted).
//   - A hit is answered after a draw from HitTime (at once when nil).
//   - With Coalesce, misses of a key whose fetch is in flight wait for
//     it instead of sending their own: one backend read per key at a time
//     (the thundering herd of an expiring hot key is one read).
//   - With EarlyRefresh β > 0 (and a TTL), a hit refreshes its entry in
//     the background with a probability that rises as expiry nears: when
//     now − δ·β·ln(U) ≥ expiry, δ being how long the entry's last fetch
//     took and U uniform (Vattani, Chierichetti and Lowenstein, "Optimal
//     Probabilistic Cache Stampede Prevention", VLDB 2015).
//   - Writes follow WritePolicy (cache-aside by default). The cache keeps each
//     key's version: a hit on a value older than the last write the
//     backend acknowledged is stale (counted in Stale), and so is a fill
//     whose read was sent before a write that finished first.
//   - With LookAside, the caller fills the cache, as an application
//     does that reads the database itself on a miss and then sets the
//     value (memcache at Facebook; Nishtala et al., NSDI 2013): a fetch
//     answered after every caller waiting for it gave up (timed out)
//     fills nothing (counted in Unfilled). Without it the cache fills
//     itself (read-through) with every answer. Early refreshes are the
//     cache's own and always fill.
//   - A Flush fault drops every entry (and unwritten write-back values).
//
// Random streams: NAME/hits (HitTime), NAME/refresh (EarlyRefresh).
type Cache struct {
	Name     string
	Backend  string
	Capacity int      // entries, 1 to MaxKeys
	Eviction Eviction // "" is LRU
	// TTL is how long an entry stays fresh; zero is for ever.
	TTL          time.Duration
	HitTime      dist.Dist
	Coalesce     bool
	EarlyRefresh float64     // XFetch's β, 0 (off) to 100; 1 is the paper's choice
	WritePolicy  WritePolicy // "" is CacheAside
	LookAside    bool        // a fetch nobody waits for any more fills nothing
	// Preload, when positive, starts the cache warm: holding keys 0 to
	// Preload-1 (at most Capacity), the most popular ones under a
	// Source's Keys, the most popular the most recently used. With a TTL
	// their ages are spread evenly over it (key 0 the youngest), as in a
	// cache that has run for a while, so they do not all expire at once.
	Preload int

	CacheStats
	part
	backend          node
	hitR, refreshR   *rand.Rand
	ttl              sim.Time
	index            map[uint64]int32 // key -> slot
	keys             []uint64
	born, took       []sim.Time // when each entry was filled, and how long its fetch took
	ver              []uint32   // the version each entry holds
	dirty            []bool
	prev, next       []int32 // recency list; head is the most recent
	head, tail       int32
	freq             []uint64 // LFU: uses, and the tick of the last one
	used             []uint64
	heap, pos        []int32
	tick             uint64
	free             []int32
	committed        []uint32         // per key: writes the backend acknowledged
	inflight         map[uint64]*call // Coalesce and refreshes: key -> first waiting call (nil: none)
	lfu, fifo, aside bool
	through          bool
}

// CacheStats is what a Cache measured.
type CacheStats struct {
	Reads, Writes *metrics.Rate
	Hits, Misses  *metrics.Rate
	Fetches       *metrics.Rate  // reads sent to the backend (refreshes included)
	Entries       *metrics.Gauge // keys held
	Stale         int64          // hits on a value older than the backend's
	Expired       int64          // reads of an entry past its TTL
	Evictions     int64
	Coalesced     int64 // misses that waited for a fetch in flight
	Refreshes     int64 // early refreshes sent
	WriteBacks    int64 // write-back values written on eviction
	LostWrites    int64 // write-back values a flush lost
	Unfilled      int64 // LookAside: fetches answered after their callers gave up
}

// fetch kinds, in a fetch's tag.
const (
	fetchOne   = iota // serves the call that is its parent
	fetchMany         // serves the calls waiting in inflight[key], if any
	refresh           // an early refresh: fetchMany, sent by the cache itself
	writeOne          // a write for its parent
	writeAlone        // a write-back on eviction, for nobody
)

func (*Cache) Kind() string                { return "Cache" }
func (c *Cache) ID() string                { return c.Name }
func (c *Cache) wiredTo() (string, string) { return "Backend", c.Backend }
func (c *Cache) targets() []string         { return []string{c.Backend} }

func (c *Cache) validate() error {
	switch {
	case c.Capacity < 1 || c.Capacity > MaxKeys:
		return bad(c, "Capacity", c.Capacity, fmt.Sprintf("must be between 1 and %d entries", MaxKeys))
	case c.Eviction != "" && !slices.Contains(Evictions(), c.Eviction):
		return bad(c, "Eviction", c.Eviction, fmt.Sprintf("want one of %v", Evictions()))
	case c.WritePolicy != "" && !slices.Contains(WritePolicies(), c.WritePolicy):
		return bad(c, "WritePolicy", c.WritePolicy, fmt.Sprintf("want one of %v", WritePolicies()))
	case c.TTL < 0 || c.TTL > 1000*time.Hour:
		return bad(c, "TTL", c.TTL, "must be between 0 (for ever) and 1000h")
	case !(c.EarlyRefresh >= 0 && c.EarlyRefresh <= 100):
		return bad(c, "EarlyRefresh", c.EarlyRefresh, "must be between 0 (off) and 100")
	case c.Preload < 0 || c.Preload > c.Capacity:
		return bad(c, "Preload", c.Preload, fmt.Sprintf("must be between 0 and Capacity=%d entries", c.Capacity))
	case c.EarlyRefresh > 0 && c.TTL == 0:
		return bad(c, "EarlyRefresh", c.EarlyRefresh, "refreshes ahead of expiry: give the cache a TTL")
	}
	return checkDuration(c, "HitTime", c.HitTime, false)
}

func (c *Cache) start() {
	sys := c.sys
	w := sys.window
	rate := func(what string) *metrics.Rate { return metrics.NewRate(c.Name+" "+what, w) }
	c.Reads, c.Writes, c.Hits, c.Misses, c.Fetches = rate("reads"), rate("writes"), rate("hits"), rate("misses"), rate("fetches")
	c.Entries = metrics.NewGauge(c.Name+" entries", "keys", w)
	c.backend = sys.node(c.Backend)
	if c.HitTime != nil {
		c.hitR = sys.rand(c.Name + "/hits")
	}
	if c.EarlyRefresh > 0 {
		c.refreshR = sys.rand(c.Name + "/refresh")
	}
	c.ttl = sim.FromDuration(c.TTL)
	if c.TTL == 0 {
		c.ttl = sim.MaxTime
	}
	c.lfu, c.fifo = c.Eviction == EvictLFU, c.Eviction == EvictFIFO
	c.aside = c.WritePolicy == "" || c.WritePolicy == CacheAside
	c.through = c.WritePolicy == WriteThrough
	n := c.Capacity
	c.index = make(map[uint64]int32, n)
	c.inflight = map[uint64]*call{}
	c.keys, c.born, c.took, c.ver = make([]uint64, n), make([]sim.Time, n), make([]sim.Time, n), make([]uint32, n)
	c.dirty, c.prev, c.next = make([]bool, n), make([]int32, n), make([]int32, n)
	if c.lfu {
		c.freq, c.used, c.heap, c.pos = make([]uint64, n), make([]uint64, n), make([]int32, 0, n), make([]int32, n)
	}
	c.free = make([]int32, n)
	for i := range c.free {
		c.free[i] = int32(n - 1 - i)
	}
	c.head, c.tail = -1, -1
	for k := c.Preload - 1; k >= 0; k-- {
		slot := c.put(uint64(k), 0, 0, 0)
		if c.TTL > 0 {
			// The golden ratio's multiples mod 1 spread the ages evenly
			// without tying them to popularity.
			age := math.Mod(float64(k)*0.6180339887498949, 1)
			c.born[slot] = -sim.Time(age * float64(c.ttl))
		}
	}
}

func (c *Cache) up() bool { return true }

// HitRatio is hits over reads.
func (c *Cache) HitRatio() float64 { return metrics.Ratio(c.Hits.Total(), c.Reads.Total()) }

func (c *Cache) accept(r *call) {
	now := c.sys.sim.Now()
	if r.write {
		c.Writes.Add(now, 1)
		c.write(r, now)
		return
	}
	c.Reads.Add(now, 1)
	slot, found := c.index[r.key]
	if found && now-c.born[slot] >= c.ttl {
		c.Expired++
		c.remove(slot)
		found = false
	}
	if !found {
		c.Misses.Add(now, 1)
		c.miss(r, now)
		return
	}
	c.Hits.Add(now, 1)
	if c.ver[slot] < c.version(r.key) {
		c.Stale++
	}
	c.touch(slot)
	if c.refreshR != nil {
		c.maybeRefresh(slot, now)
	}
	c.answerHit(r)
}

func (c *Cache) answerHit(r *call) {
	if c.hitR != nil {
		r.after(c, dist.Time(c.HitTime, c.hitR))
		return
	}
	r.answer(ok)
}

// fired is a hit's HitTime passing.
func (c *Cache) fired(r *call) { r.answer(ok) }

// version is the writes the backend acknowledged for key.
func (c *Cache) version(key uint64) uint32 {
	if key < uint64(len(c.committed)) {
		return c.committed[key]
	}
	return 0
}

func (c *Cache) commit(key uint64) uint32 {
	if key >= MaxKeys {
		key %= MaxKeys
	}
	if key >= uint64(len(c.committed)) {
		c.committed = slices.Grow(c.committed, int(key)+1-len(c.committed))[:key+1]
	}
	c.committed[key]++
	return c.committed[key]
}

// miss fetches the key, or waits for the fetch in flight (Coalesce).
func (c *Cache) miss(r *call, now sim.Time) {
	if c.Coalesce {
		if first, busy := c.inflight[r.key]; busy {
			c.Coalesced++
			if first == nil {
				c.inflight[r.key] = r
			} else {
				r.next, first.next = first.next, r
			}
			return
		}
		r.next = nil
		c.inflight[r.key] = r
		c.fetch(nil, r.key, r.deadline, fetchMany, now)
		return
	}
	c.fetch(r, r.key, r.deadline, fetchOne, now)
}

// fetch sends a read of key to the backend, for parent or for the calls
// waiting in inflight.
func (c *Cache) fetch(parent *call, key uint64, deadline sim.Time, kind int32, now sim.Time) {
	c.Fetches.Add(now, 1)
	f := c.sys.newCall(parent, c)
	f.key, f.write, f.deadline, f.tag = key, false, deadline, kind
	f.ver = c.version(key)
	c.backend.accept(f)
}

// maybeRefresh sends an early refresh of slot's key (XFetch), unless one
// is in flight.
func (c *Cache) maybeRefresh(slot int32, now sim.Time) {
	key := c.keys[slot]
	if _, busy := c.inflight[key]; busy {
		return
	}
	expiry := c.born[slot] + c.ttl
	early := sim.Seconds(-c.took[slot].Seconds() * c.EarlyRefresh * math.Log(1-c.refreshR.Float64()))
	if now+early < expiry {
		return
	}
	c.Refreshes++
	c.inflight[key] = nil
	c.fetch(nil, key, sim.MaxTime, refresh, now)
}

func (c *Cache) write(r *call, now sim.Time) {
	if c.WritePolicy == WriteBack {
		v := c.commit(r.key)
		slot := c.put(r.key, v, now, 0)
		c.dirty[slot] = true
		c.answerHit(r)
		return
	}
	w := c.sys.newCall(r, c)
	w.tag = writeOne
	c.backend.accept(w)
}

// answered takes the backend's answer to a fetch or a write.
func (c *Cache) answered(f *call) {
	now := c.sys.sim.Now()
	key, st, kind, ver, took := f.key, f.status, f.tag, f.ver, now-f.start
	parent := f.parent
	wanted := !c.LookAside || kind != fetchOne || !f.abandoned()
	c.sys.release(f)
	switch kind {
	case writeAlone:
		return
	case writeOne:
		if st == ok {
			v := c.commit(key)
			if slot, found := c.index[key]; found && c.aside {
				c.remove(slot)
			} else if c.through {
				c.put(key, v, now, took)
			}
		}
		parent.answer(st)
		return
	}
	first := c.inflight[key]
	if c.LookAside && kind == fetchMany {
		wanted = false
		for r := first; r != nil && !wanted; r = r.next {
			wanted = !r.abandoned()
		}
	}
	if slot, found := c.index[key]; st == ok && !(found && c.dirty[slot]) {
		// A value written back is newer than any the backend has.
		if wanted {
			c.put(key, ver, now, took)
		} else {
			c.Unfilled++
		}
	}
	if kind == fetchOne {
		parent.answer(st)
		return
	}
	delete(c.inflight, key)
	for r := first; r != nil; {
		next := r.next
		r.next = nil
		r.answer(st)
		r = next
	}
}

// put stores key at version ver, filled now by a fetch that took took,
// evicting when full; it returns the entry's slot.
func (c *Cache) put(key uint64, ver uint32, now, took sim.Time) int32 {
	slot, found := c.index[key]
	if !found {
		if len(c.free) == 0 {
			c.evict()
		}
		slot = c.free[len(c.free)-1]
		c.free = c.free[:len(c.free)-1]
		c.index[key] = slot
		c.keys[slot], c.dirty[slot] = key, false
		c.link(slot)
		if c.lfu {
			c.freq[slot] = 0
			c.heapPush(slot)
		}
		c.Entries.Set(now, float64(len(c.index)))
	} else if !c.fifo {
		c.touch(slot)
	}
	c.ver[slot], c.born[slot], c.took[slot] = ver, now, took
	return slot
}

// evict gives up the policy's victim, writing a dirty value back first.
func (c *Cache) evict() {
	victim := c.tail
	if c.lfu {
		victim = c.heap[0]
	}
	c.Evictions++
	if c.dirty[victim] {
		c.WriteBacks++
		w := c.sys.newCall(nil, c)
		w.key, w.write, w.tag = c.keys[victim], true, writeAlone
		c.backend.accept(w)
	}
	c.remove(victim)
}

// remove drops the entry in slot.
func (c *Cache) remove(slot int32) {
	delete(c.index, c.keys[slot])
	c.unlink(slot)
	if c.lfu {
		c.heapRemove(slot)
	}
	c.free = append(c.free, slot)
	c.Entries.Set(c.sys.sim.Now(), float64(len(c.index)))
}

// touch records a use: to the front of the recency list (LRU), one more
// use (LFU); nothing for FIFO.
func (c *Cache) touch(slot int32) {
	switch {
	case c.lfu:
		c.tick++
		c.freq[slot]++
		c.used[slot] = c.tick
		c.heapDown(int(c.pos[slot]))
	case !c.fifo:
		c.unlink(slot)
		c.link(slot)
	}
}

// link puts slot at the head of the recency list.
func (c *Cache) link(slot int32) {
	c.prev[slot], c.next[slot] = -1, c.head
	if c.head >= 0 {
		c.prev[c.head] = slot
	}
	c.head = slot
	if c.tail < 0 {
		c.tail = slot
	}
}

func (c *Cache) unlink(slot int32) {
	p, n := c.prev[slot], c.next[slot]
	if p >= 0 {
		c.next[p] = n
	} else {
		c.head = n
	}
	if n >= 0 {
		c.prev[n] = p
	} else {
		c.tail = p
	}
}

// The LFU heap orders slots by (uses, last use): its root is the victim.
func (c *Cache) less(a, b int32) bool {
	return c.freq[a] < c.freq[b] || c.freq[a] == c.freq[b] && c.used[a] < c.used[b]
}

func (c *Cache) heapPush(slot int32) {
	c.tick++
	c.used[slot] = c.tick
	c.heap = append(c.heap, slot)
	c.pos[slot] = int32(len(c.heap) - 1)
	c.heapUp(len(c.heap) - 1)
}

func (c *Cache) heapRemove(slot int32) {
	i, last := int(c.pos[slot]), len(c.heap)-1
	if i != last {
		c.heap[i] = c.heap[last]
		c.pos[c.heap[i]] = int32(i)
	}
	c.heap = c.heap[:last]
	if i < last {
		c.heapDown(i)
		c.heapUp(i)
	}
}

func (c *Cache) heapUp(i int) {
	for i > 0 {
		p := (i - 1) / 2
		if !c.less(c.heap[i], c.heap[p]) {
			return
		}
		c.swap(i, p)
		i = p
	}
}

func (c *Cache) heapDown(i int) {
	n := len(c.heap)
	for {
		l := 2*i + 1
		if l >= n {
			return
		}
		m := l
		if r := l + 1; r < n && c.less(c.heap[r], c.heap[l]) {
			m = r
		}
		if !c.less(c.heap[m], c.heap[i]) {
			return
		}
		c.swap(i, m)
		i = m
	}
}

func (c *Cache) swap(i, j int) {
	c.heap[i], c.heap[j] = c.heap[j], c.heap[i]
	c.pos[c.heap[i]], c.pos[c.heap[j]] = int32(i), int32(j)
}

// flush drops every entry; unwritten write-back values are lost.
func (c *Cache) flush() {
	for c.head >= 0 {
		if c.dirty[c.head] {
			c.LostWrites++
		}
		c.remove(c.head)
	}
}

func (c *Cache) close(end sim.Time) {
	for _, r := range []*metrics.Rate{c.Reads, c.Writes, c.Hits, c.Misses, c.Fetches} {
		r.Close(end)
	}
	c.Entries.Close(end)
}

func (c *Cache) row(t *metrics.Table) {
	t.Add(c.Name, "Cache", c.Reads.Total()+c.Writes.Total(), nil, nil, nil, nil, nil, nil,
		fmt.Sprintf("hit ratio %s, %d stale, %d fetches", metrics.Pct(c.HitRatio()), c.Stale, c.Fetches.Total()))
}
