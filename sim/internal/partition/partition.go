// Package partition splits a porcupine history by key, for the models
// that check each key on its own (linearizability is local: a history is
// linearizable if and only if every key's is). The quorum lesson and the
// protocol lab's lin-kv checker share it.
package partition

import (
	"cmp"
	"slices"

	"github.com/anishathalye/porcupine"
)

// ByKey returns h's operations grouped by key, the keys in ascending order
// and each group in h's order, so the split never depends on map order.
func ByKey[K cmp.Ordered](h []porcupine.Operation, key func(porcupine.Operation) K) [][]porcupine.Operation {
	byKey := map[K][]porcupine.Operation{}
	var keys []K
	for _, o := range h {
		k := key(o)
		if _, ok := byKey[k]; !ok {
			keys = append(keys, k)
		}
		byKey[k] = append(byKey[k], o)
	}
	slices.Sort(keys)
	out := make([][]porcupine.Operation, len(keys))
	for i, k := range keys {
		out[i] = byKey[k]
	}
	return out
}
