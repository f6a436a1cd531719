// Package bounds words the error of a setting outside its range the one
// way the lab's packages (lab, raft, txn, detect) all use, naming the
// package, the field, its value and the range:
//
//	raft: MaxBatch=0: must be in [1, 10000]
//	lab: Loss=1: must be in [0, 1)
//
// It is internal: type parameters stay out of what a script can import.
package bounds

import (
	"dsim/sim/internal/brief"
	"fmt"
	"time"
)

// In returns nil when lo <= v <= hi, and otherwise the error
// "pkg: field=v: must be in [lo, hi]". A NaN is out of every range.
// Durations in the range read as they are written in Go, 1m rather
// than 1m0s.
func In[T int | int64 | uint64 | float64 | time.Duration](pkg, field string, v, lo, hi T) error {
	if v >= lo && v <= hi {
		return nil
	}
	return fmt.Errorf("%s: %s=%v: must be in [%s, %s]", pkg, field, v, text(lo), text(hi))
}

// Under is In for a range open above, [lo, hi): it returns the error
// "pkg: field=v: must be in [lo, hi)" when v is outside it.
func Under[T int | int64 | uint64 | float64 | time.Duration](pkg, field string, v, lo, hi T) error {
	if v >= lo && v < hi {
		return nil
	}
	return fmt.Errorf("%s: %s=%v: must be in [%s, %s)", pkg, field, v, text(lo), text(hi))
}

// text writes a bound, a duration without its zero trailing units.
func text(x any) string {
	if d, ok := x.(time.Duration); ok {
		return brief.Duration(d)
	}
	return fmt.Sprint(x)
}
