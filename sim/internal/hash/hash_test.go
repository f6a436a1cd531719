package hash

import (
	"hash/fnv"
	"testing"
)

// String is FNV-1a as the standard library computes it, and Mix keeps the
// values the generators were seeded with before it was shared.
func TestHashes(t *testing.T) {
	for _, s := range []string{"", "a", "clocks/ops", "s1#17"} {
		h := fnv.New64a()
		h.Write([]byte(s))
		if got, want := String(s), h.Sum64(); got != want {
			t.Errorf("String(%q) = %#x, want %#x", s, got, want)
		}
	}
	// splitmix64's first output from state 0 (Vigna's reference).
	if got, want := Mix(0), uint64(0xe220a8397b1dcdaf); got != want {
		t.Errorf("Mix(0) = %#x, want %#x", got, want)
	}
}
