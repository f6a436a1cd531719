// Package simtest holds the checks that tests across the library make in
// the same way: one seed gives one run on any number of cores, and
// another seed gives another. It is internal and imported by tests only.
package simtest

import (
	"runtime"
	"testing"
)

// SameAcrossProcs calls run twice, then with GOMAXPROCS at 1 and at 2,
// checks every call gives the same text (one seed, one run, on any number
// of cores) and returns it.
func SameAcrossProcs(t testing.TB, run func() string) string {
	t.Helper()
	a, b := run(), run()
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	runtime.GOMAXPROCS(1)
	one := run()
	runtime.GOMAXPROCS(2)
	two := run()
	if a != b || a != one || a != two {
		t.Fatalf("same seed, different runs:\n%s\n%s", a, one)
	}
	return a
}

// Seeded checks that run gives the same text for seed on any number of
// cores, and another text for the next seed; it returns seed's text.
func Seeded(t testing.TB, run func(seed uint64) string, seed uint64) string {
	t.Helper()
	a := SameAcrossProcs(t, func() string { return run(seed) })
	if run(seed+1) == a {
		t.Errorf("seeds %d and %d gave the same run", seed, seed+1)
	}
	return a
}
