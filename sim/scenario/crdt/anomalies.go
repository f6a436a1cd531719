package crdt

import (
	"fmt"

	"dsim/sim"
)

// write is an LWW write as the checker sees it.
type write struct {
	at    sim.Time
	key   string
	value string
	stamp Stamp
}

// resurrected lists the elements the naive set holds and the CRDT does
// not: removed, and brought back by a merge.
func resurrected(s State, naive *NaiveSet) []string {
	var out []string
	for _, e := range sortedKeys(naive.elems) {
		has := false
		switch x := s.(type) {
		case *ORSet:
			has = x.Has(e)
		case *TwoPSet:
			has = x.Has(e)
		case *GSet:
			has = x.Has(e)
		}
		if !has {
			out = append(out, e)
		}
	}
	return out
}

// lostWrites counts LWW writes that lost to a write made earlier in real
// time on the same key: each was acknowledged by its replica, and is gone
// once the earlier write's larger stamp reaches it. With synchronised
// clocks a later write always has the larger stamp and none is lost.
func lostWrites(ws []write, _ State) (int, string) {
	best := map[string]write{}
	lost, example := 0, ""
	for _, w := range ws { // in real-time order
		b, seen := best[w.key]
		if seen && w.stamp.Less(b.stamp) {
			lost++
			if example == "" {
				example = fmt.Sprintf("%s=%s, written by %s at %v, lost to %s=%s written by %s %v earlier with a clock %v ahead",
					or(w.key, "register"), w.value, w.stamp.Replica, w.at, or(b.key, "register"), b.value, b.stamp.Replica,
					w.at-b.at, sim.Time(b.stamp.Clock-int64(b.at))-sim.Time(w.stamp.Clock-int64(w.at)))
			}
			continue
		}
		best[w.key] = w
	}
	return lost, example
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
