package quorum

import (
	"math"
	"sort"

	"dsim/sim"
)

// The anomalies a client can see, counted from real time alone (starts,
// ends and returned values) or, for lost writes, with the store's own
// version order. Each is a certain violation of linearizability except a
// lost write no read observed; the checker finds more, but these name the
// kind.

// staleReads counts successful reads that returned a value older than a
// write that completed before the read began: the read's value was
// written by a write that completed before that newer write started (or
// is the initial value). It needs no version order, only real time.
func staleReads(ops []Op) (stale int64) {
	byKey := map[int][]Op{}
	for _, o := range ops {
		if o.Write && o.OK {
			byKey[o.Key] = append(byKey[o.Key], o)
		}
	}
	// Per key: completed writes by end time, with the latest start among
	// the writes that ended so far.
	type index struct {
		ends     []sim.Time
		maxStart []sim.Time
	}
	idx := map[int]index{}
	end := map[int64]sim.Time{} // write value -> its end
	for k, ws := range byKey {
		sort.Slice(ws, func(i, j int) bool { return ws[i].End < ws[j].End })
		var ix index
		latest := sim.Time(math.MinInt64)
		for _, w := range ws {
			latest = max(latest, w.Start)
			ix.ends = append(ix.ends, w.End)
			ix.maxStart = append(ix.maxStart, latest)
			end[w.Value] = w.End
		}
		idx[k] = ix
	}
	for _, o := range ops {
		if o.Write || !o.OK {
			continue
		}
		ix := idx[o.Key]
		n := sort.Search(len(ix.ends), func(i int) bool { return ix.ends[i] >= o.Start })
		if n == 0 {
			continue // no write completed before the read began
		}
		if o.Value == 0 {
			stale++
			continue
		}
		if e, ok := end[o.Value]; ok && e < ix.maxStart[n-1] {
			stale++
		}
	}
	return stale
}

// lostWrites counts acknowledged writes that the store ordered before an
// acknowledged write that completed before they started: the later write
// is overwritten by an older one, so a client that saw it acknowledged
// will never read it. Last-writer-wins with skewed clocks does this.
func lostWrites(ops []Op) (lost int64) {
	byKey := map[int][]Op{}
	var keys []int
	for _, o := range ops {
		if o.Write && o.OK {
			if _, ok := byKey[o.Key]; !ok {
				keys = append(keys, o.Key)
			}
			byKey[o.Key] = append(byKey[o.Key], o)
		}
	}
	for _, k := range keys {
		ws := byKey[k]
		byEnd := append([]Op(nil), ws...)
		sort.Slice(byEnd, func(i, j int) bool { return byEnd[i].End < byEnd[j].End })
		maxV := make([]version, len(byEnd))
		var hi version
		for i, w := range byEnd {
			if hi.less(w.version) {
				hi = w.version
			}
			maxV[i] = hi
		}
		for _, w := range ws {
			n := sort.Search(len(byEnd), func(i int) bool { return byEnd[i].End >= w.Start })
			if n > 0 && w.version.less(maxV[n-1]) {
				lost++
			}
		}
	}
	return lost
}

// Inversion is one inverted read: Before returned the value of Write,
// After began once Before had ended and returned an older value, one
// whose write had completed before Before began. Write may have failed
// (timed out): it reached some replicas all the same.
type Inversion struct {
	Write, Before, After Op
}

// inversions counts successful reads that returned an older value than a
// read that completed before they began: read A returned a, the later
// read B returned b != a, and b's write had completed before A began (or b
// is the initial value). No order of the operations explains both: b was
// already in place when A began, A saw a replace it, and B still saw b.
// This is the new-old inversion of a read that overlaps a write (the
// write has reached some replicas and not others), which a quorum store
// whose reads do not write back before returning allows, R+W>N or not.
// It also returns the inversion whose later read began first. Cost:
// O(n log n) per key.
func inversions(ops []Op) (count int64, first *Inversion) {
	end := map[int64]sim.Time{} // write value -> its end, for completed writes
	writes := map[int64]Op{}    // write value -> the write, completed or not
	byKey := map[int][]Op{}
	var keys []int
	for _, o := range ops {
		if o.Write {
			writes[o.Value] = o
			if o.OK {
				end[o.Value] = o.End
			}
			continue
		}
		if !o.OK {
			continue
		}
		if _, ok := byKey[o.Key]; !ok {
			keys = append(keys, o.Key)
		}
		byKey[o.Key] = append(byKey[o.Key], o)
	}
	for _, k := range keys {
		n, inv := invertedOnKey(byKey[k], end)
		count += n
		if inv != nil && (first == nil || inv.After.Start < first.After.Start) {
			inv.Write = writes[inv.Before.Value]
			first = inv
		}
	}
	return count, first
}

// invertedOnKey does one key's reads. Walking the reads by start, it keeps,
// among those that ended before the current read began, the one that
// began last and the one that began last with another value: whatever
// value the current read returned, one of the two is the latest earlier
// read that returned something else.
func invertedOnKey(reads []Op, end map[int64]sim.Time) (count int64, first *Inversion) {
	byEnd := append([]Op(nil), reads...)
	sort.Slice(byEnd, func(i, j int) bool { return byEnd[i].End < byEnd[j].End })
	byStart := append([]Op(nil), reads...)
	sort.Slice(byStart, func(i, j int) bool { return byStart[i].Start < byStart[j].Start })
	var latest, other *Op // other.Value != latest.Value
	next := 0
	for _, b := range byStart {
		for ; next < len(byEnd) && byEnd[next].End < b.Start; next++ {
			a := &byEnd[next]
			switch {
			case latest == nil || a.Start > latest.Start:
				if latest != nil && latest.Value != a.Value {
					other = latest
				}
				latest = a
			case a.Value != latest.Value && (other == nil || a.Start > other.Start):
				other = a
			}
		}
		before := latest
		if before != nil && before.Value == b.Value {
			before = other
		}
		if before == nil {
			continue
		}
		written := sim.Time(math.MinInt64) // the initial value was there from the start
		if b.Value != 0 {
			e, ok := end[b.Value]
			if !ok {
				continue // b's write never completed: it may have taken effect late
			}
			written = e
		}
		if written < before.Start {
			count++
			if first == nil {
				first = &Inversion{Before: *before, After: b}
			}
		}
	}
	return count, first
}
