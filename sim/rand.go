package sim

import "math/rand/v2"

// Stream returns the random stream called name under the root seed.
//
// Streams are independent by construction: each is a PCG generator whose
// state is derived from (seed, name) alone. Adding a new stream, or drawing
// more numbers from one, never shifts the numbers another stream yields, so
// a change to one component of a model leaves the randomness of the others
// untouched. The same (seed, name) always gives the same sequence.
func Stream(seed uint64, name string) *rand.Rand {
	h := fnv64(name)
	return rand.New(rand.NewPCG(splitmix64(seed^0x6a09e667f3bcc909), splitmix64(seed+h)))
}

// fnv64 is FNV-1a: a fixed, portable string hash (hash/maphash is seeded per
// process, which would break reproducibility).
func fnv64(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

// splitmix64 scrambles a 64-bit value so that nearby seeds (1, 2, 3) give
// unrelated generator states.
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}
