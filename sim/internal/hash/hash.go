// Package hash holds the fixed, portable hashes the library draws on where
// a result must not depend on the process: hash/maphash is seeded per
// process, which would break reproducibility across runs and machines.
package hash

// String is FNV-1a of s.
func String(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

// Mix is splitmix64's finaliser: it scrambles x so that nearby values
// (seeds 1, 2, 3; neighbouring keys) land far apart.
func Mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}
